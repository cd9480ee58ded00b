// Benchmark for scaling out (#13): `npx tsx bench/scale-out.bench.ts` (sandbox up, after
// `npm run package` or with ACTION_BUNDLE_DIR, as for build-push.bench.ts). For the same
// linux/amd64 + linux/arm64 image, alternating in one run:
//  (1) `stage: all`: one run builds both platforms and pushes;
//  (2) a `stage: platform` run per platform, each with its own RUNNER_TEMP, then a `stage: merge`
//      run fed their results: timed leg by leg, so the merge's own cost shows (here every run
//      shares one machine, so the legs run one after the other, not side by side as on runners);
// each for the tiny arch-probe image and for one with a 64 MiB layer of random bytes, new for every
// run, whose RUN step hashes those 64 MiB (work QEMU emulates for arm64). The arm64 leg runs under
// QEMU here: its time against the amd64 leg's is about what a native arm runner would save. `scanner: none`, as in build-push.bench.ts. It measures; it never asserts.
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { runAction } from '../scripts/local-run.mjs'
import { archProbe, pushEvent, registryAuth, SHA } from '../__tests__/e2e/helpers/build-push-run.js'
import { loadSandboxEnv } from '../__tests__/e2e/helpers/sandbox-env.js'

const env = loadSandboxEnv()
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3)
const BOTH = 'linux/amd64,linux/arm64'
const work = mkdtempSync(join(tmpdir(), 'bsp-bench-scale-'))
const LARGE_LAYER_BYTES = 64 * 1024 * 1024

/** A fresh context whose image adds one layer of incompressible bytes no earlier run has built. */
function largeContext(): string {
  const dir = mkdtempSync(join(work, 'large-'))
  writeFileSync(
    join(dir, 'Dockerfile'),
    // The RUN hashes the 64 MiB in the platform's own userland: CPU work QEMU must emulate for arm64.
    'ARG BASE_IMAGE\nFROM ${BASE_IMAGE}\nCOPY random.bin /random.bin\nRUN uname -m > /arch && sha256sum /random.bin > /sum\n',
  )
  const chunk = 1024 * 1024
  const data = Buffer.concat(Array.from({ length: LARGE_LAYER_BYTES / chunk }, () => randomBytes(chunk)))
  writeFileSync(join(dir, 'random.bin'), data)
  return dir
}

/** One action run, timed; returns its outputs. */
async function stage(
  name: string,
  context: string,
  inputs: Record<string, string>,
): Promise<{ ms: number; outputs: Record<string, string> }> {
  const start = performance.now()
  const result = await runAction({
    ...pushEvent('refs/heads/main'),
    env: {
      DOCKER_HOST: env.dockerHost,
      DOCKER_CONFIG: env.dockerConfig,
      GITHUB_REF: 'refs/heads/main',
      GITHUB_SHA: SHA,
      GITHUB_RUN_ID: '1',
    },
    inputs: {
      images: `${env.plain.host}/${name}`,
      tags: 'type=raw,value=bench',
      context,
      'build-args': `BASE_IMAGE=${env.baseImage}`,
      'registry-auth': registryAuth(env.plain),
      scanner: 'none',
      ...inputs,
    },
  })
  const ms = performance.now() - start
  rmSync(result.runnerTemp, { recursive: true, force: true })
  if (result.main.code !== 0) throw new Error(`the action failed:\n${result.main.stdout}`)
  return { ms, outputs: result.outputs }
}

const repo = (): string => `bench/scale-${randomBytes(4).toString('hex')}`

async function oneJob(context: string): Promise<number> {
  return (await stage(repo(), context, { platforms: BOTH })).ms
}

async function scaledOut(context: string): Promise<{ amd64: number; arm64: number; merge: number }> {
  const name = repo()
  const amd64 = await stage(name, context, { stage: 'platform', platforms: 'linux/amd64' })
  const arm64 = await stage(name, context, { stage: 'platform', platforms: 'linux/arm64' })
  const results = JSON.stringify({ result_0: amd64.outputs.result, result_1: arm64.outputs.result })
  const merge = await stage(name, context, { stage: 'merge', platforms: BOTH, results })
  return { amd64: amd64.ms, arm64: arm64.ms, merge: merge.ms }
}

async function withContext<T>(large: boolean, fn: (context: string) => Promise<T>): Promise<T> {
  const context = large ? largeContext() : archProbe
  try {
    return await fn(context)
  } finally {
    if (large) rmSync(context, { recursive: true, force: true })
  }
}

type Sizes = 'tiny' | 'large'
const samples: Record<Sizes, { all: number[]; amd64: number[]; arm64: number[]; merge: number[] }> = {
  tiny: { all: [], amd64: [], arm64: [], merge: [] },
  large: { all: [], amd64: [], arm64: [], merge: [] },
}
await oneJob(archProbe) // warm the build cache and the bundle once
for (let round = 0; round < ROUNDS; round++) {
  for (const size of ['tiny', 'large'] as const) {
    const large = size === 'large'
    samples[size].all.push(await withContext(large, oneJob))
    const legs = await withContext(large, scaledOut)
    samples[size].amd64.push(legs.amd64)
    samples[size].arm64.push(legs.arm64)
    samples[size].merge.push(legs.merge)
  }
}
rmSync(work, { recursive: true, force: true })

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] ?? NaN
}
const ms = (value: number): string => `${Math.round(value)} ms`
console.log(`medians of ${ROUNDS}, alternated (scanner none, one registry, one tag):`)
for (const size of ['tiny', 'large'] as const) {
  const [all, amd64, arm64, merge] = (['all', 'amd64', 'arm64', 'merge'] as const).map((k) =>
    median(samples[size][k]),
  ) as [number, number, number, number]
  console.log(size === 'tiny' ? 'tiny image:' : 'with a 64 MiB layer of random bytes, new every run:')
  console.log(`  stage all (both platforms, one run)            ${ms(all)}`)
  console.log(`  leg linux/amd64                                ${ms(amd64)}`)
  console.log(`  leg linux/arm64 (QEMU)                         ${ms(arm64)}`)
  console.log(`  merge                                          ${ms(merge)}`)
  console.log(`  legs one after the other + merge               ${ms(amd64 + arm64 + merge)}`)
  console.log(`  legs side by side (the slower) + merge         ${ms(Math.max(amd64, arm64) + merge)}`)
  console.log(`  arm64 under QEMU beyond the amd64 leg          ${ms(arm64 - amd64)}`)
}
