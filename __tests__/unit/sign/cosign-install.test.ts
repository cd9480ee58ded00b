import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'

// The tool cache and its temp dir live in a scratch folder, set before @actions/tool-cache loads.
const scratch = mkdtempSync(path.join(os.tmpdir(), 'bsp-cosign-install-'))
process.env.RUNNER_TOOL_CACHE = path.join(scratch, 'tool-cache')
process.env.RUNNER_TEMP = path.join(scratch, 'runner-temp')
mkdirSync(process.env.RUNNER_TEMP, { recursive: true })
Object.assign(globalThis, {
  TEST_DOWNLOAD_TOOL_RETRY_MIN_SECONDS: 0,
  TEST_DOWNLOAD_TOOL_RETRY_MAX_SECONDS: 0,
})

const install = await import('../../../src/sign/cosign-install.js')
const tc = await import('@actions/tool-cache')

const VERSION = '2.6.4'
const ASSET = install.cosignAssetName()
const CHECKSUMS = 'cosign_checksums.txt'

/** A stand-in release binary: a script answering `version --json` as cosign's release-utils does. */
function releaseBinary(reports: string): string {
  return `#!/bin/sh\n# TEST DOUBLE, not cosign\necho '{"gitVersion": "${reports}", "gitTreeState": "clean"}'\n`
}
const sha256 = (bytes: string): string => createHash('sha256').update(bytes).digest('hex')

let server: Server
let baseUrl: string
let routes: Record<string, string> = {}
const requests: string[] = []

beforeAll(async () => {
  server = createServer((req, res) => {
    requests.push(req.url ?? '')
    const body = routes[req.url ?? '']
    if (body === undefined) res.writeHead(404).end('Not Found')
    else res.writeHead(200, { 'Content-Length': Buffer.byteLength(body) }).end(body)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/sigstore/cosign/releases/download`
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

function serve(file: string, body: string): void {
  routes[`/sigstore/cosign/releases/download/v${VERSION}/${file}`] = body
}

const noPath = path.join(scratch, 'empty-path')

describe('release names (.goreleaser.yml of v2.6.4)', () => {
  test.each([
    ['linux', 'x64', 'cosign-linux-amd64'],
    ['linux', 'arm64', 'cosign-linux-arm64'],
    ['darwin', 'arm64', 'cosign-darwin-arm64'],
  ] as const)('%s/%s → %s', (platform, arch, name) => {
    expect(install.cosignAssetName(platform, arch)).toBe(name)
  })

  test('the binary and the one checksums file of the v-prefixed tag', () => {
    expect(install.cosignReleaseUrls('2.6.4', 'cosign-linux-amd64')).toEqual({
      binary: 'https://github.com/sigstore/cosign/releases/download/v2.6.4/cosign-linux-amd64',
      checksums: 'https://github.com/sigstore/cosign/releases/download/v2.6.4/cosign_checksums.txt',
    })
  })

  test('cosign version --json: a release version, never "devel"', () => {
    expect(install.parseCosignVersionOutput('{"gitVersion": "v2.6.4"}')).toBe('2.6.4')
    expect(install.parseCosignVersionOutput('{"gitVersion": "devel"}')).toBeUndefined()
    expect(install.parseCosignVersionOutput('GitVersion: v2.6.4')).toBeUndefined()
  })
})

describe('installCosign from a loopback release server', () => {
  test('a binary matching the checksums is cached and runs; the next call uses the cache', async () => {
    const binary = releaseBinary('v2.6.4')
    serve(ASSET, binary)
    serve(CHECKSUMS, `${sha256('other')}  cosign-linux-s390x\n${sha256(binary)}  ${ASSET}\n`)
    const installed = await install.installCosign({ version: VERSION, baseUrl, searchPath: noPath })
    expect(installed.source).toBe('download')
    expect(installed.binary.startsWith(process.env.RUNNER_TOOL_CACHE!)).toBe(true)
    expect(execFileSync(installed.binary, ['version', '--json'], { encoding: 'utf8' })).toContain('v2.6.4')
    expect(requests).toEqual([expect.stringContaining(CHECKSUMS), expect.stringContaining(ASSET)])
    expect(readdirSync(process.env.RUNNER_TEMP!)).toEqual([])
    requests.length = 0
    expect(await install.installCosign({ version: VERSION, baseUrl, searchPath: noPath })).toEqual({
      ...installed,
      source: 'tool-cache',
    })
    expect(requests).toEqual([])
  })

  test('a binary whose sha256 differs is refused before it runs; nothing is cached', async () => {
    const binary = releaseBinary('v2.6.4')
    serve(ASSET, binary)
    serve(CHECKSUMS, `${sha256('not it')}  ${ASSET}\n`)
    await expect(install.installCosign({ version: VERSION, baseUrl, searchPath: noPath })).rejects.toThrow(
      `Refusing ${ASSET}: its sha256 is ${sha256(binary)}, but ${CHECKSUMS} says ${sha256('not it')}`,
    )
    expect(tc.find('cosign', VERSION)).toBe('')
  })

  test('a binary reporting another version is refused', async () => {
    const binary = releaseBinary('v2.5.0')
    serve(ASSET, binary)
    serve(CHECKSUMS, `${sha256(binary)}  ${ASSET}\n`)
    await expect(install.installCosign({ version: VERSION, baseUrl, searchPath: noPath })).rejects.toThrow(
      'reports version 2.5.0, not 2.6.4',
    )
    expect(tc.find('cosign', VERSION)).toBe('')
  })

  test('a cosign on PATH is used only when it reports the version asked for', async () => {
    const dir = mkdtempSync(path.join(scratch, 'path-'))
    writeFileSync(path.join(dir, 'cosign'), releaseBinary('v2.6.4'))
    chmodSync(path.join(dir, 'cosign'), 0o755)
    expect(await install.installCosign({ version: VERSION, baseUrl, searchPath: dir })).toEqual({
      binary: path.join(dir, 'cosign'),
      version: VERSION,
      source: 'installed',
    })
    expect(requests).toEqual([])
    writeFileSync(path.join(dir, 'cosign'), releaseBinary('devel'))
    await expect(install.installCosign({ version: VERSION, baseUrl, searchPath: dir })).rejects.toThrow(
      'Cannot download',
    )
  })

  test('on PATH, the first executable cosign counts, as in a shell: a file that cannot run is passed over', async () => {
    const notExecutable = mkdtempSync(path.join(scratch, 'path-'))
    writeFileSync(path.join(notExecutable, 'cosign'), releaseBinary('v2.6.4'))
    const dir = mkdtempSync(path.join(scratch, 'path-'))
    writeFileSync(path.join(dir, 'cosign'), releaseBinary('v2.6.4'))
    chmodSync(path.join(dir, 'cosign'), 0o755)
    const searchPath = ['', notExecutable, dir].join(path.delimiter)
    expect(await install.installCosign({ version: VERSION, baseUrl, searchPath })).toEqual({
      binary: path.join(dir, 'cosign'),
      version: VERSION,
      source: 'installed',
    })
  })
})
