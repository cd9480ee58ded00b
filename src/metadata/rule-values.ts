import { errorMessage } from '../action/errors.js'
import { lineError, oneOf, type NumberedLine } from './lines.js'

// The values of single `tags` attributes (pattern, match, group, event, format), each checked.

export type RefEvent = 'branch' | 'tag' | 'pr'
export type ShaFormat = 'short' | 'long'

export interface Pattern {
  regex: RegExp
  text: string
}

const INPUT = 'tags'
const REF_EVENTS: RefEvent[] = ['branch', 'tag', 'pr']
const SHA_FORMATS: ShaFormat[] = ['short', 'long']

/** `pattern=` of type=match: a regular expression, or `/expression/flags` as metadata-action allows. */
export function matchPattern(text: string, line: NumberedLine): Pattern {
  const slashed = /^\/(.+)\/(.*)$/.exec(text)
  if (!slashed) return regex(text, 'pattern', line)
  // Only the first match counts, so a `g` flag would only change what `group` means.
  return { text, regex: regex(slashed[1] ?? '', 'pattern', line, (slashed[2] ?? '').replace('g', '')).regex }
}

/** `match=` of type=semver/pep440: a plain regular expression (its first group is the version). */
export function optionalRegex(text: string | undefined, line: NumberedLine): Pattern | undefined {
  return text ? regex(text, 'match', line) : undefined
}

function regex(source: string, key: string, line: NumberedLine, flags = ''): Pattern {
  try {
    return { text: source, regex: new RegExp(source, flags) }
  } catch (error) {
    const reason = errorMessage(error)
    throw lineError(INPUT, line, `${key} is not a valid regular expression: ${reason}`)
  }
}

export function group(text: string, line: NumberedLine): number {
  if (!/^\d+$/.test(text)) throw lineError(INPUT, line, `group must be a capture group number, got "${text}"`)
  return Number(text)
}

export function refEvent(text: string | undefined, line: NumberedLine): RefEvent {
  if (text === undefined)
    throw lineError(INPUT, line, `type=ref needs an event: ${oneOf(REF_EVENTS.map((e) => `event=${e}`))}`)
  const event = REF_EVENTS.find((candidate) => candidate === text.toLowerCase())
  if (!event) throw lineError(INPUT, line, `unknown event "${text}"; expected ${oneOf(REF_EVENTS)}`)
  return event
}

export function shaFormat(text: string | undefined, line: NumberedLine): ShaFormat {
  if (text === undefined) return 'short'
  const format = SHA_FORMATS.find((candidate) => candidate === text.toLowerCase())
  if (!format) throw lineError(INPUT, line, `format must be ${oneOf(SHA_FORMATS)}, got "${text}"`)
  return format
}
