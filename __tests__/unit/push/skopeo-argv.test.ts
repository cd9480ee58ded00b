import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { DEFAULT_RETRY_POLICY, retryDecision } from '../../../src/push/retry.js'
import {
  isUnknownRepository,
  parseTagList,
  skopeoCopyArgv,
  skopeoInspectConfigArgv,
  skopeoInspectRawArgv,
  skopeoListTagsArgv,
} from '../../../src/push/skopeo-argv.js'
import { pushPlan } from '../../../src/push/steps.js'
import { tagged } from '../../tagged-image.js'
import { checkPushedDigest } from '../../../src/push/verify.js'

// skopeo 1.9.3's stderr, recorded against the sandbox registries and a loopback stand-in that
// answered 5xx, reset the connection or never answered: see fixtures/README.md.
const stderrDir = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'skopeo-stderr')
const recorded = (name: string): string => readFileSync(join(stderrDir, `${name}.txt`), 'utf8')

const DIGEST = 'sha256:d3bf5d3e11d73506e8f235b5d2b2352491e8c3e92d17737836f5b6939c827d83'

describe('push plan', () => {
  test('the digest into every repository first, then the tags', () => {
    expect(
      pushPlan(
        [
          'ghcr.io/acme/app:1.4.9',
          'ghcr.io/acme/app:1.4',
          'acme/app:1.4.9',
          'acme/app:1.4',
          'ghcr.io/acme/app:1.4.9', // listed twice: pushed once
        ].map(tagged),
        DIGEST,
      ),
    ).toEqual([
      { destination: `ghcr.io/acme/app@${DIGEST}`, kind: 'digest', name: 'ghcr.io/acme/app' },
      { destination: `acme/app@${DIGEST}`, kind: 'digest', name: 'acme/app' },
      { destination: 'ghcr.io/acme/app:1.4.9', kind: 'tag', name: 'ghcr.io/acme/app', tag: '1.4.9' },
      { destination: 'ghcr.io/acme/app:1.4', kind: 'tag', name: 'ghcr.io/acme/app', tag: '1.4' },
      { destination: 'acme/app:1.4.9', kind: 'tag', name: 'acme/app', tag: '1.4.9' },
      { destination: 'acme/app:1.4', kind: 'tag', name: 'acme/app', tag: '1.4' },
    ])
  })
})

describe('skopeo argv', () => {
  test('copy to a TLS registry keeps verification on, with the authfile', () => {
    expect(
      skopeoCopyArgv('/tmp/bsp/oci', 'ghcr.io/acme/app:1.4.9', { authfile: '/tmp/bsp/auth.json' }),
    ).toEqual([
      'copy',
      '--all',
      '--preserve-digests',
      '--authfile',
      '/tmp/bsp/auth.json',
      'oci:/tmp/bsp/oci',
      'docker://ghcr.io/acme/app:1.4.9',
    ])
  })

  test('copy to a plain-HTTP loopback registry by digest', () => {
    expect(skopeoCopyArgv('/tmp/bsp/oci', `localhost:5000/acme/app@${DIGEST}`, { plainHttp: true })).toEqual([
      'copy',
      '--all',
      '--preserve-digests',
      '--dest-tls-verify=false',
      'oci:/tmp/bsp/oci',
      `docker://localhost:5000/acme/app@${DIGEST}`,
    ])
  })

  test('a private CA is given as a cert dir', () => {
    const argv = skopeoCopyArgv('/tmp/bsp/oci', 'localhost:5443/acme/app:1', {
      authfile: '/a.json',
      certDir: '/etc/docker/certs.d/localhost:5443',
    })
    expect(argv).toContain('--dest-cert-dir')
    expect(argv).not.toContain('--dest-tls-verify=false')
  })

  test('plain HTTP to anything but loopback is refused (it would also switch off TLS checks)', () => {
    expect(() =>
      skopeoCopyArgv('/tmp/bsp/oci', 'registry.example.com:5000/app:1', { plainHttp: true }),
    ).toThrow('refusing to reach registry.example.com:5000 over plain HTTP')
    expect(() => skopeoCopyArgv('/tmp/bsp/oci', 'localhost.example.com/app:1', { plainHttp: true })).toThrow()
  })

  test('a layout path with a colon would be misread as oci:PATH:REFERENCE', () => {
    expect(() => skopeoCopyArgv('/tmp/a:b', 'ghcr.io/acme/app:1', {})).toThrow('must not contain ":"')
  })

  test('inspect and list-tags use the single-sided flags', () => {
    expect(
      skopeoInspectRawArgv(`localhost:5000/acme/app@${DIGEST}`, { authfile: '/a.json', plainHttp: true }),
    ).toEqual([
      'inspect',
      '--raw',
      '--authfile',
      '/a.json',
      '--tls-verify=false',
      `docker://localhost:5000/acme/app@${DIGEST}`,
    ])
    expect(skopeoListTagsArgv('ghcr.io/acme/app', { certDir: '/certs' })).toEqual([
      'list-tags',
      '--cert-dir',
      '/certs',
      'docker://ghcr.io/acme/app',
    ])
  })
})

describe('reading back', () => {
  test('the digest of the bytes the registry serves is compared with what was pushed', () => {
    const index = readFileSync(
      join(
        import.meta.dirname,
        '..',
        'build',
        'fixtures',
        'oci',
        'multi-platform',
        'blobs',
        'sha256',
        DIGEST.slice('sha256:'.length),
      ),
    )
    expect(checkPushedDigest(index, DIGEST)).toEqual({ ok: true, actual: DIGEST })
    // The same JSON re-serialised (BuildKit indents, this does not) is not the same image.
    const reformatted = JSON.stringify(JSON.parse(index.toString()))
    expect(checkPushedDigest(reformatted, DIGEST).ok).toBe(false)
  })

  test('list-tags output, and a repository never pushed to', () => {
    expect(
      parseTagList('{"Repository": "localhost:5000/bsp-probe/oci-layout", "Tags": ["1.0.0", "latest"]}'),
    ).toEqual(['1.0.0', 'latest'])
    expect(parseTagList('{"Repository": "x", "Tags": null}')).toEqual([])
    expect(isUnknownRepository(recorded('list-tags-unknown'))).toBe(true)
    expect(isUnknownRepository(recorded('unauthorized'))).toBe(false)
  })
})

describe('retry decisions on recorded skopeo failures', () => {
  test.each([
    ['http-503', 'registry error (5xx)'],
    ['http-500-on-put', 'registry error (5xx)'],
    ['connection-reset', 'connection dropped'],
    ['eof', 'connection dropped'],
    ['refused', 'connection refused'],
    ['deadline-exceeded', 'timed out'],
  ])('%s is retried', (name, reason) => {
    expect(retryDecision({ exitCode: 1, stderr: recorded(name) }, 1, 'localhost:5871')).toEqual({
      action: 'retry',
      delayMs: 2000,
      reason,
    })
  })

  test.each([
    ['unauthorized', 'the registry refused the credentials (401)'],
    ['inspect-unauth', 'the registry refused the credentials (401)'],
    ['http-403', 'the registry denied access (403): check the credentials may push to this repository'],
    ['digest-mismatch', 'the registry rejected the manifest or its digest'],
    ['manifest-unknown', 'the registry does not know this repository or manifest (404)'],
    ['no-such-host', 'the registry host name does not resolve'],
  ])('%s is not retried', (name, reason) => {
    expect(retryDecision({ exitCode: 1, stderr: recorded(name) }, 1, 'localhost:5000')).toEqual({
      action: 'fail',
      reason,
    })
  })

  test('HTTPS answered with HTTP: switch to plain HTTP on loopback only', () => {
    const failure = { exitCode: 1, stderr: recorded('http-to-https') }
    expect(retryDecision(failure, 1, 'localhost:5000')).toEqual({
      action: 'plain-http',
      reason: 'localhost:5000 speaks plain HTTP (loopback)',
    })
    expect(retryDecision(failure, 1, 'registry.example.com')).toEqual({
      action: 'fail',
      reason: 'registry.example.com speaks plain HTTP; only loopback registries may',
    })
  })

  test('delays double per attempt, capped, and the attempts are bounded', () => {
    const failure = { exitCode: 1, stderr: recorded('http-503') }
    const decisions = [1, 2, 3, 4].map((attempt) => retryDecision(failure, attempt, 'ghcr.io'))
    expect(decisions).toEqual([
      { action: 'retry', delayMs: 2000, reason: 'registry error (5xx)' },
      { action: 'retry', delayMs: 4000, reason: 'registry error (5xx)' },
      { action: 'retry', delayMs: 8000, reason: 'registry error (5xx)' },
      { action: 'fail', reason: 'registry error (5xx); gave up after 4 attempts' },
    ])
    const patient = { ...DEFAULT_RETRY_POLICY, maxAttempts: 10 }
    expect(retryDecision(failure, 6, 'ghcr.io', patient)).toMatchObject({ delayMs: 30_000 })
  })

  test('rate limiting waits longer', () => {
    // Docker Hub's answer to too many pulls or pushes.
    const stderr =
      'time="2026-11-23T10:30:07Z" level=fatal msg="copying image 1/4 from manifest list: writing blob: ' +
      'toomanyrequests: You have reached your pull rate limit."'
    expect(retryDecision({ exitCode: 1, stderr }, 1, 'docker.io')).toEqual({
      action: 'retry',
      delayMs: 15_000,
      reason: 'rate limited (429)',
    })
  })

  test('an unknown failure is shown, not retried', () => {
    expect(retryDecision({ exitCode: 2, stderr: 'something new' }, 1, 'ghcr.io')).toEqual({
      action: 'fail',
      reason: 'exit code 2',
    })
  })

  test('blob digests in messages are not read as HTTP statuses', () => {
    // A hex digest containing "503" and "401" must not make a refused connection look like 5xx or 401.
    const stderr =
      'msg="trying to reuse blob sha256:401503aa at destination: pinging container registry localhost:5999: ' +
      'dial tcp 127.0.0.1:5999: connect: connection refused"'
    expect(retryDecision({ exitCode: 1, stderr }, 1, 'localhost:5999')).toMatchObject({
      action: 'retry',
      reason: 'connection refused',
    })
  })
})

test('the image config of a manifest, raw, for the merge: the same access as any read', () => {
  expect(
    skopeoInspectConfigArgv(`localhost:5000/app@${DIGEST}`, { authfile: '/tmp/auth.json', plainHttp: true }),
  ).toEqual([
    'inspect',
    '--raw',
    '--config',
    '--authfile',
    '/tmp/auth.json',
    '--tls-verify=false',
    `docker://localhost:5000/app@${DIGEST}`,
  ])
})
