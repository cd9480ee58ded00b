// What the children of the action get in their environment (#11, item 3), seen from the children
// themselves in one real run on the sandbox: `docker` and `skopeo` on PATH, and the buildx plugin in
// the user's docker config, are probes that write down the environment they were started with and
// then run the real binary; `trivy` is the replaying double, which logs the names of every variable
// it got.
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fakeTrivyOnPath } from '../unit/scan/fake-trivy-on-path.js'
import {
  output,
  pushEvent,
  registryAuth,
  runBuildPush,
  tagsOf,
  uniqueRepo,
  type RunResult,
} from './helpers/build-push-run.js'
import { loadSandboxEnv } from './helpers/sandbox-env.js'

import.meta.jest.setTimeout(300_000)

const env = loadSandboxEnv()

// Values only a leak could carry into a child: each is given to the action in one place only.
const GITHUB_TOKEN = 'ghs_e2eChildEnvGithubToken'
const BUILD_SECRET = 'e2e-child-env-build-secret'
const OIDC_REQUEST_TOKEN = 'e2e-child-env-oidc-request-token'
const RUNTIME_TOKEN = 'e2e-child-env-runtime-token'
// What `secret-envs` names: the build, and the build only, must get it.
const SECRET_ENV_NAME = 'E2E_CHILD_ENV_SECRET'
const SECRET_ENV_VALUE = 'e2e-child-env-secret-env-value'

interface ChildRecord {
  /** The program and its first arguments: "docker version", "docker-buildx build". */
  command: string
  /** The environment as `env` printed it. */
  text: string
  names: string[]
}

/**
 * A probe standing in for `tool` in `binDir`: writes its name and first `headArgs` (1 or 2)
 * arguments and its environment into a new file in `records` (one file each: the probes run side
 * by side, and appends to one log would interleave), then execs `real`.
 */
function writeProbe(binDir: string, tool: string, real: string, records: string, headArgs: 1 | 2 = 2): void {
  const probe = path.join(binDir, tool)
  writeFileSync(
    probe,
    [
      '#!/bin/sh',
      `# TEST PROBE, not ${tool}: writes down the environment this child of the action got, then runs`,
      `# the real ${tool} (${real}) with the same arguments.`,
      `{ printf '### ${tool} %s\\n' ${headArgs === 2 ? '"$1 $2"' : '"$1"'}; env; } > "$(mktemp '${records}/child.XXXXXX')"`,
      `exec '${real}' "$@"`,
      '',
    ].join('\n'),
  )
  chmodSync(probe, 0o755)
}

function readRecords(records: string): ChildRecord[] {
  return readdirSync(records)
    .map((file) => readFileSync(path.join(records, file), 'utf8'))
    .map((record) => {
      const [head = '', ...lines] = record.split('\n')
      const text = lines.join('\n')
      const names = lines.flatMap((line) => /^([A-Za-z_][A-Za-z0-9_.-]*)=/.exec(line)?.[1] ?? [])
      return { command: head.slice(4).trim(), text, names }
    })
}

let work: string
let result: RunResult
let repo: string
let children: ChildRecord[]
let trivyRuns: Array<{ argv: string[]; envKeys: string[]; trivyEnv: Record<string, string> }>

beforeAll(async () => {
  work = mkdtempSync(path.join(os.tmpdir(), 'bsp-e2e-child-env-'))
  const trivy = fakeTrivyOnPath(work)
  const childRecords = path.join(work, 'children')
  mkdirSync(childRecords)
  writeProbe(trivy.binDir, 'docker', env.docker, childRecords)
  // A skopeo that records itself: the action pushes with its own client and must never start one.
  writeProbe(trivy.binDir, 'skopeo', env.skopeo, childRecords)
  // The user's docker config (the sandbox's auths), whose cli-plugins buildx is a probe: the action
  // runs the plugin itself, found where docker would find it, not through `docker buildx`.
  const userConfig = path.join(work, 'docker-config')
  mkdirSync(path.join(userConfig, 'cli-plugins'), { recursive: true })
  copyFileSync(path.join(env.dockerConfig, 'config.json'), path.join(userConfig, 'config.json'))
  const realBuildx = realpathSync(path.join(env.dockerConfig, 'cli-plugins', 'docker-buildx'))
  writeProbe(path.join(userConfig, 'cli-plugins'), 'docker-buildx', realBuildx, childRecords, 1)
  const scanner = trivy.variables({ '*': { json: 'trivy/sl-micro-rancher-5.4-zero-vulns.json' } })
  repo = uniqueRepo('child-env')
  const event = pushEvent('refs/tags/v1.2.3')
  result = await runBuildPush(env, {
    event: {
      ...event,
      env: {
        ...event.env,
        DOCKER_CONFIG: userConfig,
        ...scanner,
        // What the runner gives a JavaScript action, and a `run:` step never sees.
        ACTIONS_RUNTIME_TOKEN: RUNTIME_TOKEN,
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: OIDC_REQUEST_TOKEN,
        ACTIONS_ID_TOKEN_REQUEST_URL: 'http://127.0.0.1:9/oidc',
        [SECRET_ENV_NAME]: SECRET_ENV_VALUE,
      },
    },
    inputs: {
      images: `${env.plain.host}/${repo}`,
      platforms: 'linux/amd64',
      'registry-auth': registryAuth(env.plain),
      'github-token': GITHUB_TOKEN,
      secrets: `build_token=${BUILD_SECRET}`,
      'secret-envs': `from_env=${SECRET_ENV_NAME}`,
      // A gha cache import that cannot connect (a warning, not a failure): buildx reads the
      // runtime token for it from its environment, so the build must get that token, by name.
      'cache-from': 'type=gha,url=http://127.0.0.1:9/,scope=e2e-child-env',
      scanner: 'trivy',
      // The OIDC request above would make `sign: auto` sign keylessly (cosign cannot be fetched
      // here); this test is about what the build, docker and Trivy get.
      sign: 'false',
    },
  })
  children = readRecords(childRecords)
  trivyRuns = readFileSync(trivy.argvLog, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as (typeof trivyRuns)[number])
})

afterAll(() => {
  if (result) rmSync(result.runnerTemp, { recursive: true, force: true })
  rmSync(work, { recursive: true, force: true })
})

test('the run builds, scans and pushes through the probes', async () => {
  expect(result.main.code).toBe(0)
  expect(output(result, 'pushed')).toBe('true')
  expect(await tagsOf(env.plain, repo)).toContain('1.2.3')
  expect(result.post.code).toBe(0)
  const commands = children.map((child) => child.command)
  for (const expected of ['docker version', 'docker-buildx inspect', 'docker-buildx build'])
    expect(commands.some((command) => command.startsWith(expected))).toBe(true)
  // buildx runs as the plugin, never through the docker CLI (its start and metadata call saved).
  expect(commands.filter((command) => command.startsWith('docker buildx'))).toEqual([])
  // The login is the registry client's check, the logout the config's removal: neither starts docker.
  expect(commands.filter((command) => /^docker log(in|out)/.test(command))).toEqual([])
  expect(commands.filter((command) => command.startsWith('skopeo'))).toEqual([])
  expect(trivyRuns.some((run) => run.argv[0] === 'image')).toBe(true)
})

test('no docker child gets an INPUT_* variable, a step command file or a credential', () => {
  const credentials = [env.plain.password, GITHUB_TOKEN, BUILD_SECRET, OIDC_REQUEST_TOKEN]
  for (const child of children) {
    expect({ command: child.command, input: child.names.filter((name) => /^INPUT_/i.test(name)) }).toEqual({
      command: child.command,
      input: [],
    })
    expect(child.names).not.toEqual(expect.arrayContaining(['GITHUB_STATE']))
    expect(child.names).not.toEqual(expect.arrayContaining(['GITHUB_OUTPUT']))
    for (const credential of credentials) expect(child.text).not.toContain(credential)
  }
})

test('only the build gets ACTIONS_* (the runtime token its gha cache needs), and never the OIDC request', () => {
  const withActions = children
    .map((child) => ({
      command: child.command,
      actions: child.names.filter((name) => name.startsWith('ACTIONS_')),
    }))
    .filter((child) => child.actions.length > 0)
  expect(withActions).toEqual([{ command: 'docker-buildx build', actions: ['ACTIONS_RUNTIME_TOKEN'] }])
})

test('the variable secret-envs names reaches the build', () => {
  const build = children.find((child) => child.command === 'docker-buildx build')!
  expect(build.text).toContain(`${SECRET_ENV_NAME}=${SECRET_ENV_VALUE}`)
})

test('Trivy gets no INPUT_* and no ACTIONS_*, and no credential among its TRIVY_* values', () => {
  expect(trivyRuns.length).toBeGreaterThan(0)
  for (const run of trivyRuns) {
    expect(run.envKeys.filter((name) => /^(INPUT_|ACTIONS_)/i.test(name))).toEqual([])
    expect(run.envKeys).not.toEqual(expect.arrayContaining(['GITHUB_STATE']))
    const values = JSON.stringify(run.trivyEnv)
    for (const credential of [env.plain.password, GITHUB_TOKEN, BUILD_SECRET, RUNTIME_TOKEN])
      expect(values).not.toContain(credential)
  }
})
