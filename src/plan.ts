import { randomBytes } from 'node:crypto'
import * as core from '@actions/core'
import { info } from './action/log.js'
import {
  binfmtHandlerEnabled,
  checkBuilder,
  dockerArch,
  loadProblem,
  planBuilder,
  planEmulators,
  runCache,
  uniqueBuilderName,
  type BuilderFacts,
  type BuilderPlan,
  type EmulatorPlan,
  type RunCache,
} from './build/index.js'
import { probeRunner } from './runner/capabilities.js'
import type { Buildx } from './runner/buildx.js'
import type { WorkflowContext } from './github/context.js'
import type { Inputs } from './action/inputs.js'
import type { Metadata } from './metadata/index.js'
import { needsExistingTags } from './push/index.js'
import type { Checked } from './action/preflight.js'

/** What the probes settle before the first side effect (the rest was settled in preflight). */
export interface RunPlan {
  docker: string
  buildx: Buildx
  /** `floating-tags: highest` on a release: the registries' tags are read before tagging. */
  readsExistingTags: boolean
  builder: BuilderFacts
  builderPlan: BuilderPlan
  emulators: EmulatorPlan
  /** The cache flags, settled for whether this run pushes. */
  cache: RunCache
}

/**
 * Probes and plans, changing nothing: a runner that cannot do the build or the push fails here,
 * before any login. The inputs, the files and variables they name, whether the run pushes and
 * with which credentials were settled before (preflight.ts), by the dry run too.
 */
export async function planRun(
  inputs: Inputs,
  context: WorkflowContext,
  metadata: Metadata,
  checked: Checked,
): Promise<RunPlan> {
  const { decision } = checked
  const cache = runCache(inputs.build, process.env, decision.push)
  if (cache.warning) core.warning(cache.warning)

  // Started by runMain while the metadata and this code loaded, when it knew the run builds.
  const { docker, buildx, caps } = await (checked.probes ?? probeRunner(inputs.build.builder))
  // First: an engine that cannot be reached, or a builder that cannot build, says so before anything else.
  const builder = checkBuilder(caps, inputs.build.builder, inputs.build.platforms)
  // A platform leg pushes by digest only: no tag, so no tag to hold back.
  const readsExistingTags =
    decision.push &&
    inputs.stage === 'all' &&
    needsExistingTags(inputs.floatingTags, context.ref, metadata.references)

  const builderPlan = planBuilder(
    builder,
    {
      ...inputs.builderSetup,
      buildkitdConfig: checked.buildkitdConfig,
    },
    uniqueBuilderName(randomBytes(4).toString('hex')),
  )
  const builderName = builderPlan.create
    ? 'a docker-container builder of its own'
    : builderPlan.name || 'default'
  info(`Builder: ${builderName} (${builderPlan.why})`)
  const emulators = planEmulators(
    inputs.build.platforms,
    inputs.qemu,
    dockerArch(process.arch),
    binfmtHandlerEnabled,
  )
  if (inputs.load) {
    // The build makes exactly the platforms listed (one, the runner's, when none are): known now.
    const problem = loadProblem(inputs.build.platforms.length, builder.containerdStore)
    if (problem) throw new Error(problem)
  }
  return {
    docker,
    buildx,
    readsExistingTags,
    builder,
    builderPlan,
    emulators,
    cache,
  }
}
