import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  dockerErrorText,
  imagetoolsCreateArgv,
  imagetoolsInspectRawArgv,
} from '../../../src/push/imagetools-argv.js'
import { retryDecision } from '../../../src/push/retry.js'

// No buildx with oci-layout sources (0.33+) can be installed in the sandbox, so the imagetools
// route is tested here on its argv; its failures were recorded with the sandbox's buildx 0.13.1,
// whose registry errors come from the same containerd resolver: see fixtures/README.md.
const stderrDir = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'imagetools-stderr')
const recorded = (name: string): string => readFileSync(join(stderrDir, `${name}.txt`), 'utf8')

const DIGEST = 'sha256:d3bf5d3e11d73506e8f235b5d2b2352491e8c3e92d17737836f5b6939c827d83'
const LAYOUT = '/home/runner/work/_temp/build-scan-push-Ab12Cd/oci-layout'

describe('imagetools argv', () => {
  test('create by digest: the layout image named by its digest, never copied into a new index', () => {
    expect(imagetoolsCreateArgv(LAYOUT, DIGEST, `ghcr.io/acme/app@${DIGEST}`, '')).toEqual([
      'buildx',
      'imagetools',
      'create',
      '--prefer-index=false',
      '--progress',
      'plain',
      '--tag',
      `ghcr.io/acme/app@${DIGEST}`,
      `oci-layout://${LAYOUT}@${DIGEST}`,
    ])
  })

  test('create a tag with the builder of the build', () => {
    expect(imagetoolsCreateArgv(LAYOUT, DIGEST, 'ghcr.io/acme/app:1.4.9', 'build-scan-push-x1')).toEqual([
      'buildx',
      'imagetools',
      'create',
      '--builder',
      'build-scan-push-x1',
      '--prefer-index=false',
      '--progress',
      'plain',
      '--tag',
      'ghcr.io/acme/app:1.4.9',
      `oci-layout://${LAYOUT}@${DIGEST}`,
    ])
  })

  test('a colon in the layout path would be read by buildx as a tag', () => {
    expect(() => imagetoolsCreateArgv('/tmp/a:b', DIGEST, 'ghcr.io/acme/app:1', '')).toThrow(
      'OCI layout path "/tmp/a:b" must not contain ":"',
    )
  })

  test('inspect --raw', () => {
    expect(imagetoolsInspectRawArgv(`localhost:5000/acme/app@${DIGEST}`, '')).toEqual([
      'buildx',
      'imagetools',
      'inspect',
      '--raw',
      `localhost:5000/acme/app@${DIGEST}`,
    ])
    expect(imagetoolsInspectRawArgv('ghcr.io/acme/app:1', 'b1')).toEqual([
      'buildx',
      'imagetools',
      'inspect',
      '--builder',
      'b1',
      '--raw',
      'ghcr.io/acme/app:1',
    ])
  })
})

describe('retry decisions on recorded buildx failures', () => {
  const decide = (name: string): ReturnType<typeof retryDecision> =>
    retryDecision({ exitCode: 1, stderr: dockerErrorText(recorded(name)) }, 1, 'localhost:5871')

  test.each([
    ['inspect-503', 'registry error (5xx)'],
    ['create-503', 'registry error (5xx)'],
    ['create-500-put', 'registry error (5xx)'],
    ['inspect-reset', 'connection dropped'],
    ['create-reset', 'connection dropped'],
    ['inspect-eof', 'connection dropped'],
    ['create-eof', 'connection dropped'],
  ])('%s is retried', (name, reason) => {
    expect(decide(name)).toEqual({ action: 'retry', delayMs: 2000, reason })
  })

  test.each(['inspect-429', 'create-429'])('%s waits as rate limiting', (name) => {
    expect(decide(name)).toEqual({ action: 'retry', delayMs: 15_000, reason: 'rate limited (429)' })
  })

  test.each([
    ['inspect-unauthorized', 'the registry refused the credentials (401)'],
    ['create-unauthorized', 'the registry refused the credentials (401)'],
    ['create-403', 'the registry denied access (403): check the credentials may push to this repository'],
    ['inspect-not-found', 'the registry does not know this repository or manifest (404)'],
  ])('%s is not retried', (name, reason) => {
    expect(decide(name)).toEqual({ action: 'fail', reason })
  })

  test('a 5xx buildx names only by its code is still a registry error', () => {
    const stderr =
      'ERROR: unexpected status from PUT request to https://ghcr.io/v2/acme/app/manifests/1.4.9: 507 Insufficient Storage'
    expect(retryDecision({ exitCode: 1, stderr }, 1, 'ghcr.io')).toMatchObject({
      action: 'retry',
      reason: 'registry error (5xx)',
    })
  })

  test('only the ERROR lines are read: the progress lines name images, which may look like failures', () => {
    const progress =
      '#1 [internal] pushing ghcr.io/acme/timeout-service:1\n' +
      '#1 0.000 copying sha256:e413 from oci-layout:///tmp/l@sha256:e413 to ghcr.io/acme/timeout-service:1\n'
    const error = 'ERROR: failed to parse source: invalid reference format\n'
    expect(dockerErrorText(progress + error)).toBe(error.trimEnd())
    // Read whole, "timeout-service" would make an unknown failure look like a timeout worth retrying.
    expect(retryDecision({ exitCode: 1, stderr: progress + error }, 1, 'ghcr.io')).toMatchObject({
      action: 'retry',
    })
    expect(retryDecision({ exitCode: 1, stderr: dockerErrorText(progress + error) }, 1, 'ghcr.io')).toEqual({
      action: 'fail',
      reason: 'exit code 1',
    })
    expect(dockerErrorText('no ERROR prefix here')).toBe('no ERROR prefix here')
  })
})
