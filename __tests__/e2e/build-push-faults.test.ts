// Faults between the action and a registry: a loopback proxy in front of the plain registry that
// answers 500 to manifest uploads. The push must retry, succeed and verify, or give up in bounds.
import { rm } from 'node:fs/promises'
import { RegistryClient } from './helpers/registry.js'
import { registryProxy, type SeenRequest } from './helpers/registry-proxy.js'
import { loadSandboxEnv } from './helpers/sandbox-env.js'
import {
  log,
  output,
  pushEvent,
  registryAuth,
  runBuildPush,
  tagsOf,
  uniqueRepo,
} from './helpers/build-push-run.js'

const env = loadSandboxEnv()
const BUILD_MS = 300_000
// The default for every test and hook of this file that names no timeout of its own. Set here, per
// file: jest-circus ignores a project-level testTimeout. Generous, for a loaded 2-core machine.
import.meta.jest.setTimeout(BUILD_MS)

const isManifestPut = (request: SeenRequest): boolean =>
  request.method === 'PUT' && /\/manifests\//.test(request.url)

/** The plain registry behind a proxy that answers 500 to the first `failures` manifest PUTs. */
async function faultyProxy(failures: number) {
  const proxy = await registryProxy(env.plain, (request, seen) =>
    isManifestPut(request) && seen.filter(isManifestPut).length <= failures
      ? { status: 500, code: 'UNKNOWN' }
      : undefined,
  )
  return { ...proxy, manifestPuts: () => proxy.seen.filter(isManifestPut).length }
}

test(
  'two 500 answers to manifest uploads are retried, and the pushed index is verified',
  async () => {
    const proxy = await faultyProxy(2)
    const repo = uniqueRepo('retry')
    try {
      const result = await runBuildPush(env, {
        event: pushEvent('refs/heads/main'),
        inputs: {
          images: `${proxy.host}/${repo}`,
          tags: 'type=raw,value=edge',
          'registry-auth': registryAuth({ ...env.plain, as: proxy.host }),
        },
      })
      try {
        expect(result.main.code).toBe(0)
        const digest = output(result, 'digest')
        expect(output(result, 'pushed')).toBe('true')
        expect(
          log(result).match(/::warning::push manifest [^\n]*registry error \(500[^)]*\); retrying/g),
        ).toHaveLength(2)
        // Both failed PUTs and at least the index's own upload went through the proxy.
        expect(proxy.manifestPuts()).toBeGreaterThanOrEqual(3)
        const registry = new RegistryClient(env.plain)
        expect(await registry.headDigest(repo, 'edge')).toBe(digest)
        expect(await registry.headDigest(repo, digest)).toBe(digest)
      } finally {
        await rm(result.runnerTemp, { recursive: true, force: true })
      }
    } finally {
      await proxy.close()
    }
  },
  BUILD_MS,
)

test(
  'a registry that keeps failing is given up on after a bounded number of attempts, and no tag is written',
  async () => {
    const proxy = await faultyProxy(Number.POSITIVE_INFINITY)
    const repo = uniqueRepo('giveup')
    try {
      const result = await runBuildPush(env, {
        event: pushEvent('refs/heads/main'),
        inputs: {
          images: `${proxy.host}/${repo}`,
          tags: 'type=raw,value=edge',
          'registry-auth': registryAuth({ ...env.plain, as: proxy.host }),
        },
      })
      try {
        expect(result.main.code).toBe(1)
        expect(result.main.stdout).toMatch(
          new RegExp(
            `::error::push manifest ${proxy.host}/${repo}@sha256:[0-9a-f]{64} failed: registry error \\(500[^)]*\\); gave up after 4 attempts`,
          ),
        )
        // Each platform and attestation manifest tried 4 times (side by side), the index never.
        const puts = proxy.seen.filter(isManifestPut).map((request) => request.url)
        const perManifest = new Map<string, number>()
        for (const url of puts) perManifest.set(url, (perManifest.get(url) ?? 0) + 1)
        expect([...perManifest.values()].every((count) => count === 4)).toBe(true)
        expect(puts.some((url) => url.endsWith(`/manifests/${output(result, 'digest')}`))).toBe(false)
        expect(result.outputs.pushed).toBeUndefined()
        // The digest push failed, so no tag was ever written.
        expect(await tagsOf(env.plain, repo)).toEqual([])
        expect(result.post.code).toBe(0)
      } finally {
        await rm(result.runnerTemp, { recursive: true, force: true })
      }
    } finally {
      await proxy.close()
    }
  },
  BUILD_MS,
)
