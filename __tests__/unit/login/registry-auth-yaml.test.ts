// registry-auth holds passwords substituted into YAML unquoted: what YAML would read differently
// from what was written is refused, by entry and key, and no message ever holds the text.
import { parseRegistryAuth, type RegistryAuthInputs } from '../../../src/login/registry-auth.js'

const none: RegistryAuthInputs = {
  registry: '',
  username: '',
  password: '',
  registryAuth: '',
  githubToken: '',
}

function entryWithPassword(password: string): string {
  return `- registry: ghcr.io\n  username: octocat\n  password: ghs_first\n- registry: quay.io\n  username: bot\n  password: ${password}\n`
}

/** The message parseRegistryAuth fails with, or '' when it does not. */
function failure(registryAuth: string): string {
  try {
    parseRegistryAuth({ ...none, registryAuth })
  } catch (error) {
    return (error as Error).message
  }
  return ''
}

test.each([
  ['*Xk9pQ2zz', 'Xk9pQ2zz', /is a YAML alias \(it starts with "\*"\)/],
  ['&abc def', 'abc', /starts with a YAML anchor/],
  ['abc #x', 'abc', /is followed by " #", which starts a YAML comment/],
  ['!tag', '!tag', /starts with a YAML tag/],
  ['!t4g9', 't4g9', /starts with a YAML tag/],
  ['!!str s3cret', 's3cret', /starts with a YAML tag/],
  ['#s3cret', 's3cret', /is followed by " #"/],
])('password %s is refused, naming the entry and key, never the value', (password, secretPart, problem) => {
  const message = failure(entryWithPassword(password))
  expect(message).toMatch(/^Input "registry-auth\[2\]": the value of "password" /)
  expect(message).toMatch(problem)
  expect(message).toContain("put the value in single quotes ('…', with any ' inside written twice)")
  expect(message).not.toContain(secretPart)
})

test.each(['*Xk9pQ2zz', '&abc def', 'abc #x', '!tag', "it''s"])(
  'the same password in single quotes is read exactly as written: %s',
  (password) => {
    const parsed = parseRegistryAuth({ ...none, registryAuth: entryWithPassword(`'${password}'`) })
    expect(parsed.entries[1]?.password).toBe(password.replace("''", "'"))
  },
)

test('a comment after a quoted value, or on a line of its own, is fine', () => {
  const registryAuth = [
    '# the registries this workflow pushes to',
    '- registry: quay.io # Red Hat',
    '  username: "bot" # the robot account',
    '  # the token is rotated monthly',
    "  password: 'p#ss w0rd' # quoted",
  ].join('\n')
  expect(failure(registryAuth)).toMatch(
    /^Input "registry-auth\[1\]": the value of "registry" is followed by " #"/,
  )
  const parsed = parseRegistryAuth({
    ...none,
    registryAuth: registryAuth.replace('quay.io #', '"quay.io" #'),
  })
  expect(parsed.entries).toMatchObject([{ registry: 'quay.io', username: 'bot', password: 'p#ss w0rd' }])
})

test('a "#" inside an unquoted value (no space before it) is part of the value, as YAML reads it', () => {
  expect(parseRegistryAuth({ ...none, registryAuth: entryWithPassword('ab#cd') }).entries[1]?.password).toBe(
    'ab#cd',
  )
})

test('anchors and aliases of whole entries or keys are refused too', () => {
  expect(failure('- &base\n  registry: quay.io\n  username: a\n  password: b\n- *base\n')).toMatch(
    /^Input "registry-auth\[1\]": the entry starts with a YAML anchor/,
  )
  expect(failure('- registry: quay.io\n  *k : v\n')).toMatch(
    /^Input "registry-auth\[1\]": a key is a YAML alias/,
  )
})

test('a syntax error gives the line and column, never the text', () => {
  const message = failure('- registry: quay.io\n  username: a\n  password: "hunter2\n')
  expect(message).toMatch(/^Input "registry-auth": is not valid YAML \(.* at line \d+, column \d+\)$/)
  expect(message).not.toContain('hunter2')
  expect(failure('- registry: quay.io\n  password: @hunter2\n')).toBe(
    'Input "registry-auth": is not valid YAML (an unquoted value starts with a character YAML reserves; quote it at line 2, column 13)',
  )
})

test('an unknown key is named only when it is a plain word (a typo), never when it could be a secret', () => {
  expect(failure('- registry: quay.io\n  pasword: x\n')).toContain('unknown key "pasword"')
  const message = failure('- registry: quay.io\n  ghp_Secret123: x\n')
  expect(message).toBe(
    'Input "registry-auth[1]": unknown key (not quoted here); expected registry, username, password',
  )
})
