// Values from the workflow's inputs and the event (labels, annotations, branch names) reach the
// log; the runner must never read them as workflow commands. The bundle runs as a runner runs it
// (scripts/local-run.mjs, which also hands the post step any `::save-state` line of the main step's
// log, as a runner does); runnerCommands reads the log as the runner would.
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { runAction } from '../../scripts/local-run.mjs'
import { runnerCommands } from '../../scripts/runner-commands.mjs'

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
