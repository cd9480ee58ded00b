import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseReport } from '../../../src/scan/parse-report.js'
import { writePlatformLayouts, type PlatformLayout } from '../../../src/scan/platform-layouts.js'
import type { ScanOutcome, ScanReport } from '../../../src/scan/report.js'
import { evaluateGate } from '../../../src/scan/gate.js'
import {
  runCommand,
  runTrivy,
  scanPlatforms,
  type RunTrivyOptions,
  trivyEnv,
  trivySarifArgs,
  trivyScanArgs,
} from '../../../src/scan/run-trivy.js'
import { fixture } from './fixtures.js'
import { writeSyntheticLayout } from './synthetic-layout.js'

const FAKE_TRIVY = fileURLToPath(
  new URL('../../fake-scanners/trivy-replaying-recorded-reports', import.meta.url),
)

let work: string
let layouts: PlatformLayout[]
let multi: string
let argvLog: string

beforeAll(async () => {
  work = mkdtempSync(path.join(os.tmpdir(), 'bsp-run-trivy-'))
  multi = writeSyntheticLayout(path.join(work, 'layout')).dir
  layouts = await writePlatformLayouts(multi, path.join(work, 'platforms'))
})
afterAll(() => rmSync(work, { recursive: true, force: true }))
beforeEach(() => {
  argvLog = path.join(work, `argv-${Math.random().toString(36).slice(2)}.jsonl`)
})

const layout = (platform: string): PlatformLayout => layouts.find((entry) => entry.platform === platform)!

function env(reports: Record<string, unknown>, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    FAKE_TRIVY_REPORTS: JSON.stringify(reports),
    FAKE_TRIVY_ARGV_LOG: argvLog,
    ...extra,
  }
}

const REPORTS = {
  'linux/amd64': { json: 'trivy/alpine-310.json', sarif: 'trivy/alpine-310.sarif' },
  'linux/arm64': { json: 'trivy/alpine-39.json' },
}

function options(platform: string, overrides: Partial<RunTrivyOptions> = {}): RunTrivyOptions {
  const dir = layout(platform).dir
  return {
    trivy: FAKE_TRIVY,
    platform,
    layoutDir: dir,
    outputFile: path.join(work, `${path.basename(dir)}.json`),
    format: 'json',
    scanners: ['vuln'],
    cacheDir: path.join(work, 'cache'),
    timeoutSeconds: 300,
    env: env(REPORTS),
    ...overrides,
  }
}

function report(outcome: ScanOutcome): ScanReport {
  if (!outcome.ok) throw new Error(outcome.message)
  return outcome
}

interface LoggedRun {
  argv: string[]
  cwd: string
  trivyEnv: Record<string, string>
  envKeys: string[]
}

function loggedRuns(): LoggedRun[] {
  return readFileSync(argvLog, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as LoggedRun)
}

describe('trivy image argv', () => {
  test('every flag, each value its own argument', () => {
    expect(
      trivyScanArgs({
        layoutDir: '/t/platforms/linux-amd64',
        outputFile: '/t/linux-amd64.json',
        format: 'json',
        scanners: ['vuln', 'secret', 'vuln'],
        cacheDir: '/t/cache',
        timeoutSeconds: 600,
        dbRepositories: {
          dbRepository: ['mirror.example/trivy-db:2'],
          javaDbRepository: ['mirror.example/java-db:1'],
        },
      }),
    ).toEqual([
      'image',
      '--input',
      '/t/platforms/linux-amd64',
      '--format',
      'json',
      '--output',
      '/t/linux-amd64.json',
      '--exit-code',
      '0',
      '--severity',
      'CRITICAL,HIGH,MEDIUM,LOW,UNKNOWN',
      '--scanners',
      'vuln,secret',
      '--cache-dir',
      '/t/cache',
      '--timeout',
      '600s',
      '--db-repository',
      'mirror.example/trivy-db:2',
      '--java-db-repository',
      'mirror.example/java-db:1',
      '--skip-version-check',
      '--disable-telemetry',
      '--quiet',
    ])
  })

  test('never --ignore-unfixed, --ignorefile or a severity filter of Trivy: waiving is the gate’s job', () => {
    const args = trivyScanArgs({ ...options('linux/amd64'), scanners: ['vuln', 'secret', 'misconfig'] })
    expect(args).not.toContain('--ignore-unfixed')
    expect(args).not.toContain('--ignorefile')
    expect(args[args.indexOf('--severity') + 1]!.split(',').sort()).toEqual([
      'CRITICAL',
      'HIGH',
      'LOW',
      'MEDIUM',
      'UNKNOWN',
    ])
  })

  test('the SARIF run differs only in its format', () => {
    const json = trivyScanArgs(options('linux/amd64'))
    const sarif = trivySarifArgs(options('linux/amd64'))
    expect(sarif[sarif.indexOf('--format') + 1]).toBe('sarif')
    expect(sarif.filter((arg, i) => arg !== json[i])).toEqual(['sarif'])
  })

  test('the DB skip flags are separate: skipping a Java DB that was never fetched fails in Trivy', () => {
    const args = trivyScanArgs({ ...options('linux/amd64'), skipDbUpdate: true })
    expect(args).toContain('--skip-db-update')
    expect(args).not.toContain('--skip-java-db-update')
    expect(trivyScanArgs({ ...options('linux/amd64'), skipJavaDbUpdate: true })).toContain(
      '--skip-java-db-update',
    )
  })

  test('--vex once per VEX file, in the order given (Trivy’s priority); none without files', () => {
    const vexFiles = ['/w/.vex/openvex.json', '/w/debian.csaf.json']
    const args = trivyScanArgs({ ...options('linux/amd64'), vexFiles })
    const at = args.indexOf('--vex')
    expect(args.slice(at, at + 4)).toEqual(['--vex', vexFiles[0], '--vex', vexFiles[1]])
    expect(args.filter((arg) => arg === '--vex')).toHaveLength(2)
    expect(trivySarifArgs({ ...options('linux/amd64'), vexFiles }).slice(at, at + 4)).toEqual(
      args.slice(at, at + 4),
    )
    expect(trivyScanArgs(options('linux/amd64'))).not.toContain('--vex')
    expect(trivyScanArgs({ ...options('linux/amd64'), vexFiles: [] })).not.toContain('--vex')
  })

  test('bad options are refused before running anything', () => {
    expect(() => trivyScanArgs({ ...options('linux/amd64'), scanners: [] })).toThrow('at least one scanner')
    expect(() => trivyScanArgs({ ...options('linux/amd64'), timeoutSeconds: 0 })).toThrow('positive number')
    // Trivy runs in an empty directory of its own: a relative path would name nothing.
    expect(() => trivyScanArgs({ ...options('linux/amd64'), vexFiles: ['openvex.json'] })).toThrow(
      'trivy: VEX files must be absolute paths, not openvex.json',
    )
  })

  test('TRIVY_* settings of the environment are dropped except credentials', () => {
    expect(
      trivyEnv({
        PATH: '/bin',
        TRIVY_SEVERITY: 'CRITICAL',
        TRIVY_IGNORE_UNFIXED: 'true',
        TRIVY_USERNAME: 'u',
        TRIVY_PASSWORD: 'p',
      }),
    ).toEqual({ PATH: '/bin', TRIVY_USERNAME: 'u', TRIVY_PASSWORD: 'p' })
  })
})

describe('runTrivy against the double replaying recorded reports', () => {
  test('each platform gets its own recorded report; counts are the fixtures’ (PROVENANCE.md)', async () => {
    const amd64 = await runTrivy(options('linux/amd64'))
    const arm64 = await runTrivy(options('linux/arm64'))
    expect(report(amd64.outcome).counts).toEqual({ CRITICAL: 0, HIGH: 0, MEDIUM: 4, LOW: 0, UNKNOWN: 0 })
    expect(report(arm64.outcome).counts).toEqual({ CRITICAL: 2, HIGH: 0, MEDIUM: 4, LOW: 0, UNKNOWN: 0 })
    expect(amd64.outcome).toEqual(parseReport(fixture('trivy/alpine-310.json'), 'trivy-json'))
    expect(amd64.report).toBe(fixture('trivy/alpine-310.json'))

    const runs = loggedRuns()
    expect(runs.map((run) => run.argv)).toEqual([amd64.args, arm64.args])
    expect(runs[0]!.argv.slice(0, 3)).toEqual(['image', '--input', layout('linux/amd64').dir])
    // Run in an empty folder of its own (no workspace trivy.yaml / .trivyignore), removed afterwards.
    expect(runs[0]!.cwd).not.toBe(process.cwd())
    expect(existsSync(runs[0]!.cwd)).toBe(false)
  })

  test('the SARIF run parses as SARIF with the recorded counts', async () => {
    const sarif = await runTrivy(
      options('linux/amd64', { format: 'sarif', outputFile: path.join(work, 'amd64.sarif') }),
    )
    expect(report(sarif.outcome).format).toBe('sarif')
    expect(report(sarif.outcome).counts.MEDIUM).toBe(4)
    expect(loggedRuns()[0]!.argv).toEqual(
      trivySarifArgs(options('linux/amd64', { outputFile: path.join(work, 'amd64.sarif') })),
    )
  })

  test('TRIVY_* variables other than credentials never reach Trivy', async () => {
    await runTrivy(
      options('linux/amd64', {
        env: env(REPORTS, { TRIVY_SEVERITY: 'CRITICAL', TRIVY_USERNAME: 'mirror-user' }),
      }),
    )
    expect(loggedRuns()[0]!.trivyEnv).toEqual({ TRIVY_USERNAME: 'mirror-user' })
  })

  test('the action’s inputs and runtime tokens never reach Trivy', async () => {
    await runTrivy(
      options('linux/amd64', {
        env: env(REPORTS, {
          'INPUT_REGISTRY-AUTH': '- registry: ghcr.io\n  username: u\n  password: hunter2',
          INPUT_PASSWORD: 'hunter2',
          'INPUT_GITHUB-TOKEN': 'ghs_inputtoken',
          ACTIONS_RUNTIME_TOKEN: 'runtime-token',
          ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'oidc-request-token',
          TRIVY_USERNAME: 'mirror-user',
        }),
      }),
    )
    const [run] = loggedRuns()
    expect(run!.envKeys.filter((name) => /^(INPUT_|ACTIONS_)/i.test(name))).toEqual([])
    expect(run!.envKeys).toEqual(expect.arrayContaining(['PATH', 'TRIVY_USERNAME', 'FAKE_TRIVY_REPORTS']))
  })

  test('a crash is a ScanError with the exit code and Trivy’s error', async () => {
    const run = await runTrivy(options('linux/arm64', { env: env({ 'linux/arm64': 'crash' }) }))
    expect(run.outcome.ok).toBe(false)
    expect(run.outcome).toEqual({
      ok: false,
      message: expect.stringMatching(
        /^Trivy scan of linux\/arm64 failed with exit code 2:\n.*FATAL.*simulated crash/s,
      ),
    })
  })

  test('garbage in the report file is a ScanError, not a clean scan', async () => {
    const run = await runTrivy(options('linux/amd64', { env: env({ 'linux/amd64': 'garbage' }) }))
    expect(run.outcome).toEqual({
      ok: false,
      message: expect.stringMatching(/^Trivy scan of linux\/amd64: Trivy JSON report cannot be read/),
    })
    const sarif = await runTrivy(
      options('linux/amd64', { format: 'sarif', env: env({ 'linux/amd64': 'garbage' }) }),
    )
    expect(sarif.outcome).toEqual({
      ok: false,
      message: expect.stringContaining('SARIF report cannot be read'),
    })
  })

  test('exit 0 without a report (and a stale report from before) is a ScanError', async () => {
    const opts = options('linux/amd64', { env: env({ 'linux/amd64': 'no-report' }) })
    writeFileSync(opts.outputFile, fixture('trivy/sl-micro-rancher-5.4-zero-vulns.json'))
    const run = await runTrivy(opts)
    expect(run.outcome).toEqual({ ok: false, message: expect.stringContaining('wrote no report to') })
  })

  test('a hang is stopped at the timeout and is a ScanError', async () => {
    const started = Date.now()
    const run = await runTrivy(
      options('linux/amd64', { env: env({ 'linux/amd64': 'hang' }), timeoutSeconds: 1, killAfterSeconds: 0 }),
    )
    expect(run.outcome).toEqual({
      ok: false,
      message: expect.stringMatching(/^Trivy scan of linux\/amd64 did not finish within 1s and was stopped/),
    })
    expect(Date.now() - started).toBeLessThan(10_000)
  })

  test('a hang that ignores SIGTERM is killed after the grace period', async () => {
    const started = Date.now()
    const result = await runCommand(FAKE_TRIVY, trivyScanArgs(options('linux/amd64')), {
      timeoutMs: 500,
      killGraceMs: 500,
      env: trivyEnv(env({ 'linux/amd64': 'hang-ignoring-sigterm' })),
    })
    expect(result).toMatchObject({ timedOut: true, signal: 'SIGKILL' })
    expect(Date.now() - started).toBeLessThan(10_000)
  })

  test('a scanner that cannot start is a ScanError', async () => {
    const run = await runTrivy(options('linux/amd64', { trivy: path.join(work, 'no-such-trivy') }))
    expect(run.outcome).toEqual({
      ok: false,
      message: expect.stringContaining('could not start trivy: spawn'),
    })
  })

  test('the whole multi-platform layout is refused by the double (Trivy would scan only amd64)', async () => {
    const run = await runTrivy(options('linux/amd64', { layoutDir: multi }))
    expect(run.outcome).toEqual({ ok: false, message: expect.stringContaining('the real trivy would') })
  })
})

describe('the double itself', () => {
  const fake = (
    args: string[],
    extra: NodeJS.ProcessEnv = {},
  ): { status: number; stdout: string; stderr: string } => {
    try {
      const stdout = execFileSync(FAKE_TRIVY, args, {
        env: { ...process.env, ...extra },
        encoding: 'utf8',
        stdio: 'pipe',
      })
      return { status: 0, stdout, stderr: '' }
    } catch (error) {
      const failed = error as { status: number; stdout: string; stderr: string }
      return { status: failed.status, stdout: failed.stdout, stderr: failed.stderr }
    }
  }

  test('prints the version as Trivy does', () => {
    expect(fake(['--version']).stdout).toBe('Version: 0.74.0\n')
    expect(fake(['--version'], { FAKE_TRIVY_VERSION: '0.72.0' }).stdout).toBe('Version: 0.72.0\n')
  })

  test.each([
    [['--ignore-unfixed-typo'], 'unknown flag: --ignore-unfixed-typo'],
    [['--platform-all'], 'unknown flag'],
    [['--severity', 'SEVERE'], 'invalid argument "SEVERE" for "--severity"'],
    [['--scanners', 'vuln,sbom'], 'invalid argument "vuln,sbom" for "--scanners"'],
    [['--timeout', '300'], 'invalid argument "300" for "--timeout"'],
    [['--format', 'xml'], 'invalid argument "xml" for "--format"'],
  ])('rejects what the real CLI rejects: %j', (extra, message) => {
    const args = trivyScanArgs(options('linux/amd64'))
    const run = fake([...args, ...extra], { FAKE_TRIVY_REPORTS: JSON.stringify(REPORTS) })
    expect(run.status).toBe(1)
    expect(run.stderr).toContain(message)
  })

  test('--vex must name files it can open, each comma-separated value on its own, as Trivy loads them', () => {
    const vex = path.join(work, 'double.openvex.json')
    writeFileSync(vex, '{}')
    const args = trivyScanArgs(options('linux/amd64'))
    const reports = { FAKE_TRIVY_REPORTS: JSON.stringify(REPORTS) }
    expect(fake([...args, '--vex', vex, '--vex', vex], reports).status).toBe(0)
    const missing = fake([...args, '--vex', `${vex},${path.join(work, 'gone.json')}`], reports)
    expect(missing.status).toBe(1)
    expect(missing.stderr).toContain(`unable to load VEX: open ${path.join(work, 'gone.json')}: no such file`)
    expect(fake([...args, '--vex', work], reports).stderr).toContain(`unable to load VEX: read ${work}`)
  })

  test('logs the names of every variable it got, and the values of TRIVY_* ones only', () => {
    const args = trivyScanArgs(options('linux/amd64'))
    const run = fake(args, {
      FAKE_TRIVY_REPORTS: JSON.stringify(REPORTS),
      FAKE_TRIVY_ARGV_LOG: argvLog,
      TRIVY_USERNAME: 'mirror-user',
      SOME_SETTING: 'not-logged',
    })
    expect(run.status).toBe(0)
    const [logged] = loggedRuns()
    expect(logged!.trivyEnv).toEqual({ TRIVY_USERNAME: 'mirror-user' })
    expect(logged!.envKeys).toEqual(expect.arrayContaining(['PATH', 'SOME_SETTING', 'TRIVY_USERNAME']))
    expect(logged!.envKeys).toEqual([...logged!.envKeys].sort())
    expect(readFileSync(argvLog, 'utf8')).not.toContain('not-logged')
  })

  test('with a scan time set it still writes the recorded report; a scan time that is no number is refused', () => {
    const out = mkdtempSync(path.join(work, 'double-'))
    const args = trivyScanArgs({ ...options('linux/amd64'), outputFile: path.join(out, 'r.json') })
    const reports = { FAKE_TRIVY_REPORTS: JSON.stringify(REPORTS) }
    expect(fake(args, { ...reports, FAKE_TRIVY_SCAN_SECONDS: '0.05' }).status).toBe(0)
    expect(readFileSync(path.join(out, 'r.json'), 'utf8')).toBe(fixture('trivy/alpine-310.json'))
    const refused = fake(args, { ...reports, FAKE_TRIVY_SCAN_SECONDS: '3s' })
    expect(refused.status).toBe(4)
    expect(refused.stderr).toContain('FAKE_TRIVY_SCAN_SECONDS must be a number of seconds')
  })

  test('writes nothing but the report file', () => {
    const out = mkdtempSync(path.join(work, 'double-'))
    const args = trivyScanArgs({ ...options('linux/amd64'), outputFile: path.join(out, 'r.json') })
    expect(fake(args, { FAKE_TRIVY_REPORTS: JSON.stringify(REPORTS) }).status).toBe(0)
    expect(readdirSync(out)).toEqual(['r.json'])
  })
})

describe('scanPlatforms', () => {
  const common = (reports: Record<string, unknown>) => ({
    trivy: FAKE_TRIVY,
    scanners: ['vuln', 'secret'] as ('vuln' | 'secret')[],
    cacheDir: path.join(work, 'cache'),
    timeoutSeconds: 300,
    env: env(reports),
    reportDir: path.join(work, `reports-${Math.random().toString(36).slice(2)}`),
  })

  test('scans every platform in turn; only the first run updates the DB; the gate reads the result', async () => {
    const { scans, runs } = await scanPlatforms(layouts, { ...common(REPORTS), sarif: true })
    expect(Object.keys(scans)).toEqual(['linux/amd64', 'linux/arm64'])
    expect(report(scans['linux/amd64']!).counts.MEDIUM).toBe(4)
    expect(report(scans['linux/arm64']!).counts.CRITICAL).toBe(2)

    const argvs = loggedRuns().map((run) => run.argv)
    const formats = argvs.map((argv) => `${argv[2]} ${argv[argv.indexOf('--format') + 1]}`)
    // amd64 json + sarif, arm64 json; arm64 has no recorded SARIF, so its SARIF run is a ScanError.
    expect(formats).toEqual([
      `${layout('linux/amd64').dir} json`,
      `${layout('linux/amd64').dir} sarif`,
      `${layout('linux/arm64').dir} json`,
      `${layout('linux/arm64').dir} sarif`,
    ])
    expect(argvs.map((argv) => argv.includes('--skip-db-update'))).toEqual([false, true, true, true])
    expect(runs[0]!.sarif?.outcome.ok).toBe(true)
    expect(runs[1]!.sarif?.outcome).toEqual({
      ok: false,
      message: expect.stringContaining('no sarif report'),
    })
    expect(runs.map((run) => run.manifestDigest)).toEqual(layouts.map((entry) => entry.manifestDigest))

    const verdict = evaluateGate(scans, { now: new Date('2026-11-23T00:00:00Z') })
    expect(verdict.result).toBe('failed')
    expect(verdict.perPlatform['linux/amd64']!.result).toBe('passed')
    expect(verdict.perPlatform['linux/arm64']!.result).toBe('failed')
  })

  test('every run of every platform, JSON and SARIF, gets each VEX file', async () => {
    const vexFiles = [path.join(work, 'a.openvex.json'), path.join(work, 'b.csaf.json')]
    for (const file of vexFiles) writeFileSync(file, '{}')
    const reports = { '*': REPORTS['linux/amd64'] }
    const { scans } = await scanPlatforms(layouts, { ...common(reports), sarif: true, vexFiles })
    expect(Object.values(scans).every((scan) => scan.ok)).toBe(true)
    const argvs = loggedRuns().map((run) => run.argv)
    expect(argvs).toHaveLength(4)
    for (const argv of argvs) {
      const vex = argv.flatMap((arg, i) => (arg === '--vex' ? [argv[i + 1]] : []))
      expect(vex).toEqual(vexFiles)
    }
  })

  test('without the vuln scanner no run skips the DB update (none was fetched)', async () => {
    await scanPlatforms(layouts, { ...common(REPORTS), scanners: ['secret'] })
    expect(loggedRuns().map((run) => run.argv.includes('--skip-db-update'))).toEqual([false, false])
  })

  test('a platform whose scan fails leaves the DB update to the next one and makes the gate an error', async () => {
    const { scans } = await scanPlatforms(layouts, common({ ...REPORTS, 'linux/amd64': 'crash' }))
    expect(scans['linux/amd64']!.ok).toBe(false)
    expect(loggedRuns().map((run) => run.argv.includes('--skip-db-update'))).toEqual([false, false])
    expect(evaluateGate(scans, { now: new Date('2026-11-23T00:00:00Z') }).result).toBe('error')
  })
})
