import path from 'node:path'
import {
  dbRepositoryArgs,
  restoreTrivyDb,
  saveTrivyDb,
  trivyCacheDir,
  trivyDbCacheKey,
  trivyDbCachePaths,
  trivyDbRestoreKeys,
} from '../../../src/scan/trivy-db-cache.js'

describe('Trivy DB cache key and paths', () => {
  test('one key per UTC day', () => {
    expect(trivyDbCacheKey(new Date('2026-11-23T00:00:00Z'))).toBe('trivy-db-2026-11-23')
    expect(trivyDbCacheKey(new Date('2026-11-23T23:59:59.999Z'))).toBe('trivy-db-2026-11-23')
    // 23:30 in New York on the 22nd is already the 23rd in UTC.
    expect(trivyDbCacheKey(new Date('2026-11-22T23:30:00-05:00'))).toBe('trivy-db-2026-11-23')
  })

  test('a restore falls back to any earlier day by prefix', () => {
    expect(trivyDbRestoreKeys()).toEqual(['trivy-db-'])
    expect(trivyDbCacheKey(new Date('2026-01-02T00:00:00Z')).startsWith(trivyDbRestoreKeys()[0]!)).toBe(true)
  })

  test('the cache dir is a stable path under RUNNER_TEMP', () => {
    expect(trivyCacheDir({ RUNNER_TEMP: '/home/runner/work/_temp' })).toBe(
      '/home/runner/work/_temp/build-scan-push/trivy-cache',
    )
    expect(trivyCacheDir({})).toMatch(/build-scan-push\/trivy-cache$/)
  })

  test('only the databases are kept, not the per-image fanal cache', () => {
    expect(trivyDbCachePaths('/c')).toEqual([path.join('/c', 'db'), path.join('/c', 'java-db')])
  })
})

describe('DB repository options', () => {
  test('each repository is its own argv pair, in order', () => {
    expect(
      dbRepositoryArgs({
        dbRepository: ['mirror.example.com/aquasec/trivy-db:2', ' ghcr.io/aquasecurity/trivy-db:2 '],
        javaDbRepository: ['mirror.example.com/aquasec/trivy-java-db:1'],
      }),
    ).toEqual([
      '--db-repository',
      'mirror.example.com/aquasec/trivy-db:2',
      '--db-repository',
      'ghcr.io/aquasecurity/trivy-db:2',
      '--java-db-repository',
      'mirror.example.com/aquasec/trivy-java-db:1',
    ])
  })

  test('nothing given, nothing passed (Trivy keeps its defaults); a value with spaces stays one argument', () => {
    expect(dbRepositoryArgs({})).toEqual([])
    expect(dbRepositoryArgs({ dbRepository: ['', '  '] })).toEqual([])
    expect(dbRepositoryArgs({ dbRepository: ['a b; echo x'] })).toEqual(['--db-repository', 'a b; echo x'])
  })
})

describe('cache adapter without a cache service (as here and on runners without one)', () => {
  const saved = { ...process.env }
  beforeEach(() => {
    delete process.env.ACTIONS_CACHE_URL
    delete process.env.ACTIONS_RESULTS_URL
  })
  afterEach(() => {
    process.env = { ...saved }
  })

  test('restore finds nothing and save does nothing; neither throws', async () => {
    const now = new Date('2026-11-23T10:00:00Z')
    const restore = await restoreTrivyDb('/nonexistent/trivy-cache', now)
    expect(restore).toEqual({ restored: false })
    expect(await saveTrivyDb('/nonexistent/trivy-cache', now, restore)).toBe(false)
  })
})
