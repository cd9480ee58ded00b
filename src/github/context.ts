import { readFile } from 'node:fs/promises'

/** The parts of a webhook payload this action reads; everything else is passed through untouched. */
export interface EventPayload {
  repository?: RepositoryPayload
  pull_request?: {
    number?: number
    head?: { sha?: string; ref?: string; repo?: { full_name?: string } | null }
    base?: { ref?: string; repo?: { full_name?: string } | null }
  }
  number?: number
  base_ref?: string | null
  commits?: Array<{ id: string; timestamp: string }>
  head_commit?: { id: string; timestamp: string } | null
  [key: string]: unknown
}

export interface RepositoryPayload {
  name?: string
  full_name?: string
  html_url?: string
  description?: string | null
  default_branch?: string
  license?: { spdx_id?: string | null } | null
  owner?: { login?: string }
}

/** Repository facts for the OCI labels; '' when unknown. */
export interface RepoInfo {
  name: string
  description: string
  htmlUrl: string
  license: string
  /** For `type=edge` and `{{is_default_branch}}` when the event payload does not say (schedule). */
  defaultBranch?: string
}

/** What the workflow run tells us about itself: the environment the runner sets, plus the event. */
export interface WorkflowContext {
  eventName: string
  sha: string
  /** `refs/heads/…`, `refs/tags/…` or `refs/pull/N/merge` (also for `pull_request_target`). */
  ref: string
  workflow: string
  actor: string
  runId: number
  runNumber: number
  /** `owner/name` from GITHUB_REPOSITORY. */
  repository: string
  serverUrl: string
  apiUrl: string
  payload: EventPayload
  /** The commit's date when the payload has it; otherwise `undefined` and the caller decides. */
  commitDate: Date | undefined
}

type Env = Record<string, string | undefined>

export interface ContextOptions {
  /** metadata-action's `DOCKER_METADATA_PR_HEAD_SHA`: on pull request events, `sha` is the PR's head commit. */
  prHeadSha?: boolean
}

/** Builds the context from the runner's environment variables and the parsed event payload. */
export function workflowContext(
  env: Env,
  payload: EventPayload,
  options: ContextOptions = {},
): WorkflowContext {
  const eventName = env.GITHUB_EVENT_NAME ?? ''
  const sha = (options.prHeadSha ? pullRequestHeadSha(eventName, payload) : undefined) ?? env.GITHUB_SHA ?? ''
  return {
    eventName,
    sha,
    ref: refFor(eventName, env.GITHUB_REF ?? '', payload),
    workflow: env.GITHUB_WORKFLOW ?? '',
    actor: env.GITHUB_ACTOR ?? '',
    runId: Number(env.GITHUB_RUN_ID ?? 0),
    runNumber: Number(env.GITHUB_RUN_NUMBER ?? 0),
    repository: env.GITHUB_REPOSITORY ?? payload.repository?.full_name ?? '',
    serverUrl: (env.GITHUB_SERVER_URL ?? 'https://github.com').replace(/\/$/, ''),
    apiUrl: (env.GITHUB_API_URL ?? 'https://api.github.com').replace(/\/$/, ''),
    payload,
    commitDate: commitDateFromPayload(sha, payload),
  }
}

/** Reads the event payload the runner wrote to GITHUB_EVENT_PATH (an empty object when there is none). */
export async function loadWorkflowContext(
  env: Env = process.env,
  options: ContextOptions = {},
): Promise<WorkflowContext> {
  const path = env.GITHUB_EVENT_PATH
  const payload = path ? (JSON.parse(await readFile(path, 'utf8')) as EventPayload) : {}
  return workflowContext(env, payload, options)
}

// As metadata-action: every pull_request* event whose payload names a head commit. GITHUB_SHA is
// the merge commit there (or the base branch's head, for pull_request_target). The payload is data
// from outside: only a commit id in hex is taken, anything else leaves GITHUB_SHA.
function pullRequestHeadSha(eventName: string, payload: EventPayload): string | undefined {
  if (!eventName.startsWith('pull_request')) return undefined
  const sha = payload.pull_request?.head?.sha
  return typeof sha === 'string' && /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/.test(sha) ? sha : undefined
}

// pull_request_target runs on the base branch, so GITHUB_REF names the base; tags must name the PR.
function refFor(eventName: string, ref: string, payload: EventPayload): string {
  if (eventName === 'pull_request_target' && payload.number !== undefined) {
    return `refs/pull/${payload.number}/merge`
  }
  return ref
}

function commitDateFromPayload(sha: string, payload: EventPayload): Date | undefined {
  const fromCommits = payload.commits?.find((commit) => commit.id === sha)?.timestamp
  if (fromCommits) return new Date(fromCommits)
  if (payload.head_commit && payload.head_commit.id === sha) return new Date(payload.head_commit.timestamp)
  return undefined
}

/** The workflow run, as a link and an id (signatures and attestations record it). */
export function runOf(context: WorkflowContext): { url: string; id: string } {
  return {
    url: `${context.serverUrl}/${context.repository}/actions/runs/${context.runId}`,
    id: String(context.runId),
  }
}
