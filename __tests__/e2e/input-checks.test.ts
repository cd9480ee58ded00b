// Bad inputs on a real run with a real engine and a registry the run would log in to and push to:
// each fails the step naming the input, and the registry, watched through a recording proxy, sees
// not one request (no login, no push), and no builder is made. Before these checks, such inputs
// failed only after the login (secrets ".." crashed writing the secret file, a missing context
// failed the build), or not at all (platforms "," built the runner's platform and pushed it).
import { rm } from 'node:fs/promises'
import path from 'node:path'
import { registryProxy, type RegistryProxy } from './helpers/registry-proxy.js'
import { loadSandboxEnv } from './helpers/sandbox-env.js'
import {
  archProbe,
  log,
  pushEvent,
  registryAuth,
  runBuildPush,
  tagsOf,
  uniqueRepo,
  type RunResult,
} from './helpers/build-push-run.js'

const env = loadSandboxEnv()
// Generous: without the checks, some of these runs build (and push) before anything fails.
import.meta.jest.setTimeout(300_000)

let proxy: RegistryProxy
const runs: RunResult[] = []

beforeAll(async () => {
  proxy = await registryProxy(env.plain)
})
afterAll(async () => {
  await proxy.close()
  for (const run of runs) await rm(run.runnerTemp, { recursive: true, force: true })
})

test.each([
  [{ secrets: '..=not-a-file-name' }, 'secrets'],
  [{ context: path.join(archProbe, 'nope') }, 'context'],
  [{ file: path.join(archProbe, 'Dockerfile.nope') }, 'file'],
  [{ 'secret-files': `npm=${path.join(archProbe, 'nope.npmrc')}` }, 'secret-files'],
  [{ 'secret-envs': 'npm=BSP_E2E_NOT_SET' }, 'secret-envs'],
  [{ platforms: ',' }, 'platforms'],
  [{ 'cache-from': 'garbage' }, 'cache-from'],
  [{ builder: '--help' }, 'builder'],
  [{ sarif: '../../../../tmp/bsp-e2e/owned.sarif' }, 'sarif'],
  [{ 'registry-auth-extra': '- registry: localhost:5443\n  username: acme\n' }, 'registry-auth[2]'],
])(
  'a tag push with %o fails naming it; the registry sees no request, no builder is made',
  async (bad, input) => {
    const repo = uniqueRepo('bad-input')
    const { 'registry-auth-extra': extraAuth = '', ...inputs } = bad as Record<string, string>
    const seenBefore = proxy.seen.length
    const result = await runBuildPush(env, {
      event: pushEvent('refs/tags/v1.2.3'),
      inputs: {
        images: `${proxy.host}/${repo}`,
        'registry-auth': registryAuth({ ...env.plain, as: proxy.host }) + extraAuth,
        ...inputs,
      },
    })
    runs.push(result)
    const errors = result.main.stdout.split('\n').filter((line) => line.startsWith('::error::'))
    expect(errors).toEqual([
      expect.stringMatching(new RegExp(`^::error::Input "${input.replace(/[[\]]/g, '\\$&')}": `)),
    ])
    expect(result.main.code).toBe(1)
    // No login, no push: not even the registry's /v2/ ping reached it.
    expect(proxy.seen.slice(seenBefore)).toEqual([])
    expect(await tagsOf(env.plain, repo)).toEqual([])
    // No builder (its name is saved for the post step before it is created), no step directory, no output.
    expect(result.state.builder).toBeUndefined()
    expect(result.state.workspace).toBeUndefined()
    expect(log(result)).not.toContain('Create builder')
    expect(result.outputs).toEqual({})
  },
)
