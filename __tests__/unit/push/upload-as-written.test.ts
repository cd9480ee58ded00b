import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  renameSync,
  rmSync,
  writeFileSync,
  appendFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { text } from 'node:stream/consumers'
import { setTimeout as sleep } from 'node:timers/promises'
import { blobPath, digestOf } from '../../../src/build/oci-layout.js'
import { growingBlobRanges } from '../../../src/push/growing-file.js'
import { ingestedBlob, watchLayoutIngests, type IngestingBlob } from '../../../src/push/layout-ingest.js'
import { blobUploader, uploadAsWritten } from '../../../src/push/upload.js'
import type { RangeReader, Registry, Repository } from '../../../src/registry/index.js'

// The upload that starts while the build writes the layout: buildx writes it through a containerd
// content store, each blob growing in ingest/<hash>/{ref,total,data} until it is renamed into
// blobs/sha256/. These tests write a layout that way themselves (e2e: upload-order.test.ts).

const LAYER = `sha256:${'a'.repeat(64)}`

async function until(condition: () => boolean): Promise<void> {
  for (let waited = 0; !condition(); waited += 10) {
    if (waited > 5000) throw new Error('waited 5 s in vain')
    await sleep(10)
  }
}

/** A layout directory the test writes blobs into as the build would. */
function layout() {
  const dir = mkdtempSync(path.join(tmpdir(), 'upload-as-written-'))
  mkdirSync(path.join(dir, 'blobs', 'sha256'), { recursive: true })
  return {
    dir,
    /** Opens an ingest as the content store does: `ref` and `total` first, then `data` grows. */
    startIngest(name: string, ref: string, total?: number) {
      const ingest = path.join(dir, 'ingest', name)
      mkdirSync(ingest, { recursive: true })
      writeFileSync(path.join(ingest, 'ref'), ref)
      if (total !== undefined) writeFileSync(path.join(ingest, 'total'), String(total))
      writeFileSync(path.join(ingest, 'data'), '')
      return {
        dir: ingest,
        data: path.join(ingest, 'data'),
        write: (bytes: string) => appendFileSync(path.join(ingest, 'data'), bytes),
        total: (size: number) => writeFileSync(path.join(ingest, 'total'), String(size)),
        commit: (digest: string) => {
          renameSync(path.join(ingest, 'data'), path.join(dir, blobPath(digest)))
          rmSync(ingest, { recursive: true })
        },
        abandon: () => rmSync(ingest, { recursive: true }),
      }
    },
  }
}

describe('ingestedBlob: what an ingest holds, from its ref and total', () => {
  test.each([
    [`layer-${LAYER}`, '67129521', { digest: LAYER, size: 67129521 }],
    [`config-${LAYER}`, '1237\n', { digest: LAYER, size: 1237 }],
    [`intoto-${LAYER}`, '876', { digest: LAYER, size: 876 }],
    [`manifest-${LAYER}`, '1051', undefined],
    [`index-${LAYER}`, '1609', undefined],
    [`layer-sha256:abc`, '10', undefined],
    [`layer-${LAYER}`, '', undefined],
    [`layer-${LAYER}`, 'ten', undefined],
  ])('%s (total %j)', (ref, total, expected) => {
    expect(ingestedBlob(ref, total)).toEqual(expected)
  })
})

/** The growing reader of the test's LAYER ingest, as uploadAsWritten makes it. */
function layerRanges(
  dir: string,
  ingest: { data: string; dir: string },
  signal: AbortSignal = new AbortController().signal,
  writing: () => boolean = () => existsSync(ingest.dir),
) {
  return growingBlobRanges({ data: ingest.data, committed: path.join(dir, blobPath(LAYER)), writing }, signal)
}

describe('growingBlobRanges: reading a blob the build is still writing', () => {
  test('a read waits for the bytes not yet written, and ends with the range', async () => {
    const { dir, startIngest } = layout()
    const ingest = startIngest('one', `layer-${LAYER}`, 10)
    ingest.write('01234')
    const read = layerRanges(dir, ingest)
    const whole = text(read(0, 9))
    const middle = text(read(3, 7))
    await sleep(50)
    ingest.write('56789')
    ingest.commit(LAYER)
    expect(await whole).toBe('0123456789')
    expect(await middle).toBe('34567')
  })

  test('a writer that gives up before the range is written fails the read, naming where it stopped', async () => {
    const { dir, startIngest } = layout()
    const ingest = startIngest('one', `layer-${LAYER}`, 10)
    ingest.write('0123')
    const read = layerRanges(dir, ingest)
    const whole = text(read(0, 9))
    await sleep(30)
    ingest.abandon()
    await expect(whole).rejects.toThrow(`stopped writing ${ingest.data} at byte 4, before byte 10`)
  })

  test('a blob committed before the read began is read where it went', async () => {
    const { dir, startIngest } = layout()
    const ingest = startIngest('one', `layer-${LAYER}`, 4)
    ingest.write('done')
    ingest.commit(LAYER)
    const read = layerRanges(dir, ingest, undefined, () => false)
    expect(await text(read(0, 3))).toBe('done')
  })

  test('the abort signal ends a waiting read', async () => {
    const { dir, startIngest } = layout()
    const ingest = startIngest('one', `layer-${LAYER}`, 10)
    const stop = new AbortController()
    const read = layerRanges(dir, ingest, stop.signal, () => true)
    const whole = text(read(0, 9))
    stop.abort()
    await expect(whole).rejects.toThrow(/abort/i)
  })
})

test('watchLayoutIngests tells of each blob once, as soon as its ref and total are written; not of manifests', async () => {
  const { dir, startIngest } = layout()
  const found: IngestingBlob[] = []
  const watch = watchLayoutIngests(dir, (blob) => found.push(blob))
  try {
    startIngest('manifest', `manifest-${'sha256:' + 'b'.repeat(64)}`, 1051)
    const late = startIngest('late', `config-${'sha256:' + 'c'.repeat(64)}`)
    startIngest('layer', `layer-${LAYER}`, 10)
    await until(() => found.length === 1)
    expect(found[0]).toMatchObject({ digest: LAYER, size: 10, committed: path.join(dir, blobPath(LAYER)) })
    expect(found[0]?.writing()).toBe(true)
    late.total(167)
    await until(() => found.length === 2)
    expect(found[1]).toMatchObject({ digest: `sha256:${'c'.repeat(64)}`, size: 167 })
    await sleep(100)
    expect(found).toHaveLength(2)
  } finally {
    watch.stop()
  }
})

/** A registry of our interface that reads every upload to its end and checks its digest, as a real one does. */
function checkingRegistry(refuse: (digest: string) => boolean = () => false) {
  const calls: string[] = []
  const stored = new Map<string, string>()
  const repository = (name: string): Repository => ({
    name,
    hasBlob: async (digest) => stored.has(`${name}@${digest}`),
    mountBlob: async () => false,
    uploadBlob: async (digest, size, from: string | RangeReader) => {
      calls.push(`upload ${name} ${digest} from ${typeof from === 'string' ? 'the layout' : 'the ingest'}`)
      if (refuse(digest)) throw new Error(`refused ${digest}`)
      if (typeof from === 'string') throw new Error('these tests upload only as the build writes')
      const bytes = await text(from(0, size - 1))
      if (digestOf(Buffer.from(bytes)) !== digest) throw new Error(`digest mismatch for ${digest}`)
      stored.set(`${name}@${digest}`, bytes)
    },
    putManifest: () => Promise.reject(new Error('not here')),
    getManifest: () => Promise.reject(new Error('not here')),
    getBlob: () => Promise.reject(new Error('not here')),
    listTags: () => Promise.resolve([]),
  })
  const registry: Registry = { repository }
  return { registry, calls, stored }
}

test('a layer is uploaded while the build writes it; after the build, it is not uploaded again', async () => {
  const { dir, startIngest } = layout()
  const { registry, calls, stored } = checkingRegistry()
  const uploader = blobUploader(registry, dir, ['ghcr.io/acme/app'])
  const stop = uploadAsWritten(uploader, dir, new AbortController().signal)
  const bytes = 'layer bytes, written in two parts'
  const digest = digestOf(Buffer.from(bytes))
  const ingest = startIngest('layer', `layer-${digest}`, bytes.length)
  ingest.write(bytes.slice(0, 10))
  await until(() => calls.length === 1)
  ingest.write(bytes.slice(10))
  ingest.commit(digest)
  stop()
  await uploader.all([{ digest, size: bytes.length }])
  expect(calls).toEqual([`upload ghcr.io/acme/app ${digest} from the ingest`])
  expect(stored.get(`ghcr.io/acme/app@${digest}`)).toBe(bytes)
})

test('an upload that failed while the build wrote the blob is done again from the finished layout', async () => {
  const { dir } = layout()
  const bytes = 'config'
  const digest = digestOf(Buffer.from(bytes))
  writeFileSync(path.join(dir, blobPath(digest)), bytes)
  const uploads: string[] = []
  const repository = (name: string): Repository => ({
    ...checkingRegistry().registry.repository(name),
    hasBlob: async () => false,
    uploadBlob: async (_digest, _size, from) => {
      uploads.push(typeof from === 'string' ? from : 'ingest')
      if (typeof from !== 'string') throw new Error('the ingest was abandoned')
    },
  })
  const uploader = blobUploader({ repository }, dir, ['ghcr.io/acme/app'])
  uploader.early({ digest, size: bytes.length }, () => {
    throw new Error('not read')
  })
  await uploader.all([{ digest, size: bytes.length }])
  expect(uploads).toEqual(['ingest', path.join(dir, blobPath(digest))])
})

test('after a blob of the finished layout failed, the blobs still waiting for their turn do not start', async () => {
  const { dir } = layout()
  const blobs = ['one', 'two', 'three', 'four', 'five', 'six'].map((name) => {
    const digest = digestOf(Buffer.from(name))
    writeFileSync(path.join(dir, blobPath(digest)), name)
    return { digest, size: name.length }
  })
  const started: string[] = []
  const repository = (name: string): Repository => ({
    ...checkingRegistry().registry.repository(name),
    hasBlob: async () => false,
    uploadBlob: async (digest) => {
      started.push(digest)
      await sleep(20)
      if (digest === blobs[0]?.digest) throw new Error('refused')
    },
  })
  const uploader = blobUploader({ repository }, dir, ['ghcr.io/acme/app'])
  await expect(uploader.all(blobs)).rejects.toThrow('refused')
  await sleep(100)
  // Four at a time: the first four started together; when the first failed, the fifth and sixth did not.
  expect(started).toEqual(blobs.slice(0, 4).map((blob) => blob.digest))
})
