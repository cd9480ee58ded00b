import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { workflowContext, type EventPayload } from '../../../src/github/context.js'
import type { RepoInfo } from '../../../src/github/context.js'
import { computeMetadata } from '../../../src/metadata/index.js'
import { repoInfoFromPayload } from '../../../src/github/api.js'
import { NOW } from './helpers.js'

// Real webhook payloads recorded by GitHub (@octokit/webhooks-examples), with the environment the
// runner sets for each event. Where the collection has no example (schedule, a fork pull request)
// the test says how its payload was made.
const examples = createRequire(import.meta.url)('@octokit/webhooks-examples') as Array<{
  name: string
  examples: EventPayload[]
}>

function example(event: string, index = 0): EventPayload {
  const payload = examples.find((hook) => hook.name === event)?.examples[index]
  if (!payload) throw new Error(`no ${event} example #${index}`)
  return structuredClone(payload)
}

const here = dirname(fileURLToPath(import.meta.url))
// GitHub sends only the cron line (and, lately, the workflow path) for schedule: no repository.
const schedulePayload = JSON.parse(readFileSync(join(here, 'fixtures/schedule.json'), 'utf8')) as EventPayload

const pullRequest = example('pull_request') // #2, Codertocat/Hello-World, `changes` → `master`
// The collection has no fork pull request: the same payload with the head in another repository.
const forkPullRequest: EventPayload = {
  ...pullRequest,
  pull_request: {
    ...pullRequest.pull_request,
    head: { ...pullRequest.pull_request?.head, ref: 'patch-1', repo: { full_name: 'forker/Hello-World' } },
  },
}
const baseSha = (pullRequest.pull_request?.base as { sha: string }).sha // f95f852…, the base branch's head
const tagPush = example('push', 0) // refs/tags/simple-tag, created
// A release-style tag: the same recorded push with its ref renamed.
const versionTagPush = { ...example('push', 0), ref: 'refs/tags/v1.2.3' }
const branchPush = example('push', 4) // refs/heads/master, with its commit
const release = example('release', 0) // published, tag 0.0.1
const dispatch = example('workflow_dispatch', 0) // refs/heads/main of octo-org/octo-repo
const mergeGroup = example('merge_group', 0)
const workflowRun = example('workflow_run', 0) // triggered by main@5779607

const MERGE_SHA = 'f7b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9'
const RUN_SHA = '0123456789abcdef0123456789abcdef01234567'

interface Run {
  env: Record<string, string>
  payload: EventPayload
}

function run(event: string, ref: string, sha: string, payload: EventPayload): Run {
  const repository = payload.repository?.full_name ?? 'octo-org/octo-repo'
  return {
    env: { GITHUB_EVENT_NAME: event, GITHUB_REF: ref, GITHUB_SHA: sha, GITHUB_REPOSITORY: repository },
    payload,
  }
}

const runs: Record<string, Run> = {
  'push to a branch': run('push', branchPush.ref as string, branchPush.after as string, branchPush),
  'push of a tag that is no version': run('push', tagPush.ref as string, tagPush.after as string, tagPush),
  'push of a version tag': run('push', versionTagPush.ref, tagPush.after as string, versionTagPush),
  'pull request': run('pull_request', 'refs/pull/2/merge', MERGE_SHA, pullRequest),
  'pull request from a fork': run('pull_request', 'refs/pull/2/merge', MERGE_SHA, forkPullRequest),
  // pull_request_target runs on the base branch: GITHUB_REF/GITHUB_SHA are the base's.
  pull_request_target: run('pull_request_target', 'refs/heads/master', baseSha, forkPullRequest),
  release: run('release', 'refs/tags/0.0.1', RUN_SHA, release),
  workflow_dispatch: run('workflow_dispatch', dispatch.ref as string, RUN_SHA, dispatch),
  merge_group: run(
    'merge_group',
    (mergeGroup.merge_group as { head_ref: string }).head_ref,
    (mergeGroup.merge_group as { head_sha: string }).head_sha,
    mergeGroup,
  ),
  'workflow_run (runs on the default branch)': run('workflow_run', 'refs/heads/main', RUN_SHA, workflowRun),
  schedule: run('schedule', 'refs/heads/main', RUN_SHA, schedulePayload),
}

function metadataFor(name: string, tags = '', repoOverride?: Partial<RepoInfo>, prHeadSha = false) {
  const { env, payload } = runs[name] ?? run('missing', '', '', {})
  const context = workflowContext(env, payload, { prHeadSha })
  const repo = { ...repoInfoFromPayload(context), ...repoOverride }
  return computeMetadata(
    { images: 'ghcr.io/Acme/App', tags, flavor: '', labels: '', annotations: '' },
    context,
    repo,
    NOW,
  )
}

describe('default tags on recorded webhook payloads', () => {
  test.each([
    ['push to a branch', ['master', 'sha-6113728']],
    ['push of a tag that is no version', ['sha-6113728']],
    ['push of a version tag', ['1.2.3', '1.2', '1', 'latest', 'sha-6113728']],
    ['pull request', ['pr-2', 'sha-f7b1c2d']],
    ['pull request from a fork', ['pr-2', 'sha-f7b1c2d']],
    ['pull_request_target', ['pr-2', 'sha-f95f852']],
    ['release', ['0.0.1', '0.0', 'latest', 'sha-0123456']],
    ['workflow_dispatch', ['main', 'sha-0123456']],
    // metadata-action treats the merge queue's ref as the branch it is.
    [
      'merge_group',
      ['gh-readonly-queue-main-pr-104-929f8209d40f77f4abc622a499c93a83babdbe64', 'sha-2ffea6d'],
    ],
    ['workflow_run (runs on the default branch)', ['main', 'sha-0123456']],
    ['schedule', ['nightly', 'sha-0123456']],
  ])('%s → %j', (name, expected) => {
    const result = metadataFor(name)
    expect(result.tagNames).toEqual(expected)
    expect(result.images).toEqual(['ghcr.io/acme/app'])
    expect(result.references.map((image) => image.reference)).toEqual(
      expected.map((tag) => `ghcr.io/acme/app:${tag}`),
    )
  })
})

describe('DOCKER_METADATA_PR_HEAD_SHA on recorded payloads', () => {
  const headSha = pullRequest.pull_request?.head?.sha as string // ec26c3e…, the branch `changes`

  test.each([
    ['pull request', ['pr-2', 'sha-ec26c3e']],
    ['pull request from a fork', ['pr-2', 'sha-ec26c3e']],
    ['pull_request_target', ['pr-2', 'sha-ec26c3e']],
    // Not a pull request event: GITHUB_SHA as always.
    ['push to a branch', ['master', 'sha-6113728']],
    ['workflow_run (runs on the default branch)', ['main', 'sha-0123456']],
  ])('%s → %j', (name, expected) => {
    expect(metadataFor(name, '', undefined, true).tagNames).toEqual(expected)
  })

  test('names the head commit everywhere the commit appears: sha tags, {{sha}} and the revision label', () => {
    const result = metadataFor(
      'pull request',
      'type=sha,format=long\ntype=raw,value=c-{{sha}}',
      undefined,
      true,
    )
    expect(result.tagNames).toEqual(['c-ec26c3e', `sha-${headSha}`])
    expect(result.labels).toContain(`org.opencontainers.image.revision=${headSha}`)
  })

  test('off, the merge commit GITHUB_SHA names the build, as metadata-action by default', () => {
    expect(metadataFor('pull request', '', undefined, false).labels).toContain(
      `org.opencontainers.image.revision=${MERGE_SHA}`,
    )
  })
})

describe('expressions on recorded payloads', () => {
  const probe = [
    'type=raw,value=b-{{branch}}',
    'type=raw,value=t-{{tag}}',
    'type=raw,value=base-{{base_ref}}',
    'type=raw,value=default,enable={{is_default_branch}}',
    'type=raw,value=not-default,enable={{is_not_default_branch}}',
    "type=raw,value=cd-{{commit_date 'YYYYMMDD-HHmmss'}}",
  ].join('\n')

  test.each([
    // The push carries the commit: its date, not the clock's.
    ['push to a branch', ['b-master', 't-', 'base-', 'default', 'cd-20190515-151925']],
    [
      'push of a tag that is no version',
      ['b-', 't-simple-tag', 'base-', 'not-default', 'cd-20190515-152041'],
    ],
    // A fork's pull request still targets the base repository's branch.
    ['pull request from a fork', ['b-', 't-', 'base-master', 'not-default', 'cd-20200110-003000']],
    ['pull_request_target', ['b-', 't-', 'base-master', 'not-default', 'cd-20200110-003000']],
    ['workflow_dispatch', ['b-main', 't-', 'base-', 'default', 'cd-20200110-003000']],
    [
      'merge_group',
      [
        'b-gh-readonly-queue-main-pr-104-929f8209d40f77f4abc622a499c93a83babdbe64',
        't-',
        'base-',
        'not-default',
        'cd-20200110-003000',
      ],
    ],
    // No repository in a schedule payload, yet it always runs on the default branch.
    ['schedule', ['b-main', 't-', 'base-', 'default', 'cd-20200110-003000']],
  ])('%s', (name, expected) => {
    expect(metadataFor(name, probe).tagNames).toEqual(expected)
  })

  test('type=edge on a schedule run needs the default branch from the API (the payload has none)', () => {
    expect(metadataFor('schedule', 'type=edge').tagNames).toEqual([])
    expect(metadataFor('schedule', 'type=edge').warnings).toContain(
      'type=edge: the default branch is unknown for this event; name it with type=edge,branch=<name>',
    )
    expect(metadataFor('schedule', 'type=edge', { defaultBranch: 'main' }).tagNames).toEqual(['edge'])
  })

  test('type=edge on a dispatch of the default branch', () => {
    expect(metadataFor('workflow_dispatch', 'type=edge').tagNames).toEqual(['edge'])
  })
})

describe('labels from a recorded payload', () => {
  test('the repository of the event describes the image', () => {
    const result = metadataFor('push to a branch')
    expect(result.labels).toEqual([
      'org.opencontainers.image.title=Hello-World',
      'org.opencontainers.image.description=',
      'org.opencontainers.image.url=https://github.com/Codertocat/Hello-World',
      'org.opencontainers.image.source=https://github.com/Codertocat/Hello-World',
      'org.opencontainers.image.version=master',
      'org.opencontainers.image.created=2020-01-10T00:30:00.000Z',
      'org.opencontainers.image.revision=6113728f27ae82c7b1a177c8d03f9e96e0adf246',
      'org.opencontainers.image.licenses=',
    ])
  })
})

describe('event warnings', () => {
  test('workflow_run: the tags describe the default branch, not the run that triggered it', () => {
    expect(metadataFor('workflow_run (runs on the default branch)').warnings).toEqual([
      'workflow_run: tags describe GITHUB_REF "refs/heads/main" (0123456), the default branch the run started ' +
        "on, not the triggering run's main (5779607).",
    ])
  })

  test('an event this action does not know still gets the rules that fit its ref, with a warning', () => {
    const issue = example('issues', 0)
    const context = workflowContext(
      { GITHUB_EVENT_NAME: 'issues', GITHUB_REF: 'refs/heads/master', GITHUB_SHA: RUN_SHA },
      issue,
    )
    const result = computeMetadata(
      { images: 'acme/app', tags: '', flavor: '', labels: '', annotations: '' },
      context,
      repoInfoFromPayload(context),
      NOW,
    )
    expect(result.tagNames).toEqual(['master', 'sha-0123456'])
    expect(result.warnings).toEqual([
      'Event "issues" is not one this action knows (push, pull_request, pull_request_target, schedule, ' +
        'workflow_dispatch, release, merge_group, workflow_run, repository_dispatch, create): tags were computed ' +
        'from GITHUB_REF "refs/heads/master" and GITHUB_SHA alone, so only rules that fit that ref apply.',
    ])
  })

  test('the known events produce no event warning', () => {
    for (const name of Object.keys(runs).filter((name) => !name.startsWith('workflow_run'))) {
      expect(metadataFor(name, 'type=sha').warnings).toEqual([])
    }
  })
})
