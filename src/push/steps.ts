import type { TaggedImage } from '../metadata/image-reference.js'

/** One copy of the layout to a registry, and why it comes where it does. */
export interface PushStep {
  /** `name@digest` or `name:tag`: what the copy writes. */
  destination: string
  kind: 'digest' | 'tag'
  /** The image name (`ghcr.io/acme/app`). */
  name: string
  /** The tag written; none for the push by digest. */
  tag?: string
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
  for (const { name, tag, reference } of references) {
    if (!repositories.includes(name)) repositories.push(name)
    if (!tags.some((step) => step.destination === reference))
      tags.push({ destination: reference, kind: 'tag', name, tag })
  }
  return [
    ...repositories.map((name): PushStep => ({ destination: `${name}@${digest}`, kind: 'digest', name })),
    ...tags,
  ]
}
