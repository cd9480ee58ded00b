import path from 'node:path'
import semver from 'semver'
import {
  installReleaseTool,
  releaseMachine,
  type InstalledTool,
  type ReleaseTool,
} from '../runner/release-tool.js'
import { versionOutput } from '../runner/tool.js'

/**
 * Trivy's GitHub release as runner/release-tool.ts installs it: which archive, which checksums
 * file, how an installed trivy says its version (which release: trivy-version.ts).
 */

export const DEFAULT_TRIVY_DOWNLOAD_BASE = 'https://github.com/aquasecurity/trivy/releases/download'

const TRIVY_MACHINE_NAMES = { linux: 'Linux', darwin: 'macOS', x64: '64bit', arm64: 'ARM64' }

/**
 * The release archive for this machine, as goreleaser.yml (`archives.name_template`) names it:
 * `trivy_0.74.0_Linux-64bit.tar.gz`, `trivy_0.74.0_Linux-ARM64.tar.gz`, `trivy_0.74.0_macOS-ARM64.tar.gz`.
 */
export function trivyAssetName(
  version: string,
  platform: NodeJS.Platform = process.platform,
  arch: string = process.arch,
): string {
  const machine = releaseMachine('Trivy', TRIVY_MACHINE_NAMES, platform, arch)
  return `trivy_${version}_${machine.os}-${machine.arch}.tar.gz`
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

/** A `trivy` of exactly `version`: on PATH, in the tool cache, or the release archive, checked first. */
export async function installTrivy(options: InstallTrivyOptions): Promise<InstalledTool> {
  const { version } = options
  const asset = trivyAssetName(version)
  const urls = trivyReleaseUrls(version, asset, options.baseUrl)
  const tool: ReleaseTool = {
    executable: 'trivy',
    label: 'trivy',
    version,
    asset: { name: asset, url: urls.archive, packing: 'tar.gz' },
    checksums: { name: trivyChecksumsName(version), url: urls.checksums },
    reportedVersion: async (binary) => parseTrivyVersionOutput(await versionOutput(binary, ['--version'])),
  }
  const searchDirs = options.ignorePath
    ? []
    : (options.searchPath ?? process.env.PATH ?? '').split(path.delimiter)
  return installReleaseTool(tool, searchDirs, options.log ?? (() => undefined))
}
