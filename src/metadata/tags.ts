import type { RepoInfo, WorkflowContext } from '../github/context.js'
import { render, type Scope } from './expressions.js'
import type { Flavor } from './flavor.js'
import { branchOf, defaultBranchOf, pullRequestOf, shortSha, tagOf } from './refs.js'
import { enabledValue, type TagRule } from './rules.js'
import { matchTag, matchedVersion, pep440Tag, semverTag, type Produced, type Warn } from './versions.js'

/** Docker's limit on the length of a tag. */
export const TAG_MAX_LENGTH = 128

export interface TagEnvironment {
  context: WorkflowContext
  repo: RepoInfo
  flavor: Flavor
  globals: Scope
  shaLength: number
  warn: Warn
}

/** The tag names of this run in priority order; the first is the version. */
export function tagNames(rules: TagRule[], env: TagEnvironment): string[] {
  const names: string[] = []
  const priorities: number[] = []
  // Like metadata-action, the first rule that yields a tag decides whether `latest` is added.
  let latestFrom: { latest: boolean; priority: number } | undefined
  for (const rule of byPriority(rules)) {
    if (!enabledValue(render(rule.enable, env.globals), rule.line)) continue
    if (rule.skipEvents?.includes(env.context.eventName)) continue
    const produced = produce(rule, env)
    // An empty value makes no tag, even with a prefix: `pr-` or `sha-` alone would mislead.
    if (!produced || produced.text === '') continue
    const name = tagName(`${prefixOf(rule, env)}${produced.text}${suffixOf(rule, env)}`, env.warn)
    if (name === undefined) continue
    latestFrom ??= { latest: latestWanted(env.flavor, produced.latestByDefault), priority: rule.priority }
    if (names.includes(name)) continue
    names.push(name)
    priorities.push(rule.priority)
  }
  if (latestFrom?.latest) insertLatest(names, priorities, latestFrom.priority, env)
  return names
}

/** Highest priority first; rules of equal priority keep the order they were written in. */
function byPriority(rules: TagRule[]): TagRule[] {
  return [...rules].sort((a, b) => b.priority - a.priority)
}

function produce(rule: TagRule, env: TagEnvironment): Produced | undefined {
  const { context } = env
  switch (rule.type) {
    case 'schedule':
      if (context.eventName !== 'schedule') return undefined
      return { text: render(rule.pattern, env.globals), latestByDefault: false }
    case 'semver':
    case 'pep440': {
      const input = versionInput(rule.value && render(rule.value, env.globals), context)
      const text = input === undefined ? undefined : matchedVersion(input, rule.match, env.warn)
      if (text === undefined) return undefined
      return (rule.type === 'semver' ? semverTag : pep440Tag)(text, rule, env.globals, env.warn)
    }
    case 'match': {
      const input = versionInput(rule.value && render(rule.value, env.globals), context)
      return input === undefined ? undefined : matchTag(input, rule.pattern, rule.group, env.warn)
    }
    case 'edge':
      return edgeTag(rule.branch, env)
    case 'ref':
      return refTag(rule.event, context.ref)
    case 'raw':
      return { text: render(rule.value, env.globals), latestByDefault: false }
    case 'sha':
      if (context.sha === '') return undefined
      return {
        text: rule.format === 'long' ? context.sha : shortSha(context.sha, env.shaLength),
        latestByDefault: false,
      }
  }
}

/** A version rule reads its `value=` when it has one, else the pushed tag; other refs give nothing. */
function versionInput(value: string | undefined, context: WorkflowContext): string | undefined {
  if (value !== undefined) return value
  return context.ref.startsWith('refs/tags/') ? tagOf(context.ref) : undefined
}

function refTag(event: 'branch' | 'tag' | 'pr', ref: string): Produced | undefined {
  const text = { branch: branchOf, tag: tagOf, pr: pullRequestOf }[event](ref)
  if (text === '') return undefined
  return { text, latestByDefault: event === 'tag' }
}

function edgeTag(branch: string | undefined, env: TagEnvironment): Produced | undefined {
  const current = branchOf(env.context.ref)
  if (current === '') return undefined
  const target = branch ?? defaultBranchOf(env.context, env.repo)
  if (target === undefined) {
    env.warn('type=edge: the default branch is unknown for this event; name it with type=edge,branch=<name>')
    return undefined
  }
  return current === target ? { text: 'edge', latestByDefault: false } : undefined
}

function prefixOf(rule: TagRule, env: TagEnvironment): string {
  return render(rule.prefix ?? env.flavor.prefix, env.globals)
}

function suffixOf(rule: TagRule, env: TagEnvironment): string {
  return render(rule.suffix ?? env.flavor.suffix, env.globals)
}

function latestWanted(flavor: Flavor, byDefault: boolean): boolean {
  return flavor.latest === 'auto' ? byDefault : flavor.latest === 'true'
}

/**
 * `latest` ranks with the rule that asked for it: after every tag of that priority or higher,
 * before lower ones (a release's `latest` comes before its `sha-` tag).
 */
function insertLatest(names: string[], priorities: number[], priority: number, env: TagEnvironment): void {
  const { flavor, globals } = env
  const prefix = flavor.prefixOnLatest ? render(flavor.prefix, globals) : ''
  const suffix = flavor.suffixOnLatest ? render(flavor.suffix, globals) : ''
  const latest = tagName(`${prefix}latest${suffix}`, env.warn)
  if (latest === undefined || names.includes(latest)) return
  const lower = priorities.findIndex((other) => other < priority)
  names.splice(lower === -1 ? names.length : lower, 0, latest)
}

/**
 * Makes a valid Docker tag as metadata-action does (each run of characters other than letters,
 * digits, `_`, `.` and `-` becomes one `-`), then drops a leading `.`/`-`, which Docker refuses,
 * and cuts to 128 characters.
 */
export function tagName(text: string, warn: Warn): string | undefined {
  const sanitised = text.replace(/[^a-zA-Z0-9_.-]+/g, '-')
  const trimmed = sanitised.replace(/^[.-]+/, '')
  if (trimmed === '') {
    warn(`"${text}" makes no valid tag (nothing left once invalid characters are removed); skipped`)
    return undefined
  }
  if (trimmed !== sanitised) warn(`tag "${sanitised}" cannot start with "." or "-"; using "${trimmed}"`)
  if (trimmed.length <= TAG_MAX_LENGTH) return trimmed
  const cut = trimmed.slice(0, TAG_MAX_LENGTH)
  warn(`tag "${trimmed}" is longer than ${TAG_MAX_LENGTH} characters; cut to "${cut}"`)
  return cut
}
