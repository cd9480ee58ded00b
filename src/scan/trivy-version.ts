import { InputError } from '../action/errors.js'
import { releaseVersion } from '../action/input-list.js'

/**
 * Which Trivy release runs.
 * Default version: 0.74.0 (tag v0.74.0, 2026-08-14, the newest tag in the aquasecurity/trivy
 * snapshot we read, commit dc3c56eed58ab21c7e08d26757c517bc946a86c5). It is not one of the
 * releases of the March 2026 supply-chain compromise, GHSA-69fq-xp46-6x23 / CVE-2026-33634
 * (https://github.com/aquasecurity/trivy/security/advisories/GHSA-69fq-xp46-6x23): a malicious
 * v0.69.4 release (binaries on GitHub, Deb, RPM and images), then malicious v0.69.5 and v0.69.6
 * Docker Hub images. Those three versions are refused even when asked for explicitly.
 */
export const DEFAULT_TRIVY_VERSION = '0.74.0'

/** GHSA-69fq-xp46-6x23: v0.69.4 (release binaries and images), v0.69.5 and v0.69.6 (Docker Hub images). */
export const COMPROMISED_TRIVY_VERSIONS: readonly string[] = ['0.69.4', '0.69.5', '0.69.6']

/** The `trivy-version` input: one release, not a compromised one; empty means the pinned default. */
export function parseTrivyVersionInput(value: string): string {
  const version = releaseVersion(value, 'trivy-version', 'Trivy', DEFAULT_TRIVY_VERSION)
  if (COMPROMISED_TRIVY_VERSIONS.includes(version)) {
    throw new InputError(
      'trivy-version',
      `${version} is a compromised Trivy release (GHSA-69fq-xp46-6x23, March 2026); use ${DEFAULT_TRIVY_VERSION}`,
    )
  }
  return version
}
