// The imagetools route's read-back, for real: `docker buildx imagetools inspect --raw` (any buildx
// has it; the sandbox's is 0.13.1) with a DOCKER_CONFIG holding the logins, against the sandbox's
// plain registry. Its copy (`imagetools create` from an OCI layout) needs buildx 0.33, which cannot
// be installed here: that part is tested on argv only (unit/push/imagetools-argv.test.ts).
import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Imagetools } from '../../src/push/registry-client.js'
import { pushPlan } from '../../src/push/steps.js'
import { verifyPushed } from '../../src/push/verify.js'
import { tagged } from '../tagged-image.js'
import { loadSandboxEnv } from './helpers/sandbox-env.js'

const env = loadSandboxEnv()
// The default for every test and hook of this file that names no timeout of its own. Set here, per
// file: jest-circus ignores a project-level testTimeout. Generous, for a loaded 2-core machine.
import.meta.jest.setTimeout(60_000)
const noWait = (): Promise<void> => Promise.resolve()
const baseName = env.baseImage.replace(/:latest$/, '')
const byDigest = `${baseName}@${env.baseDigest}`
let wrongConfig: string

beforeAll(async () => {
  process.env.DOCKER_HOST = env.dockerHost
  wrongConfig = await mkdtemp(join(tmpdir(), 'imagetools-read-'))
  await symlink(join(env.dockerConfig, 'cli-plugins'), join(wrongConfig, 'cli-plugins'))
  const auth = Buffer.from(`${env.plain.user}:not-the-password`).toString('base64')
  await writeFile(join(wrongConfig, 'config.json'), JSON.stringify({ auths: { [env.plain.host]: { auth } } }))
})

afterAll(async () => {
  await rm(wrongConfig, { recursive: true, force: true })
})

test('the manifest bytes read back hash to the digest, by tag and by digest', async () => {
  const client = new Imagetools(env.docker, env.dockerConfig, '', noWait)
  const steps = pushPlan([tagged(env.baseImage)], env.baseDigest)
  expect(steps.map((step) => step.destination)).toEqual([byDigest, env.baseImage])
  await expect(verifyPushed(client, steps, env.baseDigest)).resolves.toEqual([
    { reference: byDigest, name: baseName, digest: env.baseDigest },
    { reference: env.baseImage, name: baseName, tag: 'latest', digest: env.baseDigest },
  ])
})

test('another digest than the one served fails the verification', async () => {
  const client = new Imagetools(env.docker, env.dockerConfig, '', noWait)
  const other = `sha256:${'0'.repeat(64)}`
  await expect(
    verifyPushed(client, pushPlan([tagged(env.baseImage)], other).slice(1), other),
  ).rejects.toThrow(`${env.baseImage} serves ${env.baseDigest}, not the digest built and pushed (${other})`)
})

test('wrong credentials are not retried, and the error says so', async () => {
  const client = new Imagetools(env.docker, wrongConfig, '', noWait)
  await expect(client.readManifest(env.baseImage)).rejects.toThrow(
    `read back ${env.baseImage} failed: the registry refused the credentials (401)`,
  )
})

test('a tag the registry does not have', async () => {
  const client = new Imagetools(env.docker, env.dockerConfig, '', noWait)
  const missing = `${env.plain.host}/sandbox/busybox:no-such-tag`
  await expect(client.readManifest(missing)).rejects.toThrow(
    `read back ${missing} failed: the registry does not know this repository or manifest (404)`,
  )
})
