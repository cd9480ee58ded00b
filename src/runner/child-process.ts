import { spawn } from 'node:child_process'

/**
 * Starting one child process from an argument array (no shell ever reads a value), with an
 * optional time limit. Both runTool (docker, cosign, tar, aws, credential helpers) and runCommand (trivy) start their
 * children here, so every child is stopped the same way.
 */

export interface ChildOptions {
  /** The child's whole environment: build it with childEnv (child-env.ts), never pass process.env. */
  env: Record<string, string>
  cwd?: string
  /** Written to stdin, which is then closed; without it stdin is /dev/null, so nothing waits on a prompt. */
  input?: string
  /** Each piece of stdout as it arrives (UTF-8); without it stdout is discarded. */
  onStdout?: (text: string) => void
  onStderr?: (text: string) => void
  /**
   * Stop the child after this long. It then runs in a process group of its own, which gets
   * SIGTERM, then SIGKILL after `killGraceMs`: docker runs its buildx plugin and credential
   * helpers as children, and they must stop too.
   */
  timeoutMs?: number
  killGraceMs?: number
}

export interface ChildExit {
  exitCode: number | null
  signal: NodeJS.Signals | null
  timedOut: boolean
  /** Could not start (ENOENT, EACCES…). */
  spawnError?: string
}

// As @actions/exec waits: a grandchild that keeps the pipes open must not hold the step forever.
const CLOSE_AFTER_EXIT_MS = 10_000

export function spawnChild(file: string, args: readonly string[], options: ChildOptions): Promise<ChildExit> {
  return new Promise((resolve) => {
    let timedOut = false
    let settled = false
    const timers: NodeJS.Timeout[] = []
    const child = spawn(file, args, {
      cwd: options.cwd,
      env: options.env,
      stdio: [options.input !== undefined ? 'pipe' : 'ignore', options.onStdout ? 'pipe' : 'ignore', 'pipe'],
      detached: options.timeoutMs !== undefined,
    })
    const finish = (exit: Omit<ChildExit, 'timedOut'>): void => {
      if (settled) return
      settled = true
      for (const timer of timers) clearTimeout(timer)
      resolve({ ...exit, timedOut })
    }
    const killGroup = (signal: NodeJS.Signals): void => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, signal)
      } catch {
        // already gone
      }
    }
    if (options.timeoutMs !== undefined) {
      timers.push(
        setTimeout(() => {
          timedOut = true
          killGroup('SIGTERM')
          timers.push(setTimeout(() => killGroup('SIGKILL'), options.killGraceMs ?? 5_000))
        }, options.timeoutMs),
      )
    }
    child.stdout?.setEncoding('utf8')
    child.stdout?.on('data', (text: string) => options.onStdout?.(text))
    child.stderr?.setEncoding('utf8')
    child.stderr?.on('data', (text: string) => options.onStderr?.(text))
    child.on('error', (error) => finish({ exitCode: null, signal: null, spawnError: error.message }))
    child.on('exit', (exitCode, signal) => {
      if (!settled) timers.push(setTimeout(() => finish({ exitCode, signal }), CLOSE_AFTER_EXIT_MS))
    })
    child.on('close', (exitCode, signal) => finish({ exitCode, signal }))
    if (options.input !== undefined && child.stdin) {
      // A child that exits without reading its stdin must not crash the step with EPIPE.
      child.stdin.on('error', () => undefined)
      child.stdin.end(options.input)
    }
  })
}
