import { createHash } from 'node:crypto'

/**
 * Reading the OCI image layout buildx wrote (`--output type=oci,dest=DIR,tar=false`): what was
 * built, for which platforms, and the digest to push and to verify. Pure: the caller reads files
 * and hands over `index.json` parsed and a function returning a blob's bytes.
 */

export interface OciPlatform {
  os: string
  architecture: string
  variant?: string
}

export interface Descriptor {
  mediaType: string
  digest: string
  size: number
  annotations?: Record<string, string>
  platform?: OciPlatform
  artifactType?: string
}

/** The bytes of `blobs/<algorithm>/<hex>` for a digest (see `blobPath`). */
export type BlobReader = (digest: string) => Uint8Array | string

export interface PlatformImage {
  /** `os/arch[/variant]`, as `--platform` takes it. */
  platform: string
  descriptor: Descriptor
}

/** BuildKit's attestation manifests (provenance, SBOM): `unknown/unknown` entries, never images. */
export interface AttestationManifest {
  descriptor: Descriptor
  /** The image manifest it describes (`vnd.docker.reference.digest`). */
  subject: string
  /** The platform of that image, when it is in this index. */
  platform: string | undefined
}

export interface OciImage {
  /** What to push and verify: the top descriptor's digest, the index's for a multi-platform build. */
  digest: string
  mediaType: string
  size: number
  kind: 'index' | 'manifest'
  /** The runnable images: one per platform, in the index's order. These are what to scan. */
  platforms: PlatformImage[]
  attestations: AttestationManifest[]
  /** Index entries that are neither an image nor an attestation (kept when pushing, not scanned). */
  others: Descriptor[]
  /** The top manifest's or index's own annotations. */
  annotations: Record<string, string>
}

export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json'
export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json'
const DOCKER_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json'
const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json'
/** The media types of an image index (OCI, Docker's manifest list) and of an image manifest. */
export const INDEX_TYPES = [OCI_INDEX, DOCKER_LIST]
export const MANIFEST_TYPES = [OCI_MANIFEST, DOCKER_MANIFEST]
const REFERENCE_TYPE = 'vnd.docker.reference.type'
const REFERENCE_DIGEST = 'vnd.docker.reference.digest'
const DIGEST = /^(sha256|sha512):([a-f0-9]+)$/

/**
 * Reads the single image buildx put in the layout. A multi-platform build (or any build with
 * attestations) gives an index; a single-platform build without attestations gives a plain image
 * manifest, whose platform comes from `index.json` or, failing that, from the image config.
 */
export function readOciImage(indexJson: unknown, readBlob: BlobReader): OciImage {
  const layout = asObject(indexJson, 'index.json')
  if (layout.schemaVersion !== 2) throw layoutError('index.json: expected schemaVersion 2')
  const manifests = asArray(layout.manifests, 'index.json manifests')
  if (manifests.length !== 1) {
    throw layoutError(
      `index.json: expected exactly one image, found ${manifests.length}; build into an empty directory`,
    )
  }
  const top = descriptor(manifests[0], 'index.json manifests[0]')
  const content = readVerified(top, readBlob)
  if (INDEX_TYPES.includes(top.mediaType)) return fromIndex(top, content, readBlob)
  if (MANIFEST_TYPES.includes(top.mediaType)) return fromManifest(top, content, readBlob)
  throw layoutError(`index.json: the image is a ${top.mediaType}, expected an image index or manifest`)
}

/** The path of a blob inside the layout directory. */
export function blobPath(digest: string): string {
  const match = DIGEST.exec(digest)
  if (!match) throw layoutError(`"${digest}" is not a digest`)
  return `blobs/${match[1]}/${match[2]}`
}

/** The digest of some bytes, as a registry computes it for a manifest. */
export function digestOf(bytes: Uint8Array | string, algorithm: 'sha256' | 'sha512' = 'sha256'): string {
  return `${algorithm}:${createHash(algorithm).update(bytes).digest('hex')}`
}

/** The digest of `bytes` in the algorithm `digest` names (sha512, else sha256): what `digest` must equal. */
export function digestAs(digest: string, bytes: Uint8Array | string): string {
  return digestOf(bytes, digest.startsWith('sha512:') ? 'sha512' : 'sha256')
}

/** `containerimage.digest` from buildx's `--metadata-file`: must equal the layout's digest. */
export function metadataDigest(metadata: unknown): string {
  const digest = asObject(metadata, 'the buildx metadata file')['containerimage.digest']
  if (typeof digest !== 'string' || !DIGEST.test(digest)) {
    throw layoutError('the buildx metadata file has no containerimage.digest')
  }
  return digest
}

export function platformString(platform: OciPlatform): string {
  return [platform.os, platform.architecture, platform.variant].filter((part) => part).join('/')
}

/**
 * The requested platforms the image lacks. `linux/arm64` and `linux/arm64/v8` are one platform
 * (v8 is arm64's only variant), as containerd treats them.
 */
export function missingPlatforms(requested: string[], image: OciImage): string[] {
  const built = new Set(image.platforms.map((entry) => normalizePlatform(entry.platform)))
  return requested.filter((platform) => !built.has(normalizePlatform(platform)))
}

function fromIndex(top: Descriptor, content: unknown, readBlob: BlobReader): OciImage {
  const index = asObject(content, `index ${top.digest}`)
  const entries = asArray(index.manifests, `index ${top.digest} manifests`).map((entry, at) =>
    descriptor(entry, `index ${top.digest} manifests[${at}]`),
  )
  const platforms: PlatformImage[] = []
  const attestations: Descriptor[] = []
  const others: Descriptor[] = []
  for (const entry of entries) {
    if (entry.annotations?.[REFERENCE_TYPE] === 'attestation-manifest') attestations.push(entry)
    else if (MANIFEST_TYPES.includes(entry.mediaType) && !isUnknownPlatform(entry.platform)) {
      platforms.push({
        platform: platformString(entry.platform ?? platformFromConfig(entry, readBlob)),
        descriptor: entry,
      })
    } else others.push(entry)
  }
  const platformOf = new Map(platforms.map((entry) => [entry.descriptor.digest, entry.platform]))
  return {
    digest: top.digest,
    mediaType: top.mediaType,
    size: top.size,
    kind: 'index',
    platforms,
    attestations: attestations.map((entry) => {
      const subject = entry.annotations?.[REFERENCE_DIGEST] ?? ''
      return { descriptor: entry, subject, platform: platformOf.get(subject) }
    }),
    others,
    annotations: stringRecord(index.annotations),
  }
}

function fromManifest(top: Descriptor, content: unknown, readBlob: BlobReader): OciImage {
  const manifest = asObject(content, `manifest ${top.digest}`)
  const platform = top.platform ?? platformFromConfig(top, readBlob, manifest)
  return {
    digest: top.digest,
    mediaType: top.mediaType,
    size: top.size,
    kind: 'manifest',
    platforms: [{ platform: platformString(platform), descriptor: top }],
    attestations: [],
    others: [],
    annotations: stringRecord(manifest.annotations),
  }
}

// An image's platform is in its config when no descriptor carries it.
function platformFromConfig(
  entry: Descriptor,
  readBlob: BlobReader,
  manifest: Record<string, unknown> = asObject(readVerified(entry, readBlob), `manifest ${entry.digest}`),
): OciPlatform {
  const config = descriptor(manifest.config, `manifest ${entry.digest} config`)
  const image = asObject(readVerified(config, readBlob), `config ${config.digest}`)
  if (typeof image.os !== 'string' || typeof image.architecture !== 'string') {
    throw layoutError(`config ${config.digest} names no os/architecture`)
  }
  return {
    os: image.os,
    architecture: image.architecture,
    ...(typeof image.variant === 'string' && image.variant ? { variant: image.variant } : {}),
  }
}

/**
 * The bytes of the blob `entry` names. The bytes scanned are the bytes pushed: a blob whose digest
 * or size is off means a damaged layout.
 */
export function readVerifiedBytes(entry: Descriptor, readBlob: BlobReader): Buffer {
  const raw = readBlob(entry.digest)
  const bytes = Buffer.from(raw)
  if (digestAs(entry.digest, bytes) !== entry.digest)
    throw layoutError(`blob ${entry.digest} does not match its digest`)
  if (bytes.length !== entry.size) {
    throw layoutError(`blob ${entry.digest} is ${bytes.length} bytes, its descriptor says ${entry.size}`)
  }
  return bytes
}

function readVerified(entry: Descriptor, readBlob: BlobReader): unknown {
  const bytes = readVerifiedBytes(entry, readBlob)
  try {
    return JSON.parse(bytes.toString('utf8')) as unknown
  } catch {
    throw layoutError(`blob ${entry.digest} is not JSON`)
  }
}

/** A descriptor (`mediaType`, `digest`, `size`, …) read from layout JSON at `where`, checked. */
export function descriptor(value: unknown, where: string): Descriptor {
  const object = asObject(value, where)
  const { mediaType, digest, size } = object
  if (typeof mediaType !== 'string') throw layoutError(`${where}: no mediaType`)
  if (typeof digest !== 'string' || !DIGEST.test(digest)) throw layoutError(`${where}: no valid digest`)
  if (typeof size !== 'number' || !Number.isInteger(size) || size < 0)
    throw layoutError(`${where}: no valid size`)
  const result: Descriptor = { mediaType, digest, size }
  if (object.annotations !== undefined) result.annotations = stringRecord(object.annotations)
  if (object.platform !== undefined) result.platform = platformOf(object.platform, where)
  if (typeof object.artifactType === 'string') result.artifactType = object.artifactType
  return result
}

function platformOf(value: unknown, where: string): OciPlatform {
  const object = asObject(value, `${where} platform`)
  if (typeof object.os !== 'string' || typeof object.architecture !== 'string') {
    throw layoutError(`${where}: platform without os/architecture`)
  }
  return {
    os: object.os,
    architecture: object.architecture,
    ...(typeof object.variant === 'string' && object.variant ? { variant: object.variant } : {}),
  }
}

function isUnknownPlatform(platform: OciPlatform | undefined): boolean {
  return platform?.os === 'unknown' && platform.architecture === 'unknown'
}

function normalizePlatform(platform: string): string {
  return platform.toLowerCase().replace(/^(\w+)\/arm64\/v8$/, '$1/arm64')
}

function stringRecord(value: unknown): Record<string, string> {
  if (value === null || typeof value !== 'object') return {}
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).filter(
      (entry): entry is [string, string] => typeof entry[1] === 'string',
    ),
  )
}

function asObject(value: unknown, where: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw layoutError(`${where}: expected a JSON object`)
  return value as Record<string, unknown>
}

function asArray(value: unknown, where: string): unknown[] {
  if (!Array.isArray(value)) throw layoutError(`${where}: expected a list`)
  return value
}

function layoutError(detail: string): Error {
  return new Error(`OCI layout: ${detail}`)
}
