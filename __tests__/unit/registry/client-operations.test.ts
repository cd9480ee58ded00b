// The registry client against a fake distribution server on loopback: upload sessions and chunks,
// mounts, blob and manifest reads, tag pagination. No Docker, no network beyond 127.0.0.1.
import { CHUNK_SIZE } from '../../../src/registry/upload.js'
import { failureOf, sha256, useFakeRegistry } from './client-fixture.js'

const f = useFakeRegistry()

describe('blobs', () => {
  test('up to the threshold: one PUT with the whole body and the digest', async () => {
    const name = await f.open({ kind: 'none' })
    const { digest, size, path, bytes } = await f.blob(4096)
    await f.registry.repository(name).uploadBlob(digest, size, path)
    const puts = f.server.requests('PUT', /uploads/)
    expect(puts.map((r) => [r.query.get('digest'), r.bodyLength, r.headers['content-length']])).toEqual([
      [digest, 4096, '4096'],
    ])
    expect(f.server.requests('PATCH')).toEqual([])
    expect(f.server.blobs.get(digest)?.equals(bytes)).toBe(true)
  })

  test('above the threshold: PATCH chunks with their ranges, each at the Location the last answer gave', async () => {
    const name = await f.open({ kind: 'none' })
    const { digest, size, path, bytes } = await f.blob(CHUNK_SIZE + 100)
    await f.registry.repository(name).uploadBlob(digest, size, path)
    const patches = f.server.requests('PATCH')
    expect(patches.map((r) => [r.headers['content-range'], r.bodyLength])).toEqual([
      [`0-${CHUNK_SIZE - 1}`, CHUNK_SIZE],
      [`${CHUNK_SIZE}-${CHUNK_SIZE + 99}`, 100],
    ])
    expect(patches[1]?.query.get('_state')).toBe(`p${CHUNK_SIZE}`)
    const puts = f.server.requests('PUT', /uploads/)
    expect(puts.map((r) => [r.query.get('digest'), r.bodyLength])).toEqual([[digest, 0]])
    expect(f.server.blobs.get(digest)?.equals(bytes)).toBe(true)
  })

  test('a file of another size than announced is refused before any request', async () => {
    const name = await f.open({ kind: 'none' })
    const { digest, path } = await f.blob(10)
    const error = await failureOf(f.registry.repository(name).uploadBlob(digest, 11, path))
    expect(error.message).toBe(
      `upload blob ${digest} to ${name} failed: the file ${path} has 10 bytes, not the 11 expected`,
    )
    expect(f.server.seen).toEqual([])
  })

  test('bytes that do not hash to the digest are the registry refusing them', async () => {
    const name = await f.open({ kind: 'none' })
    const { size, path } = await f.blob(10)
    const wrong = sha256(Buffer.from('other'))
    const error = await failureOf(f.registry.repository(name).uploadBlob(wrong, size, path))
    expect(error.message).toBe(
      `upload blob ${wrong} to ${name} failed: HTTP 400: DIGEST_INVALID digest did not match`,
    )
  })

  test('a mount the registry answers with an upload (202) cancels that upload', async () => {
    const name = await f.open({ kind: 'none' })
    const digest = sha256(Buffer.from('absent'))
    expect(await f.registry.repository(name).mountBlob(digest, `${f.server.host}/acme/base`)).toBe(false)
    const session = f.server.requests('POST')[0]
    expect(session?.query.get('mount')).toBe(digest)
    expect(f.server.requests('DELETE').map((r) => r.path)).toEqual([
      expect.stringMatching(/^\/v2\/acme\/app\/uploads\/\d+$/),
    ])
  })

  test('a mount from another registry is refused', async () => {
    const name = await f.open({ kind: 'none' })
    const error = await failureOf(
      f.registry.repository(name).mountBlob(sha256(Buffer.from('x')), 'ghcr.io/acme/base'),
    )
    expect(error.message).toContain('a blob can be mounted only from the same registry')
    expect(f.server.seen).toEqual([])
  })

  test('getBlob checks the bytes against the digest', async () => {
    const name = await f.open({ kind: 'none' })
    const config = Buffer.from('{"os":"linux"}')
    f.server.blobs.set(sha256(config), config)
    expect((await f.registry.repository(name).getBlob(sha256(config))).equals(config)).toBe(true)
    f.server.corruptBlobs = true
    const error = await failureOf(f.registry.repository(name).getBlob(sha256(config)))
    expect(error.message).toBe(
      `read blob ${sha256(config)} from ${name} failed: the registry served bytes that hash to ${sha256(Buffer.from('corrupt'))}`,
    )
  })
})

describe('manifests and tags', () => {
  const index = Buffer.from('{"schemaVersion":2,"manifests":[]}')
  const type = 'application/vnd.oci.image.index.v1+json'

  test('a manifest put by digest and by tag reads back as the same bytes and type, asked with every manifest type', async () => {
    const name = await f.open({ kind: 'none' })
    const repo = f.registry.repository(name)
    await repo.putManifest(sha256(index), type, index)
    await repo.putManifest('v1', type, index)
    expect(f.server.requests('PUT').map((r) => r.headers['content-type'])).toEqual([type, type])
    const read = await repo.getManifest('v1')
    expect(read).toEqual({ bytes: index, mediaType: type })
    expect(f.server.requests('GET')[0]?.headers.accept?.split(', ').sort()).toEqual([
      'application/vnd.docker.distribution.manifest.list.v2+json',
      'application/vnd.docker.distribution.manifest.v2+json',
      'application/vnd.oci.image.index.v1+json',
      'application/vnd.oci.image.manifest.v1+json',
    ])
  })

  test('a registry that stores a manifest under another digest fails the put', async () => {
    const name = await f.open({ kind: 'none' })
    f.server.manifestDigestHeader = sha256(Buffer.from('else'))
    const error = await failureOf(f.registry.repository(name).putManifest(sha256(index), type, index))
    expect(error.message).toBe(
      `push manifest ${name}@${sha256(index)} failed: the registry stored the manifest as ${sha256(Buffer.from('else'))}`,
    )
  })

  test('tags follow Link pagination; a repository never pushed to has none', async () => {
    const name = await f.open({ kind: 'none' })
    f.server.tags.set('acme/app', ['a', 'b', 'c', 'd', 'e'])
    f.server.tagPageSize = 2
    expect(await f.registry.repository(name).listTags()).toEqual(['a', 'b', 'c', 'd', 'e'])
    expect(f.server.requests('GET', /tags\/list/).map((r) => r.query.get('last'))).toEqual([null, 'b', 'd'])
    expect(await f.registry.repository(`${f.server.host}/acme/none`).listTags()).toEqual([])
  })
})
