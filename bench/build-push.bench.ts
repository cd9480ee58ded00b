// Benchmark for build + push: `npx tsx bench/build-push.bench.ts` (sandbox up: scripts/sandbox.sh up;
// after `npm run package`, or with ACTION_BUNDLE_DIR naming a bundle built elsewhere, as for
// scripts/local-run.mjs). Measures, alternating in one run so the ratios survive a busy machine:
//  (1) the whole action (bundle, main + post) building linux/amd64+linux/arm64 once and pushing one
//      tag to one registry, against bare `docker buildx build --platform … --push` of the same context;
//  (2) what a second registry adds to the action, against one `skopeo copy` of a layout alone;
//  (3) (1) again for an image with a 64 MiB layer of random bytes, new for every run (so it is built,
//      compressed and uploaded every time, as a changed layer is in CI), against bare buildx alike.
// It measures; it never asserts.
import { spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { runAction } from '../scripts/local-run.mjs'
import { archProbe, pushEvent, registryAuth } from '../__tests__/e2e/helpers/build-push-run.js'
import { loadSandboxEnv, sandboxProcessEnv } from '../__tests__/e2e/helpers/sandbox-env.js'

const env = loadSandboxEnv()
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5)
const platforms = 'linux/amd64,linux/arm64'
const work = mkdtempSync(join(tmpdir(), 'bsp-bench-'))

function repo(): string {
  return `bench/app-${randomBytes(4).toString('hex')}`
}

function sync(file: string, args: string[]): void {
  const result = spawnSync(file, args, { env: sandboxProcessEnv(env), encoding: 'utf8' })
  if (result.status !== 0) throw new Error(`${file} ${args.join(' ')} failed:\n${result.stderr}`)
}

const LARGE_LAYER_BYTES = 64 * 1024 * 1024

/** A fresh context whose image adds one layer of incompressible bytes no earlier run has built. */
function largeContext(): string {
  const dir = mkdtempSync(join(work, 'large-'))
  writeFileSync(
    join(dir, 'Dockerfile'),
    'ARG BASE_IMAGE\nFROM ${BASE_IMAGE}\nCOPY random.bin /random.bin\nRUN uname -m > /arch\n',
  )
  const chunk = 1024 * 1024
  const data = Buffer.concat(Array.from({ length: LARGE_LAYER_BYTES / chunk }, () => randomBytes(chunk)))
  writeFileSync(join(dir, 'random.bin'), data)
  return dir
}

async function ours(registries: number, context = archProbe): Promise<void> {
  const name = repo()
  const hosts = [env.plain, env.tls].slice(0, registries)
  const result = await runAction({
    ...pushEvent('refs/heads/main'),
    env: { DOCKER_HOST: env.dockerHost, DOCKER_CONFIG: env.dockerConfig, GITHUB_REF: 'refs/heads/main' },
    inputs: {
      images: hosts.map((host) => `${host.host}/${name}`).join('\n'),
      tags: 'type=raw,value=bench',
      context,
      platforms,
      'build-args': `BASE_IMAGE=${env.baseImage}`,
      'registry-auth': registryAuth(...hosts),
      // Build and push alone, as the goal compares them; the scan has its own cost.
      scanner: 'none',
    },
  })
  rmSync(result.runnerTemp, { recursive: true, force: true })
  if (result.main.code !== 0) throw new Error(`the action failed:\n${result.main.stdout}`)
}

function bare(context = archProbe): void {
  sync(env.docker, [
    'buildx',
    'build',
    '--platform',
    platforms,
    '--build-arg',
    `BASE_IMAGE=${env.baseImage}`,
    '--tag',
    `${env.plain.host}/${repo()}:bench`,
    '--push',
    context,
  ])
}

const layout = join(work, 'layout')
sync(env.docker, [
  'buildx',
  'build',
  '--platform',
  platforms,
  '--build-arg',
  `BASE_IMAGE=${env.baseImage}`,
  '--output',
  `type=oci,dest=${layout},tar=false`,
  archProbe,
])

function skopeoCopy(): void {
  sync(env.skopeo, [
    'copy',
    '--all',
    '--preserve-digests',
    '--authfile',
    env.authFile,
    `oci:${layout}`,
    `docker://${env.tls.host}/${repo()}:bench`,
  ])
}

async function time(fn: () => unknown): Promise<number> {
  const start = performance.now()
  await fn()
  return performance.now() - start
}

/** Times `fn` on a context made beforehand (making 64 MiB of random bytes is not the build's cost). */
async function timeLarge(fn: (context: string) => unknown): Promise<number> {
  const context = largeContext()
  const elapsed = await time(() => fn(context))
  rmSync(context, { recursive: true, force: true })
  return elapsed
}

const samples: Record<string, number[]> = {
  bare: [],
  ours1: [],
  ours2: [],
  skopeo: [],
  bareLarge: [],
  oursLarge: [],
}
await ours(1) // warm the build cache and the bundle once
for (let round = 0; round < ROUNDS; round++) {
  samples.bare!.push(await time(() => bare()))
  samples.ours1!.push(await time(() => ours(1)))
  samples.ours2!.push(await time(() => ours(2)))
  samples.skopeo!.push(await time(skopeoCopy))
  samples.bareLarge!.push(await timeLarge(bare))
  samples.oursLarge!.push(await timeLarge((context) => ours(1, context)))
}
rmSync(work, { recursive: true, force: true })

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]!
}
const ms = (value: number): string => `${Math.round(value)} ms`
const [bareMs, ours1, ours2, skopeoMs, bareLarge, oursLarge] = [
  'bare',
  'ours1',
  'ours2',
  'skopeo',
  'bareLarge',
  'oursLarge',
].map((k) => median(samples[k]!)) as [number, number, number, number, number, number]
console.log(`medians of ${ROUNDS}, alternated:`)
console.log(`  docker buildx build --push (1 registry, 1 tag)      ${ms(bareMs)}`)
console.log(
  `  the action, build + push + verify + post (1 reg.)    ${ms(ours1)}  (${(ours1 / bareMs).toFixed(2)}×)`,
)
console.log(`  the action with a second registry                   ${ms(ours2)}`)
console.log(`  second registry's added cost                        ${ms(ours2 - ours1)}`)
console.log(
  `  one skopeo copy of the layout alone                 ${ms(skopeoMs)}  (added / copy: ${((ours2 - ours1) / skopeoMs).toFixed(2)}×)`,
)
console.log(`  with a 64 MiB layer of random bytes, new every run:`)
console.log(`  docker buildx build --push (1 registry, 1 tag)      ${ms(bareLarge)}`)
console.log(
  `  the action, build + push + verify + post (1 reg.)    ${ms(oursLarge)}  (${(oursLarge / bareLarge).toFixed(2)}×)`,
)
console.log(
  `  the action's added cost: tiny image ${ms(ours1 - bareMs)}, 64 MiB layer ${ms(oursLarge - bareLarge)}`,
)
