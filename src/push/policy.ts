import type { EventPayload, WorkflowContext } from '../github/context.js'
import { InputError } from '../action/errors.js'

/** The `push` input: `auto` decides from the event; `true`/`false` force it. */
export type PushMode = 'auto' | 'true' | 'false'

export interface PushDecision {
  push: boolean
  /** One line for the log and the job summary, e.g. "fork pull request: build only". */
  reason: string
  warnings: string[]
}

const PUSH_MODES: readonly PushMode[] = ['auto', 'true', 'false']

export function parsePushMode(text: string): PushMode {
  const mode = text.trim().toLowerCase()
  if (mode === '') return 'auto'
  if ((PUSH_MODES as readonly string[]).includes(mode)) return mode as PushMode
  throw new InputError('push', `expected "auto", "true" or "false", got "${text}"`)
}

/**
 * Whether this run publishes. `auto` pushes for events only people with write access can cause
 * (pushes, tags, releases, schedules, manual and API dispatches) and for pull requests whose
 * branch lives in this repository; it builds only for everything else, above all for forks,
 * whose code must never reach the registry under this repository's name.
 */
export function decidePush(mode: PushMode, context: WorkflowContext): PushDecision {
  if (mode === 'false') return { push: false, reason: 'push: false: build only', warnings: [] }
  if (mode === 'true') return { push: true, reason: 'push: true', warnings: forcedPushWarnings(context) }
  return { ...autoDecision(context), warnings: [] }
}

function autoDecision(context: WorkflowContext): { push: boolean; reason: string } {
  const { eventName, payload } = context
  switch (eventName) {
    case 'push':
      return pushEvent(context)
    case 'schedule':
      return { push: true, reason: 'scheduled run' }
    case 'workflow_dispatch':
      return { push: true, reason: 'manual run (workflow_dispatch)' }
    case 'repository_dispatch':
      // Needs a token with write access to the repository to send.
      return { push: true, reason: 'repository_dispatch' }
    case 'release':
      return releaseEvent(payload)
    case 'pull_request':
    case 'pull_request_target':
      return pullRequestEvent(eventName, payload)
    case 'merge_group':
      // The queue's temporary gh-readonly-queue/… branch is a check, not a release: the merge it
      // tests arrives as a `push` to the base branch, and that run publishes.
      return { push: false, reason: 'merge queue check: build only (the merge itself pushes)' }
    case 'workflow_run':
      return workflowRunEvent(payload)
    default:
      return {
        push: false,
        reason: `event ${eventName || '(unknown)'}: build only (set push: true to publish)`,
      }
  }
}

function pushEvent(context: WorkflowContext): { push: boolean; reason: string } {
  if (context.payload.deleted === true) return { push: false, reason: 'ref deleted: nothing to publish' }
  const tag = /^refs\/tags\/(.+)$/.exec(context.ref)?.[1]
  if (tag !== undefined) return { push: true, reason: `push of tag ${tag}` }
  const branch = /^refs\/heads\/(.+)$/.exec(context.ref)?.[1]
  return { push: true, reason: branch !== undefined ? `push to branch ${branch}` : `push to ${context.ref}` }
}

// A workflow listening to every release activity also runs when one is deleted or unpublished.
function releaseEvent(payload: EventPayload): { push: boolean; reason: string } {
  const action = typeof payload.action === 'string' ? payload.action : ''
  if (action === 'deleted' || action === 'unpublished') {
    return { push: false, reason: `release ${action}: build only` }
  }
  return { push: true, reason: action ? `release ${action}` : 'release' }
}

function pullRequestEvent(eventName: string, payload: EventPayload): { push: boolean; reason: string } {
  const pr = payload.pull_request
  const number = pr?.number ?? payload.number
  const label = `pull request${number !== undefined ? ` #${number}` : ''}`
  if (isFork(pr?.head?.repo?.full_name, pr?.base?.repo?.full_name)) {
    const via = eventName === 'pull_request_target' ? ' (pull_request_target)' : ''
    return { push: false, reason: `fork pull request${via}: build only` }
  }
  return { push: true, reason: `${label} from a branch of this repository` }
}

/**
 * workflow_run runs with this repository's secrets whatever triggered it, including a fork's
 * pull request: push only when the triggering run's code came from this repository.
 */
function workflowRunEvent(payload: EventPayload): { push: boolean; reason: string } {
  const run = payload.workflow_run as
    | { event?: string; head_repository?: { full_name?: string } | null; repository?: { full_name?: string } }
    | undefined
  const trigger = run?.event ? ` of ${run.event}` : ''
  const base = run?.repository?.full_name ?? payload.repository?.full_name
  if (isFork(run?.head_repository?.full_name, base)) {
    return { push: false, reason: `workflow_run${trigger} from a fork: build only` }
  }
  return { push: true, reason: `workflow_run${trigger} from this repository` }
}

// A missing head repository (deleted fork) or base is treated as a fork: build only is the safe side.
function isFork(head: string | undefined, base: string | undefined): boolean {
  if (!head || !base) return true
  return head.toLowerCase() !== base.toLowerCase()
}

function forcedPushWarnings(context: WorkflowContext): string[] {
  const pr = context.payload.pull_request
  if (!pr || !isFork(pr.head?.repo?.full_name, pr.base?.repo?.full_name)) return []
  if (context.eventName === 'pull_request_target') {
    return [
      'push: true on a pull_request_target run from a fork publishes code from outside this repository ' +
        "with this repository's credentials; use push: auto unless the workflow checks the code first.",
    ]
  }
  return [
    'push: true on a pull request from a fork: such runs get no secrets, so the push is likely to fail.',
  ]
}

/** `blob-upload`: when the blobs go up. Manifests and tags always wait for the gate. */
export type BlobUploadTiming = 'before-gate' | 'after-gate'

export function parseBlobUpload(text: string): BlobUploadTiming {
  const timing = text.trim().toLowerCase()
  if (timing === '') return 'before-gate'
  if (timing === 'before-gate' || timing === 'after-gate') return timing
  throw new InputError('blob-upload', `expected "before-gate" or "after-gate", got "${text}"`)
}
