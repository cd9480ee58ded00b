import path from 'node:path'
import semver from 'semver'
import {
  GO_MACHINE_NAMES,
  installReleaseTool,
  releaseMachine,
  type InstalledTool,
  type ReleaseTool,
} from '../runner/release-tool.js'
import { versionOutput } from '../runner/tool.js'

/**
 * cosign's GitHub release as runner/release-tool.ts installs it: the release's binary is checked
 * against the release's checksums file before it is made executable or run. cosign's
 * .goreleaser.yml (v2.6.4) publishes bare binaries (`archives: formats: [binary]`, `name_template:
 * "{{ .Binary }}"`, binary `cosign-linux-{{ .Arch }}`) and one `cosign_checksums.txt`
 * (`{{ .ProjectName }}_checksums.txt`).
 */

export const DEFAULT_COSIGN_DOWNLOAD_BASE = 'https://github.com/sigstore/cosign/releases/download'
export const COSIGN_CHECKSUMS = 'cosign_checksums.txt'

/** `cosign-linux-amd64`, `cosign-linux-arm64`, `cosign-darwin-arm64`… */
export function cosignAssetName(
  platform: NodeJS.Platform = process.platform,
  arch: string = process.arch,
): string {
  const machine = releaseMachine('cosign', GO_MACHINE_NAMES, platform, arch)
  return `cosign-${machine.os}-${machine.arch}`
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

/** A `cosign` of exactly `version`: on PATH, in the tool cache, or the release binary, checked first. */
export async function installCosign(options: InstallCosignOptions): Promise<InstalledTool> {
  const { version } = options
  const asset = cosignAssetName()
  const urls = cosignReleaseUrls(version, asset, options.baseUrl)
  const tool: ReleaseTool = {
    executable: 'cosign',
    label: 'cosign',
    version,
    asset: { name: asset, url: urls.binary, packing: 'binary' },
    checksums: { name: COSIGN_CHECKSUMS, url: urls.checksums },
    reportedVersion: async (binary) =>
      parseCosignVersionOutput(await versionOutput(binary, ['version', '--json'])),
  }
  const searchDirs = (options.searchPath ?? process.env.PATH ?? '').split(path.delimiter)
  return installReleaseTool(tool, searchDirs, options.log ?? (() => undefined))
}
