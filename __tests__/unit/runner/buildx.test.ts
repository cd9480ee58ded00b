// Where buildx is run from: the plugin binary where the docker CLI would find it, else `docker buildx`.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { buildxArgs, findBuildx, pluginDirs } from '../../../src/runner/buildx.js'
import { firstExecutable } from '../../../src/runner/tool.js'

const SYSTEM = [
  '/usr/local/lib/docker/cli-plugins',
  '/usr/local/libexec/docker/cli-plugins',
  '/usr/lib/docker/cli-plugins',
  '/usr/libexec/docker/cli-plugins',
]

describe('pluginDirs: the docker CLI order', () => {
  test('the config directory, then the system directories', () => {
    expect(pluginDirs('/home/u/.docker', undefined)).toEqual(['/home/u/.docker/cli-plugins', ...SYSTEM])
  })
  test("config.json's cliPluginsExtraDirs come first, in their order; anything else there is ignored", () => {
    expect(pluginDirs('/c', { cliPluginsExtraDirs: ['/x', 7, '/y'], auths: {} })).toEqual([
      '/x',
      '/y',
      '/c/cli-plugins',
      ...SYSTEM,
    ])
    expect(pluginDirs('/c', { cliPluginsExtraDirs: '/x' })).toEqual(['/c/cli-plugins', ...SYSTEM])
    expect(pluginDirs('/c', null)).toEqual(['/c/cli-plugins', ...SYSTEM])
  })
})

describe('findBuildx and firstExecutable, on directories of their own', () => {
  let dir: string
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'bsp-buildx-'))
  })
  afterEach(() => rmSync(dir, { recursive: true, force: true }))

  function file(at: string, mode: number): string {
    mkdirSync(path.dirname(at), { recursive: true })
    writeFileSync(at, '#!/bin/sh\n')
    chmodSync(at, mode)
    return at
  }

  test('the plugin in the user config (DOCKER_CONFIG) is run itself, with no leading "buildx"', () => {
    const config = path.join(dir, 'config')
    const plugin = file(path.join(config, 'cli-plugins', 'docker-buildx'), 0o755)
    const buildx = findBuildx('/usr/bin/docker', { DOCKER_CONFIG: config })
    expect(buildx).toEqual({ file: plugin, prefix: [] })
    expect(buildxArgs(buildx, ['build', '.'])).toEqual(['build', '.'])
  })

  test('an extra directory config.json names wins over the config directory', () => {
    const config = path.join(dir, 'config')
    file(path.join(config, 'cli-plugins', 'docker-buildx'), 0o755)
    const extra = file(path.join(dir, 'extra', 'docker-buildx'), 0o755)
    writeFileSync(
      path.join(config, 'config.json'),
      JSON.stringify({ cliPluginsExtraDirs: [path.dirname(extra)] }),
    )
    expect(findBuildx('/usr/bin/docker', { DOCKER_CONFIG: config }).file).toBe(extra)
  })

  test('a config.json that is not JSON leaves the usual directories', () => {
    const config = path.join(dir, 'config')
    const plugin = file(path.join(config, 'cli-plugins', 'docker-buildx'), 0o755)
    writeFileSync(path.join(config, 'config.json'), '{ not json')
    expect(findBuildx('/usr/bin/docker', { DOCKER_CONFIG: config }).file).toBe(plugin)
  })

  test('firstExecutable skips a file that is not executable and an empty entry', () => {
    const a = path.join(dir, 'a')
    const b = path.join(dir, 'b')
    file(path.join(a, 'docker-buildx'), 0o644)
    const wanted = file(path.join(b, 'docker-buildx'), 0o755)
    expect(firstExecutable(['', a, b], 'docker-buildx')).toBe(wanted)
    expect(firstExecutable([a, path.join(dir, 'none')], 'docker-buildx')).toBeUndefined()
  })
})

test('through docker, buildx arguments follow "buildx"', () => {
  expect(buildxArgs({ file: '/usr/bin/docker', prefix: ['buildx'] }, ['rm', 'b1'])).toEqual([
    'buildx',
    'rm',
    'b1',
  ])
})
