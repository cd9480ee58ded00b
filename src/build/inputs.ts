import { parse } from 'csv-parse/sync'
import { InputError } from '../action/errors.js'
import { optionalBoolean, type InputReader } from '../action/input-list.js'
import { checkBuilderName } from './builder-name.js'
import { cacheCredentials, checkCacheEntry } from './cache-inputs.js'
import { parsePlatforms } from './platforms.js'

export interface KeyValue {
  key: string
  value: string
}

/** A `secrets` entry: its value goes to a file the caller writes, never into argv. */
export interface BuildSecret {
  id: string
  value: string
}

/** The build inputs, named and shaped as docker/build-push-action names them, checked. */
export interface BuildInputs {
  context: string
  file: string
  /** `os/arch[/variant]`, lower-cased; empty means the builder's own platform. */
  platforms: string[]
  buildArgs: KeyValue[]
  buildContexts: KeyValue[]
  secrets: BuildSecret[]
  /** `id` and the path of a file that already holds the secret. */
  secretFiles: KeyValue[]
  /** `id` and the name of an environment variable holding the secret. */
  secretEnvs: KeyValue[]
  target: string
  pull: boolean
  noCache: boolean
  cacheFrom: string[]
  cacheTo: string[]
  /** As written: '' (the default), a boolean, or attributes such as `mode=max`. */
  provenance: string
  sbom: string
  network: string
  shmSize: string
  ulimits: string[]
  builder: string
}

export interface ReadBuildInputs {
  inputs: BuildInputs
  /** Build secrets and cache credentials, to pass to `core.setSecret` before anything is logged. */
  secrets: string[]
  warnings: string[]
}

const NETWORKS = ['default', 'none', 'host']
const ULIMITS = [
  'core',
  'cpu',
  'data',
  'fsize',
  'locks',
  'memlock',
  'msgqueue',
  'nice',
  'nofile',
  'nproc',
  'rss',
  'rtprio',
  'rttime',
  'sigpending',
  'stack',
]
// docker's RAMInBytes: a number, an optional space, then k/m/g/t/p, an optional i and an optional b.
const SIZE = /^\d+(?:\.\d+)? ?[kmgtp]?i?b?$/i
const BUILD_ARG_NAME = /^[^\s=]+$/
const SECRET_ID = /^[A-Za-z0-9_.-]+$/
// A POSIX environment variable name: buildx looks the secret up by it.
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/
const SECRET_LOOKING_NAME =
  /(?:^|_)(?:TOKEN|PASSWORD|PASSWD|SECRET|API_?KEY|PRIVATE_?KEY|CREDENTIALS?)(?:$|_)/i

/** Reads and checks every build input; an impossible value fails here, before anything runs. */
export function readBuildInputs(read: InputReader): ReadBuildInputs {
  const warnings: string[] = []
  const buildArgs = keyValues(entries(read('build-args'), 'build-args'), 'build-args', 'KEY=value')
  for (const arg of buildArgs) {
    if (!BUILD_ARG_NAME.test(arg.key))
      throw new InputError('build-args', `"${arg.key}" is not a build argument name`)
    if (SECRET_LOOKING_NAME.test(arg.key)) {
      warnings.push(
        `Input "build-args": ${arg.key} looks like a secret; build arguments are kept in the image history and ` +
          'provenance. Pass secrets with the "secrets" input and RUN --mount=type=secret.',
      )
    }
  }
  const secrets = secretEntries(read('secrets', { trim: false }), warnings)
  const inputs: BuildInputs = {
    context: pathInput(read('context') || '.', 'context'),
    file: pathInput(read('file'), 'file'),
    platforms: parsePlatforms(read('platforms')),
    buildArgs,
    buildContexts: keyValues(
      entries(read('build-contexts'), 'build-contexts'),
      'build-contexts',
      'name=path',
    ),
    secrets,
    secretFiles: secretReferences(read('secret-files'), 'secret-files', 'id=path'),
    secretEnvs: secretReferences(read('secret-envs'), 'secret-envs', 'id=ENV_VARIABLE'),
    target: target(read('target')),
    pull: optionalBoolean(read('pull'), 'pull', false),
    noCache: optionalBoolean(read('no-cache'), 'no-cache', false),
    cacheFrom: entries(read('cache-from'), 'cache-from').map((entry) => checkCacheEntry(entry, 'cache-from')),
    cacheTo: entries(read('cache-to'), 'cache-to').map((entry) => checkCacheEntry(entry, 'cache-to')),
    provenance: attestationInput(read('provenance'), 'provenance'),
    sbom: attestationInput(read('sbom'), 'sbom'),
    network: network(read('network')),
    shmSize: shmSize(read('shm-size')),
    ulimits: entries(read('ulimit'), 'ulimit').map(ulimit),
    builder: checkBuilderName(read('builder')),
  }
  checkUniqueIds(inputs)
  const cacheSecrets = cacheCredentials(inputs.cacheFrom, inputs.cacheTo)
  return { inputs, secrets: [...secrets.map((secret) => secret.value), ...cacheSecrets], warnings }
}

export function isBoolean(text: string): boolean {
  return /^(true|false)$/i.test(text)
}

/**
 * The entries of a multi-line input, one per line as build-push-action reads them: CSV quoting
 * lets one entry span lines (`"KEY=line1\nline2"`), commas stay inside the entry, and lines
 * starting with `#` are comments.
 */
function entries(text: string, input: string, trim = true): string[] {
  if (text.trim() === '') return []
  let records: string[][]
  try {
    records = parse(text, {
      // No field splitting: commas belong to the entry (`FLAGS=-O2,-g`), only quotes and newlines count.
      delimiter: '\u0000',
      columns: false,
      relaxQuotes: true,
      relaxColumnCount: true,
      skipEmptyLines: true,
      comment: '#',
      comment_no_infix: true,
      trim,
    }) as string[][]
  } catch {
    throw new InputError(
      input,
      'a double quote is not closed (an entry in quotes may span lines, but must end with ")',
    )
  }
  return records.map((record) => record.join('\u0000')).filter((entry) => entry.trim() !== '')
}

function keyValues(list: string[], input: string, form: string): KeyValue[] {
  return list.map((entry) => {
    const at = entry.indexOf('=')
    const key = at > 0 ? entry.slice(0, at).trim() : ''
    if (key === '') throw new InputError(input, `expected ${form}, got "${entry}"`)
    return { key, value: entry.slice(at + 1) }
  })
}

function secretEntries(text: string, warnings: string[]): BuildSecret[] {
  // Not trimmed: a secret's value may end in a newline (an SSH key needs it).
  return entries(text, 'secrets', false)
    .map((entry) => {
      const trimmed = entry.replace(/^\s+/, '')
      const at = trimmed.indexOf('=')
      const id = at > 0 ? trimmed.slice(0, at).trim() : ''
      // The message never quotes the entry: it may be the secret itself.
      if (!isSecretId(id)) {
        throw new InputError(
          'secrets',
          'expected id=value on each line, the id of letters, digits, "_", "." or "-" (not "." or "..")',
        )
      }
      const value = trimmed.slice(at + 1).replace(/\r$/, '')
      return { id, value }
    })
    .filter((secret) => {
      if (secret.value.trim() !== '') return true
      // Secrets are empty in fork pull requests: build without it rather than fail, as build-push-action does.
      warnings.push(`Input "secrets": secret "${secret.id}" is empty and is not passed to the build.`)
      return false
    })
}

function secretReferences(text: string, input: string, form: string): KeyValue[] {
  const list = keyValues(entries(text, input), input, form)
  for (const { key, value } of list) {
    if (!isSecretId(key))
      throw new InputError(
        input,
        `"${key}" is not a secret id (letters, digits, "_", "." or "-"; not "." or "..")`,
      )
    if (value.trim() === '') throw new InputError(input, `expected ${form}, got an empty value for "${key}"`)
    if (input === 'secret-envs' && !ENV_NAME.test(value.trim())) {
      throw new InputError(
        input,
        `"${value.trim()}" (for "${key}") is not an environment variable name (letters, digits and "_", not starting with a digit)`,
      )
    }
  }
  return list.map(({ key, value }) => ({ key, value: value.trim() }))
}

/**
 * A secret id is also the file name it is written to (and mounted as, /run/secrets/<id>): "." and
 * ".." would name a directory, so the write fails after the login (EISDIR), or lands beside it.
 */
function isSecretId(id: string): boolean {
  return SECRET_ID.test(id) && id !== '.' && id !== '..'
}

// One id, one secret: buildx would silently keep only one of two.
function checkUniqueIds(inputs: BuildInputs): void {
  const seen = new Map<string, string>()
  const all: Array<[string, string]> = [
    ...inputs.secrets.map((secret): [string, string] => [secret.id, 'secrets']),
    ...inputs.secretFiles.map(({ key }): [string, string] => [key, 'secret-files']),
    ...inputs.secretEnvs.map(({ key }): [string, string] => [key, 'secret-envs']),
  ]
  for (const [id, input] of all) {
    const previous = seen.get(id)
    if (previous !== undefined)
      throw new InputError(input, `secret id "${id}" is already given in "${previous}"`)
    seen.set(id, input)
  }
}

function pathInput(text: string, input: string): string {
  // A value starting with "-" would be read by buildx as an option, not a path.
  if (text.startsWith('-'))
    throw new InputError(input, `"${text}" starts with "-"; write ./${text} for a path`)
  return text
}

function target(text: string): string {
  if (/\s/.test(text)) throw new InputError('target', `"${text}" is not a build stage name (no spaces)`)
  return text
}

function attestationInput(text: string, input: string): string {
  if (text === '' || isBoolean(text)) return text
  for (const field of csvFieldsOf(text, input)) {
    if (isBoolean(field)) continue
    const at = field.indexOf('=')
    if (at <= 0)
      throw new InputError(input, `expected true, false or attributes key=value[,key=value], got "${field}"`)
    if (field.startsWith('type='))
      throw new InputError(input, 'the type is implied by the input name; remove "type="')
    if (input === 'provenance' && field.startsWith('mode=') && !/^mode=(min|max)$/.test(field)) {
      throw new InputError(input, `"${field}": mode is min or max`)
    }
  }
  return text
}

function network(text: string): string {
  if (text === '' || NETWORKS.includes(text)) return text
  throw new InputError(
    'network',
    `expected one of ${NETWORKS.join(', ')} (BuildKit supports no others), got "${text}"`,
  )
}

function shmSize(text: string): string {
  if (text === '' || SIZE.test(text)) return text
  throw new InputError('shm-size', `expected a size such as 2g, 512m or 1073741824, got "${text}"`)
}

function ulimit(text: string): string {
  const match = /^([a-z]+)=(-?\d+)(?::(-?\d+))?$/.exec(text)
  if (!match)
    throw new InputError('ulimit', `expected name=soft[:hard] such as nofile=1024:2048, got "${text}"`)
  const [, name = '', soft = '', hard] = match
  if (!ULIMITS.includes(name))
    throw new InputError('ulimit', `"${name}" is not a ulimit; expected one of ${ULIMITS.join(', ')}`)
  // -1 is unlimited, so it is above every number.
  const limit = (value: string): number => (value === '-1' ? Infinity : Number(value))
  if (hard !== undefined && limit(soft) > limit(hard)) {
    throw new InputError('ulimit', `"${text}": the soft limit ${soft} is above the hard limit ${hard}`)
  }
  return text
}

export function csvFieldsOf(text: string, input: string): string[] {
  try {
    const records = parse(text, { relaxQuotes: true, relaxColumnCount: true, trim: true }) as string[][]
    return (records[0] ?? []).filter((field) => field !== '')
  } catch {
    throw new InputError(input, `cannot read "${text}": a double quote is not closed`)
  }
}
