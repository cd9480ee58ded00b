import { lstat, mkdir, rm, symlink } from 'node:fs/promises'
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
import { userDockerConfigDir } from '../runner/workspace.js'

/**
 * The Docker Scout CLI plugin from its GitHub release (docker/scout-cli), as runner/release-tool.ts
 * installs it (checked against the release's checksums file before anything in it is run), made a
 * docker CLI plugin of the step's private DOCKER_CONFIG only: `cli-plugins/docker-scout` there is
 * a link this step makes (createWorkspace gives the private config a `cli-plugins` directory of
 * its own), so the user's docker config never changes.
 */

export const DEFAULT_SCOUT_DOWNLOAD_BASE = 'https://github.com/docker/scout-cli/releases/download'

const TOOL_NAME = 'docker-scout'

/**
 * Where the docker CLI looks for plugins after `$DOCKER_CONFIG/cli-plugins`, in its order
 * (cli-plugins/manager/manager_unix.go, defaultSystemPluginDirs).
 */
export const SYSTEM_PLUGIN_DIRS: readonly string[] = [
  '/usr/local/lib/docker/cli-plugins',
  '/usr/local/libexec/docker/cli-plugins',
  '/usr/lib/docker/cli-plugins',
  '/usr/libexec/docker/cli-plugins',
]

/**
 * The release archive for this machine, as install.sh of docker/scout-cli finds it in the checksums
 * file (`${name}_.*_${os}_${arch}.tar.gz`): `docker-scout_1.23.0_linux_amd64.tar.gz`. It holds the
 * `docker-scout` binary at its top level.
 */
export function scoutAssetName(
  version: string,
  platform: NodeJS.Platform = process.platform,
  arch: string = process.arch,
): string {
  const machine = releaseMachine('Docker Scout', GO_MACHINE_NAMES, platform, arch)
  return `docker-scout_${version}_${machine.os}_${machine.arch}.tar.gz`
}

/** goreleaser's checksums file, as install.sh downloads it: `docker-scout_<version>_checksums.txt`. */
export function scoutChecksumsName(version: string): string {
  return `docker-scout_${version}_checksums.txt`
}

export function scoutReleaseUrls(
  version: string,
  asset: string,
  baseUrl: string = DEFAULT_SCOUT_DOWNLOAD_BASE,
): { archive: string; checksums: string } {
  const release = `${baseUrl.replace(/\/+$/, '')}/v${version}`
  return { archive: `${release}/${asset}`, checksums: `${release}/${scoutChecksumsName(version)}` }
}

/**
 * The version a docker CLI plugin reports for `docker-cli-plugin-metadata`, the subcommand the
 * docker CLI asks every plugin (a JSON object: SchemaVersion, Vendor, Version, ShortDescription).
 */
export function parsePluginMetadata(text: string): string | undefined {
  try {
    const metadata = JSON.parse(text) as { Version?: unknown }
    return typeof metadata.Version === 'string' ? (semver.clean(metadata.Version) ?? undefined) : undefined
  } catch {
    return undefined
  }
}

export interface InstallScoutOptions {
  version: string
  /** The step's private DOCKER_CONFIG: the plugin is linked into its `cli-plugins`. */
  dockerConfig: string
  /** Where releases live; a loopback server in tests. */
  baseUrl?: string
  /**
   * Where an installed `docker-scout` may already be, in the docker CLI's order: by default the
   * user's `$DOCKER_CONFIG/cli-plugins` (from `env`), then SYSTEM_PLUGIN_DIRS.
   */
  pluginDirs?: readonly string[]
  env?: Record<string, string | undefined>
  log?: (message: string) => void
}

export interface InstalledScout {
  /** `<dockerConfig>/cli-plugins/docker-scout`, the link `docker scout` runs. */
  plugin: string
  version: string
  source: InstalledTool['source']
}

/**
 * Makes `docker scout` of exactly `version` the plugin of the private DOCKER_CONFIG: the plugin
 * the docker CLI would have run anyway if it reports that version, else the runner's tool cache,
 * else the release archive, checked first.
 */
export async function installScout(options: InstallScoutOptions): Promise<InstalledScout> {
  const { version } = options
  const env = options.env ?? process.env
  const asset = scoutAssetName(version)
  const urls = scoutReleaseUrls(version, asset, options.baseUrl)
  const tool: ReleaseTool = {
    executable: TOOL_NAME,
    label: 'docker scout',
    version,
    asset: { name: asset, url: urls.archive, packing: 'tar.gz' },
    checksums: { name: scoutChecksumsName(version), url: urls.checksums },
    reportedVersion: async (binary) =>
      parsePluginMetadata(await versionOutput(binary, ['docker-cli-plugin-metadata'])),
  }
  const pluginDirs = options.pluginDirs ?? [
    path.join(userDockerConfigDir(env), 'cli-plugins'),
    ...SYSTEM_PLUGIN_DIRS,
  ]
  const { binary, source } = await installReleaseTool(tool, pluginDirs, options.log ?? (() => undefined))
  return { plugin: await linkPlugin(options.dockerConfig, binary), version, source }
}

/** Replaces whatever `cli-plugins/docker-scout` of the private config is (a link to the user's) with a link to `binary`. */
async function linkPlugin(dockerConfig: string, binary: string): Promise<string> {
  const dir = path.join(dockerConfig, 'cli-plugins')
  await mkdir(dir, { recursive: true, mode: 0o700 })
  // A link to the user's plugin directory would make this write into the user's config.
  if ((await lstat(dir)).isSymbolicLink())
    throw new Error(`${dir} is a symbolic link, not the step's own directory`)
  const plugin = path.join(dir, TOOL_NAME)
  await rm(plugin, { force: true })
  await symlink(binary, plugin)
  return plugin
}
