import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import {
  engineFrom,
  engineProblem,
  parseBuildxInspect,
  parseDockerInfo,
  parseDockerVersion,
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
  test.each(['containerd', 'classic'])('%s mode: the default builder', (mode) => {
    const builder = parseBuildxInspect(fixture(`${mode}-buildx-inspect.txt`))
    expect(builder.name).toBe('default')
    expect(builder.driver).toBe('docker')
    expect(builder.platforms).toContain('linux/amd64')
    expect(builder.platforms).toContain('linux/arm64')
    expect(builder.platforms.every((platform) => /^linux\/[a-z0-9]+(\/v\d)?$/.test(platform))).toBe(true)
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
  ])('%s mode, as recorded: every answer in its place', (mode, store) => {
    const caps = withProbes(engineFrom(ok(`${mode}-docker-version.txt`)), recorded(mode))
    expect(caps).toEqual({
      engineReachable: true,
      clientVersion: '28.2.2',
      serverVersion: '26.1.5+dfsg1',
      imageStore: store,
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

  test('a recorded docker info without buildx: the failed inspect says why, the rest as recorded', () => {
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

  test('failed probes keep their reasons; the others still count', () => {
    const engine = engineFrom(ok('containerd-docker-version.txt'))
    const caps = withProbes(engine, {
      info: failed('permission denied while trying to connect'),
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
