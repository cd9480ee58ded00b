// Benchmark for the metadata stage: `npx tsx bench/dry-run.bench.ts`.
// Reports (1) input parsing + tag computation in-process for a 20-rule, 3-image configuration, and
// (2) the whole bundled dry run (`node dist/index.js`) against bare `node -e 0`, measured
// alternately in the same run so the ratio does not depend on how busy the machine is.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { workflowContext } from '../src/github/context.js'
import { computeMetadata } from '../src/metadata/index.js'

const images = [
  'ghcr.io/acme/app',
  'docker.io/acme/app',
  'name=registry.example.com:5000/team/app,enable=true',
]
const tags = [
  'type=schedule',
  "type=schedule,pattern={{date 'YYYYMMDD' tz='Europe/Paris'}}",
  'type=ref,event=branch',
  'type=ref,event=tag',
  'type=ref,event=pr',
  'type=ref,event=branch,suffix=-{{sha}}',
  'type=semver,pattern={{version}}',
  'type=semver,pattern={{major}}.{{minor}}',
  'type=semver,pattern={{major}}',
  'type=semver,pattern=v{{major}}.{{minor}}.{{patch}}',
  'type=pep440,pattern={{version}}',
  'type=match,"pattern=v(\\d+\\.\\d+)",group=1',
  'type=match,pattern=v(\\d+),group=1,suffix=-major',
  'type=edge,branch=main',
  'type=raw,value=stable,enable={{is_default_branch}}',
  "type=raw,value={{branch}}-{{date 'YYYYMMDDHHmm'}}",
  "type=raw,value=build-{{commit_date 'YYYYMMDD'}}",
  'type=sha',
  'type=sha,format=long,prefix=',
  'type=raw,value=custom,priority=1000',
]
const inputs = {
  images: images.join('\n'),
  tags: tags.join('\n'),
  flavor: 'latest=auto\nsuffix=-amd,onlatest=false',
  labels: 'org.opencontainers.image.vendor=Acme\nteam=payments',
  annotations: 'index:org.opencontainers.image.vendor=Acme',
}
const env = {
  GITHUB_EVENT_NAME: 'push',
  GITHUB_REF: 'refs/tags/v1.2.3',
  GITHUB_SHA: '860c1904a1ce19322e91ac35af1ab07466440c37',
  GITHUB_REPOSITORY: 'acme/app',
}
const payload = {
  repository: { name: 'app', html_url: 'https://github.com/acme/app', default_branch: 'main' },
}
const repo = { name: 'app', description: '', htmlUrl: 'https://github.com/acme/app', license: 'MIT' }

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]!
}

function time(run: () => void): number {
  const start = performance.now()
  run()
  return performance.now() - start
}

const context = workflowContext(env, payload)
const computeRuns = Array.from({ length: 300 }, () =>
  time(() => computeMetadata(inputs, context, repo, new Date())),
)

const temp = mkdtempSync(join(tmpdir(), 'bsp-bench-'))
const eventPath = join(temp, 'event.json')
writeFileSync(eventPath, JSON.stringify(payload))
// The runner creates these files before the step starts; the toolkit refuses to write to missing ones.
for (const file of ['output', 'state', 'summary']) writeFileSync(join(temp, file), '')
const actionEnv = {
  PATH: process.env.PATH,
  ...env,
  GITHUB_EVENT_PATH: eventPath,
  GITHUB_OUTPUT: join(temp, 'output'),
  GITHUB_STATE: join(temp, 'state'),
  GITHUB_STEP_SUMMARY: join(temp, 'summary'),
  INPUT_IMAGES: inputs.images,
  INPUT_TAGS: inputs.tags,
  INPUT_FLAVOR: inputs.flavor,
  INPUT_LABELS: inputs.labels,
  INPUT_ANNOTATIONS: inputs.annotations,
  'INPUT_DRY-RUN': 'true',
}
// The runtime GitHub gives the bundle is Node 24; ACTION_NODE points at it as in the tests.
const node = process.env.ACTION_NODE || process.execPath
const bare: number[] = []
const action: number[] = []
for (let i = 0; i < 21; i++) {
  bare.push(time(() => spawnSync(node, ['-e', '0'])))
  action.push(
    time(() => {
      const result = spawnSync(node, ['dist/index.js'], { env: actionEnv })
      if (result.status !== 0) throw new Error(`dry run failed:\n${result.stdout}${result.stderr}`)
    }),
  )
}

const bareMedian = median(bare)
const actionMedian = median(action)
console.log(
  `metadata (parse + compute, 20 rules x 3 images): median ${median(computeRuns).toFixed(3)} ms over ${computeRuns.length} runs`,
)
console.log(`node ${spawnSync(node, ['--version']).stdout.toString().trim()}`)
console.log(`node -e 0:                 median ${bareMedian.toFixed(1)} ms`)
console.log(`node dist/index.js dry run: median ${actionMedian.toFixed(1)} ms`)
console.log(
  `dry run beyond Node start-up: ${(actionMedian - bareMedian).toFixed(1)} ms (target < 50 ms); ratio ${(actionMedian / bareMedian).toFixed(2)}x`,
)
