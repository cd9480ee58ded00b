import { digestOf, OCI_INDEX, platformString, type OciPlatform } from '../build/oci-layout.js'
import type { LegResult } from './result.js'

/**
 * The index the merge pushes: every entry of every leg's index (its platform images and their
 * attestations), as the legs pushed them, so each platform's manifest keeps its digest and no
 * blob moves. Pure: the caller reads the legs' manifests from the registry and hands them over.
 */

/** A leg and the bytes of the manifest its digest names, as the registry served them. */
export interface LegTop {
  leg: LegResult
  raw: string
}

/** An index entry, kept as the leg wrote it. */
export type IndexEntry = Record<string, unknown> & { mediaType: string; digest: string; size: number }

export interface MergedIndex {
  /** The bytes to push, and their digest. */
  raw: string
  digest: string
  entries: IndexEntry[]
}

/** `index:key=value` annotations of the metadata (the index's own), as an object. */
export function indexAnnotations(annotations: string[]): Record<string, string> {
  const found: Record<string, string> = {}
  for (const entry of annotations) {
    const match = /^index:(?<key>[^=]+)=(?<value>.*)$/s.exec(entry)
    if (match?.groups) found[match.groups.key ?? ''] = match.groups.value ?? ''
  }
  return found
}

/** The merged index of the legs, in their order, with the index-level annotations. */
export function mergedIndex(tops: LegTop[], annotations: Record<string, string>): MergedIndex {
  const entries = tops.flatMap(entriesOf)
  const index = {
    schemaVersion: 2,
    mediaType: OCI_INDEX,
    manifests: entries,
    ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
  }
  const raw = JSON.stringify(index)
  return { raw, digest: digestOf(raw), entries }
}

/**
 * The entries one leg contributes: its index's entries, or its lone manifest with the platform
 * the leg reported. Its platform images must be exactly the digests the leg reported.
 */
function entriesOf({ leg, raw }: LegTop): IndexEntry[] {
  const top = JSON.parse(raw) as { mediaType?: unknown; manifests?: unknown }
  const reported = leg.platforms.map((entry) => `${entry.platform}=${entry.digest}`).sort()
  if (!Array.isArray(top.manifests)) {
    const [only, ...more] = leg.platforms
    if (only === undefined || more.length > 0)
      throw new Error(`${leg.digest} is a single manifest, but its leg reported ${reported.join(', ')}`)
    return [
      {
        mediaType: String(top.mediaType),
        digest: leg.digest,
        size: Buffer.byteLength(raw),
        platform: platformOf(only.platform),
      },
    ]
  }
  const entries = top.manifests as IndexEntry[]
  const images = entries
    .filter((entry) => isImagePlatform(entry.platform))
    .map((entry) => `${platformString(entry.platform as OciPlatform)}=${entry.digest}`)
    .sort()
  if (images.join('\n') !== reported.join('\n'))
    throw new Error(
      `the index ${leg.digest} holds ${images.join(', ')}, but its leg reported ${reported.join(', ')}`,
    )
  return entries
}

// BuildKit's attestation manifests are `unknown/unknown`: not images.
function isImagePlatform(platform: unknown): boolean {
  const { os, architecture } = (platform ?? {}) as Partial<OciPlatform>
  return typeof os === 'string' && typeof architecture === 'string' && os !== 'unknown'
}

function platformOf(text: string): OciPlatform {
  const [os = '', architecture = '', variant] = text.split('/')
  return { os, architecture, ...(variant ? { variant } : {}) }
}
