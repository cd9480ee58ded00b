import { MalformedReport, parseOutcome, type Finding, type ScanOutcome } from './report.js'
import { countBySeverity, isSeverity, SEVERITIES, zeroCounts, type SeverityCounts } from './severity.js'

/**
 * Reads Trivy's default table output (`--format table`), for reports that were only kept in that
 * form. JSON is the format to produce for the gate; this parser exists so a table is not mistaken
 * for a clean scan.
 *
 * Each target section (a heading underlined with `=`) states its totals (`Total: 19 (CRITICAL: 19)`)
 * and draws a box table in which equal neighbouring cells are merged: a blank cell under a
 * separator segment without `─` repeats the value above. Rows are rebuilt that way, one finding per
 * row, and the per-severity counts must equal the section's totals, or the report is rejected:
 * that check is what makes reading a drawing trustworthy. Secret and misconfiguration sections are
 * drawn as free text, not tables; one that reports findings is rejected (use JSON), one with zero
 * findings is accepted.
 */
export function parseTrivyTable(text: string): ScanOutcome {
  return parseOutcome('trivy-table', () => tableFindings(text))
}

interface Section {
  heading: string
  body: string[]
}

function tableFindings(text: string): Finding[] {
  if (text.trim() === '') throw new MalformedReport('the report is empty')
  const lines = text.split(/\r?\n/)
  const sections = targetSections(lines)
  const hasSummary = lines.some((line) => line.trim() === 'Report Summary')
  if (sections.length === 0 && !hasSummary) {
    throw new MalformedReport('no "Report Summary" and no target section: this is not Trivy table output')
  }
  return sections.flatMap(sectionFindings)
}

function targetSections(lines: string[]): Section[] {
  const starts: number[] = []
  lines.forEach((line, index) => {
    const heading = lines[index - 1]
    if (/^=+$/.test(line) && heading !== undefined && heading.trim() !== '') starts.push(index - 1)
  })
  return starts.map((start, index) => ({
    heading: (lines[start] ?? '').trim(),
    body: lines.slice(start + 2, starts[index + 1] ?? lines.length),
  }))
}

function sectionFindings(section: Section): Finding[] {
  const where = `section "${section.heading}"`
  const first = section.body.find((line) => line.trim() !== '')?.trim() ?? ''
  if (first.startsWith('Tests:')) {
    const failures = section.body.map((line) => /^Failures: (\d+)/.exec(line.trim())).find((match) => match)
    if (failures?.[1] === undefined)
      throw new MalformedReport(`${where} has "Tests:" but no "Failures:" line`)
    if (Number(failures[1]) > 0) throw unsupported(where, Number(failures[1]), 'misconfigurations')
    return []
  }
  const totals = sectionTotals(first, where)
  const tableStart = section.body.findIndex((line) => line.startsWith('┌'))
  if (totals.total === 0 && tableStart < 0) return []
  if (tableStart < 0) throw unsupported(where, totals.total, 'secrets')
  const findings = tableRows(section.body.slice(tableStart), where).map((row) =>
    rowFinding(row, section.heading, where),
  )
  const counts = countBySeverity(findings)
  if (SEVERITIES.some((severity) => counts[severity] !== totals.counts[severity])) {
    throw new MalformedReport(
      `${where}: the table rows give ${describeCounts(counts)}, but its "Total:" line says ${describeCounts(totals.counts)}`,
    )
  }
  return findings
}

function unsupported(where: string, count: number, what: string): MalformedReport {
  return new MalformedReport(
    `${where} reports ${count} finding(s) in the free-text layout Trivy uses for ${what}, which this ` +
      'parser does not read; produce the report with --format json',
  )
}

function sectionTotals(line: string, where: string): { total: number; counts: SeverityCounts } {
  const match = /^Total: (\d+) \((.*)\)$/.exec(line)
  if (match?.[1] === undefined || match[2] === undefined) {
    throw new MalformedReport(`${where} should start with "Total: N (SEVERITY: n, …)", found "${line}"`)
  }
  const counts = zeroCounts()
  for (const part of match[2].split(', ')) {
    const [word = '', count = ''] = part.split(': ')
    if (!isSeverity(word) || !/^\d+$/.test(count))
      throw new MalformedReport(`${where}: cannot read "${part}" in "${line}"`)
    counts[word] = Number(count)
  }
  return { total: Number(match[1]), counts }
}

function describeCounts(counts: SeverityCounts): string {
  return (
    SEVERITIES.filter((severity) => counts[severity] > 0)
      .map((severity) => `${severity} ${counts[severity]}`)
      .join(', ') || 'nothing'
  )
}

/** A rebuilt row: each column's text lines, keyed by the header's column name. */
type Row = Map<string, string[]>

/** `lines` starts at the table's `┌` border. */
function tableRows(lines: string[], where: string): Row[] {
  const headerEnd = lines.findIndex((line, index) => index > 0 && line.startsWith('├'))
  if (headerEnd < 0) throw new MalformedReport(`${where}: the table has no header separator`)
  const columns = mergeLines(lines.slice(1, headerEnd).map((line) => cells(line, undefined, where)))
  const names = columns.map((column) => column.join(' '))
  const rows: Row[] = []
  let current: string[][] = names.map(() => [])
  let inherited: boolean[] = names.map(() => false)
  let previous: string[][] = names.map(() => [])
  for (const line of lines.slice(headerEnd + 1)) {
    const isBorder = line.startsWith('└')
    if (!isBorder && !line.includes('─')) {
      cells(line, names.length, where).forEach((text, column) => {
        if (text !== '') current[column]?.push(text)
      })
      continue
    }
    const resolved = current.map((text, column) =>
      inherited[column] && text.length === 0 ? (previous[column] ?? []) : text,
    )
    rows.push(new Map(names.map((name, column) => [name, resolved[column] ?? []])))
    if (isBorder) return rows
    // A segment drawn with `─` starts a new cell in that column; a blank one continues the cell above.
    inherited = line
      .split(/[│├┤┼]/)
      .slice(1, names.length + 1)
      .map((segment) => !segment.includes('─'))
    previous = resolved
    current = names.map(() => [])
  }
  throw new MalformedReport(`${where}: the table is not closed (the report was cut short?)`)
}

function cells(line: string, expected: number | undefined, where: string): string[] {
  const parts = line.split('│')
  const inner = parts.slice(1, -1).map((part) => part.trim())
  if (parts.length < 3 || (expected !== undefined && inner.length !== expected)) {
    throw new MalformedReport(`${where}: cannot split the table line "${line.trim()}" into columns`)
  }
  return inner
}

function mergeLines(lines: string[][]): string[][] {
  const columns: string[][] = (lines[0] ?? []).map(() => [])
  for (const line of lines) line.forEach((text, column) => text !== '' && columns[column]?.push(text))
  return columns
}

function rowFinding(row: Row, target: string, where: string): Finding {
  const text = (name: string) => {
    const value = (row.get(name) ?? []).join(' ')
    return value === '' ? undefined : value
  }
  const id = text('Vulnerability')
  const severity = text('Severity')
  if (id === undefined || severity === undefined) {
    throw new MalformedReport(
      `${where}: a table row has no Vulnerability or Severity (not a vulnerability table?)`,
    )
  }
  if (!isSeverity(severity)) throw new MalformedReport(`${where}: "${severity}" is not a Trivy severity`)
  // The Title cell ends with the advisory URL on its own line.
  const title = (row.get('Title') ?? []).filter((line) => !/^https?:\/\//.test(line)).join(' ')
  return {
    kind: 'vulnerability',
    id,
    severity,
    target,
    package: text('Library') ?? text('Package'),
    installedVersion: text('Installed Version'),
    fixedVersion: text('Fixed Version'),
    status: text('Status'),
    title: title === '' ? undefined : title,
  }
}
