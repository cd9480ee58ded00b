// Installing the Docker Scout CLI plugin: release names, the checksum check, the tool cache, an
// installed plugin of the right version, and the link in the private DOCKER_CONFIG, against a
// loopback server serving a release shaped like docker/scout-cli's.
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

// Set before @actions/tool-cache is imported, as in trivy-install.test.ts.
const scratch = mkdtempSync(path.join(os.tmpdir(), 'bsp-scout-install-'))
process.env.RUNNER_TOOL_CACHE = path.join(scratch, 'tool-cache')
process.env.RUNNER_TEMP = path.join(scratch, 'runner-temp')
mkdirSync(process.env.RUNNER_TEMP, { recursive: true })
Object.assign(globalThis, {
  TEST_DOWNLOAD_TOOL_RETRY_MIN_SECONDS: 0,
  TEST_DOWNLOAD_TOOL_RETRY_MAX_SECONDS: 0,
})

const install = await import('../../../src/scan/scout-install.js')
const { DEFAULT_SCOUT_VERSION, parseScoutVersionInput } = await import('../../../src/scan/scout-version.js')
const tc = await import('@actions/tool-cache')

const FAKE_SCOUT = fileURLToPath(
  new URL('../../fake-scanners/docker-scout-replaying-recorded-reports', import.meta.url),
)
const VERSION = '1.23.0'
const ASSET = install.scoutAssetName(VERSION)
const CHECKSUMS = `docker-scout_${VERSION}_checksums.txt`

/** A release archive shaped like docker/scout-cli's: docker-scout, LICENSE and README.md at the top. */
function releaseTarball(reports = VERSION): Buffer {
  const dir = mkdtempSync(path.join(scratch, 'release-'))
  const metadata = JSON.stringify({ SchemaVersion: '0.1.0', Vendor: 'Docker Inc.', Version: `v${reports}` })
  writeFileSync(
    path.join(dir, 'docker-scout'),
    `#!/bin/sh\n[ "$1" = docker-cli-plugin-metadata ] && echo '${metadata}'\n`,
  )
  chmodSync(path.join(dir, 'docker-scout'), 0o755)
  writeFileSync(path.join(dir, 'LICENSE'), 'Docker Subscription Service Agreement\n')
  writeFileSync(path.join(dir, 'README.md'), '# scout\n')
  const tarball = path.join(scratch, `${path.basename(dir)}.tar.gz`)
  execFileSync('tar', ['-czf', tarball, '-C', dir, 'docker-scout', 'LICENSE', 'README.md'])
  return readFileSync(tarball)
}

const sha256 = (bytes: Buffer | string): string => createHash('sha256').update(bytes).digest('hex')

let server: Server
let baseUrl: string
let routes: Record<string, Buffer | string> = {}

beforeAll(async () => {
  server = createServer((req, res) => {
    const body = routes[req.url ?? '']
    if (body === undefined) res.writeHead(404).end('Not Found')
    else res.writeHead(200, { 'Content-Length': Buffer.byteLength(body) }).end(body)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/docker/scout-cli/releases/download`
})

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve))
  rmSync(scratch, { recursive: true, force: true })
})

let dockerConfig: string
beforeEach(() => {
  routes = {}
  rmSync(process.env.RUNNER_TOOL_CACHE!, { recursive: true, force: true })
  dockerConfig = mkdtempSync(path.join(scratch, 'private-config-'))
  mkdirSync(path.join(dockerConfig, 'cli-plugins'))
})

function serve(file: string, body: Buffer | string): void {
  routes[`/docker/scout-cli/releases/download/v${VERSION}/${file}`] = body
}

function options(extra: Partial<Parameters<typeof install.installScout>[0]> = {}) {
  return { version: VERSION, dockerConfig, baseUrl, pluginDirs: [], ...extra }
}

describe('release names (install.sh of docker/scout-cli)', () => {
  test.each([
    ['linux', 'x64', 'docker-scout_1.23.0_linux_amd64.tar.gz'],
    ['linux', 'arm64', 'docker-scout_1.23.0_linux_arm64.tar.gz'],
    ['darwin', 'arm64', 'docker-scout_1.23.0_darwin_arm64.tar.gz'],
  ] as const)('%s/%s → %s', (platform, arch, name) => {
    expect(install.scoutAssetName('1.23.0', platform, arch)).toBe(name)
  })

  test('other machines are refused by name', () => {
    expect(() => install.scoutAssetName('1.23.0', 'win32', 'x64')).toThrow('win32/x64')
  })

  test('the checksums file sits beside the archive under the v-prefixed tag', () => {
    expect(install.scoutReleaseUrls('1.23.0', 'docker-scout_1.23.0_linux_amd64.tar.gz')).toEqual({
      archive:
        'https://github.com/docker/scout-cli/releases/download/v1.23.0/docker-scout_1.23.0_linux_amd64.tar.gz',
      checksums:
        'https://github.com/docker/scout-cli/releases/download/v1.23.0/docker-scout_1.23.0_checksums.txt',
    })
  })
})

test('scout-version: empty is the pinned default', () => {
  expect(parseScoutVersionInput('')).toBe(DEFAULT_SCOUT_VERSION)
  expect(() => parseScoutVersionInput('latest')).toThrow('Input "scout-version"')
})

test('plugin metadata: the Version field, v prefix or not; anything else is no version', () => {
  expect(install.parsePluginMetadata('{"SchemaVersion":"0.1.0","Version":"v1.23.0"}')).toBe('1.23.0')
  expect(install.parsePluginMetadata('{"Version":"1.20.4"}')).toBe('1.20.4')
  expect(install.parsePluginMetadata('{"Version":"dev"}')).toBeUndefined()
  expect(install.parsePluginMetadata('docker: unknown command')).toBeUndefined()
})

test('downloads, checks the sha256, caches, and links the plugin into the private config only', async () => {
  const tarball = releaseTarball()
  serve(
    CHECKSUMS,
    `${sha256('other')}  docker-scout_1.23.0_darwin_arm64.tar.gz\n${sha256(tarball)}  ${ASSET}\n`,
  )
  serve(ASSET, tarball)
  const installed = await install.installScout(options())
  expect(installed.source).toBe('download')
  expect(installed.plugin).toBe(path.join(dockerConfig, 'cli-plugins', 'docker-scout'))
  expect(lstatSync(installed.plugin).isSymbolicLink()).toBe(true)
  expect(readlinkSync(installed.plugin)).toBe(path.join(tc.find('docker-scout', VERSION), 'docker-scout'))
  // The second time, the tool cache serves it without a download.
  routes = {}
  expect((await install.installScout(options())).source).toBe('tool-cache')
})

test('an archive whose sha256 differs from the checksums file is refused before it is unpacked', async () => {
  const tarball = releaseTarball()
  serve(CHECKSUMS, `${sha256('something else')}  ${ASSET}\n`)
  serve(ASSET, tarball)
  await expect(install.installScout(options())).rejects.toThrow(
    /Refusing docker-scout_1.23.0_.*: its sha256 is/,
  )
  expect(tc.find('docker-scout', VERSION)).toBe('')
  expect(existsSync(path.join(dockerConfig, 'cli-plugins', 'docker-scout'))).toBe(false)
})

test('no checksums file: nothing is downloaded or run', async () => {
  serve(ASSET, releaseTarball())
  await expect(install.installScout(options())).rejects.toThrow(
    `Cannot download ${baseUrl}/v${VERSION}/${CHECKSUMS}: HTTP 404`,
  )
})

test('an archive holding another version is refused', async () => {
  const tarball = releaseTarball('1.20.0')
  serve(CHECKSUMS, `${sha256(tarball)}  ${ASSET}\n`)
  serve(ASSET, tarball)
  await expect(install.installScout(options())).rejects.toThrow('reports version 1.20.0, not 1.23.0')
})

test('an installed plugin of the same version is used; of another version it is not', async () => {
  const userPlugins = mkdtempSync(path.join(scratch, 'user-plugins-'))
  symlinkSync(FAKE_SCOUT, path.join(userPlugins, 'docker-scout'))
  // The private config links the user's plugins one by one (createWorkspace): replacing the link
  // must not touch the user's file.
  symlinkSync(path.join(userPlugins, 'docker-scout'), path.join(dockerConfig, 'cli-plugins', 'docker-scout'))
  const found = await install.installScout(options({ pluginDirs: [userPlugins] }))
  expect(found.source).toBe('installed')
  expect(readlinkSync(found.plugin)).toBe(path.join(userPlugins, 'docker-scout'))

  process.env.FAKE_SCOUT_VERSION = '1.17.0'
  try {
    const tarball = releaseTarball()
    serve(CHECKSUMS, `${sha256(tarball)}  ${ASSET}\n`)
    serve(ASSET, tarball)
    const downloaded = await install.installScout(options({ pluginDirs: [userPlugins] }))
    expect(downloaded.source).toBe('download')
  } finally {
    delete process.env.FAKE_SCOUT_VERSION
  }
  expect(readlinkSync(path.join(userPlugins, 'docker-scout'))).toBe(FAKE_SCOUT)
})

test("a private cli-plugins that is a link (to the user's directory) is never written through", async () => {
  const userPlugins = mkdtempSync(path.join(scratch, 'user-plugins-'))
  rmSync(path.join(dockerConfig, 'cli-plugins'), { recursive: true })
  symlinkSync(userPlugins, path.join(dockerConfig, 'cli-plugins'))
  const tarball = releaseTarball()
  serve(CHECKSUMS, `${sha256(tarball)}  ${ASSET}\n`)
  serve(ASSET, tarball)
  await expect(install.installScout(options())).rejects.toThrow('is a symbolic link')
  expect(existsSync(path.join(userPlugins, 'docker-scout'))).toBe(false)
})
