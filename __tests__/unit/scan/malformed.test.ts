import { parseReport } from '../../../src/scan/parse-report.js'
import type { ReportFormat } from '../../../src/scan/report.js'
import { fixture } from './fixtures.js'

// One well-formed report per format, to cut short and to hand to the wrong parser.
const SAMPLES: Record<ReportFormat, string> = {
  'trivy-json': 'trivy/alpine-39.json',
  sarif: 'trivy/alpine-310.sarif',
  'scout-markdown': 'scout/wilds-docker-library_MIT/cves-markdown_picard-3.1.1.md',
}
const FORMATS = Object.keys(SAMPLES) as ReportFormat[]

function expectError(text: string, format: ReportFormat, message: RegExp): void {
  const outcome = parseReport(text, format)
  expect(outcome.ok).toBe(false)
  if (!outcome.ok) expect(outcome.message).toMatch(message)
}

describe.each(FORMATS)('%s: an unreadable report is a scan error, never a clean scan', (format) => {
  test('empty file', () => expectError('', format, /empty/))
  test('whitespace only', () => expectError(' \n\t\n', format, /empty/))
  test('garbage', () => expectError('Segmentation fault (core dumped)\n', format, /cannot be read/))
  test('cut in the middle', () => {
    const text = fixture(SAMPLES[format])
    expectError(text.slice(0, Math.floor(text.length / 2)), format, /cannot be read/)
  })
  test.each(FORMATS.filter((other) => other !== format))('a %s report', (other) => {
    expectError(fixture(SAMPLES[other]), format, /cannot be read/)
  })
})

test('Trivy JSON: another schema version, a finding without ID, an unknown severity word', () => {
  const report = JSON.parse(fixture('trivy/debian-buster.json'))
  expectError(JSON.stringify({ ...report, SchemaVersion: 1 }), 'trivy-json', /SchemaVersion is 1, expected 2/)
  expectError(JSON.stringify({ Results: [] }), 'trivy-json', /SchemaVersion is missing/)
  const noId = structuredClone(report)
  delete noId.Results[0].Vulnerabilities[1].VulnerabilityID
  expectError(
    JSON.stringify(noId),
    'trivy-json',
    /Results\[0\]\.Vulnerabilities\[1\]\.VulnerabilityID is missing/,
  )
  const oddSeverity = structuredClone(report)
  oddSeverity.Results[0].Vulnerabilities[0].Severity = 'SEVERE'
  expectError(JSON.stringify(oddSeverity), 'trivy-json', /"SEVERE", not a Trivy severity/)
  expectError(
    JSON.stringify({ ...report, Results: {} }),
    'trivy-json',
    /Results is an? object, expected an array/,
  )
  expectError('[]', 'trivy-json', /the document is an array, expected an object/)
})

test('SARIF: another version, a run whose results are missing (the tool failed), an undefined rule index', () => {
  const log = JSON.parse(fixture('trivy/alpine-310.sarif'))
  expectError(JSON.stringify({ ...log, version: '2.0.0' }), 'sarif', /version is "2.0.0"/)
  const failed = structuredClone(log)
  delete failed.runs[0].results
  expectError(JSON.stringify(failed), 'sarif', /runs\[0\]\.results is missing: the tool produced no results/)
  const dangling = structuredClone(log)
  dangling.runs[0].results[0].ruleIndex = 7
  expectError(JSON.stringify(dangling), 'sarif', /refers to rule 7, which does not exist/)
})
