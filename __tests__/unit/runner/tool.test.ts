// runTool with real children: what environment they get, what reaches the log, and how a call
// that outlives its deadline is stopped.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { requireTool, runTool, versionOutput } from '../../../src/runner/tool.js'

/** Sets variables in this process's environment for one test, as the runner sets them for the action. */
function withStepEnv(vars: Record<string, string>, run: () => Promise<void>): () => Promise<void> {
  return async () => {
    const before = Object.fromEntries(Object.keys(vars).map((name) => [name, process.env[name]]))
    Object.assign(process.env, vars)
    try {
      await run()
    } finally {
      for (const [name, value] of Object.entries(before)) {
        if (value === undefined) Reflect.deleteProperty(process.env, name)
        else process.env[name] = value
      }
    }
  }
}

/** The environment a child started by runTool sees, as `env` prints it. */
async function childSees(options: Parameters<typeof runTool>[2] = {}): Promise<Record<string, string>> {
  const result = await runTool(await requireTool('env'), [], { silent: true, ...options })
  expect(result.exitCode).toBe(0)
  return Object.fromEntries(
    result.stdout
      .split('\n')
      .filter((line) => line.includes('='))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  )
}

const STEP_ENV = {
  'INPUT_REGISTRY-AUTH': '- registry: ghcr.io\n  username: u\n  password: hunter2',
  INPUT_PASSWORD: 'hunter2',
  'INPUT_GITHUB-TOKEN': 'ghs_inputtoken',
  INPUT_SECRETS: 'token=build-secret',
  ACTIONS_RUNTIME_TOKEN: 'runtime-token',
  ACTIONS_CACHE_URL: 'https://cache.example/',
  ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'oidc-request-token',
  ACTIONS_ID_TOKEN_REQUEST_URL: 'https://oidc.example/',
  GITHUB_STATE: '/tmp/state-file',
  GITHUB_REPOSITORY: 'acme/app',
  HTTPS_PROXY: 'http://proxy.example:3128',
  RUNNER_TRACKING_ID: 'github_1234',
}

describe('the environment of a child runTool starts', () => {
  test(
    'holds no INPUT_*, no ACTIONS_* and no step command file; keeps the rest',
    withStepEnv(STEP_ENV, async () => {
      const seen = await childSees({ env: { DOCKER_CONFIG: '/step/docker-config' } })
      expect(Object.keys(seen).filter((name) => /^(INPUT_|ACTIONS_)/i.test(name))).toEqual([])
      expect(seen.GITHUB_STATE).toBeUndefined()
      for (const secret of [
        'hunter2',
        'ghs_inputtoken',
        'build-secret',
        'runtime-token',
        'oidc-request-token',
      ]) {
        expect(Object.values(seen).filter((value) => value.includes(secret))).toEqual([])
      }
      expect(seen).toMatchObject({
        PATH: process.env.PATH,
        DOCKER_CONFIG: '/step/docker-config',
        GITHUB_REPOSITORY: 'acme/app',
        HTTPS_PROXY: 'http://proxy.example:3128',
        RUNNER_TRACKING_ID: 'github_1234',
      })
    }),
  )

  test(
    'gets a withheld variable only when it is passed by name',
    withStepEnv(STEP_ENV, async () => {
      const seen = await childSees({
        passEnv: ['ACTIONS_RUNTIME_TOKEN', 'ACTIONS_CACHE_URL', 'NOT_SET_ANYWHERE'],
      })
      expect(
        Object.keys(seen)
          .filter((name) => name.startsWith('ACTIONS_'))
          .sort(),
      ).toEqual(['ACTIONS_CACHE_URL', 'ACTIONS_RUNTIME_TOKEN'])
      expect(seen.ACTIONS_RUNTIME_TOKEN).toBe('runtime-token')
      expect('NOT_SET_ANYWHERE' in seen).toBe(false)
    }),
  )
})

/** What `run` wrote to this process's stdout (the step log). */
async function logOf(run: () => Promise<unknown>): Promise<string> {
  let log = ''
  const spy = import.meta.jest
    .spyOn(process.stdout, 'write')
    .mockImplementation((chunk: string | Uint8Array) => {
      log += chunk.toString()
      return true
    })
  try {
    await run()
  } finally {
    spy.mockRestore()
  }
  return log
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

describe('what runTool prints and sends', () => {
  test('the command line, then its output, as @actions/exec printed them; nothing when silent', async () => {
    const echo = await requireTool('echo')
    const log = await logOf(() => runTool(echo, ['one', 'two']))
    expect(log).toBe(`[command]${echo} one two\none two\n`)
    expect(await logOf(() => runTool(echo, ['quiet'], { silent: true }))).toBe('')
  })

  test('input goes to stdin; stdout, stderr and the exit code come back', async () => {
    const sh = await requireTool('sh')
    const result = await runTool(sh, ['-c', 'cat; echo oops >&2; exit 3'], { input: 's3cret', silent: true })
    expect(result).toEqual({ exitCode: 3, stdout: 's3cret', stderr: 'oops\n' })
  })
})

describe('a call with a deadline', () => {
  let work: string
  beforeAll(() => {
    work = mkdtempSync(path.join(os.tmpdir(), 'bsp-tool-'))
  })
  afterAll(() => rmSync(work, { recursive: true, force: true }))

  test('that hangs is stopped, with what it started, and reported naming the call', async () => {
    const sh = await requireTool('sh')
    const pidFile = path.join(work, 'grandchild.pid')
    const started = Date.now()
    // A child that starts a grandchild and waits for it, as docker waits for its buildx plugin.
    const call = runTool(sh, ['-c', `sleep 30 & echo $! > '${pidFile}'; wait`], {
      silent: true,
      deadline: { ms: 300, what: 'docker login hung.example' },
    })
    await expect(call).rejects.toThrow('docker login hung.example timed out after 300ms and was stopped')
    expect(Date.now() - started).toBeLessThan(10_000)
    expect(existsSync(pidFile)).toBe(true)
    const grandchild = Number(readFileSync(pidFile, 'utf8'))
    const until = Date.now() + 5_000
    while (isRunning(grandchild) && Date.now() < until)
      await new Promise((resolve) => setTimeout(resolve, 50))
    expect(isRunning(grandchild)).toBe(false)
  })

  test('that ends in time is returned as usual, exit code and all', async () => {
    const sh = await requireTool('sh')
    const result = await runTool(sh, ['-c', 'echo done; exit 4'], {
      silent: true,
      deadline: { ms: 30_000, what: 'sh' },
    })
    expect(result).toEqual({ exitCode: 4, stdout: 'done\n', stderr: '' })
  })
})

describe('versionOutput: an installed tool asked its version', () => {
  test('what it printed when it exits 0, with nothing in the log', async () => {
    const sh = await requireTool('sh')
    let said = ''
    const log = await logOf(async () => {
      said = await versionOutput(sh, ['-c', 'echo "Version: 0.74.0"'])
    })
    expect(said).toBe('Version: 0.74.0\n')
    expect(log).toBe('')
  })

  test('nothing when it fails or cannot run: no version to trust', async () => {
    const sh = await requireTool('sh')
    expect(await versionOutput(sh, ['-c', 'echo "Version: 0.74.0"; exit 1'])).toBe('')
    expect(await versionOutput(path.join(os.tmpdir(), 'bsp-no-such-trivy'), ['--version'])).toBe('')
  })

  test(
    'with the environment every child gets: no input, token or runner state',
    withStepEnv(STEP_ENV, async () => {
      const seen = await versionOutput(await requireTool('env'), [])
      for (const withheld of [
        'hunter2',
        'ghs_inputtoken',
        'runtime-token',
        'oidc-request-token',
        'GITHUB_STATE=',
      ]) {
        expect(seen).not.toContain(withheld)
      }
      expect(seen).toContain('GITHUB_REPOSITORY=acme/app')
    }),
  )
})
