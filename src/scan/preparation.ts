import type { ScanInputs } from './inputs.js'
import type { PlatformScanner, PreparedScanner } from './scanner.js'
import { scoutScanner, type ScoutScannerOptions } from './scout-scanner.js'
import type { InstallTrivyOptions } from './trivy-install.js'
import { trivyScanner } from './trivy-scanner.js'

/** What the scanner needs to make itself ready; the scan stage's options hold them too. */
export interface PreparationOptions {
  /** Decides ignore expiry and the DB cache key. */
  now: Date
  /** RUNNER_TEMP: the Trivy cache dir and the default SARIF file go under it. */
  runnerTemp: string
  /** Environment for Trivy (TRIVY_* credentials only are passed on) and PATH for finding it; process.env by default. */
  env?: NodeJS.ProcessEnv
  /** Where to fetch Trivy releases from, or `ignorePath`; the version comes from the inputs. */
  install?: Omit<InstallTrivyOptions, 'version' | 'log'>
  /** Seconds between Trivy's own `--timeout` and killing it; run-trivy's default (60) when not given. */
  killAfterSeconds?: number
  /** For `scanner: scout`: the docker CLI and the step's private DOCKER_CONFIG the plugin goes into. */
  scout?: ScoutScannerOptions
}

/** A scanner being made ready while the image builds. */
export interface ScannerPreparation {
  /**
   * For the scan stage: prints through `log` the lines the preparation made so far, in their order,
   * and any later ones as they come; then the ready scanner, or the preparation's error.
   */
  ready(log: (message: string) => void): Promise<PreparedScanner>
}

/**
 * Starts making the scanner the inputs name ready (installed, Trivy's DB restored), which needs
 * no image: started with the build, it runs while the image builds. Its log lines and its
 * failure wait for the scan stage (`scanBuiltImage`). None for `scanner: none`.
 */
export function prepareScanner(
  inputs: ScanInputs,
  options: PreparationOptions,
): ScannerPreparation | undefined {
  if (inputs.scanner === 'none') return undefined
  return startPreparation((log) =>
    scannerFor(inputs, options).prepare({
      inputs,
      now: options.now,
      runnerTemp: options.runnerTemp,
      env: options.env ?? process.env,
      log,
    }),
  )
}

/**
 * Starts `prepare` now, holding its log lines: printed during the build they would land inside the
 * build's log group. Its failure waits for the scan stage too, and is never reported when no scan
 * stage comes (a failed build): it is handled here, so it is never an unhandled rejection.
 */
export function startPreparation(
  prepare: (log: (message: string) => void) => Promise<PreparedScanner>,
): ScannerPreparation {
  const held: string[] = []
  let emit = (message: string): void => {
    held.push(message)
  }
  // Through a promise, so that a preparation that throws at once fails as one that rejects does.
  const prepared = Promise.resolve().then(() => prepare((message) => emit(message)))
  prepared.catch(() => undefined)
  return {
    ready(log) {
      for (const message of held.splice(0)) log(message)
      emit = log
      return prepared
    },
  }
}

function scannerFor(inputs: ScanInputs, options: PreparationOptions): PlatformScanner {
  if (inputs.scanner === 'trivy') {
    return trivyScanner({
      ...(options.install ? { install: options.install } : {}),
      ...(options.killAfterSeconds === undefined ? {} : { killAfterSeconds: options.killAfterSeconds }),
    })
  }
  if (options.scout === undefined)
    throw new Error("docker scout needs the docker CLI and the step's docker config")
  return scoutScanner(options.scout)
}
