import * as core from '@actions/core'
import type { Metadata } from '../metadata/index.js'
import type { ScanStageOutcome } from '../scan/index.js'

export interface Separators {
  tags: string
  labels: string
  annotations: string
}

/** The step's outputs, named and shaped as docker/metadata-action's so downstream steps keep working. */
export function metadataOutputs(metadata: Metadata, separators: Separators): Record<string, string> {
  return {
    version: metadata.version,
    tags: metadata.references.map((image) => image.reference).join(separators.tags),
    'tag-names': metadata.tagNames.join(separators.tags),
    labels: metadata.labels.join(separators.labels),
    annotations: metadata.annotations.join(separators.annotations),
    json: JSON.stringify(metadata.json),
  }
}

export interface BuildFacts {
  digest: string
  imageId: string
  /** The buildx metadata file's content. */
  metadata: Record<string, unknown>
}

/** docker/build-push-action's outputs: `digest`, `imageid`, `metadata`. */
export function buildOutputs(build: BuildFacts): Record<string, string> {
  return { digest: build.digest, imageid: build.imageId, metadata: JSON.stringify(build.metadata) }
}

/** `pushed` (true/false) and `refs`: every reference pushed and verified, as `reference@digest`, one a line. */
export function pushOutputs(pushed: Array<{ reference: string; digest: string }>): Record<string, string> {
  return {
    pushed: String(pushed.length > 0),
    refs: pushed
      .map(({ reference, digest }) => (reference.includes('@') ? reference : `${reference}@${digest}`))
      .join('\n'),
  }
}

/** A push that stopped part-way: `pushed` is false, and `refs` names what the registries hold now. */
export function incompletePushOutputs(moved: string[], digest: string): Record<string, string> {
  return { ...pushOutputs(moved.map((reference) => ({ reference, digest }))), pushed: 'false' }
}

/** The scan gate's outputs: `scan-result`, `vulnerabilities` and, when one was written, `sarif-file`. */
export function scanOutputs(scan: ScanStageOutcome): Record<string, string> {
  return {
    'scan-result': scan.result,
    vulnerabilities: JSON.stringify(scan.vulnerabilities),
    ...(scan.sarifFile === undefined ? {} : { 'sarif-file': scan.sarifFile }),
  }
}

export function writeOutputs(outputs: Record<string, string>): void {
  for (const [name, value] of Object.entries(outputs)) core.setOutput(name, value)
}
