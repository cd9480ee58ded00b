import * as core from '@actions/core'
import type { Skopeo } from './registry-client.js'
import { checkPushedDigest, skopeoInspectRawArgv } from './skopeo-args.js'

export interface VerifiedReference {
  reference: string
  digest: string
}

/**
 * Reads every pushed reference back from its registry and hashes the manifest bytes served:
 * each must be the digest that was built, or the step fails.
 */
export async function verifyPushed(
  skopeo: Skopeo,
  destinations: string[],
  expected: string,
): Promise<VerifiedReference[]> {
  const verified: VerifiedReference[] = []
  for (const reference of destinations) {
    const result = await skopeo.run({
      reference,
      argv: (access) => skopeoInspectRawArgv(reference, access),
      what: `read back ${reference}`,
      silent: true,
    })
    const check = checkPushedDigest(result.stdout, expected)
    if (!check.ok) {
      throw new Error(`${reference} serves ${check.actual}, not the digest built and pushed (${expected})`)
    }
    verified.push({ reference, digest: check.actual })
  }
  core.info(`Verified ${verified.length} references: all serve ${expected}`)
  return verified
}
