import { parse } from 'csv-parse/sync'
import { InputError } from '../action/errors.js'
import { parseImageReference } from '../metadata/image-reference.js'

export type CacheInput = 'cache-from' | 'cache-to'

/**
 * The cache backends BuildKit knows (docs.docker.com/build/cache/backends): `inline` only exports,
 * into the image itself, and is read back with `type=registry` (buildkitd registers no inline
 * importer). BuildKit fails a build on any other type, but only once it runs: after the login.
 */
const CACHE_TYPES: Record<CacheInput, readonly string[]> = {
  'cache-from': ['registry', 'local', 'gha', 's3', 'azblob'],
  'cache-to': ['registry', 'local', 'inline', 'gha', 's3', 'azblob'],
}

/**
 * One `cache-from` / `cache-to` entry, checked the way buildx parses it (util/buildflags/cache.go
 * ParseCacheEntry): an entry with no `=` is a comma-separated list of image references, each a
 * registry cache; otherwise CSV `key=value` fields, one of them `type=` a known backend, with the
 * attribute that backend cannot do without (`ref` for registry, `src`/`dest` for local).
 *
 * Messages name the type and the keys but never quote the entry: an s3, azblob or gha entry may
 * hold a key or token (`secret_access_key=`, `token=`).
 */
export function checkCacheEntry(entry: string, input: CacheInput): string {
  if (!entry.includes('=')) {
    for (const reference of fields(entry, input)) cacheReference(reference, input)
    return entry
  }
  const attributes = attributesOf(entry, input)
  const types = CACHE_TYPES[input]
  const type = attributes.get('type')
  if (type === undefined || type === '') {
    throw new InputError(input, `an entry of key=value fields needs type=, one of ${types.join(', ')}`)
  }
  if (!types.includes(type)) {
    const hint = type === 'inline' ? '; an inline cache is read back with type=registry,ref=<image>' : ''
    throw new InputError(
      input,
      `"${type}" is not a cache type for ${input}; expected one of ${types.join(', ')}${hint}`,
    )
  }
  const needed =
    type === 'registry' ? 'ref' : type === 'local' ? (input === 'cache-from' ? 'src' : 'dest') : ''
  if (needed !== '' && !attributes.get(needed)) {
    throw new InputError(
      input,
      `type=${type} needs ${needed}= (${needed === 'ref' ? 'an image reference' : 'a directory'})`,
    )
  }
  return entry
}

// The credentials BuildKit's cache backends take as attributes (s3, azblob, gha).
const CREDENTIAL_ATTRIBUTES = ['access_key_id', 'secret_access_key', 'session_token', 'token']

/**
 * The credential values the checked cache entries carry, to mask before anything prints: buildx's
 * argv, which holds the entries, is echoed to the log.
 */
export function cacheCredentials(cacheFrom: string[], cacheTo: string[]): string[] {
  const entries: Array<[string, CacheInput]> = [
    ...cacheFrom.map((entry): [string, CacheInput] => [entry, 'cache-from']),
    ...cacheTo.map((entry): [string, CacheInput] => [entry, 'cache-to']),
  ]
  return entries.flatMap(([entry, input]) => {
    if (!entry.includes('=')) return []
    const attributes = attributesOf(entry, input)
    return CREDENTIAL_ATTRIBUTES.map((key) => attributes.get(key) ?? '').filter((value) => value !== '')
  })
}

function attributesOf(entry: string, input: CacheInput): Map<string, string> {
  const attributes = new Map<string, string>()
  for (const field of fields(entry, input)) {
    const at = field.indexOf('=')
    if (at <= 0)
      throw new InputError(input, `expected key=value fields (type=…,key=value), got a field without "="`)
    attributes.set(field.slice(0, at).trim().toLowerCase(), field.slice(at + 1).trim())
  }
  return attributes
}

/**
 * A bare image reference (buildx reads it as type=registry,ref=…). It must name a repository path
 * (`ghcr.io/acme/app:cache`, `acme/app:cache`): a single word would be Docker Hub's official
 * `library/<word>`, where no workflow can keep a cache, so it is a typo or a forgotten `type=`.
 */
function cacheReference(reference: string, input: CacheInput): void {
  const problem = `"${reference}" is neither type=<backend>[,key=value…] (backends: ${CACHE_TYPES[input].join(', ')}) nor an image reference with a repository path such as ghcr.io/acme/app:cache`
  if (!reference.includes('/')) throw new InputError(input, problem)
  try {
    parseImageReference(reference, input)
  } catch {
    throw new InputError(input, problem)
  }
}

/** The CSV fields of an entry, as buildx's csvvalue reads them; an unclosed quote is named without the text. */
function fields(entry: string, input: CacheInput): string[] {
  try {
    const records = parse(entry, { relaxQuotes: true, relaxColumnCount: true, trim: true }) as string[][]
    return (records[0] ?? []).filter((field) => field !== '')
  } catch {
    throw new InputError(input, 'a double quote is not closed in an entry')
  }
}
