import { readdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import * as core from '@actions/core'
import { info } from './action/log.js'
// Single modules, not the stages' index.ts: the post step's chunk holds only what it runs (no
// input parsers, no YAML or CSV library), and every run pays for loading it.
import { isOwnBuilderName, removeBuilder } from './build/own-builder.js'
import { requireTool } from './runner/tool.js'
import { findBuildx } from './runner/buildx.js'
import {
  deletedWhenKeepingLogins,
  DOCKER_CONFIG_DIR,
  readWorkspaceFacts,
  workspaceParent,
  workspaceProblem,
} from './runner/workspace.js'
import { errorMessage } from './action/errors.js'

/** What the main step leaves for the post step (paths and names only, never a secret). */
export const POST_STATE = {
  workspace: 'workspace',
  /** The random value in the workspace's marker file, which proves the directory is this step's. */
  marker: 'workspace-marker',
  registries: 'registries',
  logout: 'logout',
  /** A docker-container builder this step created ('' once removed). */
  builder: 'builder',
} as const

/**
 * The post step runs even when the main step failed or was cancelled: the builder the step created
 * is removed, then the step's directory is deleted: the isolated config with its credentials (the
 * logins live there alone, so deleting it is the logout), the build secret files and the OCI
 * layout. With `logout: false` the isolated config is kept (the runner wipes RUNNER_TEMP after the
 * job). All of it only once `workspaceProblem` has found the directory to be the one the main step
 * made: anything else is a warning, and nothing is deleted or removed.
 */
export async function runPost(): Promise<void> {
  const root = core.getState(POST_STATE.workspace)
  if (!root) {
    info('Nothing to clean up.')
    return
  }
  const facts = await readWorkspaceFacts(root, workspaceParent(process.env), core.getState(POST_STATE.marker))
  const problem = workspaceProblem(facts)
  if (problem !== undefined) {
    core.warning(
      `Not deleting ${root}: ${problem}. The post step deletes only the directory its main step made, ` +
        'so it removed no builder and deleted nothing (the credentials it holds included).',
    )
    return
  }
  // From the proven directory, never from the state: buildx acts on this config.
  const dockerConfig = join(root, DOCKER_CONFIG_DIR)
  const registries = JSON.parse(core.getState(POST_STATE.registries) || '[]') as string[]
  const logoutWanted = core.getState(POST_STATE.logout) !== 'false'
  const builder = core.getState(POST_STATE.builder)
  // Before the isolated config goes: buildx finds the builder through it.
  // A failure here must not keep the credentials below from being deleted.
  if (builder && !isOwnBuilderName(builder)) {
    core.warning(`Not removing builder ${builder}: not a name this action gives the builders it creates`)
  } else if (builder) {
    try {
      if (await removeBuilder(findBuildx(await requireTool('docker'), process.env), builder, dockerConfig)) {
        info(`Removed builder ${builder}`)
      }
    } catch (error) {
      core.warning(`Could not remove builder ${builder}: ${errorMessage(error)}`)
    }
  }
  if (logoutWanted) {
    await rm(root, { recursive: true, force: true })
    info(`Removed ${root} (isolated docker config${credentialsFor(registries)}, build secrets, OCI layout)`)
    return
  }
  for (const entry of deletedWhenKeepingLogins(await readdir(root))) {
    await rm(join(root, entry), { recursive: true, force: true })
  }
  info(`logout: false: kept the isolated docker config ${dockerConfig}; removed the rest of ${root}`)
}

// The registries the main step logged into: their credentials were in that config and nowhere else.
function credentialsFor(registries: string[]): string {
  return registries.length > 0 ? ` with the credentials for ${registries.join(', ')}` : ''
}
