import { readFileSync } from 'node:fs'
import { link, mkdir, readFile, realpath, rm, stat, symlink, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { blobPath, digestAs, type OciImage, type PlatformImage, readOciImage } from '../build/oci-layout.js'

/**
 * One single-platform OCI layout per platform of the built layout, for `trivy image --input`.
 *
 * Why: Trivy opens an `--input` directory with go-containerregistry's layout package and, when
 * index.json points at an index, descends into it and takes the FIRST manifest, whatever
 * `--platform` says (pkg/fanal/image/oci.go, getOCIImage, v0.74.0); it does not read OCI tarballs
 * as layouts either. So each platform gets a directory whose index.json names only its manifest.
 *
 * No blob is copied. Each blob the platform needs (manifest, config, layers) is a HARD LINK to
 * the original blob: a regular file sharing the original's inode, so no data is written.
 * Hard links rather than symlinks, because Trivy 0.74.0 uses go-containerregistry v0.21.9, which
 * since #2306 ("Reject symlinks in OCI layout blobs", v0.21.7) refuses a blob file that is a
 * symlink (os.Lstat on blobs/<alg>/<hex>). A symlinked `blobs` DIRECTORY still passes that check
 * (only the last path component is lstat'ed), but it is the kind of escape from the layout root
 * that such hardening targets next; a hard link is a plain file to every reader.
 * Hard links fail across file systems (EXDEV) and on some (EPERM); then, in `auto` mode, the
 * platform's `blobs` becomes one symlink to the original `blobs` directory (absolute path), which
 * skopeo and Trivy 0.74.0 read. Put `outDir` beside the layout to stay on one file system.
 * Either way the scanner only reads: the original blobs, the bytes to be pushed, are untouched.
 */

const REF_NAME = 'org.opencontainers.image.ref.name'

export const OCI_LAYOUT_FILE = JSON.stringify({ imageLayoutVersion: '1.0.0' })

export type LinkMode = 'hardlink' | 'symlink'

export interface PlatformLayout {
  /** `os/arch[/variant]` */
  platform: string
  /** The platform's image manifest digest (what its scan report is about). */
  manifestDigest: string
  dir: string
  /** How its blobs reach the original ones. */
  linkMode: LinkMode
}

/** The index.json of a layout holding just this platform's image manifest. */
export function platformLayoutIndex(entry: PlatformImage): Record<string, unknown> {
  const { mediaType, digest, size, platform, annotations } = entry.descriptor
  const descriptor: Record<string, unknown> = { mediaType, digest, size }
  if (platform !== undefined) descriptor.platform = platform
  else {
    const [os, architecture, variant] = entry.platform.split('/')
    descriptor.platform = { os, architecture, ...(variant ? { variant } : {}) }
  }
  // The descriptor's annotations describe that manifest and are kept, except a ref.name tag (a
  // single-platform build's index.json entry has one): it names the built image, not this layout.
  const kept = Object.entries(annotations ?? {}).filter(([key]) => key !== REF_NAME)
  if (kept.length > 0) descriptor.annotations = Object.fromEntries(kept)
  return { schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: [descriptor] }
}

/** The blobs one platform's image consists of: its manifest, its config and its layers, in that order. */
export function platformBlobDigests(manifestDigest: string, manifest: unknown): string[] {
  const object = (manifest ?? {}) as { config?: { digest?: unknown }; layers?: { digest?: unknown }[] }
  const digests = [
    object.config?.digest,
    ...(Array.isArray(object.layers) ? object.layers : []).map((l) => l?.digest),
  ]
  if (digests.some((digest) => typeof digest !== 'string')) {
    throw new Error(`OCI layout: manifest ${manifestDigest} lacks a config or layer digest`)
  }
  return [...new Set([manifestDigest, ...(digests as string[])])]
}

/** A directory name for a platform: `linux-arm64-v8`. Never `:` or `@`, which Trivy's --input splits on. */
export function platformDirName(platform: string): string {
  return platform.replace(/[^A-Za-z0-9._-]+/g, '-')
}

/** Reads the layout's index.json and blobs, as readOciImage wants them. */
export async function readLayout(layoutDir: string): Promise<OciImage> {
  const indexJson = JSON.parse(await readFile(path.join(layoutDir, 'index.json'), 'utf8')) as unknown
  return readOciImage(indexJson, (digest) => readFileSync(path.join(layoutDir, blobPath(digest))))
}

export interface WritePlatformLayoutsOptions {
  /** `auto` (default): hard links, else a symlinked blobs directory where hard links fail. */
  linkMode?: LinkMode | 'auto'
  /** fs.promises.link; replaceable to test the fallback. */
  hardLink?: (existing: string, created: string) => Promise<void>
}

const NO_HARD_LINK = new Set(['EXDEV', 'EPERM', 'EMLINK', 'ENOTSUP', 'EOPNOTSUPP'])

/**
 * Writes `<outDir>/<platform-dir>/{oci-layout,index.json,blobs/…}` for every platform of the
 * layout (attestation manifests are not platforms). `outDir` is emptied first. Every blob of each
 * platform must be in the layout, and its manifest must match its digest.
 */
export async function writePlatformLayouts(
  layoutDir: string,
  outDir: string,
  options: WritePlatformLayoutsOptions = {},
): Promise<PlatformLayout[]> {
  const image = await readLayout(layoutDir)
  const blobsDir = await realpath(path.join(layoutDir, 'blobs'))
  const out = path.resolve(outDir)
  if (/[:@]/.test(out)) {
    throw new Error(`per-platform layouts cannot go under ${out}: Trivy's --input reads ":" and "@" as a tag`)
  }
  const hardLink = options.hardLink ?? link
  const requested = options.linkMode ?? 'auto'
  // Once a hard link has failed (another file system), the remaining platforms go straight to a symlink.
  let hardLinksWork = requested !== 'symlink'
  await rm(out, { recursive: true, force: true })
  const layouts: PlatformLayout[] = []
  const used = new Set<string>()
  for (const entry of image.platforms) {
    const digests = await platformBlobs(layoutDir, entry)
    let name = platformDirName(entry.platform)
    for (let n = 2; used.has(name); n++) name = `${platformDirName(entry.platform)}-${n}`
    used.add(name)
    const dir = path.join(out, name)
    await mkdir(dir, { recursive: true })
    await writeFile(path.join(dir, 'oci-layout'), OCI_LAYOUT_FILE)
    await writeFile(path.join(dir, 'index.json'), JSON.stringify(platformLayoutIndex(entry)))
    let linkMode: LinkMode = 'symlink'
    if (hardLinksWork) {
      try {
        for (const digest of digests) {
          const target = path.join(dir, blobPath(digest))
          await mkdir(path.dirname(target), { recursive: true })
          await hardLink(path.join(blobsDir, blobPath(digest).slice('blobs/'.length)), target)
        }
        linkMode = 'hardlink'
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code ?? ''
        if (requested === 'hardlink' || !NO_HARD_LINK.has(code)) throw error
        await rm(path.join(dir, 'blobs'), { recursive: true, force: true })
        hardLinksWork = false
      }
    }
    if (linkMode === 'symlink') await symlink(blobsDir, path.join(dir, 'blobs'), 'dir')
    layouts.push({ platform: entry.platform, manifestDigest: entry.descriptor.digest, dir, linkMode })
  }
  return layouts
}

// The platform's blob digests, after checking its manifest against its digest and that every blob is there.
async function platformBlobs(layoutDir: string, entry: PlatformImage): Promise<string[]> {
  const { digest } = entry.descriptor
  const bytes = await readFile(path.join(layoutDir, blobPath(digest))).catch(() => {
    throw new Error(`OCI layout: the manifest ${digest} of ${entry.platform} is not in ${layoutDir}`)
  })
  if (digestAs(digest, bytes) !== digest)
    throw new Error(`OCI layout: blob ${digest} does not match its digest`)
  const digests = platformBlobDigests(digest, JSON.parse(bytes.toString('utf8')) as unknown)
  for (const blob of digests) {
    const found = await stat(path.join(layoutDir, blobPath(blob))).catch(() => undefined)
    if (!found?.isFile()) {
      throw new Error(`OCI layout: blob ${blob} of ${entry.platform} is not in ${layoutDir}; nothing to scan`)
    }
  }
  return digests
}
