// The registry client's pure parts, on data: challenges, scopes, tokens, retry
// decisions, Link pagination, chunking, proxies, the HTTP fallback rule.
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { rootCertificates } from 'node:tls'
import {
  parseChallenge,
  parseTokenResponse,
  pullScope,
  pushScope,
  scopeKey,
  tokenUrl,
} from '../../../src/registry/challenge.js'
import { mayUsePlainHttp } from '../../../src/registry/connection.js'
import { proxySettings, registryCaFiles, secureContextTrusting } from '../../../src/registry/dispatcher.js'
import { parseDistributionError, statusReason } from '../../../src/registry/errors.js'
import { nextPageUrl } from '../../../src/registry/links.js'
import { failureOf } from '../../../src/registry/operate.js'
import { UnexpectedStatus } from '../../../src/registry/errors.js'
import {
  DEFAULT_RETRY_POLICY,
  parseRetryAfter,
  requestTimeouts,
  retryDecision,
} from '../../../src/registry/retry.js'
import { chunkRanges } from '../../../src/registry/upload.js'

describe('challenges, scopes and tokens', () => {
  test('a Bearer challenge with a quoted scope list', () => {
    expect(
      parseChallenge(
        'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/alpine:pull,push"',
      ),
    ).toEqual({
      scheme: 'bearer',
      params: {
        realm: 'https://auth.docker.io/token',
        service: 'registry.docker.io',
        scope: 'repository:library/alpine:pull,push',
      },
    })
  })

  test('a Basic challenge, and none', () => {
    expect(parseChallenge('Basic realm="Registry Realm"')).toEqual({
      scheme: 'basic',
      params: { realm: 'Registry Realm' },
    })
    expect(parseChallenge(undefined)).toBeUndefined()
  })

  test('scopes, their cache key, and the token URL with several scopes', () => {
    expect(pushScope('acme/app')).toBe('repository:acme/app:pull,push')
    expect(pullScope('acme/base')).toBe('repository:acme/base:pull')
    expect(scopeKey(['b', 'a', 'b'])).toBe(scopeKey(['a', 'b']))
    const url = tokenUrl(
      { scheme: 'bearer', params: { realm: 'https://auth.example/token?x=1', service: 'reg' } },
      [pushScope('acme/app'), pullScope('acme/base')],
    )
    expect(url.origin + url.pathname).toBe('https://auth.example/token')
    expect(url.searchParams.get('x')).toBe('1')
    expect(url.searchParams.get('service')).toBe('reg')
    expect(url.searchParams.getAll('scope')).toEqual([
      'repository:acme/app:pull,push',
      'repository:acme/base:pull',
    ])
  })

  test('a challenge without realm is an error', () => {
    expect(() => tokenUrl({ scheme: 'bearer', params: {} }, [])).toThrow('without a realm')
  })

  test('token or access_token; 60 s when expires_in is absent', () => {
    expect(parseTokenResponse('{"token":"t","expires_in":300}')).toEqual({ token: 't', expiresInMs: 300_000 })
    expect(parseTokenResponse('{"access_token":"a"}')).toEqual({ token: 'a', expiresInMs: 60_000 })
    expect(() => parseTokenResponse('{}')).toThrow('the token endpoint answered without a token')
    expect(() => parseTokenResponse('<html>')).toThrow('other than JSON')
  })
})

describe('retry decisions', () => {
  const policy = DEFAULT_RETRY_POLICY

  test.each([
    [{ kind: 'status', status: 503 } as const, 1, { action: 'retry', delayMs: 2000 }],
    [{ kind: 'status', status: 500 } as const, 3, { action: 'retry', delayMs: 8000 }],
    [{ kind: 'status', status: 502 } as const, 4, { action: 'fail', gaveUp: true }],
    [{ kind: 'status', status: 408 } as const, 1, { action: 'retry', delayMs: 2000 }],
    [{ kind: 'status', status: 429 } as const, 1, { action: 'retry', delayMs: 15_000 }],
    [{ kind: 'status', status: 429 } as const, 2, { action: 'retry', delayMs: 30_000 }],
    [{ kind: 'status', status: 429, retryAfterMs: 5000 } as const, 1, { action: 'retry', delayMs: 5000 }],
    [
      { kind: 'status', status: 429, retryAfterMs: 3_600_000 } as const,
      1,
      { action: 'retry', delayMs: 30_000 },
    ],
    [{ kind: 'status', status: 401 } as const, 1, { action: 'fail', gaveUp: false }],
    [{ kind: 'status', status: 403 } as const, 1, { action: 'fail', gaveUp: false }],
    [{ kind: 'status', status: 404 } as const, 1, { action: 'fail', gaveUp: false }],
    [{ kind: 'network', code: 'ECONNRESET' } as const, 1, { action: 'retry', delayMs: 2000 }],
    [{ kind: 'network', code: 'UND_ERR_SOCKET' } as const, 2, { action: 'retry', delayMs: 4000 }],
    [{ kind: 'network', code: 'UND_ERR_HEADERS_TIMEOUT' } as const, 1, { action: 'retry', delayMs: 2000 }],
    [{ kind: 'network', code: 'ECONNREFUSED' } as const, 1, { action: 'retry', delayMs: 2000 }],
    [
      { kind: 'network', code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' } as const,
      1,
      { action: 'fail', gaveUp: false },
    ],
    [{ kind: 'network', code: 'ENOTFOUND' } as const, 1, { action: 'fail', gaveUp: false }],
  ])('%j after attempt %i', (failure, attempt, expected) => {
    expect(retryDecision(failure, attempt, policy)).toEqual(expected)
  })

  test('Retry-After in seconds or as a date', () => {
    const now = Date.parse('2025-01-01T00:00:00Z')
    expect(parseRetryAfter('12', now)).toBe(12_000)
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:30 GMT', now)).toBe(30_000)
    expect(parseRetryAfter('soon', now)).toBeUndefined()
    expect(parseRetryAfter(undefined, now)).toBeUndefined()
  })

  test('what is thrown, as a failure: a status, a network code (also as a cause), or nothing retryable', () => {
    expect(failureOf(new UnexpectedStatus(503, undefined, 1000))).toEqual({
      kind: 'status',
      status: 503,
      retryAfterMs: 1000,
    })
    expect(failureOf(Object.assign(new Error('x'), { code: 'ECONNRESET' }))).toEqual({
      kind: 'network',
      code: 'ECONNRESET',
    })
    expect(
      failureOf(new Error('fetch failed', { cause: Object.assign(new Error('y'), { code: 'EPIPE' }) })),
    ).toEqual({
      kind: 'network',
      code: 'EPIPE',
    })
    expect(failureOf(new Error('plain'))).toBeUndefined()
  })

  test('a commit may wait longer for its answer than a control request', () => {
    expect(requestTimeouts('commit').headersMs).toBeGreaterThan(requestTimeouts('control').headersMs)
    expect(requestTimeouts('transfer').bodyIdleMs).toBeGreaterThanOrEqual(
      requestTimeouts('control').bodyIdleMs,
    )
  })
})

describe('registry errors', () => {
  test('the distribution error body, or none', () => {
    expect(parseDistributionError('{"errors":[{"code":"DENIED","message":"no"},{"code":"X"}]}')).toEqual({
      code: 'DENIED',
      message: 'no',
    })
    expect(parseDistributionError('<html>')).toBeUndefined()
  })

  test.each([
    [401, 'push', 'the registry refused the credentials for r/a (401)'],
    [403, 'push', 'denied (403): check the credentials may push to r/a'],
    [403, 'pull', 'denied (403): check the credentials may pull from r/a'],
    [429, 'pull', 'rate limited (429)'],
    [502, 'pull', 'registry error (502)'],
    [400, 'push', 'HTTP 400'],
  ] as const)('%i on a %s', (status, access, reason) => {
    expect(statusReason(status, 'r/a', access, undefined)).toBe(reason)
  })
})

test('Link: the next page, resolved against the URL asked', () => {
  const asked = new URL('https://r.example/v2/a/tags/list')
  expect(nextPageUrl('</v2/a/tags/list?last=b&n=2>; rel="next"', asked)?.href).toBe(
    'https://r.example/v2/a/tags/list?last=b&n=2',
  )
  expect(
    nextPageUrl('<https://other/x?a=1,2>; rel="prev", <https://r.example/n>; rel=next', asked)?.href,
  ).toBe('https://r.example/n')
  expect(nextPageUrl(undefined, asked)).toBeUndefined()
  expect(nextPageUrl('</p>; rel="prev"', asked)).toBeUndefined()
})

test('chunks: none up to the chunk size, inclusive ranges above', () => {
  expect(chunkRanges(10, 10)).toEqual([])
  expect(chunkRanges(0, 10)).toEqual([])
  expect(chunkRanges(25, 10)).toEqual([
    { start: 0, end: 9 },
    { start: 10, end: 19 },
    { start: 20, end: 24 },
  ])
  expect(chunkRanges(20, 10)).toEqual([
    { start: 0, end: 9 },
    { start: 10, end: 19 },
  ])
})

test('proxies from the environment, either case, lower case first', () => {
  expect(proxySettings({ HTTPS_PROXY: 'http://p:3128', no_proxy: 'localhost', NO_PROXY: 'x' })).toEqual({
    httpProxy: '',
    httpsProxy: 'http://p:3128',
    noProxy: 'localhost',
  })
  expect(proxySettings({})).toEqual({ httpProxy: '', httpsProxy: '', noProxy: '' })
})

test('the plain-HTTP fallback: loopback hosts only, and only for a plain-HTTP answer to TLS', () => {
  const plain = Object.assign(new Error('wrong version number'), { code: 'ERR_SSL_WRONG_VERSION_NUMBER' })
  expect(mayUsePlainHttp('localhost:5000', plain)).toBe(true)
  expect(mayUsePlainHttp('127.0.0.1:5000', plain)).toBe(true)
  expect(mayUsePlainHttp('registry.example:5000', plain)).toBe(false)
  expect(mayUsePlainHttp('localhost:5000', Object.assign(new Error('x'), { code: 'ECONNREFUSED' }))).toBe(
    false,
  )
  expect(
    mayUsePlainHttp('localhost:5000', Object.assign(new Error('x'), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' })),
  ).toBe(false)
})

test("CA files: every *.crt of the registry's certs.d directory, in each dir, missing dirs skipped", async () => {
  const dir = await mkdtemp(join(tmpdir(), 'certs-'))
  try {
    await mkdir(join(dir, 'a', 'localhost:5443'), { recursive: true })
    await writeFile(join(dir, 'a', 'localhost:5443', 'ca.crt'), 'CA-ONE')
    await writeFile(join(dir, 'a', 'localhost:5443', 'client.key'), 'KEY')
    await mkdir(join(dir, 'b', 'localhost:5443'), { recursive: true })
    await writeFile(join(dir, 'b', 'localhost:5443', 'extra.crt'), 'CA-TWO')
    const dirs = [join(dir, 'a'), join(dir, 'missing'), join(dir, 'b')]
    expect(await registryCaFiles(dirs, 'localhost:5443')).toEqual(['CA-ONE', 'CA-TWO'])
    expect(await registryCaFiles(dirs, 'localhost:5000')).toEqual([])
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
})

test('the secure context for a set of CAs is made once, and every dispatcher trusting them shares it', () => {
  // Any valid PEMs will do as "a registry's CA": two of the system roots.
  const [one = '', two = ''] = rootCertificates
  const context = secureContextTrusting([one])
  expect(secureContextTrusting([one])).toBe(context)
  expect(secureContextTrusting([two])).not.toBe(context)
  expect(secureContextTrusting([one, two])).not.toBe(context)
})
