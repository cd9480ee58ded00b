import { info } from '../action/log.js'
import type { TaggedImage } from '../metadata/image-reference.js'
import type { Registry } from '../registry/index.js'
import { planFloatingTags, versionFromRef, type FloatingMode, type HeldBackTag } from './floating-tags.js'

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
  registry: Registry,
  mode: FloatingMode,
  ref: string,
  references: TaggedImage[],
  readExisting: boolean,
): Promise<TagPlan> {
  const existing = readExisting ? await existingTags(registry, references) : []
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

async function existingTags(registry: Registry, references: TaggedImage[]): Promise<string[]> {
  const repositories = [...new Set(references.map((image) => image.name))]
  const lists = await Promise.all(repositories.map((name) => registry.repository(name).listTags()))
  return [...new Set(lists.flat())]
}
