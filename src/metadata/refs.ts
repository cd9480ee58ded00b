import type { RepoInfo, WorkflowContext } from '../github/context.js'
import { dateHelper, type Scope } from './expressions.js'

/** The branch name of a `refs/heads/…` ref, else ''. */
export function branchOf(ref: string): string {
  return ref.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : ''
}

/** The tag name of a `refs/tags/…` ref, else ''. */
export function tagOf(ref: string): string {
  return ref.startsWith('refs/tags/') ? ref.slice('refs/tags/'.length) : ''
}

/** The number of a `refs/pull/N/merge` ref, else ''. */
export function pullRequestOf(ref: string): string {
  return ref.startsWith('refs/pull/') ? ref.slice('refs/pull/'.length).replace(/\/merge$/, '') : ''
}

/**
 * The default branch: the event's repository says it for nearly every event; the API's answer
 * (when the caller has it) covers the rest, e.g. schedule payloads that carry no repository.
 */
export function defaultBranchOf(context: WorkflowContext, repo: RepoInfo): string | undefined {
  return context.payload.repository?.default_branch || repo.defaultBranch || undefined
}

// These events always run on the default branch's last commit, whatever GITHUB_REF says.
const DEFAULT_BRANCH_EVENTS = new Set(['create', 'discussion', 'discussion_comment', 'issues', 'schedule'])

/**
 * metadata-action's `{{is_default_branch}}`: the ref names the default branch, or the event always
 * runs there. Otherwise a tag or pull-request ref is not the default branch.
 */
export function isDefaultBranch(context: WorkflowContext, repo: RepoInfo): boolean {
  if (context.ref === '') return false
  const branch = branchOf(context.ref)
  if (branch !== '' && branch === defaultBranchOf(context, repo)) return true
  return DEFAULT_BRANCH_EVENTS.has(context.eventName)
}

/** `{{base_ref}}`: the branch a pushed tag came from (when the payload says) or a pull request's target. */
export function baseRefOf(context: WorkflowContext): string {
  if (context.ref.startsWith('refs/tags/') && context.payload.base_ref) {
    return context.payload.base_ref.replace(/^refs\/heads\//, '')
  }
  if (context.ref.startsWith('refs/pull/')) return context.payload.pull_request?.base?.ref ?? ''
  return ''
}

export function shortSha(sha: string, length: number): string {
  return sha.slice(0, length)
}

/** The values of the global expressions for this run. */
export function globalScope(context: WorkflowContext, repo: RepoInfo, now: Date, shaLength: number): Scope {
  const isDefault = isDefaultBranch(context, repo)
  return {
    branch: () => branchOf(context.ref),
    tag: () => tagOf(context.ref),
    sha: () => shortSha(context.sha, shaLength),
    base_ref: () => baseRefOf(context),
    is_default_branch: () => String(isDefault),
    is_not_default_branch: () => String(!isDefault),
    date: dateHelper(now),
    commit_date: dateHelper(context.commitDate ?? now),
  }
}
