import { mkdir, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { errorMessage } from '../action/errors.js'
import { codeScanningSarif } from './code-scanning.js'
import { evaluateGate, type GateVerdict } from './gate.js'
import type { ScanInputs } from './inputs.js'
import { writePlatformLayouts } from './platform-layouts.js'
import type { ScannedPlatform } from './scanned-platforms.js'
import { prepareScanner, type PreparationOptions, type ScannerPreparation } from './preparation.js'
import type { ScannerResult } from './scanner.js'
import { renderScanSummary, type ScanResult, scanAllowsPush, vulnerabilityCounts } from './summary.js'
import type { VulnerabilityCounts } from './summary.js'
import type { ScanFiles } from './scan-files.js'
import { checkSarifDestination } from './sarif-destination.js'
import type { IgnoreEntry } from './trivyignore.js'

/** The scanner's own options (preparation.ts), and the stage's. */
export interface ScanStageOptions extends PreparationOptions {
  log: (message: string) => void
  /** Relative `trivyignores`, `vex` and `sarif` paths are resolved against it (GITHUB_WORKSPACE); cwd by default. */
  workspace?: string
  /** Category of the code-scanning SARIF runs (`<category>/<platform>/`). */
  sarifCategory?: string
  /** Also write a CycloneDX SBOM of each platform layout (for the `cyclonedx` attestation; Trivy only). */
  sbom?: boolean
}

export interface ScanStageOutcome {
  /** The `scan-result` output. */
  result: ScanResult
  /** Whether the gate lets the push go on (`failed` with `scan-fail: false` does; `error` never does). */
  pushAllowed: boolean
  verdict?: GateVerdict
  /** The code-scanning SARIF (the `sarif-file` output), when `sarif` asked for one and it was written. */
  sarifFile?: string
  /** The `vulnerabilities` output (JSON.stringify it). */
  vulnerabilities: VulnerabilityCounts
  /** For core.summary.addRaw. */
  summaryMarkdown: string
  /** For core.warning: ignore-file lines dropped, SARIF trimmed or not written, expired ignores. */
  warnings: string[]
  /** Every platform whose Trivy JSON report was read, for its attestations (none with Scout or `scanner: none`). */
  platforms?: ScannedPlatform[]
  /** Why the result is `error`, in one message (for core.error / setFailed). */
  errorMessage?: string
}

/**
 * Scans every platform of the built OCI layout at `layoutDir` and judges the findings with the
 * gate, with the ignore and VEX files `readScanFiles` read before the build, and the scanner
 * `prepareScanner` started with the build (or now, when none was started). Never pushes anything: the
 * caller pushes only when `pushAllowed`. Any failure of the stage (install, layout, scan) is a
 * result of `error`, which never allows the push.
 */
export async function scanBuiltImage(
  layoutDir: string,
  inputs: ScanInputs,
  files: ScanFiles,
  options: ScanStageOptions,
  preparation = prepareScanner(inputs, options),
): Promise<ScanStageOutcome> {
  // prepareScanner starts none for `scanner: none`.
  if (preparation === undefined) {
    const summaryMarkdown = renderScanSummary({ result: 'skipped', inputs })
    return { result: 'skipped', pushAllowed: true, vulnerabilities: {}, summaryMarkdown, warnings: [] }
  }
  const workspace = options.workspace ?? process.cwd()
  const { ignores, vexFiles } = files
  const warnings = [...ignores.warnings]
  let judged: { verdict: GateVerdict; scanned: ScannerResult }
  try {
    judged = await scanAndJudge(
      layoutDir,
      inputs,
      preparation,
      { ignore: ignores.entries, vexFiles },
      options,
    )
  } catch (error) {
    return stageError(`The scan did not run to the end: ${errorMessage(error)}`, inputs, warnings)
  }
  const sarifFile =
    inputs.sarif === undefined
      ? undefined
      : await writeCodeScanningSarif(judged.scanned, inputs, ignores.entries, options, workspace, warnings)
  return {
    ...judgedOutcome(judged.verdict, inputs, sarifFile, warnings, judged.scanned),
    platforms: judged.scanned.platforms,
  }
}

/** The stage could not judge at all (Trivy not installed, layout unreadable…): never a push. */
function stageError(errorMessage: string, inputs: ScanInputs, warnings: string[]): ScanStageOutcome {
  return {
    result: 'error',
    pushAllowed: false,
    vulnerabilities: {},
    summaryMarkdown: renderScanSummary({
      result: 'error',
      inputs,
      error: errorMessage,
      warnings,
      scannerLabel: pinnedScanner(inputs),
    }),
    warnings,
    errorMessage,
  }
}

/** The scanner the inputs ask for, for a summary written before it said its own version. */
function pinnedScanner(inputs: ScanInputs): string {
  return inputs.scanner === 'scout' ? `Docker Scout ${inputs.scoutVersion}` : `Trivy ${inputs.trivyVersion}`
}

/** What main.ts gets from a verdict: the push decision, the outputs and the summary. */
export function judgedOutcome(
  verdict: GateVerdict,
  inputs: ScanInputs,
  sarifFile: string | undefined,
  warnings: readonly string[],
  scanned?: Pick<ScannerResult, 'label' | 'readable'>,
): ScanStageOutcome {
  const summaryMarkdown = renderScanSummary({
    result: verdict.result,
    inputs,
    verdict,
    scannerLabel: scanned?.label ?? pinnedScanner(inputs),
    warnings,
    readable: scanned?.readable ?? {},
  })
  // The summary lists expired entries itself; the log gets them as warnings too.
  const expired = verdict.expiredIgnores.map(
    (entry) => `Ignore entry ${entry.id} has expired and no longer waives anything`,
  )
  const errors = Object.entries(verdict.perPlatform).flatMap(([platform, judged]) =>
    judged.result === 'error' ? [`${platform}: ${judged.message}`] : [],
  )
  return {
    result: verdict.result,
    pushAllowed: scanAllowsPush(verdict.result, inputs.scanFail),
    verdict,
    ...(sarifFile === undefined ? {} : { sarifFile }),
    vulnerabilities: vulnerabilityCounts(verdict),
    summaryMarkdown,
    warnings: [...warnings, ...expired],
    ...(errors.length > 0
      ? { errorMessage: `Some platforms could not be scanned:\n${errors.join('\n')}` }
      : {}),
  }
}

/** Split the layout per platform, let the scanner scan each, judge. Throws when a step cannot be done at all. */
async function scanAndJudge(
  layoutDir: string,
  inputs: ScanInputs,
  preparation: ScannerPreparation,
  { ignore, vexFiles }: { ignore: IgnoreEntry[]; vexFiles: string[] },
  options: ScanStageOptions,
): Promise<{ verdict: GateVerdict; scanned: ScannerResult }> {
  const ready = preparation.ready(options.log)
  const work = scanWorkDir(layoutDir)
  const platformsDir = path.join(work, 'platforms')
  try {
    const layouts = await writePlatformLayouts(layoutDir, platformsDir)
    if (layouts.length === 0) throw new Error(`the OCI layout ${layoutDir} holds no platform image to scan`)
    const scanner = await ready
    const scanned = await scanner.scan(layouts, {
      inputs,
      workDir: work,
      vexFiles,
      now: options.now,
      runnerTemp: options.runnerTemp,
      env: options.env ?? process.env,
      log: options.log,
      sbom: options.sbom === true,
    })
    const verdict = evaluateGate(scanned.scans, {
      severities: inputs.severities,
      ignoreUnfixed: inputs.ignoreUnfixed,
      ignore,
      now: options.now,
    })
    return { verdict, scanned }
  } finally {
    await rm(platformsDir, { recursive: true, force: true })
  }
}

/** `<layout>.scan/` beside the layout dir: same file system, so the per-platform layouts are hard links. */
export function scanWorkDir(layoutDir: string): string {
  const resolved = path.resolve(layoutDir)
  return path.join(path.dirname(resolved), `${path.basename(resolved)}.scan`)
}

/**
 * Writes the code-scanning SARIF of the platforms the scanner wrote one for. A SARIF that cannot be
 * produced is a warning, not a scan error: the gate judged the reports it reads (Trivy JSON, Scout Markdown).
 */
async function writeCodeScanningSarif(
  scanned: ScannerResult,
  inputs: ScanInputs,
  ignore: IgnoreEntry[],
  options: ScanStageOptions,
  workspace: string,
  warnings: string[],
): Promise<string | undefined> {
  const sarifByPlatform: Record<string, string> = {}
  for (const [platform, run] of Object.entries(scanned.sarif)) {
    if (run.outcome.ok && run.report !== undefined) sarifByPlatform[platform] = run.report
    else if (!run.outcome.ok) warnings.push(run.outcome.message)
  }
  if (Object.keys(sarifByPlatform).length === 0) {
    warnings.push('No code-scanning SARIF was written: no platform has a SARIF report')
    return undefined
  }
  try {
    const merged = codeScanningSarif(sarifByPlatform, {
      severities: inputs.severities,
      ignoreUnfixed: inputs.ignoreUnfixed,
      ignore,
      now: options.now,
      ...(options.sarifCategory ? { category: options.sarifCategory } : {}),
    })
    warnings.push(...merged.warnings)
    // Checked before the build too (checkInputsOnRunner); again here, where the file is written.
    const file = await checkSarifDestination(inputs.sarif ?? {}, {
      workspace,
      runnerTemp: options.runnerTemp,
    })
    await mkdir(path.dirname(file), { recursive: true })
    await writeFile(file, JSON.stringify(merged.sarif))
    options.log(`Code-scanning SARIF written to ${file}`)
    return file
  } catch (error) {
    warnings.push(`No code-scanning SARIF was written: ${errorMessage(error)}`)
    return undefined
  }
}

/** Why the gate stopped the push, naming the first blocking findings. */
export function gateFailure(scan: ScanStageOutcome): string {
  const blocking = scan.verdict?.blocking ?? []
  const findings = blocking
    .slice(0, 5)
    .map((finding) => `${finding.id} (${finding.severity}, ${finding.platforms.join(', ')})`)
  const more = blocking.length > 5 ? ` and ${blocking.length - 5} more` : ''
  return `The scan gate found blocking findings, so nothing was pushed: ${findings.join('; ')}${more}`
}
