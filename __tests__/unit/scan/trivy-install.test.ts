import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

// The tool cache and its temp dir live in a scratch folder; set before @actions/tool-cache is
// imported (4.0.0 reads them per call, older versions at load: setting them first suits both).
const scratch = mkdtempSync(path.join(os.tmpdir(), 'bsp-trivy-install-'))
process.env.RUNNER_TOOL_CACHE = path.join(scratch, 'tool-cache')
process.env.RUNNER_TEMP = path.join(scratch, 'runner-temp')
mkdirSync(process.env.RUNNER_TEMP, { recursive: true })
// downloadTool retries failed downloads after 10-20 s; no waiting in tests.
Object.assign(globalThis, {
  TEST_DOWNLOAD_TOOL_RETRY_MIN_SECONDS: 0,
  TEST_DOWNLOAD_TOOL_RETRY_MAX_SECONDS: 0,
})

const install = await import('../../../src/scan/trivy-install.js')
const version = await import('../../../src/scan/trivy-version.js')
const tc = await import('@actions/tool-cache')
const { InputError } = await import('../../../src/action/errors.js')

const FAKE_TRIVY = fileURLToPath(
  new URL('../../fake-scanners/trivy-replaying-recorded-reports', import.meta.url),
)
const VERSION = '0.74.0'
const ASSET = install.trivyAssetName(VERSION)
const CHECKSUMS = `trivy_${VERSION}_checksums.txt`

/** A release archive shaped like Trivy's: trivy, README.md, LICENSE, contrib/*.tpl at the top. */
function releaseTarball(reports = '0.74.0'): Buffer {
  const dir = mkdtempSync(path.join(scratch, 'release-'))
  writeFileSync(path.join(dir, 'trivy'), `#!/bin/sh\necho "Version: ${reports}"\n`)
  chmodSync(path.join(dir, 'trivy'), 0o755)
  writeFileSync(path.join(dir, 'README.md'), '# trivy\n')
  writeFileSync(path.join(dir, 'LICENSE'), 'Apache-2.0\n')
  mkdirSync(path.join(dir, 'contrib'))
  writeFileSync(path.join(dir, 'contrib', 'html.tpl'), '{{ . }}\n')
  const tarball = path.join(scratch, `${path.basename(dir)}.tar.gz`)
  execFileSync('tar', ['-czf', tarball, '-C', dir, 'trivy', 'README.md', 'LICENSE', 'contrib'])
  return readFileSync(tarball)
}

const sha256 = (bytes: Buffer | string): string => createHash('sha256').update(bytes).digest('hex')

type Route = (res: import('node:http').ServerResponse) => void
let server: Server
let baseUrl: string
let routes: Record<string, Route> = {}
const requests: string[] = []

beforeAll(async () => {
  server = createServer((req, res) => {
    requests.push(req.url ?? '')
    const route = routes[req.url ?? '']
    if (route) route(res)
    else res.writeHead(404).end('Not Found')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/aquasecurity/trivy/releases/download`
})

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve))
  rmSync(scratch, { recursive: true, force: true })
})

beforeEach(() => {
  routes = {}
  requests.length = 0
  rmSync(process.env.RUNNER_TOOL_CACHE!, { recursive: true, force: true })
})

function serve(url: string, body: Buffer | string): void {
  routes[`/aquasecurity/trivy/releases/download/v${VERSION}/${url}`] = (res) =>
    res
      .writeHead(200, {
        'Content-Type': 'application/octet-stream',
        'Content-Length': Buffer.byteLength(body),
      })
      .end(body)
}

function checksums(lines: Record<string, string>): string {
  return Object.entries(lines)
    .map(([file, hash]) => `${hash}  ${file}\n`)
    .join('')
}

const nothingCached = (): boolean => tc.find('trivy', VERSION) === ''
const runnerTempIsClean = (): boolean => readdirSync(process.env.RUNNER_TEMP!).length === 0

describe('release asset names (goreleaser.yml archives.name_template, v0.74.0)', () => {
  test.each([
    ['linux', 'x64', 'trivy_0.74.0_Linux-64bit.tar.gz'],
    ['linux', 'arm64', 'trivy_0.74.0_Linux-ARM64.tar.gz'],
    ['darwin', 'x64', 'trivy_0.74.0_macOS-64bit.tar.gz'],
    ['darwin', 'arm64', 'trivy_0.74.0_macOS-ARM64.tar.gz'],
  ] as const)('%s/%s → %s', (platform, arch, name) => {
    expect(install.trivyAssetName('0.74.0', platform, arch)).toBe(name)
  })

  test('other machines are refused by name', () => {
    expect(() => install.trivyAssetName('0.74.0', 'win32', 'x64')).toThrow('win32/x64')
    expect(() => install.trivyAssetName('0.74.0', 'linux', 's390x')).toThrow('linux/s390x')
  })

  test('release URLs put the v-prefixed tag before the asset and the checksums file', () => {
    expect(install.trivyReleaseUrls('0.74.0', 'trivy_0.74.0_Linux-64bit.tar.gz')).toEqual({
      archive:
        'https://github.com/aquasecurity/trivy/releases/download/v0.74.0/trivy_0.74.0_Linux-64bit.tar.gz',
      checksums: 'https://github.com/aquasecurity/trivy/releases/download/v0.74.0/trivy_0.74.0_checksums.txt',
    })
  })
})

describe('trivy-version input', () => {
  test('empty means the pinned default; a v prefix is accepted', () => {
    expect(version.parseTrivyVersionInput('')).toBe(version.DEFAULT_TRIVY_VERSION)
    expect(version.parseTrivyVersionInput(' v0.72.0 ')).toBe('0.72.0')
  })

  test.each(['latest', '0.74', '^0.74.0', '0.74.x', 'v0.74.0; rm -rf /'])(
    '"%s" is an InputError',
    (value) => {
      expect(() => version.parseTrivyVersionInput(value)).toThrow(InputError)
      expect(() => version.parseTrivyVersionInput(value)).toThrow('Input "trivy-version"')
    },
  )

  test.each(['0.69.4', 'v0.69.5', '0.69.6'])('compromised release %s is refused', (value) => {
    expect(() => version.parseTrivyVersionInput(value)).toThrow(/compromised.*GHSA-69fq-xp46-6x23/)
  })

  test('the default is not a compromised release', () => {
    expect(version.COMPROMISED_TRIVY_VERSIONS).not.toContain(version.DEFAULT_TRIVY_VERSION)
  })
})

describe('trivy --version output', () => {
  // The shape of types.VersionInfo.String (pkg/types/version.go at v0.74.0) with a DB cached, as
  // its test TestVersionInfo_String records it, with a release version instead of "dev".
  const withDb = `Version: 0.74.0
Vulnerability DB:
  Version: 2
  UpdatedAt: 2023-07-20 12:11:37.696263932 +0000 UTC
  NextUpdate: 2023-07-20 18:11:37.696263532 +0000 UTC
  DownloadedAt: 2023-07-25 07:01:41.239158 +0000 UTC
Java DB:
  Version: 1
  UpdatedAt: 2023-07-25 01:03:52.169192765 +0000 UTC
  NextUpdate: 2023-07-28 01:03:52.169192565 +0000 UTC
  DownloadedAt: 2023-07-25 09:37:48.906152 +0000 UTC
Check Bundle:
  Digest: sha256:829832357626da2677955e3b427191212978ba20012b6eaa03229ca28569ae43
  DownloadedAt: 2023-07-23 16:40:33.122462 +0000 UTC
`

  test('reads the top-level version, not the DB schema versions', () => {
    expect(install.parseTrivyVersionOutput(withDb)).toBe('0.74.0')
    expect(install.parseTrivyVersionOutput('Version: 0.72.0\n')).toBe('0.72.0')
  })

  test('a build from source ("dev") or other text has no version', () => {
    expect(install.parseTrivyVersionOutput('Version: dev\n')).toBeUndefined()
    expect(install.parseTrivyVersionOutput('trivy: command not found')).toBeUndefined()
  })
})

describe('installTrivy from a loopback release server', () => {
  test('a good archive is verified, extracted and cached; the next call uses the cache', async () => {
    const tarball = releaseTarball()
    serve(ASSET, tarball)
    serve(
      CHECKSUMS,
      checksums({ 'trivy_0.74.0_Linux-ARM64.tar.gz': sha256('other'), [ASSET]: sha256(tarball) }),
    )

    const installed = await install.installTrivy({ version: VERSION, baseUrl, ignorePath: true })
    expect(installed.source).toBe('download')
    expect(installed.binary).toBe(path.join(tc.find('trivy', VERSION), 'trivy'))
    expect(installed.binary.startsWith(process.env.RUNNER_TOOL_CACHE!)).toBe(true)
    expect(execFileSync(installed.binary, ['--version'], { encoding: 'utf8' })).toBe('Version: 0.74.0\n')
    expect(existsSync(path.join(path.dirname(installed.binary), 'contrib', 'html.tpl'))).toBe(true)
    expect(requests).toEqual([
      `/aquasecurity/trivy/releases/download/v0.74.0/${CHECKSUMS}`,
      expect.stringContaining(ASSET),
    ])
    expect(runnerTempIsClean()).toBe(true)

    requests.length = 0
    const again = await install.installTrivy({ version: VERSION, baseUrl, ignorePath: true })
    expect(again).toEqual({ ...installed, source: 'tool-cache' })
    expect(requests).toEqual([])
  })

  test('an archive whose sha256 differs is refused before extraction; nothing is cached', async () => {
    const tarball = releaseTarball()
    serve(ASSET, tarball)
    const wrong = sha256('not the archive')
    serve(CHECKSUMS, checksums({ [ASSET]: wrong }))

    const attempt = install.installTrivy({ version: VERSION, baseUrl, ignorePath: true })
    await expect(attempt).rejects.toThrow(
      `Refusing ${ASSET}: its sha256 is ${sha256(tarball)}, but ${CHECKSUMS} says ${wrong}`,
    )
    expect(nothingCached()).toBe(true)
    expect(runnerTempIsClean()).toBe(true)
  })

  test('an archive whose trivy reports another version is refused; nothing is cached', async () => {
    const tarball = releaseTarball('0.73.0')
    serve(ASSET, tarball)
    serve(CHECKSUMS, checksums({ [ASSET]: sha256(tarball) }))
    await expect(install.installTrivy({ version: VERSION, baseUrl, ignorePath: true })).rejects.toThrow(
      `${ASSET} holds a trivy that reports version 0.73.0, not 0.74.0`,
    )
    expect(nothingCached()).toBe(true)
    expect(runnerTempIsClean()).toBe(true)
  })

  test('a checksums file without our archive refuses the install', async () => {
    serve(ASSET, releaseTarball())
    serve(CHECKSUMS, checksums({ 'trivy_0.74.0_Linux-ARM64-other.tar.gz': sha256('x') }))
    await expect(install.installTrivy({ version: VERSION, baseUrl, ignorePath: true })).rejects.toThrow(
      `${CHECKSUMS} has no sha256 for ${ASSET}`,
    )
    expect(nothingCached()).toBe(true)
  })

  test('a release that does not exist (404) is a clear error naming the URL', async () => {
    await expect(install.installTrivy({ version: VERSION, baseUrl, ignorePath: true })).rejects.toThrow(
      `Cannot download ${baseUrl}/v0.74.0/${CHECKSUMS}: HTTP 404`,
    )
    serve(CHECKSUMS, checksums({ [ASSET]: sha256('x') }))
    await expect(install.installTrivy({ version: VERSION, baseUrl, ignorePath: true })).rejects.toThrow(
      `Cannot download ${baseUrl}/v0.74.0/${ASSET}: HTTP 404`,
    )
    expect(nothingCached()).toBe(true)
  })

  test('a download cut short (fewer bytes than Content-Length) is an error; nothing is cached', async () => {
    const tarball = releaseTarball()
    serve(CHECKSUMS, checksums({ [ASSET]: sha256(tarball) }))
    routes[`/aquasecurity/trivy/releases/download/v${VERSION}/${ASSET}`] = (res) => {
      res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': tarball.length })
      res.write(tarball.subarray(0, Math.floor(tarball.length / 2)), () => res.socket?.destroy())
    }
    await expect(install.installTrivy({ version: VERSION, baseUrl, ignorePath: true })).rejects.toThrow(
      new RegExp(`Cannot download ${baseUrl}/v0.74.0/${ASSET}: |Refusing ${ASSET}`),
    )
    expect(nothingCached()).toBe(true)
    expect(runnerTempIsClean()).toBe(true)
  })

  test('a trivy of the same version already on PATH is used without downloading', async () => {
    const bin = mkdtempSync(path.join(scratch, 'bin-'))
    symlinkSync(FAKE_TRIVY, path.join(bin, 'trivy'))
    process.env.FAKE_TRIVY_VERSION = '0.74.0'
    try {
      const installed = await install.installTrivy({ version: VERSION, baseUrl, searchPath: bin })
      expect(installed).toEqual({ binary: path.join(bin, 'trivy'), version: VERSION, source: 'installed' })
      expect(requests).toEqual([])

      // Another version on PATH is not used: the pinned release is downloaded instead.
      process.env.FAKE_TRIVY_VERSION = '0.73.0'
      const tarball = releaseTarball()
      serve(ASSET, tarball)
      serve(CHECKSUMS, checksums({ [ASSET]: sha256(tarball) }))
      const downloaded = await install.installTrivy({ version: VERSION, baseUrl, searchPath: bin })
      expect(downloaded.source).toBe('download')
    } finally {
      delete process.env.FAKE_TRIVY_VERSION
    }
  })
})
