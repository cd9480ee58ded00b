import { existsSync } from 'node:fs'
import path from 'node:path'
import pLimit, { type LimitFunction } from 'p-limit'
import { blobPath } from '../build/oci-layout.js'
import { parseImageReference } from '../metadata/image-reference.js'
import type { RangeReader, Registry, Repository } from '../registry/index.js'
import { growingBlobRanges } from './growing-file.js'
import type { BlobEntry } from './layout-content.js'
import { watchLayoutIngests } from './layout-ingest.js'

/** Blobs in flight at once per registry: enough to fill a link, few enough for a registry's limits. */
const BLOBS_AT_ONCE = 4

/**
 * Puts blobs into every repository `names` lists. Blobs are content-addressed and named by no
 * manifest yet, so this may run before the gate: nobody can pull anything until the manifests are
 * PUT. Registries are served side by side; within one, a blob is uploaded once, into the first
 * repository, and mounted into the others.
 */
export interface BlobUploader {
  /**
   * Starts `blob` now, its bytes read with `read` as the build writes them. A failure is not
   * reported: `all` uploads the blob again from the finished layout.
   */
  early(blob: BlobEntry, read: RangeReader): void
  /** Every one of `blobs` in every repository: the early uploads awaited, a failed one done again. */
  all(blobs: BlobEntry[]): Promise<void>
}

interface RegistryGroup {
  home: Repository
  mirrors: Repository[]
  turn: LimitFunction
}

/** The uploader of the layout at `layoutDir` (where `all` reads) into the repositories `names`. */
export function blobUploader(registry: Registry, layoutDir: string, names: string[]): BlobUploader {
  const groups: RegistryGroup[] = [...byRegistry(names).values()].map(([first, ...others]) => ({
    home: registry.repository(first as string),
    mirrors: others.map((name) => registry.repository(name)),
    turn: pLimit(BLOBS_AT_ONCE),
  }))
  // Once a blob of `all` has failed, those still waiting for their turn do not start.
  let failed = false
  const everywhere = async (
    blob: BlobEntry,
    from: string | RangeReader,
    failureStops: boolean,
  ): Promise<void> => {
    await Promise.all(
      groups.map((group) =>
        group.turn(async () => {
          if (failed) throw new Error(`${blob.digest} was not uploaded: another blob failed first`)
          await intoGroup(group, blob, from).catch((error: unknown) => {
            failed ||= failureStops
            throw error
          })
        }),
      ),
    )
  }
  const early = new Map<string, Promise<void>>()
  return {
    early(blob, read) {
      if (early.has(blob.digest)) return
      const upload = everywhere(blob, read, false)
      upload.catch(() => undefined)
      early.set(blob.digest, upload)
    },
    async all(blobs) {
      await Promise.all(
        blobs.map((blob) => {
          const fromLayout = (): Promise<void> => everywhere(blob, layoutFile(layoutDir, blob), true)
          return early.get(blob.digest)?.catch(fromLayout) ?? fromLayout()
        }),
      )
    },
  }
}

/**
 * While the build writes the layout at `layoutDir`: every blob seen growing there starts up at once,
 * streamed as it is written, so a large layer is uploaded by the time the build ends. Returns the
 * watch's stop, for when the build has ended.
 */
export function uploadAsWritten(uploader: BlobUploader, layoutDir: string, signal: AbortSignal): () => void {
  const watch = watchLayoutIngests(layoutDir, (blob) => uploader.early(blob, growingBlobRanges(blob, signal)))
  return watch.stop
}

/** The upload started before the gate: awaited after it passes, abandoned when it fails. */
export interface BlobUpload {
  finished(): Promise<void>
  /** Aborts what is in flight (through `stop`, the registry's signal) and waits until it has stopped. */
  abandon(): Promise<void>
}

/**
 * Starts `uploader.all(blobs)` now, for a run whose scan will hide it; its failure is held until
 * someone awaits `finished()`. `stop` must be the controller whose signal the registry was opened with.
 */
export function startBlobUpload(
  uploader: BlobUploader,
  blobs: BlobEntry[],
  stop: AbortController,
): BlobUpload {
  const upload = uploader.all(blobs)
  // Held, not lost: the gate may fail first, and then nobody asks how the upload went.
  upload.catch(() => undefined)
  return {
    finished: () => upload,
    abandon: async () => {
      stop.abort()
      await upload.catch(() => undefined)
    },
  }
}

async function intoGroup(group: RegistryGroup, blob: BlobEntry, from: string | RangeReader): Promise<void> {
  await ensureBlob(group.home, blob, from)
  for (const mirror of group.mirrors) {
    if (!(await mirror.mountBlob(blob.digest, group.home.name))) await ensureBlob(mirror, blob, from)
  }
}

async function ensureBlob(
  repository: Repository,
  blob: BlobEntry,
  from: string | RangeReader,
): Promise<void> {
  if (await repository.hasBlob(blob.digest)) return
  if (typeof from === 'string' && !existsSync(from))
    throw new Error(`${repository.name} lacks ${blob.digest}, and the layout to push does not hold it either`)
  await repository.uploadBlob(blob.digest, blob.size, from)
}

function layoutFile(layoutDir: string, blob: BlobEntry): string {
  return path.join(layoutDir, blobPath(blob.digest))
}

function byRegistry(names: string[]): Map<string, string[]> {
  const groups = new Map<string, string[]>()
  for (const name of new Set(names)) {
    const { registry } = parseImageReference(name)
    groups.set(registry, [...(groups.get(registry) ?? []), name])
  }
  return groups
}
