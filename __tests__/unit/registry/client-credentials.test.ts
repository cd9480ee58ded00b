// The registry client's credentials from logins of earlier steps, against the fake distribution
// server: credential helpers (credHelpers) and identity tokens. A real helper (gcloud, ecr-login)
// cannot run here; `docker-credential-fake-for-tests`, a shell script each test writes onto PATH,
// stands in for it: it records how it was asked and answers what the test says.
import { randomBytes } from 'node:crypto'
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { delimiter, join } from 'node:path'
import { TIMEOUTS } from '../../../src/runner/timeouts.js'
import { CREDENTIALS_NOT_FOUND } from '../../../src/registry/credential-helper.js'
import { failureOf, PASSWORD, USER, useFakeRegistry } from './client-fixture.js'

const f = useFakeRegistry()
const HELPER = 'fake-for-tests'
const pair = Buffer.from(`${USER}:${PASSWORD}`).toString('base64')

let binDir = ''
let askedLog = ''
const originalPath = process.env.PATH
beforeAll(async () => {
  binDir = await mkdtemp(join(tmpdir(), 'credential-helper-'))
  process.env.PATH = `${binDir}${delimiter}${originalPath ?? ''}`
})
afterAll(async () => {
  process.env.PATH = originalPath
  await rm(binDir, { recursive: true, force: true })
})
beforeEach(() => {
  askedLog = join(binDir, `asked-${randomBytes(4).toString('hex')}.log`)
})

const quote = (text: string): string => `'${text.replace(/'/g, `'\\''`)}'`

/** Writes the fake helper: it logs "<argv> <stdin>" per call, then prints `stdout` and exits. */
async function fakeHelper(stdout: string, exitCode = 0, sleepSeconds = 0): Promise<void> {
  const path = join(binDir, `docker-credential-${HELPER}`)
  await writeFile(
    path,
    [
      '#!/bin/sh',
      'server=$(cat)',
      `printf '%s %s\\n' "$*" "$server" >> ${quote(askedLog)}`,
      sleepSeconds > 0 ? `sleep ${sleepSeconds}` : '',
      `printf '%s' ${quote(stdout)}`,
      `exit ${exitCode}`,
      '',
    ].join('\n'),
  )
  await chmod(path, 0o755)
}

const answer = (username: string, secret: string): string =>
  JSON.stringify({ ServerURL: 'ignored', Username: username, Secret: secret })

const helperFor = (host: string): unknown => ({ auths: {}, credHelpers: { [host]: HELPER } })

async function asked(): Promise<string[]> {
  const text = await readFile(askedLog, 'utf8').catch(() => '')
  return text.split('\n').filter((line) => line !== '')
}

describe('credential helpers', () => {
  test('Basic: the helper is asked once for the host, on stdin, and its secret is masked', async () => {
    await fakeHelper(answer(USER, PASSWORD))
    const name = await f.open({ kind: 'basic', user: USER, password: PASSWORD }, {}, helperFor)
    const { digest, size, path } = await f.blob(100)
    await f.registry.repository(name).uploadBlob(digest, size, path)
    expect(await f.registry.repository(`${f.server.host}/acme/other`).listTags()).toEqual([])
    expect(await f.registry.repository(name).hasBlob(digest)).toBe(true)
    expect(await asked()).toEqual([`get ${f.server.host}`])
    expect(f.masked).toEqual([PASSWORD, pair])
  })

  test("Bearer: the token is fetched with the helper's user and secret", async () => {
    await fakeHelper(answer(USER, PASSWORD))
    const name = await f.open({ kind: 'bearer', user: USER, password: PASSWORD }, {}, helperFor)
    expect(await f.registry.repository(name).listTags()).toEqual([])
    expect(f.server.requests('GET', /^\/token$/).map((r) => r.headers.authorization)).toEqual([
      `Basic ${pair}`,
    ])
    expect(await asked()).toHaveLength(1)
  })

  test('a helper holding nothing for the registry: anonymous', async () => {
    await fakeHelper(`${CREDENTIALS_NOT_FOUND}\n`, 1)
    const name = await f.open({ kind: 'bearer' }, {}, helperFor)
    expect(await f.registry.repository(name).listTags()).toEqual([])
    expect(f.server.requests('GET', /^\/token$/).map((r) => r.headers.authorization)).toEqual([undefined])
    expect(f.masked).toEqual([])
  })

  test('a failing helper is named with the registry, its output is not shown, and it is not asked again', async () => {
    const leaked = `leaked-${randomBytes(6).toString('hex')}`
    f.neverShown.push(leaked)
    await fakeHelper(`error: ${leaked}`, 3)
    const name = await f.open({ kind: 'basic', user: USER, password: PASSWORD }, {}, helperFor)
    for (const operation of [
      f.registry.repository(name).listTags(),
      f.registry.repository(name).hasBlob('x'),
    ]) {
      const error = await failureOf(operation)
      expect(error.message).toContain(
        `the credential helper docker-credential-${HELPER} failed for ${f.server.host} (exit 3)`,
      )
      expect(error.message).not.toContain(leaked)
    }
    expect(await asked()).toHaveLength(1)
  })

  test('a helper that is not on PATH is named', async () => {
    const name = await f.open({ kind: 'basic', user: USER, password: PASSWORD }, {}, (host) => ({
      credHelpers: { [host]: 'absent-for-tests' },
    }))
    const error = await failureOf(f.registry.repository(name).listTags())
    expect(error.message).toContain(
      `the credential helper docker-credential-absent-for-tests (credHelpers for ${f.server.host} in the docker config) is not on PATH`,
    )
  })

  test('a helper that hangs is stopped at its deadline, and named', async () => {
    await fakeHelper(answer(USER, PASSWORD), 0, 60)
    const limits = { ...TIMEOUTS, login: 300 }
    const name = await f.open({ kind: 'basic', user: USER, password: PASSWORD }, { limits }, helperFor)
    const error = await failureOf(f.registry.repository(name).listTags())
    expect(error.message).toContain(
      `docker-credential-${HELPER} get for ${f.server.host} timed out after 300ms`,
    )
  })
})

describe('identity tokens', () => {
  const token = `refresh-${randomBytes(6).toString('hex')}`
  const storedToken = (host: string): unknown => ({
    auths: {
      [host]: {
        auth: Buffer.from('00000000-0000-0000-0000-000000000000:').toString('base64'),
        identitytoken: token,
      },
    },
  })

  test("from the auths entry: the token server's OAuth2 refresh-token POST, one per scope set", async () => {
    f.neverShown.push(token)
    const name = await f.open({ kind: 'bearer', identityToken: token }, {}, storedToken)
    const source = await f.blob(10)
    f.server.blobs.set(source.digest, source.bytes)
    const repo = f.registry.repository(name)
    expect(await repo.mountBlob(source.digest, `${f.server.host}/acme/base`)).toBe(true)
    expect(await repo.hasBlob(source.digest)).toBe(true)
    expect(f.server.requests('GET', /^\/token$/)).toEqual([])
    const forms = f.server.requests('POST', /^\/token$/).map((r) => Object.fromEntries(r.form ?? []))
    expect(forms).toEqual([
      {
        grant_type: 'refresh_token',
        service: 'fake-registry',
        scope: 'repository:acme/app:pull,push repository:acme/base:pull',
        client_id: 'build-scan-push',
        refresh_token: token,
      },
      expect.objectContaining({ scope: 'repository:acme/app:pull' }),
    ])
    expect(f.masked).toEqual([token])
  })

  test('from a helper answering <token>', async () => {
    f.neverShown.push(token)
    await fakeHelper(answer('<token>', token))
    const name = await f.open({ kind: 'bearer', identityToken: token }, {}, helperFor)
    expect(await f.registry.repository(name).listTags()).toEqual([])
    expect(f.server.requests('POST', /^\/token$/).map((r) => r.form?.get('refresh_token'))).toEqual([token])
    expect(f.masked).toEqual([token])
  })

  test('refused by the token server: its error code, never the token it echoes', async () => {
    f.neverShown.push(token)
    const name = await f.open({ kind: 'bearer', identityToken: 'another' }, {}, storedToken)
    const error = await failureOf(f.registry.repository(name).listTags())
    expect(error.message).toContain('HTTP 400: invalid_grant')
    expect(error.message).not.toContain(token)
  })

  test('a registry that asks for Basic cannot take one: a clear error', async () => {
    f.neverShown.push(token)
    const name = await f.open({ kind: 'basic', user: USER, password: PASSWORD }, {}, storedToken)
    const error = await failureOf(f.registry.repository(name).listTags())
    expect(error.message).toContain(
      `${f.server.host} asks for Basic authentication, and its credential in the docker config is an identity token`,
    )
    expect(error.message).not.toContain(token)
    expect(f.server.seen.every((r) => r.headers.authorization === undefined)).toBe(true)
  })
})
