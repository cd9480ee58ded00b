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
// The step is over once its code is: work it gave up on (a cache service past its limit, the
// scanner's preparation for a build that failed) must not keep the process, and the job, waiting.
// Everything the step owes is written by now (the toolkit's files synchronously, the log to a pipe).
process.exit()
