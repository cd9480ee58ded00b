import * as core from '@actions/core'
import { info } from '../action/log.js'
import { parseImageReference } from '../metadata/image-reference.js'
import { dockerErrorText, imagetoolsCreateArgv, imagetoolsInspectRawArgv } from './imagetools-argv.js'
import type { RouteTools } from './route.js'
import { retryDecision } from './retry.js'
import {
  isUnknownRepository,
  parseTagList,
  skopeoCopyArgv,
  skopeoInspectConfigArgv,
  skopeoInspectRawArgv,
  skopeoListTagsArgv,
  type RegistryAccess,
} from './skopeo-argv.js'
import { deadline, TIMEOUTS, type Deadline, type Timeouts } from '../runner/timeouts.js'
import { runTool, tail, type ToolResult } from '../runner/tool.js'

/** What pushing, verifying and planning tags need from registries, whichever program does it. */
export interface RegistryClient {
  /** Copies the layout's image `digest` to `destination` (`name@digest` or `name:tag`), bytes unchanged. */
  copyLayout(layoutDir: string, digest: string, destination: string): Promise<void>
  /** The manifest `reference` serves, as the registry sent it. */
  readManifest(reference: string): Promise<string>
  /** The raw image config of the manifest `reference` names. Absent where no program here can read it. */
  readConfig?(reference: string): Promise<string>
  /** The tags of a repository, none for one never pushed to. Absent where no program here can list them. */
  listTags?(repository: string): Promise<string[]>
}

type Sleep = (ms: number) => Promise<void>
const wait: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

interface Call {
  /** The image reference the call is about (its registry picks the retry rules). */
  reference: string
  /** For the log and errors: "push localhost:5000/app:1.2.3". */
  what: string
  /** Runs the command once; throws CallTimedOut when it outlives its deadline (never retried). */
  run: () => Promise<ToolResult>
  /** A failure that is an answer, not an error (an unknown repository when listing tags). */
  acceptFailure?: (result: ToolResult) => boolean
  /** The part of stderr that says what failed (default: all of it). */
  errorText?: (stderr: string) => string
  /** A loopback registry answered HTTPS with HTTP: switch to plain HTTP and say whether to run again. */
  plainHttp?: () => boolean
}

/** Runs a call, retrying what `retryDecision` calls transient (5xx, dropped connections, rate limits). */
async function withRetries(call: Call, sleep: Sleep): Promise<ToolResult> {
  const { registry } = parseImageReference(call.reference)
  let attempt = 1
  for (;;) {
    const result = await call.run()
    if (result.exitCode === 0 || call.acceptFailure?.(result)) return result
    const stderr = call.errorText ? call.errorText(result.stderr) : result.stderr
    const decision = retryDecision({ exitCode: result.exitCode, stderr }, attempt, registry)
    if (decision.action === 'plain-http' && call.plainHttp?.()) {
      // Finding the scheme is not an attempt: the registry has not been asked anything yet.
      info(`${registry} speaks plain HTTP (loopback): using HTTP for it`)
      continue
    }
    if (decision.action === 'retry') {
      attempt++
      core.warning(
        `${call.what}: ${decision.reason}; retrying in ${Math.round(decision.delayMs / 1000)} s (attempt ${attempt})`,
      )
      await sleep(decision.delayMs)
      continue
    }
    throw new Error(`${call.what} failed: ${decision.reason}\n${tail(result.stderr)}`)
  }
}

/**
 * skopeo against registries with the isolated credentials, switching a loopback registry to plain
 * HTTP once it answers HTTPS with HTTP, as the engine does. Copies need 1.6 (`--preserve-digests`);
 * reads and tag lists work with any version.
 */
export class Skopeo implements RegistryClient {
  private readonly access = new Map<string, RegistryAccess>()

  constructor(
    private readonly skopeo: string,
    private readonly authFile: string,
    private readonly sleep: Sleep = wait,
    private readonly limits: Timeouts = TIMEOUTS,
  ) {}

  async copyLayout(layoutDir: string, _digest: string, destination: string): Promise<void> {
    // `oci:DIR` names the layout's one image; the digest is the destination's (or checked afterwards).
    await this.run(
      destination,
      `push ${destination}`,
      false,
      deadline('push', `skopeo copy to ${destination}`, this.limits),
      (access) => skopeoCopyArgv(layoutDir, destination, access),
    )
  }

  async readManifest(reference: string): Promise<string> {
    const result = await this.run(
      reference,
      `read back ${reference}`,
      true,
      deadline('readBack', `skopeo inspect --raw ${reference}`, this.limits),
      (access) => skopeoInspectRawArgv(reference, access),
    )
    return result.stdout
  }

  async readConfig(reference: string): Promise<string> {
    const result = await this.run(
      reference,
      `read the config of ${reference}`,
      true,
      deadline('readBack', `skopeo inspect --raw --config ${reference}`, this.limits),
      (access) => skopeoInspectConfigArgv(reference, access),
    )
    return result.stdout
  }

  async listTags(repository: string): Promise<string[]> {
    const result = await this.run(
      repository,
      `list the tags of ${repository}`,
      true,
      deadline('listTags', `skopeo list-tags ${repository}`, this.limits),
      (access) => skopeoListTagsArgv(repository, access),
      (failed) => isUnknownRepository(failed.stderr),
    )
    return result.exitCode === 0 ? parseTagList(result.stdout) : []
  }

  private run(
    reference: string,
    what: string,
    silent: boolean,
    limit: Deadline,
    argv: (access: RegistryAccess) => string[],
    acceptFailure?: (result: ToolResult) => boolean,
  ): Promise<ToolResult> {
    const access = this.accessFor(parseImageReference(reference).registry)
    return withRetries(
      {
        reference,
        what,
        run: () => runTool(this.skopeo, argv(access), { silent, deadline: limit }),
        ...(acceptFailure ? { acceptFailure } : {}),
        plainHttp: () => {
          if (access.plainHttp) return false
          access.plainHttp = true
          return true
        },
      },
      this.sleep,
    )
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

/**
 * `docker buildx imagetools` with the isolated DOCKER_CONFIG (the logins) and the builder of the
 * build (its registry settings). Lists no tags: buildx has no command for it. Tested on argv only
 * (see imagetools-argv.ts).
 */
export class Imagetools implements RegistryClient {
  constructor(
    private readonly docker: string,
    private readonly dockerConfig: string,
    private readonly builder: string,
    private readonly sleep: Sleep = wait,
    private readonly limits: Timeouts = TIMEOUTS,
  ) {}

  async copyLayout(layoutDir: string, digest: string, destination: string): Promise<void> {
    await this.run(
      destination,
      `push ${destination}`,
      false,
      deadline('push', `docker buildx imagetools create ${destination}`, this.limits),
      imagetoolsCreateArgv(layoutDir, digest, destination, this.builder),
    )
  }

  async readManifest(reference: string): Promise<string> {
    const argv = imagetoolsInspectRawArgv(reference, this.builder)
    const limit = deadline('readBack', `docker buildx imagetools inspect --raw ${reference}`, this.limits)
    return (await this.run(reference, `read back ${reference}`, true, limit, argv)).stdout
  }

  private run(
    reference: string,
    what: string,
    silent: boolean,
    limit: Deadline,
    argv: string[],
  ): Promise<ToolResult> {
    const env = { DOCKER_CONFIG: this.dockerConfig }
    return withRetries(
      {
        reference,
        what,
        run: () => runTool(this.docker, argv, { env, silent, deadline: limit }),
        errorText: dockerErrorText,
      },
      this.sleep,
    )
  }
}

/** The client a route uses: each operation from the program `tools` names for it. */
export function routeClient(
  tools: RouteTools,
  programs: { skopeo?: Skopeo; imagetools?: Imagetools },
): RegistryClient {
  const program = <Name extends keyof typeof programs>(name: Name): NonNullable<(typeof programs)[Name]> => {
    const found = programs[name]
    if (!found) throw new Error(`The push route needs ${name}, which was not set up`)
    return found
  }
  const copier = program(tools.copy)
  const reader = program(tools.read)
  const client: RegistryClient = {
    copyLayout: (layoutDir, digest, destination) => copier.copyLayout(layoutDir, digest, destination),
    readManifest: (reference) => reader.readManifest(reference),
  }
  if (tools.listTags === 'skopeo') {
    const lister = program('skopeo')
    client.listTags = (repository) => lister.listTags(repository)
  }
  if (tools.read === 'skopeo') {
    const configReader = program('skopeo')
    client.readConfig = (reference) => configReader.readConfig(reference)
  }
  return client
}
