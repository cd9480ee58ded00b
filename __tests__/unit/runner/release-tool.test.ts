import { expectedSha256, GO_MACHINE_NAMES, releaseMachine } from '../../../src/runner/release-tool.js'

// Installing from a release server is tested per tool, against a loopback server with that tool's
// asset names: __tests__/unit/scan/trivy-install.test.ts, scout-install.test.ts, sign/cosign-install.test.ts.

describe('checksums file', () => {
  const text =
    'aaaa000000000000000000000000000000000000000000000000000000000000  trivy_0.74.0_Linux-ARM64.tar.gz\n' +
    'BBBB000000000000000000000000000000000000000000000000000000000000  trivy_0.74.0_Linux-64bit.tar.gz\n' +
    'cccc000000000000000000000000000000000000000000000000000000000000 *trivy_0.74.0_macOS-64bit.tar.gz\n'

  test('finds the exact file name, lower-cased; sha256sum binary mode (*name) too', () => {
    expect(expectedSha256(text, 'trivy_0.74.0_Linux-64bit.tar.gz')).toBe(`bbbb${'0'.repeat(60)}`)
    expect(expectedSha256(text, 'trivy_0.74.0_macOS-64bit.tar.gz')).toBe(`cccc${'0'.repeat(60)}`)
  })

  test('a missing file is an error naming it and the checksums file; a prefix does not match', () => {
    expect(() => expectedSha256(text, 'trivy_0.74.0_Linux-64bit.tar', 'trivy_0.74.0_checksums.txt')).toThrow(
      'trivy_0.74.0_checksums.txt has no sha256 for trivy_0.74.0_Linux-64bit.tar',
    )
  })

  test('two different sums for one file are refused', () => {
    const twice = `${text}${'d'.repeat(64)}  trivy_0.74.0_Linux-64bit.tar.gz\n`
    expect(() => expectedSha256(twice, 'trivy_0.74.0_Linux-64bit.tar.gz')).toThrow('conflicting sha256')
    const same = `${text}${'b'.repeat(4)}${'0'.repeat(60)}  trivy_0.74.0_Linux-64bit.tar.gz\n`
    expect(expectedSha256(same, 'trivy_0.74.0_Linux-64bit.tar.gz')).toBe(`bbbb${'0'.repeat(60)}`)
  })
})

describe('releaseMachine', () => {
  const trivyNames = { linux: 'Linux', darwin: 'macOS', x64: '64bit', arm64: 'ARM64' }

  test.each([
    ['linux', 'x64', { os: 'linux', arch: 'amd64' }],
    ['darwin', 'arm64', { os: 'darwin', arch: 'arm64' }],
  ] as const)('%s/%s in Go names', (platform, arch, expected) => {
    expect(releaseMachine('cosign', GO_MACHINE_NAMES, platform, arch)).toEqual(expected)
  })

  test("a release's own spelling", () => {
    expect(releaseMachine('Trivy', trivyNames, 'darwin', 'x64')).toEqual({ os: 'macOS', arch: '64bit' })
  })

  test.each([
    ['win32', 'x64'],
    ['linux', 's390x'],
    ['freebsd', 'arm64'],
  ] as const)('%s/%s is refused, naming the tool and the machine', (platform, arch) => {
    expect(() => releaseMachine('Docker Scout', GO_MACHINE_NAMES, platform, arch)).toThrow(
      `Docker Scout is installed for linux and macOS on x64 and arm64 only, not ${platform}/${arch}`,
    )
  })
})
