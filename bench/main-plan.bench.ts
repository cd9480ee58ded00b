// Benchmark for the main step's fixed cost up to the end of the plan: `npx tsx bench/main-plan.bench.ts`
// (sandbox up). Runs the bundle's main step (`node <bundle>/index.js`, inputs as a runner passes
// them) for a real run that stops at the last check of planRun: `load: true` for two platforms on
// the sandbox's classic-store engine, which loadProblem refuses once every probe has answered. So
// each run pays Node's start, the bundle, the inputs, the metadata, the build-and-push chunk and the
// probes, and changes nothing. Against bare `node -e 0` and, with BENCH_BASELINE_DIR set, a second
// bundle in the same loop (alternated, so the ratio does not depend on how busy the machine is).
// Medians of BENCH_ROUNDS (default 21). It measures; it never asserts.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { performance } from 'node:perf_hooks'
import { archProbe } from '../__tests__/e2e/helpers/build-push-run.js'
import { loadSandboxEnv } from '../__tests__/e2e/helpers/sandbox-env.js'

const sandbox = loadSandboxEnv()
const node = process.env.ACTION_NODE || process.execPath
const rounds = Number(process.env.BENCH_ROUNDS || 21)
const bundles: Record<string, string> = {
  bundle: resolve(process.env.ACTION_BUNDLE_DIR || 'dist'),
  ...(process.env.BENCH_BASELINE_DIR ? { baseline: resolve(process.env.BENCH_BASELINE_DIR) } : {}),
}
const STOPPED_AT_THE_PLAN = 'the engine has the classic image store, which cannot hold a 2-platform image'

const runnerTemp = mkdtempSync(join(tmpdir(), 'bsp-main-plan-bench-'))
const event = join(runnerTemp, 'event.json')
writeFileSync(event, JSON.stringify({ ref: 'refs/tags/v1.2.3' }))
const inputs: Record<string, string> = {
  images: `${sandbox.plain.host}/bench/main-plan`,
  tags: 'type=semver,pattern={{version}}\ntype=semver,pattern={{major}}.{{minor}}',
  context: archProbe,
  platforms: 'linux/amd64,linux/arm64',
  'build-args': `BASE_IMAGE=${sandbox.baseImage}`,
  'github-token': '',
  scanner: 'none',
  load: 'true',
}
const baseEnv: Record<string, string | undefined> = {
  PATH: process.env.PATH,
  HOME: process.env.HOME,
  DOCKER_HOST: sandbox.classicDockerHost,
  DOCKER_CONFIG: sandbox.dockerConfig,
  GITHUB_ACTIONS: 'true',
  GITHUB_EVENT_NAME: 'push',
  GITHUB_EVENT_PATH: event,
  GITHUB_REF: 'refs/tags/v1.2.3',
  GITHUB_SHA: '860c1904a1ce19322e91ac35af1ab07466440c37',
  GITHUB_REPOSITORY: 'acme/app',
  RUNNER_TEMP: runnerTemp,
  ...Object.fromEntries(
    Object.entries(inputs).map(([name, value]) => [`INPUT_${name.toUpperCase()}`, value]),
  ),
}

/** One main step in fresh command files; it must have stopped where the plan refuses the load. */
function mainStep(dir: string): number {
  const files = ['GITHUB_OUTPUT', 'GITHUB_STATE', 'GITHUB_STEP_SUMMARY'].map((name) => {
    const file = join(runnerTemp, name.toLowerCase())
    writeFileSync(file, '')
    return [name, file]
  })
  const env = { ...baseEnv, ...Object.fromEntries(files) }
  const start = performance.now()
  const result = spawnSync(node, [join(dir, 'index.js')], { env, encoding: 'utf8', cwd: resolve('.') })
  const elapsed = performance.now() - start
  if (!result.stdout.includes(STOPPED_AT_THE_PLAN)) {
    throw new Error(`the main step did not stop at the plan:\n${result.stdout}${result.stderr}`)
  }
  return elapsed
}

function timed(args: string[]): number {
  const start = performance.now()
  spawnSync(node, args)
  return performance.now() - start
}

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]!
}

const samples: Record<string, number[]> = {}
const add = (name: string, ms: number): void => {
  ;(samples[name] ??= []).push(ms)
}
for (const dir of Object.values(bundles)) mainStep(dir) // warm the file cache once
for (let round = 0; round < rounds; round++) {
  add('node -e 0', timed(['-e', '0']))
  for (const [name, dir] of Object.entries(bundles)) add(name, mainStep(dir))
}
rmSync(runnerTemp, { recursive: true, force: true })

const floor = median(samples['node -e 0']!)
process.stdout.write(
  `${node} (${spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim()}), main step to the end of the plan, medians of ${rounds}\n`,
)
for (const [name, values] of Object.entries(samples)) {
  const value = median(values)
  const beyond = name === 'node -e 0' ? '' : `  (${(value - floor).toFixed(0)} ms beyond node -e 0)`
  process.stdout.write(`${name.padEnd(12)} ${value.toFixed(0).padStart(5)} ms${beyond}\n`)
}
if (samples.baseline) {
  const ratio = median(samples.bundle!) / median(samples.baseline)
  const saved = median(samples.baseline) - median(samples.bundle!)
  process.stdout.write(`bundle / baseline: ${ratio.toFixed(2)}× (${saved.toFixed(0)} ms less)\n`)
}
