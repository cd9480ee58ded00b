import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createRequire } from 'node:module'
import { workflowContext } from '../../../src/github/context.js'
import { repoInfoFromPayload, resolveCommitDate, resolveRepoInfo } from '../../../src/github/api.js'

// The GitHub API cannot be reached here. The loopback stand-in answers with a repository object
// recorded from GitHub (a real `push` webhook example from @octokit/webhooks-examples), which has
// the same shape as GET /repos/{owner}/{repo}.
const examples = createRequire(import.meta.url)('@octokit/webhooks-examples') as Array<{
  name: string
  examples: Array<{ repository: Record<string, unknown> }>
}>
const recordedRepository = examples.find((hook) => hook.name === 'push')!.examples[0]!.repository

let server: Server
let requests: Array<{ url: string; authorization: string | undefined }>
let apiUrl: string

beforeAll(async () => {
  server = createServer((request, response) => {
    requests.push({ url: request.url ?? '', authorization: request.headers.authorization })
    response.setHeader('content-type', 'application/json')
    response.end(JSON.stringify(recordedRepository))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))
beforeEach(() => {
  requests = []
})

const env = { GITHUB_REPOSITORY: 'acme/app', GITHUB_SHA: 'abc', GITHUB_SERVER_URL: 'https://github.com' }
const repository = {
  name: 'app',
  html_url: 'https://github.com/acme/app',
  description: 'The app',
  license: { spdx_id: 'Apache-2.0' },
}

test('repository details come from the payload when it has them, without asking the API', async () => {
  const context = workflowContext({ ...env, GITHUB_API_URL: apiUrl }, { repository })
  expect(await resolveRepoInfo(context, 'secret-token', true)).toEqual({
    name: 'app',
    description: 'The app',
    htmlUrl: 'https://github.com/acme/app',
    license: 'Apache-2.0',
  })
  expect(requests).toEqual([])
})

test('a payload without a repository asks the API with the token', async () => {
  const context = workflowContext({ ...env, GITHUB_API_URL: apiUrl }, { schedule: '0 3 * * *' })
  const info = await resolveRepoInfo(context, 'secret-token', true)
  expect(info.htmlUrl).toBe(recordedRepository.html_url)
  expect(info.name).toBe(recordedRepository.name)
  expect(requests).toEqual([{ url: '/repos/acme/app', authorization: 'token secret-token' }])
})

test('without the network (dry run) nothing is asked; name and URL come from GITHUB_REPOSITORY', async () => {
  const context = workflowContext({ ...env, GITHUB_API_URL: apiUrl }, { schedule: '0 3 * * *' })
  expect(await resolveRepoInfo(context, 'secret-token', false)).toEqual(
    repoInfoFromPayload(workflowContext(env, {})),
  )
  expect(repoInfoFromPayload(workflowContext(env, {})).htmlUrl).toBe('https://github.com/acme/app')
  expect(requests).toEqual([])
})

test('without the network, a commit date missing from the payload is now', async () => {
  const now = new Date('2026-11-23T00:00:00Z')
  const context = workflowContext({ ...env, GITHUB_API_URL: apiUrl }, {})
  expect(await resolveCommitDate(context, 'secret-token', false, now)).toBe(now)
  expect(requests).toEqual([])
})
