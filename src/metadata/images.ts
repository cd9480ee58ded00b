import { InputError } from '../action/errors.js'
import { parseImageReference } from './image-reference.js'
import { attributes } from '../action/input-list.js'
import { lineError, lineFields, numberedLines, oneOf, type NumberedLine } from './lines.js'

export interface ImageEntry {
  /** Lower-cased and checked to be a valid repository name. */
  name: string
  enable: boolean
}

const INPUT = 'images'
const IMAGE_ATTRIBUTES = ['name', 'enable']

/**
 * The `images` input: one image per line as `name=…,enable=…` attributes, or lines of bare names
 * separated by commas (`a/b,ghcr.io/c/d` is two images, metadata-action's older form).
 */
export function parseImages(text: string): ImageEntry[] {
  const lines = numberedLines(text)
  if (lines.length === 0) {
    throw new InputError(INPUT, 'at least one image name is required, e.g. ghcr.io/owner/app')
  }
  const entries = lines.flatMap((line) => imagesOfLine(line))
  // The same image named twice would only push every tag twice.
  return entries.filter((entry, index) => entries.findIndex((other) => other.name === entry.name) === index)
}

function imagesOfLine(line: NumberedLine): ImageEntry[] {
  const fields = attributes(lineFields(INPUT, line))
  if (fields.every((field) => field.key === undefined)) {
    return fields.map((field) => ({ name: imageName(field.value, line), enable: true }))
  }
  let name: string | undefined
  let enable = true
  for (const field of fields) {
    const key = field.key ?? 'name'
    if (key === 'name') {
      if (name !== undefined)
        throw lineError(INPUT, line, 'one line with attributes names one image; found two names')
      name = field.value
    } else if (key === 'enable') {
      enable = booleanAttribute(field.value, line)
    } else {
      throw lineError(INPUT, line, `unknown attribute "${key}"; expected ${oneOf(IMAGE_ATTRIBUTES)}`)
    }
  }
  if (!name)
    throw lineError(
      INPUT,
      line,
      'the image name is empty; expected name=<image>, e.g. name=ghcr.io/owner/app',
    )
  return [{ name: imageName(name, line), enable }]
}

function booleanAttribute(value: string, line: NumberedLine): boolean {
  if (/^true$/i.test(value)) return true
  if (/^false$/i.test(value)) return false
  throw lineError(INPUT, line, `enable must be "true" or "false", got "${value}"`)
}

const NAME_MAX_LENGTH = 255

/** Lower-cases first (as metadata-action does), then insists on a name registries accept. */
export function imageName(raw: string, line: NumberedLine): string {
  const name = raw.toLowerCase()
  if (name.length > NAME_MAX_LENGTH) {
    throw lineError(INPUT, line, `"${name}" is longer than ${NAME_MAX_LENGTH} characters`)
  }
  if (isRepositoryName(name)) return name
  if (/@|:[^/]*$/.test(name) && isRepositoryName(name.replace(/@.*$|:[^/]*$/, ''))) {
    throw lineError(
      INPUT,
      line,
      `"${name}" carries a tag or digest; give the name only and put tags in the "tags" input`,
    )
  }
  throw lineError(
    INPUT,
    line,
    `"${name}" is not a valid image name; expected [registry[:port]/]path/name where each path part is ` +
      'lowercase letters and digits joined by ".", "_", "__" or "-"',
  )
}

/** A name without tag or digest, by the same grammar the push side reads references with. */
function isRepositoryName(name: string): boolean {
  if (name !== name.trim()) return false
  try {
    const reference = parseImageReference(name)
    return reference.tag === undefined && reference.digest === undefined
  } catch {
    return false
  }
}
