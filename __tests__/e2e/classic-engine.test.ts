// The stock GitHub runner's situation, on the sandbox's second engine (classic image store): the
// default `docker` builder cannot export an OCI layout, so the action creates a docker-container
// builder of its own. That builder needs moby/buildkit from Docker Hub, which this machine cannot
// reach: the run must say so clearly, remove the half-created builder and push nothing.
import { spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {
  log,
  pushEvent,
  registryAuth,
  runBuildPush,
  tagsOf,
  uniqueRepo,
  type RunResult,
} from './helpers/build-push-run.js'
import { runPostStep } from '../../scripts/local-run.mjs'
import { createWorkspace, type Workspace } from '../../src/runner/workspace.js'
import { loadSandboxEnv, sandboxProcessEnv, type SandboxEnv } from './helpers/sandbox-env.js'

const sandbox = loadSandboxEnv()
const classic: SandboxEnv = { ...sandbox, dockerHost: sandbox.classicDockerHost }
// The default for every test and hook of this file that names no timeout of its own. Set here, per
// file: jest-circus ignores a project-level testTimeout. Generous, for a loaded 2-core machine.
import.meta.jest.setTimeout(120_000)

/** Runs docker against the classic engine, with the user's docker config (where buildx lists builders) by default. */
function classicDocker(args: string[], dockerConfig = sandbox.dockerConfig): string {
  const result = spawnSync(sandbox.docker, args, {
    env: sandboxProcessEnv(classic, { DOCKER_HOST: classic.dockerHost, DOCKER_CONFIG: dockerConfig }),
    encoding: 'utf8',
  })
  if (result.status !== 0) throw new Error(`docker ${args.join(' ')}: ${result.stderr}`)
  return result.stdout
}

const BUILDX_COMMAND = /^\[command\]\S*docker[- ]buildx (.*)$/

/**
 * The buildx commands runTool echoed that start with `subcommand` (`buildx create`), written as
 * `buildx create …` whether buildx ran as `[command]<docker> buildx …` or as its plugin binary,
 * `[command]…/docker-buildx …`.
 */
function echoed(result: RunResult, subcommand: string): string[] {
  return log(result)
    .split('\n')
    .flatMap((line) => {
      const args = BUILDX_COMMAND.exec(line)?.[1]
      return args === undefined ? [] : [`buildx ${args}`]
    })
    .filter((command) => command.startsWith(subcommand))
}

function createdBuilderName(result: RunResult): string {
  const create = echoed(result, 'buildx create')
  expect(create).toHaveLength(1)
  const name = /--name (build-scan-push-[0-9a-f]{8}) /.exec(create[0]!)?.[1]
  if (!name) throw new Error(`no builder name in ${create[0]}`)
  return name
}

function expectNothingLeft(name: string): void {
  expect(classicDocker(['buildx', 'ls'])).not.toContain(name)
  expect(classicDocker(['ps', '--all', '--format', '{{.Names}}'])).not.toContain(name)
}

describe('classic image store (as on GitHub runners)', () => {
  test('the engine really is on the classic store, and its default builder uses the docker driver', () => {
    expect(
      JSON.stringify(JSON.parse(classicDocker(['info', '--format', '{{json .DriverStatus}}']))),
    ).not.toContain('io.containerd.snapshotter')
    expect(classicDocker(['buildx', 'inspect'])).toMatch(/^Driver:\s+docker$/m)
  })

  test('creates its own docker-container builder, reports the unreachable BuildKit image, removes the builder, pushes nothing', async () => {
    const repo = uniqueRepo('classic')
    const result = await runBuildPush(classic, {
      event: pushEvent('refs/tags/v1.0.0'),
      inputs: {
        images: `${sandbox.plain.host}/${repo}`,
        'registry-auth': registryAuth(sandbox.plain),
      },
    })
    expect(result.main.code).not.toBe(0)
    expect(log(result)).toContain(
      'Builder: a docker-container builder of its own (the default builder uses the docker driver on the ' +
        'classic image store, which cannot export an OCI layout)',
    )
    const name = createdBuilderName(result)
    expect(echoed(result, 'buildx create')).toEqual([
      `buildx create --name ${name} --driver docker-container --driver-opt network=host`,
    ])
    expect(echoed(result, 'buildx inspect --bootstrap')).toEqual([`buildx inspect --bootstrap ${name}`])
    expect(result.main.stdout).toContain(
      '::error::The docker-container builder this action creates could not pull its BuildKit image ' +
        'moby/buildkit:buildx-stable-1: Error response from daemon: Get "https://registry-1.docker.io/v2/"',
    )
    expect(result.main.stdout).toContain('"driver-opts" (image=REGISTRY/moby/buildkit:TAG)')
    // Removed by the main step at once; the post step then has nothing left to remove.
    expect(echoed(result, 'buildx rm')).toEqual([`buildx rm ${name}`])
    expect(result.post.stdout).not.toContain(name)
    expect(echoed(result, 'buildx build')).toEqual([])
    expectNothingLeft(name)
    expect(await tagsOf(sandbox.plain, repo)).toEqual([])
  })

  test('driver-opts and buildkitd-config reach buildx create; the error names the image given', async () => {
    const workspace = mkdtempSync(path.join(os.tmpdir(), 'bsp-e2e-workspace-'))
    writeFileSync(
      path.join(workspace, 'buildkitd.toml'),
      `[registry."${sandbox.plain.host}"]\n  http = true\n`,
    )
    const repo = uniqueRepo('classic-opts')
    const image = `${sandbox.plain.host}/moby/buildkit:not-here`
    const result = await runBuildPush(classic, {
      event: {
        ...pushEvent('refs/tags/v1.0.0'),
        env: { GITHUB_REF: 'refs/tags/v1.0.0', GITHUB_WORKSPACE: workspace },
      },
      inputs: {
        images: `${sandbox.plain.host}/${repo}`,
        'registry-auth': registryAuth(sandbox.plain),
        'driver-opts': `image=${image}\nenv.BUILDKIT_STEP_LOG_MAX_SIZE=10485760`,
        'buildkitd-config': 'buildkitd.toml',
      },
    })
    expect(result.main.code).not.toBe(0)
    const name = createdBuilderName(result)
    expect(echoed(result, 'buildx create')).toEqual([
      `buildx create --name ${name} --driver docker-container --driver-opt network=host --driver-opt ` +
        `image=${image} --driver-opt env.BUILDKIT_STEP_LOG_MAX_SIZE=10485760 --buildkitd-config ` +
        path.join(workspace, 'buildkitd.toml'),
    ])
    expect(result.main.stdout).toContain(`could not pull its BuildKit image ${image}: `)
    expectNothingLeft(name)
    expect(await tagsOf(sandbox.plain, repo)).toEqual([])
  })

  test('a docker-driver builder given in "builder" is not replaced: a clear error before any side effect', async () => {
    const repo = uniqueRepo('classic-given')
    const result = await runBuildPush(classic, {
      event: pushEvent('refs/tags/v1.0.0'),
      inputs: {
        images: `${sandbox.plain.host}/${repo}`,
        'registry-auth': registryAuth(sandbox.plain),
        builder: 'default',
      },
    })
    expect(result.main.code).not.toBe(0)
    expect(result.main.stdout).toContain(
      '::error::The builder "default" uses the docker driver on an engine without the containerd image store',
    )
    expect(log(result)).not.toContain('Logged in to')
    expect(echoed(result, 'buildx create')).toEqual([])
    expect(await tagsOf(sandbox.plain, repo)).toEqual([])
  })

  test('the post step removes a builder the main step left behind (a run cancelled while creating it)', async () => {
    const cancelled = await workspaceOfCancelledRun()
    const { root, dockerConfig } = cancelled.workspace
    const name = `build-scan-push-${randomBytes(4).toString('hex')}`
    classicDocker(['buildx', 'create', '--name', name, '--driver', 'docker-container'], dockerConfig)
    expect(classicDocker(['buildx', 'ls'], dockerConfig)).toContain(name)

    const post = await postStepAfterCancel(cancelled, name)
    expect(post.code).toBe(0)
    expect(post.stdout).toMatch(new RegExp(`^\\[command\\]\\S*docker[- ]buildx rm ${name}$`, 'm'))
    expect(post.stdout).toContain(`Removed builder ${name}`)
    expect(existsSync(root)).toBe(false)
    rmSync(cancelled.runnerTemp, { recursive: true, force: true })
  })

  test('a builder the post step cannot remove is a warning; the credentials are deleted all the same', async () => {
    const cancelled = await workspaceOfCancelledRun()
    const { root, dockerConfig } = cancelled.workspace
    writeFileSync(path.join(dockerConfig, 'config.json'), '{"auths":{}}\n')
    // A name the action could have given, of a builder that was never created.
    const gone = `build-scan-push-${randomBytes(4).toString('hex')}`
    const post = await postStepAfterCancel(cancelled, gone)
    expect(post.code).toBe(0)
    expect(post.stdout).toContain(`::warning::Could not remove builder ${gone}: `)
    expect(post.stdout).not.toContain('Removed builder')
    expect(existsSync(root)).toBe(false)
    rmSync(cancelled.runnerTemp, { recursive: true, force: true })
  })
})

interface CancelledRun {
  runnerTemp: string
  workspace: Workspace
}

/**
 * The step directory a main step cancelled after saving its state would leave: made by the
 * action's own createWorkspace in a RUNNER_TEMP of its own, marker included (the post step deletes
 * nothing else). No user docker config, so buildx keeps its builders in the isolated one.
 */
async function workspaceOfCancelledRun(): Promise<CancelledRun> {
  const runnerTemp = mkdtempSync(path.join(os.tmpdir(), 'bsp-e2e-cancelled-'))
  const workspace = await createWorkspace(
    { RUNNER_TEMP: runnerTemp, DOCKER_CONFIG: path.join(runnerTemp, 'no-user-config') },
    [],
  )
  return { runnerTemp, workspace }
}

/** The post step alone, with the state such a main step saved, against the classic engine. */
function postStepAfterCancel(
  { runnerTemp, workspace }: CancelledRun,
  builder: string,
): ReturnType<typeof runPostStep> {
  return runPostStep({
    state: {
      // What the main step saves first: it tells the post step apart from the main one.
      phase: 'main',
      workspace: workspace.root,
      'workspace-marker': workspace.marker,
      registries: '[]',
      logout: 'true',
      builder,
    },
    env: { DOCKER_HOST: classic.dockerHost, RUNNER_TEMP: runnerTemp },
  })
}
