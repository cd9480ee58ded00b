import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import {
  dbRepositoryArgs,
  restoreTrivyDb,
  saveTrivyDb,
  trivyCacheDir,
  trivyDbCacheKey,
  trivyDbCachePaths,
  trivyDbRestoreKeys,
  trivyScanCacheDir,
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

describe('cache adapter with a cache service that never answers (a loopback stand-in)', () => {
  const saved = { ...process.env }
  const held: http.ServerResponse[] = []
  let server: http.Server
  let asked: string[]
  let work: string
  beforeEach(async () => {
    asked = []
    server = http.createServer((request, response) => {
      asked.push(request.url ?? '')
      held.push(response)
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const { port } = server.address() as AddressInfo
    // The Actions cache service (v2) as a runner announces it.
    process.env.ACTIONS_CACHE_SERVICE_V2 = 'true'
    process.env.ACTIONS_RESULTS_URL = `http://127.0.0.1:${port}/`
    process.env.ACTIONS_RUNTIME_TOKEN = 'runtime-token'
    work = mkdtempSync(path.join(os.tmpdir(), 'bsp-trivy-cache-'))
    // Where @actions/cache writes its archive (else /home/actions/temp, not writable for everyone).
    process.env.RUNNER_TEMP = work
  })
  afterEach(async () => {
    // Answered at last ("no such entry"), so the calls given up on end instead of retrying on.
    for (const response of held.splice(0)) {
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":false}')
    }
    await new Promise((resolve) => setTimeout(resolve, 100))
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
    rmSync(work, { recursive: true, force: true })
    process.env = { ...saved }
  })
  const now = new Date('2026-11-23T10:00:00Z')

  test('the restore is given up on after its limit: Trivy gets a directory the late restore cannot write into', async () => {
    const lines: string[] = []
    const cacheDir = path.join(work, 'trivy-cache')
    const restore = await restoreTrivyDb(cacheDir, now, (line) => lines.push(line), 300)
    expect(asked).toEqual(['/twirp/github.actions.results.api.v1.CacheService/GetCacheEntryDownloadURL'])
    expect(restore).toEqual({ restored: false, abandoned: true })
    expect(lines).toEqual([
      'Trivy DB cache not restored: no answer within 300ms; Trivy downloads its DB itself',
    ])
    expect(trivyScanCacheDir(cacheDir, restore)).toBe(`${cacheDir}-uncached`)
    // Nor is that service asked to save.
    expect(await saveTrivyDb(cacheDir, now, restore, () => undefined, 300)).toBe(false)
    expect(asked).toHaveLength(1)
  })

  test('a save is given up on after its limit, and says so', async () => {
    const cacheDir = path.join(work, 'trivy-cache')
    mkdirSync(path.join(cacheDir, 'db'), { recursive: true })
    writeFileSync(path.join(cacheDir, 'db', 'metadata.json'), '{}')
    const lines: string[] = []
    expect(await saveTrivyDb(cacheDir, now, { restored: false }, (line) => lines.push(line), 300)).toBe(false)
    expect(asked).toEqual(['/twirp/github.actions.results.api.v1.CacheService/CreateCacheEntry'])
    expect(lines).toEqual(['Trivy DB cache not saved: no answer within 300ms'])
  })

  test('a restore that finished, found or not, leaves Trivy the usual directory', () => {
    expect(trivyScanCacheDir('/c', { restored: false })).toBe('/c')
    expect(trivyScanCacheDir('/c', { restored: true, key: 'trivy-db-2026-11-23', exact: true })).toBe('/c')
  })
})
