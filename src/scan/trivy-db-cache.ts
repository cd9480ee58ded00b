import path from 'node:path'
import os from 'node:os'
import { errorMessage } from '../action/errors.js'
import { formatDuration, TIMEOUTS } from '../runner/timeouts.js'

/**
 * Keeping Trivy's vulnerability databases between runs with the Actions cache. Trivy stores them
 * under its `--cache-dir`: `db/` (trivy-db: `trivy.db` + `metadata.json`) and `java-db/`. The
 * `fanal/` image-layer cache beside them is per image and is not kept.
 *
 * One cache entry per UTC day: the first run of the day downloads a fresh DB and saves it; later
 * runs that day restore it. A restore falls back to the newest earlier day (`trivy-db-` prefix);
 * Trivy then updates a DB whose `NextUpdate` has passed, so a stale restore only costs a download.
 */

const KEY_PREFIX = 'trivy-db-'

/** `trivy-db-YYYY-MM-DD` for the UTC day of `now`. */
export function trivyDbCacheKey(now: Date): string {
  return `${KEY_PREFIX}${now.toISOString().slice(0, 10)}`
}

export function trivyDbRestoreKeys(): string[] {
  return [KEY_PREFIX]
}

/**
 * Trivy's `--cache-dir` for this job: a stable path under RUNNER_TEMP (emptied after each job, so
 * nothing leaks between jobs except through the cache), else the OS temp dir.
 */
export function trivyCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(env.RUNNER_TEMP || os.tmpdir(), 'build-scan-push', 'trivy-cache')
}

/** The directories of `cacheDir` worth keeping between runs. */
export function trivyDbCachePaths(cacheDir: string): string[] {
  return [path.join(cacheDir, 'db'), path.join(cacheDir, 'java-db')]
}

export interface DbRepositories {
  /** `--db-repository`: OCI repositories of trivy-db, in order of priority. */
  dbRepository?: readonly string[]
  /** `--java-db-repository`: OCI repositories of trivy-java-db. */
  javaDbRepository?: readonly string[]
}

/** The DB repository options as argv: each value its own element, never through a shell. */
export function dbRepositoryArgs(repos: DbRepositories): string[] {
  const args: string[] = []
  for (const repo of repos.dbRepository ?? []) if (repo.trim()) args.push('--db-repository', repo.trim())
  for (const repo of repos.javaDbRepository ?? []) {
    if (repo.trim()) args.push('--java-db-repository', repo.trim())
  }
  return args
}

/**
 * @actions/cache, with the Azure storage client it brings (2.4 MB of the bundle), loads only when
 * a scan uses the cache: a run without a scan never parses it, and one with a scan does so while
 * the image builds rather than before the probes answer.
 */
function actionsCache(): Promise<typeof import('@actions/cache')> {
  return import('@actions/cache')
}

/**
 * How the restore went. `abandoned`: the cache service did not answer within the limit; its
 * restore may still write into the cache dir later, so Trivy must not use that dir.
 */
export type DbCacheRestore =
  { restored: false; abandoned?: true } | { restored: true; key: string; exact: boolean }

/**
 * Restores the DB into `cacheDir`. A cache service that is missing, failing or silent past
 * `limitMs` is not an error: Trivy then downloads the DB itself.
 */
export async function restoreTrivyDb(
  cacheDir: string,
  now: Date,
  log: (message: string) => void = () => undefined,
  limitMs: number = TIMEOUTS.cache,
): Promise<DbCacheRestore> {
  const cache = await actionsCache()
  if (!cache.isFeatureAvailable()) return { restored: false }
  const key = trivyDbCacheKey(now)
  try {
    const hit = await withinLimit(
      cache.restoreCache(trivyDbCachePaths(cacheDir), key, trivyDbRestoreKeys()),
      limitMs,
    )
    if (hit === LATE) {
      log(
        `Trivy DB cache not restored: no answer within ${formatDuration(limitMs)}; Trivy downloads its DB itself`,
      )
      return { restored: false, abandoned: true }
    }
    if (hit === undefined) return { restored: false }
    return { restored: true, key: hit, exact: hit === key }
  } catch (error) {
    log(`Trivy DB cache not restored: ${errorMessage(error)}`)
    return { restored: false }
  }
}

const LATE = Symbol('late')

/**
 * What `call` gives, or LATE once `limitMs` has passed. @actions/cache takes no signal, so a call
 * given up on goes on in the background (the main step ends its process when done, index.ts); how
 * it ends then is nobody's business.
 */
async function withinLimit<T>(call: Promise<T>, limitMs: number): Promise<T | typeof LATE> {
  call.catch(() => undefined)
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<typeof LATE>((resolve) => {
    timer = setTimeout(() => resolve(LATE), limitMs)
  })
  try {
    return await Promise.race([call, late])
  } finally {
    clearTimeout(timer)
  }
}

/** Trivy's `--cache-dir`: `cacheDir`, or beside it when an abandoned restore may still write there. */
export function trivyScanCacheDir(cacheDir: string, restore: DbCacheRestore): string {
  return !restore.restored && restore.abandoned ? `${cacheDir}-uncached` : cacheDir
}

/**
 * Saves today's DB unless today's entry was what we restored, or the service left the restore
 * unanswered (it is not asked again). Failures, and a save past `limitMs`, are logged, not raised.
 */
export async function saveTrivyDb(
  cacheDir: string,
  now: Date,
  restore: DbCacheRestore,
  log: (message: string) => void = () => undefined,
  limitMs: number = TIMEOUTS.cache,
): Promise<boolean> {
  const cache = await actionsCache()
  if (!cache.isFeatureAvailable()) return false
  if (restore.restored ? restore.exact : restore.abandoned) return false
  try {
    const id = await withinLimit(cache.saveCache(trivyDbCachePaths(cacheDir), trivyDbCacheKey(now)), limitMs)
    if (id === LATE) {
      log(`Trivy DB cache not saved: no answer within ${formatDuration(limitMs)}`)
      return false
    }
    // -1: not saved (another job reserved the key, the cache mode is read-only…), already logged.
    return id !== -1
  } catch (error) {
    log(`Trivy DB cache not saved: ${errorMessage(error)}`)
    return false
  }
}
