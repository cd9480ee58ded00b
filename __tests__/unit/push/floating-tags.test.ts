import { parseFloatingMode, planFloatingTags, versionFromRef } from '../../../src/push/floating-tags.js'

// What metadata-action's usual semver rules compute for a release:
// type=semver,pattern={{version}} / {{major}}.{{minor}} / {{major}}, plus latest=auto.
const released = (version: string): string[] => {
  const [major, minor] = version.split('.')
  return [version, `${major}.${minor}`, `${major}`, 'latest']
}

describe('floating-tags: highest', () => {
  test('a hotfix 1.4.9 after 2.0.0 moves 1.4 and 1 but holds latest back', () => {
    const plan = planFloatingTags({
      mode: 'highest',
      version: 'v1.4.9',
      tags: released('1.4.9'),
      existingTags: ['1.4.8', '1.4', '1', '2.0.0', '2.0', '2', 'latest', 'sha-0f3c2a1'],
    })
    expect(plan.push).toEqual(['1.4.9', '1.4', '1'])
    expect(plan.heldBack).toEqual([
      { tag: 'latest', kind: 'latest', reason: '2.0.0 is already released, higher than 1.4.9' },
    ])
    expect(plan.floating).toEqual([
      { tag: '1.4', kind: 'minor' },
      { tag: '1', kind: 'major' },
      { tag: 'latest', kind: 'latest' },
    ])
  })

  test('1.4 moves only if this is the highest 1.4.x, 1 only if the highest 1.x', () => {
    const plan = planFloatingTags({
      mode: 'highest',
      version: '1.4.9',
      tags: released('1.4.9'),
      existingTags: ['1.4.10', '1.5.0'],
    })
    expect(plan.push).toEqual(['1.4.9'])
    expect(plan.heldBack).toEqual([
      { tag: '1.4', kind: 'minor', reason: '1.4.10 is already released in 1.4.x, higher than 1.4.9' },
      { tag: '1', kind: 'major', reason: '1.5.0 is already released in 1.x, higher than 1.4.9' },
      { tag: 'latest', kind: 'latest', reason: '1.5.0 is already released, higher than 1.4.9' },
    ])
  })

  test('the highest release moves everything; re-running the same release is not "higher"', () => {
    const plan = planFloatingTags({
      mode: 'highest',
      version: '2.0.0',
      tags: released('2.0.0'),
      existingTags: ['1.4.9', '2.0.0', 'latest'],
    })
    expect(plan.push).toEqual(['2.0.0', '2.0', '2', 'latest'])
    expect(plan.heldBack).toEqual([])
  })

  test('the first release into an empty repository moves everything', () => {
    const plan = planFloatingTags({
      mode: 'highest',
      version: '0.1.0',
      tags: released('0.1.0'),
      existingTags: [],
    })
    expect(plan.push).toEqual(['0.1.0', '0.1', '0', 'latest'])
  })

  test('prereleases in the registry do not count: 2.0.0-rc.1 does not hold back latest for 1.4.9', () => {
    const plan = planFloatingTags({
      mode: 'highest',
      version: '1.4.9',
      tags: released('1.4.9'),
      existingTags: ['1.4.8', '2.0.0-rc.1', '2.0.0-beta'],
    })
    expect(plan.heldBack).toEqual([])
  })

  test('a prerelease never moves floating tags, even when it is the highest', () => {
    const plan = planFloatingTags({
      mode: 'highest',
      version: 'v3.0.0-rc.1',
      tags: ['3.0.0-rc.1', '3.0', '3', 'latest'],
      existingTags: ['2.0.0'],
    })
    expect(plan.push).toEqual(['3.0.0-rc.1'])
    expect(plan.heldBack.map((entry) => entry.tag)).toEqual(['3.0', '3', 'latest'])
    expect(plan.heldBack[0]!.reason).toBe('3.0.0-rc.1 is a prerelease; prereleases never move minor tags')
  })

  test('a v prefix (v{{version}}, v{{major}}) is recognised and read back from the registry', () => {
    const plan = planFloatingTags({
      mode: 'highest',
      version: 'v1.4.9',
      tags: ['v1.4.9', 'v1.4', 'v1', 'latest'],
      existingTags: ['v1.4.8', 'v2.0.0', 'v2', 'latest'],
    })
    expect(plan.push).toEqual(['v1.4.9', 'v1.4', 'v1'])
    expect(plan.heldBack.map((entry) => entry.tag)).toEqual(['latest'])
  })

  test('a suffix flavor is one line of releases: -alpine tags compare with -alpine tags only', () => {
    // The plain variant is at 2.0.0, the alpine one only at 1.4.8: 1.4.9-alpine is the highest alpine.
    const plan = planFloatingTags({
      mode: 'highest',
      version: 'v1.4.9',
      tags: ['1.4.9-alpine', '1.4-alpine', '1-alpine', 'latest-alpine'],
      existingTags: ['2.0.0', '2', 'latest', '1.4.8-alpine', '1-alpine'],
    })
    expect(plan.push).toEqual(['1.4.9-alpine', '1.4-alpine', '1-alpine', 'latest-alpine'])
    expect(plan.floating.map((entry) => entry.kind)).toEqual(['minor', 'major', 'latest'])

    // Once 2.0.0-alpine exists, latest-alpine stays; "2.0.0-alpine" is not read as a prerelease.
    const later = planFloatingTags({
      mode: 'highest',
      version: 'v1.4.9',
      tags: ['1.4.9-alpine', '1.4-alpine', '1-alpine', 'latest-alpine'],
      existingTags: ['2.0.0-alpine'],
    })
    expect(later.heldBack).toEqual([
      { tag: 'latest-alpine', kind: 'latest', reason: '2.0.0 is already released, higher than 1.4.9' },
    ])
  })

  test('prefix and suffix together (app-v1.4.9-slim)', () => {
    const plan = planFloatingTags({
      mode: 'highest',
      version: '1.4.9',
      tags: ['app-v1.4.9-slim', 'app-v1.4-slim', 'app-v1-slim', 'app-latest-slim'],
      existingTags: ['app-v1.5.0-slim'],
    })
    expect(plan.push).toEqual(['app-v1.4.9-slim', 'app-v1.4-slim'])
  })

  test('explicit affixes from the flavor take the place of those read off the tags', () => {
    const plan = planFloatingTags({
      mode: 'highest',
      version: '1.4.9',
      tags: ['1.4-alpine', '1-alpine'],
      existingTags: ['1.5.0-alpine'],
      affixes: [{ prefix: '', suffix: '-alpine' }],
    })
    expect(plan.push).toEqual(['1.4-alpine'])
  })

  test('tags that merely contain the major number are not floating (sha-1…, 1.4.9, 11, pr-1)', () => {
    const tags = ['1.4.9', 'sha-1a2b3c4', '11', '1.49', '2026.1.1', 'edge']
    const plan = planFloatingTags({ mode: 'highest', version: '1.4.9', tags, existingTags: ['9.9.9'] })
    expect(plan.floating).toEqual([])
    expect(plan.push).toEqual(tags)
  })

  test.each(['', 'main', 'pr-12', 'refs/heads/main', 'sha-0f3c2a1'])(
    'a non-semver version (%j) holds nothing back',
    (version) => {
      const plan = planFloatingTags({
        mode: 'highest',
        version,
        tags: [version || 'edge', 'latest'],
        existingTags: ['9.0.0'],
      })
      expect(plan.heldBack).toEqual([])
      expect(plan.floating).toEqual([])
    },
  )
})

describe('floating-tags: always', () => {
  test('pushes every computed tag but still reports which float', () => {
    const plan = planFloatingTags({
      mode: 'always',
      version: '1.4.9',
      tags: released('1.4.9'),
      existingTags: ['2.0.0'],
    })
    expect(plan.push).toEqual(released('1.4.9'))
    expect(plan.heldBack).toEqual([])
    expect(plan.floating).toHaveLength(3)
  })
})

describe('parseFloatingMode and versionFromRef', () => {
  test.each([
    ['', 'highest'],
    ['highest', 'highest'],
    ['Always', 'always'],
  ])('%j → %s', (text, mode) => {
    expect(parseFloatingMode(text)).toBe(mode)
  })

  test('an unknown mode names the input and the choices', () => {
    expect(() => parseFloatingMode('latest')).toThrow(
      'Input "floating-tags": expected "highest" or "always", got "latest"',
    )
  })

  test('the version of a tag ref, nothing for a branch', () => {
    expect(versionFromRef('refs/tags/v1.4.9')).toBe('v1.4.9')
    expect(versionFromRef('refs/heads/main')).toBe('')
  })
})
