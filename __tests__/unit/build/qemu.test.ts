import { dockerArch, emulatorProblem, missingEmulators } from '../../../src/qemu.js'

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
