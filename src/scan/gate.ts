import type { Finding, ScanOutcome } from './report.js'
import {
  countBySeverity,
  DEFAULT_BLOCKING_SEVERITIES,
  severityRank,
  type Severity,
  type SeverityCounts,
} from './severity.js'
import type { IgnoreEntry } from './trivyignore.js'

export interface GateOptions {
  /** Severities that block the push; CRITICAL and HIGH when not given. */
  severities?: readonly Severity[]
  /** Waive vulnerabilities that have no fix yet, like Trivy's `--ignore-unfixed`. */
  ignoreUnfixed?: boolean
  /** IDs to waive, from a `.trivyignore` (parseTrivyIgnore) or a plain list. */
  ignore?: readonly IgnoreEntry[]
  /** Decides which ignore entries have expired; passed in so the verdict is reproducible. */
  now: Date
}

/** What the gate makes of one finding. */
export type Disposition = 'blocking' | 'reported' | 'ignored' | 'unfixed'

export type PlatformVerdict =
  | {
      result: 'passed' | 'failed'
      /** Every severity, after ignores: the row of the summary table. */
      counts: SeverityCounts
      blocking: Finding[]
      /** Findings waived by an ignore entry, and (with ignoreUnfixed) for having no fix. */
      waived: { ignored: number; unfixed: number }
    }
  | { result: 'error'; message: string }

/** A blocking finding, merged across the platforms it was found on. */
export interface BlockingFinding extends Finding {
  platforms: string[]
}

export interface GateVerdict {
  /**
   * `error` wins over `failed`: a verdict that tolerates `failed` (a report-only mode, say) must
   * still stop when some platform could not be judged at all.
   */
  result: 'passed' | 'failed' | 'error'
  perPlatform: Record<string, PlatformVerdict>
  /** Worst first; within a severity, findings with a fixed version first (the actionable ones). */
  blocking: BlockingFinding[]
  /** Ignore entries past their expiry, which therefore waived nothing: worth telling the user. */
  expiredIgnores: IgnoreEntry[]
}

/**
 * Decides whether the scanned platforms may be pushed. Keys of `scans` are platforms
 * (`linux/arm64`); a ScanError for any of them makes the verdict `error`, never `passed`.
 */
export function evaluateGate(
  scans: Readonly<Record<string, ScanOutcome>>,
  options: GateOptions,
): GateVerdict {
  const platforms = Object.keys(scans)
  if (platforms.length === 0) throw new Error('The scan gate was given no platform to judge')
  const dispose = findingDisposition(options)
  const perPlatform: Record<string, PlatformVerdict> = {}
  for (const platform of platforms) perPlatform[platform] = judgePlatform(scans[platform], dispose)
  const verdicts = Object.values(perPlatform)
  const result = verdicts.some((verdict) => verdict.result === 'error')
    ? 'error'
    : verdicts.some((verdict) => verdict.result === 'failed')
      ? 'failed'
      : 'passed'
  return {
    result,
    perPlatform,
    blocking: mergeBlocking(perPlatform),
    expiredIgnores: (options.ignore ?? []).filter((entry) => isExpired(entry, options.now)),
  }
}

/**
 * The rule applied to each finding, shared with the code-scanning SARIF filter so both agree.
 * An ignore entry matches the finding ID exactly, as in Trivy.
 */
export function findingDisposition(options: GateOptions): (finding: Finding) => Disposition {
  const severities = new Set(options.severities ?? DEFAULT_BLOCKING_SEVERITIES)
  if (severities.size === 0) throw new RangeError('The scan gate needs at least one blocking severity')
  const ignored = new Set(
    (options.ignore ?? []).filter((entry) => !isExpired(entry, options.now)).map((entry) => entry.id),
  )
  return (finding) => {
    if (ignored.has(finding.id)) return 'ignored'
    if (options.ignoreUnfixed && isUnfixed(finding)) return 'unfixed'
    return severities.has(finding.severity) ? 'blocking' : 'reported'
  }
}

/**
 * Trivy's `--ignore-unfixed` waives every vulnerability whose Status is not `fixed`. Reports
 * without a status (SARIF, Trivy before statuses existed) fall back on whether a fixed version is named. Secrets and misconfigurations have no fix
 * version, and Trivy never waives them this way.
 */
export function isUnfixed(finding: Finding): boolean {
  if (finding.kind !== 'vulnerability') return false
  return finding.status !== undefined ? finding.status !== 'fixed' : finding.fixedVersion === undefined
}

/** Trivy's rule: an entry expires when its date is before now (`ExpiredAt.Before(now)`). */
function isExpired(entry: IgnoreEntry, now: Date): boolean {
  return entry.expiresAt !== undefined && entry.expiresAt.getTime() < now.getTime()
}

function judgePlatform(
  scan: ScanOutcome | undefined,
  dispose: (finding: Finding) => Disposition,
): PlatformVerdict {
  if (scan === undefined) return { result: 'error', message: 'no scan result' }
  if (!scan.ok) return { result: 'error', message: scan.message }
  const kept: Finding[] = []
  const blocking: Finding[] = []
  const waived = { ignored: 0, unfixed: 0 }
  for (const finding of scan.findings) {
    const disposition = dispose(finding)
    if (disposition === 'ignored' || disposition === 'unfixed') {
      waived[disposition] += 1
      continue
    }
    kept.push(finding)
    if (disposition === 'blocking') blocking.push(finding)
  }
  blocking.sort(worstFirst)
  return {
    result: blocking.length > 0 ? 'failed' : 'passed',
    counts: countBySeverity(kept),
    blocking,
    waived,
  }
}

/** The same package finding on several platforms is one line of the summary, naming them all. */
function mergeBlocking(perPlatform: Record<string, PlatformVerdict>): BlockingFinding[] {
  const merged = new Map<string, BlockingFinding>()
  for (const [platform, verdict] of Object.entries(perPlatform)) {
    if (verdict.result === 'error') continue
    for (const finding of verdict.blocking) {
      const key = JSON.stringify([
        finding.kind,
        finding.id,
        finding.package,
        finding.installedVersion,
        finding.fixedVersion,
      ])
      const existing = merged.get(key)
      if (existing === undefined) merged.set(key, { ...finding, platforms: [platform] })
      else if (!existing.platforms.includes(platform)) existing.platforms.push(platform)
    }
  }
  return [...merged.values()].sort(worstFirst)
}

function worstFirst(a: Finding, b: Finding): number {
  return (
    severityRank(a.severity) - severityRank(b.severity) ||
    Number(a.fixedVersion === undefined) - Number(b.fixedVersion === undefined) ||
    compare(a.id, b.id) ||
    compare(a.package ?? '', b.package ?? '')
  )
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
