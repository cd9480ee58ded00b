#!/usr/bin/env node
// Runs the bundled action (dist/index.js) the way a GitHub runner does: inputs as INPUT_* variables,
// the event payload as a file, GITHUB_OUTPUT / GITHUB_STATE / GITHUB_STEP_SUMMARY files in a fresh
// RUNNER_TEMP, then the post step with the state the main step saved (in GITHUB_STATE, or with a
// `::save-state` line in its log, which the runner still honours). Used by `npm run local` and by
// the tests that prove the bundle.
import { spawn } from 'node:child_process'
import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { stateFromLog } from './runner-commands.mjs'

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..')
// GitHub runs the bundle on Node 24 (action.yml `runs.using`); CI points ACTION_NODE at that runtime.
const actionNode = process.env.ACTION_NODE || process.execPath
// The committed bundle by default (`npm run local`); a bundle built elsewhere (`ncc build src/index.ts
// -o DIR`) lets several people test their own builds side by side without rewriting dist/. The
// bundle tests set it to a fresh build of src/ (__tests__/action/current-bundle.mjs), and set
// ACTION_BUNDLE_ERROR instead when src/ could not be bundled: each run then fails with that message.
const bundleDir = resolve(process.env.ACTION_BUNDLE_DIR || join(repoRoot, 'dist'))

/**
 * @typedef {{ code: number | null, stdout: string, stderr: string }} StepResult
 * @typedef {{
 *   inputs?: Record<string, string>,
 *   eventName: string,
 *   payload?: unknown,
 *   env?: Record<string, string>,
 *   runnerTemp?: string,
 * }} RunOptions
 * @typedef {{
 *   main: StepResult,
 *   post: StepResult,
 *   outputs: Record<string, string>,
 *   state: Record<string, string>,
 *   summary: string,
 *   runnerTemp: string,
 * }} RunResult
 */

/** @param {RunOptions} options @returns {Promise<RunResult>} */
export async function runAction({ inputs = {}, eventName, payload = {}, env = {}, runnerTemp }) {
  const temp = runnerTemp ?? (await mkdtemp(join(tmpdir(), 'bsp-runner-')))
  const files = {
    event: join(temp, 'event.json'),
    output: join(temp, 'github_output'),
    state: join(temp, 'github_state'),
    summary: join(temp, 'step_summary.md'),
  }
  await writeFile(files.event, JSON.stringify(payload))
  for (const file of [files.output, files.state, files.summary]) await writeFile(file, '')

  const runnerEnv = {
    ...inheritedEnv(),
    GITHUB_ACTIONS: 'true',
    GITHUB_EVENT_NAME: eventName,
    GITHUB_EVENT_PATH: files.event,
    GITHUB_OUTPUT: files.output,
    GITHUB_STATE: files.state,
    GITHUB_STEP_SUMMARY: files.summary,
    RUNNER_TEMP: temp,
    ...env,
    ...inputVariables(inputs),
  }
  const main = await runNode(runnerEnv)
  // As the runner: `::save-state` lines of either stream as they come, then the file as the step ends.
  const state = {
    ...stateFromLog(`${main.stdout}\n${main.stderr}`),
    ...parseCommandFile(await readFile(files.state, 'utf8')),
  }
  const post = await runNode({ ...runnerEnv, ...stateVariables(state) })
  return {
    main,
    post,
    outputs: parseCommandFile(await readFile(files.output, 'utf8')),
    state,
    summary: await readFile(files.summary, 'utf8'),
    runnerTemp: temp,
  }
}

/**
 * Runs only the post step, with the state a main step saved: what the runner does after a main
 * step that was cancelled half-way.
 * @param {{ state: Record<string, string>, env?: Record<string, string> }} options
 * @returns {Promise<StepResult>}
 */
export async function runPostStep({ state, env = {} }) {
  return runNode({ ...inheritedEnv(), GITHUB_ACTIONS: 'true', ...env, ...stateVariables(state) })
}

// Only what a runner's process would plausibly have; the developer's own GITHUB_*/INPUT_* must not leak in.
function inheritedEnv() {
  const keep = ['PATH', 'HOME', 'DOCKER_HOST', 'DOCKER_CONFIG', 'SSL_CERT_FILE', 'NODE_OPTIONS']
  return Object.fromEntries(
    keep.filter((name) => process.env[name] !== undefined).map((name) => [name, process.env[name]]),
  )
}

/** @param {Record<string, string>} inputs */
function inputVariables(inputs) {
  return Object.fromEntries(
    Object.entries(inputs).map(([name, value]) => [`INPUT_${name.replace(/ /g, '_').toUpperCase()}`, value]),
  )
}

/** @param {Record<string, string>} state */
function stateVariables(state) {
  return Object.fromEntries(Object.entries(state).map(([name, value]) => [`STATE_${name}`, value]))
}

/**
 * Parses a GITHUB_OUTPUT / GITHUB_STATE file: `name<<DELIMITER\nvalue\nDELIMITER` blocks.
 * @param {string} text
 * @returns {Record<string, string>}
 */
export function parseCommandFile(text) {
  /** @type {Record<string, string>} */
  const values = {}
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const match = /^([^<=]+)<<(.+)$/.exec(lines[i] ?? '')
    if (!match) continue
    const [, name, delimiter] = match
    const end = lines.indexOf(delimiter, i + 1)
    values[name] = lines.slice(i + 1, end).join('\n')
    i = end
  }
  return values
}

/** @param {Record<string, string | undefined>} env @returns {Promise<StepResult>} */
function runNode(env) {
  if (process.env.ACTION_BUNDLE_ERROR) return Promise.reject(new Error(process.env.ACTION_BUNDLE_ERROR))
  return new Promise((resolvePromise, reject) => {
    const child = spawn(actionNode, [join(bundleDir, 'index.js')], { env, cwd: repoRoot })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk) => (stdout += chunk))
    child.stderr.on('data', (chunk) => (stderr += chunk))
    child.on('error', reject)
    child.on('close', (code) => resolvePromise({ code, stdout, stderr }))
  })
}

/**
 * `node scripts/local-run.mjs examples/tag-release.json`: an example names the event, its payload
 * file (relative to the example) and the inputs; prints the action's log and its outputs.
 * @param {string} examplePath
 */
async function runExample(examplePath) {
  const example = JSON.parse(await readFile(examplePath, 'utf8'))
  const payload = JSON.parse(await readFile(resolve(dirname(examplePath), example.payload), 'utf8'))
  const result = await runAction({
    eventName: example.eventName,
    payload,
    env: example.env,
    inputs: example.inputs,
  })
  process.stdout.write(result.main.stdout + result.main.stderr)
  process.stdout.write('\n--- outputs ---\n')
  for (const [name, value] of Object.entries(result.outputs)) process.stdout.write(`${name}:\n${value}\n\n`)
  process.stdout.write(`--- post step ---\n${result.post.stdout}${result.post.stderr}`)
  process.exitCode = result.main.code === 0 && result.post.code === 0 ? 0 : 1
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const example = process.argv[2] ?? join(repoRoot, 'examples', 'tag-release.json')
  await runExample(resolve(example))
}
