import { realpath, stat } from 'node:fs/promises'
import path from 'node:path'
import { InputError } from '../action/errors.js'

/** The two directories the action may write its files into. */
export interface OutputRoots {
  /** GITHUB_WORKSPACE (the step's directory outside a runner): relative `sarif` paths start here. */
  workspace: string
  /** RUNNER_TEMP (the system's temporary directory outside a runner): `sarif: true` writes here. */
  runnerTemp: string
}

/** The SARIF path asked for: `sarif: true` → RUNNER_TEMP, a path → that path (relative to the workspace). */
export function sarifPath(sarif: { path?: string }, runnerTemp: string, workspace: string): string {
  return sarif.path === undefined
    ? path.join(runnerTemp, 'build-scan-push', 'trivy-results.sarif')
    : path.resolve(workspace, sarif.path)
}

/** Whether `file` is inside `root` (both absolute and resolved); the root itself is not a file in it. */
export function isInside(file: string, root: string): boolean {
  const relative = path.relative(root, file)
  return relative !== '' && !path.isAbsolute(relative) && relative.split(path.sep)[0] !== '..'
}

/**
 * Where `file` really is: its nearest existing ancestor (the file itself when it exists) with every
 * symbolic link resolved, then the part that does not exist yet. A link in the workspace that
 * points elsewhere must not carry a write out of it.
 */
export async function realDestination(file: string): Promise<string> {
  const missing: string[] = []
  let existing = path.resolve(file)
  for (;;) {
    try {
      return path.join(await realpath(existing), ...missing)
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      const parent = path.dirname(existing)
      if ((code !== 'ENOENT' && code !== 'ENOTDIR') || parent === existing) throw error
      missing.unshift(path.basename(existing))
      existing = parent
    }
  }
}

/**
 * The code-scanning SARIF file the scan will write, checked before anything runs: it must resolve
 * (after `..` and symbolic links) to a file under the workspace or RUNNER_TEMP, the only places
 * the action writes to; `sarif: ../../../tmp/x.sarif` would otherwise write wherever the runner's
 * user may. Returns the file's path.
 */
export async function checkSarifDestination(sarif: { path?: string }, roots: OutputRoots): Promise<string> {
  const file = sarifPath(sarif, roots.runnerTemp, roots.workspace)
  const real = await realDestination(file)
  const allowed = await Promise.all([roots.workspace, roots.runnerTemp].map(realDestination))
  const asked = sarif.path ?? 'true'
  if (!allowed.some((root) => isInside(real, root))) {
    throw new InputError(
      'sarif',
      `${asked} resolves to ${real}, outside the workspace (${roots.workspace}) and RUNNER_TEMP (${roots.runnerTemp}); the SARIF file must go under one of them`,
    )
  }
  const existing = await stat(real).catch(() => undefined)
  if (existing?.isDirectory()) throw new InputError('sarif', `${asked} (${real}) is a directory; name a file`)
  return file
}
