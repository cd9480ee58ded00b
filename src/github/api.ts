import * as core from '@actions/core'
import type { RepoInfo, WorkflowContext } from './context.js'
import { errorMessage } from '../action/errors.js'

/**
 * Repository facts for the OCI labels. The event payload usually carries them; a few events
 * (schedule, some workflow_run payloads) do not, and then the API is asked when a token is at
 * hand and the network may be used. Never required: an unanswered lookup leaves fields empty.
 */
export async function resolveRepoInfo(
  context: WorkflowContext,
  token: string,
  mayUseNetwork: boolean,
): Promise<RepoInfo> {
  const fromPayload = repoInfoFromPayload(context)
  if (context.payload.repository?.html_url || !token || !mayUseNetwork) return fromPayload
  try {
    const [owner = '', repo = ''] = context.repository.split('/')
    const { data } = await (await octokit(token, context)).rest.repos.get({ owner, repo })
    return {
      name: data.name,
      description: data.description ?? '',
      htmlUrl: data.html_url,
      license: data.license?.spdx_id ?? '',
      defaultBranch: data.default_branch,
    }
  } catch (error) {
    core.warning(`Could not read repository details from the GitHub API: ${errorMessage(error)}`)
    return fromPayload
  }
}

/** The commit date for `{{commit_date}}`: the payload's, else the API's, else `now`. */
export async function resolveCommitDate(
  context: WorkflowContext,
  token: string,
  mayUseNetwork: boolean,
  now: Date,
): Promise<Date> {
  if (context.commitDate) return context.commitDate
  if (!token || !mayUseNetwork || context.sha === '') return now
  try {
    const [owner = '', repo = ''] = context.repository.split('/')
    const { data } = await (
      await octokit(token, context)
    ).rest.repos.getCommit({ owner, repo, ref: context.sha })
    const date = data.commit.committer?.date
    return date ? new Date(date) : now
  } catch (error) {
    core.debug(`Commit date not available from the GitHub API: ${errorMessage(error)}`)
    return now
  }
}

/** What the payload says, with the name and URL derived from GITHUB_REPOSITORY when it is silent. */
export function repoInfoFromPayload(context: WorkflowContext): RepoInfo {
  const repository = context.payload.repository
  const derivedUrl = context.repository ? `${context.serverUrl}/${context.repository}` : ''
  return {
    name: repository?.name ?? context.repository.split('/')[1] ?? '',
    description: repository?.description ?? '',
    htmlUrl: repository?.html_url ?? derivedUrl,
    license: repository?.license?.spdx_id ?? '',
    defaultBranch: repository?.default_branch,
  }
}

// Loaded on first use: most runs never call the API, and the client is most of the start-up time.
async function octokit(token: string, context: WorkflowContext) {
  const { getOctokit } = await import('@actions/github')
  return getOctokit(token, { baseUrl: context.apiUrl })
}
