// Puts the Trivy test double on a PATH as `trivy`, the way the scan stage finds an installed Trivy,
// and reads back the argv it recorded. Shared by the unit and e2e tests of the scan stage.
import { existsSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export const FAKE_TRIVY = fileURLToPath(
  new URL('../../fake-scanners/trivy-replaying-recorded-reports', import.meta.url),
)

export interface FakeTrivy {
  /** A directory holding only `trivy`, a symlink to the double. */
  binDir: string
  argvLog: string
  /** process.env with the bin dir first on PATH and the double's settings. */
  env(reports: Record<string, unknown>, extra?: NodeJS.ProcessEnv): NodeJS.ProcessEnv
  /** Only what `env` adds (PATH and the double's settings): for a runner environment of its own. */
  variables(reports: Record<string, unknown>): Record<string, string>
  /** The argv of every run since the log was last cleared, `--version` probes left out. */
  scans(): string[][]
}

export function fakeTrivyOnPath(dir: string): FakeTrivy {
  const binDir = path.join(dir, 'bin')
  mkdirSync(binDir, { recursive: true })
  symlinkSync(FAKE_TRIVY, path.join(binDir, 'trivy'))
  const argvLog = path.join(dir, 'trivy-argv.jsonl')
  const variables = (reports: Record<string, unknown>): Record<string, string> => ({
    PATH: `${binDir}${path.delimiter}${process.env.PATH ?? ''}`,
    FAKE_TRIVY_REPORTS: JSON.stringify(reports),
    FAKE_TRIVY_ARGV_LOG: argvLog,
  })
  return {
    binDir,
    argvLog,
    env: (reports, extra = {}) => ({ ...process.env, ...variables(reports), ...extra }),
    variables,
    scans: () =>
      existsSync(argvLog)
        ? readFileSync(argvLog, 'utf8')
            .trim()
            .split('\n')
            .filter(Boolean)
            .map((line) => (JSON.parse(line) as { argv: string[] }).argv)
            .filter((argv) => argv[0] === 'image')
        : [],
  }
}

/** The value of `--flag` in an argv. */
export function flagValue(argv: readonly string[], flag: string): string | undefined {
  const at = argv.indexOf(flag)
  return at < 0 ? undefined : argv[at + 1]
}
