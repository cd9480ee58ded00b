import { InputError } from '../action/errors.js'
import { GLOBAL_EXPRESSIONS, parseTemplate, render, type Scope, type Template } from './expressions.js'
import { lineError, numberedLines, type NumberedLine } from './lines.js'

/** One `key=value` line of `labels` or `annotations`; expressions are evaluated once the run is known. */
export interface KeyValueLine {
  line: NumberedLine
  body: Template
}

export interface AnnotationLine extends KeyValueLine {
  /** `index,manifest:key=value` → ['index', 'manifest']; `undefined` → the default levels. */
  levels: string[] | undefined
}

/** The levels buildx accepts in front of an annotation, optionally with a platform: `manifest[linux/amd64]`. */
export const ANNOTATION_LEVELS = ['manifest', 'index', 'manifest-descriptor', 'index-descriptor']
const LEVEL = /^([a-z-]+)(?:\[[A-Za-z0-9_/-]+\])?$/
const LEVELS_HINT = `expected ${ANNOTATION_LEVELS.join(', ')}, optionally with a platform such as manifest[linux/amd64]`

/** `labels` input. Each line is one label; commas are part of the value (no CSV here). */
export function parseLabels(text: string): KeyValueLine[] {
  return numberedLines(text).map((line) => ({ line, body: keyValueTemplate('labels', line, line.text) }))
}

/** `annotations` input: like labels, with an optional `level[,level]:` in front of the key. */
export function parseAnnotations(text: string): AnnotationLine[] {
  return numberedLines(text).map((line) => {
    const key = line.text.slice(0, Math.max(line.text.indexOf('='), 0))
    const colon = key.indexOf(':')
    if (colon === -1)
      return { line, levels: undefined, body: keyValueTemplate('annotations', line, line.text) }
    const levels = key.slice(0, colon).split(',')
    for (const level of levels) {
      if (!isAnnotationLevel(level)) {
        throw lineError('annotations', line, `unknown annotation level "${level}"; ${LEVELS_HINT}`)
      }
    }
    return { line, levels, body: keyValueTemplate('annotations', line, line.text.slice(colon + 1)) }
  })
}

/** The levels for annotations that name none: metadata-action's `DOCKER_METADATA_ANNOTATIONS_LEVELS`. */
export function parseAnnotationLevels(levels: string[] | undefined): string[] {
  const given = (levels ?? []).map((level) => level.trim()).filter((level) => level !== '')
  for (const level of given) {
    if (!isAnnotationLevel(level)) {
      throw new InputError(
        'annotations',
        `DOCKER_METADATA_ANNOTATIONS_LEVELS: unknown level "${level}"; ${LEVELS_HINT}`,
      )
    }
  }
  return given.length > 0 ? [...new Set(given)] : ['manifest']
}

function isAnnotationLevel(level: string): boolean {
  const type = LEVEL.exec(level)?.[1]
  return type !== undefined && ANNOTATION_LEVELS.includes(type)
}

function keyValueTemplate(input: string, line: NumberedLine, text: string): Template {
  const equals = text.indexOf('=')
  if (equals === -1) throw lineError(input, line, 'expected key=value')
  if (text.slice(0, equals).trim() === '') throw lineError(input, line, 'the key before "=" is empty')
  return parseTemplate(text, GLOBAL_EXPRESSIONS, (detail) => lineError(input, line, detail))
}

/** Evaluates a line and splits it at its first `=`. */
function keyValue(input: string, entry: KeyValueLine, scope: Scope): [string, string] {
  const text = render(entry.body, scope)
  const equals = text.indexOf('=')
  const key = text.slice(0, Math.max(equals, 0)).trim()
  if (equals === -1 || key === '') {
    throw lineError(input, entry.line, `expected key=value once expressions are evaluated, got "${text}"`)
  }
  return [key, text.slice(equals + 1)]
}

/**
 * The generated entries, each replaced in place by a user line with the same key; new keys follow
 * in the order written (a repeated user key: the last one wins).
 */
export function labelList(generated: Array<[string, string]>, lines: KeyValueLine[], scope: Scope): string[] {
  const merged = new Map(generated)
  for (const entry of lines) merged.set(...keyValue('labels', entry, scope))
  return [...merged].map(([key, value]) => `${key}=${value}`)
}

/**
 * Annotations with their level in front, one entry per level. Lines without a level join the
 * generated set at every default level; a line with levels overrides that level's entry only.
 */
export function annotationList(
  generated: Array<[string, string]>,
  lines: AnnotationLine[],
  defaultLevels: string[],
  scope: Scope,
): string[] {
  const unlevelled = new Map(generated)
  const levelled: Array<[string, string, string]> = []
  for (const entry of lines) {
    const [key, value] = keyValue('annotations', entry, scope)
    if (entry.levels === undefined) unlevelled.set(key, value)
    else for (const level of entry.levels) levelled.push([level, key, value])
  }
  const merged = new Map<string, string>()
  for (const level of defaultLevels) {
    for (const [key, value] of unlevelled) merged.set(`${level}:${key}`, value)
  }
  for (const [level, key, value] of levelled) merged.set(`${level}:${key}`, value)
  return [...merged].map(([levelKey, value]) => `${levelKey}=${value}`)
}
