import * as core from '@actions/core'
import { errorMessage } from '../action/errors.js'
import { buildxArgs, type Buildx } from '../runner/buildx.js'
import { deadline } from '../runner/timeouts.js'
import { runTool, tail, type ToolResult } from '../runner/tool.js'

// The builder this action creates: its name and its removal, apart from builder.ts so that the
// post step loads only these (not the builder checks, the input parsers and their libraries).

/** A builder name no other step or job on the runner uses. */
export function uniqueBuilderName(random: string): string {
  return `build-scan-push-${random}`
}

/**
 * Whether a builder name is one `uniqueBuilderName` gives (8 hex digits, from planRun): the post
 * step removes no other, so a `builder` state that names the user's own builder leaves it alone.
 */
export function isOwnBuilderName(name: string): boolean {
  return /^build-scan-push-[0-9a-f]{8}$/.test(name)
}

/** buildx's arguments to remove a builder. */
export function builderRemoveArgs(name: string): string[] {
  return ['rm', name]
}

/**
 * `docker buildx rm`: the builder's container, its state volume and its entry in the config.
 * Says whether it went; a failure is a warning, never a reason to stop cleaning up.
 */
export async function removeBuilder(buildx: Buildx, name: string, dockerConfig: string): Promise<boolean> {
  let removed: ToolResult
  try {
    removed = await runTool(buildx.file, buildxArgs(buildx, builderRemoveArgs(name)), {
      env: { DOCKER_CONFIG: dockerConfig },
      deadline: deadline('builderRemove', `docker buildx rm ${name}`),
    })
  } catch (error) {
    core.warning(`Could not remove builder ${name}: ${errorMessage(error)}`)
    return false
  }
  if (removed.exitCode === 0) return true
  core.warning(`Could not remove builder ${name}: ${tail(removed.stderr, 2)}`)
  return false
}
