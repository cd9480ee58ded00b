// What the build inputs name on the runner's disk and in its environment, checked before anything
// runs: the pure decisions on data, the adapter on a temporary directory.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {
  checkLocalBuildPaths,
  isRemoteContext,
  localBuildPaths,
  unsetSecretEnvs,
} from '../../../src/build/local-files.js'
import { readBuildInputs, type BuildInputs } from '../../../src/build/inputs.js'

const build = (inputs: Record<string, string>): BuildInputs =>
  readBuildInputs((name) => inputs[name] ?? '').inputs

test.each([
  ['https://github.com/acme/app.git#main', true],
  ['http://example.com/context.tar.gz', true],
  ['git://example.com/acme/app', true],
  ['ssh://git@example.com/acme/app.git', true],
  ['git@github.com:acme/app.git', true],
  ['github.com/acme/app', true],
  ['example.com/acme/app.git#v1:sub', true],
  ['.', false],
  ['./app', false],
  ['/home/runner/work/app', false],
  ['app.git', false],
  ['./vendor/lib.git', false],
])('context %j is remote: %s', (context, remote) => {
  expect(isRemoteContext(context)).toBe(remote)
})

test('a local context names its directory, its Dockerfile and every secret file', () => {
  expect(
    localBuildPaths(build({ context: 'app', 'secret-files': 'npm=.npmrc\naws=/home/runner/.aws' })),
  ).toEqual([
    { input: 'context', path: 'app', kind: 'directory' },
    { input: 'file', path: path.join('app', 'Dockerfile'), kind: 'file', defaultDockerfile: true },
    { input: 'secret-files', path: '.npmrc', kind: 'file' },
    { input: 'secret-files', path: '/home/runner/.aws', kind: 'file' },
  ])
  expect(localBuildPaths(build({ file: 'docker/Dockerfile.prod' }))).toEqual([
    { input: 'context', path: '.', kind: 'directory' },
    { input: 'file', path: 'docker/Dockerfile.prod', kind: 'file' },
  ])
})

test('a remote context is not on the disk; only an absolute file is read from the runner, as buildx does', () => {
  const remote = 'https://github.com/acme/app.git'
  expect(localBuildPaths(build({ context: remote }))).toEqual([])
  expect(localBuildPaths(build({ context: remote, file: 'Dockerfile.ci' }))).toEqual([])
  expect(localBuildPaths(build({ context: remote, file: '/tmp/Dockerfile' }))).toEqual([
    { input: 'file', path: '/tmp/Dockerfile', kind: 'file' },
  ])
})

test('a local build-contexts directory is on the disk; images, URLs, OCI layouts and stages are not', () => {
  const contexts = [
    'shared=../shared',
    'alpine=docker-image://alpine:3.20',
    'repo=https://github.com/acme/lib.git#main',
    'layout=oci-layout:///tmp/layout@sha256:' + 'a'.repeat(64),
    'base=target:base',
  ].join('\n')
  expect(
    localBuildPaths(build({ 'build-contexts': contexts })).filter(
      (local) => local.input === 'build-contexts',
    ),
  ).toEqual([{ input: 'build-contexts', path: '../shared', kind: 'directory' }])
})

test('secret-envs whose variable is unset are found; a variable set to "" counts as set (a fork gets empty secrets)', () => {
  const secretEnvs = build({ 'secret-envs': 'a=SET\nb=EMPTY\nc=UNSET' }).secretEnvs
  expect(unsetSecretEnvs(secretEnvs, { SET: 'x', EMPTY: '' })).toEqual([{ key: 'c', value: 'UNSET' }])
})

describe('checkLocalBuildPaths on the disk', () => {
  let work: string
  beforeAll(() => {
    work = mkdtempSync(path.join(os.tmpdir(), 'bsp-local-files-'))
    mkdirSync(path.join(work, 'app'))
    writeFileSync(path.join(work, 'app', 'Dockerfile'), 'FROM scratch\n')
    mkdirSync(path.join(work, 'lower'))
    writeFileSync(path.join(work, 'lower', 'dockerfile'), 'FROM scratch\n')
    mkdirSync(path.join(work, 'empty'))
    writeFileSync(path.join(work, '.npmrc'), 'token\n')
  })
  afterAll(() => rmSync(work, { recursive: true, force: true }))

  const check = (inputs: Record<string, string>) => checkLocalBuildPaths(build(inputs), work)

  test('what exists passes, a lower-case dockerfile included', async () => {
    await expect(check({ context: 'app', 'secret-files': 'npm=.npmrc' })).resolves.toBeUndefined()
    await expect(check({ context: 'lower' })).resolves.toBeUndefined()
    await expect(check({ context: 'app', file: 'app/Dockerfile' })).resolves.toBeUndefined()
    await expect(check({ context: 'app', 'build-contexts': 'lib=empty' })).resolves.toBeUndefined()
  })

  test.each([
    [{ context: 'nope' }, `Input "context": nope (${path.join('WORK', 'nope')}) does not exist`],
    [{ context: '.npmrc' }, `Input "context": .npmrc (${path.join('WORK', '.npmrc')}) is not a directory`],
    [
      { context: 'empty' },
      `Input "file": the context empty has no Dockerfile (${path.join('WORK', 'empty', 'Dockerfile')}); name one in "file"`,
    ],
    [
      { context: 'app', file: 'Dockerfile.nope' },
      `Input "file": Dockerfile.nope (${path.join('WORK', 'Dockerfile.nope')}) does not exist`,
    ],
    [{ context: 'app', file: 'app' }, `Input "file": app (${path.join('WORK', 'app')}) is not a file`],
    [
      { context: 'app', 'secret-files': 'npm=.npmrc\naws=.aws/credentials' },
      `Input "secret-files": .aws/credentials (${path.join('WORK', '.aws', 'credentials')}) does not exist`,
    ],
    [
      { context: 'app', 'build-contexts': 'lib=vendor/lib' },
      `Input "build-contexts": vendor/lib (${path.join('WORK', 'vendor', 'lib')}) does not exist`,
    ],
  ])('%o fails naming the input', async (inputs, message) => {
    await expect(check(inputs)).rejects.toThrow(message.replaceAll('WORK', work))
  })
})
