import { checkLegs, type MergeExpectation } from '../../../src/merge/checks.js'
import type { LegResult } from '../../../src/merge/result.js'

const D = (hex: string): string => `sha256:${hex.repeat(64)}`

function leg(platform: string, digest: string, extra: Partial<LegResult> = {}, scan = 'passed'): LegResult {
  return {
    version: 1,
    images: ['ghcr.io/acme/app', 'docker.io/acme/app'],
    digest,
    pushed: true,
    platforms: [{ platform, digest: D('9'), scan, vulnerabilities: null }],
    gate: 'passed',
    commit: 'c0ffee',
    run: '42',
    ...extra,
  }
}

const AMD = leg('linux/amd64', D('a'))
const ARM = leg('linux/arm64', D('b'))
const EXPECTED: MergeExpectation = {
  commit: 'c0ffee',
  run: '42',
  images: ['docker.io/acme/app', 'ghcr.io/acme/app'],
  platforms: ['linux/amd64', 'linux/arm64'],
  push: true,
}

describe('the legs may be merged', () => {
  test('every platform once, in the order of platforms', () => {
    const checked = checkLegs([ARM, AMD], EXPECTED)
    expect(checked.platforms.map((entry) => entry.platform)).toEqual(['linux/amd64', 'linux/arm64'])
    expect(checked.overridden).toEqual([])
  })

  test('without platforms, the legs’ order; any platforms, each once', () => {
    const checked = checkLegs([ARM, AMD], { ...EXPECTED, platforms: [] })
    expect(checked.platforms.map((entry) => entry.platform)).toEqual(['linux/arm64', 'linux/amd64'])
  })

  test('blocking findings let through by scan-fail false are merged, and named', () => {
    const overridden = leg('linux/arm64', D('b'), { gate: 'overridden' }, 'failed')
    expect(checkLegs([AMD, overridden], EXPECTED).overridden).toEqual(['linux/arm64'])
  })

  test('a run that pushes nothing merges legs that pushed nothing (it only reports)', () => {
    const unpushed = [
      leg('linux/amd64', D('a'), { pushed: false }),
      leg('linux/arm64', D('b'), { pushed: false }),
    ]
    expect(checkLegs(unpushed, { ...EXPECTED, push: false }).legs).toHaveLength(2)
  })
})

describe('refused before anything is logged in to or pushed', () => {
  test.each<[string, LegResult[], Partial<MergeExpectation>, string]>([
    ['no leg at all', [], {}, 'no leg wrote a result: did every platform leg fail?'],
    [
      'a platform missing (its leg failed the gate)',
      [AMD],
      {},
      'no result for linux/arm64: its leg failed (the scan gate?) or did not run',
    ],
    [
      'a platform twice',
      [AMD, ARM, leg('linux/amd64', D('c'))],
      {},
      'linux/amd64 comes from more than one leg',
    ],
    [
      'a platform not asked for',
      [AMD, ARM, leg('linux/s390x', D('c'))],
      {},
      'linux/s390x is not in "platforms"',
    ],
    [
      'another commit',
      [AMD, leg('linux/arm64', D('b'), { commit: 'deadbeef' })],
      {},
      'the leg of linux/arm64 built commit deadbeef, this run is for c0ffee',
    ],
    [
      'another run',
      [AMD, leg('linux/arm64', D('b'), { run: '7' })],
      {},
      'the leg of linux/arm64 ran in run 7, this is run 42',
    ],
    [
      'other images',
      [AMD, leg('linux/arm64', D('b'), { images: ['ghcr.io/acme/other'] })],
      {},
      "the leg of linux/arm64 pushed to ghcr.io/acme/other, this run's images are docker.io/acme/app, ghcr.io/acme/app",
    ],
    [
      'a platform whose scan failed, without the leg’s override',
      [AMD, leg('linux/arm64', D('b'), {}, 'failed')],
      {},
      'linux/arm64 did not pass its scan gate (scan result: failed)',
    ],
    [
      'a platform that could not be scanned',
      [AMD, leg('linux/arm64', D('b'), { gate: 'overridden' }, 'error')],
      {},
      'linux/arm64 did not pass its scan gate (scan result: error)',
    ],
    [
      'a leg that pushed nothing, on a run that pushes',
      [AMD, leg('linux/arm64', D('b'), { pushed: false })],
      {},
      'the leg of linux/arm64 pushed nothing, so there is nothing to merge',
    ],
  ])('%s', (_name, legs, expectation, message) => {
    expect(() => checkLegs(legs, { ...EXPECTED, ...expectation })).toThrow(
      `Input "results": ${message}; nothing was merged`,
    )
  })
})
