import { InputError } from '../action/errors.js'

/** An image reference split the way the Docker engine and skopeo read it. */
export interface ImageReference {
  /** The registry host as credentials are keyed: lower-cased, `docker.io` for every Docker Hub alias. */
  registry: string
  /** The repository path inside the registry (`acme/app`; `library/alpine` for Docker Hub's own images). */
  path: string
  /** The name as written, without tag or digest: what `docker://` destinations are built from. */
  name: string
  tag: string | undefined
  digest: string | undefined
}

/**
 * One image name with one computed tag: what the pipeline pushes. Kept whole from the metadata
 * engine on, so no stage splits `name:tag` back apart.
 */
export interface TaggedImage {
  /** The image name as given, lower-cased (`ghcr.io/acme/app`). */
  name: string
  /** Canonical registry host, as credentials are keyed (`docker.io` for every Docker Hub alias). */
  registry: string
  tag: string
  /** `name:tag`, as outputs, logs and the engine want it. */
  reference: string
}

export const DOCKER_HUB = 'docker.io'

// Every name Docker Hub answers to; credentials and tags must not tell them apart.
const DOCKER_HUB_ALIASES = new Set([
  'docker.io',
  'index.docker.io',
  'registry-1.docker.io',
  'registry.hub.docker.com',
])

// distribution/reference's grammar: lower-case path components joined by `.`, `_`, `__` or dashes.
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/
const TAG = /^[\w][\w.-]{0,127}$/
const DIGEST = /^sha256:[a-f0-9]{64}$/
const HOST_LABEL = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/i

/**
 * Splits `host/path:tag@digest`. The first component is a host only when it has a `.` or `:` or
 * is `localhost` (the engine's rule), so `acme/app` is on Docker Hub and `localhost:5000/app` is not.
 */
export function parseImageReference(reference: string, input = 'images'): ImageReference {
  const fail = (detail: string): InputError => new InputError(input, `"${reference}": ${detail}`)
  let rest = reference.trim()
  let digest: string | undefined
  const at = rest.indexOf('@')
  if (at >= 0) {
    digest = rest.slice(at + 1)
    rest = rest.slice(0, at)
    if (!DIGEST.test(digest)) throw fail('expected a digest of the form sha256:<64 hex digits> after "@"')
  }
  let tag: string | undefined
  const colon = rest.lastIndexOf(':')
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1)
    rest = rest.slice(0, colon)
    if (!TAG.test(tag))
      throw fail(`"${tag}" is not a valid tag (letters, digits, "_", "." and "-", at most 128)`)
  }
  const components = rest.split('/')
  const first = components[0] ?? ''
  const hasHost =
    components.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost')
  const registry = hasHost ? normalizeRegistryHost(first, input) : DOCKER_HUB
  const pathComponents = hasHost ? components.slice(1) : components
  if (pathComponents.length === 0 || pathComponents.some((component) => !PATH_COMPONENT.test(component))) {
    throw fail('expected [host/]path[:tag] with a lower-case path such as ghcr.io/acme/app')
  }
  // Docker Hub's official images live under `library/`; the registry API wants the full path.
  const path =
    registry === DOCKER_HUB && pathComponents.length === 1
      ? `library/${pathComponents[0]}`
      : pathComponents.join('/')
  return { registry, path, name: rest, tag, digest }
}

/**
 * The canonical key for a registry host: lower-cased, scheme and Docker Hub's legacy `/v1/` path
 * dropped (users paste `https://index.docker.io/v1/` from old docs), Docker Hub aliases folded
 * into `docker.io`. Anything with a path left is not a host and is refused.
 */
export function normalizeRegistryHost(text: string, input: string): string {
  let host = text.trim().replace(/^https?:\/\//i, '')
  if (/^(index\.)?docker\.io\/v[12]\/?$/i.test(host)) host = 'docker.io'
  host = host.replace(/\/+$/, '').toLowerCase()
  if (!isValidHost(host)) {
    throw new InputError(
      input,
      `"${text}" is not a registry host; expected a host such as ghcr.io or localhost:5000`,
    )
  }
  return DOCKER_HUB_ALIASES.has(host) ? DOCKER_HUB : host
}

/** Where the registry API of a host is served: Docker Hub's API is not on `docker.io` itself. */
export function registryApiHost(registry: string): string {
  return registry === DOCKER_HUB ? 'registry-1.docker.io' : registry
}

/**
 * Loopback hosts (`localhost`, 127.0.0.0/8, ::1): the only ones the engine treats as insecure by
 * default, and the only ones this action will ever reach over plain HTTP.
 */
export function isLoopbackHost(registry: string): boolean {
  const host = hostWithoutPort(registry)
  return host === 'localhost' || /^127(?:\.\d{1,3}){3}$/.test(host) || host === '::1' || host === '[::1]'
}

function hostWithoutPort(registry: string): string {
  if (registry.startsWith('[')) return registry.slice(0, registry.indexOf(']') + 1)
  return registry.replace(/:\d+$/, '')
}

function isValidHost(host: string): boolean {
  const match = /^(\[[0-9a-f:.]+\]|[^:/[\]]+)(?::(\d{1,5}))?$/i.exec(host)
  if (!match) return false
  const port = match[2]
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) return false
  const name = match[1] ?? ''
  if (name.startsWith('[')) return true
  return name.split('.').every((label) => HOST_LABEL.test(label))
}

/** Joins a checked image name and a computed tag. */
export function taggedImage(image: { name: string; registry: string }, tag: string): TaggedImage {
  return { name: image.name, registry: image.registry, tag, reference: `${image.name}:${tag}` }
}
