import { InputError } from '../../../src/action/errors.js'
import { parseReport } from '../../../src/scan/parse-report.js'
import { cosignAttestArgv, cosignSignArgv, shellLine, verifyCommands } from '../../../src/sign/argv.js'
import { decideSigning, GITHUB_OIDC_ISSUER, signingEnvironment } from '../../../src/sign/decide.js'
import { DEFAULT_COSIGN_VERSION, readSignInputs, signSecrets } from '../../../src/sign/inputs.js'
import { signingCalls } from '../../../src/sign/plan.js'
import { renderSignSection, signOutputs } from '../../../src/sign/summary.js'
import { SIGN_DIR } from '../../../src/sign/index.js'
import { deletedWhenKeepingLogins } from '../../../src/runner/workspace.js'
import { vulnPredicate, VULN_PREDICATE_TYPE } from '../../../src/sign/predicate.js'
import { fixture } from '../scan/fixtures.js'

function reader(values: Record<string, string>) {
  return (name: string) => values[name] ?? ''
}

const KEY = [
  '-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----',
  'eyJrZGYiOnsibmFtZSI6InNjcnlwdCJ9fQ==',
  '-----END ENCRYPTED SIGSTORE PRIVATE KEY-----',
].join('\n')
const DIGEST = `sha256:${'a'.repeat(64)}`
const AMD64 = `sha256:${'b'.repeat(64)}`
const ARM64 = `sha256:${'c'.repeat(64)}`
const OIDC = { url: 'https://token.example/oidc', token: 'oidc-request-token' }

describe('signing inputs', () => {
  test('defaults: auto, both attestations, the transparency log, the pinned cosign', () => {
    expect(readSignInputs(reader({}), false)).toEqual({
      mode: 'auto',
      password: '',
      attest: ['vuln', 'sbom'],
      transparencyLog: true,
      cosignVersion: DEFAULT_COSIGN_VERSION,
    })
  })

  test('a PEM key is kept, and every line of it and the password are secrets', () => {
    const inputs = readSignInputs(reader({ 'cosign-key': `${KEY}\n`, 'cosign-password': 'pw' }), false)
    expect(inputs.key).toBe(`${KEY}\n`)
    expect(signSecrets(inputs)).toEqual([...KEY.split('\n'), 'pw'])
  })

  test('a key that is not PEM text is refused without quoting it', () => {
    const call = () => readSignInputs(reader({ 'cosign-key': 'cosign.key-secret-ish' }), false)
    expect(call).toThrow(InputError)
    expect(call).toThrow('Input "cosign-key"')
    expect(call).not.toThrow('secret-ish')
  })

  test.each([
    ['sign', 'yes', 'Input "sign"'],
    ['attest', 'vuln,provenance', 'Input "attest"'],
    ['transparency-log', 'off', 'Input "transparency-log"'],
    ['cosign-version', 'latest', 'Input "cosign-version"'],
    ['cosign-version', '3.1.2', 'not a cosign 2.x release'],
  ])('%s: %s is an InputError', (input, value, message) => {
    expect(() => readSignInputs(reader({ [input]: value }), false)).toThrow(message)
  })

  test('attest: none, one, or both in a fixed order', () => {
    expect(readSignInputs(reader({ attest: 'none' }), false).attest).toEqual([])
    expect(readSignInputs(reader({ attest: 'sbom' }), false).attest).toEqual(['sbom'])
    expect(readSignInputs(reader({ attest: 'sbom, vuln' }), false).attest).toEqual(['vuln', 'sbom'])
  })

  test('sign: true without a key or an OIDC token fails before anything', () => {
    expect(() => readSignInputs(reader({ sign: 'true' }), false)).toThrow(/Input "sign".*id-token: write/)
    expect(readSignInputs(reader({ sign: 'true' }), true).mode).toBe('true')
    expect(readSignInputs(reader({ sign: 'true', 'cosign-key': KEY }), false).mode).toBe('true')
  })

  test('keyless without the transparency log is refused; key-based may go without', () => {
    expect(() => readSignInputs(reader({ 'transparency-log': 'false' }), true)).toThrow(
      'Input "transparency-log"',
    )
    expect(
      readSignInputs(reader({ 'transparency-log': 'false', 'cosign-key': KEY }), true).transparencyLog,
    ).toBe(false)
  })
})

describe('the signing decision', () => {
  const facts = { push: true, scanner: 'trivy' as const, oidc: undefined, workflowIdentity: undefined }

  test('auto signs a push with a key, or keyless with a token; a key wins', () => {
    const keyed = readSignInputs(reader({ 'cosign-key': KEY }), true)
    expect(decideSigning(keyed, { ...facts, oidc: OIDC })).toMatchObject({ sign: true, method: 'key' })
    const keyless = readSignInputs(reader({}), true)
    expect(
      decideSigning(keyless, {
        ...facts,
        oidc: OIDC,
        workflowIdentity: 'https://github.com/a/b/.github/workflows/c.yml@refs/tags/v1',
      }),
    ).toMatchObject({
      sign: true,
      method: 'keyless',
      identity: 'https://github.com/a/b/.github/workflows/c.yml@refs/tags/v1',
    })
  })

  test('nothing is signed without an identity, without a push, or with sign: false', () => {
    expect(decideSigning(readSignInputs(reader({}), false), facts)).toMatchObject({ sign: false })
    expect(
      decideSigning(readSignInputs(reader({ 'cosign-key': KEY }), false), { ...facts, push: false }),
    ).toEqual({
      sign: false,
      reason: 'nothing is pushed',
    })
    expect(
      decideSigning(readSignInputs(reader({ sign: 'false', 'cosign-key': KEY }), false), facts),
    ).toMatchObject({
      sign: false,
    })
  })

  test.each(['none', 'scout'] as const)(
    'scanner: %s signs without attestations (they come from Trivy)',
    (scanner) => {
      const inputs = readSignInputs(reader({ 'cosign-key': KEY }), false)
      expect(decideSigning(inputs, { ...facts, scanner })).toMatchObject({ sign: true, attest: [] })
    },
  )

  test('the environment gives the token request only when both variables are set', () => {
    expect(signingEnvironment({ ACTIONS_ID_TOKEN_REQUEST_URL: OIDC.url }).oidc).toBeUndefined()
    expect(
      signingEnvironment({
        ACTIONS_ID_TOKEN_REQUEST_URL: OIDC.url,
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: OIDC.token,
        GITHUB_SERVER_URL: 'https://github.com',
        GITHUB_WORKFLOW_REF: 'acme/app/.github/workflows/release.yml@refs/tags/v1.2.3',
      }),
    ).toEqual({
      oidc: OIDC,
      workflowIdentity: 'https://github.com/acme/app/.github/workflows/release.yml@refs/tags/v1.2.3',
    })
  })
})

describe('cosign argv', () => {
  test('key-based, without the transparency log, by digest', () => {
    expect(
      cosignSignArgv(`ghcr.io/acme/app@${DIGEST}`, { keyFile: '/tmp/k', transparencyLog: false }, {}),
    ).toEqual(['sign', '--yes', '--key', '/tmp/k', '--tlog-upload=false', `ghcr.io/acme/app@${DIGEST}`])
  })

  test('keyless: --yes and no key; the OIDC token comes from the environment, never argv', () => {
    const argv = cosignAttestArgv(
      `ghcr.io/acme/app@${AMD64}`,
      'vuln',
      '/w/vuln.json',
      { transparencyLog: true },
      {},
    )
    expect(argv).toEqual([
      'attest',
      '--yes',
      '--type',
      'vuln',
      '--predicate',
      '/w/vuln.json',
      `ghcr.io/acme/app@${AMD64}`,
    ])
  })

  test('a tag is never signed', () => {
    expect(() => cosignSignArgv('ghcr.io/acme/app:1.0', { transparencyLog: true }, {})).toThrow(
      'digests only',
    )
  })

  test('a loopback registry may use plain HTTP; a registry CA is passed on', () => {
    expect(
      cosignSignArgv(`localhost:5443/app@${DIGEST}`, { transparencyLog: true }, { caFile: '/ca.crt' }),
    ).toEqual([
      'sign',
      '--yes',
      '--allow-http-registry',
      '--registry-cacert',
      '/ca.crt',
      `localhost:5443/app@${DIGEST}`,
    ])
    expect(cosignSignArgv(`ghcr.io/app@${DIGEST}`, { transparencyLog: true }, {})).not.toContain(
      '--allow-http-registry',
    )
  })

  test('every repository: the index, each platform, then each attestation', () => {
    const platforms = [
      { platform: 'linux/amd64', digest: AMD64, predicates: { vuln: '/w/v0.json', sbom: '/w/s0.json' } },
      { platform: 'linux/arm64', digest: ARM64, predicates: { vuln: '/w/v1.json', sbom: '/w/s1.json' } },
    ]
    const calls = signingCalls(
      ['ghcr.io/acme/app', 'ghcr.io/acme/app'],
      DIGEST,
      platforms,
      ['vuln', 'sbom'],
      { transparencyLog: true },
      () => ({}),
    )
    expect(calls.map((call) => call.what)).toEqual([
      `sign ghcr.io/acme/app@${DIGEST}`,
      `sign ghcr.io/acme/app@${AMD64}`,
      `sign ghcr.io/acme/app@${ARM64}`,
      `attest vuln to ghcr.io/acme/app@${AMD64} (linux/amd64)`,
      `attest cyclonedx to ghcr.io/acme/app@${AMD64} (linux/amd64)`,
      `attest vuln to ghcr.io/acme/app@${ARM64} (linux/arm64)`,
      `attest cyclonedx to ghcr.io/acme/app@${ARM64} (linux/arm64)`,
    ])
  })

  test('a one-platform image is signed once', () => {
    const platforms = [{ platform: 'linux/amd64', digest: DIGEST, predicates: {} }]
    expect(
      signingCalls(['r.io/a'], DIGEST, platforms, [], { transparencyLog: true }, () => ({})),
    ).toHaveLength(1)
  })
})

describe('verify commands', () => {
  const targets = [
    { name: 'ghcr.io/acme/app', digest: DIGEST, platforms: [{ platform: 'linux/amd64', digest: AMD64 }] },
  ]

  test('keyless: the workflow identity and GitHub’s issuer', () => {
    const identity = 'https://github.com/acme/app/.github/workflows/release.yml@refs/tags/v1'
    expect(
      verifyCommands(targets, ['vuln'], { method: 'keyless', transparencyLog: true, identity }, () => ({})),
    ).toEqual([
      `cosign verify --certificate-identity ${identity} --certificate-oidc-issuer ${GITHUB_OIDC_ISSUER} ghcr.io/acme/app@${DIGEST}`,
      `cosign verify-attestation --certificate-identity ${identity} --certificate-oidc-issuer ${GITHUB_OIDC_ISSUER} --type vuln ghcr.io/acme/app@${AMD64}`,
    ])
  })

  test('key-based without the log: cosign.pub and --insecure-ignore-tlog', () => {
    expect(verifyCommands(targets, ['sbom'], { method: 'key', transparencyLog: false }, () => ({}))).toEqual([
      `cosign verify --key cosign.pub --insecure-ignore-tlog=true ghcr.io/acme/app@${DIGEST}`,
      `cosign verify-attestation --key cosign.pub --insecure-ignore-tlog=true --type cyclonedx ghcr.io/acme/app@${AMD64}`,
    ])
  })

  test('shell text quotes what a shell would read', () => {
    expect(shellLine(['cosign', "it's", 'a b'])).toBe(`cosign 'it'\\''s' 'a b'`)
  })
})

describe('the vulnerability predicate (cosign vuln spec)', () => {
  test.each([
    'trivy/alpine-310.json',
    'trivy/fluentd-gems-ignore-unfixed.json',
    'trivy/sl-micro-rancher-5.4-zero-vulns.json',
  ])('%s: embeds the report whole, so its findings are the gate’s', (name) => {
    const text = fixture(name)
    const predicate = vulnPredicate({
      report: JSON.parse(text) as unknown,
      trivyVersion: '0.74.0',
      parameters: ['image', '--format', 'json'],
      startedOn: new Date('2026-12-02T08:00:00Z'),
      finishedOn: new Date('2026-12-02T08:00:05Z'),
      runUrl: 'https://github.com/acme/app/actions/runs/7',
      runId: '7',
    })
    expect(predicate.scanner).toMatchObject({
      uri: 'pkg:github/aquasecurity/trivy@v0.74.0',
      version: '0.74.0',
    })
    expect(predicate.metadata).toEqual({
      scanStartedOn: '2026-12-02T08:00:00.000Z',
      scanFinishedOn: '2026-12-02T08:00:05.000Z',
    })
    expect(predicate.invocation).toEqual({
      parameters: ['image', '--format', 'json'],
      uri: 'https://github.com/acme/app/actions/runs/7',
      event_id: '7',
      'builder.id': 'GitHub Actions',
    })
    const attested = parseReport(JSON.stringify(predicate.scanner.result), 'trivy-json')
    expect(attested).toEqual(parseReport(text, 'trivy-json'))
    expect(VULN_PREDICATE_TYPE).toBe('https://cosign.sigstore.dev/attestation/vuln/v1')
  })

  test('a report that is not Trivy JSON is refused', () => {
    const facts = {
      trivyVersion: '0.74.0',
      parameters: [],
      startedOn: new Date(),
      finishedOn: new Date(),
      runUrl: '',
      runId: '',
    }
    expect(() =>
      vulnPredicate({ ...facts, report: JSON.parse(fixture('trivy/fluentd-sbom-scan.cdx.json')) }),
    ).toThrow('needs a Trivy JSON report')
  })
})

describe('outputs and summary', () => {
  const signed = {
    signed: true,
    reason: 'with cosign-key',
    commands: [`cosign verify --key cosign.pub ghcr.io/acme/app@${DIGEST}`],
    transparencyLog: false,
    publicKey: '-----BEGIN PUBLIC KEY-----\nMFkw\n-----END PUBLIC KEY-----',
  }

  test('signed and verify-commands', () => {
    expect(signOutputs(signed)).toEqual({ signed: 'true', 'verify-commands': signed.commands[0] })
    expect(signOutputs({ signed: false, reason: 'nothing is pushed', commands: [] })).toEqual({
      signed: 'false',
      'verify-commands': '',
    })
  })

  test('the section gives the commands, the public key, and warns without the transparency log', () => {
    const text = renderSignSection(signed).join('\n')
    expect(text).toContain(signed.commands[0])
    expect(text).toContain('-----BEGIN PUBLIC KEY-----')
    expect(text).toContain('transparency-log: false')
    expect(renderSignSection({ ...signed, transparencyLog: true }).join('\n')).not.toContain('[!WARNING]')
    expect(renderSignSection({ signed: false, reason: 'sign is false', commands: [] })).toContain(
      'Not signed: sign is false.',
    )
  })
})

test('with logout: false the post step deletes the key directory too', () => {
  expect(deletedWhenKeepingLogins(['docker-config', SIGN_DIR, 'oci-layout'])).toEqual([
    SIGN_DIR,
    'oci-layout',
  ])
})
