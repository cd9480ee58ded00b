// Signing and attestations on the real sandbox with a real cosign (Debian trixie's 2.5.0, extracted
// by sandbox.sh): one two-platform build pushed to both registries, signed with a key and without
// the transparency log (no Rekor here), each platform attested with the Trivy report that gated it
// and its SBOM (the Trivy double replays recorded reports), then checked with `cosign verify`.
import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { parseReport } from '../../src/scan/parse-report.js'
import { fakeTrivyOnPath, type FakeTrivy } from '../unit/scan/fake-trivy-on-path.js'
import {
  filesUnder,
  log,
  output,
  pushEvent,
  registryAuth,
  runBuildPush,
  tagsOf,
  uniqueRepo,
  type RunResult,
} from './helpers/build-push-run.js'
import { cosignKit, COSIGN_VERSION, keySecrets, runCosign, verifyArgvs } from './helpers/cosign-sandbox.js'
import { loadSandboxEnv } from './helpers/sandbox-env.js'

const run = promisify(execFile)
const env = loadSandboxEnv()
import.meta.jest.setTimeout(300_000)

// Nothing the default gate blocks, and different per platform: alpine 3.10.2 has MEDIUM 4, the
// SL Micro report none.
const SBOM = 'trivy/fluentd-sbom-scan.cdx.json'
const REPORTS = {
  'linux/amd64': { json: 'trivy/alpine-310.json', cyclonedx: SBOM },
  'linux/arm64': { json: 'trivy/sl-micro-rancher-5.4-zero-vulns.json', cyclonedx: SBOM },
}
const PASSWORD = `pw-${Math.random().toString(36).slice(2)}`

let work: string
let trivy: FakeTrivy
let keyPem: string
let publicKey: string
let toolCache: string
let result: RunResult
let repo: string

beforeAll(async () => {
  work = mkdtempSync(path.join(os.tmpdir(), 'bsp-e2e-sign-'))
  trivy = fakeTrivyOnPath(work)
  ;({ keyPem, publicKey, toolCache } = await cosignKit(env, work, PASSWORD))

  repo = uniqueRepo('sign')
  const scannerEnv = trivy.variables(REPORTS)
  const event = pushEvent('refs/tags/v1.2.3')
  result = await runBuildPush(env, {
    event: {
      ...event,
      env: {
        ...event.env,
        ...scannerEnv,
        RUNNER_TOOL_CACHE: toolCache,
      },
    },
    inputs: {
      images: `${env.plain.host}/${repo}\n${env.tls.host}/${repo}`,
      'registry-auth': registryAuth(env.plain, env.tls),
      scanner: 'trivy',
      'cosign-key': keyPem,
      'cosign-password': PASSWORD,
      'transparency-log': 'false',
      'cosign-version': COSIGN_VERSION,
    },
  })
})

afterAll(() => {
  if (result) rmSync(result.runnerTemp, { recursive: true, force: true })
  rmSync(work, { recursive: true, force: true })
})

/** Runs cosign as a user would, with the sandbox's logins. */
const cosign = (args: string[]) => runCosign(env, args)

/** The verify-commands output, each line as argv with the public key's path for `cosign.pub`. */
function verifyCommands(): string[][] {
  return verifyArgvs(output(result, 'verify-commands'), publicKey)
}

test('the step signs and attests, and says how to check it', () => {
  expect(result.main.code).toBe(0)
  expect(output(result, 'pushed')).toBe('true')
  expect(output(result, 'signed')).toBe('true')
  // Two registries × (the index + 2 platforms verified, 2 platforms × 2 attestations).
  const commands = verifyCommands()
  expect(commands).toHaveLength(2 * (1 + 4))
  const digest = output(result, 'digest')
  expect(commands.filter((argv) => argv[1] === 'verify').map((argv) => argv.at(-1))).toEqual([
    `${env.plain.host}/${repo}@${digest}`,
    `${env.tls.host}/${repo}@${digest}`,
  ])
  expect(result.summary).toContain('Signed with cosign')
  expect(result.summary).toContain('BEGIN PUBLIC KEY')
})

test('every verify command of the output succeeds on what was pushed, in both registries', async () => {
  for (const argv of verifyCommands()) {
    expect(argv[0]).toBe('cosign')
    const checked = await cosign(argv.slice(1))
    expect({ argv, code: checked.code, stderr: checked.stderr }).toEqual({
      argv,
      code: 0,
      stderr: expect.any(String),
    })
  }
})

/** The platform of each manifest of the pushed index, as the registry serves it. */
async function platformsByDigest(): Promise<Record<string, string>> {
  const reference = `docker://${env.plain.host}/${repo}@${output(result, 'digest')}`
  const { stdout } = await run(env.skopeo, [
    'inspect',
    '--raw',
    '--tls-verify=false',
    '--authfile',
    env.authFile,
    reference,
  ])
  const index = JSON.parse(stdout) as {
    manifests: Array<{ digest: string; platform: { os: string; architecture: string } }>
  }
  return Object.fromEntries(
    index.manifests.map((m) => [m.digest, `${m.platform.os}/${m.platform.architecture}`]),
  )
}

test('the attested vulnerability report is the one that gated each platform', async () => {
  const counts = JSON.parse(output(result, 'vulnerabilities')) as Record<string, Record<string, number>>
  const platforms = await platformsByDigest()
  const attestations = verifyCommands().filter(
    (argv) => argv[1] === 'verify-attestation' && argv.includes('vuln'),
  )
  expect(attestations).toHaveLength(4)
  for (const argv of attestations) {
    const checked = await cosign(argv.slice(1))
    expect(checked.code).toBe(0)
    const envelope = JSON.parse(checked.stdout.trim().split('\n')[0]!) as { payload: string }
    const statement = JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8')) as {
      predicateType: string
      subject: Array<{ digest: { sha256: string } }>
      predicate: { scanner: { result: unknown } }
    }
    expect(statement.predicateType).toBe('https://cosign.sigstore.dev/attestation/vuln/v1')
    const attested = parseReport(JSON.stringify(statement.predicate.scanner.result), 'trivy-json')
    if (!attested.ok) throw new Error(attested.message)
    // Which platform: the subject is the platform manifest the command names.
    const platformDigest = argv.at(-1)!.split('@')[1]!
    expect(`sha256:${statement.subject[0]!.digest.sha256}`).toBe(platformDigest)
    const platform = platforms[platformDigest]!
    expect(attested.counts).toEqual(counts[platform])
    const recorded = parseReport(readFixture(REPORTS[platform as keyof typeof REPORTS].json), 'trivy-json')
    expect(recorded.ok && recorded.counts).toEqual(attested.counts)
  }
  expect(counts['linux/amd64']!.MEDIUM).toBe(4)
  expect(counts['linux/arm64']!.MEDIUM).toBe(0)
})

test('the SBOM attestation carries the CycloneDX document', async () => {
  const argv = verifyCommands().find(
    (each) => each[1] === 'verify-attestation' && each.includes('cyclonedx'),
  )!
  const checked = await cosign(argv.slice(1))
  expect(checked.code).toBe(0)
  const envelope = JSON.parse(checked.stdout.trim().split('\n')[0]!) as { payload: string }
  const statement = JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8')) as {
    predicateType: string
    predicate: { bomFormat?: string }
  }
  expect(statement.predicateType).toBe('https://cyclonedx.org/bom')
  expect(statement.predicate.bomFormat).toBe('CycloneDX')
})

test('verification fails on a digest this run did not push', async () => {
  const notOurs = [
    [
      'verify',
      '--key',
      publicKey,
      '--insecure-ignore-tlog=true',
      '--allow-http-registry',
      `${env.baseImage.split(':latest')[0]}@${env.baseDigest}`,
    ],
    [
      'verify',
      '--key',
      publicKey,
      '--insecure-ignore-tlog=true',
      '--allow-http-registry',
      `${env.tls.host}/${repo}@${env.baseDigest}`,
    ],
    [
      'verify-attestation',
      '--key',
      publicKey,
      '--insecure-ignore-tlog=true',
      '--type',
      'vuln',
      '--allow-http-registry',
      `${env.baseImage.split(':latest')[0]}@${env.baseDigest}`,
    ],
  ]
  for (const args of notOurs) {
    const checked = await cosign(args)
    expect({ args, failed: checked.code !== 0 }).toEqual({ args, failed: true })
  }
})

/** The lines of a text but the runner's own ::add-mask:: commands, which carry the masked values. */
function withoutMaskCommands(text: string): string {
  return text
    .split('\n')
    .filter((line) => !line.startsWith('::add-mask::'))
    .join('\n')
}

test('no key, password or key file is left in the log, the outputs, the summary or the runner’s files', () => {
  const secrets = keySecrets(keyPem, PASSWORD)
  const masked = result.main.stdout.split('\n').filter((line) => line.startsWith('::add-mask::'))
  for (const secret of secrets) expect(masked).toContain(`::add-mask::${secret}`)
  const texts = [
    withoutMaskCommands(log(result)),
    JSON.stringify(result.outputs),
    result.summary,
    ...filesUnder(result.runnerTemp).map(({ content }) => content.toString('utf8')),
  ]
  for (const secret of secrets) for (const text of texts) expect(text.includes(secret)).toBe(false)
  expect(filesUnder(result.runnerTemp).some(({ file }) => file.endsWith('cosign.key'))).toBe(false)
  expect(existsSync(result.state.workspace!)).toBe(false)
})

test('a key the password does not decrypt fails before any login, build or push', async () => {
  const other = uniqueRepo('sign-badkey')
  const failed = await runBuildPush(env, {
    event: {
      ...pushEvent('refs/tags/v1.2.3'),
      env: { GITHUB_REF: 'refs/tags/v1.2.3', RUNNER_TOOL_CACHE: toolCache },
    },
    inputs: {
      images: `${env.plain.host}/${other}`,
      'registry-auth': registryAuth(env.plain),
      'cosign-key': keyPem,
      'cosign-password': `${PASSWORD}-wrong`,
      'transparency-log': 'false',
      'cosign-version': COSIGN_VERSION,
    },
  })
  try {
    expect(failed.main.code).toBe(1)
    expect(failed.main.stdout).toMatch(/::error::Input "cosign-key": cosign could not decrypt the key/)
    expect(log(failed)).not.toContain('Logged in to')
    expect(log(failed)).not.toContain('buildx build')
    expect(await tagsOf(env.plain, other)).toEqual([])
    expect(output(failed, 'signed')).toBe('false')
  } finally {
    rmSync(failed.runnerTemp, { recursive: true, force: true })
  }
})

test('scanner: none signs without attestations; with logout: false the post step still removes the key', async () => {
  const other = uniqueRepo('sign-noscan')
  const signed = await runBuildPush(env, {
    event: {
      ...pushEvent('refs/tags/v1.2.3'),
      env: { GITHUB_REF: 'refs/tags/v1.2.3', RUNNER_TOOL_CACHE: toolCache },
    },
    inputs: {
      images: `${env.plain.host}/${other}`,
      'registry-auth': registryAuth(env.plain),
      'cosign-key': keyPem,
      'cosign-password': PASSWORD,
      'transparency-log': 'false',
      'cosign-version': COSIGN_VERSION,
      logout: 'false',
    },
  })
  try {
    expect(signed.main.code).toBe(0)
    expect(output(signed, 'signed')).toBe('true')
    const reference = `${env.plain.host}/${other}@${output(signed, 'digest')}`
    const commands = output(signed, 'verify-commands').split('\n')
    expect(commands).toEqual([
      `cosign verify --key cosign.pub --insecure-ignore-tlog=true --allow-http-registry ${reference}`,
    ])
    const common = ['--key', publicKey, '--insecure-ignore-tlog=true', '--allow-http-registry']
    expect((await cosign(['verify', ...common, reference])).code).toBe(0)
    expect((await cosign(['verify-attestation', ...common, '--type', 'vuln', reference])).code).not.toBe(0)
    // The isolated docker config stays (logout: false); the key and everything else are gone.
    const workspace = signed.state.workspace!
    expect(existsSync(path.join(workspace, 'docker-config'))).toBe(true)
    expect(existsSync(path.join(workspace, 'cosign'))).toBe(false)
  } finally {
    rmSync(signed.runnerTemp, { recursive: true, force: true })
  }
})

function readFixture(name: string): string {
  return readFileSync(path.join(import.meta.dirname, '../fixtures/scanners', name), 'utf8')
}
