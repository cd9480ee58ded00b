import type { ScanInputs } from '../scan/inputs.js'
import type { AttestationKind, SignInputs } from './inputs.js'

/**
 * Whether the run signs, how, and what it attests: a pure decision over the inputs, the push
 * decision and the environment, made before anything runs (the dry run makes it too).
 */

/** GitHub's OIDC issuer: what Fulcio puts in the certificate of a keyless signature made in Actions. */
export const GITHUB_OIDC_ISSUER = 'https://token.actions.githubusercontent.com'

/** The job's OIDC token request (`id-token: write`): what cosign's GitHub provider reads. */
export interface OidcRequest {
  url: string
  token: string
}

export type SigningDecision =
  | { sign: false; reason: string }
  | {
      sign: true
      method: 'key' | 'keyless'
      reason: string
      /** Per platform manifest; none without Trivy's report (`scanner: none` or `scout`). */
      attest: AttestationKind[]
      transparencyLog: boolean
      /** Keyless: the certificate identity to verify against (`https://github.com/<workflow ref>`). */
      identity?: string
    }

export interface SigningFacts {
  /** Whether this run pushes (decidePush). */
  push: boolean
  scanner: ScanInputs['scanner']
  /** ACTIONS_ID_TOKEN_REQUEST_URL / _TOKEN, present when the job has `id-token: write`. */
  oidc: OidcRequest | undefined
  /** `${GITHUB_SERVER_URL}/${GITHUB_WORKFLOW_REF}`, for the keyless verify commands. */
  workflowIdentity: string | undefined
}

/**
 * `auto` and `true` sign a pushing run that has a key or an OIDC token (readSignInputs has made
 * sure `true` has one); `false` never signs; nothing is signed on a run that pushes nothing. A key
 * wins over the token: who gave one wants key-based signatures.
 */
export function decideSigning(inputs: SignInputs, facts: SigningFacts): SigningDecision {
  if (inputs.mode === 'false') return { sign: false, reason: 'sign is false' }
  const method = inputs.key !== undefined ? 'key' : facts.oidc !== undefined ? 'keyless' : undefined
  if (method === undefined) {
    return { sign: false, reason: 'no cosign-key and no OIDC token (the job lacks id-token: write)' }
  }
  if (!facts.push) return { sign: false, reason: 'nothing is pushed' }
  return {
    sign: true,
    method,
    reason: method === 'key' ? 'with cosign-key' : 'keyless, with the job’s OIDC token',
    attest: facts.scanner === 'trivy' ? inputs.attest : [],
    transparencyLog: inputs.transparencyLog,
    ...(method === 'keyless' && facts.workflowIdentity !== undefined
      ? { identity: facts.workflowIdentity }
      : {}),
  }
}

/** The OIDC request and the workflow identity from the step's environment (before it is pruned). */
export function signingEnvironment(
  env: Readonly<Record<string, string | undefined>>,
): Pick<SigningFacts, 'oidc' | 'workflowIdentity'> {
  const url = env.ACTIONS_ID_TOKEN_REQUEST_URL ?? ''
  const token = env.ACTIONS_ID_TOKEN_REQUEST_TOKEN ?? ''
  const server = (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, '')
  const workflowRef = env.GITHUB_WORKFLOW_REF ?? ''
  return {
    oidc: url !== '' && token !== '' ? { url, token } : undefined,
    workflowIdentity: workflowRef === '' ? undefined : `${server}/${workflowRef}`,
  }
}
