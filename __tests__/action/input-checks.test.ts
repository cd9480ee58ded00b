// Bad inputs as a runner would pass them to the bundle: each fails the step with one message naming
// the input, before anything happened, in a dry run and in a real run alike; secrets are never echoed.
import { readdir, readFile } from 'node:fs/promises'
import { createServer, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { runAction } from '../../scripts/local-run.mjs'

// The step's directory (local-run.mjs runs the bundle there): relative paths start from it.
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
const examples = resolve(repoRoot, 'examples')

type Result = Awaited<ReturnType<typeof runAction>>

async function tagRelease() {
  const spec = JSON.parse(await readFile(resolve(examples, 'tag-release.json'), 'utf8'))
  const payload = JSON.parse(await readFile(resolve(examples, spec.payload), 'utf8'))
  return {
    eventName: spec.eventName as string,
    payload,
    env: spec.env as Record<string, string>,
    inputs: spec.inputs,
  }
}

/** The tag-release example (a v1.2.3 tag push: a run that pushes) with these inputs on top. */
async function run(inputs: Record<string, string>, env: Record<string, string> = {}): Promise<Result> {
  const spec = await tagRelease()
  return runAction({ ...spec, env: { ...spec.env, ...env }, inputs: { ...spec.inputs, ...inputs } })
}

/** The step's error lines. */
function errors(result: Result): string[] {
  return result.main.stdout.split('\n').filter((line) => line.startsWith('::error::'))
}

/** Nothing happened: no step directory, no login recorded for the post step, no builder, no output. */
async function expectNothingHappened(result: Result): Promise<void> {
  expect(result.state.workspace).toBeUndefined()
  expect(result.state.registries).toBeUndefined()
  expect(result.state.builder).toBeUndefined()
  expect((await readdir(result.runnerTemp)).filter((entry) => entry.startsWith('build-scan-push-'))).toEqual(
    [],
  )
  expect(result.outputs).toEqual({})
  expect(result.post.stdout).toContain('Nothing to clean up.')
}

// A real run on a runner whose docker is absent (only node's own directory on PATH) must still fail
// on the bad input, naming it: the inputs are checked before anything is probed.
const MODES = [
  ['a dry run', { 'dry-run': 'true' }, {}],
  ['a real run without docker', { 'dry-run': 'false' }, { PATH: dirname(process.execPath) }],
] as const

describe.each(MODES)(
  '%s fails on the bad input first, naming it, and nothing happens',
  (_mode, mode, env) => {
    test.each([
      [{ secrets: '..=x' }, 'secrets', 'expected id=value on each line'],
      [{ 'secret-files': '.=/etc/hostname' }, 'secret-files', '"." is not a secret id'],
      [
        { 'secret-envs': 'aws=AWS-KEY' },
        'secret-envs',
        '"AWS-KEY" (for "aws") is not an environment variable name',
      ],
      [{ platforms: ',' }, 'platforms', '"," lists no platform'],
      [{ 'cache-from': 'garbage' }, 'cache-from', '"garbage" is neither type=<backend>'],
      [{ 'cache-to': 'type=local,src=/tmp/cache' }, 'cache-to', 'type=local needs dest='],
      [{ builder: '--help' }, 'builder', '"--help" is not a builder name'],
      // What the inputs name on the runner (relative to the step's directory, the repository here).
      [{ context: 'nope' }, 'context', 'nope ('],
      [{ file: 'Dockerfile.nope' }, 'file', 'Dockerfile.nope ('],
      [{ 'secret-files': 'npm=nope/.npmrc' }, 'secret-files', 'nope/.npmrc ('],
      [
        { 'secret-envs': 'npm=BSP_NOT_SET' },
        'secret-envs',
        '"npm" names the environment variable BSP_NOT_SET, which is not set',
      ],
      [{ 'buildkitd-config': 'nope.toml' }, 'buildkitd-config', 'expected a BuildKit config file'],
      [{ trivyignores: 'nope/.trivyignore' }, 'trivyignores', 'cannot read nope/.trivyignore'],
      // Files the action writes stay under the workspace or RUNNER_TEMP.
      [
        { sarif: '../../../../tmp/x/owned.sarif' },
        'sarif',
        `../../../../tmp/x/owned.sarif resolves to ${resolve(repoRoot, '../../../../tmp/x/owned.sarif')}, outside the workspace`,
      ],
      // Signing: a demand for a signature with nothing to sign with; cosign 3's flags differ.
      [{ sign: 'true' }, 'sign', '"true" needs a signing identity'],
      [{ 'cosign-version': '3.1.2' }, 'cosign-version', '3.1.2 is not a cosign 2.x release'],
      [{ 'cosign-key': 'cosign.key' }, 'cosign-key', 'expected the text of a PEM private key'],
      // What the push plan refuses: this tag push pushes, and docker.io's entry has no password.
      [
        { 'registry-auth': '- registry: docker.io\n  username: acme\n' },
        'registry-auth[1]',
        'docker.io has a username (acme) but an empty password',
      ],
    ])('%o', async (bad, input, detail) => {
      const result = await run({ ...bad, ...mode }, env)
      expect(result.main.code).toBe(1)
      expect(errors(result)).toEqual([expect.stringContaining(`::error::Input "${input}": ${detail}`)])
      await expectNothingHappened(result)
    })
  },
)

describe('a registry-auth password YAML would read differently', () => {
  test.each([
    ['*Xk9pQ2zz', 'Xk9pQ2zz', 'is a YAML alias'],
    ['&abc def', 'abc def', 'starts with a YAML anchor'],
    ['abc #x9Q', 'x9Q', 'is followed by " #"'],
    ['!tag9Q', 'tag9Q', 'starts with a YAML tag'],
  ])(
    '%s fails the dry run naming the entry and key; the value is masked first and never printed',
    async (password, secret, problem) => {
      const result = await run({
        'registry-auth': `- registry: docker.io\n  username: acme\n  password: ${password}\n`,
      })
      expect(result.main.code).toBe(1)
      expect(errors(result)).toEqual([
        expect.stringContaining(`::error::Input "registry-auth[1]": the value of "password" ${problem}`),
      ])
      const lines = result.main.stdout.split('\n')
      const printed = lines.filter((line) => !line.startsWith('::add-mask::'))
      expect(printed.join('\n')).not.toContain(secret)
      // Masked before the inputs were parsed: the mask comes before the error.
      const mask = lines.findIndex((line) => line.startsWith('::add-mask::') && line.includes(secret))
      expect(mask).toBeGreaterThanOrEqual(0)
      expect(mask).toBeLessThan(lines.findIndex((line) => line.startsWith('::error::')))
      expect(result.outputs).toEqual({})
    },
  )
})

test('cosign-key and cosign-password are masked line by line before anything is parsed', async () => {
  const key =
    '-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\nc2VjcmV0LWtleS1ib2R5\n-----END ENCRYPTED SIGSTORE PRIVATE KEY-----\n'
  const result = await run({
    'cosign-key': key,
    'cosign-password': 'pw-0123',
    sign: 'false',
    'dry-run': 'true',
  })
  expect(result.main.code).toBe(0)
  const lines = result.main.stdout.split('\n')
  expect(lines).toEqual(expect.arrayContaining(['::add-mask::c2VjcmV0LWtleS1ib2R5', '::add-mask::pw-0123']))
  const printed = lines.filter((line) => !line.startsWith('::add-mask::')).join('\n')
  expect(printed).not.toContain('c2VjcmV0LWtleS1ib2R5')
  expect(printed).not.toContain('pw-0123')
  expect(printed).toContain('Sign: no (sign is false)')
})

test('a dry run with an OIDC token says it would sign keyless, and masks the token request', async () => {
  const result = await run(
    { 'dry-run': 'true' },
    {
      ACTIONS_ID_TOKEN_REQUEST_URL: 'https://token.example/x',
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'oidc-req-0123',
    },
  )
  expect(result.main.code).toBe(0)
  expect(result.main.stdout).toContain('::add-mask::oidc-req-0123')
  expect(result.main.stdout).toContain('Sign: yes (keyless, with the job’s OIDC token)')
})

test('a dry run of a fork pull request says it would neither push nor log in, and an empty password is no error there', async () => {
  const spec = await tagRelease()
  const payload = JSON.parse(await readFile(resolve(examples, 'events/pull-request-42.json'), 'utf8'))
  payload.pull_request.head.repo.full_name = 'mallory/app'
  const result = await runAction({
    eventName: 'pull_request',
    payload,
    env: { ...spec.env, GITHUB_REF: 'refs/pull/42/merge' },
    inputs: { ...spec.inputs, 'registry-auth': '- registry: docker.io\n  username: acme\n' },
  })
  expect(result.main.code).toBe(0)
  expect(result.main.stdout).toContain('Push: no (fork pull request: build only)')
  expect(result.main.stdout).toContain(
    'No registry login: this run pushes nothing (fork pull request: build only)',
  )
  expect(errors(result)).toEqual([])
})

test('a real run whose plan fails stops the login check it started: the step ends on the plan’s error, nothing written', async () => {
  // A registry that takes the check's request and never answers: only the stop ends the check
  // before the 2-minute login limit; left running, it would keep the step alive past this test's time.
  const held: ServerResponse[] = []
  const silent = createServer((_request, response) => held.push(response))
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
  try {
    const host = `127.0.0.1:${(silent.address() as AddressInfo).port}`
    const result = await run(
      {
        'dry-run': 'false',
        images: `${host}/acme/app`,
        'registry-auth': `- registry: ${host}\n  username: acme\n  password: pw-0123\n`,
      },
      { PATH: dirname(process.execPath) },
    )
    expect(result.main.code).toBe(1)
    expect(errors(result)).toEqual([expect.stringMatching(/^::error::docker was not found on PATH: /)])
    expect(result.main.stdout).not.toContain('Logged in to')
    expect(result.state.registries).toBeUndefined()
  } finally {
    silent.closeAllConnections()
    await new Promise((resolve) => silent.close(resolve))
  }
})
