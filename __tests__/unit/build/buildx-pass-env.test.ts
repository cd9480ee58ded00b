// Which withheld variables `docker buildx build` gets by name (#11, item 3), on the inputs as read.
import { buildxPassEnv } from '../../../src/build/buildx-argv.js'
import { readBuildInputs } from '../../../src/build/inputs.js'
import { GHA_CACHE_ENV } from '../../../src/runner/child-env.js'

const inputs = (values: Record<string, string>) => readBuildInputs((name) => values[name] ?? '').inputs

describe('buildxPassEnv', () => {
  test('no secret-envs and no gha cache: nothing', () => {
    expect(buildxPassEnv(inputs({}))).toEqual([])
    expect(buildxPassEnv(inputs({ 'cache-from': 'type=registry,ref=ghcr.io/acme/app:cache' }))).toEqual([])
  })

  test('the variables secret-envs names, each once', () => {
    expect(buildxPassEnv(inputs({ 'secret-envs': 'npm=NPM_TOKEN\nnpm_again=NPM_TOKEN\ngh=GH_PAT' }))).toEqual(
      ['NPM_TOKEN', 'GH_PAT'],
    )
  })

  test('a type=gha cache either way brings the four variables buildx reads for it, and no other ACTIONS_*', () => {
    expect(GHA_CACHE_ENV).toEqual([
      'ACTIONS_RUNTIME_TOKEN',
      'ACTIONS_CACHE_URL',
      'ACTIONS_RESULTS_URL',
      'ACTIONS_CACHE_SERVICE_V2',
    ])
    expect(buildxPassEnv(inputs({ 'cache-from': 'type=gha' }))).toEqual(GHA_CACHE_ENV)
    expect(buildxPassEnv(inputs({ 'cache-to': 'type=gha,mode=max,scope=app' }))).toEqual(GHA_CACHE_ENV)
    expect(buildxPassEnv(inputs({ 'cache-from': 'TYPE=gha,scope=app' }))).toEqual(GHA_CACHE_ENV)
    expect(buildxPassEnv(inputs({ 'cache-from': 'type=gha', 'secret-envs': 'npm=NPM_TOKEN' }))).toEqual([
      'NPM_TOKEN',
      ...GHA_CACHE_ENV,
    ])
    expect(buildxPassEnv(inputs({ 'cache-from': 'type=gha' })).join()).not.toContain('ID_TOKEN')
  })

  test('"gha" anywhere but the type is no gha cache', () => {
    expect(buildxPassEnv(inputs({ 'cache-from': 'type=local,src=gha' }))).toEqual([])
    expect(buildxPassEnv(inputs({ 'cache-from': 'ghcr.io/acme/gha:cache' }))).toEqual([])
    expect(buildxPassEnv(inputs({ 'cache-to': 'type=registry,ref=gha/cache,type-hint=gha' }))).toEqual([])
  })
})
