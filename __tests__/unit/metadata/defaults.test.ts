import { contextFor, meta } from './helpers.js'

// Our defaults when `tags` is empty (they differ from metadata-action's on purpose):
// schedule, branch, pr, semver {{version}} / {{major}}.{{minor}} / {{major}} (not for 0.x), sha.
const SHA = 'abc1234def567890abc1234def567890abc12345'

describe('default tags (empty "tags" input, latest=auto)', () => {
  test.each([
    ['a release tag', 'push', 'refs/tags/v1.2.3', '1.2.3 1.2 1 latest sha-abc1234'],
    ['a 0.x release: no "0" tag', 'push', 'refs/tags/v0.3.1', '0.3.1 0.3 latest sha-abc1234'],
    ['a pre-release: its version only, no latest', 'push', 'refs/tags/v2.0.0-rc.1', '2.0.0-rc.1 sha-abc1234'],
    ['a pull request', 'pull_request', 'refs/pull/42/merge', 'pr-42 sha-abc1234'],
    ['a tag that is no version', 'push', 'refs/tags/nightly-build', 'sha-abc1234'],
    ['a scheduled run', 'schedule', 'refs/heads/main', 'nightly sha-abc1234'],
    ['a push to main', 'push', 'refs/heads/main', 'main sha-abc1234'],
    ['a push to a feature branch', 'push', 'refs/heads/feature/login', 'feature-login sha-abc1234'],
    ['a release event', 'release', 'refs/tags/v1.2.3', '1.2.3 1.2 1 latest sha-abc1234'],
  ])('%s (%s %s) → %s', (_name, event, ref, expected) => {
    const result = meta(
      { images: 'acme/app' },
      contextFor(event, ref, { repository: { default_branch: 'main' } }, SHA),
    )
    expect(result.tagNames.join(' ')).toBe(expected)
    expect(result.references.map((image) => image.reference)).toEqual(
      expected.split(' ').map((name) => `acme/app:${name}`),
    )
    expect(result.version).toBe(expected.split(' ')[0])
  })

  test('on a schedule run only the default branch rule stays quiet; a written one does not', () => {
    // Scheduled runs build the default branch, so GITHUB_REF names it. metadata-action's defaults
    // tag it (its schedule01 case gives nightly + master); ours keep `main` for pushes to main.
    const context = contextFor('schedule', 'refs/heads/main', {}, SHA)
    expect(meta({}, context).tagNames).toEqual(['nightly', 'sha-abc1234'])
    expect(meta({ tags: 'type=schedule\ntype=ref,event=branch' }, context).tagNames).toEqual([
      'nightly',
      'main',
    ])
  })

  test('an explicit type=semver,pattern={{major}} still tags 0.x with "0", as metadata-action does', () => {
    const result = meta(
      { tags: 'type=semver,pattern={{version}}\ntype=semver,pattern={{major}}' },
      contextFor('push', 'refs/tags/v0.3.1', undefined, SHA),
    )
    expect(result.tagNames).toEqual(['0.3.1', '0', 'latest'])
  })

  test('the raw git tag is not a default tag (metadata-action adds type=ref,event=tag)', () => {
    const result = meta({}, contextFor('push', 'refs/tags/v1.2.3', undefined, SHA))
    expect(result.tagNames).not.toContain('v1.2.3')
  })

  test('a tag that is no version warns that the semver rules found nothing', () => {
    const result = meta({}, contextFor('push', 'refs/tags/nightly-build', undefined, SHA))
    expect(result.warnings).toEqual([
      '"nightly-build" is not a valid semantic version (https://semver.org); type=semver rules produce no tag for it',
    ])
  })
})
