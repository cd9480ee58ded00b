/** One ID to waive. A plain list of IDs (say, from an action input) is `ids.map((id) => ({ id }))`. */
export interface IgnoreEntry {
  id: string
  /** The entry stops applying once this instant has passed. */
  expiresAt?: Date
  /** 1-based line in the ignore file, for messages. */
  line?: number
}

export interface TrivyIgnore {
  entries: IgnoreEntry[]
  /** Lines that were dropped, and why; worth showing, as a typo there silently un-waives a finding. */
  warnings: string[]
}

/**
 * Reads the plain `.trivyignore` format the way Trivy does (`parseIgnore` in trivy/pkg/result/ignore.go):
 * one finding ID per line (CVE, GHSA, misconfiguration or secret rule ID: they share one list);
 * lines are trimmed; blank lines and lines starting with `#` are skipped; fields are separated by
 * whitespace, the first is the ID, and a later `exp:YYYY-MM-DD` field sets an expiry, at midnight
 * UTC on that date (so the entry no longer applies on that day). Other fields are ignored. A line
 * whose expiry is not a valid date is dropped, with a warning: Trivy drops it too, so the finding
 * stays reported. The YAML variant (`.trivyignore.yaml`, with paths and PURLs) is a different format.
 */
export function parseTrivyIgnore(text: string): TrivyIgnore {
  const entries: IgnoreEntry[] = []
  const warnings: string[] = []
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim()
    if (line === '' || line.startsWith('#')) return
    const [id = '', ...rest] = line.split(/\s+/)
    const expiry = rest.find((field) => field.startsWith('exp:'))
    if (expiry === undefined) {
      entries.push({ id, line: index + 1 })
      return
    }
    const expiresAt = utcDate(expiry.slice('exp:'.length))
    if (expiresAt === undefined) {
      warnings.push(
        `.trivyignore line ${index + 1}: "${expiry}" is not a date (exp:YYYY-MM-DD), so ${id} is not ignored`,
      )
      return
    }
    entries.push({ id, expiresAt, line: index + 1 })
  })
  return { entries, warnings }
}

/** Strict YYYY-MM-DD, as Go's time.Parse("2006-01-02"): 2024-02-30 is rejected, not rolled over. */
function utcDate(text: string): Date | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text)
  if (!match) return undefined
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])]
  const date = new Date(Date.UTC(year, month - 1, day))
  const valid =
    date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
  return valid ? date : undefined
}
