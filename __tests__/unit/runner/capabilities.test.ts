import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import {
  engineFrom,
  engineProblem,
  infoAnswered,
  parseBuildxInspect,
  parseBuildxPlugin,
  parseBuildxVersion,
  parseDockerInfo,
  parseDockerVersion,
  versionIn,
  withProbes,
  type ProbeResults,
} from '../../../src/runner/capabilities.js'

const fixture = (name: string): string => readFileSync(join(import.meta.dirname, 'fixtures', name), 'utf8')

describe('docker version', () => {
  test.each(['containerd', 'classic'])('%s mode: client and server versions', (mode) => {
    expect(parseDockerVersion(fixture(`${mode}-docker-version.txt`))).toEqual({
      clientVersion: '28.2.2',
      serverVersion: '26.1.5+dfsg1',
    })
  })
  test('an unreachable engine: client only ("Server":null)', () => {
    expect(parseDockerVersion(fixture('unreachable-docker-version.txt'))).toEqual({
      clientVersion: '28.2.2',
    })
  })
  test('no JSON at all', () => {
    expect(parseDockerVersion('')).toEqual({})
    expect(parseDockerVersion('Cannot connect')).toEqual({})
  })
})

describe('docker info', () => {
  test('the containerd snapshotter shows as the containerd image store', () => {
    expect(parseDockerInfo(fixture('containerd-docker-info.txt'))).toBe('containerd')
  })
  test('overlay2 without the snapshotter is the classic image store', () => {
    expect(parseDockerInfo(fixture('classic-docker-info.txt'))).toBe('classic')
  })
  test('not JSON', () => {
    expect(parseDockerInfo('oops')).toBeUndefined()
  })
})

describe('buildx', () => {
  test.each(['containerd', 'classic'])('%s mode: version and default builder', (mode) => {
    expect(parseBuildxVersion(fixture(`${mode}-buildx-version.txt`))).toBe('0.13.1')
    const builder = parseBuildxInspect(fixture(`${mode}-buildx-inspect.txt`))
    expect(builder.name).toBe('default')
    expect(builder.driver).toBe('docker')
    expect(builder.platforms).toContain('linux/amd64')
    expect(builder.platforms).toContain('linux/arm64')
    expect(builder.platforms.every((platform) => /^linux\/[a-z0-9]+(\/v\d)?$/.test(platform))).toBe(true)
  })
  test.each(['containerd', 'classic'])("%s mode: the version in docker info's plugin list", (mode) => {
    expect(parseBuildxPlugin(fixture(`${mode}-docker-info.txt`))).toBe('0.13.1')
  })
  test('no buildx plugin, or one the CLI could not run (listed with Err): no version', () => {
    expect(parseBuildxPlugin(fixture('no-buildx-docker-info.txt'))).toBeUndefined()
    expect(parseBuildxPlugin(fixture('broken-buildx-docker-info.txt'))).toBeUndefined()
    expect(
      parseBuildxPlugin('{"ClientInfo":{"Plugins":[{"Name":"scout","Version":"1.9.3"}]}}'),
    ).toBeUndefined()
    expect(parseBuildxPlugin('not JSON')).toBeUndefined()
  })
  test('the upstream version format', () => {
    expect(parseBuildxVersion('github.com/docker/buildx v0.36.1 1d7a4a1\n')).toBe('0.36.1')
  })
  test('platforms a builder was created with carry a star', () => {
    const text =
      'Name: b\nDriver: docker-container\n\nNodes:\nName: b0\nPlatforms: linux/amd64*, linux/arm64*, linux/386\n'
    expect(parseBuildxInspect(text)).toEqual({
      name: 'b',
      driver: 'docker-container',
      platforms: ['linux/amd64', 'linux/arm64', 'linux/386'],
    })
  })
})

test('versions are read from the first X.Y.Z of a version line', () => {
  expect(versionIn('0.13.1+ds1-3')).toBe('0.13.1')
  expect(versionIn('no version here')).toBeUndefined()
})

test('an unreachable engine gives one message naming the runners', () => {
  const stderr = fixture('unreachable-docker-version.stderr.txt').trim()
  expect(engineProblem({ engineReachable: false, engineError: stderr })).toBe(
    `No Docker engine is reachable (${stderr}): this action needs a runner with Docker, such as ` +
      'ubuntu-latest; ubuntu-slim has none',
  )
  expect(engineProblem({ engineReachable: true })).toBeUndefined()
})

describe('the probes combined', () => {
  const ok = (name: string) => ({ exitCode: 0, stdout: fixture(name), stderr: '' })
  const failed = (stderr: string) => ({ exitCode: 1, stdout: '', stderr })
  const recorded = (mode: string): ProbeResults => ({
    info: ok(`${mode}-docker-info.txt`),
    buildxInspect: ok(`${mode}-buildx-inspect.txt`),
  })

  test.each([
    ['containerd', 'containerd'],
    ['classic', 'classic'],
  ])('%s mode, as recorded: every answer in its place, buildx version from docker info', (mode, store) => {
    const caps = withProbes(engineFrom(ok(`${mode}-docker-version.txt`)), recorded(mode))
    expect(caps).toEqual({
      engineReachable: true,
      clientVersion: '28.2.2',
      serverVersion: '26.1.5+dfsg1',
      imageStore: store,
      buildxVersion: '0.13.1',
      builder: parseBuildxInspect(fixture(`${mode}-buildx-inspect.txt`)),
    })
  })

  test('an unreachable engine: its error, the client version, nothing probed', () => {
    const engine = engineFrom({
      exitCode: 1,
      stdout: fixture('unreachable-docker-version.txt'),
      stderr: fixture('unreachable-docker-version.stderr.txt'),
    })
    expect(engine).toEqual({
      engineReachable: false,
      engineError: fixture('unreachable-docker-version.stderr.txt').trim(),
      clientVersion: '28.2.2',
    })
  })

  test('a recorded docker info without buildx: no buildx version, the rest as recorded', () => {
    const caps = withProbes(engineFrom(ok('containerd-docker-version.txt')), {
      info: ok('no-buildx-docker-info.txt'),
      buildxInspect: failed('docker: unknown command: docker buildx'),
    })
    expect(caps).toEqual({
      engineReachable: true,
      clientVersion: '28.2.2',
      serverVersion: '26.1.5+dfsg1',
      imageStore: 'containerd',
      builderError: 'docker: unknown command: docker buildx',
    })
  })

  test('only a failed docker info needs buildx asked itself', () => {
    expect(infoAnswered(ok('containerd-docker-info.txt'))).toBe(true)
    expect(infoAnswered(ok('no-buildx-docker-info.txt'))).toBe(true)
    expect(infoAnswered(failed('permission denied while trying to connect'))).toBe(false)
    expect(infoAnswered({ exitCode: 0, stdout: 'not JSON', stderr: '' })).toBe(false)
  })

  test('a failed docker info: buildx version from buildx itself, not called missing', () => {
    const caps = withProbes(engineFrom(ok('containerd-docker-version.txt')), {
      info: failed('permission denied while trying to connect'),
      buildxInspect: ok('containerd-buildx-inspect.txt'),
      buildxVersion: ok('containerd-buildx-version.txt'),
    })
    expect(caps).toMatchObject({
      infoError: 'permission denied while trying to connect',
      buildxVersion: '0.13.1',
    })
  })

  test('failed probes keep their reasons; the others still count', () => {
    const engine = engineFrom(ok('containerd-docker-version.txt'))
    const caps = withProbes(engine, {
      info: failed('permission denied while trying to connect'),
      buildxVersion: failed("docker: 'buildx' is not a docker command."),
      buildxInspect: { exitCode: 1, stdout: '', stderr: '' },
    })
    expect(caps).toEqual({
      engineReachable: true,
      clientVersion: '28.2.2',
      serverVersion: '26.1.5+dfsg1',
      infoError: 'permission denied while trying to connect',
      builderError: 'docker buildx inspect exited with 1',
    })
  })
})
