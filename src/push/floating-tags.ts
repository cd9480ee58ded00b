import { SemVer, parse as parseSemver } from 'semver'
import { InputError } from '../action/errors.js'

/**
 * `highest`: `latest`, `{{major}}` and `{{major}}.{{minor}}` move only when this release is the
 * highest stable version they cover. `always`: push every computed tag (metadata-action's behaviour).
 */
export type FloatingMode = 'highest' | 'always'

export type FloatingKind = 'latest' | 'major' | 'minor'

/** The text around the version in a tag: `v` + 1.4.9 + `-alpine`. */
export interface Affix {
  prefix: string
  suffix: string
}

export interface FloatingTagsRequest {
  mode: FloatingMode
  /**
   * The version being released, as semver: the git tag (`v1.4.9`) or the semver rule's `value`.
   * Not a computed tag: with a suffix flavor `1.4.9-alpine` would read as a prerelease.
   * Empty or not semver (branch builds, pr-N): nothing is held back.
   */
  version: string
  /** The tag names computed for this build (no image names). */
  tags: string[]
  /** Tag names already in the registry (union over every target repository keeps them in step). */
  existingTags: string[]
  /** The flavor's prefix/suffix, when the caller knows it; otherwise read off the full-version tags. */
  affixes?: Affix[]
}

export interface HeldBackTag {
  tag: string
  kind: FloatingKind
  reason: string
}

export interface FloatingTagsPlan {
  /** The computed tags to push, in their original order. */
  push: string[]
  heldBack: HeldBackTag[]
  /** The computed tags recognised as floating, whether held back or not (for the summary). */
  floating: Array<{ tag: string; kind: FloatingKind }>
}

const FLOATING_MODES: readonly FloatingMode[] = ['highest', 'always']

export function parseFloatingMode(text: string): FloatingMode {
  const mode = text.trim().toLowerCase()
  if (mode === '') return 'highest'
  if ((FLOATING_MODES as readonly string[]).includes(mode)) return mode as FloatingMode
  throw new InputError('floating-tags', `expected "highest" or "always", got "${text}"`)
}

/** The tag name of a `refs/tags/…` ref: the version a tag push or a release is about. */
export function versionFromRef(ref: string): string {
  return /^refs\/tags\/(.+)$/.exec(ref)?.[1] ?? ''
}

/**
 * Decides which computed tags to push. Floating tags are found by value rather than by the rule
 * that made them, so this works whatever the tag rules and flavor were: `latest` (as a word of
 * the tag), and prefix + `major` / `major.minor` + suffix for the affixes the full version carries.
 */
export function planFloatingTags(request: FloatingTagsRequest): FloatingTagsPlan {
  const version = parseStrict(request.version)
  if (!version) return { push: [...request.tags], heldBack: [], floating: [] }
  const affixes = affixesFor(version, request)
  const floating = request.tags.flatMap((tag) => {
    const kind = floatingKind(tag, version, affixes.recognise)
    return kind ? [{ tag, kind }] : []
  })
  if (request.mode === 'always') return { push: [...request.tags], heldBack: [], floating }

  const released = existingVersions(request.existingTags, affixes.line)
  const heldBack = floating.flatMap(({ tag, kind }) => {
    const reason = holdBackReason(kind, version, released)
    return reason ? [{ tag, kind, reason }] : []
  })
  const held = new Set(heldBack.map((entry) => entry.tag))
  return { push: request.tags.filter((tag) => !held.has(tag)), heldBack, floating }
}

function holdBackReason(kind: FloatingKind, version: SemVer, released: SemVer[]): string | undefined {
  if (version.prerelease.length > 0) {
    return `${version.version} is a prerelease; prereleases never move ${kind} tags`
  }
  const higher = released
    .filter((other) => covers(kind, version, other) && other.compare(version) > 0)
    .sort((a, b) => b.compare(a))[0]
  if (!higher) return undefined
  return `${higher.version} is already released${scopeOf(kind, version)}, higher than ${version.version}`
}

// Which released versions a floating tag could point at: all for latest, the same major or major.minor.
function covers(kind: FloatingKind, version: SemVer, other: SemVer): boolean {
  if (kind === 'major') return other.major === version.major
  if (kind === 'minor') return other.major === version.major && other.minor === version.minor
  return true
}

function scopeOf(kind: FloatingKind, version: SemVer): string {
  if (kind === 'major') return ` in ${version.major}.x`
  if (kind === 'minor') return ` in ${version.major}.${version.minor}.x`
  return ''
}

function floatingKind(tag: string, version: SemVer, affixes: Affix[]): FloatingKind | undefined {
  // `latest`, or `latest` joined to a flavor (`latest-alpine`, `alpine-latest`) when onlatest applies it.
  if (/(?:^|[-_.])latest(?:$|[-_.])/.test(tag)) return 'latest'
  for (const { prefix, suffix } of affixes) {
    if (tag === `${prefix}${version.major}.${version.minor}${suffix}`) return 'minor'
    if (tag === `${prefix}${version.major}${suffix}`) return 'major'
  }
  return undefined
}

interface Affixes {
  /** The flavor of this build: registry tags read back as versions only through these. */
  line: Affix[]
  /** What marks a computed tag as floating: the line plus the bare and `v` forms. */
  recognise: Affix[]
}

/**
 * The caller's affixes, else those around the full version in the computed tags
 * (`v1.4.9-alpine` gives `v` and `-alpine`). The bare and `v` forms are recognised too, so that
 * a `v{{major}}` rule next to a plain `{{version}}` rule is still seen; they define the line only
 * when nothing else does, so `1.5.0` of a plain variant does not hold back `1-alpine`.
 */
function affixesFor(version: SemVer, request: FloatingTagsRequest): Affixes {
  const line = request.affixes ? [...request.affixes] : affixesAroundVersion(version.version, request.tags)
  const fallback = [
    { prefix: '', suffix: '' },
    { prefix: 'v', suffix: '' },
  ]
  return { line: unique(line.length > 0 ? line : fallback), recognise: unique([...line, ...fallback]) }
}

function affixesAroundVersion(full: string, tags: string[]): Affix[] {
  const found: Affix[] = []
  for (const tag of tags) {
    const at = tag.indexOf(full)
    if (at < 0) continue
    const prefix = tag.slice(0, at)
    const suffix = tag.slice(at + full.length)
    // A digit or dot next to the version means it is part of a longer number, not an affix.
    if (/[\d.]$/.test(prefix) || /^[\d.]/.test(suffix)) continue
    found.push({ prefix, suffix })
  }
  return found
}

function unique(affixes: Affix[]): Affix[] {
  return [...new Map(affixes.map((affix) => [`${affix.prefix}\u0000${affix.suffix}`, affix])).values()]
}

// Registry tags of the same flavor, read back as versions; prereleases never count as released.
function existingVersions(tags: string[], affixes: Affix[]): SemVer[] {
  const versions: SemVer[] = []
  for (const tag of tags) {
    for (const { prefix, suffix } of affixes) {
      if (!tag.startsWith(prefix) || !tag.endsWith(suffix) || tag.length <= prefix.length + suffix.length)
        continue
      const version = parseStrict(tag.slice(prefix.length, tag.length - suffix.length))
      if (version && version.prerelease.length === 0) {
        versions.push(version)
        break
      }
    }
  }
  return versions
}

function parseStrict(text: string): SemVer | undefined {
  return parseSemver(text.trim()) ?? undefined
}
