import { workflowContext } from '../../../src/github/context.js'

const env = {
  GITHUB_EVENT_NAME: 'pull_request_target',
  GITHUB_REF: 'refs/heads/main',
  GITHUB_SHA: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
  GITHUB_REPOSITORY: 'acme/app',
  GITHUB_RUN_ID: '77',
  GITHUB_RUN_NUMBER: '5',
}

test('pull_request_target names the pull request, not the base branch it runs on', () => {
  expect(workflowContext(env, { number: 42 }).ref).toBe('refs/pull/42/merge')
})

test('other events keep GITHUB_REF', () => {
  expect(workflowContext({ ...env, GITHUB_EVENT_NAME: 'pull_request' }, { number: 42 }).ref).toBe(
    'refs/heads/main',
  )
})

test('reads run numbers and trims a trailing slash from server URLs', () => {
  const context = workflowContext({ ...env, GITHUB_SERVER_URL: 'https://ghe.example/' }, {})
  expect([context.runId, context.runNumber, context.serverUrl]).toEqual([77, 5, 'https://ghe.example'])
  expect(context.apiUrl).toBe('https://api.github.com')
})

test('takes the commit date from the matching pushed commit', () => {
  const payload = {
    commits: [
      { id: 'bbbb', timestamp: '2026-01-01T00:00:00Z' },
      { id: env.GITHUB_SHA, timestamp: '2026-02-03T04:05:06+02:00' },
    ],
  }
  expect(workflowContext(env, payload).commitDate?.toISOString()).toBe('2026-02-03T02:05:06.000Z')
})

test('falls back to head_commit only when it is the built commit', () => {
  const matching = { head_commit: { id: env.GITHUB_SHA, timestamp: '2026-03-01T10:00:00Z' } }
  const other = { head_commit: { id: 'cccc', timestamp: '2026-03-01T10:00:00Z' } }
  expect(workflowContext(env, matching).commitDate?.toISOString()).toBe('2026-03-01T10:00:00.000Z')
  expect(workflowContext(env, other).commitDate).toBeUndefined()
})

describe('DOCKER_METADATA_PR_HEAD_SHA (prHeadSha)', () => {
  const head = 'b'.repeat(40)
  const payload = { number: 42, pull_request: { head: { sha: head } } }

  test('a pull request event takes the head commit instead of GITHUB_SHA', () => {
    expect(workflowContext(env, payload, { prHeadSha: true }).sha).toBe(head)
    expect(
      workflowContext({ ...env, GITHUB_EVENT_NAME: 'pull_request' }, payload, { prHeadSha: true }).sha,
    ).toBe(head)
  })

  test('off, or on another event, GITHUB_SHA stays', () => {
    expect(workflowContext(env, payload).sha).toBe(env.GITHUB_SHA)
    expect(workflowContext({ ...env, GITHUB_EVENT_NAME: 'push' }, payload, { prHeadSha: true }).sha).toBe(
      env.GITHUB_SHA,
    )
  })

  test.each([['not-a-sha'], ['B'.repeat(40)], ['b'.repeat(39)]])(
    'a head sha that is no commit id (%s) is not taken from the payload',
    (sha) => {
      const odd = { pull_request: { head: { sha } } }
      expect(workflowContext(env, odd, { prHeadSha: true }).sha).toBe(env.GITHUB_SHA)
    },
  )
})
