// Build inputs that passed silently, or failed only after the login: each is now an InputError
// naming the input, from the pure reader, so a dry run reports it too.
import { readBuildInputs } from '../../../src/build/inputs.js'
import { checkCacheEntry } from '../../../src/build/cache-inputs.js'

const reader =
  (inputs: Record<string, string>) =>
  (name: string, options?: { trim?: boolean }): string => {
    const value = inputs[name] ?? ''
    return options?.trim === false ? value : value.trim()
  }

const read = (inputs: Record<string, string>) => readBuildInputs(reader(inputs)).inputs

describe('secret ids are file names: "." and ".." are refused in every secret input', () => {
  test.each([
    ['secrets', '..=x'],
    ['secrets', '.=x'],
  ])('%s %j', (input, value) => {
    expect(() => read({ [input]: value })).toThrow(
      'Input "secrets": expected id=value on each line, the id of letters, digits, "_", "." or "-" (not "." or "..")',
    )
  })
  test.each([
    ['secret-files', '..=/etc/hostname'],
    ['secret-files', 'a/b=/etc/hostname'],
    ['secret-envs', '.=HOME'],
  ])('%s %j', (input, value) => {
    const id = value.slice(0, value.indexOf('='))
    expect(() => read({ [input]: value })).toThrow(
      `Input "${input}": "${id}" is not a secret id (letters, digits, "_", "." or "-"; not "." or "..")`,
    )
  })
  test('ids with dots inside are fine', () => {
    expect(read({ secrets: '.npmrc=x\nmy.token=y' }).secrets.map((secret) => secret.id)).toEqual([
      '.npmrc',
      'my.token',
    ])
  })
})

test.each(['AWS-KEY', '1TOKEN', 'A B', '$TOKEN'])(
  'secret-envs naming %j, not a variable name, is refused',
  (name) => {
    expect(() => read({ 'secret-envs': `aws=${name}` })).toThrow(
      `Input "secret-envs": "${name}" (for "aws") is not an environment variable name (letters, digits and "_", not starting with a digit)`,
    )
  },
)

test.each([',', ' , ,', ',\n,'])(
  'platforms %j lists no platform: refused, not the native platform',
  (text) => {
    expect(() => read({ platforms: text })).toThrow(
      `Input "platforms": "${text.trim()}" lists no platform; expected os/arch[/variant] such as linux/amd64`,
    )
  },
)

test('platforms left empty, or only commented out, still mean the builder platform', () => {
  expect(read({ platforms: '' }).platforms).toEqual([])
  expect(read({ platforms: '# linux/arm64' }).platforms).toEqual([])
  expect(read({ platforms: 'linux/amd64,' }).platforms).toEqual(['linux/amd64'])
})

describe('builder', () => {
  test.each(['--help', '-h', 'my builder', 'a/b', '_x', ''])('%j', (name) => {
    if (name === '') {
      expect(read({ builder: name }).builder).toBe('')
      return
    }
    expect(() => read({ builder: name })).toThrow(
      `Input "builder": "${name}" is not a builder name (a letter or digit, then letters, digits, ".", "_", "-" or "+")`,
    )
  })
  test.each(['default', 'mybuilder', 'builder-1.x_y', 'desktop-linux', '2nd+ctx'])(
    '%j is a builder or docker context name',
    (name) => {
      expect(read({ builder: name }).builder).toBe(name)
    },
  )
})

describe('cache-from and cache-to', () => {
  test.each([
    ['cache-from', 'type=gha'],
    ['cache-from', 'type=gha,scope=release'],
    ['cache-from', 'type=registry,ref=ghcr.io/acme/app:cache'],
    ['cache-from', 'TYPE=local,src=/tmp/cache'],
    ['cache-from', 'ghcr.io/acme/app:cache'],
    ['cache-from', 'acme/app:cache,ghcr.io/acme/app:cache'],
    ['cache-from', 'type=s3,region=eu-west-1,bucket=b'],
    ['cache-from', 'type=azblob,name=c,account_url=https://a.blob.core.windows.net'],
    ['cache-to', 'type=gha,mode=max'],
    ['cache-to', 'type=inline'],
    ['cache-to', 'type=local,dest=/tmp/cache'],
    ['cache-to', 'type=registry,"ref=ghcr.io/acme/app:cache",mode=max'],
    ['cache-to', 'ghcr.io/acme/app:cache'],
  ] as const)('%s %j is accepted as written', (input, entry) => {
    expect(checkCacheEntry(entry, input)).toBe(entry)
  })

  test.each([
    [
      'cache-from',
      'garbage',
      '"garbage" is neither type=<backend>[,key=value…] (backends: registry, local, gha, s3, azblob) nor an image reference with a repository path such as ghcr.io/acme/app:cache',
    ],
    [
      'cache-from',
      'Ghcr.io/Acme/App:cache',
      '"Ghcr.io/Acme/App:cache" is neither type=<backend>[,key=value…]',
    ],
    [
      'cache-from',
      'type=foo',
      '"foo" is not a cache type for cache-from; expected one of registry, local, gha, s3, azblob',
    ],
    [
      'cache-from',
      'type=inline',
      '"inline" is not a cache type for cache-from; expected one of registry, local, gha, s3, azblob; an inline cache is read back with type=registry,ref=<image>',
    ],
    [
      'cache-from',
      'mode=max',
      'an entry of key=value fields needs type=, one of registry, local, gha, s3, azblob',
    ],
    ['cache-from', 'type=registry', 'type=registry needs ref= (an image reference)'],
    ['cache-from', 'type=local,dest=/tmp/c', 'type=local needs src= (a directory)'],
    ['cache-to', 'type=local,src=/tmp/c', 'type=local needs dest= (a directory)'],
    ['cache-to', 'type=gha,max', 'expected key=value fields (type=…,key=value), got a field without "="'],
    ['cache-to', 'type=gha,"scope=x', 'a double quote is not closed in an entry'],
  ] as const)('%s %j is refused', (input, entry, detail) => {
    expect(() => read({ [input]: entry })).toThrow(`Input "${input}": ${detail}`)
  })

  test('a refused entry is never quoted: an s3 or gha entry may hold a key or token', () => {
    let message = ''
    try {
      read({ 'cache-to': 'type=s4,secret_access_key=wJalrXUtnFEMI,region=x' })
    } catch (error) {
      message = (error as Error).message
    }
    expect(message).toContain('Input "cache-to": "s4" is not a cache type')
    expect(message).not.toContain('wJalrXUtnFEMI')
  })
})

test('cache credentials (s3 keys, a gha token) are secrets to mask; the other attributes are not', () => {
  const { secrets } = readBuildInputs(
    reader({
      'cache-from': 'type=gha,token=ghs_cache_token,url=https://cache.example/',
      'cache-to':
        'type=s3,region=eu-west-1,bucket=b,access_key_id=AKIAEXAMPLE,secret_access_key=s3-secret,session_token=s3-session',
    }),
  )
  expect(secrets).toEqual(['ghs_cache_token', 'AKIAEXAMPLE', 's3-secret', 's3-session'])
  expect(readBuildInputs(reader({ 'cache-from': 'ghcr.io/acme/app:cache' })).secrets).toEqual([])
})
