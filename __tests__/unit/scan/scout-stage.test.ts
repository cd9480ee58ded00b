// The scan stage with `scanner: scout` over a synthetic two-platform layout: what it returns for
// main.ts (result, push decision, counts, summary, SARIF) without Docker. The Scout double is the
// installed plugin the stage finds, and stands in for the docker CLI too: the docker CLI hands a
// plugin `scout cves …`, the argv the stage gives its `docker` here. The e2e test
// (__tests__/e2e/scout-scan.test.ts) goes through the real docker CLI.
import { mkdirSync, mkdtempSync, readlinkSync, rmSync, symlinkSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { readScanInputs, type ScanInputs } from '../../../src/scan/inputs.js'
import { readScanFiles } from '../../../src/scan/scan-files.js'
import { scanBuiltImage, type ScanStageOptions } from '../../../src/scan/index.js'
import { writeSyntheticLayout } from './synthetic-layout.js'

// downloadTool retries failed downloads after 10-20 s; no waiting in tests.
Object.assign(globalThis, {
  TEST_DOWNLOAD_TOOL_RETRY_MIN_SECONDS: 0,
  TEST_DOWNLOAD_TOOL_RETRY_MAX_SECONDS: 0,
})

const FAKE_SCOUT = fileURLToPath(
  new URL('../../fake-scanners/docker-scout-replaying-recorded-reports', import.meta.url),
)
const DIR = 'scout/wilds-docker-library_MIT'
const CLEAN = { markdown: `${DIR}/cves-markdown-clean_star-2.7.4a.md` }
const TWO_HIGH = {
  markdown: `${DIR}/cves-markdown-2high_consensus-0.1.1.md`,
  sarif: 'scout/luminous-onion_BSD-3-Clause/sarif-0.24.1-rules-only-trimmed_xstream.json',
}

let work: string
let layoutDir: string
let userPlugins: string
let dockerConfig: string

beforeAll(() => {
  work = mkdtempSync(path.join(os.tmpdir(), 'bsp-scout-stage-'))
  layoutDir = writeSyntheticLayout(path.join(work, 'layout')).dir
  userPlugins = path.join(work, 'user-plugins')
  mkdirSync(userPlugins)
  symlinkSync(FAKE_SCOUT, path.join(userPlugins, 'docker-scout'))
})
afterAll(() => rmSync(work, { recursive: true, force: true }))
beforeEach(() => {
  dockerConfig = mkdtempSync(path.join(work, 'private-config-'))
  mkdirSync(path.join(dockerConfig, 'cli-plugins'))
})

function inputs(values: Record<string, string> = {}): ScanInputs {
  const all: Record<string, string> = {
    scanner: 'scout',
    'scout-username': 'bot',
    'scout-password': 'pat',
    ...values,
  }
  return readScanInputs((name) => all[name] ?? '')
}

function options(reports: Record<string, unknown>): ScanStageOptions {
  return {
    now: new Date('2026-11-23T12:00:00Z'),
    runnerTemp: path.join(work, 'runner-temp'),
    workspace: work,
    log: () => undefined,
    env: { PATH: process.env.PATH, FAKE_SCOUT_REPORTS: JSON.stringify(reports) },
    scout: { docker: FAKE_SCOUT, dockerConfig, install: { pluginDirs: [userPlugins] } },
  }
}

async function scan(values: Record<string, string>, reports: Record<string, unknown>) {
  const scanInputs = inputs(values)
  return scanBuiltImage(layoutDir, scanInputs, await readScanFiles(scanInputs, work), options(reports))
}

test('two HIGH on one platform: failed, no push, the counts, the Scout label and report in the summary', async () => {
  const outcome = await scan({}, { 'linux/amd64': CLEAN, 'linux/arm64': TWO_HIGH })
  expect(outcome.result).toBe('failed')
  expect(outcome.pushAllowed).toBe(false)
  expect(outcome.vulnerabilities).toEqual({
    'linux/amd64': { CRITICAL: 0, HIGH: 0, MEDIUM: 0, LOW: 0, UNKNOWN: 0 },
    'linux/arm64': { CRITICAL: 0, HIGH: 2, MEDIUM: 0, LOW: 0, UNKNOWN: 0 },
  })
  expect(outcome.verdict?.blocking.map((finding) => finding.id)).toEqual(['CVE-2022-40897', 'CVE-2024-6345'])
  expect(outcome.summaryMarkdown).toContain('Docker Scout 1.23.0 · blocking severities: CRITICAL, HIGH')
  expect(outcome.summaryMarkdown).toContain('<details><summary>Scanner report for linux/arm64</summary>')
  // The plugin the stage runs is the private config's link, to the installed plugin.
  expect(readlinkSync(path.join(dockerConfig, 'cli-plugins', 'docker-scout'))).toBe(
    path.join(userPlugins, 'docker-scout'),
  )
})

test('a rate-limited platform is an error, and an error never lets the push through', async () => {
  const outcome = await scan({ 'scan-fail': 'false' }, { 'linux/amd64': CLEAN, 'linux/arm64': 'rate-limit' })
  expect(outcome.result).toBe('error')
  expect(outcome.pushAllowed).toBe(false)
  expect(outcome.vulnerabilities['linux/arm64']).toBeNull()
  expect(outcome.errorMessage).toMatch(
    /^Some platforms could not be scanned:\nlinux\/arm64: Docker Scout scan of linux\/arm64 failed with exit code 1: .*TOOMANYREQUESTS/,
  )
})

test('sarif: Scout is asked for SARIF per platform; the recorded one has no results, so none is written', async () => {
  const outcome = await scan({ sarif: 'true' }, { '*': TWO_HIGH })
  expect(outcome.sarifFile).toBeUndefined()
  expect(outcome.warnings).toEqual(
    expect.arrayContaining([
      expect.stringContaining('Docker Scout scan of linux/amd64: SARIF report cannot be read'),
    ]),
  )
})

test('an installed plugin of another version is not used: with no release reachable, the stage errs', async () => {
  process.env.FAKE_SCOUT_VERSION = '1.17.0'
  process.env.RUNNER_TOOL_CACHE = path.join(work, 'tool-cache')
  try {
    const scanInputs = inputs()
    const stage = options({ '*': CLEAN })
    stage.scout = {
      ...stage.scout!,
      install: { pluginDirs: [userPlugins], baseUrl: 'http://127.0.0.1:9/releases' },
    }
    const outcome = await scanBuiltImage(layoutDir, scanInputs, await readScanFiles(scanInputs, work), stage)
    expect(outcome.result).toBe('error')
    expect(outcome.errorMessage).toMatch(
      /^The scan did not run to the end: Cannot download http:\/\/127\.0\.0\.1:9/,
    )
  } finally {
    delete process.env.FAKE_SCOUT_VERSION
    delete process.env.RUNNER_TOOL_CACHE
  }
}, 30_000)

test('a stage that fails before Scout runs still names Docker Scout in the summary', async () => {
  const scanInputs = inputs()
  const stage = options({ '*': CLEAN })
  delete stage.scout
  const outcome = await scanBuiltImage(layoutDir, scanInputs, await readScanFiles(scanInputs, work), stage)
  expect(outcome.result).toBe('error')
  expect(outcome.summaryMarkdown).toContain('Docker Scout 1.23.0 · blocking severities')
})
