// The scan stage on a real two-platform OCI layout built by buildx in the sandbox, with the Trivy
// double on PATH as `trivy` (the real binary cannot be downloaded here). The double replays
// recorded Trivy reports per platform (see __tests__/fixtures/scanners/PROVENANCE.md), so the
// verdicts below follow from those reports' real findings; the argv it recorded is checked too.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { readScanInputs } from '../../src/scan/inputs.js'
import { SEVERITIES } from '../../src/scan/severity.js'
import { readScanFiles, scanBuiltImage, type ScanStageOptions, scanWorkDir } from '../../src/scan/index.js'
import { fakeTrivyOnPath, type FakeTrivy, flagValue } from '../unit/scan/fake-trivy-on-path.js'
import { loadSandboxEnv } from './helpers/sandbox-env.js'
import { buildTwoPlatformLayout } from './helpers/two-platform-layout.js'

const env = loadSandboxEnv()
const BUILD_MS = 300_000
const SCAN_MS = 60_000
// The default for every test and hook of this file that names no timeout of its own. Set here, per
// file: jest-circus ignores a project-level testTimeout. Generous, for a loaded 2-core machine.
import.meta.jest.setTimeout(BUILD_MS)
const now = new Date('2026-11-23T12:00:00Z')

const CLEAN = { json: 'trivy/sl-micro-rancher-5.4-zero-vulns.json' }
/** alpine 3.9.4: CVE-2019-14697 CRITICAL in musl and musl-utils (fixed in 1.1.20-r5), 4 MEDIUM. */
const CRITICAL = { json: 'trivy/alpine-39.json' }
/** Terraform misconfigurations: HIGH 5, MEDIUM 1, LOW 2, nothing CRITICAL. */
const HIGH_ONLY = { json: 'trivy/action-config-terraform.json' }
/** debian 10.1: CVE-2019-18224 CRITICAL, fixed; CVE-2019-18276 LOW, status affected (no fix). */
const DEBIAN = { json: 'trivy/debian-buster.json' }

let work: string
let layoutDir: string
let trivy: FakeTrivy

beforeAll(async () => {
  work = mkdtempSync(path.join(os.tmpdir(), 'bsp-e2e-scan-stage-'))
  trivy = fakeTrivyOnPath(work)
  layoutDir = await buildTwoPlatformLayout(env, work, 'echo scanned > /hi', BUILD_MS)
}, BUILD_MS)

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true })
})

beforeEach(() => rmSync(trivy.argvLog, { force: true }))

async function scan(
  reports: Record<string, unknown>,
  values: Record<string, string> = {},
  extra: Partial<ScanStageOptions> = {},
) {
  const inputs = readScanInputs((name) => values[name] ?? '')
  return scanBuiltImage(layoutDir, inputs, await readScanFiles(inputs, work), {
    now,
    runnerTemp: path.join(work, 'runner-temp'),
    workspace: work,
    log: () => undefined,
    env: trivy.env(reports),
    ...extra,
  })
}

test(
  'a CRITICAL on linux/arm64 only: failed, nothing pushed, the summary names the platform and the CVE',
  async () => {
    const outcome = await scan({ 'linux/amd64': CLEAN, 'linux/arm64': CRITICAL })
    expect(outcome).toMatchObject({ result: 'failed', pushAllowed: false })
    expect(outcome.vulnerabilities).toEqual({
      'linux/amd64': { CRITICAL: 0, HIGH: 0, MEDIUM: 0, LOW: 0, UNKNOWN: 0 },
      'linux/arm64': { CRITICAL: 2, HIGH: 0, MEDIUM: 4, LOW: 0, UNKNOWN: 0 },
    })
    expect(outcome.verdict!.perPlatform['linux/amd64']!.result).toBe('passed')
    expect(outcome.summaryMarkdown).toContain('| linux/arm64 | ❌ failed | 2 | 0 | 4 | 0 | 0 | 0 |')
    expect(outcome.summaryMarkdown).toContain(
      '| CRITICAL | `CVE-2019-14697` | musl | 1.1.20-r4 | 1.1.20-r5 | linux/arm64 |',
    )
  },
  SCAN_MS,
)

test(
  'Trivy ran once per per-platform layout: JSON, every severity, no --ignore-unfixed, the timeout given',
  async () => {
    await scan(
      { 'linux/amd64': CLEAN, 'linux/arm64': CRITICAL },
      { 'ignore-unfixed': 'true', severity: 'HIGH' },
    )
    const runs = trivy.scans()
    expect(runs).toHaveLength(2)
    const platformsDir = path.join(scanWorkDir(layoutDir), 'platforms')
    expect(runs.map((argv) => flagValue(argv, '--input'))).toEqual([
      path.join(platformsDir, 'linux-amd64'),
      path.join(platformsDir, 'linux-arm64'),
    ])
    for (const argv of runs) {
      expect(argv[0]).toBe('image')
      expect(flagValue(argv, '--format')).toBe('json')
      expect(flagValue(argv, '--severity')).toBe(SEVERITIES.join(','))
      expect(flagValue(argv, '--scanners')).toBe('vuln')
      expect(flagValue(argv, '--exit-code')).toBe('0')
      expect(flagValue(argv, '--timeout')).toBe('600s')
      expect(argv).not.toContain('--ignore-unfixed')
      expect(argv).not.toContain('--ignorefile')
    }
    // The second platform reuses the DB the first run fetched.
    expect(runs.map((argv) => argv.includes('--skip-db-update'))).toEqual([false, true])
  },
  SCAN_MS,
)

test(
  'both platforms clean: passed, push allowed',
  async () => {
    const outcome = await scan({ '*': CLEAN })
    expect(outcome).toMatchObject({ result: 'passed', pushAllowed: true })
    expect(outcome.summaryMarkdown).toContain('### Vulnerability scan: ✅ passed')
  },
  SCAN_MS,
)

test(
  'severity CRITICAL lets a HIGH-only report pass; the default CRITICAL,HIGH does not',
  async () => {
    const reports = { 'linux/amd64': CLEAN, 'linux/arm64': HIGH_ONLY }
    const values = { scanners: 'vuln,misconfig' }
    expect((await scan(reports, values)).result).toBe('failed')
    const critical = await scan(reports, { ...values, severity: 'CRITICAL' })
    expect(critical).toMatchObject({ result: 'passed', pushAllowed: true })
    expect(critical.vulnerabilities['linux/arm64']).toEqual({
      CRITICAL: 0,
      HIGH: 5,
      MEDIUM: 1,
      LOW: 2,
      UNKNOWN: 0,
    })
    expect(trivy.scans().every((argv) => flagValue(argv, '--scanners') === 'vuln,misconfig')).toBe(true)
  },
  SCAN_MS,
)

test(
  'ignore-unfixed waives the unfixed LOW of debian-buster and turns a LOW gate from failed to passed',
  async () => {
    const reports = { '*': DEBIAN }
    const strict = await scan(reports, { severity: 'LOW' })
    expect(strict.result).toBe('failed')
    expect(strict.verdict!.blocking.map((finding) => [finding.id, finding.fixedVersion])).toEqual([
      ['CVE-2019-18276', undefined],
    ])
    const lenient = await scan(reports, { severity: 'LOW', 'ignore-unfixed': 'true' })
    expect(lenient.result).toBe('passed')
    expect(lenient.summaryMarkdown).toContain('| linux/arm64 | ✅ passed | 1 | 0 | 0 | 0 | 0 | 1 |')
    // The fixed CRITICAL still blocks the default gate: ignore-unfixed waives only what has no fix.
    expect((await scan(reports, { 'ignore-unfixed': 'true' })).result).toBe('failed')
  },
  SCAN_MS,
)

test(
  'a .trivyignore naming the CVE lets the image pass',
  async () => {
    writeFileSync(path.join(work, '.trivyignore'), '# accepted until the base image moves\nCVE-2019-14697\n')
    const outcome = await scan(
      { 'linux/amd64': CLEAN, 'linux/arm64': CRITICAL },
      { trivyignores: '.trivyignore' },
    )
    expect(outcome).toMatchObject({ result: 'passed', pushAllowed: true })
    expect(outcome.summaryMarkdown).toContain('| linux/arm64 | ✅ passed | 0 | 0 | 4 | 0 | 0 | 2 |')
    // The ignore file is ours to apply: Trivy is not told about it.
    expect(trivy.scans().some((argv) => argv.includes('--ignorefile'))).toBe(false)
  },
  SCAN_MS,
)

test.each([
  ['crashes', 'crash', /failed with exit code 2:\n.*simulated crash/],
  ['writes garbage', 'garbage', /Trivy JSON report cannot be read/],
  ['writes no report', 'no-report', /wrote no report/],
])(
  'a Trivy that %s on linux/arm64 makes the scan an error, never pushed even with scan-fail false',
  async (_what, behaviour, message) => {
    const outcome = await scan({ 'linux/amd64': CLEAN, 'linux/arm64': behaviour }, { 'scan-fail': 'false' })
    expect(outcome).toMatchObject({ result: 'error', pushAllowed: false })
    expect(outcome.vulnerabilities).toEqual({
      'linux/amd64': { CRITICAL: 0, HIGH: 0, MEDIUM: 0, LOW: 0, UNKNOWN: 0 },
      'linux/arm64': null,
    })
    expect(outcome.errorMessage).toMatch(message)
    expect(outcome.summaryMarkdown).toContain('| linux/arm64 | ⚠️ error |')
  },
  SCAN_MS,
)

test(
  'sarif: the code-scanning SARIF of the real layout has a run per platform with a SARIF report, blocking results only',
  async () => {
    const reports = {
      'linux/amd64': CLEAN,
      'linux/arm64': { json: 'trivy/alpine-310.json', sarif: 'trivy/alpine-310.sarif' },
    }
    // linux/amd64 has no recorded SARIF: its SARIF run fails, which is a warning, not a scan error.
    const outcome = await scan(reports, { sarif: 'true', severity: 'MEDIUM' })
    expect(outcome.result).toBe('failed')
    const sarif = JSON.parse(readFileSync(outcome.sarifFile!, 'utf8')) as {
      runs: { automationDetails: { id: string }; results: { ruleId: string }[] }[]
    }
    expect(sarif.runs.map((run) => run.automationDetails.id)).toEqual(['build-scan-push/linux/arm64/'])
    expect(new Set(sarif.runs[0]!.results.map((result) => result.ruleId))).toEqual(
      new Set(['CVE-2019-1549', 'CVE-2019-1551']),
    )
    expect(outcome.warnings).toEqual([
      expect.stringMatching(/^Trivy scan of linux\/amd64 failed with exit code 4/),
    ])
    const formats = trivy
      .scans()
      .map((argv) => `${flagValue(argv, '--input')!.split('/').pop()}:${flagValue(argv, '--format')}`)
    expect(formats).toEqual([
      'linux-amd64:json',
      'linux-amd64:sarif',
      'linux-arm64:json',
      'linux-arm64:sarif',
    ])
  },
  SCAN_MS,
)

test(
  'a Trivy that hangs is stopped after scan-timeout and the scan is an error',
  async () => {
    const started = Date.now()
    const outcome = await scan(
      { 'linux/amd64': CLEAN, 'linux/arm64': 'hang-ignoring-sigterm' },
      { 'scan-timeout': '2s' },
      { killAfterSeconds: 1 },
    )
    expect(outcome).toMatchObject({ result: 'error', pushAllowed: false })
    expect(outcome.errorMessage).toMatch(/linux\/arm64: Trivy scan of linux\/arm64 did not finish within 3s/)
    expect(Date.now() - started).toBeLessThan(20_000)
    expect(flagValue(trivy.scans()[1]!, '--timeout')).toBe('2s')
  },
  SCAN_MS,
)
