// Benchmark for the post step alone: `npx tsx bench/post-step.bench.ts`.
// Runs the bundle's post step (`node <bundle>/index.js` with the state a main step saves) against
// bare `node -e 0`, and, with BENCH_BASELINE_DIR set, against a second bundle in the same loop
// (alternated, so the ratio does not depend on how busy the machine is). Two cases: a main step that
// stopped before making its workspace (nothing to clean up: what loading the code costs), and the
// usual one, a workspace logged into one registry: the logout is the directory's removal, which
// takes the private config and its credentials with it (a baseline bundle from before that change
// runs `docker logout` first). No engine is needed: `docker logout` only edits the private config.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { performance } from 'node:perf_hooks'
import { createWorkspace } from '../src/runner/workspace.js'

const node = process.env.ACTION_NODE || process.execPath
const rounds = Number(process.env.BENCH_ROUNDS || 21)
const bundles: Record<string, string> = {
  bundle: resolve(process.env.ACTION_BUNDLE_DIR || 'dist'),
  ...(process.env.BENCH_BASELINE_DIR ? { baseline: resolve(process.env.BENCH_BASELINE_DIR) } : {}),
}

const runnerTemp = mkdtempSync(join(tmpdir(), 'bsp-post-bench-'))
const stateFile = join(runnerTemp, 'state')
writeFileSync(stateFile, '')
const baseEnv = {
  PATH: process.env.PATH,
  HOME: process.env.HOME,
  GITHUB_ACTIONS: 'true',
  GITHUB_STATE: stateFile,
  RUNNER_TEMP: runnerTemp,
}

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]!
}

function timed(args: string[], env: Record<string, string | undefined>): number {
  const start = performance.now()
  const result = spawnSync(node, args, { env, encoding: 'utf8' })
  const elapsed = performance.now() - start
  if (result.status !== 0 || /::(warning|error)/.test(result.stdout)) {
    throw new Error(`${args.join(' ')} failed (${result.status}):\n${result.stdout}${result.stderr}`)
  }
  return elapsed
}

/** The state the main step leaves when it stopped before making its workspace. */
function nothingState(): Record<string, string> {
  return { STATE_phase: 'main' }
}

/** A fresh workspace, as the main step makes it, logged into one registry. */
async function workspaceState(): Promise<Record<string, string>> {
  const workspace = await createWorkspace({ RUNNER_TEMP: runnerTemp, HOME: process.env.HOME }, [])
  const auth = Buffer.from('bench:bench').toString('base64')
  writeFileSync(workspace.authFile, JSON.stringify({ auths: { 'localhost:5999': { auth } } }))
  return {
    STATE_phase: 'main',
    STATE_workspace: workspace.root,
    'STATE_workspace-marker': workspace.marker,
    STATE_registries: JSON.stringify(['localhost:5999']),
    STATE_logout: 'true',
  }
}

const samples: Record<string, number[]> = {}
const add = (name: string, ms: number): void => {
  ;(samples[name] ??= []).push(ms)
}
for (let round = 0; round < rounds; round++) {
  add('node -e 0', timed(['-e', '0'], baseEnv))
  for (const [name, dir] of Object.entries(bundles)) {
    add(`${name}: nothing to clean up`, timed([join(dir, 'index.js')], { ...baseEnv, ...nothingState() }))
    const state = await workspaceState()
    add(`${name}: workspace, 1 login`, timed([join(dir, 'index.js')], { ...baseEnv, ...state }))
  }
}

const floor = median(samples['node -e 0']!)
process.stdout.write(
  `${node} (${spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim()}), medians of ${rounds}\n`,
)
for (const [name, values] of Object.entries(samples)) {
  const value = median(values)
  const beyond = name === 'node -e 0' ? '' : `  (${(value - floor).toFixed(0)} ms beyond node -e 0)`
  process.stdout.write(`${name.padEnd(40)} ${value.toFixed(0).padStart(5)} ms${beyond}\n`)
}
for (const kind of ['nothing to clean up', 'workspace, 1 login']) {
  const now = samples[`bundle: ${kind}`]
  const before = samples[`baseline: ${kind}`]
  if (!now || !before) continue
  const ratio = median(now) / median(before)
  const beyond = (median(now) - floor) / (median(before) - floor)
  process.stdout.write(
    `${kind}: bundle/baseline ${ratio.toFixed(2)}×, beyond node -e 0 ${beyond.toFixed(2)}×\n`,
  )
}
