// The login stage against fake distribution servers on loopback: the credentials are checked as
// `docker login` checks them, side by side (the checks write nothing, and a stopped one ends at
// once), and written into the step's private config only when every check passed; a failure keeps
// the error shape naming registry, user and source, never the password.
import { createServer, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { checkCredentials, login } from '../../../src/login/index.js'
import type { RegistryCredential } from '../../../src/login/registry-auth.js'
import { TIMEOUTS } from '../../../src/runner/timeouts.js'
import type { Workspace } from '../../../src/runner/workspace.js'
import { FakeDistributionServer } from '../registry/fake-distribution-server.js'

const USER = 'ci-user'
const PASSWORD = 'pa55-word-never-shown'
const WRONG = 'wrong-pa55-never-shown'
// A config as createWorkspace seeds it: an earlier step's login that must survive.
const SEEDED = { auths: { 'ghcr.io': { auth: Buffer.from('earlier:step').toString('base64') } } }

let work: string
let workspace: Workspace
let servers: FakeDistributionServer[]
let log: string
let restoreStdout: () => void
beforeEach(() => {
  work = mkdtempSync(path.join(os.tmpdir(), 'bsp-login-'))
  const dockerConfig = path.join(work, 'docker-config')
  mkdirSync(dockerConfig)
  workspace = {
    root: work,
    dockerConfig,
    authFile: path.join(dockerConfig, 'config.json'),
    secretsDir: path.join(work, 'secrets'),
    layoutDir: path.join(work, 'oci-layout'),
    metadataFile: path.join(work, 'buildx-metadata.json'),
    marker: 'not-read-by-login',
  }
  writeFileSync(workspace.authFile, JSON.stringify(SEEDED))
  servers = []
  log = ''
  const spy = import.meta.jest
    .spyOn(process.stdout, 'write')
    .mockImplementation((chunk: string | Uint8Array) => {
      log += chunk.toString()
      return true
    })
  restoreStdout = () => spy.mockRestore()
})
afterEach(async () => {
  restoreStdout()
  await Promise.all(servers.map((server) => server.stop()))
  rmSync(work, { recursive: true, force: true })
  expect(log).not.toContain(PASSWORD)
  expect(log).not.toContain(WRONG)
})

async function basicRegistry(): Promise<string> {
  const server = await new FakeDistributionServer({ kind: 'basic', user: USER, password: PASSWORD }).start()
  servers.push(server)
  return server.host
}

const credential = (registry: string, password = PASSWORD): RegistryCredential => ({
  registry,
  username: USER,
  password,
  source: 'registry-auth',
})

const CLIENT = { certsDirs: [], env: {} }
const check = (
  credentials: RegistryCredential[],
  options: { stop?: AbortSignal; limits?: typeof TIMEOUTS } = {},
) => checkCredentials(credentials, { ...options, client: CLIENT })
const run = (credentials: RegistryCredential[]) => login(check(credentials), workspace)

const authFile = (): unknown => JSON.parse(readFileSync(workspace.authFile, 'utf8'))

test('every credential checked writes its auths next to the seeded ones, and the registries are returned', async () => {
  const [one, two] = [await basicRegistry(), await basicRegistry()]
  expect(await run([credential(one), credential(two)])).toEqual([one, two])
  const auth = Buffer.from(`${USER}:${PASSWORD}`).toString('base64')
  expect(authFile()).toEqual({ auths: { ...SEEDED.auths, [one]: { auth }, [two]: { auth } } })
  expect(log).toContain(`Logged in to ${one} as ${USER} (from "registry-auth")`)
  expect(log).toContain(`Logged in to ${two} as ${USER} (from "registry-auth")`)
  for (const server of servers) expect(server.requests('GET', /^\/v2\/$/)).toHaveLength(2)
})

test('one wrong password: the error names that login, and nothing is written for any registry', async () => {
  const [one, two] = [await basicRegistry(), await basicRegistry()]
  const failed = run([credential(one), credential(two, WRONG)])
  await expect(failed).rejects.toThrow(
    `Login to ${two} as ${USER} (from "registry-auth") failed: the registry refused the credentials for ${two} (401`,
  )
  const message = await failed.catch((error: Error) => error.message)
  expect(message).not.toContain(WRONG)
  expect(authFile()).toEqual(SEEDED)
  expect(log).not.toContain('Logged in to')
})

test('the checks run side by side: each registry answers only once both were asked', async () => {
  // Checked one after the other, the first registry would wait for ever (here: the login limit).
  const waiting: ServerResponse[] = []
  const gated = await Promise.all(
    [0, 1].map(async () => {
      const server = createServer((_request, response) => {
        waiting.push(response)
        if (waiting.length === 2) for (const held of waiting) held.writeHead(200).end('{}')
      })
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
      return server
    }),
  )
  try {
    const hosts = gated.map((server) => `127.0.0.1:${(server.address() as AddressInfo).port}`)
    const limits = { ...TIMEOUTS, login: 5_000 }
    const credentials = hosts.map((host) => credential(host))
    expect(await login(check(credentials, { limits }), workspace)).toEqual(hosts)
  } finally {
    for (const server of gated) server.closeAllConnections()
    await Promise.all(gated.map((server) => new Promise((resolve) => server.close(resolve))))
  }
})

test('the checks write nothing: the config stays as seeded until login writes what they passed', async () => {
  const registry = await basicRegistry()
  const checks = check([credential(registry)])
  await checks
  expect(servers[0]!.requests('GET', /^\/v2\/$/)).toHaveLength(2)
  expect(authFile()).toEqual(SEEDED)
  expect(log).not.toContain('Logged in to')
  expect(await login(checks, workspace)).toEqual([registry])
  expect(authFile()).toHaveProperty(['auths', registry])
})

test('a stopped check ends at once, closing its connection, with an error naming the login', async () => {
  // A registry that never answers: only the stop can end the check before the login limit.
  const held: ServerResponse[] = []
  let closed = 0
  const silent = createServer((_request, response) => {
    held.push(response)
    response.on('close', () => (closed += 1))
  })
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
  try {
    const host = `127.0.0.1:${(silent.address() as AddressInfo).port}`
    const stop = new AbortController()
    const checks = check([credential(host)], { stop: stop.signal, limits: { ...TIMEOUTS, login: 60_000 } })
    while (held.length === 0) await new Promise((resolve) => setTimeout(resolve, 10))
    stop.abort()
    await expect(checks).rejects.toThrow(
      `Login to ${host} as ${USER} (from "registry-auth") failed: stopped: the run ended before the login`,
    )
    while (closed === 0) await new Promise((resolve) => setTimeout(resolve, 10))
    expect(authFile()).toEqual(SEEDED)
  } finally {
    silent.closeAllConnections()
    await new Promise((resolve) => silent.close(resolve))
  }
})

test('no credential: nothing checked, nothing written', async () => {
  expect(await run([])).toEqual([])
  expect(authFile()).toEqual(SEEDED)
})
