import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import {
  bootstrapFailure,
  builderBootstrapArgs,
  builderCreateArgs,
  builderProblem,
  buildkitdConfigPath,
  checkBuilder,
  planBuilder,
  type BuilderFacts,
  type BuilderPlan,
} from '../../../src/build/builder.js'
import { readBuilderSetup, type BuilderSetupInputs } from '../../../src/build/builder.js'
import { builderRemoveArgs, isOwnBuilderName, uniqueBuilderName } from '../../../src/build/own-builder.js'
import { parseBuildxInspect, parseDockerInfo, type Capabilities } from '../../../src/runner/capabilities.js'

describe('builderProblem', () => {
  test('the docker driver on the classic image store cannot export an OCI layout', () => {
    const problem = builderProblem({
      requested: '',
      driver: 'docker',
      containerdStore: false,
      platforms: ['linux/amd64', 'linux/arm64'],
    })
    expect(problem).toContain('The default builder uses the docker driver')
    expect(problem).toContain('containerd image store')
    expect(problem).toContain('multi-platform build (linux/amd64, linux/arm64)')
    expect(problem).toContain('leave "builder" empty and this action creates a docker-container builder')
  })

  test('a single platform still needs the OCI export', () => {
    const problem = builderProblem({
      requested: 'mine',
      driver: 'docker',
      containerdStore: false,
      platforms: [],
    })
    expect(problem).toMatch(/^The builder "mine" .*an OCI layout export/)
  })

  test.each([
    ['docker', true],
    ['docker-container', false],
    ['kubernetes', false],
    ['remote', false],
  ])('driver %s with containerd store %s is fine', (driver, containerdStore) => {
    expect(
      builderProblem({ requested: '', driver, containerdStore, platforms: ['linux/amd64'] }),
    ).toBeUndefined()
  })
})

describe('checkBuilder on the probes recorded from the sandbox', () => {
  const fixture = (name: string): string =>
    readFileSync(join(import.meta.dirname, '..', 'runner', 'fixtures', name), 'utf8')
  const caps = (mode: string): Capabilities => ({
    engineReachable: true,
    imageStore: parseDockerInfo(fixture(`${mode}-docker-info.txt`)),
    builder: parseBuildxInspect(fixture(`${mode}-buildx-inspect.txt`)),
  })
  test('the containerd image store passes', () => {
    expect(checkBuilder(caps('containerd'), '', ['linux/amd64'])).toMatchObject({
      driver: 'docker',
      containerdStore: true,
    })
  })
  test('the classic image store refuses a given docker-driver builder the way buildx itself would', () => {
    // What buildx printed for a multi-platform OCI build in classic mode: the same remedy.
    expect(fixture('classic-multiplatform-oci-build.stderr.txt')).toContain(
      'turn on the containerd image store',
    )
    expect(() => checkBuilder(caps('classic'), 'default', ['linux/amd64', 'linux/arm64'])).toThrow(
      /docker driver on an engine without the containerd image store/,
    )
  })
  test('the default builder on the classic image store is not an error: the plan replaces it', () => {
    const facts = checkBuilder(caps('classic'), '', ['linux/amd64', 'linux/arm64'])
    expect(facts).toMatchObject({ driver: 'docker', containerdStore: false })
    expect(planBuilder(facts, NO_SETUP, 'build-scan-push-x').create).toBe(true)
  })
  test('a docker-container builder given on the classic image store is used as is', () => {
    const given: Capabilities = {
      engineReachable: true,
      imageStore: parseDockerInfo(fixture('classic-docker-info.txt')),
      builder: parseBuildxInspect(fixture('classic-docker-container-buildx-inspect.txt')),
    }
    const facts = checkBuilder(given, 'ci-builder', ['linux/amd64', 'linux/arm64'])
    expect(facts).toMatchObject({ driver: 'docker-container', containerdStore: false })
    expect(planBuilder(facts, NO_SETUP, 'n')).toEqual({
      create: false,
      name: 'ci-builder',
      why: 'the "builder" input',
    })
  })
  test('an unreachable engine comes first', () => {
    expect(() => checkBuilder({ engineReachable: false, engineError: 'x' }, '', [])).toThrow(
      /^No Docker engine is reachable \(x\)/,
    )
  })
  test('a builder buildx cannot inspect', () => {
    expect(() =>
      checkBuilder(
        { engineReachable: true, imageStore: 'containerd', builderError: 'no builder "b" found' },
        'b',
        [],
      ),
    ).toThrow('docker buildx cannot use builder "b": no builder "b" found')
  })
})

const NO_SETUP: BuilderSetupInputs = { driverOpts: [], buildkitdConfig: '' }
const facts = (overrides: Partial<BuilderFacts> = {}): BuilderFacts => ({
  requested: '',
  driver: 'docker',
  containerdStore: false,
  platforms: ['linux/amd64', 'linux/arm64'],
  ...overrides,
})
type Created = Extract<BuilderPlan, { create: true }>
const created = (plan: BuilderPlan): Created => {
  if (!plan.create) throw new Error(`expected a builder to create, got ${JSON.stringify(plan)}`)
  return plan
}

describe('planBuilder', () => {
  test.each([
    ['classic store, docker driver, two platforms', true, facts()],
    ['classic store, docker driver, one platform', true, facts({ platforms: ['linux/amd64'] })],
    ['classic store, no platforms', true, facts({ platforms: [] })],
    ['containerd store, docker driver', false, facts({ containerdStore: true })],
  ])('default builder, %s → create one: %s', (_, create, given) => {
    expect(planBuilder(given, NO_SETUP, 'n').create).toBe(create)
  })

  test('a given builder is used as is, whatever it is', () => {
    expect(planBuilder(facts({ requested: 'mine', driver: 'docker-container' }), NO_SETUP, 'n')).toEqual({
      create: false,
      name: 'mine',
      why: 'the "builder" input',
    })
  })

  test('the default builder is kept when it can do the build', () => {
    expect(planBuilder(facts({ containerdStore: true }), NO_SETUP, 'n')).toEqual({
      create: false,
      name: '',
      why: 'the default builder (docker driver) can do this build',
    })
  })

  test('driver-opts or buildkitd-config ask for a builder even when the default one could do', () => {
    const fine = facts({ containerdStore: true })
    expect(
      planBuilder(fine, { driverOpts: ['image=mirror/buildkit:v0'], buildkitdConfig: '' }, 'n').create,
    ).toBe(true)
    expect(planBuilder(fine, { driverOpts: [], buildkitdConfig: '/w/b.toml' }, 'n').create).toBe(true)
  })

  test('the created builder: the default image, host networking, the config file', () => {
    expect(
      planBuilder(facts(), { ...NO_SETUP, buildkitdConfig: '/w/buildkitd.toml' }, 'build-scan-push-1a2b3c4d'),
    ).toEqual({
      create: true,
      name: 'build-scan-push-1a2b3c4d',
      why: 'the default builder uses the docker driver on the classic image store, which cannot export an OCI layout',
      image: 'moby/buildkit:buildx-stable-1',
      driverOpts: ['network=host'],
      buildkitdConfig: '/w/buildkitd.toml',
    })
  })

  test("the user's image and network win; other options pass through in order", () => {
    const plan = created(
      planBuilder(
        facts(),
        {
          driverOpts: ['image=localhost:5000/moby/buildkit:v0.20', 'env.http_proxy=http://p:3128'],
          buildkitdConfig: '',
        },
        'n',
      ),
    )
    expect(plan.image).toBe('localhost:5000/moby/buildkit:v0.20')
    expect(plan.driverOpts).toEqual([
      'network=host',
      'image=localhost:5000/moby/buildkit:v0.20',
      'env.http_proxy=http://p:3128',
    ])
    expect(
      created(planBuilder(facts(), { driverOpts: ['network=bridge'], buildkitdConfig: '' }, 'n')).driverOpts,
    ).toEqual(['network=bridge'])
  })
})

describe('builder argv', () => {
  const plan = created(
    planBuilder(
      facts(),
      { driverOpts: ['image=r/buildkit:v1'], buildkitdConfig: '/w/b.toml' },
      'build-scan-push-ab12',
    ),
  )
  test('create: named, docker-container, every driver option, the config; never --use', () => {
    expect(builderCreateArgs(plan)).toEqual([
      'create',
      '--name',
      'build-scan-push-ab12',
      '--driver',
      'docker-container',
      '--driver-opt',
      'network=host',
      '--driver-opt',
      'image=r/buildkit:v1',
      '--buildkitd-config',
      '/w/b.toml',
    ])
  })
  test('no config file, no flag', () => {
    expect(builderCreateArgs(created(planBuilder(facts(), NO_SETUP, 'n')))).not.toContain(
      '--buildkitd-config',
    )
  })
  test('bootstrap and removal name the builder', () => {
    expect(builderBootstrapArgs('b1')).toEqual(['inspect', '--bootstrap', 'b1'])
    expect(builderRemoveArgs('b1')).toEqual(['rm', 'b1'])
  })
})

describe('bootstrapFailure on what buildx printed (recorded on the sandbox)', () => {
  const recorded = (name: string): string => readFileSync(join(import.meta.dirname, 'fixtures', name), 'utf8')
  const defaultImage = created(planBuilder(facts(), NO_SETUP, 'n'))
  const ownImage = created(
    planBuilder(facts(), { driverOpts: ['image=localhost:5000/moby/buildkit:v0'], buildkitdConfig: '' }, 'n'),
  )
  test.each([
    ['containerd store', 'buildx-bootstrap-docker-hub-unreachable.stderr.txt', 'failed to resolve reference'],
    [
      'classic store',
      'buildx-bootstrap-classic-docker-hub-unreachable.stderr.txt',
      'Get "https://registry-1.docker.io/v2/"',
    ],
  ])('Docker Hub unreachable (%s): names the image, the cause and the offline fixes', (_, file, cause) => {
    const message = bootstrapFailure(defaultImage, recorded(file))
    expect(message).toMatch(
      /^The docker-container builder this action creates could not pull its BuildKit image moby\/buildkit:buildx-stable-1: Error response from daemon: /,
    )
    expect(message).toContain(cause)
    expect(message).toContain('lookup registry-1.docker.io')
    expect(message).toContain('"driver-opts" (image=REGISTRY/moby/buildkit:TAG)')
    expect(message).toContain('a ready builder in "builder"')
  })
  test.each([
    ['containerd store', 'buildx-bootstrap-image-denied.stderr.txt', 'pull access denied'],
    ['classic store', 'buildx-bootstrap-classic-no-credentials.stderr.txt', 'no basic auth credentials'],
  ])("the user's image, refused (%s)", (_, file, cause) => {
    const message = bootstrapFailure(ownImage, recorded(file))
    expect(message).toContain('could not pull its BuildKit image localhost:5000/moby/buildkit:v0: ')
    expect(message).toContain(cause)
  })
  test('a failure after the pull is reported as such, with its last error line', () => {
    const stderr =
      '#1 [internal] booting buildkit\n#1 pulling image moby/buildkit:buildx-stable-1 done\n#1 creating container buildx_buildkit_b90 done\n#1 ERROR: context deadline exceeded\nERROR: context deadline exceeded\n'
    expect(bootstrapFailure(created(planBuilder(facts(), NO_SETUP, 'b9')), stderr)).toBe(
      'The docker-container builder this action creates did not start (b9): context deadline exceeded',
    )
  })
})

describe('isOwnBuilderName: the only builders the post step removes', () => {
  test('a name uniqueBuilderName gives', () => {
    expect(isOwnBuilderName(uniqueBuilderName('0123abcd'))).toBe(true)
  })

  test.each([
    'default',
    'mybuilder',
    'build-scan-push-',
    'build-scan-push-gone',
    'build-scan-push-0123abcd0',
    '--help',
  ])('not %j, which a forged state could name', (name) => {
    expect(isOwnBuilderName(name)).toBe(false)
  })
})

describe('builder inputs', () => {
  const reader =
    (values: Record<string, string>) =>
    (name: string): string =>
      values[name] ?? ''
  test('driver-opts: one key=value per line, commas kept', () => {
    expect(
      readBuilderSetup(
        reader({
          'driver-opts': 'image=r/buildkit:v1\nenv.no_proxy=a,b\n',
          'buildkitd-config': 'ci/buildkitd.toml',
        }),
      ),
    ).toEqual({
      driverOpts: ['image=r/buildkit:v1', 'env.no_proxy=a,b'],
      buildkitdConfig: 'ci/buildkitd.toml',
    })
  })
  test('a line without key=value is an input error', () => {
    expect(() => readBuilderSetup(reader({ 'driver-opts': 'network=host\nhost' }))).toThrow(
      'Input "driver-opts": expected one key=value per line (e.g. image=…), got "host"',
    )
  })
  test.each([
    ['driver-opts', 'network=host'],
    ['buildkitd-config', 'b.toml'],
  ])('%s cannot be combined with builder', (input, value) => {
    expect(() => readBuilderSetup(reader({ builder: 'mine', [input]: value }))).toThrow(
      `Input "${input}": configures the builder this action creates, so it cannot be combined with "builder"`,
    )
  })
  test('buildkitd-config resolves against the workspace and must exist', () => {
    const workspace = mkdtempSync(join(tmpdir(), 'bsp-buildkitd-'))
    writeFileSync(join(workspace, 'buildkitd.toml'), '[registry."localhost:5000"]\nhttp = true\n')
    expect(buildkitdConfigPath('buildkitd.toml', workspace)).toBe(join(workspace, 'buildkitd.toml'))
    expect(buildkitdConfigPath('', workspace)).toBe('')
    expect(() => buildkitdConfigPath('missing.toml', workspace)).toThrow(
      'Input "buildkitd-config": expected a BuildKit config file (buildkitd.toml), but missing.toml does not exist',
    )
  })
})
