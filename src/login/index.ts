import * as core from '@actions/core'
import { info } from '../action/log.js'
import { server } from './logout.js'
import { dockerConfigJson, secretsFor, type ResolvedCredential } from './docker-config.js'
import { ecrLoginPasswordArgv, type RegistryCredential } from './registry-auth.js'
import { deadline, TIMEOUTS, type Timeouts } from '../runner/timeouts.js'
import { requireTool, runTool, tail } from '../runner/tool.js'
import { mergeAuths, type Workspace } from '../runner/workspace.js'

export { planLogin } from './plan.js'
export { logout } from './logout.js'
export type { RegistryCredential } from './registry-auth.js'

/**
 * `docker login --password-stdin` into the isolated DOCKER_CONFIG for every credential, in order.
 * `loggedIn` is called after each success so the post step can log out even if a later one fails.
 * The passwords are also written as plain `auths` (what the registry client reads).
 */
export async function login(
  docker: string,
  credentials: RegistryCredential[],
  workspace: Workspace,
  loggedIn: (registry: string) => void,
  limits: Timeouts = TIMEOUTS,
): Promise<void> {
  const resolved: ResolvedCredential[] = []
  for (const credential of credentials) {
    const password = await passwordOf(credential, limits)
    const { registry, username } = credential
    const result = await runTool(
      docker,
      ['login', '--username', username, '--password-stdin', ...server(registry)],
      {
        env: { DOCKER_CONFIG: workspace.dockerConfig },
        input: password,
        silent: true,
        deadline: deadline('login', `docker login ${registry}`, limits),
      },
    )
    if (result.exitCode !== 0) {
      throw new Error(
        `Login to ${registry} as ${username} (from "${credential.source}") failed: ${tail(result.stderr)}`,
      )
    }
    loggedIn(registry)
    info(`Logged in to ${registry} as ${username} (from "${credential.source}")`)
    resolved.push({ registry, username, password })
  }
  if (resolved.length > 0) await mergeAuths(workspace.authFile, dockerConfigJson(resolved))
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
