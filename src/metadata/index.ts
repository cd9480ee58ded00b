import type { RepoInfo, WorkflowContext } from '../github/context.js'
import { parseFlavor, type Flavor } from './flavor.js'
import { parseImageReference, taggedImage, type TaggedImage } from './image-reference.js'
import { parseImages, type ImageEntry } from './images.js'
import {
  annotationList,
  labelList,
  parseAnnotationLevels,
  parseAnnotations,
  parseLabels,
  type AnnotationLine,
  type KeyValueLine,
} from './labels.js'
import { globalScope } from './refs.js'
import { parseTagRules, type TagRule } from './rules.js'
import { tagNames } from './tags.js'

export type { TaggedImage } from './image-reference.js'

export { parseFlavor, type Flavor } from './flavor.js'
export { parseImages, type ImageEntry } from './images.js'
export { parseAnnotationLevels, parseAnnotations, parseLabels, ANNOTATION_LEVELS } from './labels.js'
export { parseTagRules, DEFAULT_TAGS, DEFAULT_PRIORITIES, type TagRule } from './rules.js'

/** The raw texts of the metadata inputs, as the workflow wrote them. */
export interface MetadataInputs {
  images: string
  tags: string
  flavor: string
  labels: string
  annotations: string
}

export interface Metadata {
  /** metadata-action's `version`: the first tag ('' when none). */
  version: string
  /** Enabled image names, lower-cased. */
  images: string[]
  /** Every enabled image × tag, image by image, tags in priority order (metadata-action's `tags`). */
  references: TaggedImage[]
  tagNames: string[]
  /** `key=value`: the generated OCI labels, then the user's (same key: the user's value, in place). */
  labels: string[]
  /** `level:key=value`. */
  annotations: string[]
  /** metadata-action's `json` output: `{ tags, 'tag-names', labels: {…}, annotations: […] }`. */
  json: unknown
  warnings: string[]
}

export interface MetadataOptions {
  /** metadata-action's `DOCKER_METADATA_SHORT_SHA_LENGTH` (default 7). */
  shortShaLength?: number
}

/** Every metadata input, parsed and checked. */
export interface ParsedMetadataInputs {
  images: ImageEntry[]
  rules: TagRule[]
  flavor: Flavor
  labels: KeyValueLine[]
  annotations: AnnotationLine[]
  annotationLevels: string[]
  warnings: string[]
}

const DEFAULT_SHORT_SHA_LENGTH = 7

/** Events whose refs this engine was written and tested for; others still work, with a warning. */
export const KNOWN_EVENTS = [
  'push',
  'pull_request',
  'pull_request_target',
  'schedule',
  'workflow_dispatch',
  'release',
  'merge_group',
  'workflow_run',
  'repository_dispatch',
  'create',
]

/** Reads every input and throws the first InputError; nothing is computed yet. */
export function parseMetadataInputs(
  inputs: MetadataInputs,
  annotationLevels?: string[],
): ParsedMetadataInputs {
  const images = parseImages(inputs.images)
  const { rules, warnings } = parseTagRules(inputs.tags)
  return {
    images,
    rules,
    flavor: parseFlavor(inputs.flavor),
    labels: parseLabels(inputs.labels),
    annotations: parseAnnotations(inputs.annotations),
    annotationLevels: parseAnnotationLevels(annotationLevels),
    warnings,
  }
}

/**
 * Tags, labels and annotations for this run, computed the way docker/metadata-action computes
 * them from the same inputs (differences are listed in the README). Pure: all inputs are checked
 * first, and problems that are not errors come back as `warnings`.
 */
export function computeMetadata(
  inputs: MetadataInputs,
  context: WorkflowContext,
  repo: RepoInfo,
  now: Date,
  annotationLevels?: string[],
  options: MetadataOptions = {},
): Metadata {
  const parsed = parseMetadataInputs(inputs, annotationLevels)
  const shaLength = shortShaLength(options.shortShaLength)
  const warnings = [...parsed.warnings, ...eventWarnings(context)]
  const warn = (message: string) => {
    if (!warnings.includes(message)) warnings.push(message)
  }
  const globals = globalScope(context, repo, now, shaLength)

  const names = tagNames(parsed.rules, { context, repo, flavor: parsed.flavor, globals, shaLength, warn })
  const images = parsed.images.filter((image) => image.enable).map((image) => image.name)
  const references = images.flatMap((name) => {
    const image = { name, registry: parseImageReference(name).registry }
    return names.map((tag) => taggedImage(image, tag))
  })
  const tags = references.map((reference) => reference.reference)
  if (names.length === 0) {
    warn(
      `No tag was generated: no rule of the "tags" input applies to event "${context.eventName}" on ` +
        `"${context.ref}". Nothing would be pushed.`,
    )
  } else if (images.length === 0) {
    warn('Every image of the "images" input is disabled (enable=false): no image reference was produced.')
  }

  const version = names[0] ?? ''
  const generated = ociEntries(repo, context, version, now)
  const labels = labelList(generated, parsed.labels, globals)
  const annotations = annotationList(generated, parsed.annotations, parsed.annotationLevels, globals)
  return {
    version,
    images,
    references,
    tagNames: names,
    labels,
    annotations,
    json: { tags, 'tag-names': names, labels: labelObject(labels), annotations },
    warnings,
  }
}

/** The OCI labels/annotations metadata-action generates. */
function ociEntries(
  repo: RepoInfo,
  context: WorkflowContext,
  version: string,
  now: Date,
): Array<[string, string]> {
  return [
    ['org.opencontainers.image.title', repo.name],
    ['org.opencontainers.image.description', repo.description],
    ['org.opencontainers.image.url', repo.htmlUrl],
    ['org.opencontainers.image.source', repo.htmlUrl],
    ['org.opencontainers.image.version', version],
    ['org.opencontainers.image.created', now.toISOString()],
    ['org.opencontainers.image.revision', context.sha],
    ['org.opencontainers.image.licenses', repo.license],
  ]
}

function labelObject(labels: string[]): Record<string, string> {
  const object: Record<string, string> = {}
  for (const label of labels) {
    const equals = label.indexOf('=')
    object[label.slice(0, equals)] = label.slice(equals + 1)
  }
  return object
}

function shortShaLength(length: number | undefined): number {
  if (length === undefined) return DEFAULT_SHORT_SHA_LENGTH
  if (!Number.isInteger(length) || length < 1) {
    throw new RangeError(`the short SHA length must be a whole number of at least 1, got ${length}`)
  }
  return length
}

/** What the event means for the tags, when it is worth saying. */
function eventWarnings(context: WorkflowContext): string[] {
  if (context.eventName === '') {
    return [
      'No event name (GITHUB_EVENT_NAME is empty): tags were computed from GITHUB_REF and GITHUB_SHA alone.',
    ]
  }
  if (!KNOWN_EVENTS.includes(context.eventName)) {
    return [
      `Event "${context.eventName}" is not one this action knows (${KNOWN_EVENTS.join(', ')}): tags were ` +
        `computed from GITHUB_REF "${context.ref}" and GITHUB_SHA alone, so only rules that fit that ref apply.`,
    ]
  }
  const run = workflowRunOf(context)
  if (run?.head_sha && run.head_sha !== context.sha) {
    return [
      `workflow_run: tags describe GITHUB_REF "${context.ref}" (${context.sha.slice(0, 7)}), the default branch ` +
        `the run started on, not the triggering run's ${run.head_branch ?? 'branch'} (${run.head_sha.slice(0, 7)}).`,
    ]
  }
  return []
}

function workflowRunOf(context: WorkflowContext): { head_sha?: string; head_branch?: string } | undefined {
  if (context.eventName !== 'workflow_run') return undefined
  const run = context.payload.workflow_run
  return typeof run === 'object' && run !== null
    ? (run as { head_sha?: string; head_branch?: string })
    : undefined
}
