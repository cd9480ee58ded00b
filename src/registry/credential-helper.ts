import { deadline, type Timeouts } from '../runner/timeouts.js'
import { findTool, runTool, type ToolResult } from '../runner/tool.js'
import { IDENTITY_TOKEN_USERNAME, type Credential } from './credentials.js'

/**
 * A docker credential helper (`credHelpers` in the config: `gcloud auth configure-docker`, the
 * Amazon ECR helper), asked as the docker CLI asks it: `docker-credential-<name> get` with the
 * server URL on stdin, a JSON answer `{"ServerURL","Username","Secret"}` on stdout. Its output
 * is read, never shown: it holds the secret, and on failure it may echo one.
 */

/** What the docker-credential-helpers library prints (and exits 1) when it holds nothing for the server. */
export const CREDENTIALS_NOT_FOUND = 'credentials not found in native keychain'

export const helperProgram = (helper: string): string => `docker-credential-${helper}`

/** Runs the helper; undefined when it holds no credential for `serverUrl` (the registry is then used anonymously). */
export async function askCredentialHelper(
  helper: string,
  serverUrl: string,
  limits: Timeouts,
): Promise<Credential | undefined> {
  const program = helperProgram(helper)
  const path = await findTool(program)
  if (path === undefined) {
    throw new Error(
      `the credential helper ${program} (credHelpers for ${serverUrl} in the docker config) is not on PATH`,
    )
  }
  const result = await runTool(path, ['get'], {
    input: serverUrl,
    silent: true,
    deadline: deadline('login', `${program} get for ${serverUrl}`, limits),
  })
  return helperAnswer(result, helper, serverUrl)
}

/** The credential in a helper's answer; a failure names the helper, the server and the exit, never the output. */
export function helperAnswer(result: ToolResult, helper: string, serverUrl: string): Credential | undefined {
  const program = helperProgram(helper)
  if (result.exitCode !== 0) {
    if ([result.stdout, result.stderr].some((text) => text.trim() === CREDENTIALS_NOT_FOUND)) return undefined
    throw new Error(
      `the credential helper ${program} failed for ${serverUrl} (exit ${result.exitCode}); ` +
        `its output is not shown, as it may hold a secret: run "${program} get" with ${serverUrl} on stdin to see it`,
    )
  }
  const answer = parseAnswer(result.stdout)
  if (answer === undefined) {
    throw new Error(
      `the credential helper ${program} answered for ${serverUrl} with something other than ` +
        'the JSON {"ServerURL","Username","Secret"} expected (not shown: it may hold a secret)',
    )
  }
  if (answer.secret === '') return undefined
  if (answer.username === IDENTITY_TOKEN_USERNAME) return { kind: 'identity token', token: answer.secret }
  return { kind: 'password', username: answer.username, password: answer.secret }
}

function parseAnswer(stdout: string): { username: string; secret: string } | undefined {
  try {
    const { Username, Secret } = JSON.parse(stdout) as { Username?: unknown; Secret?: unknown }
    if (typeof Username !== 'string' || typeof Secret !== 'string') return undefined
    return { username: Username, secret: Secret }
  } catch {
    return undefined
  }
}
