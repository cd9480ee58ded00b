import * as core from '@actions/core'
import { planFloatingTags, versionFromRef, type FloatingMode, type HeldBackTag } from './floating-tags.js'
import { parseImageReference } from './image-reference.js'
import type { Skopeo } from './registry-client.js'
import {
  isUnknownRepository,
  parseTagList,
  pushPlan,
  skopeoCopyArgv,
  skopeoListTagsArgv,
  type PushStep,
} from './skopeo-args.js'

export interface TagPlan {
  /** The references to push (image:tag), floating tags held back removed. */
  references: string[]
  heldBack: HeldBackTag[]
}

/**
 * Which computed references to push. `highest` reads the tags every target repository already has
 * (a repository never pushed to has none) so `latest`, `1` and `1.4` never move backwards.
 */
export async function planTags(
  skopeo: Skopeo,
  mode: FloatingMode,
  ref: string,
  references: string[],
): Promise<TagPlan> {
  const tagOf = (reference: string): string => parseImageReference(reference).tag ?? ''
  const tags = [...new Set(references.map(tagOf))]
  const existing = mode === 'highest' ? await existingTags(skopeo, references) : []
  const plan = planFloatingTags({ mode, version: versionFromRef(ref), tags, existingTags: existing })
  for (const held of plan.heldBack) core.info(`Not moving ${held.tag}: ${held.reason}`)
  const pushed = new Set(plan.push)
  return {
    references: references.filter((reference) => pushed.has(tagOf(reference))),
    heldBack: plan.heldBack,
  }
}

async function existingTags(skopeo: Skopeo, references: string[]): Promise<string[]> {
  const repositories = [...new Set(references.map((reference) => parseImageReference(reference).name))]
  const all = new Set<string>()
  for (const repository of repositories) {
    const result = await skopeo.run({
      reference: repository,
      argv: (access) => skopeoListTagsArgv(repository, access),
      what: `list the tags of ${repository}`,
      silent: true,
      acceptFailure: (failed) => isUnknownRepository(failed.stderr),
    })
    if (result.exitCode !== 0) continue
    for (const tag of parseTagList(result.stdout)) all.add(tag)
  }
  return [...all]
}

/**
 * Pushes the OCI layout itself, every platform and attestation, digests preserved: by digest into
 * every repository first, then the tags (see `pushPlan`), so no tag ever names a partial upload.
 */
export async function pushLayout(
  skopeo: Skopeo,
  layoutDir: string,
  digest: string,
  references: string[],
): Promise<PushStep[]> {
  const steps = pushPlan(references, digest)
  await core.group(`Push ${digest} (${steps.length} references)`, async () => {
    for (const step of steps) {
      core.info(`Pushing ${step.destination}`)
      await skopeo.run({
        reference: step.destination,
        argv: (access) => skopeoCopyArgv(layoutDir, step.destination, access),
        what: `push ${step.destination}`,
      })
    }
  })
  return steps
}
