// The action end to end on the real sandbox: one two-platform build into an OCI layout, those exact
// bytes pushed to a plain and a TLS registry under every tag, read back, and the logins removed.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import type { ImageIndex } from './helpers/oci-layout.js'
import { docker } from './helpers/exec.js'
import { ACCEPT_INDEX, RegistryClient } from './helpers/registry.js'
import { loadSandboxEnv } from './helpers/sandbox-env.js'
import {
  filesUnder,
  forkPullRequestEvent,
  log,
  output,
  pushEvent,
  registryAuth,
  runBuildPush,
  tagsOf,
  uniqueRepo,
  type RunResult,
} from './helpers/build-push-run.js'

const env = loadSandboxEnv()
const BUILD_MS = 300_000
// The default for every test and hook of this file that names no timeout of its own. Set here, per
// file: jest-circus ignores a project-level testTimeout. Generous, for a loaded 2-core machine.
import.meta.jest.setTimeout(BUILD_MS)
const RELEASE_TAGS = ['1', '1.2', '1.2.3', 'latest', 'sha-860c190']
const runs: RunResult[] = []

afterAll(async () => {
  for (const run of runs) await rm(run.runnerTemp, { recursive: true, force: true })
})

async function run(...args: Parameters<typeof runBuildPush>): Promise<RunResult> {
  const result = await runBuildPush(...args)
  runs.push(result)
  return result
}

/** The metadata output's containerimage.digest: what buildx built in this run. */
function builtDigest(result: RunResult): string {
  const digest = (JSON.parse(output(result, 'metadata')) as Record<string, unknown>)['containerimage.digest']
  expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/)
  return digest as string
}

/** Every occurrence of a secret outside the runner's own ::add-mask:: command. */
function leaks(text: string, secret: string): number {
  return (
    text
      .split('\n')
      .filter((line) => !line.startsWith('::add-mask::'))
      .join('\n')
      .split(secret).length - 1
  )
}

function expectNoSecretsLeft(result: RunResult, secrets: string[]): void {
  const texts = [
    log(result),
    result.summary,
    ...filesUnder(result.runnerTemp).map(({ content }) => content.toString('utf8')),
  ]
  for (const secret of secrets) {
    const base64 = Buffer.from(secret).toString('base64')
    for (const text of texts) {
      expect(leaks(text, secret)).toBe(0)
      expect(text.includes(base64)).toBe(false)
    }
  }
  // The isolated docker config (and everything else the step made) is gone after post.
  expect(readdirSync(result.runnerTemp).filter((entry) => entry.startsWith('build-scan-push-'))).toEqual([])
  expect(result.state.workspace).toBeDefined()
  expect(existsSync(result.state.workspace!)).toBe(false)
}

describe('build once, push the exact bytes', () => {
  test(
    'a v1.2.3 tag push builds two platforms once and pushes that index to both registries under every tag',
    async () => {
      const repo = uniqueRepo('release')
      const userConfig = readFileSync(env.authFile)
      const result = await run(env, {
        event: pushEvent('refs/tags/v1.2.3'),
        inputs: {
          images: `${env.plain.host}/${repo}\n${env.tls.host}/${repo}`,
          'registry-auth': registryAuth(env.plain, env.tls),
        },
      })
      expect(result.main.code).toBe(0)
      expect(result.post.code).toBe(0)
      const digest = builtDigest(result)
      expect(output(result, 'digest')).toBe(digest)
      expect(output(result, 'imageid')).toMatch(/^sha256:[0-9a-f]{64}$/)
      expect(output(result, 'pushed')).toBe('true')

      const refs = output(result, 'refs').split('\n')
      for (const endpoint of [env.plain, env.tls]) {
        const registry = new RegistryClient(endpoint)
        expect(await tagsOf(endpoint, repo)).toEqual(RELEASE_TAGS)
        for (const tag of RELEASE_TAGS) {
          expect(await registry.headDigest(repo, tag)).toBe(digest)
          expect(refs).toContain(`${endpoint.host}/${repo}:${tag}@${digest}`)
        }
        const served = await registry.getManifest(repo, digest, ACCEPT_INDEX)
        expect(served.bodyDigest).toBe(digest)
        const platforms = (served.json as ImageIndex).manifests
          .map((m) => `${m.platform?.os}/${m.platform?.architecture}`)
          .sort()
        // Both images and their provenance attestations (unknown/unknown).
        expect(platforms).toEqual(['linux/amd64', 'linux/arm64', 'unknown/unknown', 'unknown/unknown'])
      }
      expect(result.summary).toContain(`| \`${env.tls.host}/${repo}\` | \`${digest}\` |`)
      expect(result.summary).toContain('**Pushed** (push of tag v1.2.3)')
      expect(result.summary).toContain('`linux/amd64`, `linux/arm64`')
      // No docker logout: the post step deleted the config that held both logins.
      expect(result.post.stdout).toContain(
        `isolated docker config with the credentials for ${env.plain.host}, ${env.tls.host}`,
      )
      expectNoSecretsLeft(result, [env.plain.password, env.tls.password])
      // The logins went to an isolated config: the user's own config.json is byte for byte unchanged.
      expect(readFileSync(env.authFile).equals(userConfig)).toBe(true)
    },
    BUILD_MS,
  )

  test(
    'what is pushed is the layout of this run, not a rebuild: a second run of the same context differs',
    async () => {
      const repo = uniqueRepo('rebuild')
      const inputs = {
        images: `${env.plain.host}/${repo}`,
        'registry-auth': registryAuth(env.plain),
        tags: 'type=raw,value=edge',
      }
      const first = await run(env, { event: pushEvent('refs/heads/main'), inputs })
      const second = await run(env, { event: pushEvent('refs/heads/main'), inputs })
      expect([first.main.code, second.main.code]).toEqual([0, 0])
      const [a, b] = [builtDigest(first), builtDigest(second)]
      // Timestamps (the created label, provenance) make every build new bytes...
      expect(a).not.toBe(b)
      // ...so each run pushed the very index it built, and the registry serves the last one.
      expect(output(first, 'refs').split('\n')).toContain(`${env.plain.host}/${repo}:edge@${a}`)
      expect(output(second, 'refs').split('\n')).toContain(`${env.plain.host}/${repo}:edge@${b}`)
      expect(await new RegistryClient(env.plain).headDigest(repo, 'edge')).toBe(b)
      expect(await new RegistryClient(env.plain).headDigest(repo, a)).toBe(a)
    },
    BUILD_MS,
  )
})

describe('credentials', () => {
  test.each([
    ['TLS', env.tls, env.plain],
    ['plain-HTTP', env.plain, env.tls],
  ])(
    'a wrong password for the %s registry fails naming it before the build, and leaves no secret behind',
    async (_kind, refused, accepted) => {
      const repo = uniqueRepo('badauth')
      const wrong = `wrong-${repo.slice(-8)}-password`
      const result = await run(env, {
        event: pushEvent('refs/tags/v1.2.3'),
        inputs: {
          images: `${env.plain.host}/${repo}\n${env.tls.host}/${repo}`,
          'registry-auth': registryAuth(accepted, { ...refused, password: wrong }),
        },
      })
      expect(result.main.code).toBe(1)
      expect(result.main.stdout).toMatch(
        new RegExp(
          `::error::Login to ${refused.host} as ${refused.user} \\(from "registry-auth"\\) failed: the registry refused the credentials`,
        ),
      )
      expect(result.outputs.pushed).toBeUndefined()
      expect(result.outputs.digest).toBeUndefined()
      expect(result.summary).toContain(
        `> **Failed** before the build finished:\n> Login to ${refused.host} as`,
      )
      expect(await tagsOf(env.plain, repo)).toEqual([])
      expect(await tagsOf(env.tls, repo)).toEqual([])
      // Nothing was written for the registry that accepted its login either; the post step
      // deletes the directory all the same.
      expect(log(result)).not.toContain('Logged in to')
      expect(result.post.code).toBe(0)
      expect(result.post.stdout).toContain(`Removed ${result.state.workspace} (isolated docker config, `)
      expectNoSecretsLeft(result, [wrong, accepted.password])
    },
    BUILD_MS,
  )
})

describe('when not to push', () => {
  test(
    'a pull request from a fork builds but pushes nothing',
    async () => {
      const repo = uniqueRepo('fork')
      const result = await run(env, {
        event: forkPullRequestEvent(),
        inputs: { images: `${env.plain.host}/${repo}`, 'registry-auth': registryAuth(env.plain) },
      })
      expect(result.main.code).toBe(0)
      expect(output(result, 'pushed')).toBe('false')
      expect(output(result, 'refs')).toBe('')
      builtDigest(result)
      expect(result.summary).toContain('**Not pushed**: fork pull request: build only.')
      expect(await tagsOf(env.plain, repo)).toEqual([])
    },
    BUILD_MS,
  )

  test(
    'push: false on a tag push builds only',
    async () => {
      const repo = uniqueRepo('nopush')
      const result = await run(env, {
        event: pushEvent('refs/tags/v1.2.3'),
        inputs: {
          images: `${env.plain.host}/${repo}`,
          'registry-auth': registryAuth(env.plain),
          push: 'false',
        },
      })
      expect(result.main.code).toBe(0)
      expect(output(result, 'pushed')).toBe('false')
      expect(output(result, 'digest')).toBe(builtDigest(result))
      expect(result.summary).toContain('**Not pushed**: push: false: build only.')
      expect(await tagsOf(env.plain, repo)).toEqual([])
    },
    BUILD_MS,
  )
})

describe('floating tags', () => {
  test(
    'releasing 1.4.9 after 2.0.0 leaves latest on 2.0.0 and moves 1 and 1.4 to 1.4.9',
    async () => {
      const repo = uniqueRepo('floating')
      const inputs = { images: `${env.plain.host}/${repo}`, 'registry-auth': registryAuth(env.plain) }
      const two = await run(env, { event: pushEvent('refs/tags/v2.0.0'), inputs })
      expect(two.main.code).toBe(0)
      const older = await run(env, { event: pushEvent('refs/tags/v1.4.9'), inputs })
      expect(older.main.code).toBe(0)
      const [d2, d1] = [builtDigest(two), builtDigest(older)]
      expect(d2).not.toBe(d1)
      const registry = new RegistryClient(env.plain)
      expect(await registry.headDigest(repo, 'latest')).toBe(d2)
      expect(await registry.headDigest(repo, '2')).toBe(d2)
      expect(await registry.headDigest(repo, '1')).toBe(d1)
      expect(await registry.headDigest(repo, '1.4')).toBe(d1)
      expect(await registry.headDigest(repo, '1.4.9')).toBe(d1)
      expect(output(older, 'refs')).not.toContain(':latest@')
      expect(older.summary).toContain('- `latest`: 2.0.0 is already released, higher than 1.4.9')
    },
    BUILD_MS,
  )
})

describe('load', () => {
  test(
    'load: true puts the very index built into the engine under every computed reference',
    async () => {
      const repo = uniqueRepo('load')
      const result = await run(env, {
        event: pushEvent('refs/heads/main'),
        inputs: {
          images: `${env.plain.host}/${repo}`,
          tags: 'type=raw,value=edge\ntype=raw,value=dev',
          push: 'false',
          load: 'true',
        },
      })
      expect(result.main.code).toBe(0)
      const digest = builtDigest(result)
      const references = [`${env.plain.host}/${repo}:edge`, `${env.plain.host}/${repo}:dev`]
      try {
        for (const reference of references) {
          const { stdout } = await docker(env, ['image', 'inspect', '--format', '{{.Id}}', reference])
          expect(stdout.trim()).toBe(digest)
        }
      } finally {
        await docker(env, ['image', 'rm', ...references]).catch(() => undefined)
      }
      expect(await tagsOf(env.plain, repo)).toEqual([])
    },
    BUILD_MS,
  )
})
