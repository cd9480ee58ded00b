import { evaluateGate, type GateOptions } from '../../../src/scan/gate.js'
import type { ScanOutcome } from '../../../src/scan/report.js'
import { parseTrivyJson } from '../../../src/scan/trivy-json.js'
import { parseTrivyIgnore } from '../../../src/scan/trivyignore.js'
import { fixture } from './fixtures.js'

const NOW = new Date('2026-03-01T12:00:00Z')
const trivy = (name: string): ScanOutcome => parseTrivyJson(fixture(`trivy/${name}`))
const options = (extra: Partial<GateOptions> = {}): GateOptions => ({ now: NOW, ...extra })

describe('ignore-unfixed', () => {
  // debian-buster: CVE-2019-18224 CRITICAL `fixed` (libidn2-0), CVE-2019-18276 LOW `affected` (bash).
  const scans = { 'linux/amd64': trivy('debian-buster.json') }

  test('waives the affected LOW, which changes the verdict of a LOW gate', () => {
    expect(evaluateGate(scans, options({ severities: ['LOW'] })).result).toBe('failed')
    const verdict = evaluateGate(scans, options({ severities: ['LOW'], ignoreUnfixed: true }))
    expect(verdict.result).toBe('passed')
    expect(verdict.perPlatform['linux/amd64']).toMatchObject({
      counts: { CRITICAL: 1, HIGH: 0, MEDIUM: 0, LOW: 0, UNKNOWN: 0 },
      waived: { ignored: 0, unfixed: 1 },
    })
  })

  test('never waives the fixed CRITICAL', () => {
    const verdict = evaluateGate(scans, options({ ignoreUnfixed: true }))
    expect(verdict.result).toBe('failed')
    expect(verdict.blocking.map((finding) => finding.id)).toEqual(['CVE-2019-18224'])
  })

  test('waives will_not_fix (centos), not fixed ones', () => {
    const centos = evaluateGate(
      { 'linux/amd64': trivy('centos-7.json') },
      options({ severities: ['LOW'], ignoreUnfixed: true }),
    )
    expect(centos.blocking.map((finding) => finding.id)).toEqual(['CVE-2018-0734'])
  })

  test('never waives secrets or misconfigurations, which have no fix version', () => {
    const secrets = evaluateGate(
      { 'linux/amd64': trivy('secrets-repo.json') },
      options({ ignoreUnfixed: true }),
    )
    expect(secrets.blocking.map((finding) => finding.id)).toEqual(['aws-access-key-id', 'mysecret'])
  })

  test('follows the status when there is one, else whether a fixed version is named', () => {
    const text = JSON.stringify({
      SchemaVersion: 2,
      Results: [
        {
          Target: 'app',
          Vulnerabilities: [
            // Trivy --ignore-unfixed waives every status but `fixed`, even when a version is named.
            { VulnerabilityID: 'CVE-2000-1', Severity: 'HIGH', Status: 'end_of_life', FixedVersion: '2' },
            // Older reports have no Status: the fixed version decides.
            { VulnerabilityID: 'CVE-2000-2', Severity: 'HIGH', FixedVersion: '2' },
            { VulnerabilityID: 'CVE-2000-3', Severity: 'HIGH' },
          ],
        },
      ],
    })
    const verdict = evaluateGate({ 'linux/amd64': parseTrivyJson(text) }, options({ ignoreUnfixed: true }))
    expect(verdict.blocking.map((finding) => finding.id)).toEqual(['CVE-2000-2'])
  })
})

test('severity CRITICAL only lets HIGH findings through', () => {
  const scans = { 'linux/amd64': trivy('action-config-terraform.json') } // HIGH 5, MEDIUM 1, LOW 2
  expect(evaluateGate(scans, options()).result).toBe('failed')
  const verdict = evaluateGate(scans, options({ severities: ['CRITICAL'] }))
  expect(verdict.result).toBe('passed')
  expect(verdict.perPlatform['linux/amd64']).toMatchObject({
    counts: { HIGH: 5, MEDIUM: 1, LOW: 2 },
    blocking: [],
  })
})

describe('.trivyignore', () => {
  const scans = { 'linux/amd64': trivy('debian-buster.json') }
  const gate = (ignoreFile: string, now = NOW) =>
    evaluateGate(scans, { now, ignore: parseTrivyIgnore(ignoreFile).entries })

  test('an ID without expiry waives the CRITICAL', () => {
    expect(gate('').result).toBe('failed')
    const verdict = gate('# accepted: not reachable\nCVE-2019-18224\n')
    expect(verdict.result).toBe('passed')
    expect(verdict.perPlatform['linux/amd64']).toMatchObject({
      counts: { CRITICAL: 0, LOW: 1 },
      waived: { ignored: 1, unfixed: 0 },
    })
  })

  test('an expired entry waives nothing and is reported', () => {
    const verdict = gate('CVE-2019-18224 exp:2026-03-01')
    expect(verdict.result).toBe('failed')
    expect(verdict.expiredIgnores).toEqual([
      { id: 'CVE-2019-18224', expiresAt: new Date('2026-03-01'), line: 1 },
    ])
    expect(gate('CVE-2019-18224 exp:2026-03-02')).toMatchObject({ result: 'passed', expiredIgnores: [] })
  })

  test("expires once its date has begun, as Trivy's ExpiredAt.Before(now)", () => {
    expect(gate('CVE-2019-18224 exp:2026-03-01', new Date('2026-03-01T00:00:00.000Z')).result).toBe('passed')
    expect(gate('CVE-2019-18224 exp:2026-03-01', new Date('2026-03-01T00:00:00.001Z')).result).toBe('failed')
  })

  test('a plain list of IDs works the same way', () => {
    expect(evaluateGate(scans, options({ ignore: [{ id: 'CVE-2019-18224' }] })).result).toBe('passed')
    expect(evaluateGate(scans, options({ ignore: [{ id: 'cve-2019-18224' }] })).result).toBe('failed')
  })
})

describe('UNKNOWN severity', () => {
  const unknownOnly = JSON.stringify({
    SchemaVersion: 2,
    Results: [
      {
        Target: 'go.mod',
        Vulnerabilities: [
          { VulnerabilityID: 'GMS-2022-20', PkgName: 'x', Severity: 'UNKNOWN', Status: 'fixed' },
        ],
      },
    ],
  })
  const scans = { 'linux/amd64': parseTrivyJson(unknownOnly) }

  test('an UNKNOWN-only report fails a gate that includes UNKNOWN', () => {
    expect(evaluateGate(scans, options()).result).toBe('passed')
    expect(evaluateGate(scans, options({ severities: ['CRITICAL', 'HIGH', 'UNKNOWN'] })).result).toBe(
      'failed',
    )
  })

  test('gomod: the 4 UNKNOWN findings block, the MEDIUM does not', () => {
    const verdict = evaluateGate(
      { 'linux/amd64': trivy('gomod-repo-unknown-severity.json') },
      options({ severities: ['UNKNOWN'] }),
    )
    const platform = verdict.perPlatform['linux/amd64']
    expect(platform?.result === 'failed' && platform.blocking.length).toBe(4)
    // GMS-2022-20 is in three go.mod files of one platform: one line of the summary.
    expect(verdict.blocking.map((finding) => [finding.id, finding.platforms])).toEqual([
      ['CVE-2021-38561', ['linux/amd64']],
      ['GMS-2022-20', ['linux/amd64']],
    ])
  })
})

describe('a report that cannot be read is an error, never a pass', () => {
  const clean = trivy('sl-micro-rancher-5.4-zero-vulns.json')

  test.each([
    ['garbage', 'panic: runtime error: invalid memory address'],
    ['truncated', fixture('trivy/alpine-310.json').slice(0, 5000)],
    ['empty', ''],
  ])('%s', (_name, text) => {
    const verdict = evaluateGate({ 'linux/amd64': clean, 'linux/arm64': parseTrivyJson(text) }, options())
    expect(verdict.result).toBe('error')
    expect(verdict.perPlatform['linux/amd64']).toMatchObject({ result: 'passed' })
    expect(verdict.perPlatform['linux/arm64']).toEqual({
      result: 'error',
      message: expect.stringMatching(/^Trivy JSON report cannot be read: /),
    })
  })

  test('a scanner failure reported by the caller', () => {
    const verdict = evaluateGate(
      { 'linux/amd64': { ok: false, message: 'trivy exited with code 2' } },
      options(),
    )
    expect(verdict).toMatchObject({
      result: 'error',
      perPlatform: { 'linux/amd64': { message: 'trivy exited with code 2' } },
    })
  })

  test('error wins over failed', () => {
    const verdict = evaluateGate(
      { 'linux/amd64': trivy('alpine-39.json'), 'linux/arm64': parseTrivyJson('{') },
      options(),
    )
    expect(verdict.result).toBe('error')
    expect(verdict.blocking.map((finding) => finding.platforms)).toEqual([['linux/amd64'], ['linux/amd64']])
  })

  test('no platform at all, or no blocking severity, is a mistake of the caller', () => {
    expect(() => evaluateGate({}, options())).toThrow('no platform')
    expect(() => evaluateGate({ 'linux/amd64': clean }, options({ severities: [] }))).toThrow('at least one')
  })
})

describe('several platforms', () => {
  test('only arm64 has CRITICALs: failed, naming arm64 alone', () => {
    const verdict = evaluateGate(
      { 'linux/amd64': trivy('alpine-310.json'), 'linux/arm64': trivy('alpine-39.json') },
      options(),
    )
    expect(verdict.result).toBe('failed')
    expect(verdict.perPlatform['linux/amd64']).toMatchObject({
      result: 'passed',
      counts: { MEDIUM: 4 },
      blocking: [],
    })
    expect(verdict.perPlatform['linux/arm64']).toMatchObject({
      result: 'failed',
      counts: { CRITICAL: 2, MEDIUM: 4 },
    })
    expect(
      verdict.blocking.map((finding) => `${finding.id} ${finding.package} ${finding.platforms.join(',')}`),
    ).toEqual(['CVE-2019-14697 musl linux/arm64', 'CVE-2019-14697 musl-utils linux/arm64'])
  })

  test('the same finding on both platforms is one blocking line naming both', () => {
    const verdict = evaluateGate(
      { 'linux/amd64': trivy('debian-buster.json'), 'linux/arm64': trivy('debian-buster.json') },
      options(),
    )
    expect(verdict.blocking).toEqual([
      expect.objectContaining({ id: 'CVE-2019-18224', platforms: ['linux/amd64', 'linux/arm64'] }),
    ])
  })

  test('blocking findings: worst first, then those with a fix', () => {
    const verdict = evaluateGate(
      { 'linux/amd64': trivy('distroless-base.json') },
      options({ severities: ['MEDIUM', 'LOW'] }),
    )
    expect(
      verdict.blocking.map(
        (finding) => `${finding.severity} ${finding.id} ${finding.package} ${finding.fixedVersion}`,
      ),
    ).toEqual([
      'MEDIUM CVE-2019-1551 libssl1.1 undefined',
      'MEDIUM CVE-2019-1551 openssl undefined',
      'LOW CVE-2019-1563 libssl1.1 1.1.0l-1~deb9u1',
      'LOW CVE-2019-1563 openssl 1.1.0l-1~deb9u1',
    ])
    const sameSeverity = JSON.stringify({
      SchemaVersion: 2,
      Results: [
        {
          Target: 'app',
          Vulnerabilities: [
            { VulnerabilityID: 'CVE-2000-1', PkgName: 'a', Severity: 'HIGH', Status: 'affected' },
            {
              VulnerabilityID: 'CVE-2000-2',
              PkgName: 'b',
              Severity: 'HIGH',
              Status: 'fixed',
              FixedVersion: '2',
            },
          ],
        },
      ],
    })
    const verdict2 = evaluateGate({ 'linux/amd64': parseTrivyJson(sameSeverity) }, options())
    expect(verdict2.blocking.map((finding) => finding.id)).toEqual(['CVE-2000-2', 'CVE-2000-1'])
  })
})
