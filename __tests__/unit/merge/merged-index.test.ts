import { createHash } from 'node:crypto'
import { indexAnnotations, mergedIndex } from '../../../src/merge/merged-index.js'
import type { LegResult } from '../../../src/merge/result.js'

const D = (hex: string): string => `sha256:${hex.repeat(64)}`
const sha256 = (text: string): string => `sha256:${createHash('sha256').update(text).digest('hex')}`
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json'

function leg(platform: string, digest: string, manifest: string): LegResult {
  return {
    version: 1,
    images: ['ghcr.io/acme/app'],
    digest,
    pushed: true,
    platforms: [{ platform, digest: manifest, scan: 'passed', vulnerabilities: null }],
    gate: 'passed',
    commit: 'c',
    run: '1',
  }
}

/** A leg's index as BuildKit writes it for one platform: the image, then its attestation manifest. */
function legIndex(arch: string, image: string, attestation: string): string {
  return JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.index.v1+json',
    manifests: [
      { mediaType: OCI_MANIFEST, digest: image, size: 100, platform: { architecture: arch, os: 'linux' } },
      {
        mediaType: OCI_MANIFEST,
        digest: attestation,
        size: 50,
        annotations: {
          'vnd.docker.reference.digest': image,
          'vnd.docker.reference.type': 'attestation-manifest',
        },
        platform: { architecture: 'unknown', os: 'unknown' },
      },
    ],
  })
}

test('every entry of every leg, in the legs’ order, with the index annotations; the digest is of the bytes', () => {
  const amd = { leg: leg('linux/amd64', D('a'), D('1')), raw: legIndex('amd64', D('1'), D('2')) }
  const arm = { leg: leg('linux/arm64', D('b'), D('3')), raw: legIndex('arm64', D('3'), D('4')) }
  const merged = mergedIndex([amd, arm], { 'org.opencontainers.image.version': '1.2.3' })
  const parsed = JSON.parse(merged.raw) as {
    mediaType: string
    manifests: Array<{ digest: string }>
    annotations: unknown
  }
  expect(parsed.mediaType).toBe('application/vnd.oci.image.index.v1+json')
  expect(parsed.manifests.map((entry) => entry.digest)).toEqual([D('1'), D('2'), D('3'), D('4')])
  // Kept as the leg wrote them, annotations and all.
  expect(parsed.manifests[1]).toEqual(JSON.parse(amd.raw).manifests[1])
  expect(parsed.annotations).toEqual({ 'org.opencontainers.image.version': '1.2.3' })
  expect(merged.digest).toBe(sha256(merged.raw))
})

test('no index annotations: no annotations field', () => {
  const amd = { leg: leg('linux/amd64', D('a'), D('1')), raw: legIndex('amd64', D('1'), D('2')) }
  expect(JSON.parse(mergedIndex([amd], {}).raw)).not.toHaveProperty('annotations')
})

test('a leg that pushed a lone manifest (no attestations): an entry for it, with the platform it reported', () => {
  const raw = JSON.stringify({ schemaVersion: 2, mediaType: OCI_MANIFEST, config: {}, layers: [] })
  const lone = { leg: leg('linux/arm64/v8', sha256(raw), sha256(raw)), raw }
  expect(mergedIndex([lone], {}).entries).toEqual([
    {
      mediaType: OCI_MANIFEST,
      digest: sha256(raw),
      size: Buffer.byteLength(raw),
      platform: { os: 'linux', architecture: 'arm64', variant: 'v8' },
    },
  ])
})

test('an index that holds other platform images than its leg reported is refused', () => {
  const lying = { leg: leg('linux/amd64', D('a'), D('7')), raw: legIndex('amd64', D('1'), D('2')) }
  expect(() => mergedIndex([lying], {})).toThrow(
    `the index ${D('a')} holds linux/amd64=${D('1')}, but its leg reported linux/amd64=${D('7')}`,
  )
})

test('index annotations: the index: level only, values kept whole', () => {
  expect(
    indexAnnotations([
      'manifest:org.opencontainers.image.title=app',
      'index:org.opencontainers.image.title=app',
      'index:org.opencontainers.image.description=a=b\nc',
      'index-descriptor:org.opencontainers.image.title=x',
    ]),
  ).toEqual({ 'org.opencontainers.image.title': 'app', 'org.opencontainers.image.description': 'a=b\nc' })
})
