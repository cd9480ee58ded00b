import type { Inputs } from '../action/inputs.js'
import { info } from '../action/log.js'
import { buildOutputs, pushOutputs, writeOutputs } from '../action/outputs.js'
import type { Checked } from '../action/preflight.js'
import type { Shipped } from '../action/summary.js'
import type { WorkflowContext } from '../github/context.js'
import type { Metadata } from '../metadata/index.js'
import {
  decidePushRoute,
  describeRoute,
  needsExistingTags,
  planTags,
  routeClient,
  routeTools,
  Skopeo,
  type PushRoute,
  type RegistryClient,
  type RouteTools,
  type TagPlan,
  type VerifiedReference,
} from '../push/index.js'
import { probeCapabilities } from '../runner/capabilities.js'
import { findTool, requireTool } from '../runner/tool.js'
import type { Workspace } from '../runner/workspace.js'
import type { Signer } from '../sign/index.js'
import type { CheckedLegs } from './checks.js'
import { writeMergedLayout } from './merged-layout.js'
import { renderMergeSummary } from './summary.js'

/** The steps a merge shares with a one-job run, handed in by ship.ts. */
export interface SharedSteps {
  /** The step's private directory, cosign and its key, the logins. */
  prepare(docker: string): Promise<{ workspace: Workspace; signer: Signer | undefined }>
  /** Pushes the layout by digest then its tags, reads every reference back, records the outputs. */
  pushVerified(
    client: RegistryClient,
    layoutDir: string,
    digest: string,
    tags: TagPlan,
  ): Promise<VerifiedReference[]>
  signIndex(signer: Signer, pushed: VerifiedReference[], digest: string): Promise<void>
}

/**
 * Stage `merge`: the legs were checked before anything (preflight); a run that pushes nothing
 * reports them and logs in nowhere. Otherwise: log in, assemble the index from the legs' manifests,
 * push it by digest, then its tags (floating-tags rules as for one job), read every reference back,
 * and sign the index when signing.
 */
export async function shipMerge(
  inputs: Inputs,
  context: WorkflowContext,
  metadata: Metadata,
  checked: Checked,
  legs: CheckedLegs,
  shipped: Shipped,
  steps: SharedSteps,
): Promise<Shipped> {
  shipped.scan = renderMergeSummary(legs)
  if (!checked.decision.push) {
    const reason = `${checked.decision.reason}: the legs were checked, no index was pushed`
    info(`Merge: ${reason}`)
    writeOutputs(pushOutputs([]))
    shipped.push = { push: false, reason, pushed: [], heldBack: [] }
    return shipped
  }
  const plan = await planMerge(inputs, context, metadata)
  const { workspace, signer } = await steps.prepare(plan.docker)
  const client = routeClient(plan.route, { skopeo: new Skopeo(plan.skopeo, workspace.authFile) })
  const merged = await writeMergedLayout(client, legs, metadata.annotations, workspace.layoutDir)
  writeOutputs(
    buildOutputs({
      digest: merged.digest,
      imageId: merged.digest,
      metadata: { 'containerimage.digest': merged.digest, legs: legs.legs.map((leg) => leg.digest) },
    }),
  )
  shipped.build = { digest: merged.digest, platforms: legs.platforms.map((entry) => entry.platform) }
  const tags = await planTags(
    client,
    inputs.floatingTags,
    context.ref,
    metadata.references,
    plan.readsExistingTags,
  )
  const pushed = await steps.pushVerified(client, workspace.layoutDir, merged.digest, tags)
  if (signer) await steps.signIndex(signer, pushed, merged.digest)
  return shipped
}

/** What a merge needs: docker to log in, skopeo to read the legs back and push the index. */
interface MergePlan {
  docker: string
  skopeo: string
  route: RouteTools
  readsExistingTags: boolean
}

/**
 * The merge's probes, changing nothing: it assembles the index from manifests and configs read
 * with skopeo and pushes it as a layout, so it needs skopeo 1.6 whatever buildx the runner has.
 */
async function planMerge(inputs: Inputs, context: WorkflowContext, metadata: Metadata): Promise<MergePlan> {
  const docker = await requireTool('docker')
  const skopeo = await findTool('skopeo')
  const caps = await probeCapabilities(docker, '', skopeo)
  const route = routeTools(mergeRoute(caps.skopeoVersion), caps.skopeoVersion)
  const readsExistingTags = needsExistingTags(inputs.floatingTags, context.ref, metadata.references)
  info(describeRoute(route, caps.skopeoVersion, caps.buildxVersion))
  return { docker, skopeo: skopeo ?? '', route, readsExistingTags }
}

function mergeRoute(skopeo: string | undefined): PushRoute {
  try {
    return decidePushRoute(skopeo, undefined)
  } catch {
    throw new Error(
      'stage "merge" needs skopeo 1.6 or newer (it reads the legs\' manifests and image configs, and pushes ' +
        `the index, with it); this runner has ${skopeo ? `skopeo ${skopeo}` : 'no skopeo'}`,
    )
  }
}
