import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { parseReport } from './parse-report.js'
import type { PlatformLayout } from './platform-layouts.js'
import type { ScanOutcome } from './report.js'
import { SEVERITIES } from './severity.js'
import { type DbRepositories, dbRepositoryArgs } from './trivy-db-cache.js'
import { errorMessage } from '../action/errors.js'
import { childEnv } from '../runner/child-env.js'
import { spawnChild } from '../runner/child-process.js'

/**
 * Running `trivy image` on one single-platform OCI layout (see platform-layouts.ts) and turning
 * what happened into a ScanOutcome. Every flag below is in Trivy's reference for `trivy image`
 * (docs/guide/references/configuration/cli/trivy_image.md, v0.74.0):
 *
 * - `--input DIR`: the layout directory, never an image name, so nothing is pulled;
 * - `--format json|sarif --output FILE`: the report goes to a file, stdout stays free for logs;
 * - `--exit-code 0`: findings are not a failure of the scanner; the gate (gate.ts) decides;
 * - `--severity` with every level: Trivy filters nothing; severities, `--ignore-unfixed` and
 *   `.trivyignore` are applied by gate.ts, so the summary can show what was waived;
 * - `--scanners vuln[,secret][,misconfig]`;
 * - `--cache-dir`: where the DB is (trivy-db-cache.ts restores it there);
 * - `--timeout <n>s`: Trivy's own deadline; the process is killed a little after it;
 * - `--vex FILE`, once per VEX file (the flag repeats; Trivy splits each value at commas): Trivy
 *   itself drops the vulnerabilities a statement marks `not_affected` or `fixed`, so they never
 *   reach the report or the gate;
 * - `--skip-version-check`, `--disable-telemetry`: no calls home beyond the DB download;
 * - `--quiet`: no progress bar or info logs (fatal errors still reach stderr).
 *
 * Trivy runs in an empty working directory, so a `trivy.yaml` or `.trivyignore` in the
 * workspace cannot change what is reported (both are read from the working directory by default),
 * and without TRIVY_* variables from the environment (Trivy reads every flag from TRIVY_<FLAG>),
 * except the registry/network credentials in PASSED_TRIVY_ENV. Like every child, it gets no
 * INPUT_* and no ACTIONS_* (childEnv, runner/child-env.ts).
 */

export type TrivyScanner = 'vuln' | 'secret' | 'misconfig'
export type TrivyFormat = 'json' | 'sarif'

export interface TrivyScanArgsOptions {
  layoutDir: string
  outputFile: string
  format: TrivyFormat
  scanners: readonly TrivyScanner[]
  cacheDir: string
  timeoutSeconds: number
  dbRepositories?: DbRepositories
  /** Absolute paths: Trivy runs in an empty directory of its own, where a relative path means nothing. */
  vexFiles?: readonly string[]
  /** `--skip-db-update`: scan with the DB already in the cache dir (Trivy fails if there is none). */
  skipDbUpdate?: boolean
  /**
   * `--skip-java-db-update`. Trivy fetches the Java DB only when it meets Java archives and fails
   * with this flag if it has none yet, so it is never set implicitly.
   */
  skipJavaDbUpdate?: boolean
}

export function trivyScanArgs(options: TrivyScanArgsOptions): string[] {
  if (options.scanners.length === 0) throw new Error('trivy: at least one scanner is needed')
  if (!Number.isInteger(options.timeoutSeconds) || options.timeoutSeconds <= 0) {
    throw new Error(`trivy: the timeout must be a positive number of seconds, not ${options.timeoutSeconds}`)
  }
  const vexFiles = options.vexFiles ?? []
  const relative = vexFiles.find((file) => !path.isAbsolute(file))
  if (relative !== undefined) throw new Error(`trivy: VEX files must be absolute paths, not ${relative}`)
  return [
    'image',
    '--input',
    options.layoutDir,
    '--format',
    options.format,
    '--output',
    options.outputFile,
    '--exit-code',
    '0',
    '--severity',
    SEVERITIES.join(','),
    '--scanners',
    [...new Set(options.scanners)].join(','),
    '--cache-dir',
    options.cacheDir,
    '--timeout',
    `${options.timeoutSeconds}s`,
    ...dbRepositoryArgs(options.dbRepositories ?? {}),
    ...vexFiles.flatMap((file) => ['--vex', file]),
    ...(options.skipDbUpdate ? ['--skip-db-update'] : []),
    ...(options.skipJavaDbUpdate ? ['--skip-java-db-update'] : []),
    '--skip-version-check',
    '--disable-telemetry',
    '--quiet',
  ]
}

/** The SARIF run for code scanning of one platform: the same scan, written as SARIF 2.1.0. */
export function trivySarifArgs(options: Omit<TrivyScanArgsOptions, 'format'>): string[] {
  return trivyScanArgs({ ...options, format: 'sarif' })
}

/** Credentials and TLS settings for DB mirrors; every other TRIVY_* variable is dropped. */
export const PASSED_TRIVY_ENV: readonly string[] = [
  'TRIVY_USERNAME',
  'TRIVY_PASSWORD',
  'TRIVY_REGISTRY_TOKEN',
  'TRIVY_INSECURE',
  'TRIVY_CACERT',
]

/**
 * Trivy's environment: childEnv's (no INPUT_*, no ACTIONS_*), and of the TRIVY_* variables only
 * PASSED_TRIVY_ENV.
 */
export function trivyEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(
    Object.entries(childEnv(env)).filter(
      ([key]) => !key.startsWith('TRIVY_') || PASSED_TRIVY_ENV.includes(key),
    ),
  )
}

export interface CommandResult {
  exitCode: number | null
  signal: NodeJS.Signals | null
  timedOut: boolean
  stderr: string
  /** Could not start (ENOENT, EACCES…). */
  spawnError?: string
}

const STDERR_LIMIT = 64 * 1024

/**
 * Runs a command with an argument array (no shell) in its own process group (spawnChild); on
 * timeout the group gets SIGTERM, then SIGKILL after `killGraceMs`. stdout is ignored, stderr kept
 * (its tail). `env` is the child's whole environment: runTrivy passes trivyEnv's.
 */
export async function runCommand(
  file: string,
  args: readonly string[],
  options: { timeoutMs: number; cwd?: string; env: Record<string, string>; killGraceMs?: number },
): Promise<CommandResult> {
  let stderr = ''
  const exit = await spawnChild(file, args, {
    env: options.env,
    timeoutMs: options.timeoutMs,
    ...(options.cwd !== undefined ? { cwd: options.cwd } : {}),
    ...(options.killGraceMs !== undefined ? { killGraceMs: options.killGraceMs } : {}),
    onStderr: (text) => {
      stderr = (stderr + text).slice(-STDERR_LIMIT)
    },
  })
  return { ...exit, stderr }
}

export interface RunTrivyOptions extends TrivyScanArgsOptions {
  /** The trivy executable (installTrivy's `binary`). */
  trivy: string
  /** The platform, for messages. */
  platform: string
  env?: NodeJS.ProcessEnv
  /** Extra time after Trivy's own `--timeout` before the process is killed. */
  killAfterSeconds?: number
}

export interface TrivyRun {
  outcome: ScanOutcome
  /** The argv Trivy got, for the log. */
  args: string[]
  /** The report text when one was written (JSON or SARIF), e.g. to upload SARIF. */
  report?: string
}

/**
 * Scans one platform layout. A crash, a timeout, a missing or unreadable report are ScanErrors
 * (never a pass); a report that reads is the ScanReport of parseReport.
 */
export async function runTrivy(options: RunTrivyOptions): Promise<TrivyRun> {
  const args = trivyScanArgs(options)
  const cwd = await mkdtemp(path.join(os.tmpdir(), 'trivy-run-'))
  const what = `Trivy scan of ${options.platform}`
  try {
    // A report left from an earlier run must not pass for this one.
    await rm(options.outputFile, { force: true })
    const graceSeconds = options.killAfterSeconds ?? 60
    const result = await runCommand(options.trivy, args, {
      timeoutMs: (options.timeoutSeconds + graceSeconds) * 1000,
      cwd,
      env: trivyEnv(options.env ?? process.env),
    })
    const failure = describeFailure(result, options.timeoutSeconds + graceSeconds)
    if (failure !== undefined) return { args, outcome: { ok: false, message: `${what} ${failure}` } }
    let report: string
    try {
      report = await readFile(options.outputFile, 'utf8')
    } catch (error) {
      const reason = errorMessage(error)
      return {
        args,
        outcome: { ok: false, message: `${what} wrote no report to ${options.outputFile}: ${reason}` },
      }
    }
    const outcome = parseReport(report, options.format === 'json' ? 'trivy-json' : 'sarif')
    if (!outcome.ok) return { args, report, outcome: { ok: false, message: `${what}: ${outcome.message}` } }
    return { args, report, outcome }
  } finally {
    await rm(cwd, { recursive: true, force: true })
  }
}

function describeFailure(result: CommandResult, limitSeconds: number): string | undefined {
  if (result.spawnError !== undefined) return `could not start trivy: ${result.spawnError}`
  const tail = stderrTail(result.stderr)
  if (result.timedOut) return `did not finish within ${limitSeconds}s and was stopped${tail}`
  if (result.signal !== null) return `was killed by ${result.signal}${tail}`
  if (result.exitCode !== 0) return `failed with exit code ${String(result.exitCode)}${tail}`
  return undefined
}

function stderrTail(stderr: string): string {
  const lines = stderr.trim().split('\n').filter(Boolean).slice(-10)
  return lines.length > 0 ? `:\n${lines.join('\n')}` : ' (no error output)'
}

export interface ScanPlatformsOptions extends Omit<
  RunTrivyOptions,
  'platform' | 'layoutDir' | 'outputFile' | 'format'
> {
  /** Where the reports go: `<reportDir>/<layout folder>.json` (and `.sarif` with `sarif`). */
  reportDir: string
  /** Also write a SARIF report per platform, for code scanning (a second Trivy run per platform). */
  sarif?: boolean
}

export interface PlatformScan {
  platform: string
  manifestDigest: string
  json: TrivyRun
  /** When the JSON scan started and ended (for the vulnerability attestation). */
  startedOn: Date
  finishedOn: Date
  sarif?: TrivyRun
}

/**
 * Scans every per-platform layout, one Trivy run at a time: runs sharing a `--cache-dir` would
 * contend for its database lock. Once a vulnerability scan has succeeded, the later runs get
 * `--skip-db-update`, so every platform is judged against the same vulnerability DB (the Java DB
 * is left to Trivy: it is fetched only for images with Java archives, and skipping it before it
 * exists is an error, pkg/javadb/client.go). The outcomes, keyed by platform, are what
 * evaluateGate takes.
 */
export async function scanPlatforms(
  layouts: readonly PlatformLayout[],
  options: ScanPlatformsOptions,
): Promise<{ scans: Record<string, ScanOutcome>; runs: PlatformScan[] }> {
  const { reportDir, sarif, ...common } = options
  await mkdir(reportDir, { recursive: true })
  const scans: Record<string, ScanOutcome> = {}
  const runs: PlatformScan[] = []
  let dbReady = Boolean(common.skipDbUpdate)
  for (const layout of layouts) {
    const base = path.join(reportDir, path.basename(layout.dir))
    const shared = { ...common, platform: layout.platform, layoutDir: layout.dir, skipDbUpdate: dbReady }
    const startedOn = new Date()
    const json = await runTrivy({ ...shared, format: 'json', outputFile: `${base}.json` })
    const finishedOn = new Date()
    // After a vulnerability scan succeeded, the DB in the cache dir is current for this job.
    if (json.outcome.ok && common.scanners.includes('vuln')) dbReady = true
    const { platform, manifestDigest } = layout
    const scan: PlatformScan = { platform, manifestDigest, json, startedOn, finishedOn }
    if (sarif && json.outcome.ok) {
      scan.sarif = await runTrivy({
        ...shared,
        skipDbUpdate: dbReady,
        format: 'sarif',
        outputFile: `${base}.sarif`,
      })
    }
    scans[layout.platform] = json.outcome
    runs.push(scan)
  }
  return { scans, runs }
}
