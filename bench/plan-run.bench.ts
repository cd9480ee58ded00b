// Benchmark for the plan before any change (`planRun`: the probes of the engine, buildx and skopeo,
// and the decisions on them) against the sandbox: `npx tsx bench/plan-run.bench.ts`.
// With BENCH_BASELINE_SRC set to another copy of src/ (say, `git archive <commit> src` unpacked
// next to a node_modules link), its planRun is timed in the same loop, alternated, so the ratio
// does not depend on how busy the machine is. Nothing is changed: planRun only reads.
import { join, resolve } from 'node:path'
import { performance } from 'node:perf_hooks'
import { loadSandboxEnv } from '../__tests__/e2e/helpers/sandbox-env.js'
import { readInputs } from '../src/action/inputs.js'
import { checkInputsOnRunner, planPush } from '../src/action/preflight.js'
import { workflowContext } from '../src/github/context.js'
import { computeMetadata } from '../src/metadata/index.js'
import type { planRun as PlanRun } from '../src/plan.js'

const rounds = Number(process.env.BENCH_ROUNDS || 21)
const sandbox = loadSandboxEnv()
process.env.DOCKER_HOST = sandbox.dockerHost
process.env.DOCKER_CONFIG = sandbox.dockerConfig

const values: Record<string, string> = {
  images: `${sandbox.plain.host}/bench/plan-run`,
  tags: 'type=raw,value=1.2.3',
  context: 'examples/demo',
  platforms: sandbox.platforms.join(','),
  'registry-auth': `- registry: ${sandbox.plain.host}\n  username: bench\n  password: bench`,
}
const read = (name: string, options?: { trim?: boolean }): string => {
  const value = values[name] ?? ''
  return options?.trim === false ? value : value.trim()
}
const inputs = readInputs(read, process.env)
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
const checked = {
  ...(await checkInputsOnRunner(inputs, process.env, process.cwd())),
  ...planPush(inputs, context, metadata),
}

const plans: Record<string, typeof PlanRun> = {
  bundle: (await import('../src/plan.js')).planRun,
}
if (process.env.BENCH_BASELINE_SRC) {
  const baseline = join(resolve(process.env.BENCH_BASELINE_SRC), 'plan.ts')
  plans.baseline = ((await import(baseline)) as { planRun: typeof PlanRun }).planRun
}

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]!
}

// planRun logs its route and builder: kept out of the figures' output.
async function quietly<T>(work: () => Promise<T>): Promise<T> {
  const write = process.stdout.write.bind(process.stdout)
  process.stdout.write = (() => true) as typeof process.stdout.write
  try {
    return await work()
  } finally {
    process.stdout.write = write
  }
}

const samples: Record<string, number[]> = {}
for (let round = 0; round < rounds; round++) {
  for (const [name, planRun] of Object.entries(plans)) {
    const start = performance.now()
    await quietly(() => planRun(inputs, context, metadata, checked))
    ;(samples[name] ??= []).push(performance.now() - start)
  }
}
process.stdout.write(`planRun against ${sandbox.dockerHost}, medians of ${rounds}\n`)
for (const [name, values] of Object.entries(samples)) {
  const sorted = [...values].sort((a, b) => a - b)
  process.stdout.write(
    `${name.padEnd(10)} ${median(values).toFixed(0).padStart(5)} ms  (min ${sorted[0]!.toFixed(0)}, max ${sorted.at(-1)!.toFixed(0)})\n`,
  )
}
if (samples.baseline) {
  process.stdout.write(
    `bundle / baseline: ${(median(samples.bundle!) / median(samples.baseline)).toFixed(2)}×\n`,
  )
}
