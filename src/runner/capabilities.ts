import { buildxArgs, findBuildx, type Buildx } from './buildx.js'
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
  builder?: BuilderInfo
  /** Why `docker buildx inspect` failed, when it did. */
  builderError?: string
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

/** The engine's capabilities completed with what the other probes said (each failure kept as its reason). */
export function withProbes(engine: Capabilities, probes: ProbeResults): Capabilities {
  const caps: Capabilities = { ...engine }
  const { info, buildxInspect: inspect } = probes
  const store = info.exitCode === 0 ? parseDockerInfo(info.stdout) : undefined
  if (store !== undefined) caps.imageStore = store
  else caps.infoError = tail(info.stderr, 4) || `docker info exited with ${info.exitCode}`

  if (inspect.exitCode === 0) caps.builder = parseBuildxInspect(inspect.stdout)
  else caps.builderError = tail(inspect.stderr, 4) || `docker buildx inspect exited with ${inspect.exitCode}`
  return caps
}

/**
 * Runs the read-only probes (argv arrays, nothing echoed) and gathers what they say. None needs
 * another's answer, so the three run side by side, `docker version` among them (bench/README.md).
 * Its answer is still read first: an engine that does not answer is reported alone, as nothing
 * else can work then, and the other probes' failures (or timeouts) come after it. No probe asks
 * buildx its version: nothing depends on it, and `docker buildx version` (the CLI, the plugin's
 * metadata call, then the plugin) was the slowest probe but one; a missing buildx fails
 * `docker buildx inspect`.
 */
export async function probeCapabilities(
  docker: string,
  buildx: Buildx,
  builder: string,
): Promise<Capabilities> {
  const probe = (what: string) => ({ silent: true, deadline: deadline('probe', what) })
  // Settled, not raced: the process cannot end before every probe has, and no failure is left unhandled.
  const [version, others] = await Promise.allSettled([
    runTool(docker, ['version', '--format', '{{json .}}'], probe('docker version')),
    Promise.all([
      runTool(docker, ['info', '--format', '{{json .}}'], probe('docker info')),
      runTool(
        buildx.file,
        buildxArgs(buildx, ['inspect', ...(builder ? [builder] : [])]),
        probe(`docker buildx inspect ${builder || '(the default builder)'}`),
      ),
    ]),
  ])
  if (version.status === 'rejected') throw version.reason
  const engine = engineFrom(version.value)
  if (!engine.engineReachable) return engine
  if (others.status === 'rejected') throw others.reason
  const [info, buildxInspect] = others.value
  return withProbes(engine, { info, buildxInspect })
}

/** The tools the plan runs and what the probes found of them. */
export interface RunnerProbes {
  docker: string
  buildx: Buildx
  caps: Capabilities
}

/** Finds docker on PATH and buildx where docker would, then probes them for `builder`. */
export async function probeRunner(builder: string): Promise<RunnerProbes> {
  const docker = await requireTool('docker')
  const buildx = findBuildx(docker, process.env)
  return { docker, buildx, caps: await probeCapabilities(docker, buildx, builder) }
}

/** The one message for a runner whose Docker engine does not answer (ubuntu-slim has none). */
export function engineProblem(caps: Capabilities): string | undefined {
  if (caps.engineReachable) return undefined
  return (
    `No Docker engine is reachable (${(caps.engineError ?? '').replace(/\s+/g, ' ').trim()}): this action ` +
    'needs a runner with Docker, such as ubuntu-latest; ubuntu-slim has none'
  )
}
