import * as core from '@actions/core'

const PHASE_STATE = 'phase'

/** One bundle serves both steps of action.yml; the state saved by `main` tells the `post` step apart. */
export async function run(): Promise<void> {
  if (core.getState(PHASE_STATE) === 'main') {
    return
  }
  core.saveState(PHASE_STATE, 'main')
}
