import semver from 'semver'
import { InputError } from '../action/errors.js'
import { listEntries, optionalBoolean, releaseVersion, type InputReader } from '../action/input-list.js'

/**
 * The signing inputs: `sign`, `cosign-key`, `cosign-password`, `attest`, `transparency-log` and
 * `cosign-version`, checked on their own (whether the run can sign at all is decided later, by
 * `decideSigning`, once the push decision is known).
 */

/**
 * Default cosign: 2.6.4 (tag v2.6.4, 2026-07-17), the newest 2.x release in the sigstore/cosign
 * snapshot read. cosign 3 (v3.1.2 is newer) changed what the flags used here mean: `--tlog-upload`
 * is deprecated there and refused unless `--use-signing-config=false`, and signatures go into
 * Sigstore bundles through the OCI referrers API by default, which `cosign verify` of 2.x does not
 * read. The argv below is cosign 2's (tested end to end with Debian's 2.5.0), so 3.x is refused.
 */
export const DEFAULT_COSIGN_VERSION = '2.6.4'
const SUPPORTED_MAJOR = 2

export type SignMode = 'auto' | 'true' | 'false'
export type AttestationKind = 'vuln' | 'sbom'

export interface SignInputs {
  mode: SignMode
  /** The PEM text of a cosign private key (`cosign-key`); undefined for keyless signing. */
  key?: string
  /** `cosign-password`: what decrypts `key` ('' for a key without one). */
  password: string
  /** `attest`: which attestations go with each platform manifest when signing. */
  attest: AttestationKind[]
  /** `transparency-log`: upload to Rekor (false: `--tlog-upload=false`, weaker). */
  transparencyLog: boolean
  cosignVersion: string
}

/**
 * Reads and checks the signing inputs. `oidcAvailable`: the job can request an OIDC token
 * (ACTIONS_ID_TOKEN_REQUEST_URL and _TOKEN are set, from `id-token: write`). `sign: true` with
 * neither a key nor a token, and a keyless signature without the transparency log it is verified
 * through, are InputErrors, before anything runs.
 */
export function readSignInputs(read: InputReader, oidcAvailable: boolean): SignInputs {
  const key = keyInput(read('cosign-key', { trim: false }))
  const inputs: SignInputs = {
    mode: signMode(read('sign')),
    ...(key === undefined ? {} : { key }),
    password: read('cosign-password', { trim: false }),
    attest: attestInput(read('attest')),
    transparencyLog: optionalBoolean(read('transparency-log'), 'transparency-log', true),
    cosignVersion: parseCosignVersionInput(read('cosign-version')),
  }
  if (inputs.mode === 'true' && key === undefined && !oidcAvailable) {
    throw new InputError(
      'sign',
      '"true" needs a signing identity: give "cosign-key" (and "cosign-password"), or let the job ' +
        'request an OIDC token for keyless signing (permissions: id-token: write)',
    )
  }
  if (inputs.mode !== 'false' && key === undefined && oidcAvailable && !inputs.transparencyLog) {
    throw new InputError(
      'transparency-log',
      '"false" needs "cosign-key": a keyless signature is verified through its transparency log entry',
    )
  }
  return inputs
}

/** The values to mask: the key (every line of it, as the runner masks line by line) and the password. */
export function signSecrets(inputs: SignInputs): string[] {
  const keyLines = (inputs.key ?? '').split(/\r?\n/).map((line) => line.trim())
  return [...keyLines, inputs.password].filter((secret) => secret !== '')
}

function signMode(text: string): SignMode {
  const value = text.trim().toLowerCase()
  if (value === '') return 'auto'
  if (value === 'auto' || value === 'true' || value === 'false') return value
  throw new InputError('sign', `expected "auto", "true" or "false", got "${text}"`)
}

// Never quotes the value: it is a private key.
function keyInput(text: string): string | undefined {
  const key = text.trim()
  if (key === '') return undefined
  if (!/^-----BEGIN [A-Z ]*PRIVATE KEY-----\r?\n[\s\S]+\r?\n-----END [A-Z ]*PRIVATE KEY-----$/.test(key)) {
    throw new InputError(
      'cosign-key',
      'expected the text of a PEM private key from `cosign generate-key-pair` ' +
        '("-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----" … "-----END … PRIVATE KEY-----"), not a path or a key reference',
    )
  }
  return `${key}\n`
}

function attestInput(text: string): AttestationKind[] {
  const entries = listEntries(text, 'attest').map((entry) => entry.toLowerCase())
  if (entries.length === 0) return ['vuln', 'sbom']
  if (entries.length === 1 && entries[0] === 'none') return []
  const unknown = entries.find((entry) => entry !== 'vuln' && entry !== 'sbom')
  if (unknown !== undefined) {
    throw new InputError('attest', `expected "vuln", "sbom", both ("vuln,sbom") or "none", got "${unknown}"`)
  }
  return (['vuln', 'sbom'] as const).filter((kind) => entries.includes(kind))
}

/** `cosign-version`: one cosign 2 release; empty means the pinned default. */
export function parseCosignVersionInput(value: string): string {
  const version = releaseVersion(value, 'cosign-version', 'cosign', DEFAULT_COSIGN_VERSION)
  if (semver.major(version) !== SUPPORTED_MAJOR) {
    throw new InputError(
      'cosign-version',
      `${version} is not a cosign ${SUPPORTED_MAJOR}.x release; this action runs cosign ${SUPPORTED_MAJOR} ` +
        `(default ${DEFAULT_COSIGN_VERSION})`,
    )
  }
  return version
}
