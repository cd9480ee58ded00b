/** What the signing stage did, for the outputs and the job summary. */
export interface SignSummary {
  signed: boolean
  /** Why it signed as it did, or why not ("nothing is pushed", "sign is false"). */
  reason: string
  /** The `cosign verify` / `verify-attestation` commands, one per line. */
  commands: string[]
  transparencyLog?: boolean
  /** The public half of `cosign-key` (PEM), which the verify commands call `cosign.pub`. */
  publicKey?: string
}

/** The `signed` and `verify-commands` outputs. */
export function signOutputs(sign: SignSummary): Record<string, string> {
  return { signed: String(sign.signed), 'verify-commands': sign.commands.join('\n') }
}

/** The job summary's signing section. */
export function renderSignSection(sign: SignSummary): string[] {
  if (!sign.signed) return ['### Signature', '', `Not signed: ${sign.reason}.`, '']
  const lines = ['### Signature', '', `Signed with cosign, ${sign.reason}.`]
  if (sign.transparencyLog === false) {
    lines.push(
      '',
      '> [!WARNING]',
      '> No transparency log entry (`transparency-log: false`): nobody outside can see when this key signed, ' +
        'and a leaked key can sign in secret.',
    )
  }
  lines.push('', 'Check it with:', '', '```sh', ...sign.commands, '```', '')
  if (sign.publicKey !== undefined) {
    lines.push('`cosign.pub`, the public key of `cosign-key`:', '', '```', sign.publicKey, '```', '')
  }
  return lines
}
