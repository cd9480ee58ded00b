import * as core from '@actions/core'
import { parseImageReference } from './image-reference.js'
import { retryDecision, type RegistryAccess } from './skopeo-args.js'
import { runTool, tail, type ToolResult } from './tool.js'

export interface SkopeoCall {
  /** The image reference the call is about (its registry picks the access and the retry rules). */
  reference: string
  argv: (access: RegistryAccess) => string[]
  /** For the log and errors: "push localhost:5000/app:1.2.3". */
  what: string
  silent?: boolean
  /** A failure that is an answer, not an error (an unknown repository when listing tags). */
  acceptFailure?: (result: ToolResult) => boolean
}

/**
 * Runs skopeo against registries with the isolated credentials, retrying what `retryDecision`
 * calls transient (5xx, dropped connections, rate limits) with backoff, and switching a loopback
 * registry to plain HTTP once it answers HTTPS with HTTP, as the engine does.
 */
export class Skopeo {
  private readonly access = new Map<string, RegistryAccess>()

  constructor(
    private readonly skopeo: string,
    private readonly authFile: string,
    private readonly sleep: (ms: number) => Promise<void> = (ms) =>
      new Promise((resolve) => setTimeout(resolve, ms)),
  ) {}

  async run(call: SkopeoCall): Promise<ToolResult> {
    const { registry } = parseImageReference(call.reference)
    const access = this.accessFor(registry)
    for (let attempt = 1; ; attempt++) {
      const result = await runTool(this.skopeo, call.argv(access), { silent: call.silent ?? false })
      if (result.exitCode === 0 || call.acceptFailure?.(result)) return result
      const decision = retryDecision({ exitCode: result.exitCode, stderr: result.stderr }, attempt, registry)
      if (decision.action === 'plain-http' && !access.plainHttp) {
        core.info(`${registry} speaks plain HTTP (loopback): using HTTP for it`)
        access.plainHttp = true
        continue
      }
      if (decision.action === 'retry') {
        core.warning(
          `${call.what}: ${decision.reason}; retrying in ${Math.round(decision.delayMs / 1000)} s (attempt ${attempt + 1})`,
        )
        await this.sleep(decision.delayMs)
        continue
      }
      throw new Error(`${call.what} failed: ${decision.reason}\n${tail(result.stderr)}`)
    }
  }

  private accessFor(registry: string): RegistryAccess {
    let access = this.access.get(registry)
    if (!access) {
      access = { authfile: this.authFile }
      this.access.set(registry, access)
    }
    return access
  }
}
