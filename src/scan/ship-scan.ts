import * as core from '@actions/core'
import { info } from '../action/log.js'
import { scanOutputs, writeOutputs } from '../action/outputs.js'
import { workspaceParent } from '../runner/workspace.js'
import { scanBuiltImage, type ScanStageOptions, type ScanStageOutcome } from './stage.js'
import { prepareScanner, type ScannerPreparation } from './preparation.js'
import type { ScanFiles } from './scan-files.js'
import type { ScanInputs } from './inputs.js'

/** The scan stage's options, and its scanner (none for `scanner: none`), being made ready. */
export interface ScanStart {
  options: ScanStageOptions
  preparation: ScannerPreparation | undefined
}

/**
 * Starts making the scanner ready, to run while the image builds (ship.ts calls it once buildx has
 * started). Docker
 * Scout runs as `docker scout` with the step's private config (`dockerConfig`), where its plugin is
 * installed; with `sbom`, Trivy also writes each platform's SBOM for its attestation.
 */
export function startScan(
  inputs: ScanInputs,
  scanner: { docker: string; dockerConfig: string; sbom: boolean },
): ScanStart {
  const options: ScanStageOptions = {
    now: new Date(),
    runnerTemp: workspaceParent(process.env),
    workspace: process.env.GITHUB_WORKSPACE ?? process.cwd(),
    log: (message) => info(message),
    scout: { docker: scanner.docker, dockerConfig: scanner.dockerConfig },
    sbom: scanner.sbom,
  }
  return { options, preparation: prepareScanner(inputs, options) }
}

/**
 * Scans every platform of the built layout with the scanner `startScan` started; the preparation's
 * held lines come out first, inside the stage's group. Its outputs are written whatever the verdict.
 */
export async function scanLayout(
  layoutDir: string,
  inputs: ScanInputs,
  files: ScanFiles,
  { options, preparation }: ScanStart,
): Promise<ScanStageOutcome> {
  const scan = await core.group('Scan every platform', () =>
    scanBuiltImage(layoutDir, inputs, files, options, preparation),
  )
  for (const warning of scan.warnings) core.warning(warning)
  writeOutputs(scanOutputs(scan))
  info(`Scan: ${scan.result}`)
  return scan
}
