// What a child process may see of the step's environment (#11, item 3), on data.
import { childEnv, dropActionOnlyVariables, isWithheld } from '../../../src/runner/child-env.js'

describe('isWithheld', () => {
  test.each([
    'INPUT_PASSWORD',
    'INPUT_REGISTRY-AUTH',
    'INPUT_GITHUB-TOKEN',
    'INPUT_SECRETS',
    'input_password',
    'ACTIONS_RUNTIME_TOKEN',
    'ACTIONS_RUNTIME_URL',
    'ACTIONS_CACHE_URL',
    'ACTIONS_RESULTS_URL',
    'ACTIONS_ID_TOKEN_REQUEST_TOKEN',
    'ACTIONS_ID_TOKEN_REQUEST_URL',
    'GITHUB_OUTPUT',
    'GITHUB_STATE',
    'GITHUB_ENV',
    'GITHUB_PATH',
    'GITHUB_STEP_SUMMARY',
  ])('%s is withheld', (name) => expect(isWithheld(name)).toBe(true))

  test.each([
    'PATH',
    'HOME',
    'LANG',
    'TMPDIR',
    'RUNNER_TEMP',
    'RUNNER_TRACKING_ID',
    'HTTPS_PROXY',
    'no_proxy',
    'DOCKER_HOST',
    'DOCKER_CONFIG',
    'DOCKER_CERT_PATH',
    'BUILDX_CONFIG',
    'BUILDX_NO_DEFAULT_ATTESTATIONS',
    'BUILDKIT_PROGRESS',
    'SSL_CERT_FILE',
    'AWS_PROFILE',
    'GOOGLE_APPLICATION_CREDENTIALS',
    'GITHUB_ACTIONS',
    'GITHUB_REPOSITORY',
    'GITHUB_EVENT_PATH',
    'TRIVY_USERNAME',
    'MY_INPUT_FILE',
    'XACTIONS_Y',
  ])('%s reaches children', (name) => expect(isWithheld(name)).toBe(false))
})

describe('childEnv', () => {
  const step = {
    PATH: '/usr/bin',
    HOME: '/home/runner',
    INPUT_PASSWORD: 'hunter2',
    ACTIONS_RUNTIME_TOKEN: 'runtime',
    ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'oidc',
    GITHUB_STATE: '/tmp/state',
    NPM_TOKEN: 'npm',
    UNSET: undefined,
  }

  test('the step environment without what is withheld; unset variables stay unset', () => {
    expect(childEnv(step)).toEqual({ PATH: '/usr/bin', HOME: '/home/runner', NPM_TOKEN: 'npm' })
  })

  test('a withheld variable passed by name comes along; a name that is not set adds nothing', () => {
    expect(childEnv(step, { pass: ['ACTIONS_RUNTIME_TOKEN', 'ACTIONS_CACHE_URL'] })).toEqual({
      PATH: '/usr/bin',
      HOME: '/home/runner',
      NPM_TOKEN: 'npm',
      ACTIONS_RUNTIME_TOKEN: 'runtime',
    })
  })

  test('set wins over the step environment', () => {
    expect(childEnv(step, { set: { DOCKER_CONFIG: '/step/docker-config', HOME: '/elsewhere' } })).toEqual({
      PATH: '/usr/bin',
      HOME: '/elsewhere',
      NPM_TOKEN: 'npm',
      DOCKER_CONFIG: '/step/docker-config',
    })
  })

  test('the parent is left as it was', () => {
    const parent = { ...step }
    childEnv(parent, { set: { DOCKER_CONFIG: '/x' } })
    expect(parent).toEqual(step)
  })
})

describe('dropActionOnlyVariables', () => {
  test('removes INPUT_* and the OIDC token request, keeps the runtime token, the cache URLs and what is kept by name', () => {
    const env: Record<string, string | undefined> = {
      PATH: '/usr/bin',
      INPUT_PASSWORD: 'hunter2',
      'INPUT_REGISTRY-AUTH': 'yaml',
      INPUT_NAMED: 'a secret-envs variable named INPUT_NAMED',
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'oidc',
      ACTIONS_ID_TOKEN_REQUEST_URL: 'https://oidc',
      ACTIONS_RUNTIME_TOKEN: 'runtime',
      ACTIONS_CACHE_URL: 'https://cache',
      ACTIONS_RESULTS_URL: 'https://results',
    }
    expect(dropActionOnlyVariables(env, ['INPUT_NAMED']).sort()).toEqual([
      'ACTIONS_ID_TOKEN_REQUEST_TOKEN',
      'ACTIONS_ID_TOKEN_REQUEST_URL',
      'INPUT_PASSWORD',
      'INPUT_REGISTRY-AUTH',
    ])
    expect(env).toEqual({
      PATH: '/usr/bin',
      INPUT_NAMED: 'a secret-envs variable named INPUT_NAMED',
      ACTIONS_RUNTIME_TOKEN: 'runtime',
      ACTIONS_CACHE_URL: 'https://cache',
      ACTIONS_RESULTS_URL: 'https://results',
    })
  })
})
