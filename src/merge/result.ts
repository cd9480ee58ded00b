import { InputError } from '../action/errors.js'

/**
 * The `result` output of a `stage: platform` leg, and the `results` input of `stage: merge`: what
 * one leg built, how its scan went and where it pushed it, as one line of JSON. Pure.
 */

export const RESULT_VERSION = 1

/** One platform image of a leg: its manifest digest and how its scan went. */
export interface LegPlatform {
  /** `os/arch[/variant]`. */
  platform: string
  /** The platform's image manifest digest, as the index of the leg lists it. */
  digest: string
  /** The scan result of this platform: passed, failed (let through by scan-fail: false), skipped. */
  scan: string
  /** Per severity, after ignores; null when nothing was counted (no scan). */
  vulnerabilities: Record<string, number> | null
}

export interface LegResult {
  version: typeof RESULT_VERSION
  /** The image names (no tag) the leg pushed its digest to. */
  images: string[]
  /** The digest of what the leg built: its index (or lone manifest). */
  digest: string
  /** Whether the digest is in every image; false when the run pushes nothing (fork pull request, push: false). */
  pushed: boolean
  platforms: LegPlatform[]
  /** `passed`, or `overridden`: blocking findings let through by `scan-fail: false`. */
  gate: 'passed' | 'overridden'
  /** GITHUB_SHA and GITHUB_RUN_ID of the run that built it. */
  commit: string
  run: string
}

/** The leg's `result` output: one line. */
export function formatResult(result: LegResult): string {
  return JSON.stringify(result)
}

/**
 * The `results` input, in any of the three shapes a workflow can hand over:
 * - `${{ toJSON(needs.<job>.outputs) }}`: an object whose values are result strings (`result_0`,
 *   `result_1`…); empty values (a leg that wrote none) are skipped, so the platform check names what is missing;
 * - a JSON array of result strings or objects;
 * - one result per line.
 * A lone result object is read as one result. Throws InputError naming what is wrong.
 */
export function parseResults(text: string): LegResult[] {
  const trimmed = text.trim()
  if (trimmed === '') throw new InputError('results', 'stage "merge" needs the results of the platform legs')
  const whole = tryJson(trimmed)
  if (Array.isArray(whole)) return whole.map(asArrayEntry)
  if (isRecord(whole)) return 'version' in whole ? [checkResult(whole, 'the result')] : outputsObject(whole)
  return trimmed
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .map((line, index) => checkResult(parseJson(line, `line ${index + 1}`), `line ${index + 1}`))
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown
  } catch {
    return undefined
  }
}

function outputsObject(parsed: Record<string, unknown>): LegResult[] {
  return Object.entries(parsed)
    .filter(([, value]) => value !== '' && value !== null)
    .map(([key, value]) => {
      if (typeof value !== 'string') throw new InputError('results', `"${key}" is not a result string`)
      return checkResult(parseJson(value, `"${key}"`), `"${key}"`)
    })
}

function asArrayEntry(entry: unknown, index: number): LegResult {
  const where = `entry ${index + 1}`
  return checkResult(typeof entry === 'string' ? parseJson(entry, where) : entry, where)
}

function parseJson(text: string, where: string): unknown {
  try {
    return JSON.parse(text) as unknown
  } catch {
    throw new InputError('results', `${where} is not JSON: expected a leg's "result" output`)
  }
}

const PLATFORM = /^[a-z0-9_.-]+\/[a-z0-9_.-]+(?:\/[a-z0-9_.-]+)?$/i
const SCAN_RESULT = /^(?:passed|failed|error|skipped)$/
const DIGEST = /^sha(256:[a-f0-9]{64}|512:[a-f0-9]{128})$/

/** Checks the shape of one result, field by field; the messages name the field. */
function checkResult(value: unknown, where: string): LegResult {
  const bad = (detail: string): InputError => new InputError('results', `${where}: ${detail}`)
  if (!isRecord(value)) throw bad('expected a leg\'s "result" output (a JSON object)')
  if (value.version !== RESULT_VERSION)
    throw bad(
      `version ${JSON.stringify(value.version)} is not ${RESULT_VERSION}: legs and merge must use the same action version`,
    )
  const strings = (name: string): string[] => {
    const list = value[name]
    if (!Array.isArray(list) || list.length === 0 || list.some((item) => typeof item !== 'string'))
      throw bad(`"${name}" must be a non-empty list of strings`)
    return list as string[]
  }
  const text = (name: string, record: Record<string, unknown> = value): string => {
    if (typeof record[name] !== 'string' || record[name] === '')
      throw bad(`"${name}" must be a non-empty string`)
    return record[name]
  }
  const digest = (record: Record<string, unknown>): string => {
    const found = text('digest', record)
    if (!DIGEST.test(found)) throw bad(`"${found}" is not a digest`)
    return found
  }
  // Platforms and scan results reach the log and the summary's table: only the shapes they can have.
  const matching = (found: string, pattern: RegExp, what: string): string => {
    if (!pattern.test(found)) throw bad(`"${found}" is not ${what}`)
    return found
  }
  if (typeof value.pushed !== 'boolean') throw bad('"pushed" must be true or false')
  if (value.gate !== 'passed' && value.gate !== 'overridden')
    throw bad('"gate" must be "passed" or "overridden"')
  if (!Array.isArray(value.platforms) || value.platforms.length === 0)
    throw bad('"platforms" must list the platforms built')
  const platforms = value.platforms.map((entry: unknown): LegPlatform => {
    if (!isRecord(entry)) throw bad('each platform must be an object')
    const counts = entry.vulnerabilities
    const isCount = (count: unknown): boolean => Number.isInteger(count) && (count as number) >= 0
    if (counts !== null && (!isRecord(counts) || !Object.values(counts).every(isCount)))
      throw bad('"vulnerabilities" must be null or counts per severity')
    return {
      platform: matching(text('platform', entry), PLATFORM, 'a platform (os/arch[/variant])'),
      digest: digest(entry),
      scan: matching(text('scan', entry), SCAN_RESULT, 'a scan result (passed, failed, error, skipped)'),
      vulnerabilities: counts as Record<string, number> | null,
    }
  })
  return {
    version: RESULT_VERSION,
    images: strings('images'),
    digest: digest(value),
    pushed: value.pushed,
    platforms,
    gate: value.gate,
    commit: text('commit'),
    run: text('run'),
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** What a leg knows when it writes its result. */
export interface LegFacts {
  images: string[]
  digest: string
  pushed: boolean
  /** The built platforms and their manifest digests, in the layout's order. */
  platforms: Array<{ platform: string; digest: string }>
  /** The scan stage's result and, per platform, the gate's verdict (none when the scan was skipped). */
  scan: {
    result: string
    perPlatform?: Record<string, { result: string; counts?: Record<string, number> }>
  }
  commit: string
  run: string
}

/** The leg's result; written only once its gate let it through (a failed gate writes none). */
export function legResult(facts: LegFacts): LegResult {
  return {
    version: RESULT_VERSION,
    images: [...new Set(facts.images)],
    digest: facts.digest,
    pushed: facts.pushed,
    platforms: facts.platforms.map(({ platform, digest }) => {
      const judged = facts.scan.perPlatform?.[platform]
      return {
        platform,
        digest,
        scan: judged?.result ?? facts.scan.result,
        vulnerabilities: judged?.counts ?? null,
      }
    }),
    gate: facts.scan.result === 'failed' ? 'overridden' : 'passed',
    commit: facts.commit,
    run: facts.run,
  }
}
