import {
  lstat,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  readlink,
  rm,
  stat,
  symlink,
  writeFile,
} from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { basename, dirname, join, resolve } from 'node:path'
import {
  createWorkspace,
  deletedWhenKeepingLogins,
  DOCKER_CONFIG_DIR,
  readWorkspaceFacts,
  seedDockerConfig,
  WORKSPACE_MARKER,
  workspaceParent,
  workspaceProblem,
  type WorkspaceFacts,
} from '../../../src/runner/workspace.js'

describe('seedDockerConfig', () => {
  test('keeps earlier logins and per-registry helpers, never the global store or helpers of our registries', () => {
    const user = {
      auths: { 'localhost:5000': { auth: 'eDp5' } },
      credsStore: 'desktop',
      credHelpers: { 'ghcr.io': 'gh', '123456789012.dkr.ecr.us-east-1.amazonaws.com': 'ecr-login' },
      currentContext: 'remote',
    }
    expect(seedDockerConfig(user, ['ghcr.io'])).toEqual({
      auths: { 'localhost:5000': { auth: 'eDp5' } },
      credHelpers: { '123456789012.dkr.ecr.us-east-1.amazonaws.com': 'ecr-login' },
    })
  })

  test('no user config gives empty auths', () => {
    expect(seedDockerConfig(undefined, [])).toEqual({ auths: {} })
  })
})

describe('workspaceProblem: the post step deletes only the directory the main step made', () => {
  const parent = '/home/runner/work/_temp'
  const ours: WorkspaceFacts = {
    root: `${parent}/build-scan-push-Ab12Cd`,
    parent,
    savedMarker: 'f00d',
    kind: 'directory',
    marker: 'f00d',
  }

  test('directly in RUNNER_TEMP, named build-scan-push-*, a directory whose marker holds the saved value', () => {
    expect(workspaceProblem(ours)).toBeUndefined()
  })

  test.each<[string, Partial<WorkspaceFacts>, string]>([
    [
      'outside RUNNER_TEMP',
      { root: '/home/runner/work/app' },
      `it is not directly under RUNNER_TEMP (${parent})`,
    ],
    ['RUNNER_TEMP itself', { root: parent }, 'it is not directly under RUNNER_TEMP'],
    ['deeper in RUNNER_TEMP', { root: `${parent}/x/build-scan-push-Ab12Cd` }, 'it is not directly under'],
    ['a path that climbs out', { root: `${parent}/build-scan-push-Ab12Cd/..` }, 'it is not directly under'],
    [
      'a path that climbs back',
      { root: `${parent}/x/../build-scan-push-Ab12Cd` },
      'it is not directly under',
    ],
    ['a relative path', { root: 'build-scan-push-Ab12Cd' }, 'it is not directly under'],
    ['named otherwise', { root: `${parent}/cache` }, 'it is not named build-scan-push-*'],
    [
      'named with only the prefix',
      { root: `${parent}/build-scan-push-` },
      'it is not named build-scan-push-*',
    ],
    ['gone', { kind: 'missing' }, 'it does not exist'],
    ['a symbolic link', { kind: 'symbolic link' }, 'it is a symbolic link'],
    ['a file', { kind: 'not a directory' }, 'it is not a directory'],
    ['without a saved value', { savedMarker: '', marker: '' }, 'the main step saved no marker value'],
    ['without a marker file', { marker: undefined }, 'it holds no marker file (.build-scan-push-marker)'],
    ['with another marker', { marker: 'beef' }, 'its marker does not hold the value the main step saved'],
    ['with the marker and a line break', { marker: 'f00d\n' }, 'its marker does not hold the value'],
  ])('not a directory %s', (_what, change, problem) => {
    expect(workspaceProblem({ ...ours, ...change })).toContain(problem)
  })
})

describe('createWorkspace and readWorkspaceFacts, on a temporary RUNNER_TEMP', () => {
  let runnerTemp: string
  let env: Record<string, string>
  beforeEach(async () => {
    runnerTemp = await mkdtemp(join(tmpdir(), 'bsp-unit-runner-'))
    env = { RUNNER_TEMP: runnerTemp, DOCKER_CONFIG: join(runnerTemp, 'no-user-config') }
  })
  afterEach(async () => {
    await rm(runnerTemp, { recursive: true, force: true })
  })

  test('the directory is new and random, with a marker (0600) holding a random value', async () => {
    const [one, two] = [await createWorkspace(env, []), await createWorkspace(env, [])]
    expect(dirname(one.root)).toBe(runnerTemp)
    expect(basename(one.root)).toMatch(/^build-scan-push-[A-Za-z0-9]{6}$/)
    expect(one.root).not.toBe(two.root)
    expect(one.marker).toMatch(/^[0-9a-f]{64}$/)
    expect(one.marker).not.toBe(two.marker)
    expect(await readFile(join(one.root, WORKSPACE_MARKER), 'utf8')).toBe(one.marker)
    expect((await stat(join(one.root, WORKSPACE_MARKER))).mode & 0o777).toBe(0o600)
    expect(one.dockerConfig).toBe(join(one.root, DOCKER_CONFIG_DIR))
  })

  test('cli-plugins is the step’s own directory, linking each of the user’s plugins; buildx is linked whole', async () => {
    const user = env.DOCKER_CONFIG ?? ''
    await mkdir(join(user, 'cli-plugins'), { recursive: true })
    await mkdir(join(user, 'buildx'))
    await writeFile(join(user, 'cli-plugins', 'docker-buildx'), '#!/bin/sh\n')
    const workspace = await createWorkspace(env, [])
    const plugins = join(workspace.dockerConfig, 'cli-plugins')
    expect((await lstat(plugins)).isDirectory()).toBe(true)
    expect((await stat(plugins)).mode & 0o777).toBe(0o700)
    expect(await readlink(join(plugins, 'docker-buildx'))).toBe(join(user, 'cli-plugins', 'docker-buildx'))
    expect(await readlink(join(workspace.dockerConfig, 'buildx'))).toBe(join(user, 'buildx'))
    // What the step adds there (the Scout plugin) stays out of the user's directory.
    await writeFile(join(plugins, 'docker-scout'), '')
    expect(await readdir(join(user, 'cli-plugins'))).toEqual(['docker-buildx'])
  })

  test('without user plugins the step still gets an empty cli-plugins of its own', async () => {
    const workspace = await createWorkspace(env, [])
    expect(await readdir(join(workspace.dockerConfig, 'cli-plugins'))).toEqual([])
  })

  test('what createWorkspace made is proven with its marker value, and only with it', async () => {
    const workspace = await createWorkspace(env, [])
    const parent = workspaceParent(env)
    expect(
      workspaceProblem(await readWorkspaceFacts(workspace.root, parent, workspace.marker)),
    ).toBeUndefined()
    const other = await createWorkspace(env, [])
    expect(workspaceProblem(await readWorkspaceFacts(workspace.root, parent, other.marker))).toBe(
      'its marker does not hold the value the main step saved',
    )
  })

  test('a symbolic link to the directory is not the directory', async () => {
    const workspace = await createWorkspace(env, [])
    const link = join(runnerTemp, 'build-scan-push-link')
    await symlink(workspace.root, link)
    const facts = await readWorkspaceFacts(link, runnerTemp, workspace.marker)
    expect(facts.kind).toBe('symbolic link')
    expect(workspaceProblem(facts)).toBe('it is a symbolic link')
  })

  test('a marker that is a symbolic link is no marker, whatever it points to', async () => {
    const dir = join(runnerTemp, 'build-scan-push-forged')
    await mkdir(dir)
    await writeFile(join(runnerTemp, 'value'), 'f00d')
    await symlink(join(runnerTemp, 'value'), join(dir, WORKSPACE_MARKER))
    const facts = await readWorkspaceFacts(dir, runnerTemp, 'f00d')
    expect(facts.marker).toBeUndefined()
    expect(workspaceProblem(facts)).toContain('it holds no marker file')
  })

  test('a file, and nothing at all, are read as such', async () => {
    await writeFile(join(runnerTemp, 'build-scan-push-file'), 'f00d')
    expect(
      (await readWorkspaceFacts(join(runnerTemp, 'build-scan-push-file'), runnerTemp, 'f00d')).kind,
    ).toBe('not a directory')
    expect(
      (await readWorkspaceFacts(join(runnerTemp, 'build-scan-push-gone'), runnerTemp, 'f00d')).kind,
    ).toBe('missing')
  })

  test('RUNNER_TEMP unset: the system temp directory', () => {
    expect(workspaceParent({})).toBe(resolve(tmpdir()))
  })
})

test('logout: false keeps the isolated docker config and deletes the rest', () => {
  expect(
    deletedWhenKeepingLogins([
      '.build-scan-push-marker',
      'docker-config',
      'secrets',
      'oci-layout',
      'buildx-metadata.json',
    ]),
  ).toEqual(['.build-scan-push-marker', 'secrets', 'oci-layout', 'buildx-metadata.json'])
})
