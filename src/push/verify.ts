import { info } from '../action/log.js'
import type { Registry } from '../registry/index.js'
import type { PushStep } from './steps.js'
import { digestAs } from '../build/oci-layout.js'

/** A reference read back from its registry, and the digest of what it served. */
export interface VerifiedReference {
  /** `name@digest` or `name:tag`. */
  reference: string
  name: string
  tag?: string
  digest: string
}

/**
 * Reads every pushed reference back from its registry (side by side) and hashes the manifest bytes
 * served: each must be the digest that was built, or the step fails.
 */
export async function verifyPushed(
  registry: Registry,
  steps: PushStep[],
  expected: string,
): Promise<VerifiedReference[]> {
  const verified = await Promise.all(
    steps.map(async ({ destination: reference, name, tag }): Promise<VerifiedReference> => {
      const { bytes } = await registry.repository(name).getManifest(tag ?? expected)
      const check = checkPushedDigest(bytes, expected)
      if (!check.ok)
        throw new Error(`${reference} serves ${check.actual}, not the digest built and pushed (${expected})`)
      return { reference, name, ...(tag === undefined ? {} : { tag }), digest: check.actual }
    }),
  )
  info(`Verified ${verified.length} references: all serve ${expected}`)
  return verified
}

export interface DigestCheck {
  ok: boolean
  /** The digest of what the registry served. */
  actual: string
}

/** Compares the manifest bytes read back from the registry with the digest that was pushed. */
export function checkPushedDigest(rawManifest: Uint8Array | string, expected: string): DigestCheck {
  const actual = digestAs(expected, rawManifest)
  return { ok: actual === expected, actual }
}
