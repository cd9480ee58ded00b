import { existsSync } from 'node:fs'
import path from 'node:path'
import { blobPath } from '../build/oci-layout.js'
import { parseImageReference } from '../metadata/image-reference.js'
import type { Registry, Repository } from '../registry/index.js'
import type { BlobEntry } from './layout-content.js'

/** Blobs in flight at once per registry: enough to fill a link, few enough for a registry's limits. */
const BLOBS_AT_ONCE = 4

/**
 * Puts every blob of the layout into every repository `names` lists. Blobs are content-addressed
 * and named by no manifest yet, so this may run while the image is still being scanned: nobody can
 * pull anything until the manifests are PUT. Registries are served side by side; within one, a
 * blob is uploaded once, into the first repository, and mounted into the others.
 */
export async function uploadBlobs(
  registry: Registry,
  layoutDir: string,
  blobs: BlobEntry[],
  names: string[],
): Promise<void> {
  await Promise.all(
    [...byRegistry(names).values()].map(async ([first, ...others]) => {
      const home = registry.repository(first as string)
      const mirrors = others.map((name) => registry.repository(name))
      await inTurns(blobs, BLOBS_AT_ONCE, async (blob) => {
        await ensureBlob(home, blob, layoutDir)
        for (const mirror of mirrors) {
          if (!(await mirror.mountBlob(blob.digest, home.name))) await ensureBlob(mirror, blob, layoutDir)
        }
      })
    }),
  )
}

/** The upload started before the gate: awaited after it passes, abandoned when it fails. */
export interface BlobUpload {
  finished(): Promise<void>
  /** Aborts what is in flight (through `stop`, the registry's signal) and waits until it has stopped. */
  abandon(): Promise<void>
}

/**
 * Starts `uploadBlobs` now, for a run whose scan will hide it; its failure is held until someone
 * awaits `finished()`. `stop` must be the controller whose signal `registry` was opened with.
 */
export function startBlobUpload(
  registry: Registry,
  layoutDir: string,
  blobs: BlobEntry[],
  names: string[],
  stop: AbortController,
): BlobUpload {
  const upload = uploadBlobs(registry, layoutDir, blobs, names)
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

async function ensureBlob(repository: Repository, blob: BlobEntry, layoutDir: string): Promise<void> {
  if (await repository.hasBlob(blob.digest)) return
  const file = path.join(layoutDir, blobPath(blob.digest))
  if (!existsSync(file))
    throw new Error(`${repository.name} lacks ${blob.digest}, and the layout to push does not hold it either`)
  await repository.uploadBlob(blob.digest, blob.size, file)
}

function byRegistry(names: string[]): Map<string, string[]> {
  const groups = new Map<string, string[]>()
  for (const name of new Set(names)) {
    const { registry } = parseImageReference(name)
    groups.set(registry, [...(groups.get(registry) ?? []), name])
  }
  return groups
}

/** Runs `work` over `items`, at most `limit` at a time; the first failure stops new starts. */
async function inTurns<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0
  let failed = false
  const worker = async (): Promise<void> => {
    while (!failed && next < items.length) {
      const item = items[next++] as T
      try {
        await work(item)
      } catch (error) {
        failed = true
        throw error
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
}
