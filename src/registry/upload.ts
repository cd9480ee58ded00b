import { createReadStream } from 'node:fs'
import type { Readable } from 'node:stream'
import type { RegistryConnection } from './connection.js'
import { expectStatus, header, uploadLocation } from './replies.js'

/**
 * Blobs up to this size go in one PUT; larger ones in PATCH chunks of this size. 16 MiB keeps each
 * request short enough that a proxy's body limit or a slow link does not fail a whole layer, is
 * above the 5 MiB minimum chunk some registries (ECR) require, and costs only ~64 requests a GiB.
 */
export const CHUNK_SIZE = 16 * 1024 * 1024

/** A byte range of a blob, `end` inclusive as Content-Range writes it. */
export interface ChunkRange {
  start: number
  end: number
}

/** The chunks of a blob of `size` bytes; none for a blob that goes in one PUT. */
export function chunkRanges(size: number, chunkSize: number = CHUNK_SIZE): ChunkRange[] {
  if (size <= chunkSize) return []
  const ranges: ChunkRange[] = []
  for (let start = 0; start < size; start += chunkSize) {
    ranges.push({ start, end: Math.min(start + chunkSize, size) - 1 })
  }
  return ranges
}

/** Bytes `start` to `end` (inclusive) of a blob, as a stream: a file's, or one still being written. */
export type RangeReader = (start: number, end: number) => Readable

/** A file's byte ranges. */
export function fileRanges(file: string): RangeReader {
  return (start, end) => createReadStream(file, { start, end })
}

export interface BlobUpload {
  digest: string
  size: number
  read: RangeReader
  scopes: readonly string[]
}

/** One attempt at an upload, in a session of its own: POST, then one PUT or PATCHes and a PUT. */
export async function uploadOnce(
  connection: RegistryConnection,
  repoPath: string,
  blob: BlobUpload,
): Promise<void> {
  const started = await connection.send({
    method: 'POST',
    target: `/v2/${repoPath}/blobs/uploads/`,
    headers: { 'content-length': '0' },
    scopes: blob.scopes,
    kind: 'control',
  })
  await expectStatus(started, 202)
  await started.body.dump()
  let location = uploadLocation(started)
  const ranges = chunkRanges(blob.size)
  for (const range of ranges) location = await sendChunk(connection, location, blob, range)
  const whole = ranges.length === 0
  const committed = await connection.send({
    method: 'PUT',
    target: location,
    query: { digest: blob.digest },
    headers: {
      'content-type': 'application/octet-stream',
      'content-length': String(whole ? blob.size : 0),
    },
    // An empty blob has no byte range to read.
    ...(whole ? { body: () => (blob.size === 0 ? Buffer.alloc(0) : blob.read(0, blob.size - 1)) } : {}),
    scopes: blob.scopes,
    kind: whole ? 'transfer' : 'commit',
  })
  await expectStatus(committed, 201, 204)
  await committed.body.dump()
  const stored = header(committed.headers, 'docker-content-digest')
  if (stored !== undefined && stored !== blob.digest) {
    throw new Error(`the registry stored the blob as ${stored}`)
  }
}

async function sendChunk(
  connection: RegistryConnection,
  location: string,
  blob: BlobUpload,
  range: ChunkRange,
): Promise<string> {
  const reply = await connection.send({
    method: 'PATCH',
    target: location,
    headers: {
      'content-type': 'application/octet-stream',
      'content-range': `${range.start}-${range.end}`,
      'content-length': String(range.end - range.start + 1),
    },
    body: () => blob.read(range.start, range.end),
    scopes: blob.scopes,
    kind: 'transfer',
  })
  await expectStatus(reply, 202)
  await reply.body.dump()
  const received = header(reply.headers, 'range')?.replace(/^bytes=/, '')
  if (received !== undefined && received !== `0-${range.end}`) {
    throw new Error(`the registry holds bytes ${received} after sending ${range.start}-${range.end}`)
  }
  return uploadLocation(reply)
}
