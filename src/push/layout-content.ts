import { readFileSync } from 'node:fs'
import path from 'node:path'
import {
  blobPath,
  descriptor,
  INDEX_TYPES,
  MANIFEST_TYPES,
  readVerifiedBytes,
  type Descriptor,
} from '../build/oci-layout.js'

/** A config or layer: content-addressed bytes no registry name points at until a manifest does. */
export interface BlobEntry {
  digest: string
  size: number
}

/** A manifest or index, with the exact bytes to PUT (their digest is their name). */
export interface ManifestEntry {
  digest: string
  mediaType: string
  bytes: Buffer
}

/** What a push of the layout's image writes, in the order that keeps every reference whole. */
export interface LayoutContent {
  /** Every config and layer the image's manifests name, each once. */
  blobs: BlobEntry[]
  /** Every manifest under the top one, children before the index that lists them. */
  children: ManifestEntry[]
  /** The index (or single manifest) the tags will name: `built.digest`. */
  top: ManifestEntry
}

/**
 * Walks the image `top` names through the layout's manifests (read with `readBlob`): the blobs to
 * upload and the manifests to PUT, children first. Only manifests are read; a blob absent from the
 * layout (the merge's layout holds no layer) is still listed: the registry must already have it.
 */
export function layoutContent(top: Descriptor, readBlob: (digest: string) => Buffer): LayoutContent {
  const blobs = new Map<string, BlobEntry>()
  const children = new Map<string, ManifestEntry>()
  const visit = (entry: Descriptor): ManifestEntry => {
    const manifest = readManifest(entry, readBlob)
    const body = JSON.parse(manifest.bytes.toString('utf8')) as Record<string, unknown>
    if (INDEX_TYPES.includes(entry.mediaType)) {
      for (const child of descriptors(body.manifests, entry.digest)) {
        if (INDEX_TYPES.includes(child.mediaType) || MANIFEST_TYPES.includes(child.mediaType)) {
          if (!children.has(child.digest)) children.set(child.digest, visit(child))
        } else blobs.set(child.digest, { digest: child.digest, size: child.size })
      }
    } else {
      for (const blob of [
        ...descriptors([body.config], entry.digest),
        ...descriptors(body.layers, entry.digest),
      ])
        blobs.set(blob.digest, { digest: blob.digest, size: blob.size })
    }
    return manifest
  }
  const root = visit(top)
  return { blobs: [...blobs.values()], children: [...children.values()], top: root }
}

function readManifest(entry: Descriptor, readBlob: (digest: string) => Buffer): ManifestEntry {
  if (!INDEX_TYPES.includes(entry.mediaType) && !MANIFEST_TYPES.includes(entry.mediaType))
    throw new Error(`${entry.digest} is a ${entry.mediaType}, not a manifest or index`)
  return { digest: entry.digest, mediaType: entry.mediaType, bytes: readVerifiedBytes(entry, readBlob) }
}

function descriptors(value: unknown, where: string): Descriptor[] {
  if (value === undefined) return []
  if (!Array.isArray(value)) throw new Error(`manifest ${where}: expected a list of descriptors`)
  return value.map((item: unknown, at) => descriptor(item, `manifest ${where}[${at}]`))
}

/** `layoutContent` of the image `top` in the OCI layout at `dir`. */
export function readLayoutContent(dir: string, top: Descriptor): LayoutContent {
  return layoutContent(top, (digest) => readFileSync(path.join(dir, blobPath(digest))))
}
