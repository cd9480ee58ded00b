import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { builderProblem, checkBuilder } from '../../../src/builder.js'
import { parseBuildxInspect, parseDockerInfo, type Capabilities } from '../../../src/capabilities.js'

describe('builderProblem', () => {
  test('the docker driver on the classic image store cannot export an OCI layout', () => {
    const problem = builderProblem({
      requested: '',
      driver: 'docker',
      containerdStore: false,
      platforms: ['linux/amd64', 'linux/arm64'],
    })
    expect(problem).toContain('The default builder uses the docker driver')
    expect(problem).toContain('containerd image store')
    expect(problem).toContain('multi-platform build (linux/amd64, linux/arm64)')
    expect(problem).toContain('"builder" input')
  })

  test('a single platform still needs the OCI export', () => {
    const problem = builderProblem({
      requested: 'mine',
      driver: 'docker',
      containerdStore: false,
      platforms: [],
    })
    expect(problem).toMatch(/^The builder "mine" .*an OCI layout export/)
  })

  test.each([
    ['docker', true],
    ['docker-container', false],
    ['kubernetes', false],
    ['remote', false],
  ])('driver %s with containerd store %s is fine', (driver, containerdStore) => {
    expect(
      builderProblem({ requested: '', driver, containerdStore, platforms: ['linux/amd64'] }),
    ).toBeUndefined()
  })
})

describe('checkBuilder on the probes recorded from the sandbox', () => {
  const fixture = (name: string): string =>
    readFileSync(join(import.meta.dirname, '..', 'capabilities', 'fixtures', name), 'utf8')
  const caps = (mode: string): Capabilities => ({
    engineReachable: true,
    imageStore: parseDockerInfo(fixture(`${mode}-docker-info.txt`)),
    builder: parseBuildxInspect(fixture(`${mode}-buildx-inspect.txt`)),
  })
  test('the containerd image store passes', () => {
    expect(checkBuilder(caps('containerd'), '', ['linux/amd64'])).toMatchObject({
      driver: 'docker',
      containerdStore: true,
    })
  })
  test('the classic image store fails the way buildx itself would', () => {
    // What buildx printed for a multi-platform OCI build in classic mode: the same remedy.
    expect(fixture('classic-multiplatform-oci-build.stderr.txt')).toContain(
      'turn on the containerd image store',
    )
    expect(() => checkBuilder(caps('classic'), '', ['linux/amd64', 'linux/arm64'])).toThrow(
      /docker driver on an engine without the containerd image store/,
    )
  })
  test('an unreachable engine comes first', () => {
    expect(() => checkBuilder({ engineReachable: false, engineError: 'x' }, '', [])).toThrow(
      /^No Docker engine is reachable \(x\)/,
    )
  })
  test('a builder buildx cannot inspect', () => {
    expect(() =>
      checkBuilder(
        { engineReachable: true, imageStore: 'containerd', builderError: 'no builder "b" found' },
        'b',
        [],
      ),
    ).toThrow('docker buildx cannot use builder "b": no builder "b" found')
  })
})
