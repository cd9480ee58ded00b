import { MalformedReport, parseOutcome, type Finding, type ScanOutcome } from './report.js'
import { isSeverity, SEVERITIES, type Severity, zeroCounts } from './severity.js'

/**
 * Reads `docker scout cves --format markdown` (the shape of Scout 1.17, recorded in
 * __tests__/fixtures/scanners/scout/). The report is HTML inside Markdown, one element per line:
 *
 * - a header `<h2>:mag: Vulnerabilities of <code>IMAGE</code></h2>`, then a `vulnerabilities` row
 *   whose badges say the image's totals: `<img alt="critical: 0" …/> <img alt="high: 2" …/> …
 *   <!-- unspecified: 0 -->`;
 * - per vulnerable package, a `<summary>` line ending `<strong>NAME</strong> <code>VERSION</code>
 *   (TYPE)</summary>`;
 * - per vulnerability, `<a href="https://scout.docker.com/v/ID?…"><img alt="SEVERITY SCORE: …"`,
 *   then a table whose `Fixed version` row reads `not fixed` when there is none.
 *
 * One finding per vulnerability line. The totals of the header must equal what was read: a report
 * cut short, or a format this parser does not know, is a ScanError rather than a smaller count.
 * Lines before the header or after the report (progress lines and the "What's next:" hint, when
 * stderr was captured with stdout) are ignored.
 */
export function parseScoutMarkdown(text: string): ScanOutcome {
  return parseOutcome('scout-markdown', () => scoutFindings(text))
}

const HEADER = /<h2>:mag: Vulnerabilities of <code>(.*?)<\/code><\/h2>/
const TOTALS_ROW = /<td>vulnerabilities<\/td>/
const TOTAL = /(critical|high|medium|low|unspecified): (\d+)/g
const PACKAGE = /<strong>(.*?)<\/strong> <code>(.*?)<\/code>(?: \((.*?)\))?<\/summary>/
const VULNERABILITY = /<a href="https:\/\/scout\.docker\.com\/v\/([^"?#]+)[^"]*"><img alt="([a-z]+)\b[^"]*"/
const FIXED = /<tr><td>Fixed version<\/td><td><code>(.*?)<\/code><\/td><\/tr>/
const TITLE = /<\/a> <i>(.*?)<\/i>/

function scoutFindings(text: string): Finding[] {
  if (text.trim() === '') throw new MalformedReport('the report is empty')
  const lines = text.split(/\r?\n/)
  const start = lines.findIndex((line) => HEADER.test(line))
  if (start < 0) {
    throw new MalformedReport(
      'no "Vulnerabilities of" header (is this the output of `docker scout cves --format markdown`?)',
    )
  }
  const image = unescapeHtml(HEADER.exec(lines[start] ?? '')?.[1] ?? '')
  const totalsLine = lines.slice(start).find((line) => TOTALS_ROW.test(line))
  if (totalsLine === undefined) throw new MalformedReport('the header has no "vulnerabilities" row')
  const totals = readTotals(totalsLine)
  const findings: Finding[] = []
  let pkg: { name: string; version: string } | undefined
  for (const line of lines.slice(start + 1)) {
    const packageMatch = PACKAGE.exec(line)
    if (packageMatch) pkg = { name: unescapeHtml(packageMatch[1] ?? ''), version: packageMatch[2] ?? '' }
    const vulnerability = VULNERABILITY.exec(line)
    if (vulnerability) {
      if (pkg === undefined) throw new MalformedReport(`${vulnerability[1]} is listed before any package`)
      findings.push({
        kind: 'vulnerability',
        id: decodeURIComponent(vulnerability[1] ?? ''),
        severity: scoutSeverity(vulnerability[2] ?? ''),
        target: image,
        package: pkg.name,
        installedVersion: unescapeHtml(pkg.version),
        title: unescapeHtml(TITLE.exec(line)?.[1] ?? '') || undefined,
      })
    }
    const fixed = FIXED.exec(line)
    const last = findings.at(-1)
    if (fixed && last !== undefined) {
      const version = unescapeHtml(fixed[1] ?? '')
      if (version !== '' && version !== 'not fixed') last.fixedVersion = version
    }
  }
  checkTotals(findings, totals)
  return findings
}

function readTotals(line: string): Record<Severity, number> {
  const totals = zeroCounts()
  const seen = new Set<string>()
  for (const [, word, count] of line.matchAll(TOTAL)) {
    seen.add(word ?? '')
    totals[scoutSeverity(word ?? '')] += Number(count)
  }
  const missing = ['critical', 'high', 'medium', 'low'].filter((word) => !seen.has(word))
  if (missing.length > 0) throw new MalformedReport(`the totals row gives no count for ${missing.join(', ')}`)
  return totals
}

function checkTotals(findings: Finding[], totals: Record<Severity, number>): void {
  const read = zeroCounts()
  for (const finding of findings) read[finding.severity] += 1
  const differing = SEVERITIES.filter((severity) => read[severity] !== totals[severity])
  if (differing.length > 0) {
    const detail = differing.map((s) => `${s} ${read[s]} listed, ${totals[s]} in the totals`).join('; ')
    throw new MalformedReport(`the listed vulnerabilities do not add up to the header's totals (${detail})`)
  }
}

/** Scout's words, lower case; `unspecified` is Scout's name for a severity nobody has rated. */
function scoutSeverity(word: string): Severity {
  const upper = word.toUpperCase()
  if (upper === 'UNSPECIFIED') return 'UNKNOWN'
  if (!isSeverity(upper) || upper === 'UNKNOWN') {
    throw new MalformedReport(`"${word}" is not a Scout severity`)
  }
  return upper
}

const ENTITIES: Record<string, string> = {
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&#39;': "'",
  '&amp;': '&',
}

function unescapeHtml(text: string): string {
  return text.replace(/&(?:lt|gt|quot|#39|amp);/g, (entity) => ENTITIES[entity] ?? entity)
}
