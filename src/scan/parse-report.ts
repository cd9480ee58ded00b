import type { ReportFormat, ScanOutcome } from './report.js'
import { parseSarif } from './sarif.js'
import { parseScoutMarkdown } from './scout-markdown.js'
import { parseTrivyJson } from './trivy-json.js'

const PARSERS: Record<ReportFormat, (text: string) => ScanOutcome> = {
  'trivy-json': parseTrivyJson,
  sarif: parseSarif,
  'scout-markdown': parseScoutMarkdown,
}

/**
 * Reads a scanner report of a known format. The format is never guessed from the content: a
 * report that does not match it is a ScanError, so a wrong file cannot pass as a clean scan.
 */
export function parseReport(text: string, format: ReportFormat): ScanOutcome {
  return PARSERS[format](text)
}
