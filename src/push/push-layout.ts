import * as core from '@actions/core'
import { info } from '../action/log.js'
import { errorMessage } from '../action/errors.js'
import type { TaggedImage } from '../metadata/image-reference.js'
import type { Registry } from '../registry/index.js'
import type { LayoutContent } from './layout-content.js'
import { pushPlan, type PushStep } from './steps.js'
import { blobUploader, type BlobUpload } from './upload.js'

/** The layout to push: where its files are, and what its image is made of. */
export interface LayoutToPush {
  dir: string
  content: LayoutContent
}

/**
 * Pushes the layout's image, every platform and attestation, byte for byte: the blobs into every
 * repository (or awaits `uploaded`, the upload started during the scan), then the manifests by
 * digest, children before their index, into every repository, and only then the tags, each one
 * PUT of the index's bytes: a failure part-way leaves no tag on an incomplete image.
 * `digestOnly` (a platform leg of a scaled-out build) pushes no tag: nothing pulled by name changes.
 */
export async function pushLayout(
  registry: Registry,
  layout: LayoutToPush,
  references: TaggedImage[],
  { digestOnly = false, uploaded }: { digestOnly?: boolean; uploaded?: BlobUpload } = {},
): Promise<PushStep[]> {
  const { top, children, blobs } = layout.content
  const steps = pushPlan(references, top.digest).filter((step) => !digestOnly || step.kind === 'digest')
  const digestSteps = steps.filter((step) => step.kind === 'digest')
  const tagSteps = steps.filter((step) => step.kind === 'tag')
  await core.group(`Push ${top.digest} (${steps.length} references)`, async () => {
    const names = digestSteps.map((step) => step.name)
    await (uploaded?.finished() ?? blobUploader(registry, layout.dir, names).all(blobs))
    info(`${blobs.length} blobs are in ${names.join(', ')}`)
    const moved = await settle(digestSteps, { before: [], after: tagSteps }, async ({ name }) => {
      const repository = registry.repository(name)
      // All settled before a failure is told: a sibling still retrying is never cut off by the step's end.
      const puts = await Promise.allSettled(
        children.map((child) => repository.putManifest(child.digest, child.mediaType, child.bytes)),
      )
      const failed = puts.find((put): put is PromiseRejectedResult => put.status === 'rejected')
      if (failed) throw failed.reason
      await repository.putManifest(top.digest, top.mediaType, top.bytes)
      info(`Pushed ${name}@${top.digest}`)
    })
    await settle(tagSteps, { before: moved, after: [] }, async ({ name, tag }) => {
      await registry.repository(name).putManifest(tag as string, top.mediaType, top.bytes)
      info(`Tagged ${name}:${tag as string}`)
    })
  })
  return steps
}

/**
 * Runs one push phase, every step side by side (`before` moved in earlier phases, `after` waits for
 * this one). Returns what moved; a failure throws once every step has settled, saying what moved
 * and what did not.
 */
async function settle(
  steps: PushStep[],
  { before, after }: { before: PushStep[]; after: PushStep[] },
  push: (step: PushStep) => Promise<void>,
): Promise<PushStep[]> {
  const results = await Promise.allSettled(steps.map(push))
  const moved = [...before, ...steps.filter((_, at) => results[at]?.status === 'fulfilled')]
  const failure = results.find((result): result is PromiseRejectedResult => result.status === 'rejected')
  if (!failure) return moved
  if (moved.length === 0) throw failure.reason
  throw new PushIncomplete(
    moved,
    [...steps.filter((_, at) => results[at]?.status === 'rejected'), ...after],
    failure.reason,
  )
}

/**
 * A push that failed part-way (another registry or tag after some had moved): what the registries
 * now hold and what they do not, so the step can say both rather than only why it stopped.
 */
export class PushIncomplete extends Error {
  constructor(
    readonly moved: PushStep[],
    readonly notMoved: PushStep[],
    cause: unknown,
  ) {
    const list = (steps: PushStep[]): string => steps.map((step) => step.destination).join(', ') || 'nothing'
    super(
      `The push stopped part-way: ${errorMessage(cause)}\n` +
        `Pushed (not read back): ${list(moved)}\nNot pushed: ${list(notMoved)}`,
    )
    this.name = 'PushIncomplete'
  }
}
