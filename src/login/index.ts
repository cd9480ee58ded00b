import * as core from '@actions/core'
import { info } from '../action/log.js'
import { checkLogin, type LoginCheckOptions } from '../registry/index.js'
import { dockerConfigJson, secretsFor, type ResolvedCredential } from './docker-config.js'
import { ecrLoginPasswordArgv, type RegistryCredential } from './registry-auth.js'
import { deadline, TIMEOUTS, type Timeouts } from '../runner/timeouts.js'
import { requireTool, runTool, tail } from '../runner/tool.js'
import { mergeAuths, type Workspace } from '../runner/workspace.js'

export { planLogin } from './plan.js'
export type { RegistryCredential } from './registry-auth.js'

/** A credential its registry accepted: what config.json gets, and where it came from for the log. */
type CheckedCredential = ResolvedCredential & Pick<RegistryCredential, 'source'>

/** What `checkCredentials` started: each credential, checked, in the order given. */
export type CredentialChecks = Promise<CheckedCredential[]>

export interface CheckOptions {
  /** Ends the checks still asked: the run failed before its login. */
  stop?: AbortSignal
  limits?: Timeouts
  client?: LoginCheckOptions
}

/**
 * Checks every credential with its registry as `docker login` does (the registry client's
 * `checkLogin`), all side by side. It writes nothing, so it runs while the runner is probed; the
 * login proper (`login`) still waits for the plan, and `stop` ends the checks still asked when the
 * run fails before it. When several fail, the first in the order given is the error. No
 * `docker login`: it would only have checked the same, and a credential helper it found on PATH
 * could have kept a copy outside the config the post step deletes.
 */
export function checkCredentials(
  credentials: RegistryCredential[],
  { stop, limits = TIMEOUTS, client = { warn: core.warning } }: CheckOptions = {},
): CredentialChecks {
  const checks = Promise.allSettled(
    credentials.map((credential) => checked(credential, limits, client, stop)),
  ).then((settled) =>
    settled.map((check) => {
      if (check.status === 'rejected') throw check.reason
      return check.value
    }),
  )
  // Awaited by login; until then (the plan may fail first) a failure must not count as unhandled.
  checks.catch(() => undefined)
  return checks
}

/**
 * Writes the credentials `checks` passed as plain `auths` into the step's private config.json,
 * where buildx, the docker CLI and the registry client read them; nothing when any check failed
 * (its error is thrown). Resolves to the registries logged into.
 */
export async function login(checks: CredentialChecks, workspace: Workspace): Promise<string[]> {
  const accepted = await checks
  if (accepted.length === 0) return []
  await mergeAuths(workspace.authFile, dockerConfigJson(accepted))
  for (const { registry, username, source } of accepted) {
    info(`Logged in to ${registry} as ${username} (from "${source}")`)
  }
  return accepted.map((credential) => credential.registry)
}

async function checked(
  credential: RegistryCredential,
  limits: Timeouts,
  client: LoginCheckOptions,
  stop: AbortSignal | undefined,
): Promise<CheckedCredential> {
  const password = await passwordOf(credential, limits)
  const { registry, username } = credential
  const operation = `Login to ${registry} as ${username} (from "${credential.source}")`
  await checkLogin(
    registry,
    { username, password },
    { operation, timeoutMs: limits.login, ...(stop ? { stop } : {}) },
    client,
  )
  return { registry, username, password, source: credential.source }
}

// ECR passwords are fetched now (12-hour tokens) and masked before anything else sees them.
async function passwordOf(credential: RegistryCredential, limits: Timeouts): Promise<string> {
  if (typeof credential.password === 'string') return credential.password
  const aws = await requireTool('aws')
  const result = await runTool(aws, ecrLoginPasswordArgv(credential.password), {
    silent: true,
    deadline: deadline('login', `aws ecr get-login-password for ${credential.registry}`, limits),
  })
  const password = result.stdout.trim()
  if (result.exitCode !== 0 || password === '') {
    throw new Error(
      `Could not get an ECR password for ${credential.registry} from the AWS CLI: ${tail(result.stderr)}`,
    )
  }
  for (const secret of secretsFor({ registry: credential.registry, username: credential.username, password }))
    core.setSecret(secret)
  return password
}
