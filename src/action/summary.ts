import * as core from '@actions/core'
import type { HeldBackTag } from '../push/floating-tags.js'
import type { TaggedImage } from '../metadata/image-reference.js'
import type { VerifiedReference } from '../push/verify.js'
import type { Metadata } from '../metadata/index.js'
import { renderSignSection, type SignSummary } from '../sign/summary.js'

export interface BuildSummary {
  digest: string
  platforms: string[]
}

export interface PushSummary {
  /** The push decision and its reason ("push of tag v1.2.3", "fork pull request: build only"). */
  push: boolean
  reason: string
  /** Every reference pushed and read back, with the digest the registry served. */
  pushed: VerifiedReference[]
  heldBack: HeldBackTag[]
  /** The push stopped part-way: the references that moved (not read back) and those that did not. */
  incomplete?: { moved: string[]; notMoved: string[] }
}

export interface SummaryFacts {
  metadata: Metadata
  dryRun: boolean
  build?: BuildSummary
  /** The scan gate's section, rendered by the scan stage. */
  scan?: string
  push?: PushSummary
  /** Whether the pushed image was signed, and how to check it. */
  sign?: SignSummary
  /** Why the run stopped, when it failed. */
  error?: string
}

/** What the run got to, filled in as it goes so a failed run can still say how far it came. */
export type Shipped = Pick<SummaryFacts, 'build' | 'scan' | 'push' | 'sign'>

/** The job summary as Markdown: what would be (or was) shipped, readable without opening the log. */
export function renderSummary({ metadata, dryRun, build, scan, push, sign, error }: SummaryFacts): string {
  const lines = ['## build-scan-push', '']
  if (error !== undefined) {
    lines.push('> [!CAUTION]', `> **Failed**${build ? '' : ' before the build finished'}:`)
    lines.push(...error.split('\n').map((line) => `> ${line}`), '')
  }
  if (dryRun) lines.push('**Dry run**: references computed only; nothing was built, scanned or pushed.', '')
  lines.push(`Version: ${metadata.version === '' ? '_none_' : `\`${metadata.version}\``}`, '')
  lines.push(...referencesTable(metadata.references), '')
  if (build) lines.push(...buildSection(build))
  if (scan) lines.push(scan, '')
  if (push) lines.push(...pushSection(push))
  if (sign && push?.push) lines.push(...renderSignSection(sign))
  lines.push(...details('Labels', metadata.labels), ...details('Annotations', metadata.annotations))
  for (const warning of metadata.warnings) {
    lines.push(`> [!WARNING]`, ...warning.split('\n').map((line) => `> ${line}`), '')
  }
  return lines.join('\n')
}

export async function writeSummary(markdown: string): Promise<void> {
  await core.summary.addRaw(markdown, true).write()
}

function buildSection(build: BuildSummary): string[] {
  const platforms = build.platforms.map((platform) => `\`${platform}\``).join(', ')
  return ['### Build', '', `Digest: \`${build.digest}\``, '', `Platforms: ${platforms || '_none_'}`, '']
}

function pushSection(push: PushSummary): string[] {
  if (!push.push) return ['### Push', '', `**Not pushed**: ${push.reason}.`, '']
  if (push.incomplete) return incompletePushSection(push.incomplete)
  const lines = ['### Push', '', `**Pushed** (${push.reason}), every reference read back and verified:`, '']
  const byRegistry = new Map<string, { digests: Set<string>; tags: string[] }>()
  for (const { name, tag, digest } of push.pushed) {
    const row = byRegistry.get(name) ?? { digests: new Set<string>(), tags: [] }
    row.digests.add(digest)
    if (tag !== undefined) row.tags.push(`\`${tag}\``)
    byRegistry.set(name, row)
  }
  lines.push('| Image | Digest | Tags |', '| --- | --- | --- |')
  for (const [name, row] of byRegistry) {
    lines.push(
      `| \`${name}\` | ${[...row.digests].map((d) => `\`${d}\``).join(' ')} | ${row.tags.join(' ')} |`,
    )
  }
  lines.push('')
  if (push.heldBack.length > 0) {
    lines.push('Floating tags not moved:', '')
    for (const held of push.heldBack) lines.push(`- \`${held.tag}\`: ${held.reason}`)
    lines.push('')
  }
  return lines
}

function incompletePushSection({ moved, notMoved }: { moved: string[]; notMoved: string[] }): string[] {
  const items = (references: string[]): string[] =>
    references.length === 0 ? ['- _none_'] : references.map((reference) => `- \`${reference}\``)
  return [
    '### Push',
    '',
    '**The push stopped part-way.** These references moved (not read back):',
    '',
    ...items(moved),
    '',
    'These did not:',
    '',
    ...items(notMoved),
    '',
  ]
}

function referencesTable(references: TaggedImage[]): string[] {
  if (references.length === 0)
    return ['No image reference was computed: check the `tags` and `images` inputs.']
  const rows = references.map(({ name, tag }) => `| \`${name}\` | \`${tag}\` |`)
  return ['| Image | Tag |', '| --- | --- |', ...rows]
}

/**
 * A code fence no entry can close: longer than any run of backticks in them (CommonMark closes a
 * fence only with one at least as long), so a label holding ``` cannot turn the rest into Markdown.
 */
export function codeFence(entries: string[]): string {
  const longest = Math.max(
    0,
    ...entries.flatMap((entry) => (entry.match(/`+/g) ?? []).map((run) => run.length)),
  )
  return '`'.repeat(Math.max(3, longest + 1))
}

function details(title: string, entries: string[]): string[] {
  if (entries.length === 0) return []
  const fence = codeFence(entries)
  return [
    `<details><summary>${title} (${entries.length})</summary>`,
    '',
    fence,
    ...entries,
    fence,
    '',
    '</details>',
    '',
  ]
}
