import { InputError } from '../action/errors.js'
import { parseResults, type LegResult } from './result.js'

/**
 * `all`: build, scan and push every platform in this job. `platform`: one leg of a scaled-out
 * build (build, scan, push by digest only, write `result`). `merge`: assemble the legs' digests.
 */
export type Stage = 'all' | 'platform' | 'merge'

const STAGES: readonly Stage[] = ['all', 'platform', 'merge']

export function parseStage(text: string): Stage {
  const stage = text.trim().toLowerCase()
  if (stage === '') return 'all'
  if ((STAGES as readonly string[]).includes(stage)) return stage as Stage
  throw new InputError('stage', `expected "all", "platform" or "merge", got "${text}"`)
}

/** The `results` input: read by `merge` only, and an error anywhere else (it would be ignored). */
export function readResults(stage: Stage, text: string): LegResult[] {
  if (stage === 'merge') return parseResults(text)
  if (text.trim() !== '')
    throw new InputError('results', `only stage "merge" reads results (stage is "${stage}")`)
  return []
}
