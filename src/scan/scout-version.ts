import semver from 'semver'
import { InputError } from '../action/errors.js'

/**
 * Which Docker Scout CLI release runs. Default: 1.23.0 (tag v1.23.0 of docker/scout-cli,
 * 2026-07-02), the release whose reference docs (docs/scout_cves.md at commit
 * c7ac4ce317eafa536bf2421d1c223908e2200dce) the flags used here were checked against.
 */
export const DEFAULT_SCOUT_VERSION = '1.23.0'

/**
 * The `scout-version` input: a plain release version (`1.23.0` or `v1.23.0`), never a range, so
 * that what runs is what was asked for. Empty means the pinned default.
 */
export function parseScoutVersionInput(value: string): string {
  const raw = value.trim()
  if (raw === '') return DEFAULT_SCOUT_VERSION
  const version = semver.valid(raw.replace(/^v/, ''))
  if (version === null) {
    throw new InputError(
      'scout-version',
      `"${raw}" is not a Docker Scout release version such as ${DEFAULT_SCOUT_VERSION}`,
    )
  }
  return version
}
