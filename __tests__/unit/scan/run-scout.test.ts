// Running `docker scout cves` per platform, with the replaying double in the place of the plugin.
// The docker CLI hands a plugin `scout cves …`; the double is started with that same argv here
// (the e2e test, scout-scan.test.ts, goes through the real docker CLI).
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { PlatformLayout } from '../../../src/scan/platform-layouts.js'
import { writePlatformLayouts } from '../../../src/scan/platform-layouts.js'
import {
  exitMatchesReport,
  scanPlatformsWithScout,
  scoutCvesArgs,
  scoutEnv,
  scoutErrorLine,
  type ScanWithScoutOptions,
} from '../../../src/scan/run-scout.js'
import { fixture } from './fixtures.js'
import { writeSyntheticLayout } from './synthetic-layout.js'

const FAKE_SCOUT = fileURLToPath(
  new URL('../../fake-scanners/docker-scout-replaying-recorded-reports', import.meta.url),
)
const DIR = 'scout/wilds-docker-library_MIT'
const CLEAN = { markdown: `${DIR}/cves-markdown-clean_star-2.7.4a.md` }
const TWO_HIGH = { markdown: `${DIR}/cves-markdown-2high_consensus-0.1.1.md` }
const LOGIN = { username: 'scanbot', password: 'dckr_pat_secret', source: 'scout-username' }

let work: string
let layouts: PlatformLayout[]
let argvLog: string

beforeAll(async () => {
  work = mkdtempSync(path.join(os.tmpdir(), 'bsp-run-scout-'))
  const layout = writeSyntheticLayout(path.join(work, 'layout'))
  layouts = await writePlatformLayouts(layout.dir, path.join(work, 'platforms'))
})
afterAll(() => rmSync(work, { recursive: true, force: true }))
beforeEach(() => {
  argvLog = path.join(mkdtempSync(path.join(work, 'run-')), 'argv.jsonl')
})

function scan(reports: Record<string, unknown>, extra: Partial<ScanWithScoutOptions> = {}) {
  const logged: string[] = []
  const result = scanPlatformsWithScout(layouts, {
    command: { file: FAKE_SCOUT, prefix: ['scout'], dockerConfig: path.join(work, 'docker-config') },
    login: LOGIN,
    env: {
      PATH: process.env.PATH,
      FAKE_SCOUT_REPORTS: JSON.stringify(reports),
      FAKE_SCOUT_ARGV_LOG: argvLog,
      DOCKER_SCOUT_HUB_USER: 'someone-else',
      DOCKER_SCOUT_OFFLINE: '1',
      INPUT_PASSWORD: 'not for scout',
    },
    workDir: path.dirname(argvLog),
    severities: ['CRITICAL', 'HIGH'],
    ignoreUnfixed: false,
    timeoutSeconds: 60,
    sarif: false,
    log: (message) => logged.push(message),
    ...extra,
  })
  return { result, logged }
}

function runsLogged(): Array<{
  argv: string[]
  hubUser: string
  hubPasswordSet: boolean
  envKeys: string[]
}> {
  return existsSync(argvLog)
    ? readFileSync(argvLog, 'utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line))
    : []
}

test('argv: markdown to a file, the gate as Scout filters, exit code, the layout as oci-dir://', () => {
  expect(
    scoutCvesArgs({
      layoutDir: '/tmp/p/linux-arm64',
      outputFile: '/tmp/r/linux-arm64.md',
      format: 'markdown',
      severities: ['CRITICAL', 'HIGH', 'UNKNOWN'],
      ignoreUnfixed: true,
      exitCode: true,
    }),
  ).toEqual([
    'cves',
    '--format',
    'markdown',
    '--output',
    '/tmp/r/linux-arm64.md',
    '--only-severity',
    'critical,high,unspecified',
    '--only-fixed',
    '--exit-code',
    'oci-dir:///tmp/p/linux-arm64',
  ])
})

test('one clean platform, one with two HIGH: both parsed, and Scout alone got the login', async () => {
  const { result } = scan({ 'linux/amd64': CLEAN, 'linux/arm64': TWO_HIGH })
  const runs = await result
  expect(
    runs.map((run) => [run.platform, run.markdown.outcome.ok && run.markdown.outcome.findings.length]),
  ).toEqual([
    ['linux/amd64', 0],
    ['linux/arm64', 2],
  ])
  expect(runs[1]?.markdown.report).toBe(fixture(TWO_HIGH.markdown))
  const logged = runsLogged()
  expect(logged).toHaveLength(2)
  for (const run of logged) {
    expect(run.argv.slice(0, 2)).toEqual(['scout', 'cves'])
    expect(run.hubUser).toBe('scanbot')
    expect(run.hubPasswordSet).toBe(true)
    expect(run.envKeys).not.toContain('DOCKER_SCOUT_OFFLINE')
    expect(run.envKeys).not.toContain('INPUT_PASSWORD')
  }
})

test("the recorded rate limit: a scan error naming the platform and Scout's own message", async () => {
  const [amd64, arm64] = await scan({ 'linux/amd64': CLEAN, 'linux/arm64': 'rate-limit' }).result
  expect(amd64?.markdown.outcome.ok).toBe(true)
  expect(arm64?.markdown.outcome).toEqual({
    ok: false,
    message: expect.stringMatching(
      /^Docker Scout scan of linux\/arm64 failed with exit code 1: failed to get image .*TOOMANYREQUESTS: You have reached your pull rate limit.* \(code 1\)$/,
    ),
  })
})

test('exit 255 (docker/scout-cli#213) is tried once more, and said so', async () => {
  const { result, logged } = scan({ '*': { ...TWO_HIGH, firstExit: 255 } })
  const runs = await result
  expect(runs.every((run) => run.markdown.outcome.ok)).toBe(true)
  expect(runsLogged()).toHaveLength(4)
  expect(logged).toContain(
    'Docker Scout scan of linux/amd64 exited with code 255 (docker/scout-cli#213); trying once more',
  )
})

test('without the login Scout fails, and that is a scan error, not a pass', async () => {
  const [run] = await scan({ '*': CLEAN }, { login: { username: '', password: '', source: 'x' } }).result
  expect(run?.markdown.outcome).toEqual({
    ok: false,
    message: expect.stringContaining('failed with exit code 1'),
  })
})

test('an exit code the report contradicts is a scan error', () => {
  const high = { kind: 'vulnerability' as const, id: 'CVE-1', severity: 'HIGH' as const, target: 'x' }
  const filters = { severities: ['CRITICAL', 'HIGH'] as const, ignoreUnfixed: false }
  expect(exitMatchesReport(2, [high], { ...filters, severities: ['HIGH'] })).toBe(true)
  expect(exitMatchesReport(0, [high], { ...filters, severities: ['HIGH'] })).toBe(false)
  expect(exitMatchesReport(2, [], { ...filters, severities: ['HIGH'] })).toBe(false)
  // With --only-fixed, an unfixed finding is not one Scout counts.
  expect(exitMatchesReport(0, [high], { severities: ['HIGH'], ignoreUnfixed: true })).toBe(true)
})

test("Scout's error line: colours taken out, the code kept", () => {
  expect(scoutErrorLine(fixture(`${DIR}/cves-markdown-error-ratelimit_rtorch-0.13.0.txt`))).toMatch(
    /^failed to get image getwilds\/rtorch:0\.13\.0: .*TOOMANYREQUESTS.* \(code 1\)$/,
  )
  expect(scoutErrorLine('    ✓ Indexed 638 packages\n')).toBeUndefined()
})

test("Scout's environment: no step DOCKER_SCOUT_* or INPUT_*, the login, the private config and cache", () => {
  const env = scoutEnv(
    {
      HOME: '/home/u',
      DOCKER_CONFIG: '/home/u/.docker',
      DOCKER_SCOUT_NO_CACHE: '1',
      INPUT_SCOUT_PASSWORD: 'x',
    },
    LOGIN,
    '/tmp/private',
    '/tmp/cache',
  )
  expect(env).toEqual({
    HOME: '/home/u',
    DOCKER_CONFIG: '/tmp/private',
    DOCKER_SCOUT_HUB_USER: 'scanbot',
    DOCKER_SCOUT_HUB_PASSWORD: 'dckr_pat_secret',
    DOCKER_SCOUT_CACHE_DIR: '/tmp/cache',
  })
})
