import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, readFile, symlink, writeFile } from 'node:fs/promises'
import { homedir, tmpdir } from 'node:os'
import { join } from 'node:path'

/**
 * The step's private directory under RUNNER_TEMP: an isolated DOCKER_CONFIG (logins never reach
 * the user's ~/.docker/config.json), build secret files, the OCI layout and the buildx metadata.
 * The post step deletes all of it.
 */
export interface Workspace {
  root: string
  dockerConfig: string
  /** `config.json` in `dockerConfig`: the docker CLI's and skopeo's (`--authfile`) credentials. */
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

export async function createWorkspace(
  env: Record<string, string | undefined>,
  loggingInto: string[],
): Promise<Workspace> {
  const root = await mkdtemp(join(env.RUNNER_TEMP || tmpdir(), 'build-scan-push-'))
  const dockerConfig = join(root, 'docker-config')
  const secretsDir = join(root, 'secrets')
  await mkdir(dockerConfig, { mode: 0o700 })
  await mkdir(secretsDir, { mode: 0o700 })
  const user = userDockerConfigDir(env)
  // buildx and named builders are found through these two directories of the user's config.
  for (const name of ['cli-plugins', 'buildx']) {
    if (existsSync(join(user, name))) await symlink(join(user, name), join(dockerConfig, name))
  }
  const authFile = join(dockerConfig, 'config.json')
  await writeFile(
    authFile,
    `${JSON.stringify(seedDockerConfig(await readJson(join(user, 'config.json')), loggingInto), null, 2)}\n`,
    { mode: 0o600 },
  )
  return {
    root,
    dockerConfig,
    authFile,
    secretsDir,
    layoutDir: join(root, 'oci-layout'),
    metadataFile: join(root, 'buildx-metadata.json'),
  }
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
