#!/usr/bin/env node
// Prints the CHANGELOG.md section of one version, for the GitHub release's notes:
//   node scripts/changelog-notes.mjs 1.2.3 > notes.md
// Fails when CHANGELOG.md has no section for that version, or an empty one: a release without
// notes is a release nobody can judge.
import { readFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * The body of the `## [version]` section (keep-a-changelog: `## [1.2.3] - 2026-12-02`), up to the
 * next `## ` heading or the link references at the end, trimmed.
 * @param {string} changelog
 * @param {string} version without a leading `v`
 * @returns {string}
 */
export function releaseNotes(changelog, version) {
  const lines = changelog.split('\n')
  const heading = new RegExp(`^## \\[${version.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\](?:\\s|$)`)
  const start = lines.findIndex((line) => heading.test(line))
  if (start === -1) throw new Error(`CHANGELOG.md has no "## [${version}]" section`)
  let end = start + 1
  while (end < lines.length && !/^## /.test(lines[end]) && !/^\[[^\]]+\]: /.test(lines[end])) end += 1
  const body = lines
    .slice(start + 1, end)
    .join('\n')
    .trim()
  if (body === '') throw new Error(`CHANGELOG.md's "## [${version}]" section is empty`)
  return `${body}\n`
}

async function main() {
  const version = (process.argv[2] ?? '').replace(/^v/, '')
  if (version === '') throw new Error('usage: node scripts/changelog-notes.mjs <version>')
  const root = join(dirname(fileURLToPath(import.meta.url)), '..')
  process.stdout.write(releaseNotes(await readFile(join(root, 'CHANGELOG.md'), 'utf8'), version))
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main()
