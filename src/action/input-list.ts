import { parse } from 'csv-parse/sync'
import semver from 'semver'
import { InputError, errorMessage } from './errors.js'

/** Reads one input as the runner passes it; `trim: false` keeps separators such as a lone space. */
export type InputReader = (name: string, options?: { trim?: boolean }) => string

/**
 * The entries of a multi-line input: one per line, blank lines and lines starting with `#`
 * dropped. A `#` later in a line is kept (a label value may contain one).
 */
export function inputLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
}

/**
 * The comma-separated fields of one line, with CSV quoting: `type=match,"pattern=\d{1,2}"`
 * keeps the comma inside the quotes. Each field is trimmed.
 */
export function csvFields(line: string, input: string): string[] {
  let records: string[][]
  try {
    records = parse(line, { relaxColumnCount: true, skipEmptyLines: true, trim: true }) as string[][]
  } catch (error) {
    throw new InputError(input, `cannot read "${line}": ${csvProblem(error)}`)
  }
  return (records[0] ?? []).filter((field) => field !== '')
}

/** The entries of a list input such as `platforms`: separated by newlines or commas. */
export function listEntries(text: string, input: string): string[] {
  return inputLines(text).flatMap((line) => csvFields(line, input))
}

export interface Attribute {
  key: string
  value: string
}

/**
 * Splits `key=value` fields at their first `=`; keys are lower-cased. A field with no `=`
 * gets `key` undefined, which callers treat as their positional value.
 */
export function attributes(fields: string[]): Array<Attribute | { key: undefined; value: string }> {
  return fields.map((field) => {
    const at = field.indexOf('=')
    if (at <= 0) return { key: undefined, value: field }
    return { key: field.slice(0, at).trim().toLowerCase(), value: field.slice(at + 1).trim() }
  })
}

/** `true`/`false` in any case, as the runner's own boolean inputs accept them. */
export function parseBoolean(text: string, input: string): boolean {
  if (/^true$/i.test(text)) return true
  if (/^false$/i.test(text)) return false
  throw new InputError(input, `expected "true" or "false", got "${text}"`)
}

/** A boolean input that may be left empty, which means `fallback`. */
export function optionalBoolean(text: string, input: string, fallback: boolean): boolean {
  const value = text.trim()
  return value === '' ? fallback : parseBoolean(value, input)
}

/**
 * A tool's version input (`trivy-version`…): one release (`0.74.0` or `v0.74.0`), never a range,
 * so that what runs is what was asked for. Empty means the pinned `fallback`.
 */
export function releaseVersion(text: string, input: string, tool: string, fallback: string): string {
  const raw = text.trim()
  if (raw === '') return fallback
  const version = semver.valid(raw.replace(/^v/, ''))
  if (version === null) {
    throw new InputError(input, `"${raw}" is not a ${tool} release version such as ${fallback}`)
  }
  return version
}

function csvProblem(error: unknown): string {
  const message = errorMessage(error)
  if (/quote/i.test(message)) return 'a quote is not closed (wrap a value containing commas in double quotes)'
  return message
}
