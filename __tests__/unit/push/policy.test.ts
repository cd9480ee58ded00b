import { createRequire } from 'node:module'
import { workflowContext, type EventPayload } from '../../../src/github/context.js'
import { decidePush, parseBlobUpload, parsePushMode } from '../../../src/push/policy.js'

// Real webhook payloads recorded by GitHub (@octokit/webhooks-examples). Their pull requests all come
// from a branch of Codertocat/Hello-World itself; the fork case is the same payload with
// pull_request.head.repo.full_name changed to another owner's repository.
const examples = createRequire(import.meta.url)('@octokit/webhooks-examples') as Array<{
  name: string
  examples: EventPayload[]
}>
function example(name: string, action?: string): EventPayload {
  const hook = examples.find((entry) => entry.name === name)!
  const payload = hook.examples.find((entry) => action === undefined || entry.action === action)!
  return structuredClone(payload)
}
function forked(payload: EventPayload): EventPayload {
  payload.pull_request!.head!.repo!.full_name = 'mallory/Hello-World'
  return payload
}

function context(eventName: string, payload: EventPayload, ref = 'refs/heads/main') {
  return workflowContext(
    { GITHUB_EVENT_NAME: eventName, GITHUB_REF: ref, GITHUB_REPOSITORY: 'Codertocat/Hello-World' },
    payload,
  )
}

interface Row {
  event: string
  payload: EventPayload
  ref: string
  push: boolean
  reason: string
}

describe('push: auto', () => {
  const sameRepoPr = example('pull_request', 'opened')
  const workflowRun = example('workflow_run', 'completed')

  test.each<Row>([
    {
      event: 'push',
      payload: example('push'),
      ref: 'refs/heads/main',
      push: true,
      reason: 'push to branch main',
    },
    {
      event: 'push',
      payload: example('push'),
      ref: 'refs/tags/v1.4.9',
      push: true,
      reason: 'push of tag v1.4.9',
    },
    {
      event: 'push',
      payload: { ...example('push'), deleted: true },
      ref: 'refs/heads/gone',
      push: false,
      reason: 'ref deleted: nothing to publish',
    },
    { event: 'schedule', payload: {}, ref: 'refs/heads/main', push: true, reason: 'scheduled run' },
    {
      event: 'workflow_dispatch',
      payload: example('workflow_dispatch'),
      ref: 'refs/heads/main',
      push: true,
      reason: 'manual run (workflow_dispatch)',
    },
    {
      event: 'repository_dispatch',
      payload: example('repository_dispatch'),
      ref: 'refs/heads/main',
      push: true,
      reason: 'repository_dispatch',
    },
    {
      event: 'release',
      payload: example('release', 'published'),
      ref: 'refs/tags/0.0.1',
      push: true,
      reason: 'release published',
    },
    {
      event: 'release',
      payload: example('release', 'deleted'),
      ref: 'refs/tags/0.0.1',
      push: false,
      reason: 'release deleted: build only',
    },
    {
      event: 'pull_request',
      payload: sameRepoPr,
      ref: 'refs/pull/2/merge',
      push: true,
      reason: 'pull request #2 from a branch of this repository',
    },
    {
      event: 'pull_request',
      payload: forked(example('pull_request', 'opened')),
      ref: 'refs/pull/2/merge',
      push: false,
      reason: 'fork pull request: build only',
    },
    {
      event: 'pull_request_target',
      payload: sameRepoPr,
      ref: 'refs/heads/main',
      push: true,
      reason: 'pull request #2 from a branch of this repository',
    },
    {
      event: 'pull_request_target',
      payload: forked(example('pull_request', 'synchronize')),
      ref: 'refs/heads/main',
      push: false,
      reason: 'fork pull request (pull_request_target): build only',
    },
    {
      event: 'merge_group',
      payload: example('merge_group'),
      ref: 'refs/heads/gh-readonly-queue/main/pr-104-929f8209d40f77f4abc622a499c93a83babdbe64',
      push: false,
      reason: 'merge queue check: build only (the merge itself pushes)',
    },
    {
      event: 'workflow_run',
      payload: workflowRun,
      ref: 'refs/heads/main',
      push: true,
      reason: 'workflow_run of workflow_dispatch from this repository',
    },
    {
      event: 'issue_comment',
      payload: example('issue_comment'),
      ref: 'refs/heads/main',
      push: false,
      reason: 'event issue_comment: build only (set push: true to publish)',
    },
  ])('$event at $ref: $reason', ({ event, payload, ref, push, reason }) => {
    expect(decidePush('auto', context(event, payload, ref))).toEqual({ push, reason, warnings: [] })
  })

  test('a pull request whose head repository was deleted is treated as a fork', () => {
    const payload = example('pull_request', 'closed')
    payload.pull_request!.head!.repo = null
    expect(decidePush('auto', context('pull_request', payload)).push).toBe(false)
  })

  test('owner and repository names compare without case, as GitHub treats them', () => {
    const payload = example('pull_request', 'opened')
    payload.pull_request!.head!.repo!.full_name = 'codertocat/hello-world'
    expect(decidePush('auto', context('pull_request', payload)).push).toBe(true)
  })

  test('workflow_run triggered by a fork pull request builds only', () => {
    const payload = structuredClone(workflowRun)
    const run = payload.workflow_run as { event: string; head_repository: { full_name: string } }
    run.event = 'pull_request'
    run.head_repository.full_name = 'mallory/octo-repo'
    expect(decidePush('auto', context('workflow_run', payload))).toEqual({
      push: false,
      reason: 'workflow_run of pull_request from a fork: build only',
      warnings: [],
    })
  })
})

describe('push: true / false', () => {
  test('false never pushes, even for a tag', () => {
    expect(decidePush('false', context('push', example('push'), 'refs/tags/v1.0.0'))).toEqual({
      push: false,
      reason: 'push: false: build only',
      warnings: [],
    })
  })

  test('true pushes a same-repository pull request without a warning', () => {
    expect(decidePush('true', context('pull_request', example('pull_request', 'opened')))).toEqual({
      push: true,
      reason: 'push: true',
      warnings: [],
    })
  })

  test('true on a fork pull request warns that the push will lack secrets', () => {
    const decision = decidePush('true', context('pull_request', forked(example('pull_request', 'opened'))))
    expect(decision.push).toBe(true)
    expect(decision.warnings).toEqual([expect.stringContaining('get no secrets')])
  })

  test("true on pull_request_target from a fork warns that fork code gets this repository's credentials", () => {
    const decision = decidePush(
      'true',
      context('pull_request_target', forked(example('pull_request', 'opened'))),
    )
    expect(decision.warnings).toEqual([
      expect.stringContaining('publishes code from outside this repository'),
    ])
  })
})

describe('parsePushMode', () => {
  test.each([
    ['', 'auto'],
    ['auto', 'auto'],
    ['TRUE', 'true'],
    ['false', 'false'],
  ])('%j → %s', (text, mode) => {
    expect(parsePushMode(text)).toBe(mode)
  })

  test('anything else names the input and the choices', () => {
    expect(() => parsePushMode('yes')).toThrow('Input "push": expected "auto", "true" or "false", got "yes"')
  })
})

describe('parseBlobUpload', () => {
  test.each([
    ['', 'before-gate'],
    ['before-gate', 'before-gate'],
    [' After-Gate ', 'after-gate'],
  ])('%j → %s', (text, timing) => {
    expect(parseBlobUpload(text)).toBe(timing)
  })

  test('anything else names the input and the choices', () => {
    expect(() => parseBlobUpload('before-scan')).toThrow(
      'Input "blob-upload": expected "before-gate" or "after-gate", got "before-scan"',
    )
  })
})
