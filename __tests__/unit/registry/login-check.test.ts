// checkLogin, the check that replaced `docker login`, against the fake distribution server: Basic
// and Bearer, right and wrong, a transient failure retried, a registry that never answers. The
// fixture checks after every test that no warning or note holds the password, its base64 pair or
// a token; each test checks the error's message the same way.
import { createServer as createHttpServer, type IncomingMessage, type Server as HttpServer } from 'node:http'
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net'
import { checkLogin, DEFAULT_RETRY_POLICY, type LoginCheckOptions } from '../../../src/registry/index.js'
import { failureOf, PASSWORD, USER, useFakeRegistry } from './client-fixture.js'

const f = useFakeRegistry()
const NO_RETRY = { ...DEFAULT_RETRY_POLICY, maxAttempts: 1 }
const pair = Buffer.from(`${USER}:${PASSWORD}`).toString('base64')
const operation = (host: string): string => `Login to ${host} as ${USER} (from "registry-auth")`

function options(): LoginCheckOptions {
  return {
    certsDirs: [],
    env: {},
    sleep: (ms) => {
      f.sleeps.push(ms)
      return Promise.resolve()
    },
    warn: (message) => f.warnings.push(message),
    note: (message) => f.notes.push(message),
  }
}

function check(host: string, password = PASSWORD, timeoutMs = 10_000): Promise<void> {
  return checkLogin(host, { username: USER, password }, { operation: operation(host), timeoutMs }, options())
}

function expectNoSecretIn(message: string, password = PASSWORD): void {
  expect(message).not.toContain(password)
  expect(message).not.toContain(Buffer.from(`${USER}:${password}`).toString('base64'))
  expect(message).not.toContain('token-')
}

describe('Basic', () => {
  test('the right password: GET /v2/, its challenge answered with Basic, 200', async () => {
    await f.open({ kind: 'basic', user: USER, password: PASSWORD })
    await check(f.server.host)
    expect(f.server.seen.map((r) => [r.method, r.path, r.headers.authorization])).toEqual([
      ['GET', '/v2/', undefined],
      ['GET', '/v2/', `Basic ${pair}`],
    ])
  })

  test('a wrong password fails at once, in the login error shape, with the registry answer and no secret', async () => {
    await f.open({ kind: 'basic', user: USER, password: PASSWORD })
    const wrong = 'wrong-pa55-never-shown'
    const error = await failureOf(check(f.server.host, wrong))
    expect(error.message).toBe(
      `${operation(f.server.host)} failed: the registry refused the credentials for ${f.server.host} ` +
        '(401: UNAUTHORIZED authentication required)',
    )
    expect(error.status).toBe(401)
    expectNoSecretIn(error.message, wrong)
    // A refused credential is an answer, not an accident: never retried (that may lock the account).
    expect(f.server.requests('GET', /^\/v2\/$/)).toHaveLength(2)
    expect(f.sleeps).toEqual([])
  })
})

describe('Bearer', () => {
  test('the right password: a token for the service, no scope, fetched with Basic; then /v2/ with it', async () => {
    await f.open({ kind: 'bearer', user: USER, password: PASSWORD })
    await check(f.server.host)
    const [token] = f.server.requests('GET', /^\/token$/)
    expect(token?.headers.authorization).toBe(`Basic ${pair}`)
    expect([...(token?.query.entries() ?? [])]).toEqual([['service', 'fake-registry']])
    const pings = f.server.requests('GET', /^\/v2\/$/).map((r) => r.headers.authorization)
    expect(pings).toEqual([undefined, expect.stringMatching(/^Bearer token-\d+-$/)])
  })

  test('a wrong password: the token server refuses it, and so does the login, naming its answer', async () => {
    await f.open({ kind: 'bearer', user: USER, password: PASSWORD })
    const wrong = 'wrong-pa55-never-shown'
    const error = await failureOf(check(f.server.host, wrong))
    expect(error.message).toBe(
      `${operation(f.server.host)} failed: the registry refused the credentials for ${f.server.host} ` +
        '(401: UNAUTHORIZED bad credentials)',
    )
    expectNoSecretIn(error.message, wrong)
    expect(f.server.requests('GET', /^\/token$/)).toHaveLength(1)
  })
})

test('a 503 is retried, with a warning that names the login and no secret', async () => {
  await f.open({ kind: 'basic', user: USER, password: PASSWORD })
  f.server.failNext('GET', /^\/v2\/$/, { status: 503 })
  await check(f.server.host)
  expect(f.sleeps).toEqual([2000])
  expect(f.warnings).toEqual([
    `${operation(f.server.host)}: registry error (503); retrying in 2 s (attempt 2)`,
  ])
})

test('a 403 is the registry saying no: the login fails naming it', async () => {
  await f.open({ kind: 'basic', user: USER, password: PASSWORD })
  f.server.failNext('GET', /^\/v2\/$/, {
    status: 403,
    body: JSON.stringify({ errors: [{ code: 'DENIED', message: 'account disabled' }] }),
  })
  const error = await failureOf(check(f.server.host))
  expect(error.message).toContain(`${operation(f.server.host)} failed: denied (403: DENIED account disabled)`)
})

describe('a registry that never answers', () => {
  let silent: Server
  const sockets: Socket[] = []
  beforeAll(async () => {
    // Accepts the connection and sends nothing, neither TLS nor HTTP.
    silent = createServer((socket) => void sockets.push(socket))
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
  })
  afterAll(async () => {
    for (const socket of sockets) socket.destroy()
    await new Promise((resolve) => silent.close(resolve))
  })

  test('the check stops at its time limit, naming the login', async () => {
    await f.open({ kind: 'none' })
    const host = `127.0.0.1:${(silent.address() as AddressInfo).port}`
    const error = await failureOf(check(host, PASSWORD, 300))
    expect(error.message).toBe(`${operation(host)} failed: no answer within 300ms`)
  })
})

describe("Docker Hub's key", () => {
  let proxy: HttpServer
  const connects: string[] = []
  beforeAll(async () => {
    // A proxy that writes down where it was asked to connect, and refuses.
    proxy = createHttpServer()
    proxy.on('connect', (request: IncomingMessage, socket: Socket) => {
      connects.push(request.url ?? '')
      socket.end('HTTP/1.1 403 Forbidden\r\n\r\n')
    })
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve))
  })
  afterAll(async () => {
    proxy.closeAllConnections()
    await new Promise((resolve) => proxy.close(resolve))
  })

  test('docker.io is checked at registry-1.docker.io, the host the client pushes to', async () => {
    await f.open({ kind: 'none' })
    const port = (proxy.address() as AddressInfo).port
    await expect(
      checkLogin(
        'docker.io',
        { username: USER, password: PASSWORD },
        { operation: operation('docker.io'), timeoutMs: 10_000 },
        { ...options(), env: { HTTPS_PROXY: `http://127.0.0.1:${port}` }, retry: NO_RETRY },
      ),
    ).rejects.toThrow(`${operation('docker.io')} failed: `)
    expect(connects).toEqual(['registry-1.docker.io:443'])
  })
})
