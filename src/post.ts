import * as core from '@actions/core'

/**
 * The post step runs even when the main step failed or was cancelled. It is where credentials
 * and temporary builders are removed; the dry run creates neither, so there is nothing to undo yet.
 */
export async function runPost(): Promise<void> {
  core.info('Nothing to clean up.')
}
