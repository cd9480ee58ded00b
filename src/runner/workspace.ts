import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { lstat, mkdir, mkdtemp, readdir, readFile, symlink, writeFile } from 'node:fs/promises'
import { homedir, tmpdir } from 'node:os'
import { basename, dirname, isAbsolute, join, resolve } from 'node:path'

/** The step's directory is `build-scan-push-` and mkdtemp's random suffix, directly in RUNNER_TEMP. */
const WORKSPACE_PREFIX = 'build-scan-push-'
const WORKSPACE_NAME = /^build-scan-push-[A-Za-z0-9]+$/
/** The file in the step's directory holding the random value the main step also saves in its state. */
export const WORKSPACE_MARKER = '.build-scan-push-marker'
/** The isolated docker config, inside the step's directory. */
export const DOCKER_CONFIG_DIR = 'docker-config'

/**
 * The step's private directory under RUNNER_TEMP: an isolated DOCKER_CONFIG (logins never reach
 * the user's ~/.docker/config.json), build secret files, the OCI layout and the buildx metadata.
 * The post step deletes all of it, once `workspaceProblem` finds it is this one.
 */
export interface Workspace {
  root: string
  /** The random value in `root`'s marker file: saved in the state, it proves the directory to the post step. */
  marker: string
  dockerConfig: string
  /** `config.json` in `dockerConfig`: the docker CLI's and the registry client's credentials. */
  authFile: string
  secretsDir: string
  layoutDir: string
  metadataFile: string
}

/** Where the user's docker config lives: $DOCKER_CONFIG, else ~/.docker. */
export function userDockerConfigDir(env: Record<string, string | undefined>): string {
  return env.DOCKER_CONFIG || join(homedir(), '.docker')
}

/**
 * The auths an isolated config starts from: the user's own plain `auths` (logins made by earlier
 * steps, so base images keep pulling), and their per-registry helpers except for the registries
 * this step logs into (a login there would write into the user's helper). A global `credsStore`
 * is not copied, for the same reason.
 */
export function seedDockerConfig(userConfig: unknown, loggingInto: string[]): Record<string, unknown> {
  const config = (userConfig ?? {}) as { auths?: unknown; credHelpers?: unknown }
  const seeded: Record<string, unknown> = { auths: isRecord(config.auths) ? { ...config.auths } : {} }
  if (isRecord(config.credHelpers)) {
    seeded.credHelpers = Object.fromEntries(
      Object.entries(config.credHelpers).filter(([registry]) => !loggingInto.includes(registry)),
    )
  }
  return seeded
}

/** Where the step's directory goes: RUNNER_TEMP, else (outside a runner) the system's temp directory. */
export function workspaceParent(env: Record<string, string | undefined>): string {
  return resolve(env.RUNNER_TEMP || tmpdir())
}

export async function createWorkspace(
  env: Record<string, string | undefined>,
  loggingInto: string[],
): Promise<Workspace> {
  // mkdtemp: a new directory (never one that already exists), 0700, with a random name.
  const root = await mkdtemp(join(workspaceParent(env), WORKSPACE_PREFIX))
  const marker = randomBytes(32).toString('hex')
  await writeFile(join(root, WORKSPACE_MARKER), marker, { mode: 0o600, flag: 'wx' })
  const dockerConfig = join(root, DOCKER_CONFIG_DIR)
  const secretsDir = join(root, 'secrets')
  await mkdir(dockerConfig, { mode: 0o700 })
  await mkdir(secretsDir, { mode: 0o700 })
  const user = userDockerConfigDir(env)
  // Named builders are found through the user's buildx directory.
  if (existsSync(join(user, 'buildx'))) await symlink(join(user, 'buildx'), join(dockerConfig, 'buildx'))
  await linkUserPlugins(join(user, 'cli-plugins'), join(dockerConfig, 'cli-plugins'))
  const authFile = join(dockerConfig, 'config.json')
  await writeFile(
    authFile,
    `${JSON.stringify(seedDockerConfig(await readJson(join(user, 'config.json')), loggingInto), null, 2)}\n`,
    { mode: 0o600 },
  )
  return {
    root,
    marker,
    dockerConfig,
    authFile,
    secretsDir,
    layoutDir: join(root, 'oci-layout'),
    metadataFile: join(root, 'buildx-metadata.json'),
  }
}

/**
 * The private config's `cli-plugins` is a directory of its own holding a link to each of the
 * user's plugins (buildx among them): the scan stage can then add a plugin (docker-scout) here
 * without writing into the user's directory.
 */
async function linkUserPlugins(userPlugins: string, ownPlugins: string): Promise<void> {
  await mkdir(ownPlugins, { mode: 0o700 })
  const entries = await readdir(userPlugins).catch(() => [])
  for (const entry of entries) await symlink(join(userPlugins, entry), join(ownPlugins, entry))
}

/** What the post step finds at the path its state names, read without following a symbolic link. */
export interface WorkspaceFacts {
  /** The path in the state. */
  root: string
  /** RUNNER_TEMP (`workspaceParent`), resolved. */
  parent: string
  /** The marker value in the state ('' when none was saved). */
  savedMarker: string
  kind: 'missing' | 'symbolic link' | 'directory' | 'not a directory'
  /** The marker file's content; undefined when there is no regular file by that name. */
  marker: string | undefined
}

/**
 * Why the post step must not delete `root`, or undefined when it is the directory the main step
 * made: directly in RUNNER_TEMP, named build-scan-push-*, a real directory (not a link to one),
 * holding a marker with the random value the main step saved. The state is the runner's, but a
 * line such as `::save-state name=workspace::/home/runner/work` in the main step's output would
 * have rewritten it; no value in the state alone can name a directory the post step then deletes.
 */
export function workspaceProblem(facts: WorkspaceFacts): string | undefined {
  const { root, parent } = facts
  if (!isAbsolute(root) || resolve(root) !== root || dirname(root) !== parent) {
    return `it is not directly under RUNNER_TEMP (${parent})`
  }
  if (!WORKSPACE_NAME.test(basename(root))) return `it is not named ${WORKSPACE_PREFIX}*`
  if (facts.kind === 'missing') return 'it does not exist'
  if (facts.kind === 'symbolic link') return 'it is a symbolic link'
  if (facts.kind !== 'directory') return 'it is not a directory'
  if (facts.savedMarker === '') return 'the main step saved no marker value'
  if (facts.marker === undefined) return `it holds no marker file (${WORKSPACE_MARKER})`
  if (facts.marker !== facts.savedMarker) return 'its marker does not hold the value the main step saved'
  return undefined
}

/** Reads the facts `workspaceProblem` judges, never following a symbolic link. */
export async function readWorkspaceFacts(
  root: string,
  parent: string,
  savedMarker: string,
): Promise<WorkspaceFacts> {
  const kind = await entryKind(root)
  const markerFile = join(root, WORKSPACE_MARKER)
  const marker =
    kind === 'directory' && (await entryKind(markerFile)) === 'file'
      ? await readFile(markerFile, 'utf8')
      : undefined
  return { root, parent, savedMarker, kind: kind === 'file' ? 'not a directory' : kind, marker }
}

async function entryKind(
  path: string,
): Promise<'missing' | 'symbolic link' | 'directory' | 'file' | 'not a directory'> {
  const stat = await lstat(path).catch(() => undefined)
  if (stat === undefined) return 'missing'
  if (stat.isSymbolicLink()) return 'symbolic link'
  if (stat.isDirectory()) return 'directory'
  return stat.isFile() ? 'file' : 'not a directory'
}

/** With `logout: false`, what the post step deletes from the step's directory: all but the isolated config. */
export function deletedWhenKeepingLogins(entries: string[]): string[] {
  return entries.filter((entry) => entry !== DOCKER_CONFIG_DIR)
}

/** Adds `auths` entries to a config.json, keeping whatever else is in it. */
export async function mergeAuths(authFile: string, configJson: string): Promise<void> {
  const current = ((await readJson(authFile)) ?? {}) as Record<string, unknown>
  const added = (JSON.parse(configJson) as { auths: Record<string, unknown> }).auths
  const auths = isRecord(current.auths) ? current.auths : {}
  await writeFile(authFile, `${JSON.stringify({ ...current, auths: { ...auths, ...added } }, null, 2)}\n`, {
    mode: 0o600,
  })
}

async function readJson(path: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as unknown
  } catch {
    return undefined
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}
