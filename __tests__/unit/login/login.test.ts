// docker login and logout with a docker that never answers (#11, item 8): a login that hangs fails
// the step naming the registry; a logout that hangs is a warning, and the next registry is still
// logged out of.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { login, logout } from '../../../src/login/index.js'
import { TIMEOUTS } from '../../../src/runner/timeouts.js'
import type { Workspace } from '../../../src/runner/workspace.js'
import { hangingTool } from '../hanging-tool.js'

const SHORT = { ...TIMEOUTS, login: 200, logout: 200 }

let work: string
let workspace: Workspace
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
})
afterEach(() => rmSync(work, { recursive: true, force: true }))

test('a login that hangs fails naming docker login and the registry; nothing is recorded as logged in', async () => {
  const docker = hangingTool(work, 'docker')
  const loggedIn: string[] = []
  await expect(
    login(
      docker.path,
      [{ registry: 'registry.example', username: 'u', password: 'p', source: 'registry-auth' }],
      workspace,
      (registry) => loggedIn.push(registry),
      SHORT,
    ),
  ).rejects.toThrow('docker login registry.example timed out after 200ms and was stopped')
  expect(loggedIn).toEqual([])
})

test('a logout that hangs is a warning naming the registry, and the next one is still tried', async () => {
  const docker = hangingTool(work, 'docker')
  let log = ''
  const spy = import.meta.jest
    .spyOn(process.stdout, 'write')
    .mockImplementation((chunk: string | Uint8Array) => {
      log += chunk.toString()
      return true
    })
  try {
    await logout(docker.path, ['one.example', 'two.example'], workspace.dockerConfig, SHORT)
  } finally {
    spy.mockRestore()
  }
  expect(docker.calls()).toEqual([
    ['logout', 'one.example'],
    ['logout', 'two.example'],
  ])
  expect(log).toContain('::warning::docker logout one.example timed out after 200ms and was stopped')
  expect(log).toContain('::warning::docker logout two.example timed out after 200ms and was stopped')
})
