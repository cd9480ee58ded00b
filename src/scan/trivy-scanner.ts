import path from 'node:path'
import { scanPlatforms } from './run-trivy.js'
import { scannedPlatforms } from './scanned-platforms.js'
import type { PlatformScanner, ScannerResult } from './scanner.js'
import { restoreTrivyDb, saveTrivyDb, trivyCacheDir } from './trivy-db-cache.js'
import { installTrivy, type InstallTrivyOptions } from './trivy-install.js'

export interface TrivyScannerOptions {
  /** Where to fetch Trivy releases from, or `ignorePath`; the version comes from the inputs. */
  install?: Omit<InstallTrivyOptions, 'version' | 'log'>
  /** Seconds between Trivy's own `--timeout` and killing it; run-trivy's default (60) when not given. */
  killAfterSeconds?: number
}

/** Trivy: installed (trivy-install.ts), its DB restored from and saved to the Actions cache, one JSON (and SARIF) run per platform. */
export function trivyScanner(options: TrivyScannerOptions = {}): PlatformScanner {
  return {
    async scan(
      layouts,
      { inputs, workDir, vexFiles, now, runnerTemp, env, log, sbom },
    ): Promise<ScannerResult> {
      const trivy = await installTrivy({
        searchPath: env.PATH ?? '',
        ...options.install,
        version: inputs.trivyVersion,
        log,
      })
      log(`Scanning ${layouts.map((layout) => layout.platform).join(', ')} with trivy ${trivy.version}`)
      const cacheDir = trivyCacheDir({ RUNNER_TEMP: runnerTemp })
      const restore = await restoreTrivyDb(cacheDir, now, log)
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
      const sarif = Object.fromEntries(runs.flatMap((run) => (run.sarif ? [[run.platform, run.sarif]] : [])))
      return { label: `Trivy ${trivy.version}`, scans, sarif, readable: {}, platforms }
    },
  }
}
