// Runs the action bundle (a fresh build of src/, see ../../action/current-bundle.mjs) against the
// sandbox the way a runner would: main step, then post step, with the sandbox engine as DOCKER_HOST
// and skopeo/docker found on PATH.
import { randomBytes } from 'node:crypto'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { mkdtemp } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { runAction } from '../../../scripts/local-run.mjs'
import { RegistryClient } from './registry.js'
import { repoRoot, type RegistryEndpoint, type SandboxEnv } from './sandbox-env.js'

export const archProbe = path.join(repoRoot, '__tests__', 'e2e', 'fixtures', 'arch-probe')
export const SHA = '860c1904a1ce19322e91ac35af1ab07466440c37'

export type RunResult = Awaited<ReturnType<typeof runAction>>

/** A repository name no other test (or earlier run) has used. */
export function uniqueRepo(prefix: string): string {
  return `e2e/${prefix}-${randomBytes(4).toString('hex')}`
}

/** A `push` event for refs/tags/<tag> (or a branch when the ref says so). */
export function pushEvent(ref: string): { eventName: string; payload: unknown; env: Record<string, string> } {
  return {
    eventName: 'push',
    payload: {
      ref,
      repository: { full_name: 'acme/app', name: 'app', html_url: 'https://github.com/acme/app' },
    },
    env: { GITHUB_REF: ref },
  }
}

/** A pull_request event whose head branch lives in another repository (a fork). */
export function forkPullRequestEvent(): { eventName: string; payload: unknown; env: Record<string, string> } {
  return {
    eventName: 'pull_request',
    payload: {
      number: 42,
      pull_request: {
        number: 42,
        head: { sha: SHA, ref: 'feature', repo: { full_name: 'mallory/app' } },
        base: { ref: 'main', repo: { full_name: 'acme/app' } },
      },
      repository: { full_name: 'acme/app', name: 'app', html_url: 'https://github.com/acme/app' },
    },
    env: { GITHUB_REF: 'refs/pull/42/merge' },
  }
}

export function registryAuth(...endpoints: Array<RegistryEndpoint & { as?: string }>): string {
  return endpoints
    .map((e) => `- registry: ${e.as ?? e.host}\n  username: ${e.user}\n  password: ${e.password}\n`)
    .join('')
}

export interface BuildPushRun {
  event: { eventName: string; payload: unknown; env: Record<string, string> }
  inputs: Record<string, string>
  /** The run's RUNNER_TEMP; a fresh one by default. */
  runnerTemp?: string
}

export async function runBuildPush(
  env: SandboxEnv,
  { event, inputs, runnerTemp: given }: BuildPushRun,
): Promise<RunResult> {
  const runnerTemp = given ?? (await mkdtemp(path.join(os.tmpdir(), 'bsp-e2e-runner-')))
  return runAction({
    eventName: event.eventName,
    payload: event.payload,
    runnerTemp,
    env: {
      DOCKER_HOST: env.dockerHost,
      // The user's docker config: the action must leave it untouched and isolate its logins.
      DOCKER_CONFIG: env.dockerConfig,
      GITHUB_SHA: SHA,
      GITHUB_REPOSITORY: 'acme/app',
      GITHUB_ACTOR: 'octocat',
      GITHUB_RUN_ID: '1',
      ...event.env,
    },
    inputs: {
      context: archProbe,
      platforms: 'linux/amd64,linux/arm64',
      'build-args': `BASE_IMAGE=${env.baseImage}`,
      'github-token': '',
      // These runs are about building and pushing; the scan gate has its own tests (scan-gate.test.ts).
      scanner: 'none',
      ...inputs,
    },
  })
}

/** The step's log, both streams of both steps. */
export function log(result: RunResult): string {
  return [result.main.stdout, result.main.stderr, result.post.stdout, result.post.stderr].join('\n')
}

/** Every regular file under a directory, recursively, with its content. */
export function filesUnder(dir: string): Array<{ file: string; content: Buffer }> {
  const found: Array<{ file: string; content: Buffer }> = []
  for (const entry of readdirSync(dir)) {
    const file = path.join(dir, entry)
    const stat = statSync(file, { throwIfNoEntry: false })
    if (stat?.isDirectory()) found.push(...filesUnder(file))
    else if (stat?.isFile()) found.push({ file, content: readFileSync(file) })
  }
  return found
}

/** The repository's tags, or none when the registry does not know the repository. */
export async function tagsOf(endpoint: RegistryEndpoint, repo: string): Promise<string[]> {
  const res = await new RegistryClient(endpoint).request('GET', `/v2/${repo}/tags/list`)
  if (res.status === 404) return []
  if (res.status !== 200) throw new Error(`tags of ${endpoint.host}/${repo}: HTTP ${res.status}`)
  return ((JSON.parse(res.body.toString('utf8')) as { tags?: string[] | null }).tags ?? []).sort()
}

export function output(result: RunResult, name: string): string {
  const value = result.outputs[name]
  if (value === undefined) throw new Error(`output ${name} was not written; log:\n${log(result)}`)
  return value
}
