import { parseImageReference } from '../metadata/image-reference.js'

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
export function pushPlan(references: string[], digest: string): PushStep[] {
  const repositories: string[] = []
  const tags: PushStep[] = []
  for (const reference of references) {
    const parsed = parseImageReference(reference)
    if (!repositories.includes(parsed.name)) repositories.push(parsed.name)
    if (parsed.tag !== undefined) {
      const destination = `${parsed.name}:${parsed.tag}`
      if (!tags.some((step) => step.destination === destination)) tags.push({ destination, kind: 'tag' })
    }
  }
  return [
    ...repositories.map((name): PushStep => ({ destination: `${name}@${digest}`, kind: 'digest' })),
    ...tags,
  ]
}
