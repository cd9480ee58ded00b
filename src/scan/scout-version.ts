import { releaseVersion } from '../action/input-list.js'

/**
 * Which Docker Scout CLI release runs. Default: 1.23.0 (tag v1.23.0 of docker/scout-cli,
 * 2026-07-02), the release whose reference docs (docs/scout_cves.md at commit
 * c7ac4ce317eafa536bf2421d1c223908e2200dce) the flags used here were checked against.
 */
export const DEFAULT_SCOUT_VERSION = '1.23.0'

/** The `scout-version` input: one release; empty means the pinned default. */
export function parseScoutVersionInput(value: string): string {
  return releaseVersion(value, 'scout-version', 'Docker Scout', DEFAULT_SCOUT_VERSION)
}
