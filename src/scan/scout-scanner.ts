import { scanPlatformsWithScout } from './run-scout.js'
import type { PlatformScanner, PreparedScanner, ScannerResult } from './scanner.js'
import { installScout, type InstallScoutOptions } from './scout-install.js'

export interface ScoutScannerOptions {
  /** The docker CLI that runs `docker scout`. */
  docker: string
  /** The step's private DOCKER_CONFIG: the plugin is installed there, never in the user's. */
  dockerConfig: string
  /** Where to fetch releases from, or where installed plugins are looked for; the version comes from the inputs. */
  install?: Omit<InstallScoutOptions, 'version' | 'log' | 'dockerConfig'>
}

/**
 * Docker Scout: the CLI plugin installed into the private config (scout-install.ts) before any
 * image exists, then one Markdown (and SARIF) run per platform with the Docker Hub login.
 */
export function scoutScanner(options: ScoutScannerOptions): PlatformScanner {
  return {
    async prepare({ inputs, env, log }): Promise<PreparedScanner> {
      const login = inputs.scoutLogin
      // readScanInputs refuses scanner scout without one; this only keeps the types honest.
      if (login === undefined)
        throw new Error('Docker Scout needs a Docker Hub login (scout-username, scout-password)')
      const scout = await installScout({
        env,
        ...options.install,
        version: inputs.scoutVersion,
        dockerConfig: options.dockerConfig,
        log,
      })
      return {
        async scan(layouts, { inputs, workDir, env, log }): Promise<ScannerResult> {
          log(
            `Scanning ${layouts.map((layout) => layout.platform).join(', ')} with docker scout ${scout.version} as ${login.username} (from "${login.source}")`,
          )
          const runs = await scanPlatformsWithScout(layouts, {
            command: { file: options.docker, prefix: ['scout'], dockerConfig: options.dockerConfig },
            login,
            env,
            workDir,
            severities: inputs.severities,
            ignoreUnfixed: inputs.ignoreUnfixed,
            timeoutSeconds: inputs.timeoutSeconds,
            sarif: inputs.sarif !== undefined,
            log,
          })
          for (const run of runs) log(`docker scout ${run.markdown.args.join(' ')}`)
          return {
            label: `Docker Scout ${scout.version}`,
            scans: Object.fromEntries(runs.map((run) => [run.platform, run.markdown.outcome])),
            sarif: Object.fromEntries(runs.flatMap((run) => (run.sarif ? [[run.platform, run.sarif]] : []))),
            readable: Object.fromEntries(
              runs.flatMap((run) =>
                run.markdown.report === undefined ? [] : [[run.platform, run.markdown.report]],
              ),
            ),
            // The attestations are made from Trivy's JSON report and SBOM; Scout's report is not one.
            platforms: [],
          }
        },
      }
    },
  }
}
