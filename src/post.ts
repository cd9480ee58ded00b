import { readdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import * as core from '@actions/core'
import { info } from './action/log.js'
// Not through build/index.ts: main.ts loads this file for every run, and a dry run should not
// load the build stage (ship.ts and what it needs come as a separate chunk).
import { removeBuilder } from './build/builder.js'
import { logout } from './login/index.js'
import { requireTool } from './runner/tool.js'
import { errorMessage } from './action/errors.js'

/** What the main step leaves for the post step (paths and names only, never a secret). */
export const POST_STATE = {
  workspace: 'workspace',
  dockerConfig: 'docker-config',
  registries: 'registries',
  logout: 'logout',
  /** A docker-container builder this step created ('' once removed). */
  builder: 'builder',
} as const

/**
 * The post step runs even when the main step failed or was cancelled: `docker logout` of every
 * registry logged into (with the isolated config), then the step's directory is deleted: the
 * isolated config with its credentials, the build secret files and the OCI layout. With
 * `logout: false` the isolated config is kept (the runner wipes RUNNER_TEMP after the job).
 */
export async function runPost(): Promise<void> {
  const root = core.getState(POST_STATE.workspace)
  if (!root) {
    info('Nothing to clean up.')
    return
  }
  const dockerConfig = core.getState(POST_STATE.dockerConfig)
  const registries = JSON.parse(core.getState(POST_STATE.registries) || '[]') as string[]
  const logoutWanted = core.getState(POST_STATE.logout) !== 'false'
  const builder = core.getState(POST_STATE.builder)
  // Before the isolated config goes: buildx finds the builder through it.
  // A failure here must not keep the credentials below from being deleted.
  if (builder) {
    try {
      if (await removeBuilder(await requireTool('docker'), builder, dockerConfig)) {
        info(`Removed builder ${builder}`)
      }
    } catch (error) {
      core.warning(`Could not remove builder ${builder}: ${errorMessage(error)}`)
    }
  }
  if (logoutWanted && registries.length > 0) {
    try {
      await logout(await requireTool('docker'), registries, dockerConfig)
    } catch (error) {
      core.warning(`Logout failed: ${errorMessage(error)}`)
    }
  }
  if (logoutWanted) {
    await rm(root, { recursive: true, force: true })
    info(`Removed ${root} (isolated docker config, build secrets, OCI layout)`)
    return
  }
  for (const entry of await readdir(root)) {
    if (join(root, entry) !== dockerConfig) await rm(join(root, entry), { recursive: true, force: true })
  }
  info(`logout: false: kept the isolated docker config ${dockerConfig}; removed the rest of ${root}`)
}
