import { open, type FileHandle } from 'node:fs/promises'
import { Readable } from 'node:stream'
import { setTimeout as sleep } from 'node:timers/promises'
import type { RangeReader } from '../registry/index.js'

/** How long a read waiting for bytes not yet written pauses before it looks again. */
const POLL_MS = 15
/** The most a read takes from the file at once. */
const PIECE = 1024 * 1024

/** Where a blob the build is still writing lives: its ingest file, and its name once committed. */
export interface BlobBeingWritten {
  /** `<layout>/ingest/<ref hash>/data`: grows as the build writes it, then is renamed to `committed`. */
  data: string
  committed: string
  /** Whether the writer is still at it (its ingest directory is there). */
  writing: () => boolean
}

/**
 * The byte ranges of a blob the build is still writing into the layout: each read streams the bytes
 * as they are written, waiting for those not written yet. A committed blob is read where it was
 * moved to; a writer that gives up before the range is written fails the read.
 */
export function growingBlobRanges(blob: BlobBeingWritten, signal: AbortSignal): RangeReader {
  return (start, end) => Readable.from(readGrowing(blob, start, end, signal))
}

async function* readGrowing(
  blob: BlobBeingWritten,
  start: number,
  end: number,
  signal: AbortSignal,
): AsyncGenerator<Buffer> {
  const handle = await openEither(blob.data, blob.committed)
  try {
    let position = start
    while (position <= end) {
      signal.throwIfAborted()
      const { size } = await handle.stat()
      if (size > position) {
        const length = Math.min(size, end + 1, position + PIECE) - position
        const { bytesRead, buffer } = await handle.read(Buffer.alloc(length), 0, length, position)
        position += bytesRead
        yield buffer.subarray(0, bytesRead)
      } else if (blob.writing()) {
        await sleep(POLL_MS, undefined, { signal })
      } else if ((await handle.stat()).size <= position) {
        // (Not when it was committed since the size was read: the rename keeps the open file, now whole.)
        throw new Error(`the build stopped writing ${blob.data} at byte ${position}, before byte ${end + 1}`)
      }
    }
  } finally {
    await handle.close()
  }
}

/** The ingest file, or (committed before it could be opened) the blob it became. */
async function openEither(data: string, committed: string): Promise<FileHandle> {
  try {
    return await open(data, 'r')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
    return open(committed, 'r')
  }
}
