import { InputError } from '../../../src/action/errors.js'
import { parseScanTimeout, readScanInputs } from '../../../src/scan/inputs.js'
import { DEFAULT_TRIVY_VERSION } from '../../../src/scan/trivy-version.js'
import { DEFAULT_SCOUT_VERSION } from '../../../src/scan/scout-version.js'

function reader(values: Record<string, string>) {
  return (name: string, options?: { trim?: boolean }) => {
    const value = values[name] ?? ''
    return options?.trim === false ? value : value.trim()
  }
}

const read = (values: Record<string, string>) => readScanInputs(reader(values))

function inputError(values: Record<string, string>): InputError {
  try {
    read(values)
  } catch (error) {
    if (error instanceof InputError) return error
    throw error
  }
  throw new Error('expected an InputError')
}

test('every scan input has a default', () => {
  expect(read({})).toEqual({
    scanner: 'trivy',
    severities: ['CRITICAL', 'HIGH'],
    ignoreUnfixed: false,
    trivyignores: [],
    vex: [],
    scanFail: true,
    trivyVersion: DEFAULT_TRIVY_VERSION,
    scoutVersion: DEFAULT_SCOUT_VERSION,
    scanners: ['vuln'],
    timeoutSeconds: 600,
    dbRepositories: { dbRepository: [], javaDbRepository: [] },
  })
  expect(read({}).sarif).toBeUndefined()
})

test('DB mirrors: comma or newline lists of OCI repositories, each checked as a reference', () => {
  expect(
    read({
      'trivy-db-repository': 'mirror.example.com/aquasec/trivy-db:2\nghcr.io/aquasecurity/trivy-db:2',
      'trivy-java-db-repository': 'mirror.example.com/aquasec/trivy-java-db:1',
    }).dbRepositories,
  ).toEqual({
    dbRepository: ['mirror.example.com/aquasec/trivy-db:2', 'ghcr.io/aquasecurity/trivy-db:2'],
    javaDbRepository: ['mirror.example.com/aquasec/trivy-java-db:1'],
  })
  expect(inputError({ 'trivy-db-repository': 'Mirror Example/trivy-db' }).message).toMatch(
    /^Input "trivy-db-repository": "Mirror Example\/trivy-db": /,
  )
})

test('scanner: trivy or none, in any case', () => {
  expect(read({ scanner: 'TRIVY' }).scanner).toBe('trivy')
  expect(read({ scanner: 'none' }).scanner).toBe('none')
})

test('scanner: scout without a Docker Hub account is refused before anything runs, naming the inputs', () => {
  const error = inputError({ scanner: 'scout' })
  expect(error.input).toBe('scout-username')
  expect(error.message).toMatch(
    /^Input "scout-username": scanner "scout" needs a Docker Hub account: set scout-username and scout-password/,
  )
})

test('scanner: scout takes scout-username/scout-password, else the docker.io credential of registry-auth', () => {
  expect(
    read({ scanner: 'scout', 'scout-username': 'scanbot', 'scout-password': 'dckr_pat_x' }).scoutLogin,
  ).toEqual({
    username: 'scanbot',
    password: 'dckr_pat_x',
    source: 'scout-username',
  })
  const hub = {
    registry: 'docker.io',
    username: 'acme',
    password: 'hub-pat',
    where: { password: 'registry-auth[2]' },
  }
  const ghcr = {
    registry: 'ghcr.io',
    username: 'octocat',
    password: 'ghp',
    where: { password: 'registry-auth[1]' },
  }
  expect(
    readScanInputs((name) => (({ scanner: 'scout' }) as Record<string, string>)[name] ?? '', [ghcr, hub])
      .scoutLogin,
  ).toEqual({
    username: 'acme',
    password: 'hub-pat',
    source: 'registry-auth[2]',
  })
  // A credential for another registry is no Scout login.
  expect(() =>
    readScanInputs((name) => (({ scanner: 'scout' }) as Record<string, string>)[name] ?? '', [ghcr]),
  ).toThrow(/scout-username/)
  // Scout's own inputs win over the registry's.
  expect(
    readScanInputs(reader({ scanner: 'scout', 'scout-username': 'bot', 'scout-password': 'p' }), [hub])
      .scoutLogin?.username,
  ).toBe('bot')
})

test('scanner: scout with half a login names the missing half; trivy ignores the scout inputs', () => {
  expect(inputError({ scanner: 'scout', 'scout-username': 'bot' }).input).toBe('scout-password')
  expect(inputError({ scanner: 'scout', 'scout-password': 'p' }).input).toBe('scout-username')
  expect(read({ 'scout-username': 'bot' }).scoutLogin).toBeUndefined()
})

test('scout-version: a release version, v prefix allowed, never a range', () => {
  expect(read({ 'scout-version': 'v1.20.4' }).scoutVersion).toBe('1.20.4')
  expect(inputError({ 'scout-version': '^1.20' }).input).toBe('scout-version')
})

test("vex is Trivy's: refused with scanner scout", () => {
  expect(
    inputError({ scanner: 'scout', 'scout-username': 'b', 'scout-password': 'p', vex: 'a.json' }).input,
  ).toBe('vex')
})

test('scanner: anything else is refused', () => {
  expect(() => read({ scanner: 'grype' })).toThrow(
    'Input "scanner": expected "trivy", "scout" or "none", got "grype"',
  )
})

test('severity: comma or newline list, any case, ordered most severe first, duplicates merged', () => {
  expect(read({ severity: 'low,critical' }).severities).toEqual(['CRITICAL', 'LOW'])
  expect(read({ severity: 'HIGH\nMedium\n# comment\nhigh' }).severities).toEqual(['HIGH', 'MEDIUM'])
  expect(read({ severity: 'UNKNOWN' }).severities).toEqual(['UNKNOWN'])
})

test('severity: an unknown word names the input and lists the accepted ones', () => {
  expect(() => read({ severity: 'CRITICAL,SEVERE,meh' })).toThrow(
    'Input "severity": unknown severity "SEVERE", "MEH"; use CRITICAL, HIGH, MEDIUM, LOW, UNKNOWN',
  )
})

test('severity: a list with no word at all is refused', () => {
  expect(() => read({ severity: ',' })).toThrow(
    'Input "severity": name at least one of CRITICAL, HIGH, MEDIUM, LOW, UNKNOWN',
  )
})

test.each([
  ['ignore-unfixed', 'ignoreUnfixed', 'True', true],
  ['scan-fail', 'scanFail', 'false', false],
] as const)('%s reads a boolean', (input, key, text, expected) => {
  expect(read({ [input]: text })[key]).toBe(expected)
})

test.each(['ignore-unfixed', 'scan-fail'])('%s that is not a boolean names the input', (input) => {
  expect(() => read({ [input]: 'yes' })).toThrow(`Input "${input}": expected "true" or "false", got "yes"`)
})

test('trivyignores: files separated by commas or newlines', () => {
  expect(read({ trivyignores: '.trivyignore, security/extra.trivyignore\nthird' }).trivyignores).toEqual([
    '.trivyignore',
    'security/extra.trivyignore',
    'third',
  ])
})

test('vex: files separated by commas or newlines, as written (resolved by the scan stage)', () => {
  expect(read({ vex: '.vex/openvex.json, security/debian.csaf.json\n# comment\nthird.json' }).vex).toEqual([
    '.vex/openvex.json',
    'security/debian.csaf.json',
    'third.json',
  ])
})

test.each(['repo', 'repository', 'oci', 'sbom-ref'])(
  "vex: Trivy's network source %s is refused, naming the input; ./%s would be a file",
  (source) => {
    const error = inputError({ vex: `.vex/openvex.json\n${source}` })
    expect(error.input).toBe('vex')
    expect(error.message).toBe(
      `Input "vex": "${source}" is one of Trivy's network VEX sources, which this action does not use; ` +
        `list VEX files (OpenVEX or CSAF), e.g. .vex/openvex.json, and write ./${source} for a file of that name`,
    )
    expect(read({ vex: `./${source}` }).vex).toEqual([`./${source}`])
  },
)

test('trivy-version: a release version, a leading v dropped', () => {
  expect(read({ 'trivy-version': 'v0.73.1' }).trivyVersion).toBe('0.73.1')
})

test('trivy-version: a range or a compromised release is refused, naming the input', () => {
  expect(() => read({ 'trivy-version': 'latest' })).toThrow(
    `Input "trivy-version": "latest" is not a Trivy release version such as ${DEFAULT_TRIVY_VERSION}`,
  )
  expect(() => read({ 'trivy-version': '0.69.4' })).toThrow(/Input "trivy-version": 0.69.4 is a compromised/)
})

test('scanners: vuln, secret and misconfig, any case, in a fixed order', () => {
  expect(read({ scanners: 'Secret,vuln\nmisconfig' }).scanners).toEqual(['vuln', 'secret', 'misconfig'])
  expect(read({ scanners: 'secret' }).scanners).toEqual(['secret'])
})

test('scanners: an unknown scanner names the input', () => {
  expect(() => read({ scanners: 'vuln,license' })).toThrow(
    'Input "scanners": unknown scanner "license"; use vuln, secret, misconfig',
  )
  expect(() => read({ scanners: ',' })).toThrow(
    'Input "scanners": name at least one of vuln, secret, misconfig',
  )
})

test.each([
  ['false', undefined],
  ['FALSE', undefined],
  ['true', {}],
  ['True', {}],
  ['reports/trivy.sarif', { path: 'reports/trivy.sarif' }],
])('sarif %s', (text, expected) => {
  expect(read({ sarif: text }).sarif).toEqual(expected)
})

test.each([
  ['10m', 600],
  ['300s', 300],
  ['1h', 3600],
  ['1h30m', 5400],
  ['2m30s', 150],
  ['1.5m', 90],
  ['1500ms', 2],
  [' 45s ', 45],
  ['6h', 21600],
])('scan-timeout %s is %i seconds', (text, seconds) => {
  expect(parseScanTimeout(text)).toBe(seconds)
})

test.each([
  ['300', '"300" is not a duration such as 10m, 300s or 1h30m (a number with a unit: h, m, s)'],
  ['5 minutes', '"5 minutes" is not a duration such as 10m, 300s or 1h30m (a number with a unit: h, m, s)'],
  ['-5m', '"-5m" is not a duration such as 10m, 300s or 1h30m (a number with a unit: h, m, s)'],
  ['1d', '"1d" is not a duration such as 10m, 300s or 1h30m (a number with a unit: h, m, s)'],
  ['0s', '"0s" is no time at all; give at least 1s'],
  ['7h', '"7h" is longer than a job can run (6h at most)'],
])('scan-timeout %s is refused', (text, detail) => {
  expect(() => read({ 'scan-timeout': text })).toThrow(`Input "scan-timeout": ${detail}`)
})
