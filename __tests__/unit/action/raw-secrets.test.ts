import { rawSecretMasks } from '../../../src/action/raw-secrets.js'

function reader(values: Record<string, string>) {
  return (name: string) => values[name] ?? ''
}

test('every line of every secret-bearing input is masked as written, before any parsing', () => {
  const masks = rawSecretMasks(
    reader({
      password: '  hunter2  ',
      'github-token': 'ghs_abc',
      secrets: 'NPM_TOKEN=npm_123\n"MULTI=line one\nline two"\n',
      'scout-password': ' dckr_pat_scout ',
      images: 'ghcr.io/acme/app',
    }),
  )
  expect(masks).toEqual(
    expect.arrayContaining([
      'hunter2',
      'ghs_abc',
      'NPM_TOKEN=npm_123',
      'npm_123',
      'line one',
      'line two"',
      'dckr_pat_scout',
    ]),
  )
  expect(masks).not.toContain('ghcr.io/acme/app')
})

test.each([
  ['*Xk9pQ2zz', ['*Xk9pQ2zz', 'Xk9pQ2zz']],
  ['&abc def', ['&abc def', 'abc def']],
  ['abc #x', ['abc #x']],
  ['!tag', ['!tag', 'tag']],
  ["'quoted #1'", ["'quoted #1'", 'quoted #1']],
])(
  'a registry-auth password %s is masked with and without what YAML reads specially',
  (password, expected) => {
    const masks = rawSecretMasks(
      reader({ 'registry-auth': `- registry: ghcr.io\n  username: octocat\n  password: ${password}\n` }),
    )
    expect(masks).toEqual(expect.arrayContaining([`password: ${password}`, ...expected]))
  },
)

test('lines of registry-auth that are only YAML punctuation are not masked (that would star out every dash)', () => {
  const masks = rawSecretMasks(
    reader({ 'registry-auth': '-\n  registry: quay.io\n  password: |\n    s3cret\n' }),
  )
  expect(masks).toEqual(['registry: quay.io', 'password: |', 's3cret'])
})

test('nothing to mask when no secret-bearing input is set', () => {
  expect(rawSecretMasks(reader({ images: 'a', tags: 'type=sha' }))).toEqual([])
})
