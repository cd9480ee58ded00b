import { parseImageReference, taggedImage, type TaggedImage } from '../src/metadata/image-reference.js'

/** `ghcr.io/acme/app:1.4` as the metadata engine hands it on: name, registry and tag kept apart. */
export function tagged(reference: string): TaggedImage {
  const at = reference.lastIndexOf(':')
  return taggedImage(parseImageReference(reference.slice(0, at)), reference.slice(at + 1))
}
