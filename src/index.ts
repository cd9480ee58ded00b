import * as core from '@actions/core'
import { errorMessage } from './action/errors.js'

// One bundle serves both steps of action.yml; the state the main step saves tells the post step
// apart. Each step imports only its own code (a chunk of its own): the post step, which every run
// pays for, loads neither the inputs, the metadata nor their libraries.
const PHASE_STATE = 'phase'
const isPost = core.getState(PHASE_STATE) === 'main'
if (!isPost) core.saveState(PHASE_STATE, 'main')
try {
  if (isPost) await (await import('./post.js')).runPost()
  else await (await import('./main.js')).runMain()
} catch (error) {
  core.setFailed(errorMessage(error))
}
