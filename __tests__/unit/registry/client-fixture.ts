// What the registry client's unit tests share: a fake distribution server per test, a client
// opened on it with an auth file, sleeps, messages and masked secrets recorded, and a check after
// every test that no message carries the password, its base64 pair, a token or a test's own
// secrets (`neverShown`).
import { createHash, randomBytes } from 'node:crypto'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  openRegistry,
  RegistryError,
  type Registry,
  type RegistryOptions,
} from '../../../src/registry/index.js'
import { FakeDistributionServer, type FakeAuth } from './fake-distribution-server.js'

export const USER = 'ci-user'
export const PASSWORD = 'pa55-word-never-shown'
export const sha256 = (bytes: Uint8Array): string =>
  `sha256:${createHash('sha256').update(bytes).digest('hex')}`

export interface Fixture {
  server: FakeDistributionServer
  registry: Registry
  readonly sleeps: number[]
  readonly warnings: string[]
  readonly notes: string[]
  /** What the client asked to mask. */
  readonly masked: string[]
  /** More strings no message may hold (a test's identity token, a helper's output); cleared after each test. */
  readonly neverShown: string[]
  /**
   * Starts the server with `auth`, opens the client on it. The auth file holds USER:PASSWORD for
   * the server, or with `config` that config (a function of the server's host). Returns the
   * repository name.
   */
  open(
    auth: FakeAuth,
    options?: Partial<RegistryOptions>,
    config?: (host: string) => unknown,
  ): Promise<string>
  /** A file of `size` random bytes. */
  blob(size: number): Promise<{ digest: string; size: number; path: string; bytes: Buffer }>
}

/** Registers the hooks and returns the fixture the tests of the file share. */
export function useFakeRegistry(): Fixture {
  let dir = ''
  const fixture = {
    sleeps: [] as number[],
    warnings: [] as string[],
    notes: [] as string[],
    masked: [] as string[],
    neverShown: [] as string[],
    async open(
      auth: FakeAuth,
      options: Partial<RegistryOptions> = {},
      config = storedPassword,
    ): Promise<string> {
      fixture.server = await new FakeDistributionServer(auth).start()
      const authFile = join(dir, `config-${randomBytes(4).toString('hex')}.json`)
      await writeFile(authFile, JSON.stringify(config(fixture.server.host)))
      fixture.registry = openRegistry({
        authFile,
        mask: (secret) => fixture.masked.push(secret),
        certsDirs: [],
        env: {},
        sleep: (ms) => {
          fixture.sleeps.push(ms)
          return Promise.resolve()
        },
        warn: (message) => fixture.warnings.push(message),
        note: (message) => fixture.notes.push(message),
        ...options,
      })
      return `${fixture.server.host}/acme/app`
    },
    async blob(size: number) {
      const bytes = randomBytes(size)
      const path = join(dir, `blob-${randomBytes(4).toString('hex')}`)
      await writeFile(path, bytes)
      return { digest: sha256(bytes), size, path, bytes }
    },
  } as Fixture

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'registry-unit-'))
  })
  afterAll(() => rm(dir, { recursive: true, force: true }))
  afterEach(async () => {
    await fixture.registry.close?.()
    await fixture.server.stop()
    for (const line of [...fixture.warnings, ...fixture.notes]) {
      expect(line).not.toContain(PASSWORD)
      expect(line).not.toContain(Buffer.from(`${USER}:${PASSWORD}`).toString('base64'))
      expect(line).not.toContain('token-')
      for (const secret of fixture.neverShown) expect(line).not.toContain(secret)
    }
    fixture.sleeps.length = 0
    fixture.masked.length = 0
    fixture.neverShown.length = 0
    fixture.warnings.length = 0
    fixture.notes.length = 0
  })
  return fixture
}

/** The auth file most tests use: USER:PASSWORD stored for the server. */
export const storedPassword = (host: string): unknown => ({
  auths: { [host]: { auth: Buffer.from(`${USER}:${PASSWORD}`).toString('base64') } },
})

/** An auth file with nothing for the server. */
export const nothingStored = (): unknown => ({ auths: {} })

/** The RegistryError `promise` rejects with. */
export async function failureOf(promise: Promise<unknown>): Promise<RegistryError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(RegistryError)
  return error as RegistryError
}
