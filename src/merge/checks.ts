import { InputError } from '../action/errors.js'
import type { LegPlatform, LegResult } from './result.js'

/** What this merge run is: the legs must have been built by it, for it. */
export interface MergeExpectation {
  /** GITHUB_SHA and GITHUB_RUN_ID of this run. */
  commit: string
  run: string
  /** The image names this run computed (no tags). */
  images: string[]
  /** The `platforms` input: when given, each exactly once and nothing else. */
  platforms: string[]
  /** Whether this run pushes: then every leg must have pushed its digest. */
  push: boolean
}

/** The legs, checked, and their platform images in the order of `platforms` (else the legs'). */
export interface CheckedLegs {
  legs: LegResult[]
  platforms: Array<LegPlatform & { leg: LegResult }>
  /** Platforms whose blocking findings `scan-fail: false` let through. */
  overridden: string[]
}

/**
 * Decides whether the legs may be merged, before anything is logged in to or pushed: every leg of
 * this commit, this run and these images; every platform once (each of `platforms` when given);
 * every leg through its scan gate; every leg pushed when this run pushes. Pure; each refusal names
 * the platform or leg at fault.
 */
export function checkLegs(legs: LegResult[], expected: MergeExpectation): CheckedLegs {
  if (legs.length === 0) throw refuse('no leg wrote a result: did every platform leg fail?')
  for (const leg of legs) checkSameRun(leg, expected)
  const platforms = legs.flatMap((leg) => leg.platforms.map((entry) => ({ ...entry, leg })))
  checkEachPlatformOnce(platforms, expected.platforms)
  for (const entry of platforms) checkGate(entry)
  if (expected.push) {
    const unpushed = legs.filter((leg) => !leg.pushed).map(platformsOf)
    if (unpushed.length > 0)
      throw refuse(`the leg of ${unpushed.join('; ')} pushed nothing, so there is nothing to merge`)
  }
  const order = expected.platforms
  const sorted =
    order.length === 0
      ? platforms
      : [...platforms].sort((a, b) => order.indexOf(a.platform) - order.indexOf(b.platform))
  return {
    legs,
    platforms: sorted,
    overridden: platforms.filter((entry) => entry.scan === 'failed').map((entry) => entry.platform),
  }
}

function checkSameRun(leg: LegResult, expected: MergeExpectation): void {
  const which = platformsOf(leg)
  if (leg.commit !== expected.commit)
    throw refuse(`the leg of ${which} built commit ${leg.commit}, this run is for ${expected.commit}`)
  if (leg.run !== expected.run)
    throw refuse(`the leg of ${which} ran in run ${leg.run}, this is run ${expected.run}`)
  const theirs = [...new Set(leg.images)].sort()
  const ours = [...new Set(expected.images)].sort()
  if (theirs.join('\n') !== ours.join('\n'))
    throw refuse(
      `the leg of ${which} pushed to ${theirs.join(', ')}, this run's images are ${ours.join(', ') || 'none'}`,
    )
}

function checkEachPlatformOnce(platforms: Array<LegPlatform & { leg: LegResult }>, wanted: string[]): void {
  const seen = new Set<string>()
  for (const { platform } of platforms) {
    if (seen.has(platform)) throw refuse(`${platform} comes from more than one leg`)
    seen.add(platform)
  }
  if (wanted.length === 0) return
  const missing = wanted.filter((platform) => !seen.has(platform))
  if (missing.length > 0)
    throw refuse(`no result for ${missing.join(', ')}: its leg failed (the scan gate?) or did not run`)
  const extra = [...seen].filter((platform) => !wanted.includes(platform))
  if (extra.length > 0) throw refuse(`${extra.join(', ')} is not in "platforms"`)
}

function checkGate({ platform, scan, leg }: LegPlatform & { leg: LegResult }): void {
  const through = scan === 'passed' || scan === 'skipped' || (scan === 'failed' && leg.gate === 'overridden')
  if (!through) throw refuse(`${platform} did not pass its scan gate (scan result: ${scan})`)
}

function platformsOf(leg: LegResult): string {
  return leg.platforms.map((entry) => entry.platform).join(', ')
}

function refuse(detail: string): InputError {
  return new InputError('results', `${detail}; nothing was merged`)
}
