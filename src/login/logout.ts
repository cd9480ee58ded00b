import * as core from '@actions/core'
import { info } from '../action/log.js'
import { errorMessage } from '../action/errors.js'
import { DOCKER_HUB } from '../metadata/image-reference.js'
import { deadline, TIMEOUTS, type Timeouts } from '../runner/timeouts.js'
import { runTool, tail, type ToolResult } from '../runner/tool.js'

// Apart from login (index.ts): the post step imports this file alone, without the registry-auth
// parser and its YAML library.

/** `docker logout` of every registry, with the isolated config; failures are warnings only. */
export async function logout(
  docker: string,
  registries: string[],
  dockerConfig: string,
  limits: Timeouts = TIMEOUTS,
): Promise<void> {
  for (const registry of registries) {
    let result: ToolResult
    try {
      result = await runTool(docker, ['logout', ...server(registry)], {
        env: { DOCKER_CONFIG: dockerConfig },
        silent: true,
        deadline: deadline('logout', `docker logout ${registry}`, limits),
      })
    } catch (error) {
      // The next registries are still logged out of; the post step deletes the config anyway.
      core.warning(errorMessage(error))
      continue
    }
    if (result.exitCode === 0) info(`Logged out of ${registry}`)
    else core.warning(`docker logout ${registry} failed: ${tail(result.stderr)}`)
  }
}

// Docker Hub is the CLI's default server: named, the CLI would file it under another key than its own lookups use.
export function server(registry: string): string[] {
  return registry === DOCKER_HUB ? [] : [registry]
}
