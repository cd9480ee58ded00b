// Runs the action bundle exactly as a runner would, main step then post step: a fresh build of the
// current src/ that the global setup made (current-bundle.mjs), or the one named in ACTION_BUNDLE_DIR.
import { readdir, readFile } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { runAction } from '../../scripts/local-run.mjs'

const examples = resolve(dirname(fileURLToPath(import.meta.url)), '../../examples')

/** An output of the step, failing the test when the step did not write it. */
function output(result: { outputs: Record<string, string> }, name: string): string {
  const value = result.outputs[name]
  if (value === undefined) throw new Error(`output ${name} was not written`)
  return value
}

async function example(name: string) {
  const spec = JSON.parse(await readFile(resolve(examples, name), 'utf8'))
  const payload = JSON.parse(await readFile(resolve(examples, spec.payload), 'utf8'))
  return {
    eventName: spec.eventName as string,
    payload,
    env: spec.env as Record<string, string>,
    inputs: spec.inputs,
  }
}

test('a v1.2.3 tag push computes the release tags for every image, and post exits cleanly', async () => {
  const result = await runAction(await example('tag-release.json'))
  expect(result.main.code).toBe(0)
  expect(output(result, 'version')).toBe('1.2.3')
  const tags = ['1.2.3', '1.2', '1', 'latest', 'sha-860c190']
  expect(output(result, 'tags').split('\n')).toEqual([
    ...tags.map((tag) => `ghcr.io/acme/app:${tag}`),
    ...tags.map((tag) => `docker.io/acme/app:${tag}`),
  ])
  expect(output(result, 'tag-names').split('\n')).toEqual(tags)
  expect(output(result, 'labels').split('\n')).toEqual(
    expect.arrayContaining([
      'org.opencontainers.image.title=app',
      'org.opencontainers.image.source=https://github.com/acme/app',
      'org.opencontainers.image.version=1.2.3',
      'org.opencontainers.image.revision=860c1904a1ce19322e91ac35af1ab07466440c37',
      'org.opencontainers.image.licenses=MIT',
    ]),
  )
  expect(JSON.parse(output(result, 'json')).tags).toEqual(output(result, 'tags').split('\n'))
  expect(result.summary).toContain('| `ghcr.io/acme/app` | `1.2.3` |')
  expect(result.post.code).toBe(0)
  expect(result.post.stdout).toContain('Nothing to clean up.')
})

test('a pull request gets pr-N and the short sha, and no latest', async () => {
  const result = await runAction(await example('pull-request.json'))
  expect(result.main.code).toBe(0)
  expect(output(result, 'tags').split('\n')).toEqual([
    'ghcr.io/acme/app:pr-42',
    'ghcr.io/acme/app:sha-9e4a1c7',
  ])
})

test('separators shape the list outputs', async () => {
  const spec = await example('tag-release.json')
  const result = await runAction({
    ...spec,
    inputs: { ...spec.inputs, images: 'ghcr.io/acme/app', 'sep-tags': ',' },
  })
  expect(output(result, 'tags')).toBe(
    'ghcr.io/acme/app:1.2.3,ghcr.io/acme/app:1.2,ghcr.io/acme/app:1,ghcr.io/acme/app:latest,ghcr.io/acme/app:sha-860c190',
  )
})

test.each([
  [{ tags: 'type=nightly' }, /::error::Input "tags": .*unknown type "nightly"/],
  [{ images: 'ghcr.io/acme/App Name' }, /::error::Input "images": /],
  [{ flavor: 'latest=sometimes' }, /::error::Input "flavor": .*sometimes/],
  [{ 'dry-run': 'yes' }, /::error::Input "dry-run": expected "true" or "false", got "yes"/],
  [{ 'dry-run': 'false', push: 'sometimes' }, /::error::Input "push": expected "auto", "true" or "false"/],
  [{ 'dry-run': 'false', 'floating-tags': 'lowest' }, /::error::Input "floating-tags": /],
  [{ 'dry-run': 'false', platforms: 'linux/amd46' }, /::error::Input "platforms": "linux\/amd46"/],
  [
    { 'dry-run': 'false', 'registry-auth': '- registry: [' },
    /::error::Input "registry-auth": is not valid YAML/,
  ],
  [{ 'dry-run': 'false', logout: 'maybe' }, /::error::Input "logout": expected "true" or "false"/],
  [{ 'dry-run': 'false', severity: 'SEVERE' }, /::error::Input "severity": .*SEVERE/],
  [
    { 'dry-run': 'true', scanner: 'scout' },
    /::error::Input "scout-username": scanner "scout" needs a Docker Hub account/,
  ],
  [
    { 'dry-run': 'false', 'trivy-version': '0.69.4' },
    /::error::Input "trivy-version": 0\.69\.4 is a compromised/,
  ],
])(
  'bad input %o fails the step with a message naming the input, and writes no output',
  async (bad, message) => {
    const spec = await example('tag-release.json')
    const result = await runAction({ ...spec, inputs: { ...spec.inputs, ...bad } })
    expect(result.main.code).toBe(1)
    expect(result.main.stdout).toMatch(message)
    expect(result.outputs).toEqual({})
    expect(result.summary).toBe('')
  },
)

test('without dry-run and without docker on PATH the step fails clearly before any side effect', async () => {
  const spec = await example('tag-release.json')
  const result = await runAction({
    ...spec,
    // Only node's own directory: no docker, no skopeo.
    env: { ...spec.env, PATH: dirname(process.execPath) },
    inputs: { ...spec.inputs, 'dry-run': 'false' },
  })
  expect(result.main.code).toBe(1)
  expect(result.main.stdout).toContain('::error::docker was not found on PATH')
  // Nothing to undo: no isolated docker config, no login, no state for the post step.
  expect(result.state.workspace).toBeUndefined()
  expect((await readdir(result.runnerTemp)).filter((entry) => entry.startsWith('build-scan-push-'))).toEqual(
    [],
  )
  expect(result.post.stdout).toContain('Nothing to clean up.')
  expect(result.outputs.digest).toBeUndefined()
})

test('without dry-run and an unreachable engine (ubuntu-slim) the step fails with one message, before any side effect', async () => {
  const spec = await example('tag-release.json')
  const result = await runAction({
    ...spec,
    env: { ...spec.env, DOCKER_HOST: 'unix:///nonexistent/build-scan-push/docker.sock' },
    inputs: { ...spec.inputs, 'dry-run': 'false' },
  })
  expect(result.main.code).toBe(1)
  const errors = result.main.stdout.split('\n').filter((line) => line.startsWith('::error::'))
  if (errors.join('').includes('docker was not found on PATH')) {
    // A machine without the docker CLI at all: the PATH test above covers that message.
    expect(errors).toHaveLength(1)
  } else {
    expect(errors).toEqual([
      expect.stringMatching(
        /^::error::No Docker engine is reachable \(.*nonexistent\/build-scan-push\/docker\.sock.*\): this action needs a runner with Docker, such as ubuntu-latest; ubuntu-slim has none$/,
      ),
    ])
  }
  expect(result.state.workspace).toBeUndefined()
  expect((await readdir(result.runnerTemp)).filter((entry) => entry.startsWith('build-scan-push-'))).toEqual(
    [],
  )
  expect(result.post.stdout).toContain('Nothing to clean up.')
  // Only the metadata outputs, computed before any probe: nothing was built.
  expect(result.outputs.digest).toBeUndefined()
})

test('the token is masked and appears nowhere but in the mask command', async () => {
  const spec = await example('tag-release.json')
  const token = 'ghs_0123456789abcdefghijklmnopqrstuvwxyz'
  const result = await runAction({ ...spec, inputs: { ...spec.inputs, 'github-token': token } })
  expect(result.main.code).toBe(0)
  const everything = [result.main.stdout, result.main.stderr, JSON.stringify(result.outputs), result.summary]
  expect(everything.join('\n').split(token)).toHaveLength(2)
  expect(result.main.stdout).toContain(`::add-mask::${token}`)
})

test('scanner scout in a dry run: the Scout password is masked before any line, and the run passes', async () => {
  const spec = await example('tag-release.json')
  const token = 'dckr_pat_dry_run_scout_token'
  const result = await runAction({
    ...spec,
    inputs: {
      ...spec.inputs,
      'dry-run': 'true',
      scanner: 'scout',
      'scout-username': 'scanbot',
      'scout-password': token,
    },
  })
  expect(result.main.code).toBe(0)
  const lines = result.main.stdout.split('\n')
  expect(lines[0]).toBe(`::add-mask::${token}`)
  expect(lines.slice(1).filter((line) => line.includes(token))).toEqual([])
})

test('stage merge: the dry run checks the legs too, and refuses results of another commit', async () => {
  const release = await example('tag-release.json')
  const leg = (platform: string, commit: string): string =>
    JSON.stringify({
      version: 1,
      images: ['ghcr.io/acme/app', 'docker.io/acme/app'],
      digest: `sha256:${'a'.repeat(64)}`,
      pushed: true,
      platforms: [{ platform, digest: `sha256:${'b'.repeat(64)}`, scan: 'passed', vulnerabilities: null }],
      gate: 'passed',
      commit,
      run: release.env.GITHUB_RUN_ID ?? '0',
    })
  const sha = release.env.GITHUB_SHA ?? ''
  const merge = (results: string[]) =>
    runAction({
      ...release,
      inputs: {
        ...release.inputs,
        'dry-run': 'true',
        stage: 'merge',
        platforms: 'linux/amd64,linux/arm64',
        results: JSON.stringify({ result_0: results[0], result_1: results[1] }),
      },
    })
  const good = await merge([leg('linux/amd64', sha), leg('linux/arm64', sha)])
  expect(good.main.code).toBe(0)
  expect(good.main.stdout).toContain('Merging linux/amd64')
  const other = await merge([leg('linux/amd64', sha), leg('linux/arm64', 'f'.repeat(40))])
  expect(other.main.code).toBe(1)
  expect(other.main.stdout).toContain(
    `::error::Input "results": the leg of linux/arm64 built commit ${'f'.repeat(40)}, this run is for ${sha}`,
  )
})
