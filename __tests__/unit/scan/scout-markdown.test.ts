// The Scout Markdown parser on every recorded `docker scout cves --format markdown` file
// (__tests__/fixtures/scanners/scout/, see PROVENANCE.md there for how each was captured).
import { readdirSync } from 'node:fs'
import path from 'node:path'
import type { ScanOutcome, ScanReport } from '../../../src/scan/report.js'
import { parseReport } from '../../../src/scan/parse-report.js'
import { parseScoutMarkdown } from '../../../src/scan/scout-markdown.js'
import { fixture, FIXTURES } from './fixtures.js'

const DIR = 'scout/wilds-docker-library_MIT'
const CLEAN = `${DIR}/cves-markdown-clean_star-2.7.4a.md`
const TWO_HIGH = `${DIR}/cves-markdown-2high_consensus-0.1.1.md`
const WITH_STDERR = `${DIR}/cves-markdown-with-stderr-progress_consensus-0.1.1.md`
const PICARD = `${DIR}/cves-markdown_picard-3.1.1.md`
const RATE_LIMIT = `${DIR}/cves-markdown-error-ratelimit_rtorch-0.13.0.txt`

function report(outcome: ScanOutcome): ScanReport {
  if (!outcome.ok) throw new Error(outcome.message)
  return outcome
}

test('every recorded file is accounted for here: reports parse, the failure does not', () => {
  const recorded = readdirSync(path.join(FIXTURES, DIR)).filter((file) => file !== 'LICENSE')
  expect(recorded.map((file) => `${DIR}/${file}`).sort()).toEqual(
    [CLEAN, TWO_HIGH, WITH_STDERR, PICARD, RATE_LIMIT].sort(),
  )
})

test('a clean image: a real, empty report', () => {
  const parsed = report(parseScoutMarkdown(fixture(CLEAN)))
  expect(parsed.format).toBe('scout-markdown')
  expect(parsed.findings).toEqual([])
  expect(parsed.counts).toEqual({ CRITICAL: 0, HIGH: 0, MEDIUM: 0, LOW: 0, UNKNOWN: 0 })
})

test('two HIGH in setuptools: id from the link, severity, package, versions and title', () => {
  const parsed = report(parseScoutMarkdown(fixture(TWO_HIGH)))
  expect(parsed.counts).toEqual({ CRITICAL: 0, HIGH: 2, MEDIUM: 0, LOW: 0, UNKNOWN: 0 })
  expect(parsed.findings).toEqual([
    {
      kind: 'vulnerability',
      id: 'CVE-2022-40897',
      severity: 'HIGH',
      target: 'getwilds/consensus:0.1.1',
      package: 'setuptools',
      installedVersion: '33.1.1',
      fixedVersion: '65.5.1',
      title: 'Inefficient Regular Expression Complexity',
    },
    {
      kind: 'vulnerability',
      id: 'CVE-2024-6345',
      severity: 'HIGH',
      target: 'getwilds/consensus:0.1.1',
      package: 'setuptools',
      installedVersion: '33.1.1',
      fixedVersion: '70.0.0',
      title: "Improper Control of Generation of Code ('Code Injection')",
    },
  ])
})

test('stderr progress lines and the "What\'s next" hint around the report change nothing', () => {
  const alone = report(parseScoutMarkdown(fixture(TWO_HIGH)))
  const mixed = report(parseScoutMarkdown(fixture(WITH_STDERR)))
  expect(mixed.findings).toEqual(alone.findings)
})

test('several packages, a severity without a score ("high : …"), MEDIUM findings', () => {
  const parsed = report(parseScoutMarkdown(fixture(PICARD)))
  expect(parsed.counts).toEqual({ CRITICAL: 0, HIGH: 2, MEDIUM: 2, LOW: 0, UNKNOWN: 0 })
  expect(
    parsed.findings.map((f) => [f.id, f.severity, f.package, f.installedVersion, f.fixedVersion]),
  ).toEqual([
    ['CVE-2023-5072', 'HIGH', 'org.json/json', '20230618', '20231013'],
    ['CVE-2024-47554', 'HIGH', 'commons-io/commons-io', '2.11.0', '2.14.0'],
    ['CVE-2024-26308', 'MEDIUM', 'org.apache.commons/commons-compress', '1.24.0', '1.26.0'],
    ['CVE-2024-25710', 'MEDIUM', 'org.apache.commons/commons-compress', '1.24.0', '1.26.0'],
  ])
  expect(parsed.uniqueIds).toBe(4)
})

test('the rate-limit failure is no report: a ScanError, never a clean result', () => {
  const outcome = parseReport(fixture(RATE_LIMIT), 'scout-markdown')
  expect(outcome).toEqual({
    ok: false,
    message: expect.stringMatching(
      /^Docker Scout Markdown report cannot be read: no "Vulnerabilities of" header/,
    ),
  })
})

test('a report cut short (a vulnerability missing from the header totals) is a ScanError', () => {
  const text = fixture(TWO_HIGH)
  const cut = text.slice(0, text.indexOf('<a href="https://scout.docker.com/v/CVE-2024-6345'))
  expect(parseScoutMarkdown(cut)).toEqual({
    ok: false,
    message: expect.stringContaining('HIGH 1 listed, 2 in the totals'),
  })
})

test('a severity word Scout does not write is a ScanError, not a guess', () => {
  const text = fixture(TWO_HIGH).replace('<img alt="high 8.7: CVE--2022--40897"', '<img alt="severe 8.7: X"')
  expect(parseScoutMarkdown(text)).toEqual({ ok: false, message: expect.stringContaining('"severe"') })
})

test('"not fixed" is no fixed version, so ignore-unfixed can waive it', () => {
  const text = fixture(TWO_HIGH).replace(
    '<td><code>65.5.1</code></td></tr>',
    '<td><code>not fixed</code></td></tr>',
  )
  const [first] = report(parseScoutMarkdown(text)).findings
  expect(first?.fixedVersion).toBeUndefined()
})
