import { constants } from 'node:fs'
import { access } from 'node:fs/promises'
import { delimiter, join } from 'node:path'
import * as exec from '@actions/exec'
import { childEnv } from './child-env.js'

/** What a command printed and how it ended; never thrown for a non-zero exit (callers decide). */
export interface ToolResult {
  exitCode: number
  stdout: string
  stderr: string
}

export interface ToolOptions {
  /** Set for this call, over the step's environment (DOCKER_CONFIG: the isolated config, mostly). */
  env?: Record<string, string>
  /** Variables childEnv withholds that this call needs, by name (the build's gha cache token). */
  passEnv?: readonly string[]
  /** Sent on stdin (a password for `docker login --password-stdin`); never part of argv. */
  input?: string
  /** Capture only: nothing is echoed to the log (used for probes and JSON answers). */
  silent?: boolean
}

const INSTALL_HINTS: Record<string, string> = {
  docker: 'this step needs the docker CLI and an engine (ubuntu-slim runners have none)',
  aws: 'an ECR registry without a password needs the AWS CLI (aws ecr get-login-password)',
}

/** The absolute path of a tool on PATH, or undefined when there is none. */
export async function findTool(name: string): Promise<string | undefined> {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue
    const path = join(dir, name)
    try {
      await access(path, constants.X_OK)
      return path
    } catch {
      // not in this directory
    }
  }
  return undefined
}

/** The absolute path of a tool on PATH, or a clear error saying why it is needed. */
export async function requireTool(name: string): Promise<string> {
  const path = await findTool(name)
  if (path !== undefined) return path
  throw new Error(`${name} was not found on PATH: ${INSTALL_HINTS[name] ?? 'install it'}`)
}

/**
 * Runs a command from an argv array: no shell ever reads a value. The environment is childEnv's:
 * the step's own without the action's inputs and runtime tokens, plus `passEnv` and `env`.
 */
export async function runTool(file: string, args: string[], options: ToolOptions = {}): Promise<ToolResult> {
  const env = childEnv(process.env, { pass: options.passEnv ?? [], set: options.env ?? {} })
  const result = await exec.getExecOutput(file, args, {
    env,
    ignoreReturnCode: true,
    silent: options.silent ?? false,
    ...(options.input !== undefined ? { input: Buffer.from(options.input, 'utf8') } : {}),
  })
  return { exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr }
}

/** The last lines of a command's error output, for a failure message. */
export function tail(text: string, lines = 8): string {
  return text.trim().split('\n').slice(-lines).join('\n')
}
