import type { ScanInputs } from './inputs.js'
import type { PlatformLayout } from './platform-layouts.js'
import type { ScanOutcome } from './report.js'
import type { ScannedPlatform } from './scanned-platforms.js'

/**
 * The seam between the scan stage and a scanner (Trivy: trivy-scanner.ts, Docker Scout:
 * scout-scanner.ts). A scanner first makes itself ready (installed, its version known, Trivy's DB
 * restored), which needs no image, so it runs while the image builds (preparation.ts); then it scans
 * every single-platform layout and hands back what it found per platform. The gate, the summary,
 * the outputs and the code-scanning SARIF (index.ts) never know which scanner it was.
 */
export interface PlatformScanner {
  prepare(context: PrepareContext): Promise<PreparedScanner>
}

/** A scanner ready to scan. */
export interface PreparedScanner {
  scan(layouts: readonly PlatformLayout[], context: ScannerContext): Promise<ScannerResult>
}

/** What a scanner needs to make itself ready: no image yet. */
export interface PrepareContext {
  inputs: ScanInputs
  /** Decides the DB cache key. */
  now: Date
  runnerTemp: string
  env: NodeJS.ProcessEnv
  log: (message: string) => void
}

export interface ScannerContext extends PrepareContext {
  /** `<layout>.scan/`: reports and scanner caches that go away with the step's directory. */
  workDir: string
  /** VEX files, absolute (Trivy only). */
  vexFiles: string[]
  /** Also write a CycloneDX SBOM of each platform (Trivy only: for the `cyclonedx` attestation). */
  sbom: boolean
}

export interface ScannerResult {
  /** Name and version, for the log and the summary: `Trivy 0.74.0`, `Docker Scout 1.23.0`. */
  label: string
  /** What evaluateGate judges, keyed by platform. */
  scans: Record<string, ScanOutcome>
  /** Per platform, the SARIF the scanner wrote for code scanning, when asked for. */
  sarif: Record<string, { outcome: ScanOutcome; report?: string }>
  /** Per platform, the scanner's report for people (Scout's Markdown), shown collapsed in the summary. */
  readable: Record<string, string>
  /** Per platform, the report and SBOM its attestations are made from (Trivy only; Scout gives none). */
  platforms: ScannedPlatform[]
}
