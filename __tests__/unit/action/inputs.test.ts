import { readInputs } from '../../../src/action/inputs.js'

function reader(values: Record<string, string>) {
  return (name: string, options?: { trim?: boolean }) => {
    const value = values[name] ?? ''
    return options?.trim === false ? value : value.trim()
  }
}

test('reads the metadata inputs verbatim and defaults the rest', () => {
  const inputs = readInputs(reader({ images: 'ghcr.io/acme/app', tags: 'type=sha' }))
  expect(inputs.metadata).toEqual({
    images: 'ghcr.io/acme/app',
    tags: 'type=sha',
    flavor: '',
    labels: '',
    annotations: '',
  })
  expect(inputs.dryRun).toBe(false)
  expect([inputs.sepTags, inputs.sepLabels, inputs.sepAnnotations]).toEqual(['\n', '\n', '\n'])
})

test('keeps a separator made of white space', () => {
  expect(readInputs(reader({ images: 'a', 'sep-tags': ' ' })).sepTags).toBe(' ')
})

test.each([
  ['true', true],
  ['TRUE', true],
  ['False', false],
])('dry-run %s is %s', (text, expected) => {
  expect(readInputs(reader({ images: 'a', 'dry-run': text })).dryRun).toBe(expected)
})

test('a dry-run that is not a boolean names the input and what it accepts', () => {
  expect(() => readInputs(reader({ images: 'a', 'dry-run': 'yes' }))).toThrow(
    'Input "dry-run": expected "true" or "false", got "yes"',
  )
})

test('metadata-action environment variables are honoured', () => {
  const inputs = readInputs(reader({ images: 'a' }), {
    DOCKER_METADATA_ANNOTATIONS_LEVELS: 'manifest, index',
    DOCKER_METADATA_SHORT_SHA_LENGTH: '12',
  })
  expect(inputs.annotationLevels).toEqual(['manifest', 'index'])
  expect(inputs.shortShaLength).toBe(12)
})

test('DOCKER_METADATA_PR_HEAD_SHA is off unless "true" (any case); another value is refused', () => {
  expect(readInputs(reader({ images: 'a' })).prHeadSha).toBe(false)
  expect(readInputs(reader({ images: 'a' }), { DOCKER_METADATA_PR_HEAD_SHA: 'True' }).prHeadSha).toBe(true)
  expect(readInputs(reader({ images: 'a' }), { DOCKER_METADATA_PR_HEAD_SHA: 'false' }).prHeadSha).toBe(false)
  expect(() => readInputs(reader({ images: 'a' }), { DOCKER_METADATA_PR_HEAD_SHA: '1' })).toThrow(
    'Input "DOCKER_METADATA_PR_HEAD_SHA": expected "true" or "false", got "1"',
  )
})

test.each(['0', 'seven', '41', '7.5'])(
  'a short SHA length of "%s" is refused with what is expected',
  (text) => {
    expect(() => readInputs(reader({ images: 'a' }), { DOCKER_METADATA_SHORT_SHA_LENGTH: text })).toThrow(
      `Input "DOCKER_METADATA_SHORT_SHA_LENGTH": expected a whole number from 1 to 40, got "${text}"`,
    )
  },
)

test('the build and push inputs default as build-push-action and the issue say', () => {
  const inputs = readInputs(reader({ images: 'a' }))
  expect(inputs.push).toBe('auto')
  expect(inputs.floatingTags).toBe('highest')
  expect(inputs.logout).toBe(true)
  expect(inputs.build.context).toBe('.')
  expect(inputs.build.platforms).toEqual([])
  expect(inputs.secrets).toEqual([])
})

test('every password and build secret is collected for masking, with the base64 pair docker stores', () => {
  const inputs = readInputs(
    reader({
      images: 'a',
      registry: 'localhost:5000',
      username: 'ci',
      password: 'pw-single',
      'registry-auth': '- registry: ghcr.io\n  username: bot\n  password: pw-listed\n',
      secrets: 'npm=tok-build',
    }),
  )
  expect(inputs.secrets).toEqual(expect.arrayContaining(['pw-single', 'pw-listed', 'tok-build']))
  expect(inputs.auth.entries[0]).toMatchObject({
    registry: 'localhost:5000',
    username: 'ci',
    password: 'pw-single',
  })
})

test.each([
  [{ push: 'yes' }, 'Input "push": expected "auto", "true" or "false", got "yes"'],
  [{ 'floating-tags': 'newest' }, 'Input "floating-tags": expected "highest" or "always", got "newest"'],
  [{ logout: 'no' }, 'Input "logout": expected "true" or "false", got "no"'],
  [{ 'registry-auth': '- registry: [' }, 'Input "registry-auth": is not valid YAML'],
  [{ password: 'x' }, 'Input "username": a password is given for docker.io but no username'],
])('bad input %o fails in readInputs, before anything runs', (bad, message) => {
  expect(() => readInputs(reader({ images: 'a', ...bad }))).toThrow(message)
})

test('scanner scout: the Scout login defaults to the docker.io credential, and its password is masked', () => {
  const inputs = readInputs(
    reader({
      images: 'docker.io/acme/app',
      scanner: 'scout',
      'registry-auth': '- registry: docker.io\n  username: acme\n  password: hub-pat\n',
    }),
  )
  expect(inputs.scan.scoutLogin).toEqual({
    username: 'acme',
    password: 'hub-pat',
    source: 'registry-auth[1]',
  })
  expect(inputs.secrets).toContain('hub-pat')
  const own = readInputs(
    reader({ images: 'a', scanner: 'scout', 'scout-username': 'bot', 'scout-password': 'pat-1' }),
  )
  expect(own.secrets).toContain('pat-1')
})

test('scanner scout without any Docker Hub account fails while the inputs are read (the dry run too)', () => {
  expect(() => readInputs(reader({ images: 'ghcr.io/acme/app', scanner: 'scout' }))).toThrow(
    /^Input "scout-username": scanner "scout" needs a Docker Hub account/,
  )
})
