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
