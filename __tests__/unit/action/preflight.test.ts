// The checks both the dry run and the real run make right after reading the inputs: what the
// inputs name on the runner, read once and handed on.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { readInputs } from '../../../src/action/inputs.js'
import { checkInputsOnRunner } from '../../../src/action/preflight.js'

let work: string
beforeAll(() => {
  work = mkdtempSync(path.join(os.tmpdir(), 'bsp-preflight-'))
  writeFileSync(path.join(work, 'Dockerfile'), 'FROM scratch\n')
  writeFileSync(path.join(work, 'buildkitd.toml'), '')
  writeFileSync(path.join(work, '.trivyignore'), 'CVE-2024-0001\n')
  mkdirSync(path.join(work, 'sub'))
})
afterAll(() => rmSync(work, { recursive: true, force: true }))

const inputs = (values: Record<string, string>) => readInputs((name) => values[name] ?? '')
const env = () => ({ GITHUB_WORKSPACE: work, RUNNER_TEMP: path.join(work, 'tmp'), TOKEN: 't' })

test('what the inputs name is read once and handed on: the buildkitd config path, the scan files', async () => {
  const checked = await checkInputsOnRunner(
    inputs({
      'buildkitd-config': 'buildkitd.toml',
      trivyignores: '.trivyignore',
      'secret-envs': 'tok=TOKEN',
    }),
    env(),
    work,
  )
  expect(checked.buildkitdConfig).toBe(path.join(work, 'buildkitd.toml'))
  expect(checked.scanFiles.ignores.entries.map((entry) => entry.id)).toEqual(['CVE-2024-0001'])
})

test.each([
  [{ context: 'sub' }, 'Input "file": the context sub has no Dockerfile'],
  [
    { 'secret-envs': 'tok=NOT_SET_ANYWHERE' },
    'Input "secret-envs": "tok" names the environment variable NOT_SET_ANYWHERE, which is not set in this step',
  ],
  [
    { 'buildkitd-config': 'nope.toml' },
    'Input "buildkitd-config": expected a BuildKit config file (buildkitd.toml), but nope.toml does not exist',
  ],
  [{ trivyignores: 'nope/.trivyignore' }, 'Input "trivyignores": cannot read nope/.trivyignore'],
  [{ sarif: '../owned.sarif' }, 'Input "sarif": ../owned.sarif resolves to'],
])('%o fails, naming the input', async (values, message) => {
  await expect(checkInputsOnRunner(inputs(values), env(), work)).rejects.toThrow(message)
})
