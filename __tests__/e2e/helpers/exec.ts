// Runs docker, skopeo and the sandbox script with argument arrays (no shell anywhere).
import { execFile } from 'node:child_process'
import { type SandboxEnv, sandboxProcessEnv } from './sandbox-env.js'

export interface RunResult {
  readonly stdout: string
  readonly stderr: string
}

export interface RunOptions {
  readonly env?: NodeJS.ProcessEnv
  readonly cwd?: string
  readonly timeoutMs?: number
}

export class CommandError extends Error {
  constructor(
    message: string,
    readonly exitCode: number | string | null,
    readonly stdout: string,
    readonly stderr: string,
  ) {
    super(message)
    this.name = 'CommandError'
  }
}

const SECRET_FLAGS = new Set(['--creds', '--src-creds', '--dest-creds', '--password', '-p'])

/** The command line for messages, with credential values masked. */
export function describeCommand(file: string, args: readonly string[]): string {
  const shown = args.map((arg, i) => {
    const prev = args[i - 1]
    if (prev !== undefined && SECRET_FLAGS.has(prev)) return '***'
    const eq = arg.indexOf('=')
    if (eq > 0 && SECRET_FLAGS.has(arg.slice(0, eq))) return `${arg.slice(0, eq)}=***`
    return arg
  })
  return [file, ...shown].join(' ')
}

export function run(file: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    execFile(
      file,
      args,
      {
        env: options.env ?? process.env,
        cwd: options.cwd,
        timeout: options.timeoutMs ?? 240_000,
        maxBuffer: 64 * 1024 * 1024,
        encoding: 'utf8',
      },
      (error, stdout, stderr) => {
        if (error) {
          const code = (error as NodeJS.ErrnoException & { code?: number | string }).code ?? null
          const tail = stderr.trim().split('\n').slice(-25).join('\n')
          reject(
            new CommandError(
              `${describeCommand(file, args)} failed (exit ${String(code)}${error.killed ? ', killed' : ''}):\n${tail}`,
              code,
              stdout,
              stderr,
            ),
          )
          return
        }
        resolve({ stdout, stderr })
      },
    )
  })
}

/** The sandbox's docker client against the sandbox engine (DOCKER_HOST, DOCKER_CONFIG set). */
export function docker(
  env: SandboxEnv,
  args: readonly string[],
  options: RunOptions = {},
): Promise<RunResult> {
  return run(env.docker, args, { ...options, env: sandboxProcessEnv(env, options.env) })
}

export function skopeo(
  env: SandboxEnv,
  args: readonly string[],
  options: RunOptions = {},
): Promise<RunResult> {
  return run(env.skopeo, args, { ...options, env: sandboxProcessEnv(env, options.env) })
}
