import { MalformedReport } from './report.js'

// Reports are untrusted input: each accessor checks one value's type and names where it was,
// so "Results[2].Vulnerabilities[0].Severity is not a string" points straight at the problem.

export type JsonObject = Record<string, unknown>

export function parseJson(text: string): unknown {
  if (text.trim() === '') throw new MalformedReport('the report is empty')
  try {
    return JSON.parse(text)
  } catch (error) {
    throw new MalformedReport(`not valid JSON (${(error as Error).message}); was the file cut short?`)
  }
}

export function asObject(value: unknown, path: string): JsonObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new MalformedReport(`${path} is ${describe(value)}, expected an object`)
  }
  return value as JsonObject
}

export function asArray(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) throw new MalformedReport(`${path} is ${describe(value)}, expected an array`)
  return value
}

/** Go's encoder omits empty slices (`omitempty`) or writes `null`; both mean "none". */
export function optionalArray(value: unknown, path: string): unknown[] {
  return value === undefined || value === null ? [] : asArray(value, path)
}

export function asString(value: unknown, path: string): string {
  if (typeof value !== 'string') throw new MalformedReport(`${path} is ${describe(value)}, expected a string`)
  return value
}

/** A string that may be missing; an empty string also counts as missing. */
export function optionalString(value: unknown, path: string): string | undefined {
  if (value === undefined || value === null) return undefined
  const text = asString(value, path)
  return text === '' ? undefined : text
}

function describe(value: unknown): string {
  if (value === undefined) return 'missing'
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  return `a ${typeof value}`
}
