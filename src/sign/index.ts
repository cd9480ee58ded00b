import { existsSync } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { info } from '../action/log.js'
import { errorMessage } from '../action/errors.js'
import type { PlatformImage } from '../build/oci-layout.js'
import type { VerifiedReference } from '../push/verify.js'
import type { ScannedPlatform } from '../scan/index.js'
import { deadline } from '../runner/timeouts.js'
import { runTool, tail } from '../runner/tool.js'
import type { Workspace } from '../runner/workspace.js'
import { cosignPublicKeyArgv, verifyCommands, type CosignRegistryAccess, type CosignSigner } from './argv.js'
import type { OidcRequest, SigningDecision } from './decide.js'
import { installCosign } from './cosign-install.js'
import type { SignInputs } from './inputs.js'
import { caFileCandidates, signingCalls, type PlatformToSign } from './plan.js'
import { vulnPredicate } from './predicate.js'
import type { SignSummary } from './summary.js'

export { readSignInputs, signSecrets, type SignInputs } from './inputs.js'
export { decideSigning, signingEnvironment, type OidcRequest, type SigningDecision } from './decide.js'
export { renderSignSection, signOutputs, type SignSummary } from './summary.js'

/** What signing needs, settled before any login: cosign, and the key checked to decrypt. */
export interface Signer {
  cosign: string
  decision: Extract<SigningDecision, { sign: true }>
  /** cosign's own variables: DOCKER_CONFIG, and COSIGN_PASSWORD or the OIDC token request. */
  env: Record<string, string>
  keyFile?: string
  /** The public half of `cosign-key`, as `cosign public-key` prints it. */
  publicKey?: string
  /** The step's private directory for the key and the predicates (the post step deletes it). */
  dir: string
}

/** The directory in the step's workspace holding the key and the predicate files. */
export const SIGN_DIR = 'cosign'

/**
 * Installs cosign and, for key-based signing, writes `cosign-key` into the step's private
 * directory (0600) and has cosign decrypt it (`cosign public-key`): a wrong key or password fails
 * here, before any login, build or push.
 */
export async function prepareSigner(
  decision: Extract<SigningDecision, { sign: true }>,
  inputs: SignInputs,
  oidc: OidcRequest | undefined,
  workspace: Workspace,
): Promise<Signer> {
  const installed = await installCosign({ version: inputs.cosignVersion, log: (message) => info(message) })
  const dir = path.join(workspace.root, SIGN_DIR)
  await mkdir(dir, { mode: 0o700, recursive: true })
  const env: Record<string, string> = { DOCKER_CONFIG: workspace.dockerConfig }
  if (decision.method === 'keyless') {
    if (oidc === undefined)
      throw new Error('Keyless signing needs the job’s OIDC token request, which is gone')
    return {
      cosign: installed.binary,
      decision,
      dir,
      env: { ...env, ACTIONS_ID_TOKEN_REQUEST_URL: oidc.url, ACTIONS_ID_TOKEN_REQUEST_TOKEN: oidc.token },
    }
  }
  const keyFile = path.join(dir, 'cosign.key')
  await writeFile(keyFile, inputs.key ?? '', { mode: 0o600, flag: 'wx' })
  const withPassword = { ...env, COSIGN_PASSWORD: inputs.password }
  const result = await runTool(installed.binary, cosignPublicKeyArgv(keyFile), {
    env: withPassword,
    silent: true,
    deadline: deadline('probe', 'cosign public-key'),
  })
  if (result.exitCode !== 0 || !result.stdout.includes('PUBLIC KEY')) {
    throw new Error(
      `Input "cosign-key": cosign could not decrypt the key with "cosign-password" (${tail(result.stderr, 2)})`,
    )
  }
  info('cosign-key decrypts; its public key is in the job summary')
  return {
    cosign: installed.binary,
    decision,
    dir,
    env: withPassword,
    keyFile,
    publicKey: result.stdout.trim(),
  }
}

/**
 * Before the push: each platform to attest has its gating report and, when asked for, its SBOM.
 * Throws (so nothing is pushed) when one is missing: an image that cannot be attested as asked is
 * better not pushed than pushed without.
 */
export function checkAttestable(
  signer: Signer,
  platforms: readonly PlatformImage[],
  scanned: ScannedPlatform[],
): void {
  for (const kind of signer.decision.attest) {
    for (const entry of platforms) {
      const facts = scanned.find((each) => each.manifestDigest === entry.descriptor.digest)
      if (facts === undefined) throw new Error(`Cannot attest ${entry.platform}: it has no scan report`)
      if (kind === 'sbom' && facts.sbom?.ok !== true) {
        throw new Error(
          `Cannot attest an SBOM of ${entry.platform}: ${facts.sbom?.ok === false ? facts.sbom.message : 'none was written'}`,
        )
      }
    }
  }
}

/** A signature or attestation that failed after the push: the image is in the registry, unsigned. */
export class SigningFailed extends Error {
  override name = 'SigningFailed'
}

/**
 * Signs the pushed digest and each platform manifest in every pushed repository, by digest, and
 * attests each platform's vulnerability report and SBOM. Any failure throws SigningFailed, saying
 * the image is pushed but not (fully) signed.
 */
export async function signPushed(
  signer: Signer,
  pushed: readonly VerifiedReference[],
  digest: string,
  platforms: readonly PlatformImage[],
  scanned: readonly ScannedPlatform[],
  run: { url: string; id: string },
): Promise<SignSummary> {
  const repositories = [...new Set(pushed.map((reference) => reference.name))]
  const { decision } = signer
  const signerArgs: CosignSigner = {
    ...(signer.keyFile === undefined ? {} : { keyFile: signer.keyFile }),
    transparencyLog: decision.transparencyLog,
  }
  const done: string[] = []
  try {
    const toSign = await preparePredicates(signer, platforms, scanned, run)
    const calls = signingCalls(repositories, digest, toSign, decision.attest, signerArgs, registryAccess)
    for (const call of calls) {
      const result = await runTool(signer.cosign, call.argv, {
        env: signer.env,
        deadline: deadline('sign', `cosign ${call.what}`),
      })
      if (result.exitCode !== 0) throw new Error(`cosign ${call.what} failed:\n${tail(result.stderr)}`)
      done.push(call.what)
    }
  } catch (error) {
    const partly = done.length > 0 ? ` (${done.length} signatures and attestations were made before)` : ''
    throw new SigningFailed(
      `The image was pushed but is not signed${partly}: ${errorMessage(error)}. ` +
        'Verify policies will reject it until it is signed.',
    )
  }
  const commands = verifyCommands(
    repositories.map((name) => ({
      name,
      digest,
      platforms: platforms.map((entry) => ({ platform: entry.platform, digest: entry.descriptor.digest })),
    })),
    decision.attest,
    {
      method: decision.method,
      transparencyLog: decision.transparencyLog,
      ...(decision.identity ? { identity: decision.identity } : {}),
    },
    registryAccess,
  )
  info(`Signed ${digest} and ${platforms.length} platform manifests in ${repositories.join(', ')}`)
  return {
    signed: true,
    reason: decision.reason,
    commands,
    transparencyLog: decision.transparencyLog,
    ...(signer.publicKey === undefined ? {} : { publicKey: signer.publicKey }),
  }
}

/** Writes each platform's vuln predicate beside the key; the SBOM is the file the scan wrote. */
async function preparePredicates(
  signer: Signer,
  platforms: readonly PlatformImage[],
  scanned: readonly ScannedPlatform[],
  run: { url: string; id: string },
): Promise<PlatformToSign[]> {
  const prepared: PlatformToSign[] = []
  for (const [n, entry] of platforms.entries()) {
    const digest = entry.descriptor.digest
    const facts = scanned.find((each) => each.manifestDigest === digest)
    const predicates: PlatformToSign['predicates'] = {}
    if (facts !== undefined && signer.decision.attest.includes('vuln')) {
      const file = path.join(signer.dir, `vuln-${n}.json`)
      const predicate = vulnPredicate({
        ...facts,
        report: JSON.parse(facts.report) as unknown,
        runUrl: run.url,
        runId: run.id,
      })
      await writeFile(file, JSON.stringify(predicate), { mode: 0o600 })
      predicates.vuln = file
    }
    if (facts?.sbom?.ok === true) predicates.sbom = facts.sbom.file
    prepared.push({ platform: entry.platform, digest, predicates })
  }
  return prepared
}

function registryAccess(repository: string): CosignRegistryAccess {
  const caFile = caFileCandidates(repository).find((file) => existsSync(file))
  return caFile === undefined ? {} : { caFile }
}
