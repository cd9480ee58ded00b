import * as core from '@actions/core'
import type { Metadata } from './metadata/index.js'

export interface SummaryFacts {
  metadata: Metadata
  dryRun: boolean
}

/** The job summary as Markdown: what would be (or was) shipped, readable without opening the log. */
export function renderSummary({ metadata, dryRun }: SummaryFacts): string {
  const lines = ['## build-scan-push', '']
  if (dryRun) lines.push('**Dry run**: references computed only; nothing was built, scanned or pushed.', '')
  lines.push(`Version: ${metadata.version === '' ? '_none_' : `\`${metadata.version}\``}`, '')
  lines.push(...referencesTable(metadata.tags), '')
  lines.push(...details('Labels', metadata.labels), ...details('Annotations', metadata.annotations))
  for (const warning of metadata.warnings) lines.push(`> [!WARNING]`, `> ${warning}`, '')
  return lines.join('\n')
}

export async function writeSummary(markdown: string): Promise<void> {
  await core.summary.addRaw(markdown, true).write()
}

function referencesTable(references: string[]): string[] {
  if (references.length === 0)
    return ['No image reference was computed: check the `tags` and `images` inputs.']
  return ['| Image | Tag |', '| --- | --- |', ...references.map(referenceRow)]
}

function referenceRow(reference: string): string {
  const at = reference.lastIndexOf(':')
  return `| \`${reference.slice(0, at)}\` | \`${reference.slice(at + 1)}\` |`
}

function details(title: string, entries: string[]): string[] {
  if (entries.length === 0) return []
  return [
    `<details><summary>${title} (${entries.length})</summary>`,
    '',
    '```',
    ...entries,
    '```',
    '',
    '</details>',
    '',
  ]
}
