import { readFileSync } from 'node:fs'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import * as core from '@actions/core'
import { buildxBuildArgs, buildxPassEnv, workflowRunUrl } from './buildx-argv.js'
import type { BuildInputs } from './inputs.js'
import type { WorkflowContext } from '../github/context.js'
import type { Metadata } from '../metadata/index.js'
import { blobPath, metadataDigest, missingPlatforms, readOciImage, type OciImage } from './oci-layout.js'
import { runTool } from '../runner/tool.js'
import { buildxArgs, type Buildx } from '../runner/buildx.js'
import type { Workspace } from '../runner/workspace.js'

// The build stage's entry: the build itself, and what the run plans and sets up around it.
export {
  buildkitdConfigPath,
  checkBuilder,
  planBuilder,
  setUpBuilder,
  type BuilderFacts,
  type BuilderPlan,
} from './builder.js'
export { removeBuilder, uniqueBuilderName } from './own-builder.js'
export { loadImage, loadProblem } from './load.js'
export { binfmtHandlerEnabled, dockerArch, planEmulators, setUpEmulators, type EmulatorPlan } from './qemu.js'

export interface BuildResult {
  /** The digest of what was built: the layout's top index or manifest, equal to the metadata's. */
  digest: string
  /** build-push-action's `imageid`: the config digest when buildx reports one, else the digest. */
  imageId: string
  image: OciImage
  /** The buildx metadata file, as written. */
  metadata: Record<string, unknown>
  layoutDir: string
}

/** The cache flags this run builds with, and why a `cache-to` the workflow gave was set aside. */
export interface RunCache {
  cacheFrom: string[]
  cacheTo: string[]
  warning?: string
}

/**
 * `type=gha` cache both ways when on GitHub with the cache service and nothing was asked for;
 * otherwise the inputs as given. A run that pushes nothing writes no cache either: it may be
 * building a fork's code, whose layers must not land in a cache the base branch reads.
 */
export function runCache(
  inputs: BuildInputs,
  env: Record<string, string | undefined>,
  pushing: boolean,
): RunCache {
  const given = { cacheFrom: inputs.cacheFrom, cacheTo: inputs.cacheTo }
  const onGithub = env.GITHUB_ACTIONS === 'true'
  const cacheService = Boolean(env.ACTIONS_CACHE_URL || env.ACTIONS_RESULTS_URL)
  const asked = inputs.cacheFrom.length > 0 || inputs.cacheTo.length > 0 || inputs.noCache
  const cache =
    asked || !onGithub || !cacheService ? given : { cacheFrom: ['type=gha'], cacheTo: ['type=gha,mode=max'] }
  if (pushing || cache.cacheTo.length === 0) return cache
  if (!asked) return { ...cache, cacheTo: [] }
  return {
    ...cache,
    cacheTo: [],
    warning: 'Input "cache-to": this run pushes nothing, so it writes no cache either; cache-to is ignored.',
  }
}

/** Builds once into an OCI layout (the cache flags settled by `runCache`); the layout is what gets pushed (and scanned). */
export async function build(
  buildx: Buildx,
  inputs: BuildInputs,
  metadata: Metadata,
  context: WorkflowContext,
  workspace: Workspace,
  env: Record<string, string | undefined>,
): Promise<BuildResult> {
  const secretFiles: Record<string, string> = {}
  for (const secret of inputs.secrets) {
    const file = join(workspace.secretsDir, secret.id)
    await writeFile(file, secret.value, { mode: 0o600 })
    secretFiles[secret.id] = file
  }
  const args = buildxBuildArgs(inputs, {
    ociDir: workspace.layoutDir,
    metadataFile: workspace.metadataFile,
    secretFiles,
    labels: metadata.labels,
    annotations: metadata.annotations,
    builderId: workflowRunUrl(context, Number(env.GITHUB_RUN_ATTEMPT || 1)),
    privateRepository: (context.payload.repository as { private?: unknown } | undefined)?.private === true,
    defaultAttestations: !env.BUILDX_NO_DEFAULT_ATTESTATIONS,
  })
  // No deadline: the build takes as long as the Dockerfile does, bounded by the job's timeout.
  const result = await core.group('Build (docker buildx build)', () =>
    runTool(buildx.file, buildxArgs(buildx, args), {
      env: { DOCKER_CONFIG: workspace.dockerConfig },
      passEnv: buildxPassEnv(inputs),
    }),
  )
  if (result.exitCode !== 0) {
    throw new Error(`docker buildx build failed (exit ${result.exitCode}); its output is in the log above`)
  }
  const buildMetadata = JSON.parse(await readFile(workspace.metadataFile, 'utf8')) as Record<string, unknown>
  const image = readOciImage(
    JSON.parse(await readFile(join(workspace.layoutDir, 'index.json'), 'utf8')),
    (d) => readFileSync(join(workspace.layoutDir, blobPath(d))),
  )
  const digest = metadataDigest(buildMetadata)
  if (digest !== image.digest) {
    throw new Error(`buildx reported ${digest} but the OCI layout holds ${image.digest}`)
  }
  const missing = missingPlatforms(inputs.platforms, image)
  if (missing.length > 0) throw new Error(`The build lacks the requested platforms: ${missing.join(', ')}`)
  const configDigest = buildMetadata['containerimage.config.digest']
  return {
    digest,
    imageId: typeof configDigest === 'string' ? configDigest : digest,
    image,
    metadata: buildMetadata,
    layoutDir: workspace.layoutDir,
  }
}
