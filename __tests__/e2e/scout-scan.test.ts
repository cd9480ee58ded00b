// The whole pipeline with `scanner: scout` on the real sandbox: build two platforms once, run
// `docker scout cves` through the real docker CLI on each platform's layout, and push only what
// the gate lets through. Scout itself cannot be downloaded or logged into here, so the user's
// docker config holds the replaying double as its `docker-scout` plugin, of the pinned version:
// the action takes it as an installed plugin and links it into the step's own config, the path a
// downloaded plugin takes too.
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  log,
  output,
  pushEvent,
  registryAuth,
  runBuildPush,
  tagsOf,
  uniqueRepo,
  type RunResult,
} from './helpers/build-push-run.js'
import { RegistryClient } from './helpers/registry.js'
import { loadSandboxEnv } from './helpers/sandbox-env.js'

const env = loadSandboxEnv()
const BUILD_MS = 300_000
import.meta.jest.setTimeout(BUILD_MS)

const FAKE_SCOUT = fileURLToPath(
  new URL('../fake-scanners/docker-scout-replaying-recorded-reports', import.meta.url),
)
const DIR = 'scout/wilds-docker-library_MIT'
const CLEAN = { markdown: `${DIR}/cves-markdown-clean_star-2.7.4a.md` }
/** setuptools 33.1.1: CVE-2022-40897 and CVE-2024-6345, both HIGH, both fixed. */
const TWO_HIGH = { markdown: `${DIR}/cves-markdown-2high_consensus-0.1.1.md` }
const SCOUT_LOGIN = { 'scout-username': 'scanbot', 'scout-password': 'dckr_pat_e2e_scout_secret' }

let work: string
let userConfig: string
let argvLog: string
const runs: RunResult[] = []

beforeAll(() => {
  work = mkdtempSync(path.join(os.tmpdir(), 'bsp-e2e-scout-'))
  // The user's docker config: the sandbox's auths and buildx, plus the double as docker-scout.
  userConfig = path.join(work, 'user-docker-config')
  mkdirSync(path.join(userConfig, 'cli-plugins'), { recursive: true })
  copyFileSync(path.join(env.dockerConfig, 'config.json'), path.join(userConfig, 'config.json'))
  for (const plugin of readdirSync(path.join(env.dockerConfig, 'cli-plugins'))) {
    symlinkSync(
      path.join(env.dockerConfig, 'cli-plugins', plugin),
      path.join(userConfig, 'cli-plugins', plugin),
    )
  }
  symlinkSync(FAKE_SCOUT, path.join(userConfig, 'cli-plugins', 'docker-scout'))
  argvLog = path.join(work, 'scout-argv.jsonl')
})

afterAll(() => {
  for (const run of runs) rmSync(run.runnerTemp, { recursive: true, force: true })
  rmSync(work, { recursive: true, force: true })
})

interface LoggedRun {
  argv: string[]
  hubUser: string | null
  hubPasswordSet: boolean
  dockerConfig: string | null
}

function scoutRuns(): LoggedRun[] {
  try {
    return readFileSync(argvLog, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as LoggedRun)
      .filter((run) => run.argv.includes('cves'))
  } catch {
    return []
  }
}

/** A v1.2.3 release of a fresh repository, scanned by Scout with the double answering per platform. */
async function release(reports: Record<string, unknown>, inputs: Record<string, string> = SCOUT_LOGIN) {
  const repo = uniqueRepo('scout')
  const event = pushEvent('refs/tags/v1.2.3')
  const result = await runBuildPush(env, {
    event: {
      ...event,
      env: {
        ...event.env,
        DOCKER_CONFIG: userConfig,
        FAKE_SCOUT_REPORTS: JSON.stringify(reports),
        FAKE_SCOUT_ARGV_LOG: argvLog,
      },
    },
    inputs: {
      images: `${env.plain.host}/${repo}`,
      'registry-auth': registryAuth(env.plain),
      scanner: 'scout',
      ...inputs,
    },
  })
  runs.push(result)
  return { repo, result }
}

test('two HIGH on linux/arm64 only: nothing is pushed, and Scout got the gate as its filters', async () => {
  const before = scoutRuns().length
  const { repo, result } = await release({ 'linux/amd64': CLEAN, 'linux/arm64': TWO_HIGH })
  expect(result.main.code).toBe(1)
  expect(await tagsOf(env.plain, repo)).toEqual([])
  expect(output(result, 'scan-result')).toBe('failed')
  expect(output(result, 'pushed')).toBe('false')
  const counts = JSON.parse(output(result, 'vulnerabilities'))
  expect(counts['linux/arm64'].HIGH).toBe(2)
  expect(counts['linux/amd64'].HIGH).toBe(0)
  expect(result.main.stdout).toMatch(
    /::error::The scan gate found blocking findings.*CVE-2022-40897 \(HIGH, linux\/arm64\)/,
  )
  expect(result.summary).toContain('Docker Scout 1.23.0')
  expect(result.summary).toContain('<details><summary>Scanner report for linux/arm64</summary>')
  // One run per single-platform layout, through the docker CLI, with the login and nothing else.
  const scans = scoutRuns().slice(before)
  expect(scans).toHaveLength(2)
  for (const run of scans) {
    expect(run.argv.slice(0, 4)).toEqual(['scout', 'cves', '--format', 'markdown'])
    expect(run.argv).toContain('--exit-code')
    expect(run.argv[run.argv.indexOf('--only-severity') + 1]).toBe('critical,high')
    expect(run.argv.at(-1)).toMatch(/^oci-dir:\/\/.*\/linux-(amd64|arm64)$/)
    expect(run.hubUser).toBe('scanbot')
    expect(run.hubPasswordSet).toBe(true)
    // The step's own config, never the user's.
    expect(run.dockerConfig).not.toBe(userConfig)
  }
  // Masked first, then never printed (but in the runner's own ::add-mask:: command).
  const lines = log(result).split('\n')
  const mask = lines.indexOf(`::add-mask::${SCOUT_LOGIN['scout-password']}`)
  expect(mask).toBeGreaterThanOrEqual(0)
  expect(lines.filter((line, i) => i !== mask && line.includes(SCOUT_LOGIN['scout-password']))).toEqual([])
  // The user's plugins are as they were: the step linked Scout into its own config only.
  expect(readdirSync(path.join(userConfig, 'cli-plugins')).sort()).toEqual(
    [...readdirSync(path.join(env.dockerConfig, 'cli-plugins')), 'docker-scout'].sort(),
  )
  expect(result.post.code).toBe(0)
})

test('every platform clean: the scanned layout is pushed and verified', async () => {
  const { repo, result } = await release({ '*': CLEAN })
  expect(result.main.code).toBe(0)
  expect(output(result, 'scan-result')).toBe('passed')
  expect(output(result, 'pushed')).toBe('true')
  expect(await new RegistryClient(env.plain).headDigest(repo, '1.2.3')).toBe(output(result, 'digest'))
  // The plugin was installed while the image built; what it said is printed in the scan's group.
  const stdout = result.main.stdout
  const scanGroup = stdout.indexOf('::group::Scan every platform')
  expect(stdout.indexOf('\nBuilt sha256:')).toBeGreaterThan(-1)
  expect(stdout.indexOf('\nBuilt sha256:')).toBeLessThan(scanGroup)
  expect(stdout.indexOf('\nUsing docker scout ')).toBeGreaterThan(scanGroup)
})

test('the recorded Docker Hub rate limit on one platform: a scan error naming it, nothing pushed', async () => {
  const { repo, result } = await release(
    { 'linux/amd64': CLEAN, 'linux/arm64': 'rate-limit' },
    {
      ...SCOUT_LOGIN,
      'scan-fail': 'false',
    },
  )
  expect(result.main.code).toBe(1)
  expect(output(result, 'scan-result')).toBe('error')
  expect(output(result, 'pushed')).toBe('false')
  expect(await tagsOf(env.plain, repo)).toEqual([])
  expect(result.main.stdout).toMatch(
    /::error::Some platforms could not be scanned:%0Alinux\/arm64: Docker Scout scan of linux\/arm64 failed with exit code 1: .*TOOMANYREQUESTS/,
  )
})

test('no Docker Hub account for Scout: an error naming the inputs before any build', async () => {
  const before = scoutRuns().length
  const { repo, result } = await release({ '*': CLEAN }, {})
  expect(result.main.code).toBe(1)
  expect(result.main.stdout).toMatch(
    /::error::Input "scout-username": scanner "scout" needs a Docker Hub account/,
  )
  expect(result.outputs).toEqual({})
  expect(log(result)).not.toMatch(/buildx build|Built sha256/)
  expect(scoutRuns().length).toBe(before)
  expect(await tagsOf(env.plain, repo)).toEqual([])
})
