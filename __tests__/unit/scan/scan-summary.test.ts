import { evaluateGate } from '../../../src/scan/gate.js'
import { parseReport } from '../../../src/scan/parse-report.js'
import {
  renderScanSummary,
  scanAllowsPush,
  type ScanSummaryInput,
  vulnerabilityCounts,
} from '../../../src/scan/summary.js'
import { fixture } from './fixtures.js'

const now = new Date('2026-11-23T12:00:00Z')
const trivy = (name: string) => parseReport(fixture(`trivy/${name}`), 'trivy-json')
const inputs: ScanSummaryInput['inputs'] = {
  severities: ['CRITICAL', 'HIGH'],
  ignoreUnfixed: false,
  scanFail: true,
  trivyignores: [],
  vex: [],
}

describe('scanAllowsPush', () => {
  test.each([
    ['passed', true, true],
    ['passed', false, true],
    ['skipped', true, true],
    ['failed', true, false],
    ['failed', false, true],
    ['error', true, false],
    ['error', false, false],
  ] as const)('%s with scan-fail %s → push %s', (result, scanFail, allowed) => {
    expect(scanAllowsPush(result, scanFail)).toBe(allowed)
  })
})

test('vulnerabilities: counts per platform after ignores, null for a platform that could not be scanned', () => {
  const verdict = evaluateGate(
    {
      'linux/amd64': trivy('alpine-310.json'),
      'linux/arm64': trivy('debian-buster.json'),
      'linux/s390x': { ok: false, message: 'Trivy scan of linux/s390x failed with exit code 2' },
    },
    { now, ignore: [{ id: 'CVE-2019-18276' }] },
  )
  expect(vulnerabilityCounts(verdict)).toEqual({
    'linux/amd64': { CRITICAL: 0, HIGH: 0, MEDIUM: 4, LOW: 0, UNKNOWN: 0 },
    'linux/arm64': { CRITICAL: 1, HIGH: 0, MEDIUM: 0, LOW: 0, UNKNOWN: 0 },
    'linux/s390x': null,
  })
  expect(JSON.parse(JSON.stringify(vulnerabilityCounts(verdict)))).toEqual(vulnerabilityCounts(verdict))
})

test('a failed scan: the table per platform, then the blocking CVE with its platform and fixed version', () => {
  const verdict = evaluateGate(
    { 'linux/amd64': trivy('sl-micro-rancher-5.4-zero-vulns.json'), 'linux/arm64': trivy('alpine-39.json') },
    { now },
  )
  const markdown = renderScanSummary({
    result: verdict.result,
    inputs,
    verdict,
    scannerLabel: 'Trivy 0.74.0',
  })
  expect(markdown).toBe(
    [
      '### Vulnerability scan: ❌ failed',
      '',
      'Trivy 0.74.0 · blocking severities: CRITICAL, HIGH · ignore-unfixed: off',
      '',
      '**Nothing is pushed**: blocking findings below.',
      '',
      '| Platform | Result | Critical | High | Medium | Low | Unknown | Waived |',
      '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |',
      '| linux/amd64 | ✅ passed | 0 | 0 | 0 | 0 | 0 | 0 |',
      '| linux/arm64 | ❌ failed | 2 | 0 | 4 | 0 | 0 | 0 |',
      '',
      '#### Blocking findings',
      '',
      '| Severity | ID | Package | Installed | Fixed in | Platforms |',
      '| --- | --- | --- | --- | --- | --- |',
      '| CRITICAL | `CVE-2019-14697` | musl | 1.1.20-r4 | 1.1.20-r5 | linux/arm64 |',
      '| CRITICAL | `CVE-2019-14697` | musl-utils | 1.1.20-r4 | 1.1.20-r5 | linux/arm64 |',
      '',
    ].join('\n'),
  )
})

test('scan-fail false: the same findings are reported, and the summary says the push is not blocked', () => {
  const verdict = evaluateGate({ 'linux/arm64': trivy('alpine-39.json') }, { now })
  const markdown = renderScanSummary({ result: 'failed', inputs: { ...inputs, scanFail: false }, verdict })
  expect(markdown).toContain(
    '**The push is not blocked** (`scan-fail: false`): the blocking findings below are reported only.',
  )
  expect(markdown).toContain('`CVE-2019-14697`')
})

test('one platform in error: its row has no counts, its message is quoted, and nothing is pushed', () => {
  const verdict = evaluateGate(
    {
      'linux/amd64': trivy('alpine-310.json'),
      'linux/arm64': {
        ok: false,
        message: 'Trivy scan of linux/arm64 failed with exit code 2:\nFATAL | <boom>',
      },
    },
    { now },
  )
  const markdown = renderScanSummary({ result: verdict.result, inputs, verdict })
  expect(markdown).toContain('### Vulnerability scan: ⚠️ error')
  expect(markdown).toContain('| linux/arm64 | ⚠️ error | – | – | – | – | – | – |')
  expect(markdown).toContain('| linux/amd64 | ✅ passed | 0 | 0 | 4 | 0 | 0 | 0 |')
  expect(markdown).toContain(
    '> **linux/arm64**: Trivy scan of linux/arm64 failed with exit code 2:\n> FATAL | &lt;boom&gt;',
  )
  expect(markdown).toContain('**Nothing is pushed**: at least one platform could not be scanned')
})

test('a stage error before the gate, with no verdict, still explains itself', () => {
  const markdown = renderScanSummary({
    result: 'error',
    inputs,
    error: 'The scan did not run to the end: Cannot download https://example/trivy: HTTP 404',
  })
  expect(markdown).toContain('#### Why the scan could not be judged')
  expect(markdown).toContain(
    '> The scan did not run to the end: Cannot download https://example/trivy: HTTP 404',
  )
  expect(markdown).not.toContain('| Platform |')
})

test('waived findings are counted; expired ignores and warnings are notes', () => {
  const verdict = evaluateGate(
    { 'linux/arm64': trivy('debian-buster.json') },
    {
      now,
      ignoreUnfixed: true,
      ignore: [
        { id: 'CVE-2019-18224', line: 1 },
        { id: 'CVE-2000-0001', line: 2, expiresAt: new Date('2025-01-01T00:00:00Z') },
      ],
    },
  )
  const markdown = renderScanSummary({
    result: verdict.result,
    inputs: { ...inputs, ignoreUnfixed: true, trivyignores: ['.trivyignore'] },
    verdict,
    warnings: ['.trivyignore line 3: "exp:soon" is not a date (exp:YYYY-MM-DD), so CVE-1 is not ignored'],
  })
  expect(markdown).toContain(
    'blocking severities: CRITICAL, HIGH · ignore-unfixed: on · ignore files: `.trivyignore`',
  )
  expect(markdown).toContain('| linux/arm64 | ✅ passed | 0 | 0 | 0 | 0 | 0 | 2 |')
  expect(markdown).toContain(
    '- Ignore entry `CVE-2000-0001` (line 2) expired on 2025-01-01 and waives nothing any more',
  )
  expect(markdown).toContain('- .trivyignore line 3: "exp:soon" is not a date')
  expect(markdown).not.toContain('Blocking findings')
})

test('VEX files are named in the settings, as Trivy drops what they waive before the gate counts', () => {
  const verdict = evaluateGate({ 'linux/amd64': trivy('alpine-310.json') }, { now })
  const withVex = renderScanSummary({
    result: verdict.result,
    inputs: { ...inputs, vex: ['.vex/openvex.json', 'debian.csaf.json'] },
    verdict,
  })
  expect(withVex).toContain(
    'ignore-unfixed: off · VEX applied by Trivy: `.vex/openvex.json`, `debian.csaf.json`\n',
  )
  expect(renderScanSummary({ result: verdict.result, inputs, verdict })).not.toContain('VEX')
})

test('long lists are cut to the worst findings, saying how many there are', () => {
  const verdict = evaluateGate(
    { 'linux/arm64': trivy('alpine-39.json') },
    { now, severities: ['CRITICAL', 'MEDIUM'] },
  )
  const markdown = renderScanSummary({ result: verdict.result, inputs, verdict, maxFindings: 2 })
  expect(markdown).toContain('#### Blocking findings (the 2 worst of 6)')
  expect(markdown.match(/^\| CRITICAL /gm)).toHaveLength(2)
  expect(markdown).not.toMatch(/^\| MEDIUM /m)
})

test('skipped', () => {
  expect(renderScanSummary({ result: 'skipped', inputs })).toBe(
    '### Vulnerability scan: ⏭️ skipped\n\nNo scan: the `scanner` input is `none`.\n',
  )
})

test('a pipe in a package or a target cannot break the table', () => {
  const verdict = evaluateGate(
    {
      'linux/amd64': {
        ok: true,
        format: 'trivy-json',
        findings: [{ kind: 'secret', id: 'aws|key', severity: 'CRITICAL', target: 'a|b\nc' }],
        counts: { CRITICAL: 1, HIGH: 0, MEDIUM: 0, LOW: 0, UNKNOWN: 0 },
        uniqueIds: 1,
      },
    },
    { now },
  )
  const markdown = renderScanSummary({ result: verdict.result, inputs, verdict })
  expect(markdown).toContain('| CRITICAL | `aws\\|key` | a\\|b c |  | no fix yet | linux/amd64 |')
})

test('Docker Scout: its label, its counts, and each platform’s report collapsed in a fence it cannot close', () => {
  const report = fixture('scout/wilds-docker-library_MIT/cves-markdown-2high_consensus-0.1.1.md')
  const verdict = evaluateGate(
    {
      'linux/amd64': parseReport(
        fixture('scout/wilds-docker-library_MIT/cves-markdown-clean_star-2.7.4a.md'),
        'scout-markdown',
      ),
      'linux/arm64': parseReport(report, 'scout-markdown'),
    },
    { now },
  )
  const hostile = '```\n::error::injected\n````\n</details><script>x</script>'
  const markdown = renderScanSummary({
    result: verdict.result,
    inputs,
    verdict,
    scannerLabel: 'Docker Scout 1.23.0',
    readable: { 'linux/arm64': report, 'linux/<s390x>': hostile },
  })
  expect(markdown).toContain('Docker Scout 1.23.0 · blocking severities: CRITICAL, HIGH')
  expect(markdown).toContain('| linux/arm64 | ❌ failed | 0 | 2 | 0 | 0 | 0 | 0 |')
  expect(markdown).toContain(
    '<details><summary>Scanner report for linux/arm64</summary>\n\n```markdown\n<h2>',
  )
  // The fence is longer than any backtick run inside, so the report stays one code block.
  expect(markdown).toContain(
    '<details><summary>Scanner report for linux/&lt;s390x&gt;</summary>\n\n`````markdown\n' +
      hostile +
      '\n`````\n',
  )
})

test('a readable report over 64 KiB is cut, and says so', () => {
  const verdict = evaluateGate({ 'linux/amd64': trivy('sl-micro-rancher-5.4-zero-vulns.json') }, { now })
  const markdown = renderScanSummary({
    result: verdict.result,
    inputs,
    verdict,
    readable: { 'linux/amd64': 'x'.repeat(70 * 1024) },
  })
  expect(markdown).toContain('Scanner report for linux/amd64 (cut at 64 KiB)')
  expect(markdown.length).toBeLessThan(66 * 1024)
})
