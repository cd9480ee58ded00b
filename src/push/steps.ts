import type { TaggedImage } from '../metadata/image-reference.js'

/** One `skopeo copy`, and why it comes where it does. */
export interface PushStep {
  destination: string
  kind: 'digest' | 'tag'
}

/**
 * The pushes, in order: the digest into every repository first, then the tags. A tag is only
 * written once every registry holds the complete index under its digest, so a failure part-way
 * leaves no tag (old or new) pointing at a partial upload; the tag pushes then only re-point names
 * (every blob is there already).
 */
export function pushPlan(references: TaggedImage[], digest: string): PushStep[] {
  const repositories: string[] = []
  const tags: PushStep[] = []
  for (const { name, reference } of references) {
    if (!repositories.includes(name)) repositories.push(name)
    if (!tags.some((step) => step.destination === reference))
      tags.push({ destination: reference, kind: 'tag' })
  }
  return [
    ...repositories.map((name): PushStep => ({ destination: `${name}@${digest}`, kind: 'digest' })),
    ...tags,
  ]
}
