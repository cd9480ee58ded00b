import path from 'node:path'
import { scanPlatforms } from './run-trivy.js'
import { scannedPlatforms } from './scanned-platforms.js'
import type { PlatformScanner, PreparedScanner, ScannerResult } from './scanner.js'
import { restoreTrivyDb, saveTrivyDb, trivyCacheDir, trivyScanCacheDir } from './trivy-db-cache.js'
import { installTrivy, type InstallTrivyOptions } from './trivy-install.js'

export interface TrivyScannerOptions {
  /** Where to fetch Trivy releases from, or `ignorePath`; the version comes from the inputs. */
  install?: Omit<InstallTrivyOptions, 'version' | 'log'>
  /** Seconds between Trivy's own `--timeout` and killing it; run-trivy's default (60) when not given. */
  killAfterSeconds?: number
}

/**
 * Trivy: installed (trivy-install.ts) while its DB is restored from the Actions cache, both before
 * any image exists; then one JSON (and SARIF) run per platform, and the DB saved to the cache.
 */
export function trivyScanner(options: TrivyScannerOptions = {}): PlatformScanner {
  return {
    async prepare({ inputs, now, runnerTemp, env, log }): Promise<PreparedScanner> {
      const restoreDir = trivyCacheDir({ RUNNER_TEMP: runnerTemp })
      // Neither needs the other; the restore never rejects (a cache that fails is logged).
      const restoring = restoreTrivyDb(restoreDir, now, log)
      const trivy = await installTrivy({
        searchPath: env.PATH ?? '',
        ...options.install,
        version: inputs.trivyVersion,
        log,
      })
      const restore = await restoring
      const cacheDir = trivyScanCacheDir(restoreDir, restore)
      return {
        async scan(layouts, { inputs, workDir, vexFiles, now, env, log, sbom }): Promise<ScannerResult> {
          log(`Scanning ${layouts.map((layout) => layout.platform).join(', ')} with trivy ${trivy.version}`)
          const { scans, runs } = await scanPlatforms(layouts, {
            trivy: trivy.binary,
            reportDir: path.join(workDir, 'reports'),
            sarif: inputs.sarif !== undefined,
            scanners: inputs.scanners,
            cacheDir,
            timeoutSeconds: inputs.timeoutSeconds,
            env,
            dbRepositories: inputs.dbRepositories,
            vexFiles,
            ...(options.killAfterSeconds === undefined ? {} : { killAfterSeconds: options.killAfterSeconds }),
          })
          for (const run of runs) log(`trivy ${run.json.args.join(' ')}`)
          const platforms = await scannedPlatforms(runs, layouts, trivy.version, sbom, {
            trivy: trivy.binary,
            cacheDir,
            timeoutSeconds: inputs.timeoutSeconds,
            env,
            reportDir: path.join(workDir, 'reports'),
          })
          if (Object.values(scans).some((scan) => scan.ok)) await saveTrivyDb(cacheDir, now, restore, log)
          const sarif = Object.fromEntries(
            runs.flatMap((run) => (run.sarif ? [[run.platform, run.sarif]] : [])),
          )
          return { label: `Trivy ${trivy.version}`, scans, sarif, readable: {}, platforms }
        },
      }
    },
  }
}
