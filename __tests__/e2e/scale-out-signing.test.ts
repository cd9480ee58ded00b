// Scaling out (#13) with signing (#14) on the real sandbox: each `stage: platform` leg (its own
// RUNNER_TEMP, as a matrix job has; arm64 under QEMU) signs its pushed digest and platform manifest
// and attests the platform's Trivy report and SBOM; the `stage: merge` run, fed the legs' `result`
// outputs as `${{ toJSON(needs.<job>.outputs) }}` gives them, signs only the index it pushed. Real
// cosign with a key and no transparency log (no Rekor here); the scan runs the Trivy double, which
// replays recorded reports (the real binary cannot be downloaded here).
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fakeTrivyOnPath, type FakeTrivy } from '../unit/scan/fake-trivy-on-path.js'
import {
  cosignKit,
  COSIGN_VERSION,
  keySecrets,
  runCosign,
  verifyArgvs,
  type CosignKit,
} from './helpers/cosign-sandbox.js'
import {
  filesUnder,
  log,
  output,
  pushEvent,
  registryAuth,
  runBuildPush,
  uniqueRepo,
  type RunResult,
} from './helpers/build-push-run.js'
import { ACCEPT_INDEX, RegistryClient } from './helpers/registry.js'
import { loadSandboxEnv } from './helpers/sandbox-env.js'

const env = loadSandboxEnv()
// An arm64 build under QEMU on a loaded 2-core machine, then its signatures.
import.meta.jest.setTimeout(600_000)
const REPORTS = {
  '*': { json: 'trivy/sl-micro-rancher-5.4-zero-vulns.json', cyclonedx: 'trivy/fluentd-sbom-scan.cdx.json' },
}
const PASSWORD = `pw-${Math.random().toString(36).slice(2)}`
const PLATFORMS = ['linux/amd64', 'linux/arm64']

let work: string
let trivy: FakeTrivy
let kit: CosignKit
const runs: RunResult[] = []
const repo = uniqueRepo('scale-sign')
const images = [`${env.plain.host}/${repo}`, `${env.tls.host}/${repo}`]

beforeAll(async () => {
  work = mkdtempSync(path.join(os.tmpdir(), 'bsp-e2e-scale-sign-'))
  trivy = fakeTrivyOnPath(work)
  kit = await cosignKit(env, work, PASSWORD)
})

afterAll(() => {
  for (const run of runs) rmSync(run.runnerTemp, { recursive: true, force: true })
  rmSync(work, { recursive: true, force: true })
})

/** One signing action run, as one job of the workflow: a fresh RUNNER_TEMP, the double on PATH. */
async function stage(inputs: Record<string, string>): Promise<RunResult> {
  const scannerEnv = trivy.variables(REPORTS)
  const event = pushEvent('refs/tags/v1.2.3')
  const result = await runBuildPush(env, {
    event: {
      ...event,
      env: {
        ...event.env,
        ...scannerEnv,
        RUNNER_TOOL_CACHE: kit.toolCache,
      },
    },
    inputs: {
      images: images.join('\n'),
      'registry-auth': registryAuth(env.plain, env.tls),
      scanner: 'trivy',
      'cosign-key': kit.keyPem,
      'cosign-password': PASSWORD,
      'transparency-log': 'false',
      'cosign-version': COSIGN_VERSION,
      ...inputs,
    },
  })
  runs.push(result)
  return result
}

function expectSucceeded(result: RunResult): void {
  expect({ code: result.main.code, log: result.main.code === 0 ? '' : log(result) }).toEqual({
    code: 0,
    log: '',
  })
}

/** Runs every line of a `verify-commands` output; each must exit 0. */
async function expectEveryCommandVerifies(result: RunResult): Promise<string[][]> {
  const commands = verifyArgvs(output(result, 'verify-commands'), kit.publicKey)
  for (const argv of commands) {
    expect(argv[0]).toBe('cosign')
    const checked = await runCosign(env, argv.slice(1))
    expect({ argv, code: checked.code, stderr: checked.stderr }).toEqual({
      argv,
      code: 0,
      stderr: expect.any(String),
    })
  }
  return commands
}

/** No registry password, key or cosign password in any log, output, summary or file left behind. */
function expectNoSecretLeft(result: RunResult): void {
  const secrets = [...keySecrets(kit.keyPem, PASSWORD), env.plain.password, env.tls.password]
  const masked = result.main.stdout.split('\n').filter((line) => line.startsWith('::add-mask::'))
  for (const secret of keySecrets(kit.keyPem, PASSWORD)) expect(masked).toContain(`::add-mask::${secret}`)
  const unmaskedLog = log(result)
    .split('\n')
    .filter((line) => !line.startsWith('::add-mask::'))
    .join('\n')
  const files = filesUnder(result.runnerTemp)
  const texts = [
    unmaskedLog,
    JSON.stringify(result.outputs),
    result.summary,
    ...files.map(({ content }) => content.toString('utf8')),
  ]
  for (const secret of secrets) {
    for (const text of texts) {
      expect(text.includes(secret)).toBe(false)
      expect(text.includes(Buffer.from(secret).toString('base64'))).toBe(false)
    }
  }
  expect(files.some(({ file }) => file.endsWith('cosign.key'))).toBe(false)
  expect(readdirSync(result.runnerTemp).filter((entry) => entry.startsWith('build-scan-push-'))).toEqual([])
  expect(existsSync(result.state.workspace!)).toBe(false)
}

/** How many verified signatures `cosign verify` printed (a JSON array on its stdout). */
function signatures(stdout: string): number {
  return (JSON.parse(stdout.trim()) as unknown[]).length
}

interface LegOutput {
  digest: string
  platforms: Array<{ platform: string; digest: string }>
}

const results: string[] = []

test('each leg signs and attests its platform, and every verify command it prints succeeds', async () => {
  for (const platform of PLATFORMS) {
    const result = await stage({ stage: 'platform', platforms: platform })
    expectSucceeded(result)
    expect(output(result, 'pushed')).toBe('true')
    expect(output(result, 'signed')).toBe('true')
    const leg = JSON.parse(output(result, 'result')) as LegOutput
    expect(leg.platforms.map((entry) => entry.platform)).toEqual([platform])
    const manifest = leg.platforms[0]!.digest
    const commands = await expectEveryCommandVerifies(result)
    // In both registries: the pushed digest verified, the platform manifest's vuln report and SBOM.
    for (const image of images) {
      const of = (argv: string[]): boolean => argv.at(-1)!.startsWith(`${image}@`)
      expect(commands.filter((argv) => of(argv) && argv[1] === 'verify').map((argv) => argv.at(-1))).toEqual([
        `${image}@${leg.digest}`,
      ])
      const attested = commands.filter((argv) => of(argv) && argv[1] === 'verify-attestation')
      expect(attested.map((argv) => `${argv[argv.indexOf('--type') + 1]} ${argv.at(-1)}`)).toEqual([
        `vuln ${image}@${manifest}`,
        `cyclonedx ${image}@${manifest}`,
      ])
    }
    expectNoSecretLeft(result)
    results.push(output(result, 'result'))
  }
})

test('the merge signs the index it pushed, and only that; its verify commands succeed', async () => {
  expect(results).toHaveLength(2)
  const needs = JSON.stringify(
    Object.fromEntries(results.map((result, at) => [`result_${at}`, result])),
    null,
    2,
  )
  const result = await stage({ stage: 'merge', platforms: PLATFORMS.join(','), results: needs })
  expectSucceeded(result)
  expect(output(result, 'pushed')).toBe('true')
  expect(output(result, 'signed')).toBe('true')
  const digest = output(result, 'digest')
  const commands = await expectEveryCommandVerifies(result)
  expect(commands.map((argv) => `${argv[1]} ${argv.at(-1)}`)).toEqual(
    images.map((image) => `verify ${image}@${digest}`),
  )
  // The index is what the merge pushed (the tag points at it), and the key verifies it by digest.
  const index = await new RegistryClient(env.plain).getManifest(repo, '1.2.3', ACCEPT_INDEX)
  expect(index.bodyDigest).toBe(digest)
  const verifyByKey = (reference: string) =>
    runCosign(env, [
      'verify',
      '--key',
      kit.publicKey,
      '--insecure-ignore-tlog=true',
      '--allow-http-registry',
      reference,
    ])
  const checked = await verifyByKey(`${images[0]}@${digest}`)
  expect({ code: checked.code, stderr: checked.stderr }).toEqual({ code: 0, stderr: expect.any(String) })
  expect(signatures(checked.stdout)).toBe(1)
  // Each platform the index lists still verifies, by its leg's one signature: the merge signed
  // none of them again.
  const legManifests = results.flatMap((line) => (JSON.parse(line) as LegOutput).platforms)
  const listed = (index.json as { manifests: Array<{ digest: string }> }).manifests.map(
    (entry) => entry.digest,
  )
  for (const { digest: manifest } of legManifests) {
    expect(listed).toContain(manifest)
    const platform = await verifyByKey(`${images[0]}@${manifest}`)
    expect(platform.code).toBe(0)
    expect(signatures(platform.stdout)).toBe(1)
  }
  expectNoSecretLeft(result)
})
