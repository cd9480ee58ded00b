import { existsSync } from 'node:fs'
import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { blobPath } from '../build/oci-layout.js'
import type { BlobBeingWritten } from './growing-file.js'
import type { BlobEntry } from './layout-content.js'

/** How often the layout's ingest directory is read while the build writes it. */
const POLL_MS = 20
const BLOB_REF = /^(?:layer|config|intoto)-(sha256:[0-9a-f]{64})$/

/**
 * What an ingest of the layout holds, from its `ref` and `total` files: a blob (digest and size),
 * or undefined for a manifest, an index, or anything not named as BuildKit names them. buildx writes
 * the layout through a containerd content store: each blob first grows in `ingest/<hash>/data`,
 * `ref` says which (`layer-sha256:…`, `config-sha256:…`, `intoto-sha256:…` for an attestation's
 * statement; `manifest-…` and `index-…` for the rest), `total` its size.
 */
export function ingestedBlob(ref: string, total: string): BlobEntry | undefined {
  const digest = BLOB_REF.exec(ref.trim())?.[1]
  const size = Number(total.trim())
  if (digest === undefined || total.trim() === '' || !Number.isSafeInteger(size) || size < 0) return undefined
  return { digest, size }
}

export type IngestingBlob = BlobEntry & BlobBeingWritten

/**
 * Reads the layout's ingest directory every POLL_MS while the build writes the layout, and tells
 * `found` of every blob that starts growing there, once. Blobs written too fast to be seen are not
 * told: whoever uploads must still walk the finished layout.
 */
export function watchLayoutIngests(
  layoutDir: string,
  found: (blob: IngestingBlob) => void,
): { stop(): void } {
  const ingest = path.join(layoutDir, 'ingest')
  const settled = new Set<string>()
  let stopped = false
  const look = async (): Promise<void> => {
    for (const entry of await readdir(ingest).catch(() => [])) {
      if (settled.has(entry)) continue
      const dir = path.join(ingest, entry)
      const read = (file: string): Promise<string> => readFile(path.join(dir, file), 'utf8').catch(() => '')
      const [ref, total] = await Promise.all([read('ref'), read('total')])
      // Either may not be written yet: looked at again next time, unless it is no blob at all.
      if (ref === '' || (total === '' && BLOB_REF.test(ref.trim()))) continue
      settled.add(entry)
      const blob = ingestedBlob(ref, total)
      if (blob === undefined) continue
      found({
        ...blob,
        data: path.join(dir, 'data'),
        committed: path.join(layoutDir, blobPath(blob.digest)),
        writing: () => existsSync(dir),
      })
    }
  }
  const loop = async (): Promise<void> => {
    while (!stopped) {
      await look()
      await sleep(POLL_MS, undefined, { ref: false })
    }
  }
  void loop()
  return {
    stop: () => {
      stopped = true
    },
  }
}
