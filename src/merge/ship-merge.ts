import type { Inputs } from '../action/inputs.js'
import { OCI_INDEX } from '../build/oci-layout.js'
import { info } from '../action/log.js'
import { buildOutputs, pushOutputs, writeOutputs } from '../action/outputs.js'
import type { Checked } from '../action/preflight.js'
import type { Shipped } from '../action/summary.js'
import type { WorkflowContext } from '../github/context.js'
import type { Metadata } from '../metadata/index.js'
import {
  needsExistingTags,
  planTags,
  pushVerified,
  readLayoutContent,
  type VerifiedReference,
} from '../push/index.js'
import type { Registry } from '../registry/index.js'
import type { Workspace } from '../runner/workspace.js'
import type { Signer } from '../sign/index.js'
import type { CheckedLegs } from './checks.js'
import { writeMergedLayout } from './merged-layout.js'
import { renderMergeSummary } from './summary.js'

/** The steps a merge shares with a one-job run, handed in by ship.ts. */
export interface SharedSteps {
  /** The step's private directory, cosign and its key, the logins. */
  prepare(): Promise<{ workspace: Workspace; signer: Signer | undefined }>
  /** The registries, with the credentials `prepare` logged in with. */
  openRegistry(workspace: Workspace): Registry
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
  const readsExistingTags = needsExistingTags(inputs.floatingTags, context.ref, metadata.references)
  const { workspace, signer } = await steps.prepare()
  const registry = steps.openRegistry(workspace)
  const merged = await writeMergedLayout(registry, legs, metadata.annotations, workspace.layoutDir)
  writeOutputs(
    buildOutputs({
      digest: merged.digest,
      imageId: merged.digest,
      metadata: { 'containerimage.digest': merged.digest, legs: legs.legs.map((leg) => leg.digest) },
    }),
  )
  shipped.build = { digest: merged.digest, platforms: legs.platforms.map((entry) => entry.platform) }
  const tags = await planTags(
    registry,
    inputs.floatingTags,
    context.ref,
    metadata.references,
    readsExistingTags,
  )
  const layout = {
    dir: workspace.layoutDir,
    content: readLayoutContent(workspace.layoutDir, {
      mediaType: OCI_INDEX,
      digest: merged.digest,
      size: Buffer.byteLength(merged.raw),
    }),
  }
  const pushed = await pushVerified(registry, layout, tags, checked.decision.reason, shipped)
  if (signer) await steps.signIndex(signer, pushed, merged.digest)
  return shipped
}
