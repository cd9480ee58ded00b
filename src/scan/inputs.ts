import { InputError } from '../action/errors.js'
import { parseImageReference } from '../metadata/image-reference.js'
import { listEntries, optionalBoolean } from '../action/input-list.js'
import type { InputReader } from '../action/input-list.js'
import type { TrivyScanner } from './run-trivy.js'
import { DEFAULT_BLOCKING_SEVERITIES, isSeverity, SEVERITIES, type Severity } from './severity.js'
import type { DbRepositories } from './trivy-db-cache.js'
import { parseTrivyVersionInput } from './trivy-version.js'
import { scoutLogin, type HubCredentialEntry, type ScoutLogin } from './scout-login.js'
import { parseScoutVersionInput } from './scout-version.js'

/** What the scan stage is told to do; everything in it was checked by readScanInputs. */
export interface ScanInputs {
  scanner: 'trivy' | 'scout' | 'none'
  /** Severities that block the push (`severity`). */
  severities: Severity[]
  ignoreUnfixed: boolean
  /** `.trivyignore` files, as written (relative paths are relative to the workspace). */
  trivyignores: string[]
  /** VEX files for Trivy's `--vex`, as written (relative paths are relative to the workspace). */
  vex: string[]
  /** false: a `failed` verdict is reported, not enforced. An `error` verdict always blocks. */
  scanFail: boolean
  trivyVersion: string
  /** The Docker Scout CLI release (`scout-version`). */
  scoutVersion: string
  /** With `scanner: scout` only: the Docker Hub account Scout scans with. */
  scoutLogin?: ScoutLogin
  scanners: TrivyScanner[]
  /** Undefined: no code-scanning SARIF. `{}`: a file in RUNNER_TEMP. `{ path }`: that file. */
  sarif?: { path?: string }
  /** Per Trivy run (one run per platform, two with `sarif`). */
  timeoutSeconds: number
  /** Mirrors of Trivy's vulnerability DBs (`trivy-db-repository`, `trivy-java-db-repository`). */
  dbRepositories: DbRepositories
}

export const DEFAULT_SCAN_TIMEOUT = '10m'
export const DEFAULT_SCANNERS: readonly TrivyScanner[] = ['vuln']
const TRIVY_SCANNERS: readonly TrivyScanner[] = ['vuln', 'secret', 'misconfig']
/** A run longer than a GitHub-hosted job (6 h) cannot finish; a bigger value is a typo. */
const MAX_TIMEOUT_SECONDS = 6 * 60 * 60

/**
 * Reads and checks the scan inputs. Pure over `read`: a bad value throws an InputError naming the
 * input before anything is built, installed or scanned. `hubEntries` (the checked credentials of
 * `registry`/`registry-auth`) give Scout's default Docker Hub login.
 */
export function readScanInputs(
  read: InputReader,
  hubEntries: readonly HubCredentialEntry[] = [],
): ScanInputs {
  const scanner = scannerInput(read('scanner'))
  const vex = vexInput(read('vex'))
  if (scanner === 'scout' && vex.length > 0) {
    throw new InputError('vex', 'VEX files are passed to Trivy; with scanner "scout" leave vex empty')
  }
  return {
    scanner,
    severities: severityInput(read('severity')),
    ignoreUnfixed: optionalBoolean(read('ignore-unfixed'), 'ignore-unfixed', false),
    trivyignores: listEntries(read('trivyignores'), 'trivyignores'),
    vex,
    scanFail: optionalBoolean(read('scan-fail'), 'scan-fail', true),
    trivyVersion: parseTrivyVersionInput(read('trivy-version')),
    scoutVersion: parseScoutVersionInput(read('scout-version')),
    ...(scanner === 'scout' ? { scoutLogin: scoutLogin(read, hubEntries) } : {}),
    scanners: scannersInput(read('scanners')),
    ...sarifInput(read('sarif')),
    timeoutSeconds: parseScanTimeout(read('scan-timeout')),
    dbRepositories: {
      dbRepository: repositoriesInput(read('trivy-db-repository'), 'trivy-db-repository'),
      javaDbRepository: repositoriesInput(read('trivy-java-db-repository'), 'trivy-java-db-repository'),
    },
  }
}

/** OCI repositories Trivy fetches its DBs from, e.g. a mirror `registry.example.com/trivy-db:2`. */
function repositoriesInput(text: string, input: string): string[] {
  const repositories = listEntries(text, input)
  for (const repository of repositories) parseImageReference(repository, input)
  return repositories
}

/**
 * Trivy's `--vex` also takes the words `repo` (or `repository`), `oci` and `sbom-ref` for VEX
 * fetched over the network (its VEX repository, attestations in the registry, documents an SBOM
 * links to; pkg/vex/vex.go NewSource). Only files are taken here: what waives a finding is then
 * in the workspace, reviewed with the code, and the scan needs no network beyond the DB.
 */
const TRIVY_VEX_SOURCES = ['repo', 'repository', 'oci', 'sbom-ref']

function vexInput(text: string): string[] {
  const files = listEntries(text, 'vex')
  const source = files.find((file) => TRIVY_VEX_SOURCES.includes(file))
  if (source !== undefined) {
    throw new InputError(
      'vex',
      `"${source}" is one of Trivy's network VEX sources, which this action does not use; ` +
        `list VEX files (OpenVEX or CSAF), e.g. .vex/openvex.json, and write ./${source} for a file of that name`,
    )
  }
  return files
}

function scannerInput(text: string): ScanInputs['scanner'] {
  const value = text.trim().toLowerCase()
  if (value === '' || value === 'trivy') return 'trivy'
  if (value === 'none' || value === 'scout') return value
  throw new InputError('scanner', `expected "trivy", "scout" or "none", got "${text.trim()}"`)
}

function severityInput(text: string): Severity[] {
  if (text.trim() === '') return [...DEFAULT_BLOCKING_SEVERITIES]
  const words = listEntries(text, 'severity').map((word) => word.toUpperCase())
  const unknown = words.filter((word) => !isSeverity(word))
  if (unknown.length > 0) {
    throw new InputError(
      'severity',
      `unknown severity ${unknown.map((word) => `"${word}"`).join(', ')}; use ${SEVERITIES.join(', ')}`,
    )
  }
  if (words.length === 0) throw new InputError('severity', `name at least one of ${SEVERITIES.join(', ')}`)
  // Most severe first, whatever order they were written in.
  return SEVERITIES.filter((severity) => words.includes(severity))
}

function scannersInput(text: string): TrivyScanner[] {
  if (text.trim() === '') return [...DEFAULT_SCANNERS]
  const words = listEntries(text, 'scanners').map((word) => word.toLowerCase())
  const unknown = words.filter((word) => !(TRIVY_SCANNERS as readonly string[]).includes(word))
  if (unknown.length > 0) {
    throw new InputError(
      'scanners',
      `unknown scanner ${unknown.map((word) => `"${word}"`).join(', ')}; use ${TRIVY_SCANNERS.join(', ')}`,
    )
  }
  if (words.length === 0)
    throw new InputError('scanners', `name at least one of ${TRIVY_SCANNERS.join(', ')}`)
  return TRIVY_SCANNERS.filter((scanner) => words.includes(scanner))
}

function sarifInput(text: string): Pick<ScanInputs, 'sarif'> {
  const value = text.trim()
  if (value === '' || /^false$/i.test(value)) return {}
  if (/^true$/i.test(value)) return { sarif: {} }
  return { sarif: { path: value } }
}

const UNIT_SECONDS: Record<string, number> = {
  h: 3600,
  m: 60,
  s: 1,
  ms: 1e-3,
  us: 1e-6,
  µs: 1e-6,
  ns: 1e-9,
}
const DURATION = /^(?:\d+(?:\.\d+)?(?:h|m|s|ms|us|µs|ns))+$/
const DURATION_PART = /(\d+(?:\.\d+)?)(h|ms|m|s|us|µs|ns)/g

/**
 * `scan-timeout`: a Go duration as Trivy's `--timeout` takes it (`10m`, `300s`, `1h30m`), in whole
 * seconds, rounded up. Empty means 10 minutes.
 */
export function parseScanTimeout(text: string): number {
  const value = text.trim() || DEFAULT_SCAN_TIMEOUT
  if (!DURATION.test(value)) {
    throw new InputError(
      'scan-timeout',
      `"${value}" is not a duration such as 10m, 300s or 1h30m (a number with a unit: h, m, s)`,
    )
  }
  let seconds = 0
  for (const [, amount, unit] of value.matchAll(DURATION_PART)) {
    seconds += Number(amount) * (UNIT_SECONDS[unit ?? 's'] ?? 1)
  }
  const whole = Math.ceil(Math.round(seconds * 1e6) / 1e6)
  if (whole <= 0) throw new InputError('scan-timeout', `"${value}" is no time at all; give at least 1s`)
  if (whole > MAX_TIMEOUT_SECONDS) {
    throw new InputError('scan-timeout', `"${value}" is longer than a job can run (6h at most)`)
  }
  return whole
}
