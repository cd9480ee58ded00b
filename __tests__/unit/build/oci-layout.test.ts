import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  blobPath,
  digestOf,
  metadataDigest,
  missingPlatforms,
  readOciImage,
  type BlobReader,
} from '../../../src/build/oci-layout.js'

// Layouts recorded from real buildx builds in the sandbox: see fixtures/README.md.
const fixtures = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'oci')

function layout(name: string): { index: unknown; metadata: unknown; readBlob: BlobReader; reads: string[] } {
  const dir = join(fixtures, name)
  const reads: string[] = []
  return {
    index: JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')),
    metadata: JSON.parse(readFileSync(join(dir, 'metadata.json'), 'utf8')),
    readBlob: (digest) => {
      reads.push(digest)
      return readFileSync(join(dir, blobPath(digest)))
    },
    reads,
  }
}

const MULTI = 'sha256:d3bf5d3e11d73506e8f235b5d2b2352491e8c3e92d17737836f5b6939c827d83'
const MULTI_AMD64 = 'sha256:714247b1ce2fbd2aeab300505fa7083f5d773270a6fe481775dac15fe63327a4'
const MULTI_ARM64 = 'sha256:b555572e89418c4f4e97c24a0c82b451d351e4482ed7418da4e94a26fb7f590b'

describe('multi-platform build (linux/amd64 + linux/arm64, provenance)', () => {
  const { index, metadata, readBlob } = layout('multi-platform')
  const image = readOciImage(index, readBlob)

  test('the index digest is the one to push, and buildx reported the same', () => {
    expect(image).toMatchObject({
      digest: MULTI,
      kind: 'index',
      mediaType: 'application/vnd.oci.image.index.v1+json',
      size: 1679,
    })
    expect(metadataDigest(metadata)).toBe(image.digest)
  })

  test('two platforms, in the index order', () => {
    expect(image.platforms.map(({ platform, descriptor }) => [platform, descriptor.digest])).toEqual([
      ['linux/amd64', MULTI_AMD64],
      ['linux/arm64', MULTI_ARM64],
    ])
  })

  test('the unknown/unknown attestation manifests are told apart and tied to their platform', () => {
    expect(
      image.attestations.map(({ descriptor, subject, platform }) => [descriptor.digest, subject, platform]),
    ).toEqual([
      ['sha256:ac8ecbb6db11976789058ee6f3caf77c357f199ffd6f1cc6f941a72cb51b39b5', MULTI_AMD64, 'linux/amd64'],
      ['sha256:dd80048f55e0790d25e8b0950638c54e19fe36c739582909a1cdb82095b31087', MULTI_ARM64, 'linux/arm64'],
    ])
    expect(image.others).toEqual([])
  })

  test("the index's own annotations (--annotation index:…)", () => {
    expect(image.annotations).toEqual({ 'org.opencontainers.image.title': 'fixture' })
  })

  test('missing platforms are reported; arm64/v8 is arm64', () => {
    expect(missingPlatforms(['linux/amd64', 'linux/arm64/v8', 'linux/s390x'], image)).toEqual(['linux/s390x'])
  })
})

describe('single-platform build: a plain image manifest, not an index', () => {
  test('the manifest digest is the one to push; its platform comes from index.json', () => {
    const { index, metadata, readBlob, reads } = layout('single-platform')
    const image = readOciImage(index, readBlob)
    expect(image).toEqual({
      digest: MULTI_AMD64,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      size: 858,
      kind: 'manifest',
      platforms: [{ platform: 'linux/amd64', descriptor: expect.objectContaining({ digest: MULTI_AMD64 }) }],
      attestations: [],
      others: [],
      annotations: {},
    })
    expect(metadataDigest(metadata)).toBe(image.digest)
    expect(reads).toEqual([MULTI_AMD64])
  })

  test('without a platform in index.json, the image config tells it', () => {
    const { index, readBlob, reads } = layout('single-platform')
    const stripped = structuredClone(index) as { manifests: Array<{ platform?: unknown }> }
    delete stripped.manifests[0]!.platform
    expect(readOciImage(stripped, readBlob).platforms.map((entry) => entry.platform)).toEqual(['linux/amd64'])
    expect(reads).toContain('sha256:a62135ed7a482f34d12ccaee43fbf85c8e868f48b377d2ab964012b93c61763f')
  })
})

describe('single platform with provenance: an index of one image and its attestation', () => {
  test('one platform, one attestation', () => {
    const { index, metadata, readBlob } = layout('single-platform-provenance')
    const image = readOciImage(index, readBlob)
    expect(image.kind).toBe('index')
    expect(image.digest).toBe(metadataDigest(metadata))
    expect(image.platforms.map((entry) => entry.platform)).toEqual(['linux/arm64'])
    expect(image.attestations).toHaveLength(1)
    expect(image.attestations[0]!.platform).toBe('linux/arm64')
  })
})

describe('damaged or unexpected layouts', () => {
  test('a blob whose bytes do not match its digest', () => {
    const { index, readBlob } = layout('multi-platform')
    const tampered: BlobReader = (digest) =>
      Buffer.from(readBlob(digest).toString().replace('fixture', 'fixturf'))
    expect(() => readOciImage(index, tampered)).toThrow(`OCI layout: blob ${MULTI} does not match its digest`)
  })

  test('a layout with two images (not an empty output directory)', () => {
    const { index, readBlob } = layout('multi-platform')
    const two = structuredClone(index) as { manifests: unknown[] }
    two.manifests.push(two.manifests[0])
    expect(() => readOciImage(two, readBlob)).toThrow(
      'OCI layout: index.json: expected exactly one image, found 2; build into an empty directory',
    )
  })

  test('not an index.json at all', () => {
    expect(() => readOciImage({ imageLayoutVersion: '1.0.0' }, () => '')).toThrow(
      'OCI layout: index.json: expected schemaVersion 2',
    )
  })

  test('a metadata file without containerimage.digest', () => {
    expect(() => metadataDigest({ 'buildx.build.ref': 'x' })).toThrow(
      'OCI layout: the buildx metadata file has no containerimage.digest',
    )
  })
})

test('every recorded blob is named by its sha256 (the fixtures are intact)', () => {
  for (const name of ['multi-platform', 'single-platform', 'single-platform-provenance']) {
    const { index, readBlob } = layout(name)
    const digest = (index as { manifests: Array<{ digest: string }> }).manifests[0]!.digest
    expect(digestOf(readBlob(digest))).toBe(digest)
  }
})
