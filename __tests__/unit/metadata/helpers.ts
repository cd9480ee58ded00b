import {
  workflowContext,
  type EventPayload,
  type RepoInfo,
  type WorkflowContext,
} from '../../../src/github/context.js'
import { computeMetadata, type Metadata, type MetadataInputs } from '../../../src/metadata/index.js'

/** A fixed clock, so `created` and `{{date}}` are stable: 2020-01-10 00:30 UTC (09:30 in Tokyo). */
export const NOW = new Date('2020-01-10T00:30:00.000Z')
export const SHA = '860c1904a1ce19322e91ac35af1ab07466440c37'
export const REPO: RepoInfo = {
  name: 'Hello-World',
  description: 'This your first repo!',
  htmlUrl: 'https://github.com/octocat/Hello-World',
  license: 'MIT',
}

/** A run of `event` on `ref`; the payload says the default branch is `master` unless given. */
export function contextFor(
  event: string,
  ref: string,
  payload: EventPayload = { repository: { default_branch: 'master' } },
  sha = SHA,
): WorkflowContext {
  return workflowContext(
    { GITHUB_EVENT_NAME: event, GITHUB_REF: ref, GITHUB_SHA: sha, GITHUB_REPOSITORY: 'octocat/Hello-World' },
    payload,
  )
}

export const NO_INPUTS: MetadataInputs = {
  images: 'user/app',
  tags: '',
  flavor: '',
  labels: '',
  annotations: '',
}

export function meta(
  inputs: Partial<MetadataInputs>,
  context: WorkflowContext,
  annotationLevels?: string[],
  repo: RepoInfo = REPO,
): Metadata {
  return computeMetadata({ ...NO_INPUTS, ...inputs }, context, repo, NOW, annotationLevels)
}

/** The OCI labels for a run of `SHA` with this version, in the order we emit them. */
export function ociLabels(version: string, sha = SHA): string[] {
  return [
    'org.opencontainers.image.title=Hello-World',
    'org.opencontainers.image.description=This your first repo!',
    'org.opencontainers.image.url=https://github.com/octocat/Hello-World',
    'org.opencontainers.image.source=https://github.com/octocat/Hello-World',
    `org.opencontainers.image.version=${version}`,
    'org.opencontainers.image.created=2020-01-10T00:30:00.000Z',
    `org.opencontainers.image.revision=${sha}`,
    'org.opencontainers.image.licenses=MIT',
  ]
}
