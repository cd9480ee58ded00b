// The merge stage's entry: the legs' results read and checked, their index assembled and shipped.
export { checkLegs, type CheckedLegs, type MergeExpectation } from './checks.js'
export { formatResult, legResult, parseResults, type LegResult } from './result.js'
export { renderMergeSummary } from './summary.js'
export { legResultOutput } from './leg.js'
export { writeMergedLayout } from './merged-layout.js'
export { shipMerge, type SharedSteps } from './ship-merge.js'
