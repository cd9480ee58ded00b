import path from 'node:path'
import type { PlatformLayout } from './platform-layouts.js'
import type { PlatformScan } from './run-trivy.js'
import { type SbomOutcome, writeSbom } from './sbom.js'

/** What was scanned of one platform, kept for its attestations. */
export interface ScannedPlatform {
  platform: string
  manifestDigest: string
  /** The Trivy JSON report the gate judged, as written. */
  report: string
  /** Trivy's argv for it. */
  parameters: string[]
  startedOn: Date
  finishedOn: Date
  trivyVersion: string
  /** With `sbom`: the CycloneDX file, or why there is none. */
  sbom?: SbomOutcome
}

/**
 * The platforms whose JSON report was written, with that report; with `sbom`, each also gets its
 * CycloneDX SBOM from the same per-platform layout, while that layout still exists.
 */
export async function scannedPlatforms(
  runs: readonly PlatformScan[],
  layouts: readonly PlatformLayout[],
  trivyVersion: string,
  sbom: boolean,
  sbomOptions: {
    trivy: string
    cacheDir: string
    timeoutSeconds: number
    env: NodeJS.ProcessEnv
    reportDir: string
  },
): Promise<ScannedPlatform[]> {
  const scanned: ScannedPlatform[] = []
  for (const run of runs) {
    const layout = layouts.find((entry) => entry.manifestDigest === run.manifestDigest)
    if (!run.json.outcome.ok || run.json.report === undefined || layout === undefined) continue
    const { platform, manifestDigest, startedOn, finishedOn } = run
    const facts: ScannedPlatform = {
      platform,
      manifestDigest,
      report: run.json.report,
      parameters: run.json.args,
      startedOn,
      finishedOn,
      trivyVersion,
    }
    if (sbom) {
      facts.sbom = await writeSbom({
        ...sbomOptions,
        platform,
        layoutDir: layout.dir,
        outputFile: path.join(sbomOptions.reportDir, `${path.basename(layout.dir)}.cdx.json`),
      })
    }
    scanned.push(facts)
  }
  return scanned
}
