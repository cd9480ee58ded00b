import { accessSync, constants } from 'node:fs'
import { constants as osConstants } from 'node:os'
import { delimiter, join } from 'node:path'
import { childEnv } from './child-env.js'
import { spawnChild } from './child-process.js'
import { CallTimedOut, deadline, type Deadline } from './timeouts.js'
import { commandSafeLog } from '../action/log.js'

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
  /** Sent on stdin (a credential helper's server URL, a secret); never part of argv. */
  input?: string
  /** Capture only: nothing is echoed to the log (used for probes and JSON answers). */
  silent?: boolean
  /** Stop the call after this long and throw CallTimedOut, naming it. */
  deadline?: Deadline
}

const INSTALL_HINTS: Record<string, string> = {
  docker: 'this step needs the docker CLI and an engine (ubuntu-slim runners have none)',
  aws: 'an ECR registry without a password needs the AWS CLI (aws ecr get-login-password)',
}

/**
 * The absolute path of a tool on PATH, or undefined when there is none. The look-up is synchronous
 * (one access() per PATH entry, microseconds): the early probes (runMain) find docker and spawn it
 * before `import('./ship.js')` holds the event loop, which would delay an asynchronous answer by
 * the whole load (bench/README.md).
 */
export async function findTool(name: string): Promise<string | undefined> {
  return firstExecutable((process.env.PATH ?? '').split(delimiter), name)
}

/** The first of `dirs` holding an executable `name` (its path), checked synchronously; '' entries skipped. */
export function firstExecutable(dirs: readonly string[], name: string): string | undefined {
  for (const dir of dirs) {
    if (dir === '') continue
    const path = join(dir, name)
    try {
      accessSync(path, constants.X_OK)
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
 * the step's own without the action's inputs and runtime tokens, plus `passEnv` and `env`. Unless
 * silent, the command line and its output go to the log as @actions/exec prints them
 * (`[command]/usr/bin/docker buildx …`, stderr with stdout), through CommandSafeStream: the argv
 * holds labels and tags, and a Dockerfile's RUN writes to the output, so none of it may run as a
 * workflow command. With a `deadline`, a call that outlives it is stopped and CallTimedOut thrown;
 * a non-zero exit is returned, never thrown (callers decide).
 */
export async function runTool(file: string, args: string[], options: ToolOptions = {}): Promise<ToolResult> {
  const env = childEnv(process.env, { pass: options.passEnv ?? [], set: options.env ?? {} })
  const log = commandSafeLog()
  const echo = (text: string): void => {
    if (!options.silent) log.write(text)
  }
  echo(`[command]${[file, ...args].join(' ')}\n`)
  let stdout = ''
  let stderr = ''
  try {
    const exit = await spawnChild(file, args, {
      env,
      ...(options.input !== undefined ? { input: options.input } : {}),
      ...(options.deadline ? { timeoutMs: options.deadline.ms } : {}),
      onStdout: (text) => {
        stdout += text
        echo(text)
      },
      onStderr: (text) => {
        stderr += text
        echo(text)
      },
    })
    if (exit.spawnError !== undefined) throw new Error(`Could not run ${file}: ${exit.spawnError}`)
    if (exit.timedOut && options.deadline) throw new CallTimedOut(options.deadline)
    return { exitCode: exitCodeOf(exit.exitCode, exit.signal), stdout, stderr }
  } finally {
    await log.close()
  }
}

/**
 * What `binary args` printed when it ran and exited 0, else '' (a binary that cannot run, fails or
 * outlives its deadline has no version anyone can rely on): how an installer asks a tool it found
 * which version it is.
 */
export async function versionOutput(binary: string, args: string[]): Promise<string> {
  const what = [binary, ...args].join(' ')
  const result = await runTool(binary, args, { silent: true, deadline: deadline('toolVersion', what) }).catch(
    () => undefined,
  )
  return result?.exitCode === 0 ? result.stdout : ''
}

// A child killed by a signal exits as a shell reports it: 128 + the signal's number.
function exitCodeOf(code: number | null, signal: NodeJS.Signals | null): number {
  if (code !== null) return code
  return 128 + (signal ? osConstants.signals[signal] : 0)
}

/** The last lines of a command's error output, for a failure message. */
export function tail(text: string, lines = 8): string {
  return text.trim().split('\n').slice(-lines).join('\n')
}
