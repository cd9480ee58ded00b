// The distribution-API client (src/registry/) against both sandbox registries: the plain-HTTP one
// (reached by the loopback HTTP fallback) and the TLS one (its CA from /etc/docker/certs.d), each
// with htpasswd Basic auth. What it pushes is read back by skopeo, a client it shares no code with.
import { execFile } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { dockerConfigJson } from '../../src/login/docker-config.js'
import { checkLogin, openRegistry, type Registry } from '../../src/registry/index.js'
import { CHUNK_SIZE } from '../../src/registry/upload.js'
import { loadSandboxEnv, type RegistryEndpoint } from './helpers/sandbox-env.js'

const env = loadSandboxEnv()
import.meta.jest.setTimeout(120_000)
const run = promisify(execFile)
const sha256 = (bytes: Uint8Array): string => `sha256:${createHash('sha256').update(bytes).digest('hex')}`
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json'
const OCI_INDEX = 'application/vnd.oci.image.index.v1+json'

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'registry-client-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

async function authFile(endpoint: RegistryEndpoint, password: string): Promise<string> {
  const file = join(dir, `${endpoint.host.replace(':', '-')}-${randomBytes(4).toString('hex')}.json`)
  await writeFile(file, dockerConfigJson([{ registry: endpoint.host, username: endpoint.user, password }]))
  return file
}

async function blobFile(bytes: Uint8Array): Promise<{ digest: string; size: number; path: string }> {
  const digest = sha256(bytes)
  const path = join(dir, digest.slice(7))
  await writeFile(path, bytes)
  return { digest, size: bytes.length, path }
}

async function skopeoRaw(endpoint: RegistryEndpoint, reference: string): Promise<Buffer> {
  const tls = endpoint.tls ? ['--cert-dir', endpoint.certDir ?? ''] : ['--tls-verify=false']
  const { stdout } = await run(
    env.skopeo,
    ['inspect', '--raw', '--authfile', env.authFile, ...tls, `docker://${reference}`],
    { encoding: 'buffer' },
  )
  return stdout
}

describe.each([
  ['plain HTTP', env.plain],
  ['TLS', env.tls],
])('against the %s registry', (_kind, endpoint) => {
  const notes: string[] = []
  const warnings: string[] = []
  let registry: Registry
  const name = `${endpoint.host}/registry-client/app-${randomBytes(4).toString('hex')}`
  const otherName = `${endpoint.host}/registry-client/other-${randomBytes(4).toString('hex')}`

  beforeAll(async () => {
    registry = openRegistry({
      authFile: await authFile(endpoint, endpoint.password),
      mask: () => undefined,
      note: (message) => notes.push(message),
      warn: (message) => warnings.push(message),
    })
  })
  afterAll(() => registry.close?.())

  test('pushes blobs, a manifest, an index and a tag that read back byte for byte', async () => {
    const repo = registry.repository(name)
    const small = await blobFile(randomBytes(1024))
    // Above the threshold and not a whole number of chunks: two full PATCHes and a short one.
    const large = await blobFile(randomBytes(2 * CHUNK_SIZE + 12_345))
    const configBytes = Buffer.from(
      JSON.stringify({
        architecture: 'amd64',
        os: 'linux',
        rootfs: { type: 'layers', diff_ids: [small.digest, large.digest] },
      }),
    )
    const config = await blobFile(configBytes)
    for (const blob of [small, large, config]) {
      expect(await repo.hasBlob(blob.digest)).toBe(false)
      await repo.uploadBlob(blob.digest, blob.size, blob.path)
      expect(await repo.hasBlob(blob.digest)).toBe(true)
    }

    const layer = (blob: { digest: string; size: number }) => ({
      mediaType: 'application/vnd.oci.image.layer.v1.tar',
      digest: blob.digest,
      size: blob.size,
    })
    const manifest = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: OCI_MANIFEST,
        config: {
          mediaType: 'application/vnd.oci.image.config.v1+json',
          digest: config.digest,
          size: config.size,
        },
        layers: [layer(small), layer(large)],
      }),
    )
    await repo.putManifest(sha256(manifest), OCI_MANIFEST, manifest)
    const index = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: OCI_INDEX,
        manifests: [
          {
            mediaType: OCI_MANIFEST,
            digest: sha256(manifest),
            size: manifest.length,
            platform: { architecture: 'amd64', os: 'linux' },
          },
        ],
      }),
    )
    const indexDigest = sha256(index)
    await repo.putManifest(indexDigest, OCI_INDEX, index)
    await repo.putManifest('v1', OCI_INDEX, index)

    const byDigest = await repo.getManifest(indexDigest)
    expect(sha256(byDigest.bytes)).toBe(indexDigest)
    expect(byDigest.mediaType).toBe(OCI_INDEX)
    expect((await repo.getManifest('v1')).bytes.equals(index)).toBe(true)
    expect(await repo.getManifest(sha256(manifest))).toEqual({ bytes: manifest, mediaType: OCI_MANIFEST })
    expect((await skopeoRaw(endpoint, `${name}@${indexDigest}`)).equals(index)).toBe(true)
    expect((await skopeoRaw(endpoint, `${name}:v1`)).equals(index)).toBe(true)
    expect((await repo.getBlob(config.digest)).equals(configBytes)).toBe(true)
    expect(await repo.listTags()).toEqual(['v1'])

    const other = registry.repository(otherName)
    expect(await other.mountBlob(large.digest, name)).toBe(true)
    expect(await other.hasBlob(large.digest)).toBe(true)
    // A blob the source does not hold: the registry opens an upload instead (202).
    expect(await other.mountBlob(sha256(randomBytes(8)), name)).toBe(false)
    expect(warnings).toEqual([])
  })

  test('a repository never pushed to has no tags', async () => {
    await expect(
      registry.repository(`${endpoint.host}/registry-client/none-${Date.now()}`).listTags(),
    ).resolves.toEqual([])
  })

  test('the scheme: HTTP only for the plain registry, found once', () => {
    expect(notes).toEqual(
      endpoint.tls ? [] : [`${endpoint.host} speaks plain HTTP (loopback): using HTTP for it`],
    )
  })

  test('a wrong password is refused without retries, and never shown', async () => {
    const password = `wrong-${randomBytes(8).toString('hex')}`
    const wrongWarnings: string[] = []
    const wrong = openRegistry({
      authFile: await authFile(endpoint, password),
      mask: () => undefined,
      warn: (message) => wrongWarnings.push(message),
    })
    try {
      const failure = wrong.repository(name).hasBlob(sha256(Buffer.from('x')))
      await expect(failure).rejects.toThrow(`the registry refused the credentials for ${name} (401`)
      const message = await failure.catch((error: Error) => `${error.message} ${error.stack ?? ''}`)
      expect(message).not.toContain(password)
      expect(message).not.toContain(Buffer.from(`${endpoint.user}:${password}`).toString('base64'))
      expect(wrongWarnings).toEqual([])
    } finally {
      await wrong.close?.()
    }
  })

  test('the login check: the right password passes, a wrong one fails naming the answer, never the password', async () => {
    const check = (password: string) =>
      checkLogin(
        endpoint.host,
        { username: endpoint.user, password },
        { operation: `Login to ${endpoint.host} as ${endpoint.user}`, timeoutMs: 30_000 },
      )
    await check(endpoint.password)
    const password = `wrong-${randomBytes(8).toString('hex')}`
    const failure = check(password)
    await expect(failure).rejects.toThrow(
      `Login to ${endpoint.host} as ${endpoint.user} failed: the registry refused the credentials for ${endpoint.host} (401`,
    )
    const message = await failure.catch((error: Error) => `${error.message} ${error.stack ?? ''}`)
    expect(message).not.toContain(password)
    expect(message).not.toContain(Buffer.from(`${endpoint.user}:${password}`).toString('base64'))
  })
})
