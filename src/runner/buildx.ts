import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { firstExecutable } from './tool.js'
import { userDockerConfigDir } from './workspace.js'

/**
 * How this step runs buildx: its plugin binary itself, found where the docker CLI would find it,
 * else `docker buildx` (a CLI built to look elsewhere still finds it). Run directly, a call skips
 * the docker CLI's start and its plugin metadata call, ~200 ms a call here (bench/README.md); the
 * probe and the build are both on the way to the build's start.
 */
export interface Buildx {
  file: string
  /** What goes before buildx's own arguments: `buildx` when `file` is docker, nothing for the plugin. */
  prefix: string[]
}

// docker/cli cli-plugins/manager (unix): searched after the config's cliPluginsExtraDirs and its cli-plugins.
const SYSTEM_PLUGIN_DIRS = [
  '/usr/local/lib/docker/cli-plugins',
  '/usr/local/libexec/docker/cli-plugins',
  '/usr/lib/docker/cli-plugins',
  '/usr/libexec/docker/cli-plugins',
]

/** Where the docker CLI looks for plugins, first to last, given its config directory and config.json. */
export function pluginDirs(configDir: string, config: unknown): string[] {
  const extra = (config as { cliPluginsExtraDirs?: unknown } | null | undefined)?.cliPluginsExtraDirs
  return [
    ...(Array.isArray(extra) ? extra.filter((dir): dir is string => typeof dir === 'string') : []),
    join(configDir, 'cli-plugins'),
    ...SYSTEM_PLUGIN_DIRS,
  ]
}

/**
 * The buildx the docker CLI would run for `docker buildx`, as seen from the user's config (the
 * step's private config links the same plugins), or docker itself when no plugin directory holds
 * an executable `docker-buildx`. Synchronous, like findTool: a few access() calls.
 */
export function findBuildx(docker: string, env: Record<string, string | undefined>): Buildx {
  const configDir = userDockerConfigDir(env)
  const plugin = firstExecutable(
    pluginDirs(configDir, readConfig(join(configDir, 'config.json'))),
    'docker-buildx',
  )
  return plugin === undefined ? { file: docker, prefix: ['buildx'] } : { file: plugin, prefix: [] }
}

/** buildx's own arguments (`build …`, `inspect`) as the argv for `buildx.file`. */
export function buildxArgs(buildx: Buildx, args: string[]): string[] {
  return [...buildx.prefix, ...args]
}

function readConfig(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as unknown
  } catch {
    // None, or one the CLI would refuse too: then only the usual directories count.
    return undefined
  }
}
