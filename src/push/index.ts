import * as core from '@actions/core'
import { info } from '../action/log.js'
import { errorMessage } from '../action/errors.js'
import { planFloatingTags, versionFromRef, type FloatingMode, type HeldBackTag } from './floating-tags.js'
import type { TaggedImage } from '../metadata/image-reference.js'
import type { RegistryClient } from './registry-client.js'
import { pushPlan, type PushStep } from './steps.js'

// The push stage's entry: the policy, the route and its client, the tags, the push and the read-back.
export { decidePush, type PushDecision } from './policy.js'
export { Imagetools, routeClient, Skopeo, type RegistryClient } from './registry-client.js'
export {
  checkTagListing,
  decidePushRoute,
  describeRoute,
  routeTools,
  type PushRoute,
  type RouteTools,
} from './route.js'
export type { PushStep } from './steps.js'
export { verifyPushed, type VerifiedReference } from './verify.js'

export interface TagPlan {
  /** The references to push, floating tags held back removed. */
  references: TaggedImage[]
  heldBack: HeldBackTag[]
}

/** The tag names of image references, each once. */
function tagsOf(references: TaggedImage[]): string[] {
  return [...new Set(references.map((image) => image.tag))]
}

/**
 * Whether planning the tags reads the registry: only `highest` on a release whose computed tags
 * include floating ones (`latest`, `1`, `1.4`); branch and pull-request builds never do.
 */
export function needsExistingTags(mode: FloatingMode, ref: string, references: TaggedImage[]): boolean {
  if (mode !== 'highest') return false
  const plan = planFloatingTags({
    mode,
    version: versionFromRef(ref),
    tags: tagsOf(references),
    existingTags: [],
  })
  return plan.floating.length > 0
}

/**
 * Which computed references to push. With `readExisting` (see `needsExistingTags`, decided before
 * the build), `highest` reads the tags every target repository already has (a repository never
 * pushed to has none) so `latest`, `1` and `1.4` never move backwards.
 */
export async function planTags(
  client: RegistryClient,
  mode: FloatingMode,
  ref: string,
  references: TaggedImage[],
  readExisting: boolean,
): Promise<TagPlan> {
  const existing = readExisting ? await existingTags(client, references) : []
  const plan = planFloatingTags({
    mode,
    version: versionFromRef(ref),
    tags: tagsOf(references),
    existingTags: existing,
  })
  for (const held of plan.heldBack) info(`Not moving ${held.tag}: ${held.reason}`)
  const pushed = new Set(plan.push)
  return {
    references: references.filter((image) => pushed.has(image.tag)),
    heldBack: plan.heldBack,
  }
}

async function existingTags(client: RegistryClient, references: TaggedImage[]): Promise<string[]> {
  if (!client.listTags)
    throw new Error("floating-tags: highest needs the registry's tags, and this route cannot list them")
  const repositories = [...new Set(references.map((image) => image.name))]
  const all = new Set<string>()
  for (const repository of repositories) {
    for (const tag of await client.listTags(repository)) all.add(tag)
  }
  return [...all]
}

/**
 * Pushes the OCI layout itself, every platform and attestation, digests preserved: by digest into
 * every repository first, then the tags (see `pushPlan`), so no tag ever names a partial upload.
 * `digestOnly` (a platform leg of a scaled-out build) pushes no tag: nothing pulled by name changes.
 */
export async function pushLayout(
  client: RegistryClient,
  layoutDir: string,
  digest: string,
  references: TaggedImage[],
  { digestOnly = false }: { digestOnly?: boolean } = {},
): Promise<PushStep[]> {
  const steps = pushPlan(references, digest).filter((step) => !digestOnly || step.kind === 'digest')
  await core.group(`Push ${digest} (${steps.length} references)`, async () => {
    for (const [done, step] of steps.entries()) {
      info(`Pushing ${step.destination}`)
      try {
        await client.copyLayout(layoutDir, digest, step.destination)
      } catch (error) {
        // Nothing moved yet: the failure alone says it all.
        if (done === 0) throw error
        throw new PushIncomplete(steps.slice(0, done), steps.slice(done), error)
      }
    }
  })
  return steps
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
