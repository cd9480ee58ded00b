import { parseReport } from '../../../src/scan/parse-report.js'
import type { FindingKind, ReportFormat } from '../../../src/scan/report.js'
import { zeroCounts, type SeverityCounts } from '../../../src/scan/severity.js'
import { fixture, fixtureNames } from './fixtures.js'

interface Expected {
  format: ReportFormat
  counts: Partial<SeverityCounts>
  /** Given where PROVENANCE.md states it. */
  uniqueIds?: number
  kind?: FindingKind
}

// The numbers of __tests__/fixtures/scanners/PROVENANCE.md, one row per fixture file.
const EXPECTED: Record<string, Expected> = {
  'trivy/alpine-310.json': { format: 'trivy-json', counts: { MEDIUM: 4 }, uniqueIds: 2 },
  'trivy/alpine-310.sarif': { format: 'sarif', counts: { MEDIUM: 4 }, uniqueIds: 2 },
  'trivy/alpine-39.json': { format: 'trivy-json', counts: { CRITICAL: 2, MEDIUM: 4 }, uniqueIds: 3 },
  'trivy/debian-buster.json': { format: 'trivy-json', counts: { CRITICAL: 1, LOW: 1 } },
  'trivy/ubuntu-1804.json': { format: 'trivy-json', counts: { MEDIUM: 4, LOW: 1 }, uniqueIds: 2 },
  'trivy/centos-7.json': { format: 'trivy-json', counts: { MEDIUM: 1, LOW: 2 } },
  'trivy/distroless-base.json': { format: 'trivy-json', counts: { MEDIUM: 2, LOW: 2 }, uniqueIds: 2 },
  'trivy/fluentd-gems-ignore-unfixed.json': { format: 'trivy-json', counts: { CRITICAL: 1, HIGH: 1 } },
  'trivy/spring4shell-jre11.json': { format: 'trivy-json', counts: { CRITICAL: 1 } },
  'trivy/gomod-repo-unknown-severity.json': {
    format: 'trivy-json',
    counts: { MEDIUM: 1, UNKNOWN: 4 },
    uniqueIds: 3,
  },
  'trivy/sl-micro-rancher-5.4-zero-vulns.json': { format: 'trivy-json', counts: {}, uniqueIds: 0 },
  'trivy/alpine-39-skip-files-no-results.json': { format: 'trivy-json', counts: {}, uniqueIds: 0 },
  'trivy/secrets-repo.json': { format: 'trivy-json', counts: { CRITICAL: 1, HIGH: 1 }, kind: 'secret' },
  // KSV-0118 fails twice: 18 findings, 17 IDs.
  'trivy/helm-chart-misconfig.json': {
    format: 'trivy-json',
    counts: { HIGH: 3, MEDIUM: 4, LOW: 11 },
    uniqueIds: 17,
    kind: 'misconfiguration',
  },
  'trivy/fluentd-sbom-scan.json': { format: 'trivy-json', counts: { CRITICAL: 1, HIGH: 1, LOW: 1 } },
  'trivy/action-alpine-3.10-critical.json': { format: 'trivy-json', counts: { CRITICAL: 1 } },
  'trivy/action-config-terraform.json': {
    format: 'trivy-json',
    counts: { HIGH: 5, MEDIUM: 1, LOW: 2 },
    kind: 'misconfiguration',
  },
  'trivy/action-config-terraform.sarif': {
    format: 'sarif',
    counts: { HIGH: 5, MEDIUM: 1, LOW: 2 },
    kind: 'misconfiguration',
  },
}

test('every fixture file has its expected counts here', () => {
  expect(Object.keys(EXPECTED).sort()).toEqual(fixtureNames().sort())
})

test.each(Object.entries(EXPECTED))('%s has the counts PROVENANCE.md gives', (name, expected) => {
  const outcome = parseReport(fixture(name), expected.format)
  if (!outcome.ok) throw new Error(outcome.message)
  expect(outcome.counts).toEqual({ ...zeroCounts(), ...expected.counts })
  if (expected.uniqueIds !== undefined) expect(outcome.uniqueIds).toBe(expected.uniqueIds)
  if (expected.kind !== undefined)
    expect(new Set(outcome.findings.map((finding) => finding.kind))).toEqual(new Set([expected.kind]))
})
