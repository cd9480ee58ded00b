import { dockerConfigJson, secretsFor } from '../../../src/login/docker-config.js'
import {
  ecrLoginPasswordArgv,
  parseRegistryAuth,
  resolveRegistryAuth,
  type RegistryAuth,
  type RegistryAuthContext,
  type RegistryAuthInputs,
} from '../../../src/login/registry-auth.js'
import {
  isLoopbackHost,
  normalizeRegistryHost,
  parseImageReference,
  registryApiHost,
} from '../../../src/metadata/image-reference.js'

const none: RegistryAuthInputs = {
  registry: '',
  username: '',
  password: '',
  registryAuth: '',
  githubToken: '',
}
const pushing = { images: ['ghcr.io/acme/app'], actor: 'octocat', pushing: true }
const b64 = (text: string): string => Buffer.from(text).toString('base64')
// The images as the workflow names them; the engine hands on their parsed registries.
const contextOf = (context: { images: string[]; actor: string; pushing: boolean }): RegistryAuthContext => ({
  ...context,
  images: context.images.map((image) => parseImageReference(image)),
})
const resolve = (inputs: RegistryAuthInputs, context: Parameters<typeof contextOf>[0]): RegistryAuth =>
  resolveRegistryAuth(parseRegistryAuth(inputs), contextOf(context))

describe('defaults', () => {
  test('images on ghcr.io with no ghcr.io credential log in with github-token as the actor', () => {
    const auth = resolve({ ...none, githubToken: 'ghs_token' }, pushing)
    expect(auth.credentials).toEqual([
      { registry: 'ghcr.io', username: 'octocat', password: 'ghs_token', source: 'github-token' },
    ])
    expect(auth.secrets).toEqual([b64('octocat:ghs_token')]) // the token itself is masked as read
    expect(auth.uncovered).toEqual([])
  })

  test('a ghcr.io credential given by the user wins over github-token', () => {
    const auth = resolve(
      { ...none, registry: 'ghcr.io', username: 'bot', password: 'ghp_pat', githubToken: 'ghs_token' },
      pushing,
    )
    expect(auth.credentials).toEqual([
      { registry: 'ghcr.io', username: 'bot', password: 'ghp_pat', source: 'registry' },
    ])
  })

  test('registry: ghcr.io alone means github-token too', () => {
    const auth = resolve({ ...none, registry: 'ghcr.io', githubToken: 'ghs_token' }, pushing)
    expect(auth.credentials).toEqual([
      { registry: 'ghcr.io', username: 'octocat', password: 'ghs_token', source: 'github-token' },
    ])
  })

  test('no GHCR default when no image is on ghcr.io', () => {
    const auth = resolve({ ...none, githubToken: 'ghs_token' }, { ...pushing, images: ['acme/app'] })
    expect(auth.credentials).toEqual([])
    expect(auth.uncovered).toEqual(['docker.io'])
  })

  test('username and password without registry are for Docker Hub, and serve docker.io images', () => {
    const images = [
      'acme/app:1.0',
      'docker.io/acme/app',
      'index.docker.io/acme/tools',
      'registry-1.docker.io/acme/cli',
    ]
    const auth = resolve({ ...none, username: 'acme', password: 'dckr_pat_x' }, { ...pushing, images })
    expect(auth.credentials).toEqual([
      { registry: 'docker.io', username: 'acme', password: 'dckr_pat_x', source: 'registry' },
    ])
    expect(auth.uncovered).toEqual([])
    expect(resolve({ ...none, username: 'acme', password: 'x' }, pushing).uncovered).toEqual(['ghcr.io'])
  })
})

describe('registry-auth (YAML list)', () => {
  const registryAuth = `
- registry: ghcr.io
  username: octocat
  password: ghs_one
- registry: docker.io
  username: acme
  password: "0123"
- registry: 123456789012.dkr.ecr.eu-west-1.amazonaws.com
- registry: localhost:5000
  username: plain
  password: 0123
`
  test('every entry becomes a credential; every password, and its user:password base64, is masked', () => {
    const parsed = parseRegistryAuth({ ...none, registryAuth, githubToken: 'ghs_token' })
    const auth = resolveRegistryAuth(parsed, contextOf(pushing))
    expect(auth.credentials).toEqual([
      { registry: 'ghcr.io', username: 'octocat', password: 'ghs_one', source: 'registry-auth' },
      { registry: 'docker.io', username: 'acme', password: '0123', source: 'registry-auth' },
      {
        registry: '123456789012.dkr.ecr.eu-west-1.amazonaws.com',
        username: 'AWS',
        password: { ecrRegion: 'eu-west-1', ecrPublic: false },
        source: 'registry-auth',
      },
      // Unquoted 0123 stays the string "0123": YAML's core schema would have made it the number 123.
      { registry: 'localhost:5000', username: 'plain', password: '0123', source: 'registry-auth' },
    ])
    expect(parsed.secrets).toEqual(['ghs_one', '0123'])
    expect(auth.secrets).toEqual([b64('octocat:ghs_one'), b64('acme:0123'), b64('plain:0123')])
    // github-token was not used: ghcr.io has its own entry
    expect([...parsed.secrets, ...auth.secrets].join()).not.toContain('ghs_token')
  })

  test('combines with the single registry/username/password inputs', () => {
    const auth = resolve(
      {
        ...none,
        registry: 'quay.io',
        username: 'q',
        password: 'qp',
        registryAuth: '- registry: docker.io\n  username: d\n  password: dp\n',
      },
      pushing,
    )
    expect(auth.credentials.map((credential) => credential.registry)).toEqual(['quay.io', 'docker.io'])
  })

  test('an entry without registry is for Docker Hub, like docker/login-action', () => {
    const auth = resolve({ ...none, registryAuth: '- username: d\n  password: dp\n' }, pushing)
    expect(auth.credentials[0]!.registry).toBe('docker.io')
  })
})

describe('ECR', () => {
  test.each([
    ['123456789012.dkr.ecr.us-east-1.amazonaws.com', 'us-east-1', false],
    ['123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn', 'cn-north-1', false],
    ['123456789012.dkr.ecr-fips.us-gov-west-1.amazonaws.com', 'us-gov-west-1', false],
    ['123456789012.dkr-ecr.eu-central-1.on.aws', 'eu-central-1', false],
    ['public.ecr.aws', 'us-east-1', true],
  ])('%s without password is fetched from the AWS CLI (%s)', (registry, region, ecrPublic) => {
    const auth = resolve({ ...none, registry }, { ...pushing, images: [`${registry}/app`] })
    const credential = auth.credentials[0]!
    expect(credential).toEqual({
      registry,
      username: 'AWS',
      password: { ecrRegion: region, ecrPublic },
      source: 'registry',
    })
    expect(auth.secrets).toEqual([])
    const argv = ecrLoginPasswordArgv(credential.password as { ecrRegion: string; ecrPublic: boolean })
    expect(argv).toEqual([ecrPublic ? 'ecr-public' : 'ecr', 'get-login-password', '--region', region])
  })

  test('the fetched token is masked with its base64 user:password pair', () => {
    const registry = '123456789012.dkr.ecr.us-east-1.amazonaws.com'
    expect(secretsFor({ registry, username: 'AWS', password: 'eyJ0b2tlbiI6MX0' })).toEqual([
      'eyJ0b2tlbiI6MX0',
      b64('AWS:eyJ0b2tlbiI6MX0'),
    ])
  })

  test('an ECR token given as password is used as is, user AWS', () => {
    const auth = resolve(
      { ...none, registry: '123456789012.dkr.ecr.us-east-1.amazonaws.com', password: 'eyJwYXlsb2Fk' },
      pushing,
    )
    expect(auth.credentials[0]).toMatchObject({ username: 'AWS', password: 'eyJwYXlsb2Fk' })
  })

  test('AWS access keys as username/password (docker/login-action style) are refused with the way out', () => {
    expect(() =>
      resolve(
        {
          ...none,
          registry: '123456789012.dkr.ecr.us-east-1.amazonaws.com',
          username: 'AKIAIOSFODNN7EXAMPLE',
          password: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
        },
        pushing,
      ),
    ).toThrow(/^Input "username": .*not AWS access keys.*configure-aws-credentials/)
  })

  test('a registry that only looks like ECR is not ECR', () => {
    expect(() =>
      resolve({ ...none, registry: '12345.dkr.ecr.us-east-1.amazonaws.com.evil.io' }, pushing),
    ).toThrow(
      'Input "password": 12345.dkr.ecr.us-east-1.amazonaws.com.evil.io has neither username nor password',
    )
  })
})

describe('bad input', () => {
  test('a password without username', () => {
    expect(() => resolve({ ...none, registry: 'quay.io', password: 'secret-value' }, pushing)).toThrow(
      'Input "username": a password is given for quay.io but no username',
    )
  })

  test('an empty password fails when pushing, naming the likely cause; the message holds no secret', () => {
    expect(() => resolve({ ...none, registry: 'quay.io', username: 'q' }, pushing)).toThrow(
      /^Input "password": quay.io has a username \(q\) but an empty password; .*secrets are empty in pull requests from forks/,
    )
  })

  test('when not pushing (fork pull request) an empty password is a warning and the credential is dropped', () => {
    const auth = resolve(
      { ...none, registry: 'quay.io', username: 'q', githubToken: 'ghs_read' },
      { ...pushing, pushing: false },
    )
    expect(auth.credentials.map((credential) => credential.registry)).toEqual(['ghcr.io'])
    expect(auth.warnings).toEqual([
      expect.stringMatching(/^Input "password": quay.io has a username .* Not pushing/),
    ])
  })

  test.each([
    [
      'ghcr.io/acme',
      'Input "registry": "ghcr.io/acme" is not a registry host; expected a host such as ghcr.io or localhost:5000',
    ],
    [
      'ghcr io',
      'Input "registry": "ghcr io" is not a registry host; expected a host such as ghcr.io or localhost:5000',
    ],
    [
      'localhost:99999',
      'Input "registry": "localhost:99999" is not a registry host; expected a host such as ghcr.io or localhost:5000',
    ],
  ])('malformed registry %j', (registry, message) => {
    expect(() => resolve({ ...none, registry, username: 'u', password: 'p' }, pushing)).toThrow(message)
  })

  test('a registry given twice, even through an alias, is refused', () => {
    const registryAuth = '- registry: https://index.docker.io/v1/\n  username: a\n  password: b\n'
    expect(() => resolve({ ...none, username: 'acme', password: 'x', registryAuth }, pushing)).toThrow(
      'Input "registry-auth[1]": docker.io already has credentials from "registry"; give each registry once',
    )
  })

  test('unknown keys are named (a typo must not drop a password silently)', () => {
    expect(() =>
      resolve({ ...none, registryAuth: '- registry: quay.io\n  username: a\n  pasword: b\n' }, pushing),
    ).toThrow('Input "registry-auth[1]": unknown key "pasword"; expected registry, username, password')
  })

  test('not a list', () => {
    expect(() => resolve({ ...none, registryAuth: 'registry: quay.io\nusername: a\n' }, pushing)).toThrow(
      /^Input "registry-auth": expected a YAML list of entries/,
    )
  })

  test('invalid YAML reports the line without quoting it (it may hold a password)', () => {
    const registryAuth = '- registry: quay.io\n  username: a\n  password: "hunter2\n'
    let message = ''
    try {
      resolve({ ...none, registryAuth }, pushing)
    } catch (error) {
      message = (error as Error).message
    }
    expect(message).toMatch(/^Input "registry-auth": is not valid YAML \(.* at line \d+, column \d+\)$/)
    expect(message).not.toContain('hunter2')
  })
})

describe('dockerConfigJson', () => {
  test('writes Docker Hub under the legacy key the docker CLI looks up', () => {
    const json = JSON.parse(
      dockerConfigJson([
        { registry: 'docker.io', username: 'acme', password: 'p1' },
        { registry: 'ghcr.io', username: 'octocat', password: 'p2' },
      ]),
    ) as unknown
    expect(json).toEqual({
      auths: {
        'https://index.docker.io/v1/': { auth: b64('acme:p1') },
        'ghcr.io': { auth: b64('octocat:p2') },
      },
    })
  })
})

describe('image references', () => {
  test.each([
    ['alpine', 'docker.io', 'library/alpine', undefined],
    ['acme/app:1.4.9', 'docker.io', 'acme/app', '1.4.9'],
    ['ghcr.io/acme/app:latest', 'ghcr.io', 'acme/app', 'latest'],
    ['localhost:5000/sandbox/busybox:latest', 'localhost:5000', 'sandbox/busybox', 'latest'],
    ['localhost/app', 'localhost', 'app', undefined],
    ['Index.Docker.io/acme/app', 'docker.io', 'acme/app', undefined],
  ])('%s', (reference, registry, path, tag) => {
    expect(parseImageReference(reference)).toMatchObject({ registry, path, tag })
  })

  test('a digest is split off', () => {
    const digest = `sha256:${'a'.repeat(64)}`
    expect(parseImageReference(`ghcr.io/acme/app@${digest}`)).toMatchObject({
      name: 'ghcr.io/acme/app',
      digest,
    })
  })

  test('bad references name the input', () => {
    expect(() => parseImageReference('ghcr.io/Acme/App')).toThrow(
      'Input "images": "ghcr.io/Acme/App": expected [host/]path[:tag] with a lower-case path such as ghcr.io/acme/app',
    )
  })

  test('hosts', () => {
    expect(normalizeRegistryHost('https://GHCR.io/', 'registry')).toBe('ghcr.io')
    expect(registryApiHost('docker.io')).toBe('registry-1.docker.io')
    expect(['localhost:5000', '127.0.0.1:5000', '[::1]:5000', 'localhost'].map(isLoopbackHost)).toEqual([
      true,
      true,
      true,
      true,
    ])
    expect(['ghcr.io', 'localhost.evil.io:5000', '10.0.0.1:5000'].map(isLoopbackHost)).toEqual([
      false,
      false,
      false,
    ])
  })
})
