import type { Finding, ScanOutcome, ScanReport } from '../../../src/scan/report.js'
import { parseSarif } from '../../../src/scan/sarif.js'
import { parseTrivyJson } from '../../../src/scan/trivy-json.js'
import { fixture } from './fixtures.js'

function report(outcome: ScanOutcome): ScanReport {
  if (!outcome.ok) throw new Error(outcome.message)
  return outcome
}

function byId(findings: Finding[], id: string): Finding[] {
  return findings.filter((finding) => finding.id === id)
}

describe('Trivy JSON', () => {
  test('keeps package, versions, fix status and title of each finding', () => {
    const { findings } = report(parseTrivyJson(fixture('trivy/debian-buster.json')))
    expect(findings).toEqual([
      expect.objectContaining({
        kind: 'vulnerability',
        id: 'CVE-2019-18276',
        severity: 'LOW',
        target: 'testdata/fixtures/images/debian-buster.tar.gz (debian 10.1)',
        package: 'bash',
        installedVersion: '5.0-4',
        fixedVersion: undefined,
        status: 'affected',
        title: 'bash: when effective UID is not equal to its real UID the saved UID is not dropped',
      }),
      expect.objectContaining({
        id: 'CVE-2019-18224',
        severity: 'CRITICAL',
        package: 'libidn2-0',
        fixedVersion: '2.0.5-1+deb10u1',
        status: 'fixed',
      }),
    ])
  })

  test('keeps will_not_fix, and targets of every result', () => {
    const centos = report(parseTrivyJson(fixture('trivy/centos-7.json')))
    expect(byId(centos.findings, 'CVE-2019-18276')[0]?.status).toBe('will_not_fix')
    const gomod = report(parseTrivyJson(fixture('trivy/gomod-repo-unknown-severity.json')))
    expect(byId(gomod.findings, 'GMS-2022-20').map((finding) => finding.target)).toEqual([
      'go.mod',
      'submod/go.mod',
      'submod2/go.mod',
    ])
  })

  test('counts only FAIL misconfigurations, and secrets by their own severity', () => {
    const document = JSON.parse(fixture('trivy/action-config-terraform.json'))
    const misconfigurations = document.Results[1].Misconfigurations
    misconfigurations[0].Status = 'PASS'
    misconfigurations[1].Status = 'EXCEPTION'
    expect(report(parseTrivyJson(JSON.stringify(document))).counts.HIGH).toBe(3)
    const secrets = report(parseTrivyJson(fixture('trivy/secrets-repo.json')))
    expect(secrets.findings.map(({ id, severity, target }) => ({ id, severity, target }))).toEqual([
      { id: 'aws-access-key-id', severity: 'CRITICAL', target: 'deploy.sh' },
      { id: 'mysecret', severity: 'HIGH', target: 'deploy.sh' },
    ])
  })

  test('reads null lists as empty (older encoders wrote null)', () => {
    const text = JSON.stringify({ SchemaVersion: 2, Results: [{ Target: 'x', Vulnerabilities: null }] })
    expect(report(parseTrivyJson(text)).findings).toEqual([])
  })
})

describe('SARIF', () => {
  // One rule per severity source under test; the result `level`s say what a non-Trivy producer would.
  function sarif(rules: object[], results: object[]): string {
    return JSON.stringify({ version: '2.1.0', runs: [{ tool: { driver: { name: 't', rules } }, results }] })
  }
  const result = (ruleIndex: number, extra: object = {}) => ({ ruleIndex, message: { text: 'm' }, ...extra })

  test('takes the severity word from the rule tags before the level', () => {
    const rules = [{ id: 'A', properties: { tags: ['vulnerability', 'security', 'CRITICAL'] } }]
    expect(
      report(parseSarif(sarif(rules, [result(0, { ruleId: 'A', level: 'note' })]))).counts.CRITICAL,
    ).toBe(1)
  })

  test('without a tag: level, then security-severity with GitHub thresholds, then warning', () => {
    const rules = [
      { id: 'L', defaultConfiguration: { level: 'error' }, properties: { 'security-severity': '9.8' } },
      { id: 'S9', properties: { 'security-severity': '9.0' } },
      { id: 'S7', properties: { 'security-severity': '7.0' } },
      { id: 'S4', properties: { 'security-severity': '4.0' } },
      { id: 'S3', properties: { 'security-severity': '3.9' } },
      { id: 'N' },
    ]
    const results = [
      result(0, { ruleId: 'L' }),
      result(0, { ruleId: 'L', level: 'none' }),
      result(1, { ruleId: 'S9' }),
      result(2, { ruleId: 'S7' }),
      result(3, { ruleId: 'S4' }),
      result(4, { ruleId: 'S3' }),
      result(5, { ruleId: 'N' }),
    ]
    const { findings } = report(parseSarif(sarif(rules, results)))
    expect(findings.map((finding) => `${finding.id}:${finding.severity}`)).toEqual([
      'L:HIGH',
      'L:UNKNOWN',
      'S9:CRITICAL',
      'S7:HIGH',
      'S4:MEDIUM',
      'S3:LOW',
      'N:MEDIUM',
    ])
  })

  test("Docker Scout's UNSPECIFIED tag is UNKNOWN; pass results and license rules are not findings", () => {
    const rules = [
      { id: 'GMS-2022-9109', properties: { tags: ['UNSPECIFIED'], 'security-severity': '3.1' } },
      { id: 'GPL-3.0', properties: { tags: ['license', 'HIGH'] } },
    ]
    const results = [
      result(0, { ruleId: 'GMS-2022-9109' }),
      result(0, { kind: 'pass' }),
      result(1, { ruleId: 'GPL-3.0' }),
    ]
    const { findings } = report(parseSarif(sarif(rules, results)))
    expect(findings.map(({ id, severity }) => ({ id, severity }))).toEqual([
      { id: 'GMS-2022-9109', severity: 'UNKNOWN' },
    ])
  })

  test("reads package and versions from Trivy's message, and finds rules by id", () => {
    const { findings } = report(parseSarif(fixture('trivy/alpine-310.sarif')))
    expect(findings[3]).toEqual({
      kind: 'vulnerability',
      id: 'CVE-2019-1551',
      severity: 'MEDIUM',
      target: 'testdata/fixtures/images/alpine-310.tar.gz',
      package: 'libssl1.1',
      installedVersion: '1.1.1c-r0',
      fixedVersion: '1.1.1d-r2',
      title: 'openssl: Integer overflow in RSAZ modular exponentiation on x86_64',
    })
    const byRuleId = sarif(
      [{ id: 'X', properties: { tags: ['LOW'] } }],
      [{ ruleId: 'X', message: { text: '' } }],
    )
    expect(report(parseSarif(byRuleId)).counts.LOW).toBe(1)
  })
})

describe('Docker Scout SARIF (the recorded 0.24.1 file, trimmed by its author to one rule and no results)', () => {
  const SCOUT_SARIF = 'scout/luminous-onion_BSD-3-Clause/sarif-0.24.1-rules-only-trimmed_xstream.json'

  test('as recorded it has no results array: not a clean scan but a report that cannot be read', () => {
    expect(parseSarif(fixture(SCOUT_SARIF))).toEqual({
      ok: false,
      message: 'SARIF report cannot be read: runs[0].results is missing: the tool produced no results',
    })
  })

  test('a result of its rule: UNSPECIFIED is UNKNOWN, the package from purl, "not fixed" is no fix', () => {
    // The recording's run with one result for its one rule, in the shape SEMANTICS.md describes.
    const log = JSON.parse(fixture(SCOUT_SARIF))
    log.runs[0].results = [
      { ruleId: 'GMS-2022-9109', ruleIndex: 0, kind: 'fail', level: 'error', message: { text: 'x' } },
    ]
    const [finding] = report(parseSarif(JSON.stringify(log))).findings
    expect(finding).toEqual({
      kind: 'vulnerability',
      id: 'GMS-2022-9109',
      severity: 'UNKNOWN',
      target: '',
      package: 'pkg:maven/com.thoughtworks.xstream/xstream@1.4.5',
      installedVersion: undefined,
      fixedVersion: undefined,
      title: 'GMS-2022-9109: OWASP Top Ten 2017 Category A9 - Using Components with Known Vulnerabilities',
    })
    log.runs[0].tool.driver.rules[0].properties.fixed_version = '1.4.20'
    log.runs[0].tool.driver.rules[0].properties.purls = ['pkg:maven/com.thoughtworks.xstream/xstream@1.4.5']
    expect(report(parseSarif(JSON.stringify(log))).findings[0]?.fixedVersion).toBe('1.4.20')
  })
})
