import { runCache } from '../../../src/build/index.js'
import { readBuildInputs } from '../../../src/build/inputs.js'

const inputs = (values: Record<string, string> = {}) => readBuildInputs((name) => values[name] ?? '').inputs
const github = { GITHUB_ACTIONS: 'true', ACTIONS_RESULTS_URL: 'https://results.example/' }

describe('a run that pushes', () => {
  test('on GitHub with the cache service and no cache asked for: type=gha both ways', () => {
    expect(runCache(inputs(), github, true)).toEqual({
      cacheFrom: ['type=gha'],
      cacheTo: ['type=gha,mode=max'],
    })
    expect(
      runCache(inputs(), { GITHUB_ACTIONS: 'true', ACTIONS_CACHE_URL: 'https://c/' }, true).cacheFrom,
    ).toEqual(['type=gha'])
  })

  test.each([
    ['off GitHub', {}, {}],
    ['without the cache service', { GITHUB_ACTIONS: 'true' }, {}],
    ['with cache-from given', github, { 'cache-from': 'type=registry,ref=r/c' }],
    ['with cache-to given', github, { 'cache-to': 'type=local,dest=/tmp/c' }],
    ['with no-cache', github, { 'no-cache': 'true' }],
  ])('%s: the inputs as given', (_why, env, values) => {
    const given = inputs(values)
    expect(runCache(given, env, true)).toEqual({ cacheFrom: given.cacheFrom, cacheTo: given.cacheTo })
  })
})

describe('a run that pushes nothing writes no cache', () => {
  test('the default gha cache is read, never written, and nothing is said', () => {
    expect(runCache(inputs(), github, false)).toEqual({ cacheFrom: ['type=gha'], cacheTo: [] })
  })

  test('a cache-to the workflow gave is set aside with a warning naming the input', () => {
    const given = inputs({ 'cache-from': 'type=gha', 'cache-to': 'type=gha,mode=max' })
    expect(runCache(given, github, false)).toEqual({
      cacheFrom: ['type=gha'],
      cacheTo: [],
      warning:
        'Input "cache-to": this run pushes nothing, so it writes no cache either; cache-to is ignored.',
    })
  })

  test('cache-from alone is kept as given', () => {
    expect(runCache(inputs({ 'cache-from': 'type=registry,ref=r/c' }), github, false)).toEqual({
      cacheFrom: ['type=registry,ref=r/c'],
      cacheTo: [],
    })
  })
})
