import { mkdir, readFile, rm } from 'node:fs/promises'
import path from 'node:path'
import { errorMessage } from '../action/errors.js'
import { childEnv } from '../runner/child-env.js'
import { spawnChild, type ChildExit } from '../runner/child-process.js'
import { parseReport } from './parse-report.js'
import type { PlatformLayout } from './platform-layouts.js'
import type { Finding, ScanOutcome } from './report.js'
import type { ScoutLogin } from './scout-login.js'
import type { Severity } from './severity.js'

/**
 * Running `docker scout cves` on one single-platform OCI layout (see platform-layouts.ts) and
 * turning what happened into a ScanOutcome. Every flag is in docker/scout-cli docs/scout_cves.md
 * (v1.23.0), and SEMANTICS.md beside the recorded reports says how each behaves:
 *
 * - `oci-dir://DIR`: the layout directory, never an image name, so nothing is pulled;
 * - `--format markdown --output FILE`: the report goes to a file; stdout stays free for Scout's
 *   errors, which it prints there (`ERROR … Status: …, Code: 1`);
 * - `--only-severity` from `severity`, `--only-fixed` from `ignore-unfixed`: Scout filters, so the
 *   report and its counts hold only what can block;
 * - `--exit-code`: 2 when a vulnerability is left after the filters, 0 when none; anything else
 *   is an error, never a pass. The exit code and the parsed report must agree.
 *
 * The Docker Hub login reaches Scout as DOCKER_SCOUT_HUB_USER / DOCKER_SCOUT_HUB_PASSWORD, in its
 * environment only; every other DOCKER_SCOUT_* variable of the step is dropped, and its cache goes
 * to the step's own directory.
 */

export type ScoutFormat = 'markdown' | 'sarif'

export interface ScoutArgsOptions {
  layoutDir: string
  outputFile: string
  format: ScoutFormat
  /** Blocking severities, passed as `--only-severity`. */
  severities: readonly Severity[]
  ignoreUnfixed: boolean
  /** `--exit-code`: 2 on findings. Left out of the SARIF run, where #213's exit 255 was seen. */
  exitCode: boolean
}

const SCOUT_SEVERITY: Record<Severity, string> = {
  CRITICAL: 'critical',
  HIGH: 'high',
  MEDIUM: 'medium',
  LOW: 'low',
  UNKNOWN: 'unspecified',
}

export function scoutCvesArgs(options: ScoutArgsOptions): string[] {
  if (options.severities.length === 0) throw new Error('docker scout: at least one severity is needed')
  if (!path.isAbsolute(options.layoutDir)) {
    throw new Error(`docker scout: the layout must be an absolute path, not ${options.layoutDir}`)
  }
  return [
    'cves',
    '--format',
    options.format,
    '--output',
    options.outputFile,
    '--only-severity',
    options.severities.map((severity) => SCOUT_SEVERITY[severity]).join(','),
    ...(options.ignoreUnfixed ? ['--only-fixed'] : []),
    ...(options.exitCode ? ['--exit-code'] : []),
    `oci-dir://${options.layoutDir}`,
  ]
}

/** How `docker scout` is started: the docker CLI and `scout`, with the private DOCKER_CONFIG. */
export interface ScoutCommand {
  file: string
  /** `['scout']`: what the docker CLI hands a plugin as its first argument, too. */
  prefix: readonly string[]
  dockerConfig: string
}

/** Scout's environment: childEnv's, no DOCKER_SCOUT_* of the step, the login, the private config and cache. */
export function scoutEnv(
  env: NodeJS.ProcessEnv,
  login: ScoutLogin,
  dockerConfig: string,
  cacheDir: string,
): Record<string, string> {
  const inherited = Object.entries(childEnv(env)).filter(
    ([key]) => !key.toUpperCase().startsWith('DOCKER_SCOUT_'),
  )
  return {
    ...Object.fromEntries(inherited),
    DOCKER_CONFIG: dockerConfig,
    DOCKER_SCOUT_HUB_USER: login.username,
    DOCKER_SCOUT_HUB_PASSWORD: login.password,
    DOCKER_SCOUT_CACHE_DIR: cacheDir,
  }
}

/**
 * Scout's own error line, as it prints it on stdout (ANSI colours taken out):
 * `ERROR  Status: failed to get image …: TOOMANYREQUESTS: …, Code: 1`. Undefined when there is none.
 */
export function scoutErrorLine(stdout: string): string | undefined {
  // eslint-disable-next-line no-control-regex
  const plain = stdout.replace(/\x1b\[[0-9;]*m/g, '')
  for (const line of plain.split(/\r?\n/)) {
    const match = /\bERROR\s+(?:Status:\s*)?(.*?)(?:,\s*Code:\s*(\d+))?\s*$/.exec(line)
    if (match?.[1]) return match[2] === undefined ? match[1] : `${match[1]} (code ${match[2]})`
  }
  return undefined
}

/** Whether the exit code and the report agree: 2 when a finding the filters keep is listed, 0 when none. */
export function exitMatchesReport(
  exitCode: number,
  findings: readonly Finding[],
  filters: Pick<ScoutArgsOptions, 'severities' | 'ignoreUnfixed'>,
): boolean {
  const kept = findings.filter(
    (finding) =>
      filters.severities.includes(finding.severity) &&
      (!filters.ignoreUnfixed || finding.fixedVersion !== undefined),
  )
  return exitCode === 2 ? kept.length > 0 : kept.length === 0
}

export interface ScoutRun {
  outcome: ScanOutcome
  args: string[]
  /** The report text when one was written: the Markdown for the summary, or the SARIF. */
  report?: string
}

export interface RunScoutOptions extends ScoutArgsOptions {
  command: ScoutCommand
  platform: string
  env: Record<string, string>
  timeoutSeconds: number
  log: (message: string) => void
}

/** Exit 255, undocumented, seen now and then (docker/scout-cli#213): worth one more try. */
const RETRIED_EXIT = 255
const OUTPUT_LIMIT = 64 * 1024

/**
 * Scans one platform layout. A crash, a timeout, an exit code other than 0 or 2, a missing or
 * unreadable report, or a report that contradicts the exit code are ScanErrors naming the platform.
 */
export async function runScout(options: RunScoutOptions): Promise<ScoutRun> {
  const args = scoutCvesArgs(options)
  const what = `Docker Scout scan of ${options.platform}`
  let result = await runOnce(options, args)
  if (result.exitCode === RETRIED_EXIT) {
    options.log(`${what} exited with code 255 (docker/scout-cli#213); trying once more`)
    result = await runOnce(options, args)
  }
  const failure = describeFailure(result, options)
  if (failure !== undefined) return { args, outcome: { ok: false, message: `${what} ${failure}` } }
  let report: string
  try {
    report = await readFile(options.outputFile, 'utf8')
  } catch (error) {
    return { args, outcome: { ok: false, message: `${what} wrote no report: ${errorMessage(error)}` } }
  }
  const outcome = parseReport(report, options.format === 'markdown' ? 'scout-markdown' : 'sarif')
  if (!outcome.ok) return { args, report, outcome: { ok: false, message: `${what}: ${outcome.message}` } }
  if (options.exitCode && !exitMatchesReport(result.exitCode ?? -1, outcome.findings, options)) {
    const message = `${what}: the exit code (${String(result.exitCode)}) and the report (${outcome.findings.length} vulnerabilities) disagree`
    return { args, report, outcome: { ok: false, message } }
  }
  return { args, report, outcome }
}

interface ScoutExit extends ChildExit {
  stdout: string
  stderr: string
}

async function runOnce(options: RunScoutOptions, args: readonly string[]): Promise<ScoutExit> {
  // A report left from an earlier attempt must not pass for this one.
  await rm(options.outputFile, { force: true })
  let stdout = ''
  let stderr = ''
  const exit = await spawnChild(options.command.file, [...options.command.prefix, ...args], {
    env: options.env,
    timeoutMs: options.timeoutSeconds * 1000,
    onStdout: (text) => (stdout = (stdout + text).slice(-OUTPUT_LIMIT)),
    onStderr: (text) => (stderr = (stderr + text).slice(-OUTPUT_LIMIT)),
  })
  return { ...exit, stdout, stderr }
}

function describeFailure(result: ScoutExit, options: RunScoutOptions): string | undefined {
  if (result.spawnError !== undefined) return `could not start docker scout: ${result.spawnError}`
  if (result.timedOut) return `did not finish within ${options.timeoutSeconds}s and was stopped`
  if (result.signal !== null) return `was killed by ${result.signal}`
  const allowed = options.exitCode ? [0, 2] : [0]
  if (result.exitCode !== null && allowed.includes(result.exitCode)) return undefined
  const reason = scoutErrorLine(result.stdout) ?? lastLines(result.stderr)
  return `failed with exit code ${String(result.exitCode)}: ${reason}`
}

function lastLines(text: string): string {
  const lines = text.trim().split('\n').filter(Boolean).slice(-10)
  return lines.length > 0 ? lines.join('\n') : '(no error output)'
}

export interface ScoutPlatformScan {
  platform: string
  markdown: ScoutRun
  sarif?: ScoutRun
}

export interface ScanWithScoutOptions {
  command: ScoutCommand
  login: ScoutLogin
  env: NodeJS.ProcessEnv
  /** Reports and Scout's cache go here. */
  workDir: string
  severities: readonly Severity[]
  ignoreUnfixed: boolean
  timeoutSeconds: number
  /** Also a SARIF report per platform, for code scanning (a second Scout run per platform). */
  sarif: boolean
  log: (message: string) => void
}

/** Scans every per-platform layout, one at a time (they share Scout's cache). */
export async function scanPlatformsWithScout(
  layouts: readonly PlatformLayout[],
  options: ScanWithScoutOptions,
): Promise<ScoutPlatformScan[]> {
  const reportDir = path.join(options.workDir, 'reports')
  const cacheDir = path.join(options.workDir, 'scout-cache')
  await mkdir(reportDir, { recursive: true })
  await mkdir(cacheDir, { recursive: true })
  const env = scoutEnv(options.env, options.login, options.command.dockerConfig, cacheDir)
  const scans: ScoutPlatformScan[] = []
  for (const layout of layouts) {
    const base = path.join(reportDir, path.basename(layout.dir))
    const shared = {
      command: options.command,
      platform: layout.platform,
      layoutDir: path.resolve(layout.dir),
      severities: options.severities,
      ignoreUnfixed: options.ignoreUnfixed,
      timeoutSeconds: options.timeoutSeconds,
      env,
      log: options.log,
    }
    const markdown = await runScout({
      ...shared,
      format: 'markdown',
      outputFile: `${base}.md`,
      exitCode: true,
    })
    const scan: ScoutPlatformScan = { platform: layout.platform, markdown }
    if (options.sarif && markdown.outcome.ok) {
      scan.sarif = await runScout({
        ...shared,
        format: 'sarif',
        outputFile: `${base}.sarif`,
        exitCode: false,
      })
    }
    scans.push(scan)
  }
  return scans
}
