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
