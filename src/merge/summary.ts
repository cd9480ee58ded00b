import { SEVERITIES } from '../scan/severity.js'
import type { CheckedLegs } from './checks.js'

/** The merge's scan section: each platform's scan result and counts, as its leg reported them. */
export function renderMergeSummary(checked: CheckedLegs): string {
  const lines = [
    '### Scan (per platform, from its leg)',
    '',
    `| Platform | Manifest | Scan | ${SEVERITIES.join(' | ')} |`,
    `| --- | --- | --- | ${SEVERITIES.map(() => '---:').join(' | ')} |`,
  ]
  for (const { platform, digest, scan, vulnerabilities } of checked.platforms) {
    const counts = SEVERITIES.map((severity) =>
      vulnerabilities ? String(vulnerabilities[severity] ?? 0) : '–',
    )
    lines.push(`| \`${platform}\` | \`${digest}\` | ${scan} | ${counts.join(' | ')} |`)
  }
  if (checked.overridden.length > 0)
    lines.push(
      '',
      `Blocking findings let through by \`scan-fail: false\` on ${checked.overridden.join(', ')}.`,
    )
  return lines.join('\n')
}
