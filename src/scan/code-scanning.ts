import { gzipSync } from 'node:zlib'
import { findingDisposition, type GateOptions } from './gate.js'
import type { JsonObject } from './json.js'
import { MalformedReport } from './report.js'
import { readSarif, type SarifEntry, type SarifRunView } from './sarif.js'
import { severityRank } from './severity.js'

export interface SarifLimits {
  runsPerFile: number
  resultsPerRun: number
  gzipBytes: number
}

/**
 * GitHub rejects files beyond these (hard limits, "SARIF results exceed hard limit" in
 * https://docs.github.com/en/code-security/code-scanning/troubleshooting-sarif-uploads/results-exceed-limit):
 * 20 runs per file, 25,000 results per run (also 25,000 rules per run, which pruning rules to those
 * of the kept results already guarantees). Files are limited to 10 MB gzip-compressed
 * (https://docs.github.com/en/code-security/code-scanning/troubleshooting-sarif-uploads/file-too-large);
 * we count 10 MB as 10,000,000 bytes, the stricter reading.
 */
export const GITHUB_SARIF_LIMITS: SarifLimits = {
  runsPerFile: 20,
  resultsPerRun: 25_000,
  gzipBytes: 10_000_000,
}

export interface CodeScanningOptions extends GateOptions {
  /**
   * Start of each run's `automationDetails.id` (`<category>/<platform>/`). Uploads with the same
   * category replace each other's alerts, so two images built in one repository need two categories.
   */
  category?: string
  limits?: SarifLimits
}

export interface CodeScanningSarif {
  sarif: JsonObject
  /** What was left out to stay within GitHub's limits; empty when nothing was. */
  warnings: string[]
}

/**
 * Merges the scanner's SARIF (Trivy's or Docker Scout's) for each platform (keys: `linux/arm64`, …) into one log for GitHub code
 * scanning. Only results the gate would block on are kept (same severities, ignores and
 * ignore-unfixed; trivy-action uploads every severity instead), and rules no kept result uses are
 * dropped, with result rule indexes renumbered. Each platform becomes one run with its own
 * `automationDetails.id`: GitHub no longer accepts several runs of one tool and category in an
 * upload (changelog 2024-05-06, "code scanning will stop combining runs from a single upload").
 * A run left with no results is kept: uploading it closes the platform's alerts that are now fixed.
 * Beyond the limits, each run loses its least severe results first (every run in the same proportion
 * when the file is too large); platforms beyond the run limit are left out whole.
 * Throws when a platform's SARIF cannot be read (the gate, reading the JSON, has the verdict).
 */
export function codeScanningSarif(
  sarifByPlatform: Readonly<Record<string, string>>,
  options: CodeScanningOptions,
): CodeScanningSarif {
  const limits = options.limits ?? GITHUB_SARIF_LIMITS
  const category = options.category ?? 'build-scan-push'
  const dispose = findingDisposition(options)
  const warnings: string[] = []
  const platforms = Object.keys(sarifByPlatform)
  if (platforms.length > limits.runsPerFile) {
    warnings.push(
      `Code scanning takes at most ${limits.runsPerFile} runs per file; platforms left out: ` +
        platforms.slice(limits.runsPerFile).join(', '),
    )
  }
  const runs = platforms.slice(0, limits.runsPerFile).map((platform) => {
    const view = singleRun(sarifByPlatform[platform] ?? '', platform)
    const blocking = view.entries
      .flatMap((entry) =>
        entry.finding !== undefined && dispose(entry.finding) === 'blocking'
          ? [{ entry, rank: severityRank(entry.finding.severity) }]
          : [],
      )
      .sort((a, b) => a.rank - b.rank)
      .map(({ entry }) => entry)
    return { platform, view, blocking, keep: Math.min(blocking.length, limits.resultsPerRun) }
  })
  const assemble = (): JsonObject => ({
    version: '2.1.0',
    $schema: SARIF_SCHEMA,
    runs: runs.map((run) =>
      filteredRun(run.view, run.blocking.slice(0, run.keep), `${category}/${run.platform}/`),
    ),
  })

  let sarif = assemble()
  let size = gzipSync(JSON.stringify(sarif)).length
  let shrunk = false
  while (size > limits.gzipBytes) {
    if (runs.every((run) => run.keep === 0)) {
      throw new Error(
        `The SARIF file is ${size} bytes gzip-compressed with no results at all, over ${limits.gzipBytes}`,
      )
    }
    // Shrink every run in proportion, with a margin, until the compressed file fits.
    const ratio = (limits.gzipBytes / size) * 0.9
    for (const run of runs) run.keep = Math.floor(run.keep * ratio)
    shrunk = true
    sarif = assemble()
    size = gzipSync(JSON.stringify(sarif)).length
  }

  for (const run of runs) {
    if (run.keep === run.blocking.length) continue
    const reasons = [
      ...(run.blocking.length > limits.resultsPerRun
        ? [`at most ${limits.resultsPerRun} results per run`]
        : []),
      ...(shrunk ? [`at most ${limits.gzipBytes} bytes per file, gzip-compressed`] : []),
    ]
    warnings.push(
      `${run.platform}: ${run.blocking.length - run.keep} of ${run.blocking.length} results left out of the ` +
        `code-scanning SARIF (GitHub takes ${reasons.join(' and ')}); the most severe were kept`,
    )
  }
  return { sarif, warnings }
}

const SARIF_SCHEMA =
  'https://raw.githubusercontent.com/oasis-tcs/sarif-spec/main/sarif-2.1/schema/sarif-schema-2.1.0.json'

function singleRun(text: string, platform: string): SarifRunView {
  let runs: SarifRunView[]
  try {
    runs = readSarif(text)
  } catch (error) {
    if (error instanceof MalformedReport)
      throw new Error(`SARIF report for ${platform} cannot be read: ${error.message}`, { cause: error })
    throw error
  }
  const [run] = runs
  if (run === undefined || runs.length !== 1) {
    throw new Error(
      `SARIF report for ${platform} has ${runs.length} runs; a scanner writes exactly one per platform`,
    )
  }
  return run
}

/** Keeps the rules the kept results use, renumbering `ruleIndex` (and `rule.index`) to match. */
function filteredRun(view: SarifRunView, kept: SarifEntry[], automationId: string): JsonObject {
  const used = new Set(kept.flatMap((entry) => (entry.rule ? [entry.rule] : [])))
  const rules = view.rules.filter((rule) => used.has(rule))
  const newIndex = new Map(rules.map((rule, index) => [rule, index]))
  const results = kept.map(({ result, rule }) => {
    const index = rule === undefined ? undefined : newIndex.get(rule)
    if (index === undefined) return result
    const renumbered: JsonObject = { ...result }
    if (result.ruleIndex !== undefined) renumbered.ruleIndex = index
    if (typeof result.rule === 'object' && result.rule !== null && 'index' in result.rule) {
      renumbered.rule = { ...result.rule, index }
    }
    return renumbered
  })
  const tool = view.run.tool as JsonObject
  return {
    ...view.run,
    tool: { ...tool, driver: { ...(tool.driver as JsonObject), rules } },
    results,
    automationDetails: { id: automationId },
  }
}
