/**
 * The predicate of a `cosign attest --type vuln` attestation, as cosign's vulnerability scan
 * record specification defines it (specs/COSIGN_VULN_ATTESTATION_SPEC.md in sigstore/cosign,
 * predicate type https://cosign.sigstore.dev/attestation/vuln/v1): `invocation`, `scanner` (whose
 * `result` embeds the scanner's report whole) and `metadata` with the scan's start and end.
 * Built from the very Trivy JSON report the gate judged for that platform, so a verifier reads
 * what decided the push, not a second scan.
 */

export const VULN_PREDICATE_TYPE = 'https://cosign.sigstore.dev/attestation/vuln/v1'

export interface VulnPredicate {
  invocation: { parameters: string[]; uri: string; event_id: string; 'builder.id': string }
  scanner: {
    uri: string
    version: string
    db: { uri: string; version: string }
    result: unknown
  }
  metadata: { scanStartedOn: string; scanFinishedOn: string }
}

export interface VulnScanFacts {
  /** The Trivy JSON report, parsed. */
  report: unknown
  /** The Trivy release that wrote it. */
  trivyVersion: string
  /** Trivy's argv for that report. */
  parameters: readonly string[]
  startedOn: Date
  finishedOn: Date
  /** The workflow run: `${GITHUB_SERVER_URL}/${repository}/actions/runs/${runId}`. */
  runUrl: string
  runId: string
}

/** The predicate for one platform's report. Throws when the report is not a Trivy JSON object. */
export function vulnPredicate(facts: VulnScanFacts): VulnPredicate {
  const { report } = facts
  if (
    report === null ||
    typeof report !== 'object' ||
    Array.isArray(report) ||
    !('SchemaVersion' in report)
  ) {
    throw new Error('the vulnerability attestation needs a Trivy JSON report (an object with SchemaVersion)')
  }
  return {
    invocation: {
      parameters: [...facts.parameters],
      uri: facts.runUrl,
      event_id: facts.runId,
      'builder.id': 'GitHub Actions',
    },
    scanner: {
      uri: `pkg:github/aquasecurity/trivy@v${facts.trivyVersion}`,
      version: facts.trivyVersion,
      // Trivy's JSON report does not say which DB it used; the spec makes both fields optional.
      db: { uri: '', version: '' },
      result: report,
    },
    metadata: {
      scanStartedOn: facts.startedOn.toISOString(),
      scanFinishedOn: facts.finishedOn.toISOString(),
    },
  }
}
