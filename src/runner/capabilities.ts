import semver from 'semver'
import { deadline } from './timeouts.js'
import { requireTool, runTool, tail, type ToolResult } from './tool.js'

/** Where the engine keeps images: the classic graph drivers, or the containerd snapshotter. */
export type ImageStore = 'classic' | 'containerd'

export interface BuilderInfo {
  name: string
  /** `docker`, `docker-container`, `kubernetes`, `remote`. */
  driver: string
  /** The platforms of the builder's first node, as buildx lists them. */
  platforms: string[]
}

/** What the runner offers, found by read-only probes before any side effect. */
export interface Capabilities {
  engineReachable: boolean
  /** Why the engine could not be reached (the CLI's own words), when it could not. */
  engineError?: string
  clientVersion?: string
  serverVersion?: string
  imageStore?: ImageStore
  /** Why `docker info` failed, when it did although the engine answered `docker version`. */
  infoError?: string
  /** `major.minor.patch`; absent when the buildx plugin is missing or its version could not be read. */
  buildxVersion?: string
  builder?: BuilderInfo
  /** Why `docker buildx inspect` failed, when it did. */
  builderError?: string
}

/** The first `X.Y.Z` in a tool's version line (`v0.36.1`, `0.13.1+ds1`, `1.9.3`), as `X.Y.Z`. */
export function versionIn(text: string): string | undefined {
  return semver.coerce(text)?.version
}

function parseJsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text.trim())
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined
  } catch {
    return undefined
  }
}

function versionField(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined
  const version = (value as Record<string, unknown>).Version
  return typeof version === 'string' && version !== '' ? version : undefined
}

/**
 * `docker version --format '{{json .}}'`. When the engine cannot be reached the CLI still prints
 * the client part, with `"Server":null`, and exits 1.
 */
export function parseDockerVersion(stdout: string): { clientVersion?: string; serverVersion?: string } {
  const json = parseJsonObject(stdout)
  if (json === undefined) return {}
  const clientVersion = versionField(json.Client)
  const serverVersion = versionField(json.Server)
  return {
    ...(clientVersion !== undefined ? { clientVersion } : {}),
    ...(serverVersion !== undefined ? { serverVersion } : {}),
  }
}

/**
 * `docker info --format '{{json .}}'`: the containerd image store shows as
 * `"DriverStatus":[["driver-type","io.containerd.snapshotter.v1"]]` (recorded from dockerd 26.1.5
 * with the snapshotter on); the classic store lists its graph driver's own status there instead
 * (overlay2: "Backing Filesystem", "Supports d_type", …).
 */
export function parseDockerInfo(stdout: string): ImageStore | undefined {
  const json = parseJsonObject(stdout)
  if (json === undefined) return undefined
  const status = Array.isArray(json.DriverStatus) ? (json.DriverStatus as unknown[]) : []
  const snapshotter = status.some(
    (entry) =>
      Array.isArray(entry) &&
      entry[0] === 'driver-type' &&
      typeof entry[1] === 'string' &&
      entry[1].startsWith('io.containerd.snapshotter'),
  )
  return snapshotter ? 'containerd' : 'classic'
}

/**
 * buildx's version as `docker info --format '{{json .}}'` lists the CLI's plugins:
 * `"ClientInfo":{…"Plugins":[{…"Version":"0.13.1+ds1",…"Name":"buildx",…}]}`. A plugin the CLI
 * could not run is listed with `Err` and no `Version`; a missing one is not listed.
 */
export function parseBuildxPlugin(stdout: string): string | undefined {
  const client = parseJsonObject(stdout)?.ClientInfo
  const plugins =
    typeof client === 'object' && client !== null ? (client as Record<string, unknown>).Plugins : []
  const buildx = Array.isArray(plugins)
    ? plugins.find(
        (plugin) =>
          typeof plugin === 'object' && plugin !== null && 'Name' in plugin && plugin.Name === 'buildx',
      )
    : undefined
  const version = versionField(buildx)
  return version === undefined ? undefined : versionIn(version)
}

/** `docker buildx version`: `github.com/docker/buildx v0.36.1 <commit>` (Debian: `0.13.1+ds1 …`). */
export function parseBuildxVersion(stdout: string): string | undefined {
  return versionIn(stdout)
}

/** `docker buildx inspect [builder]`: the builder's name and driver, and its first node's platforms. */
export function parseBuildxInspect(stdout: string): BuilderInfo {
  const field = (name: string): string =>
    new RegExp(`^${name}:[ \\t]*(.*)$`, 'm').exec(stdout)?.[1]?.trim() ?? ''
  return {
    name: field('Name'),
    driver: field('Driver'),
    platforms: field('Platforms')
      .split(',')
      // Newer buildx marks the platforms a builder was created with by a trailing `*`.
      .map((platform) => platform.trim().replace(/\*$/, ''))
      .filter((platform) => platform !== ''),
  }
}

/** What the probes after `docker version` answered. */
export interface ProbeResults {
  info: ToolResult
  buildxInspect: ToolResult
  /** `docker buildx version`, asked only when `docker info` (which lists buildx's version) failed. */
  buildxVersion?: ToolResult
}

/** What `docker version` says of the engine: reachable with its versions, or why not. */
export function engineFrom(version: ToolResult): Capabilities {
  const versions = parseDockerVersion(version.stdout)
  if (version.exitCode !== 0 || versions.serverVersion === undefined) {
    return {
      engineReachable: false,
      engineError: tail(version.stderr, 4) || `docker version exited with ${version.exitCode}`,
      ...versions,
    }
  }
  return { engineReachable: true, ...versions }
}

/** Whether `docker info` gave its JSON answer, the one that also lists buildx's version. */
export function infoAnswered(info: ToolResult): boolean {
  return info.exitCode === 0 && parseDockerInfo(info.stdout) !== undefined
}

/** The engine's capabilities completed with what the other probes said (each failure kept as its reason). */
export function withProbes(engine: Capabilities, probes: ProbeResults): Capabilities {
  const caps: Capabilities = { ...engine }
  const { info, buildxVersion: buildx, buildxInspect: inspect } = probes
  const store = info.exitCode === 0 ? parseDockerInfo(info.stdout) : undefined
  if (store !== undefined) caps.imageStore = store
  else caps.infoError = tail(info.stderr, 4) || `docker info exited with ${info.exitCode}`

  const buildxVersion =
    store !== undefined
      ? parseBuildxPlugin(info.stdout)
      : buildx?.exitCode === 0
        ? parseBuildxVersion(buildx.stdout)
        : undefined
  if (buildxVersion !== undefined) caps.buildxVersion = buildxVersion
  if (inspect.exitCode === 0) caps.builder = parseBuildxInspect(inspect.stdout)
  else caps.builderError = tail(inspect.stderr, 4) || `docker buildx inspect exited with ${inspect.exitCode}`
  return caps
}

/**
 * Runs the read-only probes (argv arrays, nothing echoed) and gathers what they say. None needs
 * another's answer, so the three run side by side, `docker version` among them (bench/README.md).
 * Its answer is still read first: an engine that does not answer is reported alone, as nothing
 * else can work then, and the other probes' failures (or timeouts) come after it. buildx's version
 * is read from `docker info`'s plugin list, which spares a `docker buildx version` (the CLI, the
 * plugin's metadata call, then the plugin: the slowest probe but one); only a failed `docker info`
 * has buildx asked itself, so that failure is never taken for a missing buildx.
 */
export async function probeCapabilities(docker: string, builder: string): Promise<Capabilities> {
  const probe = (what: string) => ({ silent: true, deadline: deadline('probe', what) })
  // Settled, not raced: the process cannot end before every probe has, and no failure is left unhandled.
  const [version, others] = await Promise.allSettled([
    runTool(docker, ['version', '--format', '{{json .}}'], probe('docker version')),
    Promise.all([
      runTool(docker, ['info', '--format', '{{json .}}'], probe('docker info')),
      runTool(
        docker,
        ['buildx', 'inspect', ...(builder ? [builder] : [])],
        probe(`docker buildx inspect ${builder || '(the default builder)'}`),
      ),
    ]),
  ])
  if (version.status === 'rejected') throw version.reason
  const engine = engineFrom(version.value)
  if (!engine.engineReachable) return engine
  if (others.status === 'rejected') throw others.reason
  const [info, buildxInspect] = others.value
  if (infoAnswered(info)) return withProbes(engine, { info, buildxInspect })
  const buildxVersion = await runTool(docker, ['buildx', 'version'], probe('docker buildx version'))
  return withProbes(engine, { info, buildxInspect, buildxVersion })
}

/** The tools the plan runs and what the probes found of them. */
export interface RunnerProbes {
  docker: string
  caps: Capabilities
}

/** Finds docker on PATH, then probes it for `builder`. */
export async function probeRunner(builder: string): Promise<RunnerProbes> {
  const docker = await requireTool('docker')
  return { docker, caps: await probeCapabilities(docker, builder) }
}

/** The one message for a runner whose Docker engine does not answer (ubuntu-slim has none). */
export function engineProblem(caps: Capabilities): string | undefined {
  if (caps.engineReachable) return undefined
  return (
    `No Docker engine is reachable (${(caps.engineError ?? '').replace(/\s+/g, ' ').trim()}): this action ` +
    'needs a runner with Docker, such as ubuntu-latest; ubuntu-slim has none'
  )
}
