import { attributes } from '../action/input-list.js'
import {
  GLOBAL_EXPRESSIONS,
  VERSION_EXPRESSIONS,
  hasExpressions,
  literal,
  parseTemplate,
  type Template,
} from './expressions.js'
import { lineError, lineFields, numberedLines, type NumberedLine } from './lines.js'
import {
  group,
  matchPattern,
  optionalRegex,
  refEvent,
  shaFormat,
  type Pattern,
  type RefEvent,
  type ShaFormat,
} from './rule-values.js'

export const TAG_TYPES = ['schedule', 'ref', 'semver', 'pep440', 'match', 'edge', 'raw', 'sha'] as const
export type TagType = (typeof TAG_TYPES)[number]

/** metadata-action's default priorities: the higher, the earlier the tag (the first one is the version). */
export const DEFAULT_PRIORITIES: Record<TagType, number> = {
  schedule: 1000,
  semver: 900,
  pep440: 900,
  match: 800,
  edge: 700,
  ref: 600,
  raw: 200,
  sha: 100,
}

interface RuleBase {
  /** Where the rule was written, for messages. */
  line: NumberedLine
  priority: number
  enable: Template
  /** `undefined`: the flavor's prefix/suffix applies. */
  prefix: Template | undefined
  suffix: Template | undefined
  /** Events on which the rule makes no tag; only our defaults set it. */
  skipEvents?: string[]
}

export type TagRule = RuleBase &
  (
    | { type: 'schedule'; pattern: Template }
    | {
        type: 'semver' | 'pep440'
        pattern: Template
        value: Template | undefined
        match: Pattern | undefined
        /** Our default `{{major}}` rule: a `0` tag would claim a stability 0.x does not promise. */
        skipMajorZero: boolean
      }
    | { type: 'match'; pattern: Pattern; group: number; value: Template | undefined }
    | { type: 'edge'; branch: string | undefined }
    | { type: 'ref'; event: RefEvent }
    | { type: 'raw'; value: Template }
    | { type: 'sha'; format: ShaFormat }
  )

/** A regular expression and the text it was written as (for messages). */
export interface ParsedTagRules {
  rules: TagRule[]
  /** Attributes metadata-action would silently ignore: kept working, but said out loud. */
  warnings: string[]
}

const INPUT = 'tags'
const COMMON_ATTRIBUTES = ['type', 'enable', 'priority', 'prefix', 'suffix']
const TYPE_ATTRIBUTES: Record<TagType, string[]> = {
  schedule: ['pattern'],
  semver: ['pattern', 'value', 'match'],
  pep440: ['pattern', 'value', 'match'],
  match: ['pattern', 'group', 'value'],
  edge: ['branch'],
  ref: ['event'],
  raw: ['value'],
  sha: ['format'],
}

/**
 * Used when `tags` is empty. Unlike metadata-action's defaults (schedule, branch, tag, pr), a
 * release gets semantic-version tags and every build a `sha-` tag, and no raw git-tag tag.
 * Two adjustments only the defaults carry: `{{major}}` makes no `0` tag for 0.x versions, and the
 * branch rule stays quiet on schedule runs (GITHUB_REF is the default branch there).
 */
export const DEFAULT_TAGS = [
  'type=schedule',
  'type=ref,event=branch',
  'type=ref,event=pr',
  'type=semver,pattern={{version}}',
  'type=semver,pattern={{major}}.{{minor}}',
  'type=semver,pattern={{major}}',
  'type=sha',
].join('\n')

/** The `tags` input, in the order written (our defaults when it is empty). */
export function parseTagRules(text: string): ParsedTagRules {
  const lines = numberedLines(text)
  if (lines.length === 0) return defaultRules()
  const warnings: string[] = []
  const rules = lines.map((line) => parseRule(line, warnings))
  return { rules, warnings }
}

function defaultRules(): ParsedTagRules {
  const rules = numberedLines(DEFAULT_TAGS).map((line) => {
    const rule = parseRule(line, [])
    if (rule.type === 'semver' && rule.pattern.source === '{{major}}') rule.skipMajorZero = true
    // A nightly rebuild is tagged `nightly`; it should not also move the default branch's tag.
    if (rule.type === 'ref' && rule.event === 'branch') rule.skipEvents = ['schedule']
    return rule
  })
  return { rules, warnings: [] }
}

function parseRule(line: NumberedLine, warnings: string[]): TagRule {
  const fail = (detail: string) => lineError(INPUT, line, detail)
  const attrs = attributeMap(line)
  const type = tagType(attrs.get('type') ?? 'raw', line)
  for (const key of attrs.keys()) {
    if (COMMON_ATTRIBUTES.includes(key) || TYPE_ATTRIBUTES[type].includes(key)) continue
    warnings.push(`Input "tags": line ${line.number} "${line.text}": ${ignoredAttribute(key, type)}`)
  }
  const globalTemplate = (text: string) => parseTemplate(text, GLOBAL_EXPRESSIONS, fail)
  const optionalTemplate = (key: string) => {
    const text = attrs.get(key)
    return text === undefined ? undefined : globalTemplate(text)
  }
  const base: RuleBase = {
    line,
    priority: priority(attrs.get('priority'), type, line),
    enable: enableTemplate(attrs.get('enable') ?? 'true', line),
    prefix: optionalTemplate('prefix'),
    suffix: optionalTemplate('suffix'),
  }
  switch (type) {
    case 'schedule':
      return { ...base, type, pattern: globalTemplate(attrs.get('pattern') ?? 'nightly') }
    case 'semver':
    case 'pep440':
      return {
        ...base,
        type,
        pattern: parseTemplate(
          required(attrs, 'pattern', `type=${type} needs a pattern, e.g. pattern={{version}}`, line),
          [...VERSION_EXPRESSIONS, ...GLOBAL_EXPRESSIONS],
          fail,
        ),
        value: optionalValue(attrs, globalTemplate),
        match: optionalRegex(attrs.get('match'), line),
        skipMajorZero: false,
      }
    case 'match':
      return {
        ...base,
        type,
        pattern: matchPattern(
          required(attrs, 'pattern', 'type=match needs a pattern, e.g. pattern=v(.*)', line),
          line,
        ),
        group: group(attrs.get('group') ?? '0', line),
        value: optionalValue(attrs, globalTemplate),
      }
    case 'edge':
      return { ...base, type, branch: attrs.get('branch') || undefined }
    case 'ref': {
      const event = refEvent(attrs.get('event'), line)
      // metadata-action's rule: a pull request tag reads `pr-N` unless the rule sets its own prefix.
      const prefix = base.prefix ?? (event === 'pr' ? literal('pr-') : undefined)
      return { ...base, prefix, type, event }
    }
    case 'raw': {
      const value = attrs.get('value')
      if (value === undefined) throw fail('type=raw needs a value, e.g. type=raw,value=latest or just latest')
      return { ...base, type, value: globalTemplate(value) }
    }
    case 'sha':
      return {
        ...base,
        prefix: base.prefix ?? literal('sha-'),
        type,
        format: shaFormat(attrs.get('format'), line),
      }
  }
}

/** The line's attributes; a field without `=` is the `value`. Naming one twice is a mistake, not an override. */
function attributeMap(line: NumberedLine): Map<string, string> {
  const map = new Map<string, string>()
  for (const text of lineFields(INPUT, line)) {
    const { key = 'value', value, positional } = attribute(text)
    if (map.has(key)) {
      const what = positional ? 'the value (a field without "=")' : `attribute "${key}"`
      throw lineError(INPUT, line, `${what} is given twice`)
    }
    map.set(key, value)
  }
  return map
}

// A field whose text before `=` is no attribute name is a value: `{{date 'YYYY' tz='UTC'}}` alone
// is not an attribute named `{{date 'YYYY' tz`.
function attribute(text: string): { key?: string; value: string; positional: boolean } {
  const [field] = attributes([text])
  if (field?.key === undefined || !/^[a-z][a-z0-9_-]*$/.test(field.key))
    return { value: text, positional: true }
  return { key: field.key, value: field.value, positional: false }
}

function tagType(text: string, line: NumberedLine): TagType {
  const type = TAG_TYPES.find((candidate) => candidate === text.toLowerCase())
  if (!type) throw lineError(INPUT, line, `unknown type "${text}"; expected one of ${TAG_TYPES.join(', ')}`)
  return type
}

function ignoredAttribute(key: string, type: TagType): string {
  const usable = [...COMMON_ATTRIBUTES.slice(1), ...TYPE_ATTRIBUTES[type]].join(', ')
  const known = Object.values(TYPE_ATTRIBUTES).some((keys) => keys.includes(key))
  return known
    ? `attribute "${key}" does not apply to type=${type} and is ignored (it takes ${usable})`
    : `unknown attribute "${key}" is ignored; type=${type} takes ${usable}`
}

function priority(text: string | undefined, type: TagType, line: NumberedLine): number {
  if (text === undefined) return DEFAULT_PRIORITIES[type]
  if (!/^[-+]?\d+$/.test(text)) throw lineError(INPUT, line, `priority must be a whole number, got "${text}"`)
  return Number(text)
}

/** A literal `enable` is checked now; one with expressions once they are evaluated. */
function enableTemplate(text: string, line: NumberedLine): Template {
  const template = parseTemplate(text, GLOBAL_EXPRESSIONS, (detail) => lineError(INPUT, line, detail))
  if (!hasExpressions(template)) enabledValue(text, line)
  return template
}

/** `enable` after evaluation: true/false in any case (GitHub's `${{ }}` writes lower case). */
export function enabledValue(text: string, line: NumberedLine): boolean {
  if (/^true$/i.test(text.trim())) return true
  if (/^false$/i.test(text.trim())) return false
  throw lineError(
    INPUT,
    line,
    `enable must be "true" or "false" once expressions are evaluated, got "${text}"`,
  )
}

function required(attrs: Map<string, string>, key: string, problem: string, line: NumberedLine): string {
  const value = attrs.get(key)
  if (value === undefined || value === '') throw lineError(INPUT, line, problem)
  return value
}

function optionalValue(attrs: Map<string, string>, parse: (text: string) => Template): Template | undefined {
  const value = attrs.get('value')
  return value ? parse(value) : undefined
}
