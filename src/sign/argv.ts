import { isLoopbackHost, parseImageReference } from '../metadata/image-reference.js'
import { GITHUB_OIDC_ISSUER } from './decide.js'

/**
 * cosign 2 command lines, as argument arrays (what runs) and as shell text (the verify commands a
 * user copies). Every reference is `name@sha256:…`: a tag can move between the push and the
 * signature, a digest cannot.
 */

/** How cosign reaches one registry, as the push reached it. */
export interface CosignRegistryAccess {
  /** The registry's CA (PEM), as the engine and skopeo find it in /etc/docker/certs.d/HOST:PORT/ca.crt. */
  caFile?: string
}

/** How to sign: a key file (and COSIGN_PASSWORD in cosign's environment), or keyless through OIDC. */
export interface CosignSigner {
  /** The private key file, in the step's private directory; undefined: keyless. */
  keyFile?: string
  transparencyLog: boolean
}

/** What cosign calls the predicate types of the two attestations. */
export const ATTESTATION_TYPES = { vuln: 'vuln', sbom: 'cyclonedx' } as const

/** `name@sha256:…`, refusing anything that is not a digest reference. */
export function digestReference(name: string, digest: string): string {
  if (!/^sha(256|512):[0-9a-f]+$/.test(digest)) throw new Error(`cosign signs digests only, not "${digest}"`)
  if (name.includes('@')) throw new Error(`"${name}" is a repository name with a digest already`)
  return `${name}@${digest}`
}

export function cosignSignArgv(
  reference: string,
  signer: CosignSigner,
  access: CosignRegistryAccess,
): string[] {
  return [
    'sign',
    ...signerArgs(signer),
    ...registryArgs(reference, access),
    checkedDigestReference(reference),
  ]
}

export function cosignAttestArgv(
  reference: string,
  type: (typeof ATTESTATION_TYPES)[keyof typeof ATTESTATION_TYPES],
  predicateFile: string,
  signer: CosignSigner,
  access: CosignRegistryAccess,
): string[] {
  return [
    'attest',
    ...signerArgs(signer),
    '--type',
    type,
    '--predicate',
    predicateFile,
    ...registryArgs(reference, access),
    checkedDigestReference(reference),
  ]
}

/** `cosign public-key --key FILE`: decrypts the key with COSIGN_PASSWORD and prints its public half. */
export function cosignPublicKeyArgv(keyFile: string): string[] {
  return ['public-key', '--key', keyFile]
}

export function cosignVersionArgv(): string[] {
  return ['version', '--json']
}

/** How the verify commands name the public key: the file a user keeps beside `cosign.key`. */
export const PUBLIC_KEY_FILE = 'cosign.pub'

export interface VerifyTarget {
  /** The repository (`registry/name`). */
  name: string
  /** The digest the run pushed and signed (the index, or the image manifest of a one-platform build). */
  digest: string
  /** Each platform manifest's digest, with what was attested to it. */
  platforms: Array<{ platform: string; digest: string }>
}

export interface VerifyIdentity {
  method: 'key' | 'keyless'
  transparencyLog: boolean
  /** Keyless: the workflow's certificate identity. */
  identity?: string
}

/**
 * The exact commands that check what the run signed: `cosign verify` of each pushed digest and
 * `cosign verify-attestation` of each attestation of each platform manifest, one a line.
 */
export function verifyCommands(
  targets: readonly VerifyTarget[],
  attest: readonly (keyof typeof ATTESTATION_TYPES)[],
  who: VerifyIdentity,
  accessFor: (name: string) => CosignRegistryAccess,
): string[] {
  const commands: string[] = []
  for (const target of targets) {
    const access = accessFor(target.name)
    const reference = digestReference(target.name, target.digest)
    commands.push(
      shellLine(['cosign', 'verify', ...verifierArgs(who), ...registryArgs(reference, access), reference]),
    )
    for (const platform of target.platforms) {
      const platformReference = digestReference(target.name, platform.digest)
      for (const kind of attest) {
        commands.push(
          shellLine([
            'cosign',
            'verify-attestation',
            ...verifierArgs(who),
            '--type',
            ATTESTATION_TYPES[kind],
            ...registryArgs(platformReference, access),
            platformReference,
          ]),
        )
      }
    }
  }
  return commands
}

function verifierArgs(who: VerifyIdentity): string[] {
  const identity =
    who.method === 'key'
      ? ['--key', PUBLIC_KEY_FILE]
      : [
          '--certificate-identity',
          who.identity ?? 'https://github.com/OWNER/REPO/.github/workflows/WORKFLOW.yml@REF',
          '--certificate-oidc-issuer',
          GITHUB_OIDC_ISSUER,
        ]
  return [...identity, ...(who.transparencyLog ? [] : ['--insecure-ignore-tlog=true'])]
}

// --yes: no prompt (about the public transparency log, or the OIDC consent) can wait on a runner.
function signerArgs(signer: CosignSigner): string[] {
  return [
    '--yes',
    ...(signer.keyFile === undefined ? [] : ['--key', signer.keyFile]),
    ...(signer.transparencyLog ? [] : ['--tlog-upload=false']),
  ]
}

/**
 * A loopback registry may speak plain HTTP (the engine falls back to it there, and so did the
 * push); cosign needs `--allow-http-registry` to try it. Nowhere else: as for skopeo, plain HTTP
 * to a remote registry would let anyone on the path swap what is signed. A registry with its own
 * CA gets it through `--registry-cacert`.
 */
function registryArgs(reference: string, access: CosignRegistryAccess): string[] {
  const { registry } = parseImageReference(reference.slice(0, reference.indexOf('@')))
  return [
    ...(isLoopbackHost(registry) ? ['--allow-http-registry'] : []),
    ...(access.caFile === undefined ? [] : ['--registry-cacert', access.caFile]),
  ]
}

function checkedDigestReference(reference: string): string {
  const at = reference.indexOf('@')
  if (at < 0) throw new Error(`cosign signs digests only, not the tag reference "${reference}"`)
  return digestReference(reference.slice(0, at), reference.slice(at + 1))
}

const SHELL_SAFE = /^[A-Za-z0-9@%+=:,./_-]+$/

/** Arguments joined for a POSIX shell, single-quoting any that need it. */
export function shellLine(args: readonly string[]): string {
  return args.map((arg) => (SHELL_SAFE.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`)).join(' ')
}
