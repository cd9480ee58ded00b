import { parseImageReference } from '../metadata/image-reference.js'
import type { AttestationKind } from './inputs.js'
import {
  ATTESTATION_TYPES,
  cosignAttestArgv,
  cosignSignArgv,
  digestReference,
  type CosignRegistryAccess,
  type CosignSigner,
} from './argv.js'

/** One platform manifest of the pushed image, and the files its attestations carry. */
export interface PlatformToSign {
  platform: string
  digest: string
  /** The predicate file of each attestation (the vuln predicate, the CycloneDX SBOM). */
  predicates: Partial<Record<AttestationKind, string>>
}

/** One cosign call: what it does (for the log and errors) and its argv. */
export interface CosignCall {
  what: string
  argv: string[]
}

/**
 * Every cosign call that signs a pushed image, in order: per repository the pushed digest (the
 * index of a multi-platform image), then each platform manifest, then each platform's
 * attestations. A one-platform image's manifest is the pushed digest: signed once.
 */
export function signingCalls(
  repositories: readonly string[],
  digest: string,
  platforms: readonly PlatformToSign[],
  attest: readonly AttestationKind[],
  signer: CosignSigner,
  accessFor: (repository: string) => CosignRegistryAccess,
): CosignCall[] {
  const calls: CosignCall[] = []
  for (const repository of [...new Set(repositories)]) {
    const access = accessFor(repository)
    const signed = [digest, ...platforms.map((entry) => entry.digest).filter((entry) => entry !== digest)]
    for (const each of [...new Set(signed)]) {
      const reference = digestReference(repository, each)
      calls.push({ what: `sign ${reference}`, argv: cosignSignArgv(reference, signer, access) })
    }
    for (const platform of platforms) {
      const reference = digestReference(repository, platform.digest)
      for (const kind of attest) {
        const predicate = platform.predicates[kind]
        if (predicate === undefined)
          throw new Error(`no ${kind} attestation was prepared for ${platform.platform}`)
        const type = ATTESTATION_TYPES[kind]
        calls.push({
          what: `attest ${type} to ${reference} (${platform.platform})`,
          argv: cosignAttestArgv(reference, type, predicate, signer, access),
        })
      }
    }
  }
  return calls
}

/** Where the engine and skopeo look for a registry's own CA; the first that exists is cosign's. */
export function caFileCandidates(repository: string): string[] {
  const { registry } = parseImageReference(repository)
  return [`/etc/docker/certs.d/${registry}/ca.crt`, `/etc/containers/certs.d/${registry}/ca.crt`]
}
