#!/usr/bin/env node
// `npm run demo`: the whole pipeline of the committed bundle (dist/index.js), main step then post
// step as a runner runs them, on examples/demo against the Docker sandbox: tags from a v1.2.3 tag
// push, a linux/amd64 + linux/arm64 build (arm64 under QEMU), a Trivy scan of each platform, the
// push of the scanned digest to the sandbox registry, the read-back, the logout. Root on Debian 12.
import { execFile, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { appendFile, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises'
import { request } from 'node:https'
import { tmpdir } from 'node:os'
import { delimiter, dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { runAction } from './local-run.mjs'
/* global AbortSignal -- a Node global; the project's eslint config lists only process and console */

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const PLATFORMS = ['linux/amd64', 'linux/arm64']
// A real Trivy report of an image with no findings (see __tests__/fixtures/scanners/PROVENANCE.md).
const CLEAN_REPORT = { json: 'trivy/sl-micro-rancher-5.4-zero-vulns.json' }
const STOP_HINT = 'The sandbox stays up for the next run; stop it with: bash scripts/sandbox.sh down'

/** An error for the user; `log` is the action's log (its tail is shown), saved in `logFile`. */
const fail = (message, log = '', logFile = '') => Object.assign(new Error(message), { log, logFile })
const say = (line) => process.stdout.write(`${line}\n`)

/** `sandbox.sh up` is idempotent (under a second when already up); its messages go to the terminal. */
async function sandboxUp() {
  const child = spawn('bash', [join(repoRoot, 'scripts', 'sandbox.sh'), 'up'], {
    stdio: ['ignore', 'inherit', 'inherit'],
  })
  const code = await new Promise((done, reject) => child.on('error', reject).on('close', done))
  if (code !== 0) throw fail(`scripts/sandbox.sh up failed (exit ${code}); see its messages above`)
}

/** The `export KEY='value'` lines `sandbox.sh up` writes to .sandbox/env, with the keys used here. */
async function readSandboxEnv() {
  const text = await readFile(join(repoRoot, '.sandbox', 'env'), 'utf8')
  const env = Object.fromEntries(
    [...text.matchAll(/^export ([A-Z0-9_]+)='([^']*)'$/gm)].map((m) => m.slice(1)),
  )
  for (const key of ['DOCKER_HOST', 'DOCKER_CONFIG', 'SANDBOX_BASE_IMAGE', 'SANDBOX_PLAIN_PASSWORD'])
    if (!env[key]) throw fail(`.sandbox/env has no ${key}; try: bash scripts/sandbox.sh up`)
  return env
}

/** The Trivy release the action installs when trivy-version is empty, read from the bundle that runs. */
async function pinnedTrivyVersion() {
  const bundle = await readFile(join(repoRoot, 'dist', 'index.js'), 'utf8')
  const match = /DEFAULT_TRIVY_VERSION = '([^']+)'/.exec(bundle)
  if (!match) throw fail('cannot find DEFAULT_TRIVY_VERSION in dist/index.js')
  return match[1]
}

/** The version `trivy --version` prints, or undefined when there is no trivy (5 s at most). */
function trivyOnPathVersion() {
  return new Promise((resolvePromise) =>
    execFile('trivy', ['--version'], { timeout: 5_000 }, (error, stdout) =>
      resolvePromise(error ? undefined : /^Version:\s*v?(\S+)/m.exec(stdout)?.[1]),
    ),
  )
}

/** Whether GitHub answers for the release within 5 s: if not, the action's download would fail. */
function reachable(url) {
  return new Promise((resolvePromise) => {
    // A deadline for the whole request, name lookup included: a silent network must not stall the demo.
    const req = request(url, { method: 'HEAD', signal: AbortSignal.timeout(5_000) }, (res) => {
      res.resume()
      resolvePromise((res.statusCode ?? 500) < 400)
    })
    req.on('error', () => resolvePromise(false))
    req.end()
  })
}

/**
 * Real Trivy when the action can get it: the pinned version already on PATH, or its GitHub release
 * reachable (the action downloads and verifies it). Else the recorded-report double, as `trivy` first
 * on PATH, answering each platform with a clean recorded report so the gate passes.
 */
async function chooseScanner() {
  const version = await pinnedTrivyVersion()
  const none = { env: {}, binDir: undefined, cleanup: async () => undefined }
  if ((await trivyOnPathVersion()) === version) return { ...none, real: true, label: `real Trivy ${version}` }
  const releases = 'https://github.com/aquasecurity/trivy/releases/download'
  if (await reachable(`${releases}/v${version}/trivy_${version}_checksums.txt`))
    return { ...none, real: true, label: `real Trivy ${version} (downloaded)` }
  const binDir = await mkdtemp(join(tmpdir(), 'bsp-demo-trivy-'))
  const double = join(repoRoot, '__tests__', 'fake-scanners', 'trivy-replaying-recorded-reports')
  await symlink(double, join(binDir, 'trivy'))
  return {
    real: false,
    label:
      `the Trivy TEST DOUBLE, not a real scan: real Trivy ${version} cannot be installed here, so ` +
      `__tests__/fake-scanners/trivy-replaying-recorded-reports replayed ${CLEAN_REPORT.json} per platform`,
    binDir,
    env: {
      PATH: `${binDir}${delimiter}${process.env.PATH ?? ''}`,
      FAKE_TRIVY_REPORTS: JSON.stringify(Object.fromEntries(PLATFORMS.map((p) => [p, CLEAN_REPORT]))),
    },
    cleanup: () => rm(binDir, { recursive: true, force: true }),
  }
}

/** The tag-release example of `npm run local`, but really built, scanned and pushed. */
async function runPipeline(sandbox, scanner, image) {
  const example = JSON.parse(await readFile(join(repoRoot, 'examples', 'tag-release.json'), 'utf8'))
  const payload = JSON.parse(await readFile(join(repoRoot, 'examples', example.payload), 'utf8'))
  return runAction({
    eventName: example.eventName,
    payload,
    env: {
      ...example.env,
      DOCKER_HOST: sandbox.DOCKER_HOST,
      DOCKER_CONFIG: sandbox.DOCKER_CONFIG,
      // Runners always set it; the action's Trivy download caches there (kept across demo runs).
      RUNNER_TOOL_CACHE: join(tmpdir(), 'bsp-demo-tool-cache'),
      ...scanner.env,
    },
    inputs: {
      images: image,
      context: join(repoRoot, 'examples', 'demo'),
      platforms: PLATFORMS.join(','),
      'build-args': `BASE_IMAGE=${sandbox.SANDBOX_BASE_IMAGE}`,
      'no-cache': 'true', // else later runs reuse the RUN step's layer and QEMU never runs again
      registry: sandbox.SANDBOX_PLAIN_REGISTRY,
      username: sandbox.SANDBOX_PLAIN_USER,
      password: sandbox.SANDBOX_PLAIN_PASSWORD,
      'github-token': '', // no GitHub API here: the event payload has the repository's details
    },
  })
}

/** What went wrong, unless the main step pushed what it scanned and the post step logged out and cleaned up. */
function problemWith(result, scanner, registry) {
  const { outputs, main, post } = result
  const postLog = post.stdout + post.stderr
  const workspace = result.state.workspace
  const foundAt = /Using trivy \S+ found at (\S+)/.exec(main.stdout)?.[1]
  if (main.code !== 0) return `the main step failed (exit ${main.code})`
  if (scanner.binDir && foundAt !== join(scanner.binDir, 'trivy'))
    return 'the action did not run the Trivy double put on PATH'
  if (outputs['scan-result'] !== 'passed') return `scan result: ${outputs['scan-result']}`
  if (outputs.pushed !== 'true' || !outputs.refs) return 'the image was not pushed'
  if (post.code !== 0) return `the post step failed (exit ${post.code})`
  if (!postLog.includes(`Logged out of ${registry}`)) return 'the post step did not log out'
  if (!workspace || existsSync(workspace) || !postLog.includes(`Removed ${workspace}`))
    return `the post step did not remove the step's directory ${workspace}`
}

/** Both steps' log. A runner hides ::add-mask:: values (the password, base64 user:password); so do we. */
function redacted(result, password) {
  const { main, post } = result
  return [main.stdout, main.stderr, '--- post step ---', post.stdout, post.stderr]
    .join('\n')
    .replace(/^::add-mask::.*$/gm, '::add-mask::***')
    .replaceAll(password, '***')
}

/** "linux/amd64: 0 findings" per platform, from the vulnerabilities output (counts per severity). */
function findings(vulnerabilities) {
  return Object.entries(JSON.parse(vulnerabilities || '{}'))
    .map(([platform, counts]) => {
      const total = Object.values(counts ?? {}).reduce((sum, n) => sum + n, 0)
      return `${platform}: ${counts ? total : 'not scanned'} findings`
    })
    .join(', ')
}

/** The action's own words: the first log line matching `pattern`. */
const logLine = (log, pattern) => log.split('\n').find((line) => pattern.test(line)) ?? '(not in the log)'

function report(result, scanner, log, logFile, seconds) {
  const { outputs } = result
  say('\n=== build-scan-push demo: done ===')
  say(`Scanner:   ${scanner.label}`)
  say(`           action log: ${logLine(log, /^(Using|Installed) trivy /)}`)
  say(`Build:     ${PLATFORMS.join(', ')} from examples/demo; ${logLine(log, /^QEMU: /)}`)
  say(`Scan:      ${outputs['scan-result']} (${findings(outputs.vulnerabilities)})`)
  say(`Digest:    ${outputs.digest} (built once, scanned, pushed, read back)`)
  say('Pushed:')
  for (const ref of outputs.refs.split('\n')) say(`  ${ref}`)
  say(`Post step: exit ${result.post.code}; logged out, removed ${result.state.workspace}`)
  say(`Summary:   ${join(result.runnerTemp, 'step_summary.md')}`)
  say(`Log:       ${logFile}`)
  say(`Took ${seconds}s. ${STOP_HINT}`)
}

async function main() {
  const started = Date.now()
  if (process.getuid?.() !== 0) throw fail('the demo needs root, as the Docker sandbox does')
  say('--- Starting the Docker sandbox: bash scripts/sandbox.sh up (idempotent)')
  await sandboxUp()
  const sandbox = await readSandboxEnv()
  const scanner = await chooseScanner()
  say(`--- Scanner: ${scanner.real ? 'REAL Trivy' : 'Trivy TEST DOUBLE (recorded reports)'}`)
  const image = `${sandbox.SANDBOX_PLAIN_REGISTRY}/demo/app-${randomBytes(4).toString('hex')}`
  say(`--- Running dist/index.js (main step, then post step): ${PLATFORMS.join(' + ')} -> ${image}`)
  try {
    const result = await runPipeline(sandbox, scanner, image)
    const log = redacted(result, sandbox.SANDBOX_PLAIN_PASSWORD)
    const logFile = join(result.runnerTemp, 'action.log')
    await writeFile(logFile, log)
    const problem = problemWith(result, scanner, sandbox.SANDBOX_PLAIN_REGISTRY)
    if (problem) throw fail(problem, log, logFile)
    if (!scanner.real)
      await appendFile(join(result.runnerTemp, 'step_summary.md'), `\n> **demo:** ${scanner.label}\n`)
    report(result, scanner, log, logFile, Math.round((Date.now() - started) / 1000))
  } finally {
    await scanner.cleanup()
  }
}

main().catch((error) => {
  process.stderr.write(`\n=== build-scan-push demo FAILED: ${error.message}\n`)
  if (error.log) {
    const tail = error.log.trimEnd().split('\n').slice(-40).join('\n')
    process.stderr.write(`--- last 40 lines of the action's log (all of it: ${error.logFile}) ---\n${tail}\n`)
  }
  process.stderr.write(`${STOP_HINT}\n`)
  process.exitCode = 1
})
