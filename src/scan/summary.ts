import type { GateVerdict, PlatformVerdict } from './gate.js'
import type { ScanInputs } from './inputs.js'
import { SEVERITIES, type SeverityCounts } from './severity.js'

/** The `scan-result` output. `skipped`: `scanner: none`. */
export type ScanResult = 'passed' | 'failed' | 'error' | 'skipped'

/** The `vulnerabilities` output: per platform, per severity, after ignores; null where the scan failed. */
export type VulnerabilityCounts = Record<string, SeverityCounts | null>

/**
 * Whether the scanned image may be pushed. `failed` blocks unless `scan-fail` is false;
 * `error` always blocks: an image that could not be scanned is never pushed, whatever `scan-fail` says.
 */
export function scanAllowsPush(result: ScanResult, scanFail: boolean): boolean {
  if (result === 'passed' || result === 'skipped') return true
  if (result === 'failed') return !scanFail
  return false
}

export function vulnerabilityCounts(verdict: GateVerdict): VulnerabilityCounts {
  return Object.fromEntries(
    Object.entries(verdict.perPlatform).map(([platform, judged]) => [
      platform,
      judged.result === 'error' ? null : judged.counts,
    ]),
  )
}

export interface ScanSummaryInput {
  result: ScanResult
  inputs: Pick<ScanInputs, 'severities' | 'ignoreUnfixed' | 'scanFail' | 'trivyignores' | 'vex'>
  verdict?: GateVerdict
  /** What stopped the stage before the gate could judge (install, layout, …). */
  error?: string
  /** The scanner and its version: `Trivy 0.74.0`, `Docker Scout 1.23.0`. */
  scannerLabel?: string
  /** Per platform, the scanner's own report for people (Scout's Markdown), shown collapsed. */
  readable?: Readonly<Record<string, string>>
  /** Ignore-file problems, SARIF truncation, …: shown as a list. */
  warnings?: readonly string[]
  /** How many blocking findings are listed; the rest are counted. */
  maxFindings?: number
}

const HEADINGS: Record<ScanResult, string> = {
  passed: '✅ passed',
  failed: '❌ failed',
  error: '⚠️ error',
  skipped: '⏭️ skipped',
}

/** The scan's section of the job summary, as Markdown. Pure: the same input gives the same text. */
export function renderScanSummary(input: ScanSummaryInput): string {
  const lines = [`### Vulnerability scan: ${HEADINGS[input.result]}`, '']
  if (input.result === 'skipped') {
    lines.push('No scan: the `scanner` input is `none`.')
    return lines.join('\n') + '\n'
  }
  lines.push(settingsLine(input), '', consequence(input.result, input.inputs.scanFail), '')
  if (input.verdict !== undefined) lines.push(...platformTable(input.verdict), '')
  const errors = errorMessages(input)
  if (errors.length > 0) lines.push('#### Why the scan could not be judged', '', errors.join('\n\n'), '')
  if (input.verdict !== undefined && input.verdict.blocking.length > 0) {
    lines.push(...blockingTable(input.verdict, input.maxFindings ?? 20), '')
  }
  const notes = [
    ...(input.verdict?.expiredIgnores ?? []).map(
      (entry) =>
        `Ignore entry ${code(entry.id)}${entry.line === undefined ? '' : ` (line ${entry.line})`} expired on ` +
        `${entry.expiresAt?.toISOString().slice(0, 10) ?? '?'} and waives nothing any more`,
    ),
    ...(input.warnings ?? []),
  ]
  if (notes.length > 0) lines.push('#### Notes', '', ...notes.map((note) => `- ${oneLine(note)}`), '')
  for (const [platform, report] of Object.entries(input.readable ?? {})) {
    lines.push(...readableReport(platform, report), '')
  }
  return lines.join('\n').replace(/\n+$/, '\n')
}

function settingsLine(input: ScanSummaryInput): string {
  const { severities, ignoreUnfixed, trivyignores, vex } = input.inputs
  const parts = [
    input.scannerLabel ?? 'Trivy',
    `blocking severities: ${severities.join(', ')}`,
    `ignore-unfixed: ${ignoreUnfixed ? 'on' : 'off'}`,
    ...(trivyignores.length > 0 ? [`ignore files: ${trivyignores.map(code).join(', ')}`] : []),
    // Trivy drops what these waive before the gate sees it: the counts cannot show it, this line does.
    ...(vex.length > 0 ? [`VEX applied by Trivy: ${vex.map(code).join(', ')}`] : []),
  ]
  return parts.join(' · ')
}

function consequence(result: ScanResult, scanFail: boolean): string {
  if (result === 'passed') return 'No finding blocks the push.'
  if (result === 'error') {
    return '**Nothing is pushed**: at least one platform could not be scanned, and an image that was not scanned is never pushed.'
  }
  return scanFail
    ? '**Nothing is pushed**: blocking findings below.'
    : '**The push is not blocked** (`scan-fail: false`): the blocking findings below are reported only.'
}

function platformTable(verdict: GateVerdict): string[] {
  const header = `| Platform | Result | ${SEVERITIES.map(title).join(' | ')} | Waived |`
  const rule = `| --- | --- | ${SEVERITIES.map(() => '---:').join(' | ')} | ---: |`
  const rows = Object.entries(verdict.perPlatform).map(([platform, judged]) => platformRow(platform, judged))
  return [header, rule, ...rows]
}

function platformRow(platform: string, judged: PlatformVerdict): string {
  if (judged.result === 'error') {
    return `| ${cell(platform)} | ${HEADINGS.error} | ${SEVERITIES.map(() => '–').join(' | ')} | – |`
  }
  const waived = judged.waived.ignored + judged.waived.unfixed
  return `| ${cell(platform)} | ${HEADINGS[judged.result]} | ${SEVERITIES.map((s) => judged.counts[s]).join(' | ')} | ${waived} |`
}

function blockingTable(verdict: GateVerdict, max: number): string[] {
  const shown = verdict.blocking.slice(0, max)
  const rest = verdict.blocking.length - shown.length
  return [
    `#### Blocking findings${rest > 0 ? ` (the ${shown.length} worst of ${verdict.blocking.length})` : ''}`,
    '',
    '| Severity | ID | Package | Installed | Fixed in | Platforms |',
    '| --- | --- | --- | --- | --- | --- |',
    ...shown.map(
      (finding) =>
        `| ${finding.severity} | ${cell(code(finding.id))} | ${cell(finding.package ?? finding.target)} | ` +
        `${cell(finding.installedVersion ?? '')} | ${cell(finding.fixedVersion ?? 'no fix yet')} | ` +
        `${cell(finding.platforms.join(', '))} |`,
    ),
  ]
}

/** GitHub takes 1 MiB of summary per step; one platform's report gets at most this much of it. */
export const READABLE_REPORT_LIMIT = 64 * 1024

/**
 * The scanner's report, collapsed, as a code block: its HTML and any `::` line stay text (the
 * vulnerability descriptions in it come from public databases), and the fence is longer than any
 * run of backticks inside, so the report cannot close it.
 */
function readableReport(platform: string, report: string): string[] {
  const cut = report.length > READABLE_REPORT_LIMIT
  const text = cut ? report.slice(0, READABLE_REPORT_LIMIT) : report
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((match) => match[0].length))
  const fence = '`'.repeat(Math.max(3, longest + 1))
  return [
    `<details><summary>Scanner report for ${escapeHtml(platform)}${cut ? ' (cut at 64 KiB)' : ''}</summary>`,
    '',
    `${fence}markdown`,
    text.replace(/\n+$/, ''),
    fence,
    '',
    '</details>',
  ]
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c)
}

function errorMessages(input: ScanSummaryInput): string[] {
  const messages = Object.entries(input.verdict?.perPlatform ?? {}).flatMap(([platform, judged]) =>
    judged.result === 'error' ? [`**${platform}**: ${judged.message}`] : [],
  )
  if (input.error !== undefined) messages.unshift(input.error)
  return messages.map((message) => fenced(message))
}

/** A message that may span lines (a stderr tail), as a quoted block that Markdown cannot break out of. */
function fenced(message: string): string {
  return message
    .split('\n')
    .map((line) => `> ${line.replace(/[<>]/g, (c) => (c === '<' ? '&lt;' : '&gt;'))}`)
    .join('\n')
}

function title(severity: string): string {
  return severity.charAt(0) + severity.slice(1).toLowerCase()
}

function cell(text: string): string {
  return oneLine(text).replace(/\|/g, '\\|')
}

function code(text: string): string {
  return `\`${text.replace(/`/g, "'")}\``
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ')
}
