// The upload order (#17), watched from a recording proxy in front of the plain sandbox registry:
// with `blob-upload: before-gate` the blobs go up as buildx writes them and while the Trivy double
// scans, and no manifest before the gate passes; with `after-gate` nothing at all goes up before it.
import { randomBytes } from 'node:crypto'
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fakeTrivyOnPath, type FakeTrivy } from '../unit/scan/fake-trivy-on-path.js'
import {
  output,
  pushEvent,
  registryAuth,
  runBuildPush,
  tagsOf,
  uniqueRepo,
  type RunResult,
} from './helpers/build-push-run.js'
import { RegistryClient } from './helpers/registry.js'
import { registryProxy, type RegistryProxy, type SeenRequest } from './helpers/registry-proxy.js'
import { loadSandboxEnv } from './helpers/sandbox-env.js'

const env = loadSandboxEnv()
const BUILD_MS = 300_000
import.meta.jest.setTimeout(BUILD_MS)
const CLEAN = { json: 'trivy/sl-micro-rancher-5.4-zero-vulns.json' }
/** alpine 3.9.4: CVE-2019-14697 CRITICAL in musl and musl-utils. */
const CRITICAL = { json: 'trivy/alpine-39.json' }

const isBlobWrite = (request: SeenRequest): boolean =>
  /\/blobs\/uploads\//.test(request.url) && request.method !== 'GET' && request.method !== 'HEAD'
const isManifestPut = (request: SeenRequest): boolean =>
  request.method === 'PUT' && /\/manifests\//.test(request.url)

let work: string
let trivy: FakeTrivy
let proxy: RegistryProxy
const runs: RunResult[] = []

beforeAll(async () => {
  work = mkdtempSync(path.join(os.tmpdir(), 'bsp-e2e-upload-order-'))
  trivy = fakeTrivyOnPath(work)
  proxy = await registryProxy(env.plain)
})

afterAll(async () => {
  await proxy.close()
  for (const run of runs) rmSync(run.runnerTemp, { recursive: true, force: true })
  rmSync(work, { recursive: true, force: true })
})

/** A v1.2.3 release through the proxy; returns what the proxy saw during it. */
async function release(reports: Record<string, unknown>, blobUpload: string) {
  const repo = uniqueRepo('upload-order')
  const scannerEnv = trivy.variables(reports)
  const event = pushEvent('refs/tags/v1.2.3')
  const first = proxy.seen.length
  const result = await runBuildPush(env, {
    event: {
      ...event,
      env: {
        ...event.env,
        ...scannerEnv,
      },
    },
    inputs: {
      images: `${proxy.host}/${repo}`,
      'registry-auth': registryAuth({ ...env.plain, as: proxy.host }),
      scanner: 'trivy',
      'blob-upload': blobUpload,
    },
  })
  runs.push(result)
  return { repo, result, seen: proxy.seen.slice(first) }
}

test('before-gate, gate fails: blobs went up, but no manifest and no tag: nothing to pull by name or digest', async () => {
  const { repo, result, seen } = await release(
    { 'linux/amd64': CLEAN, 'linux/arm64': CRITICAL },
    'before-gate',
  )
  expect(result.main.code).toBe(1)
  expect(output(result, 'scan-result')).toBe('failed')
  expect(seen.filter(isBlobWrite).length).toBeGreaterThan(0)
  expect(seen.filter(isManifestPut)).toEqual([])
  expect(await tagsOf(env.plain, repo)).toEqual([])
  const digest = output(result, 'digest')
  expect(await new RegistryClient(env.plain).headDigest(repo, digest)).toBeUndefined()
  expect(result.post.code).toBe(0)
})

test('after-gate, gate fails: the registry saw no write at all', async () => {
  const { result, seen } = await release({ 'linux/amd64': CLEAN, 'linux/arm64': CRITICAL }, 'after-gate')
  expect(result.main.code).toBe(1)
  expect(seen.filter((request) => request.method !== 'GET' && request.method !== 'HEAD')).toEqual([])
})

test('gate passes: every blob is up before the first manifest, the index after its platforms, the tags last', async () => {
  const { repo, result, seen } = await release({ '*': CLEAN }, 'before-gate')
  expect(result.main.code).toBe(0)
  const digest = output(result, 'digest')
  const lastBlob = seen.map(isBlobWrite).lastIndexOf(true)
  const manifestPuts = seen
    .filter(isManifestPut)
    .map((request) => request.url.replace(/^.*\/manifests\//, ''))
  expect(lastBlob).toBeLessThan(seen.findIndex(isManifestPut))
  // The platform manifests (and attestations) by digest, then the index, then only tags.
  const index = manifestPuts.indexOf(digest)
  expect(index).toBeGreaterThanOrEqual(2)
  expect(manifestPuts.slice(0, index).every((reference) => reference.startsWith('sha256:'))).toBe(true)
  const tags = manifestPuts.slice(index + 1)
  expect(tags.some((reference) => reference.startsWith('sha256:'))).toBe(false)
  expect(tags).toContain('1.2.3')
  expect((await tagsOf(env.plain, repo)).sort()).toEqual([...tags].sort())
  expect(await new RegistryClient(env.plain).headDigest(repo, 'latest')).toBe(digest)
})

test('before-gate: a large layer goes up while buildx is still writing the layout', async () => {
  // A 32 MiB layer of random bytes takes buildx long enough to write that its ingest is seen; the
  // layout's index.json is the last file buildx writes, so a blob write that reaches the registry
  // before it exists was started during the build.
  const context = mkdtempSync(path.join(work, 'large-'))
  writeFileSync(
    path.join(context, 'Dockerfile'),
    'ARG BASE_IMAGE\nFROM ${BASE_IMAGE}\nCOPY random.bin /random.bin\n',
  )
  writeFileSync(path.join(context, 'random.bin'), randomBytes(32 * 1024 * 1024))
  const runnerTemp = mkdtempSync(path.join(os.tmpdir(), 'bsp-e2e-runner-'))
  const layoutWritten = (): boolean =>
    readdirSync(runnerTemp)
      .filter((entry) => entry.startsWith('build-scan-push-'))
      .some((entry) => existsSync(path.join(runnerTemp, entry, 'oci-layout', 'index.json')))
  const duringBuild: boolean[] = []
  const watching = await registryProxy(env.plain, (request) => {
    if (isBlobWrite(request)) duringBuild.push(!layoutWritten())
    return undefined
  })
  try {
    const repo = uniqueRepo('upload-while-built')
    const result = await runBuildPush(env, {
      event: pushEvent('refs/tags/v1.2.3'),
      runnerTemp,
      inputs: {
        images: `${watching.host}/${repo}`,
        'registry-auth': registryAuth({ ...env.plain, as: watching.host }),
        context,
      },
    })
    runs.push(result)
    expect(result.main.code).toBe(0)
    expect(duringBuild).toContain(true)
    expect(await new RegistryClient(env.plain).headDigest(repo, 'latest')).toBe(output(result, 'digest'))
  } finally {
    await watching.close()
  }
})
