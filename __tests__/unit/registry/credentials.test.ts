// The registry client's credential parts, on data: the docker config's auths and credHelpers, a
// credential helper's answers, the identity token's OAuth2 form and errors.
import { refreshTokenForm } from '../../../src/registry/challenge.js'
import { CREDENTIALS_NOT_FOUND, helperAnswer } from '../../../src/registry/credential-helper.js'
import {
  basicHeader,
  credentialSourceFor,
  parseAuthFile,
  secretsOf,
} from '../../../src/registry/credentials.js'
import { parseOAuthError } from '../../../src/registry/errors.js'

const pair = (user: string, password: string): string => Buffer.from(`${user}:${password}`).toString('base64')

describe('credentials from the docker config', () => {
  const config = parseAuthFile(
    JSON.stringify({
      auths: {
        'https://index.docker.io/v1/': { auth: pair('hub', 'h') },
        'localhost:5000': { auth: pair('local', 'l:with:colons') },
        'https://ghcr.io': { auth: pair('gh', 'g') },
        'registry.example/v2/': { auth: pair('ex', 'e') },
        // What `az acr login` leaves: a zero user with no password, and the identity token.
        'x.azurecr.io': {
          auth: pair('00000000-0000-0000-0000-000000000000', ''),
          identitytoken: 'refresh-1',
        },
        'only-token.example': { identitytoken: 'refresh-2' },
        'no-password.example': { auth: pair('', 'p') },
        // A helper wins over a stored entry, as in the docker CLI.
        'us-docker.pkg.dev': { auth: pair('stale', 's') },
      },
      credHelpers: {
        'us-docker.pkg.dev': 'gcloud',
        '123456789012.dkr.ecr.us-east-1.amazonaws.com': 'ecr-login',
        'odd.example': 'bad/name',
      },
    }),
    'config.json',
  )

  test.each([
    ['docker.io', { kind: 'stored', credential: { kind: 'password', username: 'hub', password: 'h' } }],
    [
      'localhost:5000',
      { kind: 'stored', credential: { kind: 'password', username: 'local', password: 'l:with:colons' } },
    ],
    ['ghcr.io', { kind: 'stored', credential: { kind: 'password', username: 'gh', password: 'g' } }],
    ['registry.example', { kind: 'stored', credential: { kind: 'password', username: 'ex', password: 'e' } }],
    ['x.azurecr.io', { kind: 'stored', credential: { kind: 'identity token', token: 'refresh-1' } }],
    ['only-token.example', { kind: 'stored', credential: { kind: 'identity token', token: 'refresh-2' } }],
    ['no-password.example', undefined],
    ['us-docker.pkg.dev', { kind: 'helper', helper: 'gcloud', serverUrl: 'us-docker.pkg.dev' }],
    [
      '123456789012.dkr.ecr.us-east-1.amazonaws.com',
      { kind: 'helper', helper: 'ecr-login', serverUrl: '123456789012.dkr.ecr.us-east-1.amazonaws.com' },
    ],
    ['localhost:5443', undefined],
  ])('%s', (registry, expected) => {
    expect(credentialSourceFor(config, registry)).toEqual(expected)
  })

  test('a helper name that is not a program suffix is refused when its registry is used, and only then', () => {
    expect(() => credentialSourceFor(config, 'odd.example')).toThrow(
      'the docker config\'s credHelpers names "bad/name" as the helper for odd.example; expected the suffix of a docker-credential-<name> program',
    )
  })

  test('a file that is not JSON is named, its text is not', () => {
    expect(() => parseAuthFile('{"auths": secret', '/tmp/config.json')).toThrow(
      'the auth file /tmp/config.json is not JSON; expected a docker config.json',
    )
  })

  test('credHelpers that is not an object is named', () => {
    expect(() => parseAuthFile('{"credHelpers": ["gcloud"]}', 'f')).toThrow(
      'the auth file f has a "credHelpers" that is not an object',
    )
  })

  test('a file without auths has no credentials', () => {
    expect(parseAuthFile('{}', 'f')).toEqual({ auths: {}, credHelpers: {} })
  })

  test('the Basic header', () => {
    expect(basicHeader({ username: 'u', password: 'p' })).toBe(`Basic ${pair('u', 'p')}`)
  })

  test('what is masked: the password and the Basic pair, or the token', () => {
    expect(secretsOf({ kind: 'password', username: 'u', password: 'p' })).toEqual(['p', pair('u', 'p')])
    expect(secretsOf({ kind: 'password', username: 'u', password: '' })).toEqual([pair('u', '')])
    expect(secretsOf({ kind: 'identity token', token: 't' })).toEqual(['t'])
  })
})

describe("a credential helper's answer", () => {
  const result = (exitCode: number, stdout: string, stderr = '') => ({ exitCode, stdout, stderr })
  const answer = (exitCode: number, stdout: string, stderr = '') =>
    helperAnswer(result(exitCode, stdout, stderr), 'gcloud', 'us-docker.pkg.dev')

  test('a user name and secret', () => {
    expect(
      answer(0, '{"ServerURL":"us-docker.pkg.dev","Username":"oauth2accesstoken","Secret":"s3"}'),
    ).toEqual({
      kind: 'password',
      username: 'oauth2accesstoken',
      password: 's3',
    })
  })

  test('<token> as the user name: the secret is an identity token', () => {
    expect(answer(0, '{"Username":"<token>","Secret":"refresh"}')).toEqual({
      kind: 'identity token',
      token: 'refresh',
    })
  })

  test('nothing stored for the server: anonymous', () => {
    expect(answer(1, `${CREDENTIALS_NOT_FOUND}\n`)).toBeUndefined()
    expect(answer(0, '{"Username":"","Secret":""}')).toBeUndefined()
  })

  test('any other failure names the helper, the server and the exit, and shows none of the output', () => {
    const failed = () => answer(2, 'secret-in-stdout', 'secret-in-stderr')
    expect(failed).toThrow(
      'the credential helper docker-credential-gcloud failed for us-docker.pkg.dev (exit 2); its output is not shown',
    )
    expect(failed).not.toThrow(/secret-in/)
  })

  test.each(['not json secret-xyz', '{"Username":"u"}', 'null', '"secret-xyz"'])(
    'an answer that is not the expected JSON is refused without showing it: %s',
    (stdout) => {
      const refused = () => answer(0, stdout)
      expect(refused).toThrow(
        'the credential helper docker-credential-gcloud answered for us-docker.pkg.dev with something other than the JSON',
      )
      expect(refused).not.toThrow(/secret-xyz/)
    },
  )
})

describe('identity tokens at the token server', () => {
  test('the refresh-token form: grant, service, the scopes space-separated, client_id, token', () => {
    const form = new URLSearchParams(
      refreshTokenForm(
        { scheme: 'bearer', params: { realm: 'https://x.azurecr.io/oauth2/token', service: 'x.azurecr.io' } },
        ['repository:app:pull,push', 'repository:base:pull', 'repository:app:pull,push'],
        'refresh+/=',
      ),
    )
    expect([...form.entries()]).toEqual([
      ['grant_type', 'refresh_token'],
      ['service', 'x.azurecr.io'],
      ['scope', 'repository:app:pull,push repository:base:pull'],
      ['client_id', 'build-scan-push'],
      ['refresh_token', 'refresh+/='],
    ])
  })

  test("an OAuth2 error keeps its code, never its description (the server's own words)", () => {
    expect(parseOAuthError('{"error":"invalid_grant","error_description":"token abc is bad"}')).toEqual({
      code: 'invalid_grant',
      message: '',
    })
    expect(parseOAuthError('{"error":"token abc is bad"}')).toBeUndefined()
    expect(parseOAuthError('<html>')).toBeUndefined()
  })
})
