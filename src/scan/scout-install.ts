import { existsSync, statSync } from 'node:fs'
import { lstat, mkdir, mkdtemp, readFile, rm, symlink } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import * as tc from '@actions/tool-cache'
import semver from 'semver'
import { versionOutput } from '../runner/tool.js'
import { userDockerConfigDir } from '../runner/workspace.js'
import { download, expectedSha256, sha256OfFile, unpack } from '../runner/release-download.js'

/**
 * Installing the Docker Scout CLI plugin from its GitHub release (docker/scout-cli), verified
 * against the release's checksums file before the archive is unpacked or anything in it is run,
 * and made a docker CLI plugin of the step's private DOCKER_CONFIG only: `cli-plugins/docker-scout`
 * there is a link this step makes (createWorkspace gives the private config a `cli-plugins`
 * directory of its own), so the user's docker config never changes.
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
  const osName = ({ linux: 'linux', darwin: 'darwin' } as Partial<Record<NodeJS.Platform, string>>)[platform]
  const archName = ({ x64: 'amd64', arm64: 'arm64' } as Record<string, string>)[arch]
  if (osName === undefined || archName === undefined) {
    throw new Error(
      `Docker Scout is installed for linux and macOS on x64 and arm64 only, not ${platform}/${arch}`,
    )
  }
  return `docker-scout_${version}_${osName}_${archName}.tar.gz`
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
  source: 'installed' | 'tool-cache' | 'download'
}

/**
 * Makes `docker scout` of exactly `version` the plugin of the private DOCKER_CONFIG: the plugin
 * the docker CLI would have run anyway if it reports that version, else the runner's tool cache,
 * else the release archive, downloaded, checked against the release's sha256 and only then
 * unpacked and cached.
 */
export async function installScout(options: InstallScoutOptions): Promise<InstalledScout> {
  const { version } = options
  const log = options.log ?? (() => undefined)
  const env = options.env ?? process.env
  const pluginDirs = options.pluginDirs ?? [
    path.join(userDockerConfigDir(env), 'cli-plugins'),
    ...SYSTEM_PLUGIN_DIRS,
  ]
  const installed = await findInstalledScout(version, pluginDirs)
  if (installed !== undefined) {
    log(`Using docker scout ${version} found at ${installed}`)
    return { plugin: await linkPlugin(options.dockerConfig, installed), version, source: 'installed' }
  }
  const cached = tc.find(TOOL_NAME, version)
  if (cached && existsSync(path.join(cached, TOOL_NAME))) {
    log(`Using docker scout ${version} from the tool cache`)
    const plugin = await linkPlugin(options.dockerConfig, path.join(cached, TOOL_NAME))
    return { plugin, version, source: 'tool-cache' }
  }
  const toolDir = await downloadScout(version, options.baseUrl, log)
  const plugin = await linkPlugin(options.dockerConfig, path.join(toolDir, TOOL_NAME))
  return { plugin, version, source: 'download' }
}

async function downloadScout(version: string, baseUrl: string | undefined, log: (message: string) => void) {
  const asset = scoutAssetName(version)
  const checksumsName = scoutChecksumsName(version)
  const urls = scoutReleaseUrls(version, asset, baseUrl)
  const work = await mkdtemp(path.join(process.env.RUNNER_TEMP || os.tmpdir(), 'scout-download-'))
  try {
    const checksumsFile = await download(urls.checksums, path.join(work, checksumsName))
    const expected = expectedSha256(await readFile(checksumsFile, 'utf8'), asset, checksumsName)
    const archive = await download(urls.archive, path.join(work, asset))
    const actual = await sha256OfFile(archive)
    if (actual !== expected) {
      throw new Error(
        `Refusing ${asset}: its sha256 is ${actual}, but ${checksumsName} says ${expected} ` +
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
      throw new Error(
        `${asset} holds a docker-scout that reports version ${reported ?? 'unknown'}, not ${version}`,
      )
    }
    const toolDir = await tc.cacheDir(extracted, TOOL_NAME, version)
    log(`Installed docker scout ${version} from ${urls.archive} (sha256 ${actual})`)
    return toolDir
  } finally {
    await rm(work, { recursive: true, force: true })
  }
}

/**
 * The first `docker-scout` in `dirs` (the one the docker CLI would run) when it reports `version`,
 * else undefined: a plugin of another version is never used, nor one further down the list.
 */
export async function findInstalledScout(
  version: string,
  dirs: readonly string[],
): Promise<string | undefined> {
  for (const dir of dirs) {
    const candidate = path.join(dir, TOOL_NAME)
    try {
      if (!statSync(candidate).isFile()) continue
    } catch {
      continue
    }
    return (await reportedVersion(candidate)) === version ? candidate : undefined
  }
  return undefined
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

/** The version an installed Scout plugin reports in its CLI plugin metadata, if it runs and says. */
async function reportedVersion(binary: string): Promise<string | undefined> {
  return parsePluginMetadata(await versionOutput(binary, ['docker-cli-plugin-metadata']))
}
