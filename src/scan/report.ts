import { countBySeverity, type Severity, type SeverityCounts } from './severity.js'

export type FindingKind = 'vulnerability' | 'secret' | 'misconfiguration'

/** One finding, whatever scanner and format it came from. */
export interface Finding {
  kind: FindingKind
  /** CVE/GHSA/… for vulnerabilities, the rule ID for secrets, the check ID (e.g. `AWS-0086`) for misconfigurations. */
  id: string
  severity: Severity
  /** What was scanned: Trivy's result target (`alpine:3.10 (alpine 3.10.9)`, `main.tf`), a file path, … */
  target: string
  package?: string
  installedVersion?: string
  /** Empty or missing when no fix is known. Trivy lists several versions as `6.0.3.1, 5.2.4.3`. */
  fixedVersion?: string
  /** The scanner's own fix-state word: Trivy `fixed`/`affected`/`will_not_fix`/… (Scout has none). */
  status?: string
  title?: string
}

export type ReportFormat = 'trivy-json' | 'sarif' | 'scout-markdown'

const FORMAT_NAMES: Record<ReportFormat, string> = {
  'trivy-json': 'Trivy JSON',
  sarif: 'SARIF',
  'scout-markdown': 'Docker Scout Markdown',
}

/** A report that was read completely. Zero findings is a real, clean result. */
export interface ScanReport {
  ok: true
  format: ReportFormat
  /** One per finding: the same CVE in two packages (or two targets) is two findings. */
  findings: Finding[]
  counts: SeverityCounts
  /** Distinct finding IDs, whatever their package or target. */
  uniqueIds: number
}

/**
 * The scan cannot be judged: the scanner failed, or its report could not be read. Never a pass.
 * Callers build one directly for a scanner that exited abnormally: `{ ok: false, message }`.
 */
export interface ScanError {
  ok: false
  message: string
}

export type ScanOutcome = ScanReport | ScanError

export function scanReport(format: ReportFormat, findings: Finding[]): ScanReport {
  return {
    ok: true,
    format,
    findings,
    counts: countBySeverity(findings),
    uniqueIds: new Set(findings.map((finding) => finding.id)).size,
  }
}

/** Thrown inside the parsers when a report is not what its format promises; never escapes them. */
export class MalformedReport extends Error {
  override name = 'MalformedReport'
}

/** Runs a parser, turning a malformed report into a ScanError; any other exception is a bug and propagates. */
export function parseOutcome(format: ReportFormat, parse: () => Finding[]): ScanOutcome {
  try {
    return scanReport(format, parse())
  } catch (error) {
    if (!(error instanceof MalformedReport)) throw error
    return { ok: false, message: `${FORMAT_NAMES[format]} report cannot be read: ${error.message}` }
  }
}
