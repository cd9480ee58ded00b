import { parseTrivyIgnore } from '../../../src/scan/trivyignore.js'

test("reads IDs, comments, blank lines and expiries as Trivy's testdata/.trivyignore", () => {
  // trivy/pkg/result/testdata/.trivyignore, with a CRLF line and indentation added.
  const text = [
    '# vulnerabilities',
    'CVE-2019-0001',
    '  CVE-2019-0002\r',
    'CVE-2019-0004 exp:2020-01-01',
    'CVE-2019-0005 exp:9999-01-01',
    'CVE-2019-0006 exp:9999-01-01 key2:value2',
    '',
    '# misconfigurations',
    'AVD-ID-0300',
    '',
    '# secrets',
    'generic-unwanted-rule',
  ].join('\n')
  expect(parseTrivyIgnore(text)).toEqual({
    entries: [
      { id: 'CVE-2019-0001', line: 2 },
      { id: 'CVE-2019-0002', line: 3 },
      { id: 'CVE-2019-0004', expiresAt: new Date('2020-01-01T00:00:00Z'), line: 4 },
      { id: 'CVE-2019-0005', expiresAt: new Date('9999-01-01T00:00:00Z'), line: 5 },
      { id: 'CVE-2019-0006', expiresAt: new Date('9999-01-01T00:00:00Z'), line: 6 },
      { id: 'AVD-ID-0300', line: 9 },
      { id: 'generic-unwanted-rule', line: 12 },
    ],
    warnings: [],
  })
})

test('a trailing comment is not part of the ID', () => {
  expect(parseTrivyIgnore('CVE-2023-1 # no impact here').entries).toEqual([{ id: 'CVE-2023-1', line: 1 }])
})

test('drops a line whose expiry is not a real date, with a warning naming it', () => {
  const { entries, warnings } = parseTrivyIgnore(
    'CVE-1 exp:2024-02-30\nCVE-2 exp:2024-1-5\nCVE-3 exp:tomorrow\nCVE-4',
  )
  expect(entries).toEqual([{ id: 'CVE-4', line: 4 }])
  expect(warnings).toEqual([
    '.trivyignore line 1: "exp:2024-02-30" is not a date (exp:YYYY-MM-DD), so CVE-1 is not ignored',
    '.trivyignore line 2: "exp:2024-1-5" is not a date (exp:YYYY-MM-DD), so CVE-2 is not ignored',
    '.trivyignore line 3: "exp:tomorrow" is not a date (exp:YYYY-MM-DD), so CVE-3 is not ignored',
  ])
})
