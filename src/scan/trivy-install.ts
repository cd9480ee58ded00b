import { existsSync, statSync } from 'node:fs'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import * as tc from '@actions/tool-cache'
import semver from 'semver'
import { versionOutput } from '../runner/tool.js'
import { download, expectedSha256, sha256OfFile, unpack } from '../runner/release-download.js'

export { expectedSha256, sha256OfFile } from '../runner/release-download.js'

/**
 * Installing Trivy from its GitHub release, verified against the release's checksums file before
 * the archive is extracted or anything from it is run (which release: trivy-version.ts).
 */

export const DEFAULT_TRIVY_DOWNLOAD_BASE = 'https://github.com/aquasecurity/trivy/releases/download'

const TOOL_NAME = 'trivy'

/**
 * The release archive for this machine, as goreleaser.yml (`archives.name_template`) names it:
 * `trivy_0.74.0_Linux-64bit.tar.gz`, `trivy_0.74.0_Linux-ARM64.tar.gz`, `trivy_0.74.0_macOS-ARM64.tar.gz`.
 */
export function trivyAssetName(
  version: string,
  platform: NodeJS.Platform = process.platform,
  arch: string = process.arch,
): string {
  const osName = ({ linux: 'Linux', darwin: 'macOS' } as Partial<Record<NodeJS.Platform, string>>)[platform]
  const archName = ({ x64: '64bit', arm64: 'ARM64' } as Record<string, string>)[arch]
  if (osName === undefined || archName === undefined) {
    throw new Error(`Trivy is installed for linux and macOS on x64 and arm64 only, not ${platform}/${arch}`)
  }
  return `trivy_${version}_${osName}-${archName}.tar.gz`
}

/** goreleaser's default checksums file: `trivy_<version>_checksums.txt`, lines `<sha256>  <file name>`. */
export function trivyChecksumsName(version: string): string {
  return `trivy_${version}_checksums.txt`
}

export function trivyReleaseUrls(
  version: string,
  asset: string,
  baseUrl: string = DEFAULT_TRIVY_DOWNLOAD_BASE,
): { archive: string; checksums: string } {
  const release = `${baseUrl.replace(/\/+$/, '')}/v${version}`
  return { archive: `${release}/${asset}`, checksums: `${release}/${trivyChecksumsName(version)}` }
}

/**
 * The version in `trivy --version` output. Trivy prints `Version: <v>` on the first line
 * (types.VersionInfo.String in pkg/types/version.go), then the DB metadata when a DB is cached:
 *
 *   Version: 0.74.0
 *   Vulnerability DB:
 *     Version: 2
 *     UpdatedAt: 2023-07-20 12:11:37.696263932 +0000 UTC
 *
 * Only the top-level line counts: the indented `Version: 2` lines are DB schema versions.
 */
export function parseTrivyVersionOutput(text: string): string | undefined {
  for (const line of text.split(/\r?\n/)) {
    const match = /^Version:\s*v?(\S+)\s*$/.exec(line)
    if (match?.[1] !== undefined) return semver.valid(match[1]) ?? undefined
  }
  return undefined
}

export interface InstallTrivyOptions {
  version: string
  /** Where releases live; a loopback server in tests. */
  baseUrl?: string
  /** PATH to look for an already installed `trivy` of the same version; `process.env.PATH` when not given. */
  searchPath?: string
  /** Skips the PATH lookup (tests, or a runner whose `trivy` must not be trusted). */
  ignorePath?: boolean
  log?: (message: string) => void
}

export interface InstalledTrivy {
  /** Absolute path of the `trivy` executable. */
  binary: string
  version: string
  source: 'path' | 'tool-cache' | 'download'
}

/**
 * A `trivy` binary of exactly `version`: the one on PATH if it reports that version, else the
 * runner's tool cache, else the release archive, downloaded, checked against the release's
 * sha256 and only then extracted and cached.
 */
export async function installTrivy(options: InstallTrivyOptions): Promise<InstalledTrivy> {
  const { version } = options
  const log = options.log ?? (() => undefined)
  if (!options.ignorePath) {
    const onPath = await findTrivyOnPath(version, options.searchPath ?? process.env.PATH ?? '')
    if (onPath !== undefined) {
      log(`Using trivy ${version} found on PATH at ${onPath}`)
      return { binary: onPath, version, source: 'path' }
    }
  }
  const cached = tc.find(TOOL_NAME, version)
  if (cached && existsSync(path.join(cached, TOOL_NAME))) {
    log(`Using trivy ${version} from the tool cache`)
    return { binary: path.join(cached, TOOL_NAME), version, source: 'tool-cache' }
  }

  const asset = trivyAssetName(version)
  const urls = trivyReleaseUrls(version, asset, options.baseUrl)
  const work = await mkdtemp(path.join(process.env.RUNNER_TEMP || os.tmpdir(), 'trivy-download-'))
  try {
    const checksumsFile = await download(urls.checksums, path.join(work, trivyChecksumsName(version)))
    const expected = expectedSha256(await readFile(checksumsFile, 'utf8'), asset, trivyChecksumsName(version))
    const archive = await download(urls.archive, path.join(work, asset))
    const actual = await sha256OfFile(archive)
    if (actual !== expected) {
      throw new Error(
        `Refusing ${asset}: its sha256 is ${actual}, but ${trivyChecksumsName(version)} says ${expected} ` +
          `(downloaded from ${urls.archive}); the file is damaged or not the release`,
      )
    }
    const extracted = await unpack(archive, path.join(work, 'extracted'), asset)
    const binary = path.join(extracted, TOOL_NAME)
    if (!existsSync(binary) || !statSync(binary).isFile()) {
      throw new Error(`${asset} holds no ${TOOL_NAME} executable at its top level`)
    }
    const reported = await reportedVersion(binary)
    if (reported !== version) {
      throw new Error(`${asset} holds a trivy that reports version ${reported ?? 'unknown'}, not ${version}`)
    }
    const toolDir = await tc.cacheDir(extracted, TOOL_NAME, version)
    log(`Installed trivy ${version} from ${urls.archive} (sha256 ${actual})`)
    return { binary: path.join(toolDir, TOOL_NAME), version, source: 'download' }
  } finally {
    await rm(work, { recursive: true, force: true })
  }
}

/** The first `trivy` on `searchPath` whose `--version` is `version`, else undefined. */
export async function findTrivyOnPath(version: string, searchPath: string): Promise<string | undefined> {
  for (const dir of searchPath.split(path.delimiter)) {
    if (!dir) continue
    const candidate = path.join(dir, TOOL_NAME)
    try {
      if (!statSync(candidate).isFile()) continue
    } catch {
      continue
    }
    // Only the first trivy on PATH is what a user's shell would run; a mismatch means download ours.
    return (await reportedVersion(candidate)) === version ? candidate : undefined
  }
  return undefined
}

/** The version an installed trivy reports, if it runs and says. */
async function reportedVersion(binary: string): Promise<string | undefined> {
  return parseTrivyVersionOutput(await versionOutput(binary, ['--version']))
}
