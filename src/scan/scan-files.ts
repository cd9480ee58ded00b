import { constants } from 'node:fs'
import { access, readFile, stat } from 'node:fs/promises'
import path from 'node:path'
import { InputError, errorMessage } from '../action/errors.js'
import type { ScanInputs } from './inputs.js'
import { type IgnoreEntry, parseTrivyIgnore } from './trivyignore.js'

/** The files the scan inputs name, read once before anything else happens. */
export interface ScanFiles {
  ignores: { entries: IgnoreEntry[]; warnings: string[] }
  /** Absolute paths, each checked to be a readable file. */
  vexFiles: string[]
}

/**
 * Reads the files the scan inputs name (`trivyignores`, `vex`), so a wrong path fails before the
 * login and the build rather than after them; the scan stage is handed what was read.
 */
export async function readScanFiles(inputs: ScanInputs, workspace: string): Promise<ScanFiles> {
  if (inputs.scanner === 'none') return { ignores: { entries: [], warnings: [] }, vexFiles: [] }
  return {
    ignores: await readIgnoreFiles(inputs.trivyignores, workspace),
    vexFiles: await resolveVexFiles(inputs.vex, workspace),
  }
}

/** Reads every ignore file; one that cannot be read is an InputError naming `trivyignores`. */
export async function readIgnoreFiles(
  files: readonly string[],
  workspace: string,
): Promise<{ entries: IgnoreEntry[]; warnings: string[] }> {
  const entries: IgnoreEntry[] = []
  const warnings: string[] = []
  for (const file of files) {
    const absolute = path.resolve(workspace, file)
    let text: string
    try {
      text = await readFile(absolute, 'utf8')
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : errorMessage(error)
      throw new InputError('trivyignores', `cannot read ${file} (${absolute}): ${reason}`)
    }
    const parsed = parseTrivyIgnore(text)
    entries.push(...parsed.entries)
    warnings.push(...parsed.warnings.map((warning) => warning.replace(/^\.trivyignore/, file)))
  }
  return { entries, warnings }
}

/**
 * The VEX files as absolute paths for Trivy, each checked to be a readable file: one that is not
 * is an InputError naming `vex`, before Trivy is installed. Trivy reads `--vex` as a comma-separated
 * list, so a path with a comma (or a double quote, CSV's quote) would reach it as other paths.
 */
export async function resolveVexFiles(files: readonly string[], workspace: string): Promise<string[]> {
  const resolved: string[] = []
  for (const file of files) {
    const absolute = path.resolve(workspace, file)
    if (/[,"]/.test(absolute)) {
      throw new InputError(
        'vex',
        `${file} (${absolute}): Trivy cannot take a VEX file path with a comma or a quote`,
      )
    }
    const problem = await unreadableFile(absolute)
    if (problem !== undefined) throw new InputError('vex', `cannot read ${file} (${absolute}): ${problem}`)
    resolved.push(absolute)
  }
  return resolved
}

/** Why `file` cannot be read as a file, or undefined when it can. */
async function unreadableFile(file: string): Promise<string | undefined> {
  try {
    if (!(await stat(file)).isFile()) return 'not a file'
    await access(file, constants.R_OK)
    return undefined
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : errorMessage(error)
  }
}
