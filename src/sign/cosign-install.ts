import { statSync } from 'node:fs'
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import * as tc from '@actions/tool-cache'
import semver from 'semver'
import { versionOutput } from '../runner/tool.js'
import { download, expectedSha256, sha256OfFile } from '../runner/release-download.js'

/**
 * Installing cosign from its GitHub release, as Trivy is installed (scan/trivy-install.ts): the
 * release's binary is checked against the release's checksums file before it is made executable
 * or run. cosign's .goreleaser.yml (v2.6.4) publishes bare binaries (`archives: formats: [binary]`,
 * `name_template: "{{ .Binary }}"`, binary `cosign-linux-{{ .Arch }}`) and one
 * `cosign_checksums.txt` (`{{ .ProjectName }}_checksums.txt`).
 */

export const DEFAULT_COSIGN_DOWNLOAD_BASE = 'https://github.com/sigstore/cosign/releases/download'
export const COSIGN_CHECKSUMS = 'cosign_checksums.txt'
const TOOL_NAME = 'cosign'

/** `cosign-linux-amd64`, `cosign-linux-arm64`, `cosign-darwin-arm64`… */
export function cosignAssetName(
  platform: NodeJS.Platform = process.platform,
  arch: string = process.arch,
): string {
  const osName = ({ linux: 'linux', darwin: 'darwin' } as Partial<Record<NodeJS.Platform, string>>)[platform]
  const archName = ({ x64: 'amd64', arm64: 'arm64' } as Record<string, string>)[arch]
  if (osName === undefined || archName === undefined) {
    throw new Error(`cosign is installed for linux and macOS on x64 and arm64 only, not ${platform}/${arch}`)
  }
  return `cosign-${osName}-${archName}`
}

export function cosignReleaseUrls(
  version: string,
  asset: string,
  baseUrl: string = DEFAULT_COSIGN_DOWNLOAD_BASE,
): { binary: string; checksums: string } {
  const release = `${baseUrl.replace(/\/+$/, '')}/v${version}`
  return { binary: `${release}/${asset}`, checksums: `${release}/${COSIGN_CHECKSUMS}` }
}

/**
 * The version `cosign version --json` reports (`"gitVersion": "v2.6.4"`, from
 * sigs.k8s.io/release-utils). A build without one ("devel", as Debian's package reports) has none.
 */
export function parseCosignVersionOutput(text: string): string | undefined {
  try {
    const gitVersion = (JSON.parse(text) as { gitVersion?: unknown } | null)?.gitVersion
    return typeof gitVersion === 'string'
      ? (semver.valid(gitVersion.replace(/^v/, '')) ?? undefined)
      : undefined
  } catch {
    return undefined
  }
}

export interface InstallCosignOptions {
  version: string
  /** Where releases live; a loopback server in tests. */
  baseUrl?: string
  /** PATH to look for an installed `cosign` of the same version; `process.env.PATH` when not given. */
  searchPath?: string
  log?: (message: string) => void
}

export interface InstalledCosign {
  binary: string
  version: string
  source: 'path' | 'tool-cache' | 'download'
}

/**
 * A `cosign` of exactly `version`: the first on PATH if it reports that version, else the runner's
 * tool cache, else the release binary, downloaded and checked against the release's sha256 first.
 */
export async function installCosign(options: InstallCosignOptions): Promise<InstalledCosign> {
  const { version } = options
  const log = options.log ?? (() => undefined)
  const onPath = await findCosignOnPath(version, options.searchPath ?? process.env.PATH ?? '')
  if (onPath !== undefined) {
    log(`Using cosign ${version} found on PATH at ${onPath}`)
    return { binary: onPath, version, source: 'path' }
  }
  const cached = tc.find(TOOL_NAME, version)
  if (cached && isFile(path.join(cached, TOOL_NAME))) {
    log(`Using cosign ${version} from the tool cache`)
    return { binary: path.join(cached, TOOL_NAME), version, source: 'tool-cache' }
  }
  const asset = cosignAssetName()
  const urls = cosignReleaseUrls(version, asset, options.baseUrl)
  const work = await mkdtemp(path.join(process.env.RUNNER_TEMP || os.tmpdir(), 'cosign-download-'))
  try {
    const checksums = await download(urls.checksums, path.join(work, COSIGN_CHECKSUMS))
    const expected = expectedSha256(await readFile(checksums, 'utf8'), asset, COSIGN_CHECKSUMS)
    const binary = await download(urls.binary, path.join(work, TOOL_NAME))
    const actual = await sha256OfFile(binary)
    if (actual !== expected) {
      throw new Error(
        `Refusing ${asset}: its sha256 is ${actual}, but ${COSIGN_CHECKSUMS} says ${expected} ` +
          `(downloaded from ${urls.binary}); the file is damaged or not the release`,
      )
    }
    await chmod(binary, 0o755)
    const reported = await reportedVersion(binary)
    if (reported !== version) {
      throw new Error(`${asset} reports version ${reported ?? 'unknown'}, not ${version}`)
    }
    const toolDir = await tc.cacheFile(binary, TOOL_NAME, TOOL_NAME, version)
    log(`Installed cosign ${version} from ${urls.binary} (sha256 ${actual})`)
    return { binary: path.join(toolDir, TOOL_NAME), version, source: 'download' }
  } finally {
    await rm(work, { recursive: true, force: true })
  }
}

/** The first `cosign` on `searchPath` when it reports `version`; only the first counts, as in a shell. */
export async function findCosignOnPath(version: string, searchPath: string): Promise<string | undefined> {
  for (const dir of searchPath.split(path.delimiter)) {
    if (!dir) continue
    const candidate = path.join(dir, TOOL_NAME)
    if (!isFile(candidate)) continue
    return (await reportedVersion(candidate)) === version ? candidate : undefined
  }
  return undefined
}

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile()
  } catch {
    return false
  }
}

/** The version an installed cosign reports, if it runs and says. */
async function reportedVersion(binary: string): Promise<string | undefined> {
  return parseCosignVersionOutput(await versionOutput(binary, ['version', '--json']))
}
