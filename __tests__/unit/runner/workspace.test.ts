import { withDefaultCache } from '../../../src/build/index.js'
import { readBuildInputs } from '../../../src/build/inputs.js'
import { seedDockerConfig } from '../../../src/runner/workspace.js'

describe('seedDockerConfig', () => {
  test('keeps earlier logins and per-registry helpers, never the global store or helpers of our registries', () => {
    const user = {
      auths: { 'localhost:5000': { auth: 'eDp5' } },
      credsStore: 'desktop',
      credHelpers: { 'ghcr.io': 'gh', '123456789012.dkr.ecr.us-east-1.amazonaws.com': 'ecr-login' },
      currentContext: 'remote',
    }
    expect(seedDockerConfig(user, ['ghcr.io'])).toEqual({
      auths: { 'localhost:5000': { auth: 'eDp5' } },
      credHelpers: { '123456789012.dkr.ecr.us-east-1.amazonaws.com': 'ecr-login' },
    })
  })

  test('no user config gives empty auths', () => {
    expect(seedDockerConfig(undefined, [])).toEqual({ auths: {} })
  })
})

describe('withDefaultCache', () => {
  const inputs = (values: Record<string, string> = {}) => readBuildInputs((name) => values[name] ?? '').inputs
  const github = { GITHUB_ACTIONS: 'true', ACTIONS_RESULTS_URL: 'https://results.example/' }

  test('on GitHub with the cache service and no cache asked for: type=gha both ways', () => {
    const result = withDefaultCache(inputs(), github)
    expect(result.cacheFrom).toEqual(['type=gha'])
    expect(result.cacheTo).toEqual(['type=gha,mode=max'])
    expect(
      withDefaultCache(inputs(), { GITHUB_ACTIONS: 'true', ACTIONS_CACHE_URL: 'https://c/' }).cacheFrom,
    ).toEqual(['type=gha'])
  })

  test.each([
    ['off GitHub', {}, {}],
    ['without the cache service', { GITHUB_ACTIONS: 'true' }, {}],
    ['with cache-from given', github, { 'cache-from': 'type=registry,ref=r/c' }],
    ['with no-cache', github, { 'no-cache': 'true' }],
  ])('%s: the inputs as given', (_why, env, values) => {
    const given = inputs(values)
    expect(withDefaultCache(given, env)).toBe(given)
  })
})
