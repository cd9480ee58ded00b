import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { leftovers } from '../../../.github/actions/assert-logged-out/checks.mjs'

// e2e.yml's "nothing left logged in" check, run by a post step after build-scan-push's own.
describe('assert-logged-out: what counts as left behind', () => {
  let temp: string
  let config: string
  const saved = { ...process.env }

  beforeEach(() => {
    temp = mkdtempSync(join(tmpdir(), 'assert-logged-out-'))
    config = join(temp, 'user-docker')
    mkdirSync(config)
    process.env.RUNNER_TEMP = join(temp, 'runner-temp')
    process.env.DOCKER_CONFIG = config
    mkdirSync(process.env.RUNNER_TEMP)
  })

  afterEach(() => {
    rmSync(temp, { recursive: true, force: true })
    process.env = { ...saved }
  })

  test('a clean runner: no config file, no step directory', () => {
    expect(leftovers('localhost:5000').problems).toEqual([])
  })

  test("the step's directory still in RUNNER_TEMP", () => {
    mkdirSync(join(process.env.RUNNER_TEMP!, 'build-scan-push-abc123'))
    mkdirSync(join(process.env.RUNNER_TEMP!, 'something-else'))
    expect(leftovers('localhost:5000').problems).toEqual([
      `${join(process.env.RUNNER_TEMP!, 'build-scan-push-abc123')} is still there`,
    ])
  })

  test("a credential for the registry in the user's docker config, another registry's is no concern", () => {
    writeFileSync(
      join(config, 'config.json'),
      JSON.stringify({
        auths: { 'localhost:5000': { auth: 'eDp5' }, 'ghcr.io': {} },
        credHelpers: { 'localhost:5000': 'x' },
      }),
    )
    expect(leftovers('localhost:5000').problems).toEqual([
      `${join(config, 'config.json')} has auths["localhost:5000"]`,
      `${join(config, 'config.json')} has credHelpers["localhost:5000"]`,
    ])
    expect(leftovers('localhost:5443').problems).toEqual([])
  })
})
