// What the action does with credentials and partial failures, watched from the registry's side
// through a loopback proxy that records every request (and can refuse some).
import { rm } from 'node:fs/promises'
import { registryProxy } from './helpers/registry-proxy.js'
import { loadSandboxEnv } from './helpers/sandbox-env.js'
import {
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

/** pull_request_target from a fork: runs with the base repository's secrets, on the fork's code. */
function forkPullRequestTarget() {
  return {
    eventName: 'pull_request_target',
    payload: {
      number: 7,
      pull_request: {
        number: 7,
        head: { sha: 'f'.repeat(40), ref: 'feature', repo: { full_name: 'mallory/app' } },
        base: { ref: 'main', repo: { full_name: 'acme/app' } },
      },
      repository: { full_name: 'acme/app', name: 'app', html_url: 'https://github.com/acme/app' },
    },
    env: { GITHUB_REF: 'refs/heads/main' },
  }
}

async function cleanUp(result: RunResult): Promise<void> {
  await rm(result.runnerTemp, { recursive: true, force: true })
}

test('a fork pull_request_target run with registry-auth builds, and the registry sees no credential', async () => {
  const proxy = await registryProxy(env.plain)
  try {
    const repo = uniqueRepo('fork-target')
    const result = await runBuildPush(env, {
      event: forkPullRequestTarget(),
      inputs: {
        images: `${proxy.host}/${repo}`,
        'registry-auth': registryAuth({ ...env.plain, as: proxy.host }),
        'github-token': 'ghs_not_for_forks',
      },
    })
    try {
      expect(result.main.code).toBe(0)
      expect(output(result, 'pushed')).toBe('false')
      expect(output(result, 'digest')).toMatch(/^sha256:[0-9a-f]{64}$/)
      expect(log(result)).toContain('No registry login: this run pushes nothing (fork pull request')
      expect(log(result)).not.toContain('Logged in to')
      expect(proxy.seen.filter((request) => request.authenticated)).toEqual([])
      expect(await tagsOf(env.plain, repo)).toEqual([])
    } finally {
      await cleanUp(result)
    }
  } finally {
    await proxy.close()
  }
})

test('login-on-build-only logs in on that run, with a warning naming why nothing is pushed', async () => {
  const proxy = await registryProxy(env.plain)
  try {
    const repo = uniqueRepo('fork-login')
    const result = await runBuildPush(env, {
      event: forkPullRequestTarget(),
      inputs: {
        images: `${proxy.host}/${repo}`,
        'registry-auth': registryAuth({ ...env.plain, as: proxy.host }),
        'login-on-build-only': 'true',
      },
    })
    try {
      expect(result.main.code).toBe(0)
      expect(result.main.stdout).toMatch(
        new RegExp(
          `::warning::login-on-build-only: logging in to ${proxy.host} on a run that pushes nothing`,
        ),
      )
      expect(proxy.seen.some((request) => request.authenticated)).toBe(true)
      expect(output(result, 'pushed')).toBe('false')
      expect(await tagsOf(env.plain, repo)).toEqual([])
    } finally {
      await cleanUp(result)
    }
  } finally {
    await proxy.close()
  }
})

test('a push that fails on the second registry after the first one moved says what moved and what did not', async () => {
  // The second registry takes the index by digest, then refuses every tag (403: not retried).
  const refuseTags = registryProxy(env.plain, (request) =>
    request.method === 'PUT' && /\/manifests\/(?!sha256:)/.test(request.url)
      ? { status: 403, code: 'DENIED' }
      : undefined,
  )
  const proxy = await refuseTags
  try {
    const [first, second] = [uniqueRepo('moved'), uniqueRepo('refused')]
    const result = await runBuildPush(env, {
      event: pushEvent('refs/tags/v1.2.3'),
      inputs: {
        images: `${env.plain.host}/${first}\n${proxy.host}/${second}`,
        tags: 'type=semver,pattern={{version}}',
        flavor: 'latest=false',
        'registry-auth': registryAuth(env.plain, { ...env.plain, as: proxy.host }),
      },
    })
    try {
      expect(result.main.code).toBe(1)
      const digest = output(result, 'digest')
      const movedRefs = [
        `${env.plain.host}/${first}@${digest}`,
        `${proxy.host}/${second}@${digest}`,
        `${env.plain.host}/${first}:1.2.3@${digest}`,
      ]
      expect(output(result, 'pushed')).toBe('false')
      expect(output(result, 'refs').split('\n')).toEqual(movedRefs)
      expect(result.main.stdout).toContain('::error::The push stopped part-way: ')
      expect(result.main.stdout).toContain(
        `Pushed (not read back): ${env.plain.host}/${first}@${digest}, ${proxy.host}/${second}@${digest}, ${env.plain.host}/${first}:1.2.3`,
      )
      expect(result.main.stdout).toContain(`Not pushed: ${proxy.host}/${second}:1.2.3`)
      expect(result.summary).toContain('**The push stopped part-way.**')
      expect(result.summary).toContain(`- \`${proxy.host}/${second}:1.2.3\``)
      expect(await tagsOf(env.plain, first)).toEqual(['1.2.3'])
      expect(await tagsOf(env.plain, second)).toEqual([])
      expect(result.post.code).toBe(0)
    } finally {
      await cleanUp(result)
    }
  } finally {
    await proxy.close()
  }
})

test('a token in a cache entry is masked before buildx, whose argv holds it, is echoed', async () => {
  const repo = uniqueRepo('cache-token')
  const token = 'ghs_cache_token_e2e_0123'
  const result = await runBuildPush(env, {
    event: pushEvent('refs/heads/main'),
    inputs: {
      images: `${env.plain.host}/${repo}`,
      tags: 'type=raw,value=edge',
      'registry-auth': registryAuth(env.plain),
      // Nothing listens there: buildx warns that the cache cannot be read and builds on.
      'cache-from': `type=gha,url=http://127.0.0.1:9/,token=${token}`,
    },
  })
  try {
    expect(result.main.code).toBe(0)
    const lines = result.main.stdout.split('\n')
    const mask = lines.indexOf(`::add-mask::${token}`)
    const echoed = lines.findIndex((line) => line.includes('buildx build') && line.includes(token))
    expect(mask).toBeGreaterThanOrEqual(0)
    expect(echoed).toBeGreaterThan(mask)
  } finally {
    await cleanUp(result)
  }
})
