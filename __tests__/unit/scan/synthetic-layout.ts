// A complete OCI image layout, as buildx writes one for a multi-platform build with provenance:
// index.json -> image index -> one manifest per platform (config + a layer) and one attestation
// manifest (unknown/unknown) per platform. Blob contents are small but digests and sizes are real.
import { createHash } from 'node:crypto'
import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { gzipSync } from 'node:zlib'

export interface SyntheticLayout {
  dir: string
  indexDigest: string
  /** platform -> its manifest digest and all its blob digests (manifest, config, layers) */
  platforms: Record<string, { manifest: string; blobs: string[] }>
  /** every blob file of the layout */
  allBlobs: string[]
}

export function writeSyntheticLayout(
  dir: string,
  platforms = ['linux/amd64', 'linux/arm64'],
): SyntheticLayout {
  mkdirSync(path.join(dir, 'blobs', 'sha256'), { recursive: true })
  const allBlobs: string[] = []
  const put = (content: Buffer | string, mediaType: string, extra: Record<string, unknown> = {}) => {
    const bytes = Buffer.from(content)
    const digest = `sha256:${createHash('sha256').update(bytes).digest('hex')}`
    writeFileSync(path.join(dir, 'blobs', 'sha256', digest.slice(7)), bytes)
    allBlobs.push(digest)
    return { mediaType, digest, size: bytes.length, ...extra }
  }
  const result: SyntheticLayout['platforms'] = {}
  const entries: Record<string, unknown>[] = []
  const attestations: Record<string, unknown>[] = []
  for (const platform of platforms) {
    const [os, architecture, variant] = platform.split('/')
    const layer = put(
      gzipSync(Buffer.alloc(64 * 1024, platform)),
      'application/vnd.oci.image.layer.v1.tar+gzip',
    )
    const config = put(
      JSON.stringify({
        architecture,
        os,
        ...(variant ? { variant } : {}),
        rootfs: { type: 'layers', diff_ids: [] },
      }),
      'application/vnd.oci.image.config.v1+json',
    )
    const manifest = put(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        config,
        layers: [layer],
      }),
      'application/vnd.oci.image.manifest.v1+json',
      { platform: { architecture, os, ...(variant ? { variant } : {}) } },
    )
    entries.push(manifest)
    result[platform] = { manifest: manifest.digest, blobs: [manifest.digest, config.digest, layer.digest] }
    const statement = put('{"_type":"https://in-toto.io/Statement/v0.1"}', 'application/vnd.in-toto+json')
    const attestationConfig = put(
      '{"architecture":"unknown","os":"unknown"}',
      'application/vnd.oci.image.config.v1+json',
    )
    attestations.push(
      put(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          config: attestationConfig,
          layers: [statement],
        }),
        'application/vnd.oci.image.manifest.v1+json',
        {
          annotations: {
            'vnd.docker.reference.digest': manifest.digest,
            'vnd.docker.reference.type': 'attestation-manifest',
          },
          platform: { architecture: 'unknown', os: 'unknown' },
        },
      ),
    )
  }
  const index = put(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: [...entries, ...attestations],
    }),
    'application/vnd.oci.image.index.v1+json',
    { annotations: { 'org.opencontainers.image.ref.name': 'latest' } },
  )
  writeFileSync(path.join(dir, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}')
  writeFileSync(path.join(dir, 'index.json'), JSON.stringify({ schemaVersion: 2, manifests: [index] }))
  return { dir, indexDigest: index.digest, platforms: result, allBlobs }
}
