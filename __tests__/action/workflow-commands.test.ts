// Values from the workflow's inputs and the event (labels, annotations, branch names) reach the
// log; the runner must never read them as workflow commands. And the post step, which deletes a
// directory named in its state, must delete only the one the main step made. The bundle runs as a
// runner runs it (scripts/local-run.mjs, which also hands the post step any `::save-state` line of
// the main step's log, as a runner does); runnerCommands reads the log as the runner would.
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { runAction, runPostStep } from '../../scripts/local-run.mjs'
import { runnerCommands } from '../../scripts/runner-commands.mjs'
import { createWorkspace } from '../../src/runner/workspace.js'

const examples = resolve(dirname(fileURLToPath(import.meta.url)), '../../examples')

async function tagRelease() {
  const spec = JSON.parse(await readFile(resolve(examples, 'tag-release.json'), 'utf8'))
  const payload = JSON.parse(await readFile(resolve(examples, spec.payload), 'utf8'))
  return {
    eventName: spec.eventName as string,
    payload,
    env: spec.env as Record<string, string>,
    inputs: spec.inputs,
  }
}

/** A directory the post step must never delete: named like the step's own, with a file in it. */
async function decoyIn(parent: string, name = 'build-scan-push-decoy'): Promise<string> {
  const decoy = join(parent, name)
  await mkdir(decoy, { recursive: true })
  await writeFile(join(decoy, 'precious.txt'), 'not the action’s to delete\n')
  return decoy
}

test('labels holding ::warning:: and ::save-state lines are logged, never run, and the post step keeps the decoy', async () => {
  const runnerTemp = await mkdtemp(join(tmpdir(), 'bsp-runner-'))
  try {
    const decoy = await decoyIn(runnerTemp)
    const spec = await tagRelease()
    const labels = [
      'org.opencontainers.image.description=from a commit message',
      '::warning::a label became a warning=x',
      `::save-state name=workspace::${decoy}`,
      '  ::error::indented=x',
      `org.example.note=##[save-state name=workspace]${decoy}`,
    ]
    const result = await runAction({
      ...spec,
      runnerTemp,
      inputs: { ...spec.inputs, labels: labels.join('\n'), annotations: `org.example.note=##[warning]x` },
    })
    expect(result.main.code).toBe(0)
    // The outputs keep the values exactly: only the log is made inert.
    expect(result.outputs.labels!.split('\n')).toEqual(expect.arrayContaining(labels.map((l) => l.trim())))

    const log = `${result.main.stdout}\n${result.main.stderr}`
    const commands = runnerCommands(log).map((command) => command.command)
    expect(commands.filter((command) => !['group', 'endgroup'].includes(command))).toEqual([])
    expect(log.split('\n').filter((line) => /^\s*::(warning|error|save-state)/i.test(line))).toEqual([])
    expect(log).not.toContain('##[')

    // The post step got what a runner would hand it: the GITHUB_STATE file and any save-state line.
    expect(result.state.workspace).toBeUndefined()
    expect(result.post.code).toBe(0)
    expect(result.post.stdout).toContain('Nothing to clean up.')
    expect(existsSync(join(decoy, 'precious.txt'))).toBe(true)
  } finally {
    await rm(runnerTemp, { recursive: true, force: true })
  }
})

describe('the post step deletes nothing it cannot prove the main step made', () => {
  let runnerTemp: string
  let elsewhere: string
  beforeEach(async () => {
    runnerTemp = await mkdtemp(join(tmpdir(), 'bsp-runner-'))
    elsewhere = await mkdtemp(join(tmpdir(), 'bsp-elsewhere-'))
  })
  afterEach(async () => {
    await rm(runnerTemp, { recursive: true, force: true })
    await rm(elsewhere, { recursive: true, force: true })
  })

  /** The post step with a state naming `workspace`, as a forged save-state would leave it. */
  function postWith(workspace: string, extra: Record<string, string> = {}) {
    return runPostStep({
      state: {
        phase: 'main',
        workspace,
        registries: '[]',
        logout: 'true',
        builder: '',
        'workspace-marker': 'the saved value',
        ...extra,
      },
      env: { RUNNER_TEMP: runnerTemp },
    })
  }

  test.each([
    [
      'named like ours under RUNNER_TEMP, with no marker file',
      () => decoyIn(runnerTemp),
      /holds no marker file/,
    ],
    ['outside RUNNER_TEMP', () => decoyIn(elsewhere), /not directly under RUNNER_TEMP/],
    [
      'under RUNNER_TEMP, named otherwise',
      () => decoyIn(runnerTemp, 'my-cache'),
      /not named build-scan-push-/,
    ],
    ['two levels under RUNNER_TEMP', () => decoyIn(join(runnerTemp, 'x')), /not directly under RUNNER_TEMP/],
    [
      'RUNNER_TEMP itself',
      async () => (await decoyIn(runnerTemp), runnerTemp),
      /not directly under RUNNER_TEMP/,
    ],
    [
      'named like ours, a file',
      async () => {
        await writeFile(join(runnerTemp, 'build-scan-push-file'), 'x')
        return join(runnerTemp, 'build-scan-push-file')
      },
      /not a directory/,
    ],
  ])('a workspace %s stays, with a warning', async (_what, make, why) => {
    const decoy = await make()
    const post = await postWith(decoy)
    expect(post.code).toBe(0)
    expect(post.stdout).toMatch(new RegExp(`::warning::Not deleting ${decoy}: .*${why.source}`))
    expect(existsSync(decoy)).toBe(true)
  })

  test('a symlink named like ours stays, and so does what it points to, whatever the marker says', async () => {
    const target = await decoyIn(elsewhere)
    await writeFile(join(target, '.build-scan-push-marker'), 'forged')
    const link = join(runnerTemp, 'build-scan-push-link')
    await symlink(target, link)
    const post = await postWith(link, { 'workspace-marker': 'forged' })
    expect(post.stdout).toMatch(/::warning::Not deleting .*build-scan-push-link: .*symbolic link/)
    expect(existsSync(join(target, 'precious.txt'))).toBe(true)
    expect(existsSync(link)).toBe(true)
  })

  test('a state that saved no marker value (a forged workspace) keeps the directory', async () => {
    const decoy = await decoyIn(runnerTemp)
    await writeFile(join(decoy, '.build-scan-push-marker'), '')
    const post = await postWith(decoy, { 'workspace-marker': '' })
    expect(post.stdout).toMatch(/::warning::Not deleting .*: the main step saved no marker value/)
    expect(existsSync(join(decoy, 'precious.txt'))).toBe(true)
  })

  test('a marker that does not match the saved value keeps the directory, logout: false too', async () => {
    const decoy = await decoyIn(runnerTemp)
    await writeFile(join(decoy, '.build-scan-push-marker'), 'someone else’s')
    for (const logout of ['true', 'false']) {
      const post = await postWith(decoy, { logout })
      expect(post.stdout).toMatch(
        /::warning::Not deleting .*: its marker does not hold the value the main step saved/,
      )
      expect(existsSync(join(decoy, 'precious.txt'))).toBe(true)
    }
  })
})

describe('the post step on the directory its main step made', () => {
  let runnerTemp: string
  beforeEach(async () => {
    runnerTemp = await mkdtemp(join(tmpdir(), 'bsp-runner-'))
  })
  afterEach(async () => {
    await rm(runnerTemp, { recursive: true, force: true })
  })

  /** The directory as the main step makes it, with the state it saves. */
  async function mainStepWorkspace(logout: string, builder = '') {
    const workspace = await createWorkspace(
      { RUNNER_TEMP: runnerTemp, DOCKER_CONFIG: join(runnerTemp, 'none') },
      [],
    )
    await mkdir(workspace.secretsDir, { recursive: true })
    await writeFile(join(workspace.secretsDir, 'token'), 'secret')
    const state = {
      phase: 'main',
      workspace: workspace.root,
      'workspace-marker': workspace.marker,
      registries: '[]',
      logout,
      builder,
    }
    return { workspace, state }
  }

  test('deletes it all', async () => {
    const { workspace, state } = await mainStepWorkspace('true')
    const post = await runPostStep({ state, env: { RUNNER_TEMP: runnerTemp } })
    expect(post.code).toBe(0)
    expect(post.stdout).not.toContain('::warning::')
    expect(existsSync(workspace.root)).toBe(false)
  })

  test('with logout: false, keeps the isolated docker config and deletes the rest', async () => {
    const { workspace, state } = await mainStepWorkspace('false')
    const post = await runPostStep({ state, env: { RUNNER_TEMP: runnerTemp } })
    expect(post.code).toBe(0)
    expect(existsSync(join(workspace.dockerConfig, 'config.json'))).toBe(true)
    expect(existsSync(workspace.secretsDir)).toBe(false)
    expect(post.stdout).toContain(`logout: false: kept the isolated docker config ${workspace.dockerConfig}`)
  })

  test('removes no builder it did not name itself, and still deletes the directory', async () => {
    const { workspace, state } = await mainStepWorkspace('true', 'my-own-builder')
    const post = await runPostStep({
      state,
      env: { RUNNER_TEMP: runnerTemp, PATH: dirname(process.execPath) },
    })
    expect(post.code).toBe(0)
    expect(post.stdout).toContain('::warning::Not removing builder my-own-builder: ')
    expect(post.stdout).not.toContain('[command]')
    expect(existsSync(workspace.root)).toBe(false)
  })
})
