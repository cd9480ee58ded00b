import { incompletePushOutputs, pushOutputs, writeOutputs } from '../action/outputs.js'
import type { Shipped } from '../action/summary.js'
import type { Registry } from '../registry/index.js'
import { pushLayout, PushIncomplete, type LayoutToPush } from './push-layout.js'
import type { TagPlan } from './tags.js'
import type { PushStep } from './steps.js'
import type { BlobUpload } from './upload.js'
import { verifyPushed, type VerifiedReference } from './verify.js'

/** Pushes the layout (see `pushLayout`), reads every reference back, writes the outputs and the summary's facts. */
export async function pushVerified(
  registry: Registry,
  layout: LayoutToPush,
  tags: TagPlan,
  reason: string,
  shipped: Shipped,
  options: { digestOnly?: boolean; uploaded?: BlobUpload | undefined } = {},
): Promise<VerifiedReference[]> {
  const digest = layout.content.top.digest
  let steps: PushStep[]
  try {
    steps = await pushLayout(registry, layout, tags.references, options)
  } catch (error) {
    if (error instanceof PushIncomplete) {
      const moved = error.moved.map((step) => step.destination)
      const notMoved = error.notMoved.map((step) => step.destination)
      writeOutputs(incompletePushOutputs(moved, digest))
      shipped.push = {
        push: true,
        reason,
        pushed: [],
        heldBack: tags.heldBack,
        incomplete: { moved, notMoved },
      }
    }
    throw error
  }
  const pushed = await verifyPushed(registry, steps, digest)
  writeOutputs(pushOutputs(pushed))
  shipped.push = { push: true, reason, pushed, heldBack: tags.heldBack }
  return pushed
}
