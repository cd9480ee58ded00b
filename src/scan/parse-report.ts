import { parseCycloneDx } from './cyclonedx.js'
import { parseGrypeJson } from './grype.js'
import type { ReportFormat, ScanOutcome } from './report.js'
import { parseSarif } from './sarif.js'
import { parseTrivyJson } from './trivy-json.js'
import { parseTrivyTable } from './trivy-table.js'

const PARSERS: Record<ReportFormat, (text: string) => ScanOutcome> = {
  'trivy-json': parseTrivyJson,
  'trivy-table': parseTrivyTable,
  sarif: parseSarif,
  cyclonedx: parseCycloneDx,
  'grype-json': parseGrypeJson,
}

/**
 * Reads a scanner report of a known format. The format is never guessed from the content: a
 * report that does not match it is a ScanError, so a wrong file cannot pass as a clean scan.
 */
export function parseReport(text: string, format: ReportFormat): ScanOutcome {
  return PARSERS[format](text)
}
