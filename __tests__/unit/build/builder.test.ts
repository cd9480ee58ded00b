import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import {
  builderProblem,
  checkBuilder,
  dockerArch,
  emulatorProblem,
  missingEmulators,
} from '../../../src/builder.js'
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

describe('QEMU', () => {
  const none = (): boolean => false
  test('a foreign architecture without a binfmt handler is missing; native ones never are', () => {
    expect(missingEmulators(['linux/amd64', 'linux/386', 'linux/arm64'], 'amd64', none)).toEqual([
      'linux/arm64',
    ])
    expect(missingEmulators(['linux/arm64', 'linux/arm/v7', 'linux/amd64'], 'arm64', none)).toEqual([
      'linux/amd64',
    ])
  })

  test('a registered handler, by its QEMU name, satisfies the platform', () => {
    const asked: string[] = []
    const has = (name: string): boolean => {
      asked.push(name)
      return name === 'aarch64'
    }
    expect(missingEmulators(['linux/arm64', 'linux/s390x', 'linux/ppc64le'], 'amd64', has)).toEqual([
      'linux/s390x',
      'linux/ppc64le',
    ])
    expect(asked).toEqual(['aarch64', 's390x', 'ppc64le'])
  })

  test('the message names the platforms, the handlers and the fix', () => {
    expect(emulatorProblem([], 'amd64')).toBeUndefined()
    expect(emulatorProblem(['linux/arm64'], 'amd64')).toBe(
      'Input "platforms": linux/arm64 cannot run on this amd64 host: no QEMU handler (qemu-aarch64) is ' +
        'registered in /proc/sys/fs/binfmt_misc. Add docker/setup-qemu-action before this step, or build ' +
        'only the native platform.',
    )
  })

  test("node's architecture names map to docker's", () => {
    expect([dockerArch('x64'), dockerArch('arm64'), dockerArch('ia32')]).toEqual(['amd64', 'arm64', '386'])
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
