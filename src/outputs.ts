import * as core from '@actions/core'
import type { Metadata } from './metadata/index.js'

export interface Separators {
  tags: string
  labels: string
  annotations: string
}

/** The step's outputs, named and shaped as docker/metadata-action's so downstream steps keep working. */
export function metadataOutputs(metadata: Metadata, separators: Separators): Record<string, string> {
  return {
    version: metadata.version,
    tags: metadata.tags.join(separators.tags),
    'tag-names': metadata.tagNames.join(separators.tags),
    labels: metadata.labels.join(separators.labels),
    annotations: metadata.annotations.join(separators.annotations),
    json: JSON.stringify(metadata.json),
  }
}

export function writeOutputs(outputs: Record<string, string>): void {
  for (const [name, value] of Object.entries(outputs)) core.setOutput(name, value)
}
