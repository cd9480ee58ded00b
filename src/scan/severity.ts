/** Trivy's five severity words; every scanner's vocabulary is mapped onto these. */
export type Severity = 'CRITICAL' | 'HIGH' | 'MEDIUM' | 'LOW' | 'UNKNOWN'

/** Most severe first: the order of summary columns and of sorted findings. */
export const SEVERITIES: readonly Severity[] = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'UNKNOWN']

/** What blocks a push when the workflow says nothing (Trivy's own default is every severity). */
export const DEFAULT_BLOCKING_SEVERITIES: readonly Severity[] = ['CRITICAL', 'HIGH']

export type SeverityCounts = Record<Severity, number>

export function isSeverity(word: string): word is Severity {
  return (SEVERITIES as readonly string[]).includes(word)
}

/** 0 for CRITICAL … 4 for UNKNOWN, so sorting ascending puts the worst first. */
export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity)
}

export function zeroCounts(): SeverityCounts {
  return { CRITICAL: 0, HIGH: 0, MEDIUM: 0, LOW: 0, UNKNOWN: 0 }
}

export function countBySeverity(items: Iterable<{ severity: Severity }>): SeverityCounts {
  const counts = zeroCounts()
  for (const item of items) counts[item.severity] += 1
  return counts
}

/** The worst of several severities; UNKNOWN ranks below LOW (it says nothing about impact). */
export function highestSeverity(severities: Iterable<Severity>): Severity | undefined {
  let highest: Severity | undefined
  for (const severity of severities) {
    if (highest === undefined || severityRank(severity) < severityRank(highest)) highest = severity
  }
  return highest
}
