// The scan stage over a synthetic two-platform layout, with the Trivy double on PATH: what it
// returns for main.ts (result, push decision, outputs, SARIF file) without Docker. The e2e test
// (__tests__/e2e/scan-stage.test.ts) runs the same stage on a layout built by buildx.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { InputError } from '../../../src/action/errors.js'
import { readScanInputs, type ScanInputs } from '../../../src/scan/inputs.js'
import { readScanFiles, resolveVexFiles } from '../../../src/scan/scan-files.js'
import {
  prepareScanner,
  scanBuiltImage as scanWithFiles,
  scanWorkDir,
  type ScanStageOptions,
} from '../../../src/scan/index.js'
import { fakeTrivyOnPath, type FakeTrivy } from './fake-trivy-on-path.js'
import { writeSyntheticLayout } from './synthetic-layout.js'

let work: string
let layoutDir: string
let trivy: FakeTrivy
const now = new Date('2026-11-23T12:00:00Z')

beforeAll(() => {
  work = mkdtempSync(path.join(os.tmpdir(), 'bsp-scan-stage-'))
  layoutDir = writeSyntheticLayout(path.join(work, 'layout')).dir
  trivy = fakeTrivyOnPath(work)
})
afterAll(() => rmSync(work, { recursive: true, force: true }))
beforeEach(() => rmSync(trivy.argvLog, { force: true }))

function inputs(values: Record<string, string> = {}): ScanInputs {
  return readScanInputs((name) => values[name] ?? '')
}

function options(reports: Record<string, unknown>, extra: Partial<ScanStageOptions> = {}): ScanStageOptions {
  return {
    now,
    runnerTemp: path.join(work, 'runner-temp'),
    workspace: work,
    log: () => undefined,
    env: trivy.env(reports),
    ...extra,
  }
}

// As ship.ts does: the files are read before the build, then handed to the stage.
async function scanBuiltImage(layoutDir: string, inputs: ScanInputs, options: ScanStageOptions) {
  return scanWithFiles(layoutDir, inputs, await readScanFiles(inputs, options.workspace ?? work), options)
}

const ALPINE_310 = { json: 'trivy/alpine-310.json', sarif: 'trivy/alpine-310.sarif' }

test('scanner none: skipped, push allowed, Trivy never run', async () => {
  const outcome = await scanBuiltImage(layoutDir, inputs({ scanner: 'none' }), options({}))
  expect(outcome).toMatchObject({ result: 'skipped', pushAllowed: true, vulnerabilities: {}, warnings: [] })
  expect(outcome.summaryMarkdown).toContain('skipped')
  expect(trivy.scans()).toEqual([])
})

test('a missing ignore file is an InputError naming trivyignores, thrown before Trivy runs', async () => {
  const attempt = scanBuiltImage(layoutDir, inputs({ trivyignores: 'nope/.trivyignore' }), options({}))
  await expect(attempt).rejects.toThrow(InputError)
  await expect(attempt).rejects.toThrow(
    `Input "trivyignores": cannot read nope/.trivyignore (${path.join(work, 'nope', '.trivyignore')}): no such file`,
  )
  expect(trivy.scans()).toEqual([])
})

test('readScanFiles: wrong trivyignores or vex paths fail up front; with scanner none they are not read', async () => {
  await expect(readScanFiles(inputs({ trivyignores: 'nope/.trivyignore' }), work)).rejects.toThrow(
    'Input "trivyignores": cannot read nope/.trivyignore',
  )
  await expect(readScanFiles(inputs({ vex: 'nope/openvex.json' }), work)).rejects.toThrow(
    'Input "vex": cannot read nope/openvex.json',
  )
  await expect(
    readScanFiles(inputs({ scanner: 'none', vex: 'nope/openvex.json', trivyignores: 'nope' }), work),
  ).resolves.toEqual({ ignores: { entries: [], warnings: [] }, vexFiles: [] })
  writeFileSync(path.join(work, '.trivyignore'), 'CVE-2019-14697\n')
  const files = await readScanFiles(inputs({ trivyignores: '.trivyignore' }), work)
  expect(files.ignores.entries.map((entry) => entry.id)).toEqual(['CVE-2019-14697'])
})

test('VEX files are resolved against the workspace, absolute paths kept, in order', async () => {
  mkdirSync(path.join(work, '.vex'), { recursive: true })
  writeFileSync(path.join(work, '.vex', 'openvex.json'), '{}')
  const csaf = path.join(work, 'debian.csaf.json')
  writeFileSync(csaf, '{}')
  expect(await resolveVexFiles(['.vex/openvex.json', csaf], work)).toEqual([
    path.join(work, '.vex', 'openvex.json'),
    csaf,
  ])
  expect(await resolveVexFiles([], work)).toEqual([])
})

test('a missing VEX file is an InputError naming vex, thrown before Trivy is installed or run', async () => {
  const attempt = scanBuiltImage(
    layoutDir,
    inputs({ vex: 'nope/openvex.json' }),
    // An install would fail loudly (nothing listens there); the InputError comes first.
    options({ '*': ALPINE_310 }, { install: { baseUrl: 'http://127.0.0.1:9/releases', ignorePath: true } }),
  )
  await expect(attempt).rejects.toThrow(InputError)
  await expect(attempt).rejects.toThrow(
    `Input "vex": cannot read nope/openvex.json (${path.join(work, 'nope', 'openvex.json')}): no such file`,
  )
  expect(trivy.scans()).toEqual([])
})

test('a VEX path that is a directory, or that Trivy would split at a comma, is refused naming vex', async () => {
  mkdirSync(path.join(work, 'vex-dir'), { recursive: true })
  await expect(resolveVexFiles(['vex-dir'], work)).rejects.toThrow(
    `Input "vex": cannot read vex-dir (${path.join(work, 'vex-dir')}): not a file`,
  )
  writeFileSync(path.join(work, 'a,b.json'), '{}')
  await expect(resolveVexFiles(['a,b.json'], work)).rejects.toThrow(
    `Input "vex": a,b.json (${path.join(work, 'a,b.json')}): Trivy cannot take a VEX file path with a comma or a quote`,
  )
})

test('every platform’s Trivy run gets --vex with each file’s absolute path', async () => {
  writeFileSync(path.join(work, 'stage.openvex.json'), '{}')
  const outcome = await scanBuiltImage(
    layoutDir,
    inputs({ vex: 'stage.openvex.json' }),
    options({ '*': ALPINE_310 }),
  )
  expect(outcome.result).toBe('passed')
  const scans = trivy.scans()
  expect(scans).toHaveLength(2)
  for (const argv of scans) {
    expect(argv.filter((arg) => arg === '--vex')).toHaveLength(1)
    expect(argv[argv.indexOf('--vex') + 1]).toBe(path.join(work, 'stage.openvex.json'))
  }
  expect(outcome.summaryMarkdown).toContain('VEX applied by Trivy: `stage.openvex.json`')
})

test('passed: one JSON scan per platform, counts per platform, logs the argv', async () => {
  const logged: string[] = []
  const outcome = await scanBuiltImage(
    layoutDir,
    inputs(),
    options({ '*': ALPINE_310 }, { log: (line) => logged.push(line) }),
  )
  expect(outcome).toMatchObject({ result: 'passed', pushAllowed: true })
  expect(outcome.sarifFile).toBeUndefined()
  expect(outcome.vulnerabilities).toEqual({
    'linux/amd64': { CRITICAL: 0, HIGH: 0, MEDIUM: 4, LOW: 0, UNKNOWN: 0 },
    'linux/arm64': { CRITICAL: 0, HIGH: 0, MEDIUM: 4, LOW: 0, UNKNOWN: 0 },
  })
  expect(trivy.scans()).toHaveLength(2)
  expect(logged.some((line) => line.startsWith('Using trivy 0.74.0 found at '))).toBe(true)
  expect(logged.filter((line) => line.startsWith('trivy image --input '))).toHaveLength(2)
  // The per-platform layouts are gone; the reports stay beside the layout.
  expect(existsSync(path.join(scanWorkDir(layoutDir), 'platforms'))).toBe(false)
  expect(existsSync(path.join(scanWorkDir(layoutDir), 'reports', 'linux-amd64.json'))).toBe(true)
})

test('the scanner is made ready before the layout exists, and the stage scans with it', async () => {
  const layout = path.join(work, 'built-later')
  const later: string[] = []
  const stage = options({ '*': ALPINE_310 }, { log: (line) => later.push(line) })
  const preparation = prepareScanner(inputs(), stage)!
  const early: string[] = []
  await preparation.ready((line) => early.push(line))
  expect(existsSync(layout)).toBe(false)
  expect(early).toEqual([`Using trivy 0.74.0 found at ${path.join(trivy.binDir, 'trivy')}`])

  writeSyntheticLayout(layout)
  const files = await readScanFiles(inputs(), work)
  const outcome = await scanWithFiles(layout, inputs(), files, stage, preparation)
  expect(outcome).toMatchObject({ result: 'passed', pushAllowed: true })
  expect(trivy.scans()).toHaveLength(2)
  // Trivy was found once, by the preparation; the stage only scanned with it.
  expect(later.filter((line) => line.startsWith('Using trivy'))).toEqual([])
  expect(later[0]).toBe('Scanning linux/amd64, linux/arm64 with trivy 0.74.0')
})

test('the lines of a preparation started earlier come out first at the scan stage', async () => {
  const logged: string[] = []
  const stage = options({ '*': ALPINE_310 }, { log: (line) => logged.push(line) })
  const preparation = prepareScanner(inputs(), stage)
  expect(logged).toEqual([])
  const files = await readScanFiles(inputs(), work)
  await scanWithFiles(layoutDir, inputs(), files, stage, preparation)
  expect(logged[0]).toMatch(/^Using trivy 0\.74\.0 found at /)
  expect(logged[1]).toBe('Scanning linux/amd64, linux/arm64 with trivy 0.74.0')
})

test("a preparation that failed before the build ended is the stage's error, with its message", async () => {
  const stage = options(
    { '*': ALPINE_310 },
    { install: { baseUrl: 'http://127.0.0.1:9/releases', ignorePath: true } },
  )
  const scanInputs = inputs({ 'trivy-version': '0.73.0' })
  const preparation = prepareScanner(scanInputs, stage)!
  const failure = await preparation
    .ready(() => undefined)
    .then(
      () => 'prepared',
      (error: Error) => error.message,
    )
  expect(failure).not.toBe('prepared')
  const outcome = await scanWithFiles(
    layoutDir,
    scanInputs,
    await readScanFiles(scanInputs, work),
    stage,
    preparation,
  )
  expect(outcome).toMatchObject({ result: 'error', pushAllowed: false, vulnerabilities: {} })
  expect(outcome.errorMessage).toBe(`The scan did not run to the end: ${failure}`)
  expect(outcome.summaryMarkdown).toContain(`> The scan did not run to the end: ${failure}`)
  expect(trivy.scans()).toEqual([])
})

test('scanner none: nothing is prepared', () => {
  expect(prepareScanner(inputs({ scanner: 'none' }), options({}))).toBeUndefined()
})

test('DB mirrors from the inputs reach every Trivy run', async () => {
  await scanBuiltImage(
    layoutDir,
    inputs({ 'trivy-db-repository': 'mirror.example.com/aquasec/trivy-db:2' }),
    options({ '*': ALPINE_310 }),
  )
  const scans = trivy.scans()
  expect(scans).toHaveLength(2)
  for (const argv of scans) {
    expect(argv[argv.indexOf('--db-repository') + 1]).toBe('mirror.example.com/aquasec/trivy-db:2')
    expect(argv).not.toContain('--java-db-repository')
  }
})

test('failed with scan-fail false: reported, the push may go on', async () => {
  const reports = { 'linux/amd64': ALPINE_310, 'linux/arm64': { json: 'trivy/alpine-39.json' } }
  const blocked = await scanBuiltImage(layoutDir, inputs(), options(reports))
  expect(blocked).toMatchObject({ result: 'failed', pushAllowed: false })
  const tolerated = await scanBuiltImage(layoutDir, inputs({ 'scan-fail': 'false' }), options(reports))
  expect(tolerated).toMatchObject({ result: 'failed', pushAllowed: true })
  expect(tolerated.summaryMarkdown).toContain('**The push is not blocked** (`scan-fail: false`)')
})

test('error is never pushed, even with scan-fail false', async () => {
  const outcome = await scanBuiltImage(
    layoutDir,
    inputs({ 'scan-fail': 'false' }),
    options({ 'linux/amd64': ALPINE_310, 'linux/arm64': 'crash' }),
  )
  expect(outcome).toMatchObject({ result: 'error', pushAllowed: false })
  expect(outcome.vulnerabilities['linux/arm64']).toBeNull()
  expect(outcome.errorMessage).toMatch(/^Some platforms could not be scanned:\nlinux\/arm64: Trivy scan/)
})

test('Trivy cannot be installed: error, not a pass, and the summary says why', async () => {
  const outcome = await scanBuiltImage(
    layoutDir,
    inputs({ 'trivy-version': '0.73.0' }),
    options({ '*': ALPINE_310 }, { install: { baseUrl: 'http://127.0.0.1:9/releases', ignorePath: true } }),
  )
  expect(outcome).toMatchObject({ result: 'error', pushAllowed: false, vulnerabilities: {} })
  expect(outcome.errorMessage).toMatch(/^The scan did not run to the end: /)
  expect(outcome.summaryMarkdown).toContain('> The scan did not run to the end: ')
  expect(trivy.scans()).toEqual([])
})

test('sarif true: one code-scanning SARIF in RUNNER_TEMP, one run per platform, filtered like the gate', async () => {
  const outcome = await scanBuiltImage(
    layoutDir,
    inputs({ sarif: 'true', severity: 'MEDIUM' }),
    options({ '*': ALPINE_310 }),
  )
  expect(outcome.result).toBe('failed')
  expect(outcome.sarifFile).toBe(path.join(work, 'runner-temp', 'build-scan-push', 'trivy-results.sarif'))
  const sarif = JSON.parse(readFileSync(outcome.sarifFile!, 'utf8')) as {
    runs: { automationDetails: { id: string }; results: unknown[] }[]
  }
  expect(sarif.runs.map((run) => [run.automationDetails.id, run.results.length])).toEqual([
    ['build-scan-push/linux/amd64/', 4],
    ['build-scan-push/linux/arm64/', 4],
  ])
  // A JSON and a SARIF run per platform.
  expect(trivy.scans().map((argv) => argv[argv.indexOf('--format') + 1])).toEqual([
    'json',
    'sarif',
    'json',
    'sarif',
  ])
})

test('sarif with a path: written there (relative to the workspace); nothing blocking → empty runs', async () => {
  const outcome = await scanBuiltImage(
    layoutDir,
    inputs({ sarif: 'out/scan.sarif' }),
    options({ '*': ALPINE_310 }),
  )
  expect(outcome.sarifFile).toBe(path.join(work, 'out', 'scan.sarif'))
  const sarif = JSON.parse(readFileSync(outcome.sarifFile!, 'utf8')) as { runs: { results: unknown[] }[] }
  expect(sarif.runs.map((run) => run.results.length)).toEqual([0, 0])
})

test('a sarif path that leaves the workspace and RUNNER_TEMP is not written, even if the early check was skipped', async () => {
  // The stage checks again where it writes: a link or a path changed after the pre-check must not carry it out.
  const escaped = path.join(path.dirname(work), `${path.basename(work)}-escaped.sarif`)
  try {
    const outcome = await scanBuiltImage(
      layoutDir,
      inputs({ sarif: `../${path.basename(escaped)}` }),
      options({ '*': ALPINE_310 }),
    )
    expect(outcome.sarifFile).toBeUndefined()
    expect(outcome.warnings).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^No code-scanning SARIF was written: Input "sarif": \.\.\/.* resolves to .*, outside the workspace/,
        ),
      ]),
    )
    expect(existsSync(escaped)).toBe(false)
  } finally {
    rmSync(escaped, { force: true })
  }
})

test('sarif asked for but Trivy has no SARIF report: a warning, no file, the verdict unchanged', async () => {
  const outcome = await scanBuiltImage(
    layoutDir,
    inputs({ sarif: 'true' }),
    options({ '*': { json: 'trivy/alpine-310.json' } }),
  )
  expect(outcome).toMatchObject({ result: 'passed', pushAllowed: true })
  expect(outcome.sarifFile).toBeUndefined()
  expect(outcome.warnings).toEqual(
    expect.arrayContaining([
      expect.stringMatching(/^Trivy scan of linux\/amd64 failed with exit code 4/),
      'No code-scanning SARIF was written: no platform has a SARIF report',
    ]),
  )
})

test('ignore files: entries from every file, a bad expiry warned about with the file name', async () => {
  writeFileSync(path.join(work, 'a.trivyignore'), 'CVE-2019-1549\n')
  writeFileSync(path.join(work, 'b.trivyignore'), 'CVE-2019-1551 exp:someday\n')
  const outcome = await scanBuiltImage(
    layoutDir,
    inputs({ severity: 'MEDIUM', trivyignores: 'a.trivyignore,b.trivyignore' }),
    options({ '*': ALPINE_310 }),
  )
  expect(outcome.result).toBe('failed')
  expect(outcome.verdict!.blocking.map((finding) => finding.id)).toEqual(['CVE-2019-1551', 'CVE-2019-1551'])
  expect(outcome.warnings).toEqual([
    'b.trivyignore line 1: "exp:someday" is not a date (exp:YYYY-MM-DD), so CVE-2019-1551 is not ignored',
  ])
})

test('an expired ignore entry waives nothing: the finding blocks, and the log and summary say why', async () => {
  writeFileSync(path.join(work, 'expired.trivyignore'), 'CVE-2019-1549 exp:2026-01-01\n')
  const outcome = await scanBuiltImage(
    layoutDir,
    inputs({ severity: 'MEDIUM', trivyignores: 'expired.trivyignore' }),
    options({ '*': ALPINE_310 }),
  )
  expect(outcome.result).toBe('failed')
  expect(outcome.verdict!.blocking.map((finding) => finding.id)).toContain('CVE-2019-1549')
  expect(outcome.warnings).toEqual(['Ignore entry CVE-2019-1549 has expired and no longer waives anything'])
  expect(outcome.summaryMarkdown).toContain(
    '- Ignore entry `CVE-2019-1549` (line 1) expired on 2026-01-01 and waives nothing any more',
  )
})
