// Scaling out (#13) on the real sandbox: one action run per platform (`stage: platform`, each with
// its own RUNNER_TEMP, as separate matrix jobs have), the arm64 one under QEMU, then a `stage:
// merge` run fed their `result` outputs in the shape `${{ toJSON(needs.<job>.outputs) }}` gives.
// The scan runs the Trivy double on PATH (it replays recorded Trivy reports; the real binary cannot
// be downloaded here).
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fakeTrivyOnPath, type FakeTrivy } from '../unit/scan/fake-trivy-on-path.js'
import {
  filesUnder,
  log,
  output,
  pushEvent,
  registryAuth,
  runBuildPush,
  SHA,
  tagsOf,
  uniqueRepo,
  type RunResult,
} from './helpers/build-push-run.js'
import { ACCEPT_INDEX, RegistryClient } from './helpers/registry.js'
import { registryProxy, type RegistryProxy } from './helpers/registry-proxy.js'
import { loadSandboxEnv, type RegistryEndpoint } from './helpers/sandbox-env.js'

const env = loadSandboxEnv()
const BUILD_MS = 600_000
// The default for every test and hook of this file that names no timeout of its own. Set here, per
// file: jest-circus ignores a project-level testTimeout. Generous: an arm64 build under QEMU on a
// loaded 2-core machine.
import.meta.jest.setTimeout(BUILD_MS)
const CLEAN = { json: 'trivy/sl-micro-rancher-5.4-zero-vulns.json' }
/** alpine 3.9.4: CVE-2019-14697 CRITICAL in musl and musl-utils, fixed in 1.1.20-r5. */
const CRITICAL = { json: 'trivy/alpine-39.json' }
const RELEASE = pushEvent('refs/tags/v1.2.3')
const BOTH = 'linux/amd64,linux/arm64'

let work: string
let trivy: FakeTrivy
/** The plain registry seen through a proxy that records every request: what the merge sends. */
let proxy: RegistryProxy
let plainViaProxy: RegistryEndpoint & { as: string }
const runs: RunResult[] = []

beforeAll(async () => {
  work = mkdtempSync(path.join(os.tmpdir(), 'bsp-e2e-scale-out-'))
  trivy = fakeTrivyOnPath(work)
  proxy = await registryProxy(env.plain)
  plainViaProxy = { ...env.plain, as: proxy.host }
})

afterAll(async () => {
  await proxy.close()
  for (const run of runs) rmSync(run.runnerTemp, { recursive: true, force: true })
  rmSync(work, { recursive: true, force: true })
})

function imagesOf(repo: string): string {
  return `${proxy.host}/${repo}\n${env.tls.host}/${repo}`
}

/** One action run, as one job of the workflow: a fresh RUNNER_TEMP, the double on PATH. */
async function stage(
  inputs: Record<string, string>,
  reports: Record<string, unknown>,
  event: { eventName: string; payload: unknown; env: Record<string, string> } = RELEASE,
  runnerEnv: Record<string, string> = {},
): Promise<RunResult> {
  const scannerEnv = trivy.variables(reports)
  const result = await runBuildPush(env, {
    event: {
      ...event,
      env: {
        ...event.env,
        ...scannerEnv,
        ...runnerEnv,
      },
    },
    inputs: { 'registry-auth': registryAuth(plainViaProxy, env.tls), scanner: 'trivy', ...inputs },
  })
  runs.push(result)
  return result
}

function leg(repo: string, platform: string, reports: Record<string, unknown> = { '*': CLEAN }) {
  return stage({ stage: 'platform', images: imagesOf(repo), platforms: platform }, reports)
}

/** The merge job, fed `toJSON(needs.<job>.outputs)`: pretty-printed, one `result_N` per leg. */
function merge(repo: string, results: string[], runnerEnv: Record<string, string> = {}) {
  const outputs = JSON.stringify(
    Object.fromEntries(results.map((result, at) => [`result_${at}`, result])),
    null,
    2,
  )
  return stage(
    { stage: 'merge', images: imagesOf(repo), platforms: BOTH, results: outputs },
    {},
    RELEASE,
    runnerEnv,
  )
}

/** No password in any log, summary or file left in RUNNER_TEMP, and the step's directory gone. */
function expectNoCredentialLeft(result: RunResult): void {
  const texts = [
    log(result),
    result.summary,
    ...filesUnder(result.runnerTemp).map(({ content }) => content.toString('utf8')),
  ]
  for (const secret of [env.plain.password, env.tls.password]) {
    for (const text of texts) {
      const unmasked = text
        .split('\n')
        .filter((line) => !line.startsWith('::add-mask::'))
        .join('\n')
      expect(unmasked.includes(secret)).toBe(false)
      expect(text.includes(Buffer.from(secret).toString('base64'))).toBe(false)
    }
  }
  expect(readdirSync(result.runnerTemp).filter((entry) => entry.startsWith('build-scan-push-'))).toEqual([])
  if (result.state.workspace) expect(existsSync(result.state.workspace)).toBe(false)
}

interface LegOutput {
  digest: string
  pushed: boolean
  platforms: Array<{ platform: string; digest: string; scan: string }>
}

const registries = (): Array<[RegistryEndpoint, string]> => [
  [env.plain, 'plain'],
  [env.tls, 'tls'],
]

describe('two platform legs, then the merge', () => {
  const repo = uniqueRepo('scale-out')
  const results: string[] = []

  test('each leg builds, scans and pushes its platform by digest only, and says so in result', async () => {
    for (const platform of ['linux/amd64', 'linux/arm64']) {
      const result = await leg(repo, platform)
      expect({ code: result.main.code, log: result.main.code === 0 ? '' : log(result) }).toEqual({
        code: 0,
        log: '',
      })
      const line = output(result, 'result')
      expect(line).not.toContain('\n')
      const parsed = JSON.parse(line) as LegOutput & Record<string, unknown>
      expect(parsed).toMatchObject({
        version: 1,
        images: [`${proxy.host}/${repo}`, `${env.tls.host}/${repo}`],
        pushed: true,
        gate: 'passed',
        commit: SHA,
        run: '1',
      })
      expect(parsed.platforms).toEqual([
        expect.objectContaining({
          platform,
          scan: 'passed',
          vulnerabilities: expect.objectContaining({ CRITICAL: 0 }),
        }),
      ])
      // By digest in both registries, and no tag anywhere: nothing a user pulls by name changed.
      for (const [endpoint] of registries()) {
        expect(await new RegistryClient(endpoint).headDigest(repo, parsed.digest)).toBe(parsed.digest)
        expect(await tagsOf(endpoint, repo)).toEqual([])
      }
      expect(output(result, 'pushed')).toBe('true')
      expectNoCredentialLeft(result)
      results.push(line)
    }
  })

  test('the merge pushes an index of exactly the legs’ manifests, by digest then every tag, uploading no blob', async () => {
    expect(results).toHaveLength(2)
    const before = proxy.seen.length
    const result = await merge(repo, results)
    expect({ code: result.main.code, log: result.main.code === 0 ? '' : log(result) }).toEqual({
      code: 0,
      log: '',
    })
    const digest = output(result, 'digest')
    const legPlatforms = results.flatMap((line) => (JSON.parse(line) as LegOutput).platforms)
    for (const [endpoint] of registries()) {
      const client = new RegistryClient(endpoint)
      const index = await client.getManifest(repo, digest, ACCEPT_INDEX)
      expect(index.bodyDigest).toBe(digest)
      const entries = (
        index.json as { manifests: Array<{ digest: string; platform: { os: string; architecture: string } }> }
      ).manifests
      const images = entries.filter((entry) => entry.platform.os !== 'unknown')
      expect(
        images.map((entry) => `${entry.platform.os}/${entry.platform.architecture}=${entry.digest}`),
      ).toEqual(legPlatforms.map((entry) => `${entry.platform}=${entry.digest}`))
      // Each platform manifest is byte for byte what its leg pushed.
      for (const entry of images)
        expect((await client.getManifest(repo, entry.digest)).bodyDigest).toBe(entry.digest)
      expect(await tagsOf(endpoint, repo)).toEqual(['1', '1.2', '1.2.3', 'latest', 'sha-860c190'])
      expect(await client.headDigest(repo, '1.2.3')).toBe(digest)
    }
    // The merge wrote manifests only: every blob was there, pushed by the legs.
    const merged = proxy.seen.slice(before)
    expect(merged.filter((request) => request.url.includes('/blobs/uploads/'))).toEqual([])
    expect(
      merged.some((request) => request.method === 'PUT' && request.url.includes(`/manifests/${digest}`)),
    ).toBe(true)
    expect(output(result, 'pushed')).toBe('true')
    expect(output(result, 'refs').split('\n')).toContain(`${env.tls.host}/${repo}:1.2.3@${digest}`)
    for (const { platform, digest: manifest } of legPlatforms)
      expect(result.summary).toContain(`| \`${platform}\` | \`${manifest}\` | passed |`)
    expectNoCredentialLeft(result)
  })
})

describe('a leg the scan gate stops, and merges that must refuse', () => {
  const repo = uniqueRepo('scale-out-refused')
  let amd64 = ''

  test('a CRITICAL on the arm64 leg: it pushes nothing and writes no result; the merge refuses, naming linux/arm64', async () => {
    const good = await leg(repo, 'linux/amd64')
    expect(good.main.code).toBe(0)
    amd64 = output(good, 'result')
    const bad = await leg(repo, 'linux/arm64', { '*': CRITICAL })
    expect(bad.main.code).toBe(1)
    expect(bad.outputs.result).toBeUndefined()
    expect(bad.main.stdout).toMatch(/::error::The scan gate found blocking findings.*CVE-2019-14697/)
    const built = output(bad, 'digest')
    for (const [endpoint] of registries())
      expect(await new RegistryClient(endpoint).headDigest(repo, built)).toBeUndefined()
    expectNoCredentialLeft(bad)

    const refused = await merge(repo, [amd64, ''])
    expect(refused.main.code).toBe(1)
    expect(refused.main.stdout).toContain(
      '::error::Input "results": no result for linux/arm64: its leg failed (the scan gate?) or did not run; nothing was merged',
    )
    await expectNothingMerged(refused)
  })

  test('the same platform from two legs is refused before anything is pushed', async () => {
    const refused = await merge(repo, [amd64, amd64])
    expect(refused.main.code).toBe(1)
    expect(refused.main.stdout).toContain(
      '::error::Input "results": linux/amd64 comes from more than one leg',
    )
    await expectNothingMerged(refused)
  })

  test('results from another commit are refused before anything is pushed', async () => {
    const other = 'f'.repeat(40)
    const refused = await merge(repo, [amd64], { GITHUB_SHA: other })
    expect(refused.main.code).toBe(1)
    expect(refused.main.stdout).toContain(
      `::error::Input "results": the leg of linux/amd64 built commit ${SHA}, this run is for ${other}`,
    )
    await expectNothingMerged(refused)
  })

  async function expectNothingMerged(result: RunResult): Promise<void> {
    for (const [endpoint] of registries()) expect(await tagsOf(endpoint, repo)).toEqual([])
    expect(log(result)).not.toMatch(/Logged in|Login to/)
    expect(result.state.workspace).toBeUndefined()
    expect(result.outputs.digest).toBeUndefined()
  }
})

describe('push: false (as on a fork pull request)', () => {
  test('the leg builds and scans and pushes nothing; the merge checks the legs, pushes no index and says so', async () => {
    const repo = uniqueRepo('scale-out-nopush')
    const legRun = await stage(
      { stage: 'platform', images: imagesOf(repo), platforms: 'linux/amd64', push: 'false' },
      { '*': CLEAN },
    )
    expect(legRun.main.code).toBe(0)
    const result = JSON.parse(output(legRun, 'result')) as LegOutput
    expect(result.pushed).toBe(false)
    const merged = await stage(
      {
        stage: 'merge',
        images: imagesOf(repo),
        platforms: 'linux/amd64',
        push: 'false',
        results: output(legRun, 'result'),
      },
      {},
    )
    expect(merged.main.code).toBe(0)
    expect(output(merged, 'pushed')).toBe('false')
    expect(merged.summary).toContain('the legs were checked, no index was pushed')
    for (const run of [legRun, merged]) {
      expect(log(run)).not.toMatch(/Logged in|Login to/)
      expectNoCredentialLeft(run)
    }
    for (const [endpoint] of registries()) expect(await tagsOf(endpoint, repo)).toEqual([])
  })
})
