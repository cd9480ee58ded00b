import { workflowContext } from '../../../src/github/context.js'
import { buildxBuildArgs, workflowRunUrl, type BuildxRun } from '../../../src/build/buildx-argv.js'
import { readBuildInputs } from '../../../src/build/inputs.js'

const reader =
  (inputs: Record<string, string>) =>
  (name: string, options?: { trim?: boolean }): string => {
    const value = inputs[name] ?? ''
    return options?.trim === false ? value : value.trim()
  }

const RUN_URL = 'https://github.com/acme/app/actions/runs/42/attempts/1'
const run: BuildxRun = {
  ociDir: '/tmp/bsp/oci',
  metadataFile: '/tmp/bsp/metadata.json',
  secretFiles: {},
  labels: [],
  annotations: [],
  builderId: RUN_URL,
  privateRepository: false,
  defaultAttestations: true,
}
const OUTPUT = [
  '--output',
  'type=oci,dest=/tmp/bsp/oci,tar=false',
  '--metadata-file',
  '/tmp/bsp/metadata.json',
]

describe('buildx argv', () => {
  test('defaults: context ".", the builder platform, max provenance for a public repository', () => {
    const { inputs, secrets, warnings } = readBuildInputs(reader({}))
    expect(buildxBuildArgs(inputs, run)).toEqual([
      'build',
      '--attest',
      `type=provenance,mode=max,builder-id=${RUN_URL}`,
      ...OUTPUT,
      '.',
    ])
    expect(secrets).toEqual([])
    expect(warnings).toEqual([])
  })

  test('a multi-platform release build with metadata labels and annotations, cache and a target', () => {
    const { inputs } = readBuildInputs(
      reader({
        context: './app',
        file: './app/Dockerfile.release',
        platforms: 'linux/amd64,linux/arm64\nlinux/arm/v7',
        'build-args': 'VERSION=1.4.9\nFLAGS=-O2,-g\n# a comment\nGREETING="hello, world"',
        'build-contexts': 'alpine=docker-image://alpine:3.20\nshared=../shared',
        target: 'runtime',
        pull: 'true',
        'cache-from': 'type=gha,scope=release',
        'cache-to': 'type=gha,mode=max,scope=release',
      }),
    )
    const argv = buildxBuildArgs(inputs, {
      ...run,
      labels: [
        'org.opencontainers.image.version=1.4.9',
        'org.opencontainers.image.description=An app, with commas',
      ],
      annotations: ['index:org.opencontainers.image.version=1.4.9'],
    })
    expect(argv).toEqual([
      'build',
      '--file',
      './app/Dockerfile.release',
      '--target',
      'runtime',
      '--platform',
      'linux/amd64,linux/arm64,linux/arm/v7',
      '--build-arg',
      'VERSION=1.4.9',
      '--build-arg',
      'FLAGS=-O2,-g',
      '--build-arg',
      'GREETING="hello, world"',
      '--build-context',
      'alpine=docker-image://alpine:3.20',
      '--build-context',
      'shared=../shared',
      '--label',
      'org.opencontainers.image.version=1.4.9',
      '--label',
      'org.opencontainers.image.description=An app, with commas',
      '--annotation',
      'index:org.opencontainers.image.version=1.4.9',
      '--cache-from',
      'type=gha,scope=release',
      '--cache-to',
      'type=gha,mode=max,scope=release',
      '--attest',
      `type=provenance,mode=max,builder-id=${RUN_URL}`,
      '--pull',
      ...OUTPUT,
      './app',
    ])
  })

  test('secrets go to files: ids and paths in argv, never a value', () => {
    const token = 'ghp_16C7e42F292c6912E7710c838347Ae178B4a'
    const pem =
      '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n'
    const { inputs, secrets } = readBuildInputs(
      reader({
        secrets: `github_token=${token}\n"deploy_key=${pem}"\n`,
        'secret-files': 'npmrc=/home/runner/.npmrc',
        'secret-envs': 'aws=AWS_SECRET_ACCESS_KEY',
      }),
    )
    expect(inputs.secrets).toEqual([
      { id: 'github_token', value: token },
      { id: 'deploy_key', value: pem },
    ])
    expect(secrets).toEqual([token, pem])
    const argv = buildxBuildArgs(inputs, {
      ...run,
      secretFiles: { github_token: '/tmp/bsp/secret-1', deploy_key: '/tmp/bsp/secret, 2' },
    })
    expect(argv.slice(1, 9)).toEqual([
      '--secret',
      'id=github_token,src=/tmp/bsp/secret-1',
      '--secret',
      // buildx reads --secret as CSV: a comma in the path is quoted.
      'id=deploy_key,"src=/tmp/bsp/secret, 2"',
      '--secret',
      'id=npmrc,src=/home/runner/.npmrc',
      '--secret',
      'id=aws,env=AWS_SECRET_ACCESS_KEY',
    ])
    for (const value of [token, pem, 'b3BlbnNzaC1rZXktdjEAAAAA']) {
      expect(argv.some((arg) => arg.includes(value))).toBe(false)
    }
  })

  test('a secret without a written file is a programming error, not a silent omission', () => {
    const { inputs } = readBuildInputs(reader({ secrets: 'token=abc' }))
    expect(() => buildxBuildArgs(inputs, run)).toThrow('no file was written for build secret "token"')
  })

  test('an empty secret (fork pull request) is dropped with a warning', () => {
    const { inputs, warnings } = readBuildInputs(reader({ secrets: 'token=\nother=x' }))
    expect(inputs.secrets).toEqual([{ id: 'other', value: 'x' }])
    expect(warnings).toEqual(['Input "secrets": secret "token" is empty and is not passed to the build.'])
  })

  test('single platform on a private repository with every knob', () => {
    const { inputs } = readBuildInputs(
      reader({
        platforms: 'linux/amd64',
        builder: 'bsp-builder',
        'no-cache': 'true',
        network: 'host',
        'shm-size': '2g',
        ulimit: 'nofile=1024:2048\nnproc=-1',
        sbom: 'true',
      }),
    )
    expect(buildxBuildArgs(inputs, { ...run, privateRepository: true })).toEqual([
      'build',
      '--builder',
      'bsp-builder',
      '--platform',
      'linux/amd64',
      '--attest',
      `type=provenance,mode=min,inline-only=true,builder-id=${RUN_URL}`,
      '--attest',
      'type=sbom,disabled=false',
      '--no-cache',
      '--network',
      'host',
      '--shm-size',
      '2g',
      '--ulimit',
      'nofile=1024:2048',
      '--ulimit',
      'nproc=-1',
      ...OUTPUT,
      '.',
    ])
  })

  test.each([
    ['', true, [`type=provenance,mode=max,builder-id=${RUN_URL}`]],
    ['', false, []],
    ['true', true, [`type=provenance,builder-id=${RUN_URL}`]],
    ['false', true, ['type=provenance,disabled=true']],
    ['mode=min', true, [`type=provenance,mode=min,builder-id=${RUN_URL}`]],
    [
      'mode=max,builder-id=https://ci.example/1',
      true,
      ['type=provenance,mode=max,builder-id=https://ci.example/1'],
    ],
  ])(
    'provenance %j (default attestations %s), as build-push-action passes it',
    (provenance, defaults, attests) => {
      const { inputs } = readBuildInputs(reader({ provenance }))
      const argv = buildxBuildArgs(inputs, { ...run, defaultAttestations: defaults })
      expect(argv.flatMap((arg, at) => (argv[at - 1] === '--attest' ? [arg] : []))).toEqual(attests)
    },
  )

  test.each([
    ['false', 'type=sbom,disabled=true'],
    ['generator=docker/buildkit-syft-scanner:1', 'type=sbom,generator=docker/buildkit-syft-scanner:1'],
  ])('sbom %j', (sbom, attest) => {
    const { inputs } = readBuildInputs(reader({ sbom }))
    expect(buildxBuildArgs(inputs, run)).toContain(attest)
  })

  test('the provenance builder id is the run URL with its attempt', () => {
    const context = workflowContext(
      { GITHUB_REPOSITORY: 'acme/app', GITHUB_RUN_ID: '42', GITHUB_SERVER_URL: 'https://github.com' },
      {},
    )
    expect(workflowRunUrl(context, 1)).toBe(RUN_URL)
  })

  test('a build argument that looks like a secret is built, with a warning', () => {
    const { warnings } = readBuildInputs(reader({ 'build-args': 'NPM_TOKEN=abc\nTOKENIZER=bpe' }))
    expect(warnings).toEqual([expect.stringMatching(/^Input "build-args": NPM_TOKEN looks like a secret/)])
  })
})

describe('bad build inputs name the input and what was expected', () => {
  test.each([
    ['build-args', 'VERSION', 'Input "build-args": expected KEY=value, got "VERSION"'],
    ['build-args', '=1.0', 'Input "build-args": expected KEY=value, got "=1.0"'],
    [
      'build-contexts',
      'docker-image://alpine',
      'Input "build-contexts": expected name=path, got "docker-image://alpine"',
    ],
    ['secret-files', 'npmrc', 'Input "secret-files": expected id=path, got "npmrc"'],
    [
      'secret-files',
      'npm rc=/x',
      'Input "secret-files": "npm rc" is not a secret id (letters, digits, "_", "." or "-"; not "." or "..")',
    ],
    ['secret-envs', 'aws=', 'Input "secret-envs": expected id=ENV_VARIABLE, got an empty value for "aws"'],
    [
      'platforms',
      'amd64',
      'Input "platforms": "amd64" is not a platform; expected os/arch[/variant] such as linux/amd64 (did you mean linux/amd64?)',
    ],
    [
      'platforms',
      'linux/x86_64',
      'Input "platforms": "linux/x86_64" is not a platform; expected os/arch[/variant] such as linux/amd64 (did you mean linux/amd64?)',
    ],
    [
      'platforms',
      'linux/amd46',
      'Input "platforms": "linux/amd46" is not a platform; expected os/arch[/variant] such as linux/amd64 ("amd46" is not an architecture docker knows)',
    ],
    [
      'platforms',
      'linux/arm/v7/x',
      'Input "platforms": "linux/arm/v7/x" is not a platform; expected os/arch[/variant] such as linux/amd64',
    ],
    ['platforms', 'linux/amd64,linux/AMD64', 'Input "platforms": linux/amd64 is listed twice'],
    [
      'shm-size',
      '2 gigabytes',
      'Input "shm-size": expected a size such as 2g, 512m or 1073741824, got "2 gigabytes"',
    ],
    ['shm-size', '-1g', 'Input "shm-size": expected a size such as 2g, 512m or 1073741824, got "-1g"'],
    [
      'ulimit',
      'nofile:1024',
      'Input "ulimit": expected name=soft[:hard] such as nofile=1024:2048, got "nofile:1024"',
    ],
    [
      'ulimit',
      'files=1024',
      'Input "ulimit": "files" is not a ulimit; expected one of core, cpu, data, fsize, locks, memlock, msgqueue, nice, nofile, nproc, rss, rtprio, rttime, sigpending, stack',
    ],
    [
      'ulimit',
      'nofile=4096:1024',
      'Input "ulimit": "nofile=4096:1024": the soft limit 4096 is above the hard limit 1024',
    ],
    [
      'network',
      'my-net',
      'Input "network": expected one of default, none, host (BuildKit supports no others), got "my-net"',
    ],
    ['pull', 'yes', 'Input "pull": expected "true" or "false", got "yes"'],
    ['no-cache', '1', 'Input "no-cache": expected "true" or "false", got "1"'],
    [
      'provenance',
      'max',
      'Input "provenance": expected true, false or attributes key=value[,key=value], got "max"',
    ],
    ['provenance', 'mode=full', 'Input "provenance": "mode=full": mode is min or max'],
    ['sbom', 'type=sbom', 'Input "sbom": the type is implied by the input name; remove "type="'],
    ['target', 'build stage', 'Input "target": "build stage" is not a build stage name (no spaces)'],
    [
      'context',
      '--output=/etc',
      'Input "context": "--output=/etc" starts with "-"; write ./--output=/etc for a path',
    ],
    [
      'build-args',
      '"VERSION=1',
      'Input "build-args": a double quote is not closed (an entry in quotes may span lines, but must end with ")',
    ],
  ])('%s: %j', (input, value, message) => {
    expect(() => readBuildInputs(reader({ [input]: value }))).toThrow(message)
  })

  test('a malformed secret is reported without echoing the line (it may be the secret)', () => {
    let message = ''
    try {
      readBuildInputs(reader({ secrets: 'ghp_16C7e42F292c6912E7710c838347Ae178B4a' }))
    } catch (error) {
      message = (error as Error).message
    }
    expect(message).toBe(
      'Input "secrets": expected id=value on each line, the id of letters, digits, "_", "." or "-" (not "." or "..")',
    )
  })

  test('one secret id twice across secrets, secret-files and secret-envs', () => {
    expect(() => readBuildInputs(reader({ secrets: 'npmrc=x', 'secret-files': 'npmrc=/a' }))).toThrow(
      'Input "secret-files": secret id "npmrc" is already given in "secrets"',
    )
  })

  test('platforms are lower-cased and may carry a variant', () => {
    const { inputs } = readBuildInputs(reader({ platforms: 'Linux/ARM64/v8, linux/arm/v6' }))
    expect(inputs.platforms).toEqual(['linux/arm64/v8', 'linux/arm/v6'])
  })

  test.each(['512m', '1073741824', '2GB', '1.5g', '64 MiB'])('shm-size %j is accepted', (size) => {
    expect(readBuildInputs(reader({ 'shm-size': size })).inputs.shmSize).toBe(size)
  })
})
