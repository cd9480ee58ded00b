import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { info } from '../action/log.js'
import { blobPath, digestOf } from '../build/oci-layout.js'
import type { RegistryClient } from '../push/index.js'
import type { CheckedLegs } from './checks.js'
import { indexAnnotations, mergedIndex, type IndexEntry, type MergedIndex } from './merged-index.js'

/**
 * Writes the merged index as an OCI layout holding only manifests and image configs: the index,
 * every leg's manifests and their configs, read back from the first image and checked against
 * their digests. No layer is in it: the legs pushed every blob into every image already, so a
 * push of this layout (skopeo finds each layer in the destination repository) uploads no blob
 * and keeps every platform manifest byte for byte.
 */
export async function writeMergedLayout(
  client: Pick<RegistryClient, 'readManifest' | 'readConfig'>,
  checked: CheckedLegs,
  annotations: string[],
  layoutDir: string,
): Promise<MergedIndex> {
  const { readConfig } = client
  if (!readConfig)
    throw new Error('stage "merge" reads the legs\' image configs with skopeo, which this runner lacks')
  // The checks made every leg name the same images, and pushed: any one serves every manifest.
  const image = checked.legs[0]?.images[0]
  if (image === undefined) throw new Error('no leg to merge')
  // Every byte written is checked against the digest that names it.
  const verified = (raw: string, digest: string, what: string): string => {
    if (digestOf(raw) !== digest) throw new Error(`${what} served other bytes than its digest ${digest}`)
    return raw
  }
  const manifest = async (digest: string): Promise<string> =>
    verified(await client.readManifest(`${image}@${digest}`), digest, `${image}@${digest}`)
  const tops = []
  for (const leg of checked.legs) tops.push({ leg, raw: await manifest(leg.digest) })
  const merged = mergedIndex(tops, indexAnnotations(annotations))
  const blobs = new Map<string, string>([[merged.digest, merged.raw]])
  for (const entry of merged.entries) {
    const raw = tops.find(({ leg }) => leg.digest === entry.digest)?.raw ?? (await manifest(entry.digest))
    blobs.set(entry.digest, raw)
    const reference = `${image}@${entry.digest}`
    const config = configDigest(raw, entry)
    blobs.set(
      config,
      verified(await readConfig.call(client, reference), config, `the config of ${reference}`),
    )
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
