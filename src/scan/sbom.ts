import { mkdtemp, readFile, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { errorMessage } from '../action/errors.js'
import { runCommand, trivyEnv } from './run-trivy.js'

/**
 * A CycloneDX SBOM of one per-platform layout, for the `cyclonedx` attestation: `trivy image
 * --format cyclonedx` on the same single-platform layout the vulnerability scan read. Without
 * `--scanners`, Trivy writes the SBOM alone ("--format cyclonedx disables security scanning",
 * docs/sbom/cyclonedx), so no vulnerability DB is needed and nothing is judged twice.
 */

export interface SbomArgsOptions {
  layoutDir: string
  outputFile: string
  cacheDir: string
  timeoutSeconds: number
}

export function trivySbomArgs(options: SbomArgsOptions): string[] {
  return [
    'image',
    '--input',
    options.layoutDir,
    '--format',
    'cyclonedx',
    '--output',
    options.outputFile,
    '--cache-dir',
    options.cacheDir,
    '--timeout',
    `${options.timeoutSeconds}s`,
    '--skip-version-check',
    '--disable-telemetry',
    '--quiet',
  ]
}

export type SbomOutcome = { ok: true; file: string } | { ok: false; message: string }

/** Whether `text` is a CycloneDX JSON document (what `cosign attest --type cyclonedx` expects). */
export function isCycloneDxJson(text: string): boolean {
  try {
    return (JSON.parse(text) as { bomFormat?: unknown } | null)?.bomFormat === 'CycloneDX'
  } catch {
    return false
  }
}

/** Runs Trivy for the SBOM of one platform; a failure is an outcome, for the caller to judge. */
export async function writeSbom(
  options: SbomArgsOptions & {
    trivy: string
    platform: string
    env: NodeJS.ProcessEnv
    killAfterSeconds?: number
  },
): Promise<SbomOutcome> {
  const what = `The SBOM of ${options.platform}`
  const cwd = await mkdtemp(path.join(os.tmpdir(), 'trivy-sbom-'))
  try {
    await rm(options.outputFile, { force: true })
    const result = await runCommand(options.trivy, trivySbomArgs(options), {
      timeoutMs: (options.timeoutSeconds + (options.killAfterSeconds ?? 60)) * 1000,
      cwd,
      env: trivyEnv(options.env),
    })
    if (result.spawnError !== undefined) return { ok: false, message: `${what}: ${result.spawnError}` }
    if (result.timedOut || result.exitCode !== 0) {
      const tail = result.stderr.trim().split('\n').slice(-5).join('\n')
      const how = result.timedOut ? 'timed out' : `failed (exit code ${String(result.exitCode)})`
      return { ok: false, message: `${what} ${how}${tail ? `:\n${tail}` : ''}` }
    }
    const text = await readFile(options.outputFile, 'utf8').catch((error: unknown) => {
      throw new Error(`${what} was not written: ${errorMessage(error)}`)
    })
    if (!isCycloneDxJson(text)) return { ok: false, message: `${what} is not a CycloneDX JSON document` }
    return { ok: true, file: options.outputFile }
  } catch (error) {
    return { ok: false, message: errorMessage(error) }
  } finally {
    await rm(cwd, { recursive: true, force: true })
  }
}
