import { constants } from 'node:fs'
import { access } from 'node:fs/promises'
import { delimiter, join } from 'node:path'
import * as exec from '@actions/exec'
import { commandSafeStreams } from '../action/log.js'

/** What a command printed and how it ended; never thrown for a non-zero exit (callers decide). */
export interface ToolResult {
  exitCode: number
  stdout: string
  stderr: string
}

export interface ToolOptions {
  env?: Record<string, string>
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
 * Runs a command from an argv array: no shell ever reads a value. The environment is the step's
 * own plus `env` (DOCKER_CONFIG pointing at the isolated config, mostly). What it echoes (its argv,
 * which holds labels and tags, and its output, which a Dockerfile's RUN writes to) reaches the log
 * through CommandSafeStream, so none of it runs as a workflow command.
 */
export async function runTool(file: string, args: string[], options: ToolOptions = {}): Promise<ToolResult> {
  const env = { ...(process.env as Record<string, string>), ...options.env }
  const { outStream, errStream } = commandSafeStreams()
  try {
    const result = await exec.getExecOutput(file, args, {
      env,
      ignoreReturnCode: true,
      silent: options.silent ?? false,
      outStream,
      errStream,
      ...(options.input !== undefined ? { input: Buffer.from(options.input, 'utf8') } : {}),
    })
    return { exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr }
  } finally {
    await Promise.all([outStream.close(), errStream.close()])
  }
}

/** The last lines of a command's error output, for a failure message. */
export function tail(text: string, lines = 8): string {
  return text.trim().split('\n').slice(-lines).join('\n')
}
