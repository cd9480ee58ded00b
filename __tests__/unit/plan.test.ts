// planRun with the probes runMain started early: it plans from what they found and starts none of
// its own (PATH holds no docker here, so probing again would fail), and their failure is its failure.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { readInputs } from '../../src/action/inputs.js'
import { checkInputsOnRunner, planPush } from '../../src/action/preflight.js'
import { workflowContext } from '../../src/github/context.js'
import { computeMetadata } from '../../src/metadata/index.js'
import { planRun } from '../../src/plan.js'
import { engineFrom, withProbes, type RunnerProbes } from '../../src/runner/capabilities.js'

const fixture = (name: string): string =>
  readFileSync(join(import.meta.dirname, 'runner', 'fixtures', name), 'utf8')
const ok = (name: string) => ({ exitCode: 0, stdout: fixture(name), stderr: '' })

const values: Record<string, string> = {
  images: 'localhost:5000/acme/app',
  tags: 'type=raw,value=1.2.3',
  context: 'examples/demo',
  platforms: 'linux/amd64,linux/arm64',
}
const read = (name: string): string => values[name] ?? ''
const env = { PATH: '/nonexistent', RUNNER_TEMP: '/tmp' }
const inputs = readInputs(read, env)
const context = workflowContext(
  {
    GITHUB_EVENT_NAME: 'push',
    GITHUB_REF: 'refs/heads/main',
    GITHUB_SHA: '860c1904a1ce19322e91ac35af1ab07466440c37',
    GITHUB_REPOSITORY: 'acme/app',
  },
  {},
)
const repo = { name: 'app', description: '', htmlUrl: 'https://github.com/acme/app', license: 'MIT' }
const metadata = computeMetadata(inputs.metadata, context, repo, new Date())

/** What the probes found on the sandbox's engine (containerd image store), as recorded. */
const recorded: RunnerProbes = {
  docker: '/opt/probed/docker',
  buildx: { file: '/opt/probed/docker', prefix: ['buildx'] },
  caps: withProbes(engineFrom(ok('containerd-docker-version.txt')), {
    info: ok('containerd-docker-info.txt'),
    buildxInspect: ok('containerd-buildx-inspect.txt'),
  }),
}

let path: string | undefined
beforeAll(() => {
  path = process.env.PATH
  process.env.PATH = '/nonexistent'
})
afterAll(() => {
  process.env.PATH = path
})

async function checked() {
  return {
    ...(await checkInputsOnRunner(inputs, env, process.cwd())),
    ...planPush(inputs, context, metadata, env),
  }
}

test('probes handed in are what the plan is made of: their docker, their builder', async () => {
  const plan = await planRun(inputs, context, metadata, {
    ...(await checked()),
    probes: Promise.resolve(recorded),
  })
  expect(plan.docker).toBe('/opt/probed/docker')
  expect(plan.buildx).toBe(recorded.buildx)
  expect(plan.builder).toMatchObject({ driver: 'docker', containerdStore: true })
  expect(plan.builderPlan.create).toBe(false)
})

test('probes handed in that failed fail the plan with their error', async () => {
  const before = await checked()
  const failed = Promise.reject(new Error('docker version timed out (the early probe)'))
  await expect(planRun(inputs, context, metadata, { ...before, probes: failed })).rejects.toThrow(
    'docker version timed out (the early probe)',
  )
})

test('without probes handed in, planRun probes itself (and finds no docker on this PATH)', async () => {
  await expect(planRun(inputs, context, metadata, await checked())).rejects.toThrow(
    'docker was not found on PATH',
  )
})
