import { parse as parseHandlebars } from 'handlebars/dist/cjs/handlebars/compiler/base.js'
import moment from 'moment-timezone'
import { errorMessage } from '../action/errors.js'

/**
 * `{{…}}` expressions as metadata-action writes them (`{{branch}}`, `{{date 'YYYYMMDD' tz='Asia/Tokyo'}}`).
 * Handlebars only parses (so spacing, `{{~ ~}}`, `\{{` and comments behave exactly as there); we
 * evaluate the small tree ourselves. That lets every mistake be found when the input is read —
 * an unknown name, an unquoted date format, an unknown time zone — instead of rendering as empty
 * text, and nothing is HTML-escaped (Handlebars would turn `&` in a branch name into `&amp;`).
 */

export interface Expression {
  name: string
  params: string[]
  hash: Record<string, string>
}

/** Literal text or one expression. */
export type TemplatePart = string | Expression

export interface Template {
  source: string
  parts: TemplatePart[]
}

/** Evaluates one expression; its arguments were checked when the template was parsed. */
export type Helper = (expression: Expression) => string
export type Scope = Readonly<Record<string, Helper>>

/** Usable in tag values, prefixes, suffixes, `enable`, schedule patterns, labels and annotations. */
export const GLOBAL_EXPRESSIONS = [
  'branch',
  'tag',
  'sha',
  'base_ref',
  'is_default_branch',
  'is_not_default_branch',
  'date',
  'commit_date',
] as const

/** Additionally usable in `type=semver` and `type=pep440` patterns. */
export const VERSION_EXPRESSIONS = ['raw', 'version', 'major', 'minor', 'patch'] as const

const DATE_EXPRESSIONS = new Set(['date', 'commit_date'])

/** Builds the error for the place the template came from (input, line). */
export type Fail = (detail: string) => Error

/** Parses `source` and checks every expression against the names usable where it appears. */
export function parseTemplate(source: string, allowed: readonly string[], fail: Fail): Template {
  if (!source.includes('{{')) return { source, parts: source === '' ? [] : [source] }
  if (/\{\{(?![^]*\}\})/.test(source)) throw fail(`"{{" is not closed by "}}" in "${source}"`)
  let program: hbs.AST.Program
  try {
    program = parseHandlebars(source)
  } catch (error) {
    throw fail(`cannot read the {{…}} expressions in "${source}" (${parseProblem(error)})`)
  }
  const parts = program.body.flatMap((statement) => templatePart(statement, allowed, fail))
  return { source, parts }
}

/** A template with no expressions: used for values our own code supplies. */
export function literal(text: string): Template {
  return { source: text, parts: text === '' ? [] : [text] }
}

export function hasExpressions(template: Template): boolean {
  return template.parts.some((part) => typeof part !== 'string')
}

/** True when the template is exactly `{{name}}` (metadata-action's test for a `{{raw}}` pattern). */
export function isOnly(template: Template, name: string): boolean {
  const [only, ...rest] = template.parts
  return rest.length === 0 && only !== undefined && typeof only !== 'string' && only.name === name
}

export function render(template: Template, scope: Scope): string {
  return template.parts
    .map((part) => {
      if (typeof part === 'string') return part
      const helper = scope[part.name]
      // Parsing only lets through names the caller's scope provides; reaching this is our bug.
      if (!helper) throw new Error(`no value for {{${part.name}}} here`)
      return helper(part)
    })
    .join('')
}

/** `{{date}}`/`{{commit_date}}` for one instant: moment format, UTC unless `tz` names a zone. */
export function dateHelper(date: Date): Helper {
  return ({ params, hash }) =>
    moment(date)
      .tz(hash.tz ?? 'UTC')
      .format(params[0])
}

function templatePart(statement: hbs.AST.Statement, allowed: readonly string[], fail: Fail): TemplatePart[] {
  switch (statement.type) {
    case 'ContentStatement':
      return [(statement as hbs.AST.ContentStatement).value]
    case 'CommentStatement':
      return []
    case 'MustacheStatement':
      return [expression(statement as hbs.AST.MustacheStatement, allowed, fail)]
    default:
      throw fail(
        `${describe(statement)} is not supported; only simple expressions such as {{branch}} or {{date 'YYYYMMDD'}}`,
      )
  }
}

function expression(
  statement: hbs.AST.MustacheStatement,
  allowed: readonly string[],
  fail: Fail,
): Expression {
  const path = statement.path
  // `{{'text'}}` has a literal where the name goes; it is no name we know either.
  const name = 'original' in path ? String(path.original) : path.type
  if (!allowed.includes(name)) {
    throw fail(`unknown expression {{${name}}}; expected one of ${allowed.map((n) => `{{${n}}}`).join(', ')}`)
  }
  const params = statement.params.map((param) => stringLiteral(param))
  const hashPairs = statement.hash?.pairs ?? []
  if (!DATE_EXPRESSIONS.has(name)) {
    if (params.length > 0 || hashPairs.length > 0) throw fail(`{{${name}}} takes no arguments`)
    return { name, params: [], hash: {} }
  }
  return { name, ...dateArguments(name, params, hashPairs, fail) }
}

function dateArguments(
  name: string,
  params: Array<string | undefined>,
  hashPairs: hbs.AST.HashPair[],
  fail: Fail,
): Pick<Expression, 'params' | 'hash'> {
  const example = `{{${name} 'YYYYMMDD' tz='Europe/Paris'}}`
  const [format, ...extra] = params
  if (params.length === 0) throw fail(`{{${name}}} needs a date format in single quotes, e.g. ${example}`)
  if (extra.length > 0) throw fail(`{{${name}}} takes one date format, got ${params.length}; e.g. ${example}`)
  if (format === undefined)
    throw fail(`the date format of {{${name}}} must be in single quotes, e.g. ${example}`)
  if (format.trim() === '') throw fail(`the date format of {{${name}}} is empty; e.g. ${example}`)
  const hash: Record<string, string> = {}
  for (const pair of hashPairs) {
    if (pair.key !== 'tz') throw fail(`{{${name}}} takes only tz='<time zone>', not "${pair.key}"`)
    const zone = stringLiteral(pair.value)
    if (zone === undefined)
      throw fail(`the time zone of {{${name}}} must be in single quotes, e.g. ${example}`)
    if (moment.tz.zone(zone) === null) {
      throw fail(
        `unknown time zone "${zone}" in {{${name}}}; expected an IANA name such as UTC or Asia/Tokyo`,
      )
    }
    hash.tz = zone
  }
  return { params: [format], hash }
}

function stringLiteral(node: hbs.AST.Expression): string | undefined {
  return node.type === 'StringLiteral' ? (node as hbs.AST.StringLiteral).value : undefined
}

function describe(statement: hbs.AST.Statement): string {
  switch (statement.type) {
    case 'BlockStatement':
      return 'a {{#…}} block'
    case 'PartialStatement':
    case 'PartialBlockStatement':
      return 'a {{> …}} partial'
    default:
      return `a ${statement.type}`
  }
}

// Handlebars' message shows the source with a caret, then "Expecting …, got …": keep the last line.
function parseProblem(error: unknown): string {
  const message = errorMessage(error)
  const lines = message.split('\n').filter((line) => line.trim() !== '')
  return lines[lines.length - 1] ?? message
}
