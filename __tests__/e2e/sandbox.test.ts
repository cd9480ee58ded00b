// The sandbox does what the action needs: a two-platform build once into an OCI layout, RUN steps
// executed for both platforms, and those exact bytes pushed to a plain and a TLS registry with auth.
import { randomBytes } from 'node:crypto'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { docker, skopeo } from './helpers/exec.js'
import { type ImageIndex, type ImageManifest, OciLayout, platformKey } from './helpers/oci-layout.js'
import { ACCEPT_INDEX, ACCEPT_MANIFEST, MediaType, RegistryClient } from './helpers/registry.js'
import { loadSandboxEnv, repoRoot } from './helpers/sandbox-env.js'

const env = loadSandboxEnv()
const fixture = path.join(repoRoot, '__tests__', 'e2e', 'fixtures', 'arch-probe')
const expectedArch: Record<string, string> = { 'linux/amd64': 'x86_64', 'linux/arm64': 'aarch64' }
const QUICK_MS = 60_000
const BUILD_MS = 300_000
// The default for every test and hook of this file that names no timeout of its own. Set here, per
// file: jest-circus ignores a project-level testTimeout. Generous, for a loaded 2-core machine.
import.meta.jest.setTimeout(BUILD_MS)

let work: string

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'bsp-e2e-'))
})

afterAll(async () => {
  await rm(work, { recursive: true, force: true })
})

describe('sandbox registries', () => {
  test(
    'the plain registry refuses missing and wrong credentials and accepts the generated ones',
    async () => {
      expect(await new RegistryClient(env.plain, { auth: false }).ping()).toBe(401)
      expect(await new RegistryClient(env.plain, { password: 'not-the-password' }).ping()).toBe(401)
      expect(await new RegistryClient(env.plain).ping()).toBe(200)
    },
    QUICK_MS,
  )

  test(
    'the TLS registry is verified against the sandbox CA and wants its own credentials',
    async () => {
      expect(await new RegistryClient(env.tls).ping()).toBe(200)
      expect(await new RegistryClient(env.tls, { password: env.plain.password }).ping()).toBe(401)
      await expect(new RegistryClient(env.tls, { trustSandboxCa: false }).ping()).rejects.toMatchObject({
        code: expect.stringMatching(/CERT|SIGNATURE|ISSUER/),
      })
    },
    QUICK_MS,
  )

  test(
    'the base image is a two-platform index',
    async () => {
      const repo = env.baseImage.slice(env.plain.host.length + 1).replace(/:[^:/]+$/, '')
      const index = await new RegistryClient(env.plain).getManifest(repo, 'latest', ACCEPT_INDEX)
      expect(index.digest).toBe(env.baseDigest)
      const platforms = (index.json as ImageIndex).manifests.map((m) => platformKey(m.platform)).sort()
      expect(platforms).toEqual(['linux/amd64', 'linux/arm64'])
    },
    QUICK_MS,
  )
})

describe('build once, push the same bytes twice', () => {
  test(
    'a two-platform OCI layout keeps its index digest in both registries',
    async () => {
      const layoutDir = path.join(work, 'layout')
      const metadataFile = path.join(work, 'metadata.json')
      await docker(env, [
        'buildx',
        'build',
        '--platform',
        'linux/amd64,linux/arm64',
        '--build-arg',
        `BASE_IMAGE=${env.baseImage}`,
        '--output',
        `type=oci,dest=${layoutDir},tar=false`,
        '--metadata-file',
        metadataFile,
        fixture,
      ])
      const metadata = JSON.parse(await readFile(metadataFile, 'utf8')) as Record<string, unknown>
      const built = metadata['containerimage.digest']
      expect(built).toMatch(/^sha256:[0-9a-f]{64}$/)
      const indexDigest = built as string

      // The layout holds one image index, the one the metadata names.
      const layout = new OciLayout(layoutDir)
      expect(layout.index().manifests.map((m) => m.digest)).toEqual([indexDigest])
      const index = layout.json<ImageIndex>(indexDigest)
      const byPlatform = new Map(index.manifests.map((m) => [platformKey(m.platform), m]))
      expect([...byPlatform.keys()]).toEqual(expect.arrayContaining(['linux/amd64', 'linux/arm64']))

      // The RUN step ran in each platform's userland (QEMU for arm64 on an amd64 host).
      for (const [platform, arch] of Object.entries(expectedArch)) {
        const descriptor = byPlatform.get(platform)
        expect(descriptor?.mediaType).toBe(MediaType.ociManifest)
        const manifest = layout.json<ImageManifest>(descriptor?.digest ?? '')
        expect(layout.fileInImage(manifest, 'arch')?.toString('utf8').trim()).toBe(arch)
      }

      // Push the layout itself, not a rebuild, to both registries; credentials come from the authfile.
      const repo = `e2e/sandbox-${randomBytes(4).toString('hex')}`
      const tag = 'v1'
      const copy = ['copy', '--all', '--preserve-digests', '--authfile', env.authFile, `oci:${layoutDir}`]
      await skopeo(env, [...copy, '--dest-tls-verify=false', `docker://${env.plain.host}/${repo}:${tag}`])
      await skopeo(env, [
        ...copy,
        '--dest-cert-dir',
        env.tls.certDir ?? '',
        `docker://${env.tls.host}/${repo}:${tag}`,
      ])

      for (const endpoint of [env.plain, env.tls]) {
        const registry = new RegistryClient(endpoint)
        const served = await registry.getManifest(repo, tag, ACCEPT_INDEX)
        expect(served.digest).toBe(indexDigest)
        expect(served.bodyDigest).toBe(indexDigest)
        expect(served.mediaType).toBe(MediaType.ociIndex)
        expect(await registry.headDigest(repo, tag, ACCEPT_INDEX)).toBe(indexDigest)
        expect(await registry.tags(repo)).toEqual([tag])

        const servedIndex = served.json as ImageIndex
        expect(servedIndex.manifests.map((m) => m.digest)).toEqual(index.manifests.map((m) => m.digest))
        for (const platform of Object.keys(expectedArch)) {
          const child = byPlatform.get(platform)?.digest ?? ''
          expect(await registry.headDigest(repo, child, ACCEPT_MANIFEST)).toBe(child)
        }
      }
    },
    BUILD_MS,
  )
})
