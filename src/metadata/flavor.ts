import { attributes } from '../action/input-list.js'
import { GLOBAL_EXPRESSIONS, literal, parseTemplate, type Template } from './expressions.js'
import { lineError, lineFields, numberedLines, oneOf, type NumberedLine } from './lines.js'

export type LatestMode = 'auto' | 'true' | 'false'

export interface Flavor {
  latest: LatestMode
  /** Applied to every tag whose rule sets no prefix of its own. */
  prefix: Template
  suffix: Template
  /** Whether `latest` gets the prefix/suffix too (`prefix=…,onlatest=true`). */
  prefixOnLatest: boolean
  suffixOnLatest: boolean
}

const INPUT = 'flavor'
const KEYS = ['latest', 'prefix', 'suffix', 'onlatest']
const LATEST_MODES: LatestMode[] = ['auto', 'true', 'false']

/** The `flavor` input; a later line overrides an earlier one, as in metadata-action. */
export function parseFlavor(text: string): Flavor {
  const flavor: Flavor = {
    latest: 'auto',
    prefix: literal(''),
    suffix: literal(''),
    prefixOnLatest: false,
    suffixOnLatest: false,
  }
  for (const line of numberedLines(text)) readLine(flavor, line)
  return flavor
}

function readLine(flavor: Flavor, line: NumberedLine): void {
  // `onlatest` qualifies the prefix or suffix given just before it on the same line.
  let lastAffix: 'prefix' | 'suffix' | undefined
  for (const { key, value } of attributes(lineFields(INPUT, line))) {
    if (key === undefined) throw lineError(INPUT, line, `expected key=value, got "${value}"`)
    switch (key) {
      case 'latest':
        flavor.latest = latestMode(value, line)
        break
      case 'prefix':
      case 'suffix':
        flavor[key] = parseTemplate(value, GLOBAL_EXPRESSIONS, (detail) => lineError(INPUT, line, detail))
        lastAffix = key
        break
      case 'onlatest':
        if (lastAffix === undefined) {
          throw lineError(INPUT, line, 'onlatest must follow prefix=… or suffix=… on the same line')
        }
        flavor[lastAffix === 'prefix' ? 'prefixOnLatest' : 'suffixOnLatest'] = onLatest(value, line)
        break
      default:
        throw lineError(INPUT, line, `unknown key "${key}"; expected ${oneOf(KEYS)}`)
    }
  }
}

function latestMode(value: string, line: NumberedLine): LatestMode {
  const mode = LATEST_MODES.find((candidate) => candidate === value.toLowerCase())
  if (!mode) throw lineError(INPUT, line, `latest must be ${oneOf(LATEST_MODES)}, got "${value}"`)
  return mode
}

function onLatest(value: string, line: NumberedLine): boolean {
  if (/^true$/i.test(value)) return true
  if (/^false$/i.test(value)) return false
  throw lineError(INPUT, line, `onlatest must be "true" or "false", got "${value}"`)
}
