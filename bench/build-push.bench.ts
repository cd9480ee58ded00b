// Benchmark for issue #17's goals: `npx tsx bench/build-push.bench.ts` (sandbox up: scripts/sandbox.sh
// up; after `npm run package`, or with ACTION_BUNDLE_DIR naming a bundle built elsewhere, as for
// scripts/local-run.mjs). The whole action (main + post step) builds linux/amd64 + linux/arm64 once
// and pushes the tags 1.2.3, 1.2 and latest (a v1.2.3 release), each case against a baseline timed
// in the same loop, alternated, on fresh repositories:
//  - `scanner: none`, one registry, then two (the plain and the TLS sandbox registries), against
//    bare `docker buildx build --platform … --push` with the same tags in the same registries;
//  - `scanner: trivy` with the Trivy double taking FAKE_TRIVY_SCAN_SECONDS per platform, against
//    bare buildx's push followed by the double run once per platform, one after the other, as the
//    action scans (src/scan/run-trivy.ts, scanPlatforms).
// Each case on the tiny arch-probe image and on one with a new 64 MiB layer of random bytes, made
// before each run, so both sides build, compress and upload it every time, as a changed layer is in
// CI. Medians of BENCH_ROUNDS (default 3). It measures; it never asserts.
import { spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { delimiter, join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { runAction } from '../scripts/local-run.mjs'
import { archProbe, pushEvent, registryAuth } from '../__tests__/e2e/helpers/build-push-run.js'
import {
  loadSandboxEnv,
  sandboxProcessEnv,
  type RegistryEndpoint,
} from '../__tests__/e2e/helpers/sandbox-env.js'
import { FAKE_TRIVY } from '../__tests__/unit/scan/fake-trivy-on-path.js'
import { writePlatformLayouts, type PlatformLayout } from '../src/scan/platform-layouts.js'

const env = loadSandboxEnv()
const ROUNDS = Number(process.env.BENCH_ROUNDS || 3)
// Per platform: the two platforms' scans take twice this, about what a small image's Trivy scan
// takes with its DB cached, and more than the 64 MiB upload (about 1 s here).
const SCAN_SECONDS = process.env.BENCH_SCAN_SECONDS || '3'
const platforms = 'linux/amd64,linux/arm64'
const TAGS = ['1.2.3', '1.2', 'latest']
const release = pushEvent('refs/tags/v1.2.3')
const work = mkdtempSync(join(tmpdir(), 'bsp-bench-'))

/** `trivy` on a PATH of its own: the double, replaying a recorded clean report for every platform. */
const trivyBin = join(work, 'bin')
mkdirSync(trivyBin)
symlinkSync(FAKE_TRIVY, join(trivyBin, 'trivy'))
const trivyEnv = {
  FAKE_TRIVY_REPORTS: JSON.stringify({ '*': { json: 'trivy/sl-micro-rancher-5.4-zero-vulns.json' } }),
  FAKE_TRIVY_SCAN_SECONDS: SCAN_SECONDS,
}

function repo(): string {
  return `bench/app-${randomBytes(4).toString('hex')}`
}

function sync(file: string, args: string[], extraEnv: Record<string, string> = {}): void {
  const result = spawnSync(file, args, { env: { ...sandboxProcessEnv(env), ...extraEnv }, encoding: 'utf8' })
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

interface Case {
  registries: RegistryEndpoint[]
  scan: boolean
}

async function ours({ registries, scan }: Case, context: string): Promise<void> {
  const name = repo()
  const result = await runAction({
    ...release,
    env: {
      ...release.env,
      DOCKER_HOST: env.dockerHost,
      DOCKER_CONFIG: env.dockerConfig,
      GITHUB_SHA: '860c1904a1ce19322e91ac35af1ab07466440c37',
      GITHUB_REPOSITORY: 'acme/app',
      ...(scan ? { ...trivyEnv, PATH: `${trivyBin}${delimiter}${process.env.PATH ?? ''}` } : {}),
    },
    inputs: {
      images: registries.map((registry) => `${registry.host}/${name}`).join('\n'),
      // 1.2.3, 1.2 and (flavor latest=auto, the default) latest, as a release's tags usually are.
      tags: 'type=semver,pattern={{version}}\ntype=semver,pattern={{major}}.{{minor}}',
      context,
      platforms,
      'build-args': `BASE_IMAGE=${env.baseImage}`,
      'registry-auth': registryAuth(...registries),
      'github-token': '',
      scanner: scan ? 'trivy' : 'none',
    },
  })
  rmSync(result.runnerTemp, { recursive: true, force: true })
  if (result.main.code !== 0) throw new Error(`the action failed:\n${result.main.stdout}`)
  if (result.outputs.tags?.split('\n').length !== TAGS.length * registries.length) {
    throw new Error(`the action pushed other tags than ${TAGS.join(', ')}:\n${result.outputs.tags}`)
  }
}

// What bare pushes left in the engine's image store (the containerd store keeps what it pushed).
const barePushed: string[] = []

function barePush(registries: RegistryEndpoint[], context: string): void {
  const name = repo()
  const tags = registries.flatMap((registry) =>
    TAGS.map((tag) => ['--tag', `${registry.host}/${name}:${tag}`]),
  )
  barePushed.push(...tags.map(([, reference]) => reference!))
  sync(env.docker, [
    'buildx',
    'build',
    '--platform',
    platforms,
    '--build-arg',
    `BASE_IMAGE=${env.baseImage}`,
    ...tags.flat(),
    '--push',
    context,
  ])
}

// The layouts the baseline's scans read: one per platform of the tiny image, as the action writes them.
const multiLayout = join(work, 'layout')
sync(env.docker, [
  'buildx',
  'build',
  '--platform',
  platforms,
  '--build-arg',
  `BASE_IMAGE=${env.baseImage}`,
  '--output',
  `type=oci,dest=${multiLayout},tar=false`,
  archProbe,
])
const platformLayouts: PlatformLayout[] = await writePlatformLayouts(multiLayout, join(work, 'platforms'))

/** The double once per platform, one after the other: the scan time the action cannot avoid. */
function bareScans(): void {
  for (const layout of platformLayouts) {
    const report = join(work, `report-${layout.platform.replace('/', '-')}.json`)
    sync(
      join(trivyBin, 'trivy'),
      ['image', '--input', layout.dir, '--format', 'json', '--output', report],
      trivyEnv,
    )
  }
}

function bare({ registries, scan }: Case, context: string): void {
  barePush(registries, context)
  if (scan) bareScans()
}

async function time(fn: () => unknown): Promise<number> {
  const start = performance.now()
  await fn()
  return performance.now() - start
}

const CASES: Array<{ label: string; goal?: number; large: boolean } & Case> = [
  { label: 'no scan, 1 registry, tiny image', goal: 1.5, large: false, registries: [env.plain], scan: false },
  {
    label: 'no scan, 1 registry, 64 MiB layer',
    goal: 1.15,
    large: true,
    registries: [env.plain],
    scan: false,
  },
  { label: 'no scan, 2 registries, tiny image', large: false, registries: [env.plain, env.tls], scan: false },
  {
    label: 'no scan, 2 registries, 64 MiB layer',
    large: true,
    registries: [env.plain, env.tls],
    scan: false,
  },
  {
    label: `trivy ${SCAN_SECONDS} s/platform, tiny image`,
    goal: 1.1,
    large: false,
    registries: [env.plain],
    scan: true,
  },
  {
    label: `trivy ${SCAN_SECONDS} s/platform, 64 MiB layer`,
    goal: 1.1,
    large: true,
    registries: [env.plain],
    scan: true,
  },
]

// The sandbox's registry (distribution 2.8) now and then answers buildx's concurrent HEADs of a tag
// it is writing with a 500 ("invalid checksum digest format"); the action retries 5xx answers, bare
// buildx fails. A run that fails so is timed again on a fresh repository (up to 4 times), and counted.
const REGISTRY_HICCUP = /500 Internal Server Error/
let runsRedone = 0

/** Times one side on its own context (making 64 MiB of random bytes is not the build's cost). */
async function timeSide(large: boolean, fn: (context: string) => unknown): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    const context = large ? largeContext() : archProbe
    try {
      return await time(() => fn(context))
    } catch (error) {
      if (attempt === 5 || !REGISTRY_HICCUP.test(String(error))) throw error
      runsRedone++
    } finally {
      if (large) rmSync(context, { recursive: true, force: true })
    }
  }
}

const samples = CASES.map(() => ({ bare: [] as number[], ours: [] as number[] }))
// Warm the build cache, the base image and the bundle once, on both sides.
await ours(CASES[0]!, archProbe)
await timeSide(false, (context) => barePush([env.plain, env.tls], context))
try {
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, entry] of CASES.entries()) {
      samples[i]!.bare.push(await timeSide(entry.large, (context) => bare(entry, context)))
      samples[i]!.ours.push(await timeSide(entry.large, (context) => ours(entry, context)))
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true })
  // Every 64 MiB run leaves its layers in the sandbox engine's build cache: a session of bench runs
  // filled about 48 GB here, and a full disk fails the next build.
  sync(env.docker, ['buildx', 'prune', '--all', '--force'])
  // And every bare push kept its image there too: 500 of them took 11 GB. (None kept: rm says so, ignored.)
  if (barePushed.length > 0)
    spawnSync(env.docker, ['image', 'rm', '--force', ...barePushed], { env: sandboxProcessEnv(env) })
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]!
}
const ms = (value: number): string => `${Math.round(value)} ms`
console.log(`medians of ${ROUNDS}, alternated; tags ${TAGS.join(', ')}; ${platforms}`)
console.log('| case | baseline | the action | ratio | goal | added |')
console.log('| --- | --- | --- | --- | --- | --- |')
for (const [i, entry] of CASES.entries()) {
  const baseline = median(samples[i]!.bare)
  const action = median(samples[i]!.ours)
  const goal = entry.goal === undefined ? '' : `≤ ${entry.goal.toFixed(2)}×`
  console.log(
    `| ${entry.label} | ${ms(baseline)} | ${ms(action)} | ${(action / baseline).toFixed(2)}× | ${goal} | ${ms(action - baseline)} |`,
  )
}
// Every sample, in the order taken: the spread says how far a median of so few can be trusted.
for (const [i, entry] of CASES.entries()) {
  const list = (values: number[]): string => values.map((value) => Math.round(value)).join(', ')
  console.log(`${entry.label}: baseline ${list(samples[i]!.bare)}; the action ${list(samples[i]!.ours)}`)
}
console.log('baseline: bare buildx build --push (same tags, same registries), then for a scan case the')
console.log(`Trivy double run once per platform, one after the other (${SCAN_SECONDS} s each)`)
console.log(`runs timed again after a registry 500: ${runsRedone}`)
