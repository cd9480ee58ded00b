// The registry client with a credential helper (a docker config's credHelpers) against the
// sandbox's plain-HTTP registry, htpasswd Basic auth. A real helper (gcloud, ecr-login) cannot run
// here: `docker-credential-fake-for-tests`, a shell script on PATH written below, answers the
// sandbox's credentials. skopeo reads the same config with the same helper, so the fake is
// checked to speak the protocol a client it shares no code with speaks.
import { execFile } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { delimiter, join } from 'node:path'
import { promisify } from 'node:util'
import { openRegistry, RegistryError } from '../../src/registry/index.js'
import { loadSandboxEnv } from './helpers/sandbox-env.js'

const env = loadSandboxEnv()
import.meta.jest.setTimeout(120_000)
const run = promisify(execFile)
const sha256 = (bytes: Uint8Array): string => `sha256:${createHash('sha256').update(bytes).digest('hex')}`
const endpoint = env.plain

let dir = ''
let askedLog = ''
let authFile = ''
const originalPath = process.env.PATH
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'registry-credential-helper-'))
  askedLog = join(dir, 'asked.log')
  authFile = join(dir, 'config.json')
  await writeFile(authFile, JSON.stringify({ auths: {}, credHelpers: { [endpoint.host]: 'fake-for-tests' } }))
  process.env.PATH = `${dir}${delimiter}${originalPath ?? ''}`
})
afterAll(async () => {
  process.env.PATH = originalPath
  await rm(dir, { recursive: true, force: true })
})

const quote = (text: string): string => `'${text.replace(/'/g, `'\\''`)}'`

/** The fake helper: logs "<argv> <stdin>" per call and answers `password` for the sandbox user. */
async function fakeHelper(password: string): Promise<void> {
  const answer = JSON.stringify({ ServerURL: endpoint.host, Username: endpoint.user, Secret: password })
  const path = join(dir, 'docker-credential-fake-for-tests')
  await writeFile(
    path,
    [
      '#!/bin/sh',
      'server=$(cat)',
      `printf '%s %s\\n' "$*" "$server" >> ${quote(askedLog)}`,
      `printf '%s' ${quote(answer)}`,
      '',
    ].join('\n'),
  )
  await chmod(path, 0o755)
}

async function asked(): Promise<string[]> {
  const text = await readFile(askedLog, 'utf8').catch(() => '')
  return text.split('\n').filter((line) => line !== '')
}

test("pushes with the helper's credentials, asking it once; skopeo reads the image back through the same helper", async () => {
  await fakeHelper(endpoint.password)
  const masked: string[] = []
  const registry = openRegistry({ authFile, mask: (secret) => masked.push(secret) })
  const name = `${endpoint.host}/registry-credential-helper/app-${randomBytes(4).toString('hex')}`
  const config = Buffer.from(
    JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [] } }),
  )
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: {
        mediaType: 'application/vnd.oci.image.config.v1+json',
        digest: sha256(config),
        size: config.length,
      },
      layers: [],
    }),
  )
  try {
    const repo = registry.repository(name)
    const configPath = join(dir, 'config-blob')
    await writeFile(configPath, config)
    await repo.uploadBlob(sha256(config), config.length, configPath)
    await repo.putManifest('v1', 'application/vnd.oci.image.manifest.v1+json', manifest)
    expect(await repo.listTags()).toEqual(['v1'])
    expect(await asked()).toEqual([`get ${endpoint.host}`])
    expect(masked).toContain(endpoint.password)
  } finally {
    await registry.close?.()
  }
  const { stdout } = await run(
    env.skopeo,
    ['inspect', '--raw', '--authfile', authFile, '--tls-verify=false', `docker://${name}:v1`],
    // Given explicitly: jest's process.env is the test's own copy, which children do not inherit.
    { encoding: 'buffer', env: { ...process.env } },
  )
  expect(Buffer.compare(stdout, manifest)).toBe(0)
  // skopeo found the registry's credentials only by asking the same helper.
  expect((await asked()).slice(1)).toContain(`get ${endpoint.host}`)
})

test('a helper answering a wrong password: refused, and the password never shown', async () => {
  const wrong = `wrong-${randomBytes(8).toString('hex')}`
  await fakeHelper(wrong)
  const warnings: string[] = []
  const registry = openRegistry({
    authFile,
    mask: () => undefined,
    warn: (message) => warnings.push(message),
  })
  try {
    const failure = await registry
      .repository(`${endpoint.host}/registry-credential-helper/refused`)
      .listTags()
      .then(
        () => undefined,
        (error: unknown) => error,
      )
    expect(failure).toBeInstanceOf(RegistryError)
    expect((failure as RegistryError).status).toBe(401)
    expect((failure as RegistryError).message).toContain('the registry refused the credentials')
    expect((failure as RegistryError).message).not.toContain(wrong)
    expect(warnings.join('\n')).not.toContain(wrong)
  } finally {
    await registry.close?.()
  }
})
