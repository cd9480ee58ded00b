// The whole pipeline with the scan gate, on the real sandbox: build two platforms once, scan each
// with the Trivy double on PATH (it replays recorded Trivy reports; the real binary cannot be
// downloaded here), and push only what the gate lets through.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { fakeTrivyOnPath, flagValue, type FakeTrivy } from '../unit/scan/fake-trivy-on-path.js'
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
// The default for every test and hook of this file that names no timeout of its own. Set here, per
// file: jest-circus ignores a project-level testTimeout. Generous, for a loaded 2-core machine.
import.meta.jest.setTimeout(BUILD_MS)
const CLEAN = { json: 'trivy/sl-micro-rancher-5.4-zero-vulns.json' }
/** alpine 3.9.4: CVE-2019-14697 CRITICAL in musl and musl-utils, fixed in 1.1.20-r5. */
const CRITICAL = { json: 'trivy/alpine-39.json' }

let work: string
let trivy: FakeTrivy
const runs: RunResult[] = []

beforeAll(() => {
  work = mkdtempSync(path.join(os.tmpdir(), 'bsp-e2e-scan-gate-'))
  trivy = fakeTrivyOnPath(work)
})

afterAll(() => {
  for (const run of runs) rmSync(run.runnerTemp, { recursive: true, force: true })
  rmSync(work, { recursive: true, force: true })
})

/** A v1.2.3 release of a fresh repository, with the double answering per platform. */
async function release(
  reports: Record<string, unknown>,
  inputs: Record<string, string> = {},
  runnerEnv: Record<string, string> = {},
) {
  const repo = uniqueRepo('gate')
  const scannerEnv = trivy.variables(reports)
  const event = pushEvent('refs/tags/v1.2.3')
  const result = await runBuildPush(env, {
    event: {
      ...event,
      env: {
        ...event.env,
        ...scannerEnv,
        ...runnerEnv,
      },
    },
    inputs: {
      images: `${env.plain.host}/${repo}`,
      'registry-auth': registryAuth(env.plain),
      scanner: 'trivy',
      ...inputs,
    },
  })
  runs.push(result)
  return { repo, result }
}

test(
  'a CRITICAL on linux/arm64 only: nothing is pushed, the step fails, and it says which platform and CVE',
  async () => {
    const before = trivy.scans().length
    const { repo, result } = await release({ 'linux/amd64': CLEAN, 'linux/arm64': CRITICAL })
    expect(result.main.code).toBe(1)
    expect(await tagsOf(env.plain, repo)).toEqual([])
    expect(output(result, 'scan-result')).toBe('failed')
    expect(output(result, 'pushed')).toBe('false')
    const counts = JSON.parse(output(result, 'vulnerabilities'))
    expect(counts['linux/arm64'].CRITICAL).toBe(2)
    expect(counts['linux/amd64'].CRITICAL).toBe(0)
    expect(result.main.stdout).toMatch(
      /::error::The scan gate found blocking findings.*CVE-2019-14697 \(CRITICAL, linux\/arm64\)/,
    )
    expect(result.summary).toContain('CVE-2019-14697')
    expect(result.summary).toContain('linux/arm64')
    expect(result.summary).toContain('**Not pushed**: the scan gate stopped it (failed)')
    // One scan of each single-platform layout, every severity reported, the filtering left to us.
    const scans = trivy.scans().slice(before)
    expect(scans).toHaveLength(2)
    for (const argv of scans) {
      expect(flagValue(argv, '--format')).toBe('json')
      expect(flagValue(argv, '--severity')).toBe('CRITICAL,HIGH,MEDIUM,LOW,UNKNOWN')
      expect(argv).not.toContain('--ignore-unfixed')
    }
    expect(result.post.code).toBe(0)
  },
  BUILD_MS,
)

test(
  'every platform clean: the scanned layout is pushed and verified',
  async () => {
    const { repo, result } = await release({ '*': CLEAN })
    expect(result.main.code).toBe(0)
    expect(output(result, 'scan-result')).toBe('passed')
    expect(output(result, 'pushed')).toBe('true')
    const digest = output(result, 'digest')
    expect(await new RegistryClient(env.plain).headDigest(repo, '1.2.3')).toBe(digest)
    expect(result.summary).toContain('Vulnerability scan')
    // Trivy was made ready while the image built; what it said is printed in the scan's group.
    const stdout = result.main.stdout
    const scanGroup = stdout.indexOf('::group::Scan every platform')
    expect(stdout.indexOf('\nBuilt sha256:')).toBeGreaterThan(-1)
    expect(stdout.indexOf('\nBuilt sha256:')).toBeLessThan(scanGroup)
    expect(stdout.indexOf('\nUsing trivy 0.74.0 found at ')).toBeGreaterThan(scanGroup)
  },
  BUILD_MS,
)

test(
  'scan-fail false reports the CRITICAL as a warning and pushes',
  async () => {
    const { repo, result } = await release({ '*': CRITICAL }, { 'scan-fail': 'false' })
    expect(result.main.code).toBe(0)
    expect(output(result, 'scan-result')).toBe('failed')
    expect(output(result, 'pushed')).toBe('true')
    expect(log(result)).toContain('::warning::Blocking findings were found; pushing anyway')
    expect(await tagsOf(env.plain, repo)).toContain('1.2.3')
  },
  BUILD_MS,
)

test(
  'a scanner that crashes blocks the push even with scan-fail false: nothing unscanned ships',
  async () => {
    const { repo, result } = await release(
      { 'linux/amd64': CLEAN, 'linux/arm64': 'crash' },
      { 'scan-fail': 'false' },
    )
    expect(result.main.code).toBe(1)
    expect(output(result, 'scan-result')).toBe('error')
    expect(output(result, 'pushed')).toBe('false')
    expect(await tagsOf(env.plain, repo)).toEqual([])
  },
  BUILD_MS,
)

test(
  'vex: each platform’s Trivy run gets --vex with every file, resolved in GITHUB_WORKSPACE',
  async () => {
    const workspace = path.join(work, 'workspace')
    mkdirSync(path.join(workspace, '.vex'), { recursive: true })
    const openvex = path.join(workspace, '.vex', 'openvex.json')
    const csaf = path.join(workspace, 'debian.csaf.json')
    // The double checks that Trivy could open them, not what they say: it cannot apply VEX.
    writeFileSync(openvex, JSON.stringify({ '@context': 'https://openvex.dev/ns/v0.2.0', statements: [] }))
    writeFileSync(csaf, JSON.stringify({ document: { category: 'csaf_vex' } }))
    const before = trivy.scans().length
    const { repo, result } = await release(
      { '*': CLEAN },
      { vex: '.vex/openvex.json\ndebian.csaf.json' },
      { GITHUB_WORKSPACE: workspace },
    )
    expect(result.main.code).toBe(0)
    expect(output(result, 'scan-result')).toBe('passed')
    expect(await tagsOf(env.plain, repo)).toContain('1.2.3')
    const scans = trivy.scans().slice(before)
    expect(scans).toHaveLength(2)
    const scanned = scans.map((argv) => path.basename(flagValue(argv, '--input') ?? ''))
    expect(scanned.sort()).toEqual(['linux-amd64', 'linux-arm64'])
    for (const argv of scans) {
      expect(argv.flatMap((arg, i) => (arg === '--vex' ? [argv[i + 1]] : []))).toEqual([openvex, csaf])
    }
    expect(result.summary).toContain('VEX applied by Trivy: `.vex/openvex.json`, `debian.csaf.json`')
  },
  BUILD_MS,
)

test(
  'a build that fails ends the step at once, though the Trivy DB cache service it asked never answered',
  async () => {
    const asked: string[] = []
    const held: http.ServerResponse[] = []
    const service = http.createServer((request, response) => {
      asked.push(request.url ?? '')
      held.push(response)
    })
    await new Promise<void>((resolve) => service.listen(0, '127.0.0.1', resolve))
    const context = path.join(work, 'failing-build')
    mkdirSync(context, { recursive: true })
    // The sleep gives the scanner's preparation, started with the build, time to ask the service.
    writeFileSync(
      path.join(context, 'Dockerfile'),
      'ARG BASE_IMAGE\nFROM ${BASE_IMAGE}\nRUN sleep 3 && exit 3\n',
    )
    try {
      const { repo, result } = await release(
        { '*': CLEAN },
        { context, platforms: 'linux/amd64' },
        {
          // The Actions cache service (v2) as a runner announces it.
          ACTIONS_CACHE_SERVICE_V2: 'true',
          ACTIONS_RESULTS_URL: `http://127.0.0.1:${(service.address() as AddressInfo).port}/`,
          ACTIONS_RUNTIME_TOKEN: 'runtime-token',
        },
      )
      expect(asked).toEqual(['/twirp/github.actions.results.api.v1.CacheService/GetCacheEntryDownloadURL'])
      expect(result.main.code).toBe(1)
      expect(result.main.stdout).toContain('did not complete successfully: exit code: 3')
      expect(result.main.stdout).toContain('::error::docker buildx build failed (exit 1)')
      expect(result.main.stdout).not.toContain('::group::Scan every platform')
      expect(await tagsOf(env.plain, repo)).toEqual([])
      expect(result.post.code).toBe(0)
    } finally {
      for (const response of held) response.destroy()
      service.closeAllConnections()
      await new Promise((resolve) => service.close(resolve))
    }
  },
  // Well inside the 3 minutes @actions/cache waits for an answer: a step that waited for it fails here.
  120_000,
)
