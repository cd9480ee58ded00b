// Values that reach the log from the workflow's inputs (labels) and from the build itself (what a
// Dockerfile's RUN prints) are never read by the runner as workflow commands, on a real build and
// push against the sandbox; and the post step deletes its own directory, never a decoy, and removes
// no builder it did not create. scripts/local-run.mjs hands the post step what a runner would: the
// GITHUB_STATE file, over any `::save-state` line of the main step's log.
import { spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { runPostStep } from '../../scripts/local-run.mjs'
import { runnerCommands } from '../../scripts/runner-commands.mjs'
import { createWorkspace } from '../../src/runner/workspace.js'
import {
  log,
  output,
  pushEvent,
  registryAuth,
  runBuildPush,
  tagsOf,
  uniqueRepo,
} from './helpers/build-push-run.js'
import { loadSandboxEnv, repoRoot, sandboxProcessEnv } from './helpers/sandbox-env.js'

// The default for every test and hook of this file that names no timeout of its own. Set here, per
// file: jest-circus ignores a project-level testTimeout. Generous, for a loaded 2-core machine.
import.meta.jest.setTimeout(300_000)

const env = loadSandboxEnv()

const commandEcho = path.join(repoRoot, '__tests__', 'e2e', 'fixtures', 'command-echo')

/** Runs docker against the sandbox engine with a given docker config. */
function docker(args: string[], dockerConfig: string): string {
  const result = spawnSync(env.docker, args, {
    env: sandboxProcessEnv(env, { DOCKER_HOST: env.dockerHost, DOCKER_CONFIG: dockerConfig }),
    encoding: 'utf8',
  })
  if (result.status !== 0) throw new Error(`docker ${args.join(' ')}: ${result.stderr}`)
  return result.stdout
}

let runnerTemp: string
beforeEach(async () => {
  runnerTemp = await mkdtemp(path.join(os.tmpdir(), 'bsp-e2e-runner-'))
})
afterEach(async () => {
  await rm(runnerTemp, { recursive: true, force: true })
})

test('a build and push whose labels and Dockerfile print workflow commands runs none; the post step keeps a decoy', async () => {
  const decoy = path.join(runnerTemp, 'build-scan-push-decoy')
  await mkdir(decoy)
  await writeFile(path.join(decoy, 'precious.txt'), 'not the action’s to delete\n')
  const repo = uniqueRepo('commands')
  const labels = [
    '::warning::from a label=x',
    `::save-state name=workspace::${decoy}`,
    `org.example.note=##[save-state name=workspace]${decoy}`,
  ]
  const result = await runBuildPush(env, {
    event: pushEvent('refs/heads/main'),
    runnerTemp,
    inputs: {
      images: `${env.plain.host}/${repo}`,
      context: commandEcho,
      platforms: 'linux/amd64',
      'build-args': `BASE_IMAGE=${env.baseImage}\nNONCE=${randomBytes(8).toString('hex')}`,
      'registry-auth': registryAuth(env.plain),
      labels: labels.join('\n'),
    },
  })
  const everything = log(result)
  expect(result.main.code).toBe(0)
  expect(output(result, 'pushed')).toBe('true')
  expect(await tagsOf(env.plain, repo)).toContain('main')

  // The values were printed (the label list, buildx's argv and its output) but run as nothing.
  expect(everything).toContain('%3A%3Asave-state name=workspace::')
  expect(everything).toContain('--label org.example.note=##%5Bsave-state name=workspace]')
  expect(everything).toMatch(/#\d+ [\d.]+ x ##%5Bsave-state name=builder\]forged-by-the-dockerfile/)
  const hostile = runnerCommands(everything).filter((command) => /from a|decoy|forged/.test(command.line))
  expect(hostile).toEqual([])
  expect(runnerCommands(everything).filter((command) => command.command === 'save-state')).toEqual([])

  // The post step got the main step's own state only, deleted its own directory, and left the decoy.
  expect(result.state.builder).toBeUndefined()
  expect(path.dirname(result.state.workspace!)).toBe(runnerTemp)
  expect(result.post.code).toBe(0)
  expect(result.post.stdout).toContain(`with the credentials for ${env.plain.host}`)
  expect(result.post.stdout).not.toContain('::warning::')
  expect(result.post.stdout).not.toContain('buildx rm')
  expect(existsSync(result.state.workspace!)).toBe(false)
  expect(existsSync(path.join(decoy, 'precious.txt'))).toBe(true)
})

test('a builder state naming a builder the action did not create leaves that builder alone', async () => {
  // The user's docker config, with a builder of their own: the step's isolated config reaches it
  // through the `buildx` directory createWorkspace links, as on a runner.
  const userConfig = path.join(runnerTemp, 'user-docker-config')
  await mkdir(userConfig)
  await symlink(path.join(env.dockerConfig, 'cli-plugins'), path.join(userConfig, 'cli-plugins'))
  const theirs = `users-own-${randomBytes(4).toString('hex')}`
  docker(['buildx', 'create', '--name', theirs, '--driver', 'docker-container'], userConfig)
  try {
    const workspace = await createWorkspace({ RUNNER_TEMP: runnerTemp, DOCKER_CONFIG: userConfig }, [])
    const post = await runPostStep({
      state: {
        phase: 'main',
        workspace: workspace.root,
        'workspace-marker': workspace.marker,
        // What earlier versions read the isolated config from.
        'docker-config': workspace.dockerConfig,
        registries: '[]',
        logout: 'true',
        builder: theirs,
      },
      env: { DOCKER_HOST: env.dockerHost, RUNNER_TEMP: runnerTemp },
    })
    expect(post.code).toBe(0)
    expect(post.stdout).toContain(`::warning::Not removing builder ${theirs}: `)
    expect(post.stdout).not.toContain('buildx rm')
    expect(docker(['buildx', 'ls'], userConfig)).toContain(theirs)
    // The step's own directory is gone all the same.
    expect(existsSync(workspace.root)).toBe(false)
  } finally {
    spawnSync(env.docker, ['buildx', 'rm', theirs], {
      env: sandboxProcessEnv(env, { DOCKER_HOST: env.dockerHost, DOCKER_CONFIG: userConfig }),
    })
  }
})
