import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { blobPath, digestOf } from '../../../src/build/oci-layout.js'
import {
  layoutContent,
  PushIncomplete,
  pushLayout,
  blobUploader,
  startBlobUpload,
  type LayoutToPush,
} from '../../../src/push/index.js'
import type { Registry, Repository } from '../../../src/registry/index.js'
import { tagged } from '../../tagged-image.js'

// The push's order against an in-memory registry of our own interface: what a real registry does
// with these calls is the e2e tests' part (registry-client.test.ts, build-push.test.ts).

const OCI_INDEX = 'application/vnd.oci.image.index.v1+json'
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json'

function blob(text: string): { digest: string; size: number; bytes: Buffer } {
  const bytes = Buffer.from(text)
  return { digest: digestOf(bytes), size: bytes.length, bytes }
}

/** A two-platform image written as an OCI layout: two configs, two layers, two manifests, an index. */
function twoPlatformLayout(): LayoutToPush & { layers: string[] } {
  const dir = mkdtempSync(path.join(tmpdir(), 'push-layout-'))
  const files = new Map<string, Buffer>()
  const put = (item: { digest: string; bytes: Buffer }): void => void files.set(item.digest, item.bytes)
  const manifests = ['amd64', 'arm64'].map((arch) => {
    const config = blob(`{"architecture":"${arch}","os":"linux"}`)
    const layer = blob(`layer of ${arch}`)
    put(config)
    put(layer)
    const manifest = blob(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: OCI_MANIFEST,
        config: {
          mediaType: 'application/vnd.oci.image.config.v1+json',
          digest: config.digest,
          size: config.size,
        },
        layers: [
          {
            mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
            digest: layer.digest,
            size: layer.size,
          },
        ],
      }),
    )
    put(manifest)
    return { manifest, layer: layer.digest, arch }
  })
  const index = blob(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_INDEX,
      manifests: manifests.map(({ manifest, arch }) => ({
        mediaType: OCI_MANIFEST,
        digest: manifest.digest,
        size: manifest.size,
        platform: { os: 'linux', architecture: arch },
      })),
    }),
  )
  put(index)
  for (const [digest, bytes] of files) {
    mkdirSync(path.dirname(path.join(dir, blobPath(digest))), { recursive: true })
    writeFileSync(path.join(dir, blobPath(digest)), bytes)
  }
  const content = layoutContent(
    { mediaType: OCI_INDEX, digest: index.digest, size: index.size },
    (digest) => files.get(digest) as Buffer,
  )
  return { dir, content, layers: manifests.map((entry) => entry.layer) }
}

/** Records every call as `<operation> <name> <what>`; `fail` makes matching calls throw. */
function recordingRegistry(fail: (call: string) => boolean = () => false) {
  const calls: string[] = []
  const stored = new Set<string>()
  const record = async (call: string): Promise<void> => {
    await Promise.resolve()
    calls.push(call)
    if (fail(call)) throw new Error(`refused: ${call}`)
  }
  const repository = (name: string): Repository => ({
    name,
    hasBlob: async (digest) => {
      await record(`has ${name} ${digest}`)
      return stored.has(`${name}@${digest}`)
    },
    mountBlob: async (digest, from) => {
      await record(`mount ${name} ${digest} from ${from}`)
      if (!stored.has(`${from}@${digest}`)) return false
      stored.add(`${name}@${digest}`)
      return true
    },
    uploadBlob: async (digest) => {
      await record(`upload ${name} ${digest}`)
      stored.add(`${name}@${digest}`)
    },
    putManifest: async (reference) => record(`put ${name} ${reference}`),
    getManifest: () => Promise.reject(new Error('not read here')),
    getBlob: () => Promise.reject(new Error('not read here')),
    listTags: () => Promise.resolve([]),
  })
  const registry: Registry = { repository }
  return { registry, calls }
}

const image = twoPlatformLayout()
const top = image.content.top.digest
const children = image.content.children.map((child) => child.digest)
const REFERENCES = ['ghcr.io/acme/app:1.2.3', 'ghcr.io/acme/app:latest', 'ghcr.io/acme/mirror:1.2.3'].map(
  tagged,
)

test('the layout walk: four blobs, the two platform manifests before the index', () => {
  expect(image.content.blobs).toHaveLength(4)
  expect(image.content.blobs.map((entry) => entry.digest)).toEqual(expect.arrayContaining(image.layers))
  expect(children).toHaveLength(2)
  expect(
    JSON.parse(image.content.top.bytes.toString()).manifests.map((m: { digest: string }) => m.digest),
  ).toEqual(children)
})

test('blobs first (uploaded once per registry, mounted into its other repositories), manifests by digest, then tags', async () => {
  const { registry, calls } = recordingRegistry()
  const steps = await pushLayout(registry, image, REFERENCES)
  const index = (call: string): number => calls.indexOf(call)
  for (const layer of image.layers) {
    expect(calls).toContain(`upload ghcr.io/acme/app ${layer}`)
    expect(calls).toContain(`mount ghcr.io/acme/mirror ${layer} from ghcr.io/acme/app`)
    expect(calls).not.toContain(`upload ghcr.io/acme/mirror ${layer}`)
  }
  const lastBlob = Math.max(...calls.map((call, at) => (/^(upload|mount|has) /.test(call) ? at : -1)))
  const firstManifest = calls.findIndex((call) => call.startsWith('put '))
  expect(lastBlob).toBeLessThan(firstManifest)
  for (const name of ['ghcr.io/acme/app', 'ghcr.io/acme/mirror']) {
    for (const child of children)
      expect(index(`put ${name} ${child}`)).toBeLessThan(index(`put ${name} ${top}`))
  }
  const lastDigest = Math.max(index(`put ghcr.io/acme/app ${top}`), index(`put ghcr.io/acme/mirror ${top}`))
  for (const tag of [
    'put ghcr.io/acme/app 1.2.3',
    'put ghcr.io/acme/app latest',
    'put ghcr.io/acme/mirror 1.2.3',
  ])
    expect(index(tag)).toBeGreaterThan(lastDigest)
  expect(steps.map((step) => step.destination)).toEqual([
    `ghcr.io/acme/app@${top}`,
    `ghcr.io/acme/mirror@${top}`,
    'ghcr.io/acme/app:1.2.3',
    'ghcr.io/acme/app:latest',
    'ghcr.io/acme/mirror:1.2.3',
  ])
})

test('two registries: each gets its own upload', async () => {
  const { registry, calls } = recordingRegistry()
  await pushLayout(registry, image, ['ghcr.io/acme/app:1', 'docker.io/acme/app:1'].map(tagged))
  for (const layer of image.layers) {
    expect(calls).toContain(`upload ghcr.io/acme/app ${layer}`)
    expect(calls).toContain(`upload docker.io/acme/app ${layer}`)
  }
})

test('a blob the registry already has is not uploaded again', async () => {
  const { registry, calls } = recordingRegistry()
  await pushLayout(registry, image, [tagged('ghcr.io/acme/app:1')])
  calls.length = 0
  await pushLayout(registry, image, [tagged('ghcr.io/acme/app:2')])
  expect(calls.filter((call) => call.startsWith('upload'))).toEqual([])
})

test('a platform leg (digestOnly): manifests by digest in every repository, and no tag', async () => {
  const { registry, calls } = recordingRegistry()
  const steps = await pushLayout(registry, image, REFERENCES, { digestOnly: true })
  expect(steps.every((step) => step.kind === 'digest')).toBe(true)
  expect(calls.filter((call) => /^put \S+ [^s]/.test(call))).toEqual([])
})

test('an upload started during the scan is awaited, not repeated', async () => {
  const { registry, calls } = recordingRegistry()
  const uploaded = startBlobUpload(
    blobUploader(registry, image.dir, ['ghcr.io/acme/app']),
    image.content.blobs,
    new AbortController(),
  )
  await uploaded.finished()
  const before = calls.length
  await pushLayout(registry, image, [tagged('ghcr.io/acme/app:1')], { uploaded })
  expect(calls.slice(before).filter((call) => !call.startsWith('put '))).toEqual([])
})

test('a failed blob upload puts no manifest anywhere', async () => {
  const { registry, calls } = recordingRegistry((call) =>
    call.startsWith(`upload ghcr.io/acme/app ${image.layers[1]}`),
  )
  await expect(pushLayout(registry, image, REFERENCES)).rejects.toThrow('refused: upload')
  expect(calls.filter((call) => call.startsWith('put '))).toEqual([])
})

test('one repository refusing its index: the other keeps its digest, no tag is written, and the error says both', async () => {
  const { registry, calls } = recordingRegistry((call) => call === `put ghcr.io/acme/mirror ${top}`)
  const error: unknown = await pushLayout(registry, image, REFERENCES).catch((caught: unknown) => caught)
  expect(error).toBeInstanceOf(PushIncomplete)
  const incomplete = error as PushIncomplete
  expect(incomplete.moved.map((step) => step.destination)).toEqual([`ghcr.io/acme/app@${top}`])
  expect(incomplete.notMoved.map((step) => step.destination)).toEqual([
    `ghcr.io/acme/mirror@${top}`,
    'ghcr.io/acme/app:1.2.3',
    'ghcr.io/acme/app:latest',
    'ghcr.io/acme/mirror:1.2.3',
  ])
  expect(calls.filter((call) => /^put \S+ (1\.2\.3|latest)$/.test(call))).toEqual([])
})

test('a tag refused after the digests: the other tags are written and the error names the one missing', async () => {
  const { registry } = recordingRegistry((call) => call === 'put ghcr.io/acme/app latest')
  const error = (await pushLayout(registry, image, REFERENCES).catch(
    (caught: unknown) => caught,
  )) as PushIncomplete
  expect(error.notMoved.map((step) => step.destination)).toEqual(['ghcr.io/acme/app:latest'])
  expect(error.moved.map((step) => step.destination)).toContain('ghcr.io/acme/mirror:1.2.3')
  expect(error.message).toMatch(/Not pushed: ghcr\.io\/acme\/app:latest$/)
})

test('a platform manifest refused: its sibling still retrying is awaited before the error, not cut off', async () => {
  const { registry } = recordingRegistry()
  let siblingDone = false
  const slowSibling: Registry = {
    repository: (name) => ({
      ...registry.repository(name),
      putManifest: async (reference) => {
        if (reference === children[0]) throw new Error(`refused: put ${name} ${reference}`)
        // A sibling the registry answers later (a retry's pause, say): it must still end first.
        if (reference === children[1]) await new Promise((resolve) => setTimeout(resolve, 20))
        if (reference === children[1]) siblingDone = true
      },
    }),
  }
  await expect(pushLayout(slowSibling, image, REFERENCES)).rejects.toThrow(`refused: put`)
  expect(siblingDone).toBe(true)
})
