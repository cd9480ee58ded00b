import * as core from '@actions/core'
import type { RegistryClient } from './registry-client.js'
import { checkPushedDigest } from './skopeo-args.js'

export interface VerifiedReference {
  reference: string
  digest: string
}

/**
 * Reads every pushed reference back from its registry and hashes the manifest bytes served:
 * each must be the digest that was built, or the step fails. The same check for every push route.
 */
export async function verifyPushed(
  client: Pick<RegistryClient, 'readManifest'>,
  destinations: string[],
  expected: string,
): Promise<VerifiedReference[]> {
  const verified: VerifiedReference[] = []
  for (const reference of destinations) {
    const check = checkPushedDigest(await client.readManifest(reference), expected)
    if (!check.ok) {
      throw new Error(`${reference} serves ${check.actual}, not the digest built and pushed (${expected})`)
    }
    verified.push({ reference, digest: check.actual })
  }
  core.info(`Verified ${verified.length} references: all serve ${expected}`)
  return verified
}
