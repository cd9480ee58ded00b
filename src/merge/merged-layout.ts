import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { info } from '../action/log.js'
import { blobPath, digestAs } from '../build/oci-layout.js'
import type { Registry } from '../registry/index.js'
import type { CheckedLegs } from './checks.js'
import { indexAnnotations, mergedIndex, type IndexEntry, type MergedIndex } from './merged-index.js'

/**
 * Writes the merged index as an OCI layout holding only manifests and image configs: the index,
 * every leg's manifests and their configs, read back from the first image and checked against
 * their digests. No layer is in it: the legs pushed every blob into every image already, so a
 * push of this layout finds each layer in the destination repository, uploads no blob and keeps
 * every platform manifest byte for byte.
 */
export async function writeMergedLayout(
  registry: Registry,
  checked: CheckedLegs,
  annotations: string[],
  layoutDir: string,
): Promise<MergedIndex> {
  // The checks made every leg name the same images, and pushed: any one serves every manifest.
  const image = checked.legs[0]?.images[0]
  if (image === undefined) throw new Error('no leg to merge')
  const repository = registry.repository(image)
  // Every manifest written is checked against the digest that names it (getBlob checks configs).
  const manifest = async (digest: string): Promise<string> => {
    const { bytes } = await repository.getManifest(digest)
    if (digestAs(digest, bytes) !== digest)
      throw new Error(`${image}@${digest} served other bytes than its digest ${digest}`)
    return bytes.toString('utf8')
  }
  const tops = []
  for (const leg of checked.legs) tops.push({ leg, raw: await manifest(leg.digest) })
  const merged = mergedIndex(tops, indexAnnotations(annotations))
  const blobs = new Map<string, string | Buffer>([[merged.digest, merged.raw]])
  for (const entry of merged.entries) {
    const raw = tops.find(({ leg }) => leg.digest === entry.digest)?.raw ?? (await manifest(entry.digest))
    blobs.set(entry.digest, raw)
    const config = configDigest(raw, entry)
    blobs.set(config, await repository.getBlob(config))
  }
  await mkdir(path.join(layoutDir, 'blobs', 'sha256'), { recursive: true })
  for (const [digest, raw] of blobs) await writeFile(path.join(layoutDir, blobPath(digest)), raw)
  await writeFile(path.join(layoutDir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }))
  const top = {
    mediaType: JSON.parse(merged.raw).mediaType,
    digest: merged.digest,
    size: Buffer.byteLength(merged.raw),
  }
  await writeFile(path.join(layoutDir, 'index.json'), JSON.stringify({ schemaVersion: 2, manifests: [top] }))
  info(`Merged index ${merged.digest}: ${merged.entries.length} manifests from ${checked.legs.length} legs`)
  return merged
}

function configDigest(raw: string, entry: IndexEntry): string {
  const digest = (JSON.parse(raw) as { config?: { digest?: unknown } }).config?.digest
  if (typeof digest !== 'string') throw new Error(`${entry.digest} is not an image manifest (no config)`)
  return digest
}
