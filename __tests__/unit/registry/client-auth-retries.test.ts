// The registry client against a fake distribution server on loopback: authentication and retries.
// No Docker, no network beyond 127.0.0.1.
import { failureOf, nothingStored, PASSWORD, sha256, USER, useFakeRegistry } from './client-fixture.js'

const f = useFakeRegistry()

describe('authentication', () => {
  test('Basic: asked once, then sent with every request; the loopback HTTP switch is noted once', async () => {
    const name = await f.open({ kind: 'basic', user: USER, password: PASSWORD })
    const repo = f.registry.repository(name)
    const { digest, size, path } = await f.blob(100)
    expect(await repo.hasBlob(digest)).toBe(false)
    await repo.uploadBlob(digest, size, path)
    expect(await repo.hasBlob(digest)).toBe(true)
    const unauthenticated = f.server.seen.filter((r) => r.headers.authorization === undefined)
    expect(unauthenticated).toHaveLength(1)
    expect(f.server.seen.slice(1).every((r) => r.headers.authorization?.startsWith('Basic '))).toBe(true)
    expect(f.notes).toEqual([`${f.server.host} speaks plain HTTP (loopback): using HTTP for it`])
  })

  test('Bearer: a token per scope set, fetched with the stored credential, then reused', async () => {
    const name = await f.open({ kind: 'bearer', user: USER, password: PASSWORD })
    const repo = f.registry.repository(name)
    const one = await f.blob(10)
    const two = await f.blob(20)
    await repo.uploadBlob(one.digest, one.size, one.path)
    await repo.uploadBlob(two.digest, two.size, two.path)
    expect(await repo.hasBlob(one.digest)).toBe(true)
    const tokens = f.server.requests('GET', /^\/token$/)
    expect(tokens.map((r) => r.query.getAll('scope'))).toEqual([
      ['repository:acme/app:pull,push'],
      ['repository:acme/app:pull'],
    ])
    expect(tokens.every((r) => r.query.get('service') === 'fake-registry')).toBe(true)
    expect(tokens[0]?.headers.authorization).toBe(
      `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`,
    )
    // Only the very first request paid the 401 round trip; the second scope set was fetched up front.
    expect(f.server.seen.filter((r) => r.path !== '/token' && !r.headers.authorization)).toHaveLength(1)
  })

  test('Bearer for a mount asks for pull on the source too', async () => {
    const name = await f.open({ kind: 'bearer', user: USER, password: PASSWORD })
    const source = await f.blob(10)
    f.server.blobs.set(source.digest, source.bytes)
    expect(await f.registry.repository(name).mountBlob(source.digest, `${f.server.host}/acme/base`)).toBe(
      true,
    )
    expect(f.server.requests('GET', /^\/token$/).map((r) => r.query.getAll('scope').sort())).toEqual([
      ['repository:acme/app:pull,push', 'repository:acme/base:pull'],
    ])
    expect(f.server.requests('POST')[0]?.query.get('from')).toBe('acme/base')
  })

  test('Bearer without a stored credential asks for an anonymous token', async () => {
    const name = await f.open({ kind: 'bearer' }, {}, nothingStored)
    const repo = f.registry.repository(name)
    expect(await repo.listTags()).toEqual([])
    expect(f.server.requests('GET', /^\/token$/).map((r) => r.headers.authorization)).toEqual([undefined])
  })

  test('a revoked token is replaced once', async () => {
    const name = await f.open({ kind: 'bearer', user: USER, password: PASSWORD })
    const repo = f.registry.repository(name)
    await repo.listTags()
    f.server.revokeTokens()
    await repo.listTags()
    expect(f.server.requests('GET', /^\/token$/)).toHaveLength(2)
    expect(f.warnings).toEqual([])
  })

  test('a refused password is a permanent error that names the repository, never the password', async () => {
    const name = await f.open({ kind: 'basic', user: USER, password: 'another' })
    const error = await failureOf(f.registry.repository(name).hasBlob(sha256(Buffer.from('x'))))
    expect(error.message).toBe(
      `check blob ${sha256(Buffer.from('x'))} in ${name} failed: the registry refused the credentials for ${name} (401)`,
    )
    expect(error.status).toBe(401)
    expect(`${error.message}${error.stack}`).not.toContain(PASSWORD)
    expect(f.server.seen).toHaveLength(2)
    expect(f.sleeps).toEqual([])
  })

  test('a token endpoint refusing the credential is the same 401', async () => {
    const name = await f.open({ kind: 'bearer', user: USER, password: 'another' })
    const error = await failureOf(f.registry.repository(name).listTags())
    expect(error.message).toContain(`the registry refused the credentials for ${name} (401`)
    expect(error.message).not.toContain(PASSWORD)
  })

  test('no credential for a registry that wants Basic says so', async () => {
    const name = await f.open({ kind: 'basic', user: USER, password: PASSWORD }, {}, nothingStored)
    const error = await failureOf(f.registry.repository(name).listTags())
    expect(error.message).toContain(`asks for credentials for ${name} (401) and the auth file has none`)
  })

  test('403 is denied, with what to check', async () => {
    const name = await f.open({ kind: 'none' })
    f.server.failNext('POST', /uploads/, {
      status: 403,
      body: JSON.stringify({
        errors: [{ code: 'DENIED', message: 'requested access to the resource is denied' }],
      }),
    })
    const { digest, size, path } = await f.blob(10)
    const error = await failureOf(f.registry.repository(name).uploadBlob(digest, size, path))
    expect(error.message).toBe(
      `upload blob ${digest} to ${name} failed: denied (403: DENIED requested access to the resource is denied): check the credentials may push to ${name}`,
    )
    expect(error.code).toBe('DENIED')
  })
})

describe('retries', () => {
  test('503 twice, then success: doubling delays, each announced', async () => {
    const name = await f.open({ kind: 'none' })
    f.server.failNext('GET', /tags\/list/, { status: 503 }, 2)
    expect(await f.registry.repository(name).listTags()).toEqual([])
    expect(f.sleeps).toEqual([2000, 4000])
    expect(f.warnings).toEqual([
      `list the tags of ${name}: registry error (503); retrying in 2 s (attempt 2)`,
      `list the tags of ${name}: registry error (503); retrying in 4 s (attempt 3)`,
    ])
  })

  test('429 waits what Retry-After asks', async () => {
    const name = await f.open({ kind: 'none' })
    f.server.failNext('GET', /tags\/list/, { status: 429, headers: { 'retry-after': '7' } })
    await f.registry.repository(name).listTags()
    expect(f.sleeps).toEqual([7000])
    expect(f.warnings).toEqual([`list the tags of ${name}: rate limited (429); retrying in 7 s (attempt 2)`])
  })

  test('a 5xx that lasts gives up after the policy attempts, with the registry error', async () => {
    const name = await f.open({ kind: 'none' })
    f.server.failNext(
      'GET',
      /manifests/,
      { status: 500, body: '{"errors":[{"code":"UNKNOWN","message":"boom"}]}' },
      4,
    )
    const error = await failureOf(f.registry.repository(name).getManifest('v1'))
    expect(error.message).toBe(
      `read manifest ${name}:v1 failed: registry error (500: UNKNOWN boom); gave up after 4 attempts`,
    )
    expect(f.sleeps).toEqual([2000, 4000, 8000])
  })

  test('other 4xx are not retried', async () => {
    const name = await f.open({ kind: 'none' })
    const error = await failureOf(f.registry.repository(name).getManifest('v1'))
    expect(error.message).toBe(`read manifest ${name}:v1 failed: HTTP 404: MANIFEST_UNKNOWN manifest unknown`)
    expect(error.status).toBe(404)
    expect(f.sleeps).toEqual([])
  })

  test('a dropped connection during an upload restarts it in a new session', async () => {
    const name = await f.open({ kind: 'none' })
    const { digest, size, path, bytes } = await f.blob(1000)
    f.server.failNext('PUT', /uploads/, 'drop')
    await f.registry.repository(name).uploadBlob(digest, size, path)
    expect(f.server.blobs.get(digest)?.equals(bytes)).toBe(true)
    const puts = f.server.requests('PUT', /uploads/).map((r) => r.path)
    expect(puts).toHaveLength(2)
    expect(new Set(puts).size).toBe(2)
    expect(f.server.requests('POST', /uploads/)).toHaveLength(2)
    expect(f.warnings).toHaveLength(1)
    expect(f.warnings[0]).toMatch(
      new RegExp(
        `^upload blob ${digest} to ${name}: connection failed \\(\\w+\\); retrying in 2 s \\(attempt 2\\)$`,
      ),
    )
  })

  test('an abort stops the operation without another attempt', async () => {
    const controller = new AbortController()
    const name = await f.open(
      { kind: 'none' },
      {
        signal: controller.signal,
        sleep: () => {
          controller.abort()
          return Promise.resolve()
        },
      },
    )
    f.server.failNext('GET', /tags\/list/, { status: 503 }, 2)
    const error = await failureOf(f.registry.repository(name).listTags())
    expect(error.message).toBe(`list the tags of ${name} failed: aborted`)
    expect(f.server.requests('GET', /tags\/list/)).toHaveLength(1)
  })
})
