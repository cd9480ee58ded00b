import pep440 from '@renovatebot/pep440'
import semver from 'semver'
import { isOnly, render, type Scope, type Template } from './expressions.js'
import type { Pattern } from './rule-values.js'

/** The text a version rule produced, and whether that version counts for `latest=auto`. */
export interface Produced {
  text: string
  latestByDefault: boolean
}

export interface VersionRule {
  pattern: Template
  match: Pattern | undefined
  skipMajorZero: boolean
}

export type Warn = (message: string) => void

/**
 * Applies a rule's `match=` (its first capture group, else the whole match) before the version is
 * read. A value the expression does not match produces no tag.
 */
export function matchedVersion(input: string, match: Pattern | undefined, warn: Warn): string | undefined {
  const text = match ? versionPart(input, match, warn) : input
  // A version is a tag, and a tag cannot hold "/" (p1/v1.2.3 reads as p1-v1.2.3).
  return text?.replace(/\//g, '-')
}

function versionPart(input: string, match: Pattern, warn: Warn): string | undefined {
  const found = match.regex.exec(input)
  if (!found) {
    warn(`match=${match.text} does not match "${input}"; the rule produces no tag`)
    return undefined
  }
  return found[1] ?? found[0]
}

/**
 * `type=semver`: a pre-release gets only its full version (or `{{raw}}` when that is the whole
 * pattern), since `2.0`/`2` must keep pointing at a final release.
 */
export function semverTag(text: string, rule: VersionRule, globals: Scope, warn: Warn): Produced | undefined {
  if (!semver.valid(text)) {
    warn(
      `"${text}" is not a valid semantic version (https://semver.org); type=semver rules produce no tag for it`,
    )
    return undefined
  }
  const version = semver.parse(text, { loose: true })
  if (!version) return undefined
  if (rule.skipMajorZero && version.major === 0) return undefined
  const scope: Scope = {
    ...globals,
    raw: () => version.raw,
    version: () => version.version,
    major: () => String(version.major),
    minor: () => String(version.minor),
    patch: () => String(version.patch),
  }
  if (version.prerelease.length > 0) {
    const pattern = isOnly(rule.pattern, 'raw') ? version.raw : version.version
    return { text: pattern, latestByDefault: false }
  }
  return { text: render(rule.pattern, scope), latestByDefault: true }
}

/** `type=pep440`: like semver; dev, pre and post releases get only their (normalised) version. */
export function pep440Tag(text: string, rule: VersionRule, globals: Scope, warn: Warn): Produced | undefined {
  const explained = pep440.valid(text) ? pep440.explain(text) : null
  if (!explained) {
    warn(
      `"${text}" is not a PEP 440 version (https://peps.python.org/pep-0440/); type=pep440 rules produce no tag for it`,
    )
    return undefined
  }
  const clean = pep440.clean(text) ?? text
  if (rule.skipMajorZero && pep440.major(text) === 0) return undefined
  if (explained.is_prerelease || explained.is_postrelease || explained.is_devrelease) {
    return { text: isOnly(rule.pattern, 'raw') ? text : clean, latestByDefault: false }
  }
  const scope: Scope = {
    ...globals,
    raw: () => text,
    version: () => clean,
    major: () => String(pep440.major(text)),
    minor: () => String(pep440.minor(text)),
    patch: () => String(pep440.patch(text)),
  }
  return { text: render(rule.pattern, scope), latestByDefault: true }
}

/** `type=match`: the chosen capture group of the first match. */
export function matchTag(input: string, pattern: Pattern, group: number, warn: Warn): Produced | undefined {
  const found = pattern.regex.exec(input)
  if (!found) {
    warn(`pattern=${pattern.text} does not match "${input}"; the rule produces no tag`)
    return undefined
  }
  const text = found[group]
  if (text === undefined) {
    warn(`group ${group} does not exist in pattern=${pattern.text} (or took no part in the match)`)
    return undefined
  }
  return { text, latestByDefault: true }
}
