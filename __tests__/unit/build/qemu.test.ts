import {
  DEFAULT_QEMU_IMAGE,
  dockerArch,
  emulatorProblem,
  installFailure,
  missingEmulators,
  planEmulators,
  qemuInstallArgv,
  readQemuInputs,
  stillMissingProblem,
  type QemuInputs,
} from '../../../src/build/qemu.js'

// What `docker run --rm --privileged docker.io/tonistiigi/binfmt:latest --install riscv64` printed
// on the sandbox engine, which has no route to Docker Hub (exit 125).
const OFFLINE_STDERR = `Unable to find image 'tonistiigi/binfmt:latest' locally
docker: Error response from daemon: failed to resolve reference "docker.io/tonistiigi/binfmt:latest": failed to do request: Head "https://registry-1.docker.io/v2/tonistiigi/binfmt/manifests/latest": dial tcp: lookup registry-1.docker.io on 10.255.255.53:53: no such host

Run 'docker run --help' for more information
`
// The same with an image the sandbox registry has, which pulled and then could not start (exit 127).
const PULLED_THEN_FAILED_STDERR = `Unable to find image 'localhost:5000/e2e/qemu-capture:pulled' locally
pulled: Pulling from e2e/qemu-capture
Digest: sha256:e41324c7b652e20ae5336c8ee9f1036376d82325ca31d2002db258de8c7fa2c1
Status: Downloaded newer image for localhost:5000/e2e/qemu-capture:pulled
WARNING: IPv4 forwarding is disabled. Networking will not work.
docker: Error response from daemon: failed to create task for container: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: "--install": executable file not found in $PATH: unknown

Run 'docker run --help' for more information
`
// A name the sandbox registry does not have (exit 125).
const NOT_FOUND_STDERR = `Unable to find image 'localhost:5000/e2e/no-such-binfmt:latest' locally
docker: Error response from daemon: failed to resolve reference "localhost:5000/e2e/no-such-binfmt:latest": localhost:5000/e2e/no-such-binfmt:latest: not found

Run 'docker run --help' for more information
`

describe('QEMU', () => {
  const none = (): boolean => false
  const all = (): boolean => true
  const only =
    (...names: string[]) =>
    (name: string): boolean =>
      names.includes(name)
  const auto: QemuInputs = { setup: 'auto', image: DEFAULT_QEMU_IMAGE }

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

  test('the message for setup-qemu false names the platforms, the handlers, the input and the fix', () => {
    expect(emulatorProblem([], 'amd64')).toBeUndefined()
    expect(emulatorProblem(['linux/arm64'], 'amd64')).toBe(
      'Input "platforms": linux/arm64 cannot run on this amd64 host: no QEMU handler (qemu-aarch64) is ' +
        'registered in /proc/sys/fs/binfmt_misc, and input "setup-qemu" is false. Set setup-qemu to auto to ' +
        'let this action install it, register QEMU before this step, or build only the native platform.',
    )
  })

  test("node's architecture names map to docker's", () => {
    expect([dockerArch('x64'), dockerArch('arm64'), dockerArch('ia32')]).toEqual(['amd64', 'arm64', '386'])
  })

  describe('inputs', () => {
    test('empty inputs mean auto and docker/setup-qemu-action’s image', () => {
      expect(readQemuInputs('', '')).toEqual({ setup: 'auto', image: 'docker.io/tonistiigi/binfmt:latest' })
      expect(readQemuInputs(' FALSE ', ' registry.example.com/mirror/binfmt:qemu-v9 ')).toEqual({
        setup: 'false',
        image: 'registry.example.com/mirror/binfmt:qemu-v9',
      })
      expect(readQemuInputs('True', '').setup).toBe('true')
    })

    test('any other setup-qemu value is refused, naming the input and the allowed values', () => {
      expect(() => readQemuInputs('yes', '')).toThrow(
        'Input "setup-qemu": expected "auto", "true" or "false", got "yes"',
      )
    })

    test('qemu-image must be an image reference, so docker never reads it as an option', () => {
      expect(() => readQemuInputs('auto', '--volume=/:/host')).toThrow(
        /^Input "qemu-image": "--volume=\/:\/host": /,
      )
      expect(() => readQemuInputs('auto', 'Tonistiigi/Binfmt')).toThrow(/^Input "qemu-image": /)
    })
  })

  describe('plan', () => {
    const foreign = ['linux/amd64', 'linux/riscv64', 'linux/arm64']

    test('auto installs exactly the foreign architectures that lack a handler, once each', () => {
      const plan = planEmulators([...foreign, 'linux/arm/v7', 'linux/arm/v6'], auto, 'amd64', only('aarch64'))
      expect(plan).toEqual({
        install: ['riscv64', 'arm'],
        image: DEFAULT_QEMU_IMAGE,
        emulated: ['linux/riscv64', 'linux/arm64', 'linux/arm/v7', 'linux/arm/v6'],
        reason:
          'QEMU: installing riscv64, arm with docker.io/tonistiigi/binfmt:latest: no handler is registered ' +
          'for linux/riscv64, linux/arm/v7, linux/arm/v6',
      })
      expect(qemuInstallArgv(plan)).toEqual([
        'run',
        '--rm',
        '--privileged',
        'docker.io/tonistiigi/binfmt:latest',
        '--install',
        'riscv64,arm',
      ])
    })

    test('auto installs nothing when every foreign platform has a handler', () => {
      expect(planEmulators(foreign, auto, 'amd64', all)).toEqual({
        install: [],
        image: DEFAULT_QEMU_IMAGE,
        emulated: ['linux/riscv64', 'linux/arm64'],
        reason:
          'QEMU: nothing to install, linux/riscv64 (qemu-riscv64), linux/arm64 (qemu-aarch64) already registered',
      })
    })

    test('native platforms need nothing, whatever is registered and whatever the mode but true', () => {
      for (const setup of ['auto', 'false'] as const) {
        const plan = planEmulators(['linux/amd64', 'linux/386'], { ...auto, setup }, 'amd64', none)
        expect(plan.install).toEqual([])
        expect(plan.emulated).toEqual([])
        expect(plan.reason).toBe('QEMU: not needed, no platform is foreign to this amd64 host')
      }
      expect(planEmulators(['linux/arm/v7'], auto, 'arm64', none).reason).toBe(
        'QEMU: not needed, no platform is foreign to this arm64 host',
      )
    })

    test('true installs every architecture the image has, even when nothing is missing or foreign', () => {
      const image = 'localhost:5000/mirror/binfmt:latest'
      for (const [platforms, has] of [
        [foreign, all],
        [foreign, none],
        [['linux/amd64'], none],
      ] as const) {
        const plan = planEmulators([...platforms], { setup: 'true', image }, 'amd64', has)
        expect(plan.install).toEqual(['all'])
        expect(plan.reason).toBe(`QEMU: installing every architecture ${image} provides (setup-qemu: true)`)
        expect(qemuInstallArgv(plan)).toEqual(['run', '--rm', '--privileged', image, '--install', 'all'])
      }
      expect(planEmulators(foreign, { setup: 'true', image }, 'amd64', all).emulated).toEqual([
        'linux/riscv64',
        'linux/arm64',
      ])
    })

    test('false fails on a missing handler, and is silent when none is missing', () => {
      const never: QemuInputs = { ...auto, setup: 'false' }
      expect(() => planEmulators(foreign, never, 'amd64', only('aarch64'))).toThrow(
        'Input "platforms": linux/riscv64 cannot run on this amd64 host: no QEMU handler (qemu-riscv64)',
      )
      expect(planEmulators(foreign, never, 'amd64', all).install).toEqual([])
    })

    test('on an arm64 host amd64 is the foreign one', () => {
      const plan = planEmulators(['linux/arm64', 'linux/amd64'], auto, 'arm64', none)
      expect(plan.install).toEqual(['amd64'])
      expect(plan.emulated).toEqual(['linux/amd64'])
    })
  })

  describe('installer failures', () => {
    const plan = planEmulators(['linux/amd64', 'linux/riscv64'], auto, 'amd64', none)

    test('no Docker Hub: one message naming the image, the input and both ways out', () => {
      expect(installFailure(plan, { exitCode: 125, stdout: '', stderr: OFFLINE_STDERR })).toBe(
        'QEMU setup: could not pull docker.io/tonistiigi/binfmt:latest (input "qemu-image") to install ' +
          'riscv64: Error response from daemon: failed to resolve reference "docker.io/tonistiigi/binfmt:latest": ' +
          'failed to do request: Head "https://registry-1.docker.io/v2/tonistiigi/binfmt/manifests/latest": ' +
          'dial tcp: lookup registry-1.docker.io on 10.255.255.53:53: no such host. Without access to that ' +
          'registry, set qemu-image to a copy of the image this runner can pull, or register QEMU yourself ' +
          '(Debian/Ubuntu: apt-get install qemu-user-static binfmt-support) and set setup-qemu to false. ' +
          'Nothing was built or pushed.',
      )
    })

    test('an image the registry does not have is a pull failure too', () => {
      const mirror = { ...plan, image: 'localhost:5000/e2e/no-such-binfmt:latest' }
      expect(installFailure(mirror, { exitCode: 125, stdout: '', stderr: NOT_FOUND_STDERR })).toMatch(
        /^QEMU setup: could not pull localhost:5000\/e2e\/no-such-binfmt:latest \(input "qemu-image"\) to install riscv64: Error response from daemon: failed to resolve reference ".*": .*: not found\. Without access/,
      )
    })

    test('an image that pulled but did not run is not called a pull failure', () => {
      expect(installFailure(plan, { exitCode: 127, stdout: '', stderr: PULLED_THEN_FAILED_STDERR })).toBe(
        'QEMU setup: docker run --rm --privileged docker.io/tonistiigi/binfmt:latest --install riscv64 failed ' +
          `(exit 127): ${PULLED_THEN_FAILED_STDERR.trim().split('\n').slice(-8).join('\n')}`,
      )
    })

    test('an installer that ran is no failure by itself: binfmt_misc is read again', () => {
      expect(
        installFailure(plan, { exitCode: 0, stdout: '{}', stderr: 'installing: riscv64 OK\n' }),
      ).toBeUndefined()
      expect(stillMissingProblem(plan, [])).toBeUndefined()
      expect(stillMissingProblem(plan, ['linux/riscv64'])).toBe(
        'QEMU setup: after docker run --rm --privileged docker.io/tonistiigi/binfmt:latest --install riscv64, ' +
          'linux/riscv64 still has no enabled handler (qemu-riscv64) in /proc/sys/fs/binfmt_misc; the ' +
          "installer's output is above. Register QEMU yourself (Debian/Ubuntu: apt-get install " +
          'qemu-user-static binfmt-support) and set setup-qemu to false, or build only the native platform.',
      )
    })
  })
})
