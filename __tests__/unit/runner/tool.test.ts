// runTool with real children: what environment they get.
import { requireTool, runTool } from '../../../src/runner/tool.js'

/** Sets variables in this process's environment for one test, as the runner sets them for the action. */
function withStepEnv(vars: Record<string, string>, run: () => Promise<void>): () => Promise<void> {
  return async () => {
    const before = Object.fromEntries(Object.keys(vars).map((name) => [name, process.env[name]]))
    Object.assign(process.env, vars)
    try {
      await run()
    } finally {
      for (const [name, value] of Object.entries(before)) {
        if (value === undefined) Reflect.deleteProperty(process.env, name)
        else process.env[name] = value
      }
    }
  }
}

/** The environment a child started by runTool sees, as `env` prints it. */
async function childSees(options: Parameters<typeof runTool>[2] = {}): Promise<Record<string, string>> {
  const result = await runTool(await requireTool('env'), [], { silent: true, ...options })
  expect(result.exitCode).toBe(0)
  return Object.fromEntries(
    result.stdout
      .split('\n')
      .filter((line) => line.includes('='))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  )
}

const STEP_ENV = {
  'INPUT_REGISTRY-AUTH': '- registry: ghcr.io\n  username: u\n  password: hunter2',
  INPUT_PASSWORD: 'hunter2',
  'INPUT_GITHUB-TOKEN': 'ghs_inputtoken',
  INPUT_SECRETS: 'token=build-secret',
  ACTIONS_RUNTIME_TOKEN: 'runtime-token',
  ACTIONS_CACHE_URL: 'https://cache.example/',
  ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'oidc-request-token',
  ACTIONS_ID_TOKEN_REQUEST_URL: 'https://oidc.example/',
  GITHUB_STATE: '/tmp/state-file',
  GITHUB_REPOSITORY: 'acme/app',
  HTTPS_PROXY: 'http://proxy.example:3128',
  RUNNER_TRACKING_ID: 'github_1234',
}

describe('the environment of a child runTool starts', () => {
  test(
    'holds no INPUT_*, no ACTIONS_* and no step command file; keeps the rest',
    withStepEnv(STEP_ENV, async () => {
      const seen = await childSees({ env: { DOCKER_CONFIG: '/step/docker-config' } })
      expect(Object.keys(seen).filter((name) => /^(INPUT_|ACTIONS_)/i.test(name))).toEqual([])
      expect(seen.GITHUB_STATE).toBeUndefined()
      for (const secret of [
        'hunter2',
        'ghs_inputtoken',
        'build-secret',
        'runtime-token',
        'oidc-request-token',
      ]) {
        expect(Object.values(seen).filter((value) => value.includes(secret))).toEqual([])
      }
      expect(seen).toMatchObject({
        PATH: process.env.PATH,
        DOCKER_CONFIG: '/step/docker-config',
        GITHUB_REPOSITORY: 'acme/app',
        HTTPS_PROXY: 'http://proxy.example:3128',
        RUNNER_TRACKING_ID: 'github_1234',
      })
    }),
  )

  test(
    'gets a withheld variable only when it is passed by name',
    withStepEnv(STEP_ENV, async () => {
      const seen = await childSees({
        passEnv: ['ACTIONS_RUNTIME_TOKEN', 'ACTIONS_CACHE_URL', 'NOT_SET_ANYWHERE'],
      })
      expect(
        Object.keys(seen)
          .filter((name) => name.startsWith('ACTIONS_'))
          .sort(),
      ).toEqual(['ACTIONS_CACHE_URL', 'ACTIONS_RUNTIME_TOKEN'])
      expect(seen.ACTIONS_RUNTIME_TOKEN).toBe('runtime-token')
      expect('NOT_SET_ANYWHERE' in seen).toBe(false)
    }),
  )
})
