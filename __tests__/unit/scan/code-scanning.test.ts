import { gzipSync } from 'node:zlib'
import { codeScanningSarif, GITHUB_SARIF_LIMITS, type SarifLimits } from '../../../src/scan/code-scanning.js'
import type { Severity } from '../../../src/scan/severity.js'
import { fixture } from './fixtures.js'

const NOW = new Date('2026-03-01T12:00:00Z')

interface Run {
  automationDetails: { id: string }
  tool: { driver: { rules: Array<{ id: string; properties: { tags: string[] } }> } }
  results: Array<{ ruleId: string; ruleIndex: number; message: { text: string } }>
}

function runsOf(sarif: object): Run[] {
  return (sarif as { runs: Run[] }).runs
}

/** Each result's ruleIndex must point at the rule it names, or GitHub shows the wrong rule. */
function expectConsistent(run: Run): void {
  for (const result of run.results) expect(run.tool.driver.rules[result.ruleIndex]?.id).toBe(result.ruleId)
  const used = new Set(run.results.map((result) => result.ruleId))
  expect(run.tool.driver.rules.map((rule) => rule.id).filter((id) => !used.has(id))).toEqual([])
}

/** Trivy-shaped SARIF with `count` results, one rule each, severities cycling through `severities`. */
function syntheticSarif(count: number, severities: Severity[], noise = ''): string {
  const ids = Array.from({ length: count }, (_, index) => `CVE-2099-${String(index).padStart(6, '0')}`)
  return JSON.stringify({
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'Trivy',
            rules: ids.map((id, index) => ({
              id,
              properties: { tags: ['vulnerability', 'security', severities[index % severities.length]] },
            })),
          },
        },
        results: ids.map((id, index) => ({
          ruleId: id,
          ruleIndex: index,
          level: 'error',
          message: {
            text: `Package: p${index}\nInstalled Version: 1\nFixed Version: 2\n${noise.slice(index * 7)}`,
          },
        })),
      },
    ],
  })
}

test('filters by the gate severity, dropping unused rules and renumbering rule indexes', () => {
  const terraform = fixture('trivy/action-config-terraform.sarif') // HIGH 5, MEDIUM 1, LOW 2
  const { sarif, warnings } = codeScanningSarif({ 'linux/amd64': terraform }, { now: NOW })
  const [run] = runsOf(sarif)
  expect(warnings).toEqual([])
  expect(run?.results.map((result) => result.ruleId)).toEqual([
    'AWS-0086',
    'AWS-0087',
    'AWS-0091',
    'AWS-0093',
    'AWS-0132',
  ])
  expect(run?.tool.driver.rules.map((rule) => rule.properties.tags[2])).toEqual([
    'HIGH',
    'HIGH',
    'HIGH',
    'HIGH',
    'HIGH',
  ])
  if (run) expectConsistent(run)

  const low = runsOf(
    codeScanningSarif({ 'linux/amd64': terraform }, { now: NOW, severities: ['LOW'] }).sarif,
  )[0]
  expect(low?.results.map((result) => [result.ruleId, result.ruleIndex])).toEqual([
    ['AWS-0089', 0],
    ['AWS-0094', 1],
  ])
  if (low) expectConsistent(low)
})

test('applies the same ignores as the gate', () => {
  const { sarif } = codeScanningSarif(
    { 'linux/amd64': fixture('trivy/action-config-terraform.sarif') },
    { now: NOW, ignore: [{ id: 'AWS-0086' }, { id: 'AWS-0132', expiresAt: new Date('2026-01-01') }] },
  )
  expect(runsOf(sarif)[0]?.results.map((result) => result.ruleId)).toEqual([
    'AWS-0087',
    'AWS-0091',
    'AWS-0093',
    'AWS-0132',
  ])
})

test('one run per platform, each with its own automationDetails id; empty runs are kept', () => {
  const { sarif } = codeScanningSarif(
    {
      'linux/amd64': fixture('trivy/alpine-310.sarif'),
      'linux/arm/v7': fixture('trivy/action-config-terraform.sarif'),
    },
    { now: NOW, category: 'build-scan-push/ghcr.io/acme/app' },
  )
  const runs = runsOf(sarif)
  expect(runs.map((run) => run.automationDetails.id)).toEqual([
    'build-scan-push/ghcr.io/acme/app/linux/amd64/',
    'build-scan-push/ghcr.io/acme/app/linux/arm/v7/',
  ])
  // alpine-310 has only MEDIUMs: the run stays, empty, so GitHub closes its old alerts.
  expect(runs.map((run) => [run.results.length, run.tool.driver.rules.length])).toEqual([
    [0, 0],
    [5, 5],
  ])
  expect(sarif).toMatchObject({ version: '2.1.0' })
})

test('results beyond the per-run limit are cut, most severe kept, with a warning', () => {
  const limits: SarifLimits = { runsPerFile: 20, resultsPerRun: 3, gzipBytes: 10_000_000 }
  const text = syntheticSarif(8, ['LOW', 'CRITICAL', 'MEDIUM', 'HIGH'])
  const { sarif, warnings } = codeScanningSarif(
    { 'linux/amd64': text },
    { now: NOW, limits, severities: ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'] },
  )
  const [run] = runsOf(sarif)
  expect(run?.tool.driver.rules.map((rule) => rule.properties.tags[2])).toEqual([
    'CRITICAL',
    'HIGH',
    'CRITICAL',
  ])
  expect(run?.results.map((result) => result.ruleId)).toEqual([
    'CVE-2099-000001',
    'CVE-2099-000005',
    'CVE-2099-000003',
  ])
  if (run) expectConsistent(run)
  expect(warnings).toEqual([
    'linux/amd64: 5 of 8 results left out of the code-scanning SARIF (GitHub takes at most 3 results per run); the most severe were kept',
  ])
})

test("GitHub's own limit: 25,001 results become 25,000", () => {
  const { sarif, warnings } = codeScanningSarif(
    { 'linux/amd64': syntheticSarif(25_001, ['HIGH']) },
    { now: NOW },
  )
  expect(runsOf(sarif)[0]?.results).toHaveLength(GITHUB_SARIF_LIMITS.resultsPerRun)
  expect(warnings).toEqual([
    expect.stringMatching(/^linux\/amd64: 1 of 25001 results left out .* at most 25000 results per run/),
  ])
})

test('platforms beyond the run limit are left out, with a warning', () => {
  const limits: SarifLimits = { ...GITHUB_SARIF_LIMITS, runsPerFile: 2 }
  const text = fixture('trivy/alpine-310.sarif')
  const { sarif, warnings } = codeScanningSarif(
    { 'linux/amd64': text, 'linux/arm64': text, 'linux/s390x': text },
    { now: NOW, limits },
  )
  expect(runsOf(sarif).map((run) => run.automationDetails.id)).toEqual([
    'build-scan-push/linux/amd64/',
    'build-scan-push/linux/arm64/',
  ])
  expect(warnings).toEqual(['Code scanning takes at most 2 runs per file; platforms left out: linux/s390x'])
})

test('a file over the compressed size limit loses its least severe results until it fits', () => {
  // Incompressible message text, so the results, not the boilerplate, make the size.
  const noise = Array.from({ length: 3000 }, (_, index) => ((index * 7919) % 65_521).toString(36)).join('')
  const text = syntheticSarif(200, ['CRITICAL', 'LOW'], noise)
  const limits: SarifLimits = { runsPerFile: 20, resultsPerRun: 25_000, gzipBytes: 12_000 }
  const all = codeScanningSarif({ 'linux/amd64': text }, { now: NOW, severities: ['CRITICAL', 'LOW'] })
  expect(gzipSync(JSON.stringify(all.sarif)).length).toBeGreaterThan(limits.gzipBytes)

  const { sarif, warnings } = codeScanningSarif(
    { 'linux/amd64': text },
    { now: NOW, severities: ['CRITICAL', 'LOW'], limits },
  )
  const [run] = runsOf(sarif)
  expect(gzipSync(JSON.stringify(sarif)).length).toBeLessThanOrEqual(limits.gzipBytes)
  expect(run?.results.length).toBeGreaterThan(0)
  expect(run?.results.length).toBeLessThan(100) // fewer than the CRITICALs alone: no LOW survives
  expect(new Set(run?.tool.driver.rules.map((rule) => rule.properties.tags[2]))).toEqual(
    new Set(['CRITICAL']),
  )
  if (run) expectConsistent(run)
  expect(warnings).toEqual([
    expect.stringMatching(
      /^linux\/amd64: \d+ of 200 results left out .* at most 12000 bytes per file, gzip-compressed/,
    ),
  ])
})

test('an unreadable SARIF names its platform', () => {
  expect(() => codeScanningSarif({ 'linux/arm64': '{"version":"2.1.0"' }, { now: NOW })).toThrow(
    /^SARIF report for linux\/arm64 cannot be read: not valid JSON/,
  )
  const twoRuns = JSON.parse(fixture('trivy/alpine-310.sarif'))
  twoRuns.runs.push(twoRuns.runs[0])
  expect(() => codeScanningSarif({ 'linux/arm64': JSON.stringify(twoRuns) }, { now: NOW })).toThrow(
    'has 2 runs',
  )
})

describe('Docker Scout SARIF', () => {
  /** The recorded Scout 0.24.1 SARIF (one rule, UNSPECIFIED, "not fixed") with one result of that rule. */
  function scoutSarif(fixedVersion: string): string {
    const log = JSON.parse(
      fixture('scout/luminous-onion_BSD-3-Clause/sarif-0.24.1-rules-only-trimmed_xstream.json'),
    )
    log.runs[0].tool.driver.rules[0].properties.fixed_version = fixedVersion
    log.runs[0].results = [
      { ruleId: 'GMS-2022-9109', ruleIndex: 0, kind: 'fail', level: 'error', message: { text: 'x' } },
    ]
    return JSON.stringify(log)
  }

  test('categorised per platform; its severity tag and its fixed_version judge as the gate does', () => {
    const options = { now: NOW, severities: ['UNKNOWN'] as Severity[] }
    const { sarif } = codeScanningSarif(
      { 'linux/amd64': scoutSarif('not fixed'), 'linux/arm64': scoutSarif('1.4.20') },
      options,
    )
    const runs = runsOf(sarif)
    expect(runs.map((run) => [run.automationDetails.id, run.results.length])).toEqual([
      ['build-scan-push/linux/amd64/', 1],
      ['build-scan-push/linux/arm64/', 1],
    ])
    runs.forEach(expectConsistent)
    const unfixedWaived = codeScanningSarif(
      { 'linux/amd64': scoutSarif('not fixed'), 'linux/arm64': scoutSarif('1.4.20') },
      { ...options, ignoreUnfixed: true },
    )
    expect(runsOf(unfixedWaived.sarif).map((run) => run.results.length)).toEqual([0, 1])
    // UNSPECIFIED is UNKNOWN: a gate on CRITICAL and HIGH keeps nothing of it.
    const highOnly = codeScanningSarif({ 'linux/amd64': scoutSarif('1.4.20') }, { now: NOW })
    expect(runsOf(highOnly.sarif)[0]?.results).toEqual([])
  })
})
