import { parseCycloneDx } from '../../../src/scan/cyclonedx.js'
import { parseGrypeJson } from '../../../src/scan/grype.js'
import type { Finding, ScanOutcome, ScanReport } from '../../../src/scan/report.js'
import { parseSarif } from '../../../src/scan/sarif.js'
import { parseTrivyJson } from '../../../src/scan/trivy-json.js'
import { parseTrivyTable } from '../../../src/scan/trivy-table.js'
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

describe('Trivy table', () => {
  const { findings } = report(parseTrivyTable(fixture('trivy/action-vuln-image-1.2.3-critical.table.txt')))

  test('rebuilds merged cells: musl-utils shares the CVE, versions and title drawn once for musl', () => {
    const musl = byId(findings, 'CVE-2019-14697')
    expect(musl.map((finding) => finding.package)).toEqual(['musl', 'musl-utils'])
    expect({ ...musl[1], package: 'musl' }).toEqual(musl[0])
    expect(musl[1]).toMatchObject({
      installedVersion: '1.1.18-r3',
      fixedVersion: '1.1.18-r4',
      status: 'fixed',
    })
  })

  test('joins wrapped cells and drops the advisory URL from the title', () => {
    expect(byId(findings, 'CVE-2021-25900')[0]).toMatchObject({
      target: 'rust-app/Cargo.lock (cargo)',
      package: 'smallvec',
      fixedVersion: '0.6.14, 1.6.1',
      title: 'An issue was discovered in the smallvec crate before 0.6.14 and 1.x...',
    })
    expect(
      findings.filter((finding) => finding.package === 'curl').map((finding) => finding.fixedVersion),
    ).toEqual(['7.61.1-r0', '7.61.1-r1', '7.61.1-r1', '7.61.1-r1', '7.61.1-r2', '7.61.1-r3', '7.61.1-r3'])
  })

  test('rejects a table whose rows disagree with its Total line', () => {
    const text = fixture('trivy/action-vuln-image-1.2.3-critical.table.txt').replace(
      'Total: 4 (CRITICAL: 4)',
      'Total: 5 (CRITICAL: 5)',
    )
    const outcome = parseTrivyTable(text)
    expect(outcome.ok).toBe(false)
    if (!outcome.ok)
      expect(outcome.message).toMatch(/rows give CRITICAL 4, but its "Total:" line says CRITICAL 5/)
  })

  test('rejects a secrets section with findings, accepts one with none', () => {
    const secrets = [
      'deploy.sh (secrets)',
      '===================',
      'Total: 1 (HIGH: 1)',
      '',
      'HIGH: AWS (aws-access-key-id)',
    ]
    const rejected = parseTrivyTable(secrets.join('\n'))
    expect(rejected.ok).toBe(false)
    if (!rejected.ok) expect(rejected.message).toMatch(/free-text layout Trivy uses for secrets/)
    const clean = report(
      parseTrivyTable(['deploy.sh (secrets)', '===================', 'Total: 0 (HIGH: 0)'].join('\n')),
    )
    expect(clean.findings).toEqual([])
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

describe('CycloneDX', () => {
  const bom = () => JSON.parse(fixture('trivy/fluentd-sbom-scan.cdx.json'))

  test("picks Trivy's severity: the data source's rating, else NVD's (not the highest rating)", () => {
    const { findings } = report(parseCycloneDx(fixture('trivy/fluentd-sbom-scan.cdx.json')))
    expect(findings.map(({ id, severity, package: name }) => `${id} ${name} ${severity}`)).toEqual([
      'CVE-2019-18224 libidn2-0 CRITICAL', // debian has no rating: NVD
      'CVE-2019-18276 bash LOW', // debian says low; NVD, cbl-mariner and photon say high
      'CVE-2020-8165 activesupport HIGH', // ghsa says high; NVD v3.1 says critical
    ])
    expect(findings.map((finding) => finding.fixedVersion)).toEqual([
      '2.0.5-1+deb10u1',
      undefined,
      '6.0.3.1, 5.2.4.3',
    ])
  })

  test("prefers NVD's v3 rating to the v2 one Trivy derives from the score; then the highest; none is UNKNOWN", () => {
    const document = bom()
    const [first, second, third] = document.vulnerabilities
    first.ratings = [
      { source: { name: 'nvd' }, severity: 'high', method: 'CVSSv2' },
      { source: { name: 'nvd' }, severity: 'medium', method: 'CVSSv31' },
    ]
    second.ratings = [
      { source: { name: 'redhat' }, severity: 'low' },
      { source: { name: 'ubuntu' }, severity: 'medium' },
    ]
    third.ratings = []
    const { findings } = report(parseCycloneDx(JSON.stringify(document)))
    expect(findings.map((finding) => finding.severity)).toEqual(['MEDIUM', 'MEDIUM', 'UNKNOWN'])
  })

  test('one finding per affected package; the fixed version only for the package Trivy names', () => {
    const document = bom()
    document.vulnerabilities[0].affects.push({ ref: document.components[1]['bom-ref'] })
    const { findings, uniqueIds } = report(parseCycloneDx(JSON.stringify(document)))
    expect(
      byId(findings, 'CVE-2019-18224').map(({ package: name, fixedVersion }) => [name, fixedVersion]),
    ).toEqual([
      ['libidn2-0', '2.0.5-1+deb10u1'],
      ['bash', undefined],
    ])
    expect([findings.length, uniqueIds]).toEqual([4, 3])
  })
})

describe('Grype JSON', () => {
  test('Negligible counts as LOW; fix state and versions are kept', () => {
    const document = JSON.parse(fixture('grype/synthetic-image.json'))
    document.matches[1].vulnerability.severity = 'Negligible'
    const { findings, counts } = report(parseGrypeJson(JSON.stringify(document)))
    expect(counts).toMatchObject({ CRITICAL: 0, LOW: 2 })
    expect(findings[0]).toMatchObject({
      id: 'CVE-1999-0001',
      package: 'package-1',
      installedVersion: '1.1.1',
      fixedVersion: '1.2.1, 2.1.3, 3.4.0',
      status: 'fixed',
      target: '/foo/bar/somefile-1.txt',
    })
    expect(findings[1]).toMatchObject({ fixedVersion: undefined, status: undefined })
    const keycloak = report(parseGrypeJson(fixture('grype/keycloak-21.0.2-cve-2020-12413.json')))
    expect(new Set(keycloak.findings.map((finding) => finding.status))).toEqual(new Set(['wont-fix']))
  })
})
