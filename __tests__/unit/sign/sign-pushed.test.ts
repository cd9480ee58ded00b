import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fixture } from '../scan/fixtures.js'
import { signPushed, SigningFailed, type Signer } from '../../../src/sign/index.js'

const DIGEST = `sha256:${'a'.repeat(64)}`
const AMD64 = `sha256:${'b'.repeat(64)}`
let dir: string

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'bsp-sign-pushed-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

/**
 * TEST DOUBLE, not cosign: logs its argv and whether COSIGN_PASSWORD reached it, then fails the
 * subcommand named `failing` as a registry refusing a write would.
 */
function fakeCosign(failing: string): { path: string; calls: () => string[] } {
  const file = path.join(dir, 'cosign')
  const log = path.join(dir, 'calls')
  writeFileSync(
    file,
    `#!/bin/sh\necho "$* password:\${COSIGN_PASSWORD-unset}" >> '${log}'\n` +
      `if [ "$1" = "${failing}" ]; then echo 'Error: PUT …: UNAUTHORIZED: authentication required' >&2; exit 1; fi\n`,
  )
  chmodSync(file, 0o755)
  return { path: file, calls: () => readFileSync(log, 'utf8').trim().split('\n') }
}

function signer(cosign: string): Signer {
  return {
    cosign,
    decision: {
      sign: true,
      method: 'key',
      reason: 'with cosign-key',
      attest: ['vuln'],
      transparencyLog: false,
    },
    env: { DOCKER_CONFIG: path.join(dir, 'docker-config'), COSIGN_PASSWORD: 'the-password' },
    keyFile: path.join(dir, 'cosign.key'),
    publicKey: '-----BEGIN PUBLIC KEY-----\nMFkw\n-----END PUBLIC KEY-----',
    dir,
  }
}

const pushed = [{ reference: `ghcr.io/acme/app@${DIGEST}`, name: 'ghcr.io/acme/app', digest: DIGEST }]
const platforms = [
  {
    platform: 'linux/amd64',
    descriptor: { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: AMD64, size: 1 },
  },
]
const scanned = [
  {
    platform: 'linux/amd64',
    manifestDigest: AMD64,
    report: fixture('trivy/alpine-310.json'),
    parameters: ['image'],
    startedOn: new Date(0),
    finishedOn: new Date(1000),
    trivyVersion: '0.74.0',
  },
]
const run = { url: 'https://github.com/acme/app/actions/runs/1', id: '1' }

test('signs the index and the platform, then attests; the password reaches cosign by environment only', async () => {
  const cosign = fakeCosign('none')
  const summary = await signPushed(signer(cosign.path), pushed, DIGEST, platforms, scanned, run)
  expect(summary).toMatchObject({ signed: true, transparencyLog: false })
  expect(summary.commands).toEqual([
    `cosign verify --key cosign.pub --insecure-ignore-tlog=true ghcr.io/acme/app@${DIGEST}`,
    `cosign verify-attestation --key cosign.pub --insecure-ignore-tlog=true --type vuln ghcr.io/acme/app@${AMD64}`,
  ])
  const calls = cosign.calls()
  expect(calls.map((call) => call.split(' ')[0])).toEqual(['sign', 'sign', 'attest'])
  for (const call of calls) expect(call.endsWith('password:the-password')).toBe(true)
  for (const call of calls) expect(call.replace(/ password:the-password$/, '')).not.toContain('the-password')
})

test('a failed attestation after the push says the image is pushed but not signed', async () => {
  const cosign = fakeCosign('attest')
  const attempt = signPushed(signer(cosign.path), pushed, DIGEST, platforms, scanned, run)
  await expect(attempt).rejects.toThrow(SigningFailed)
  await expect(signPushed(signer(cosign.path), pushed, DIGEST, platforms, scanned, run)).rejects.toThrow(
    /^The image was pushed but is not signed \(2 signatures and attestations were made before\): cosign attest vuln to ghcr\.io\/acme\/app@sha256:b+ \(linux\/amd64\) failed:\nError: PUT …: UNAUTHORIZED/,
  )
})
