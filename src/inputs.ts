import { InputError } from './errors.js'
import { parseBoolean } from './input-list.js'
import type { MetadataInputs } from './metadata/index.js'

export interface Inputs {
  metadata: MetadataInputs
  sepTags: string
  sepLabels: string
  sepAnnotations: string
  githubToken: string
  dryRun: boolean
  /** metadata-action's DOCKER_METADATA_ANNOTATIONS_LEVELS, honoured so copied workflows keep working. */
  annotationLevels: string[] | undefined
  /** metadata-action's DOCKER_METADATA_SHORT_SHA_LENGTH. */
  shortShaLength: number | undefined
}

/** Reads one input as the runner passes it; `trim: false` keeps separators such as a lone space. */
export type InputReader = (name: string, options?: { trim?: boolean }) => string

/**
 * Reads and checks every input. Pure over `read`, so tests pass a map; everything that can be
 * wrong with an input fails here, before the action touches anything.
 */
export function readInputs(read: InputReader, env: Record<string, string | undefined> = {}): Inputs {
  return {
    metadata: {
      images: read('images'),
      tags: read('tags'),
      flavor: read('flavor'),
      labels: read('labels'),
      annotations: read('annotations'),
    },
    sepTags: separator(read, 'sep-tags'),
    sepLabels: separator(read, 'sep-labels'),
    sepAnnotations: separator(read, 'sep-annotations'),
    githubToken: read('github-token'),
    dryRun: booleanInput(read, 'dry-run', false),
    annotationLevels: env.DOCKER_METADATA_ANNOTATIONS_LEVELS?.split(',').map((level) => level.trim()),
    shortShaLength: shortShaLength(env.DOCKER_METADATA_SHORT_SHA_LENGTH),
  }
}

function shortShaLength(text: string | undefined): number | undefined {
  if (text === undefined || text === '') return undefined
  if (!/^[1-9]\d*$/.test(text) || Number(text) > 40) {
    throw new InputError(
      'DOCKER_METADATA_SHORT_SHA_LENGTH',
      `expected a whole number from 1 to 40, got "${text}"`,
    )
  }
  return Number(text)
}

function separator(read: InputReader, name: string): string {
  return read(name, { trim: false }) || '\n'
}

function booleanInput(read: InputReader, name: string, fallback: boolean): boolean {
  const text = read(name)
  return text === '' ? fallback : parseBoolean(text, name)
}
