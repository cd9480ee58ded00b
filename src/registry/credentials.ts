import { normalizeRegistryHost } from '../metadata/image-reference.js'

/** A user name and password from the auth file, for one registry. */
export interface Credential {
  username: string
  password: string
}

/** `auths` of a docker config.json: the key as written, the base64 `user:password` pair. */
export type AuthEntries = Record<string, string>

/**
 * The `auths` of a docker config.json as written by the login stage. Entries without an `auth`
 * value (credential helpers, identity tokens) are not ours to read and are skipped.
 */
export function parseAuthFile(text: string, file: string): AuthEntries {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    throw new Error(`the auth file ${file} is not JSON; expected a docker config.json`)
  }
  const auths = (parsed as { auths?: unknown } | null)?.auths
  if (auths === undefined) return {}
  if (typeof auths !== 'object' || auths === null || Array.isArray(auths)) {
    throw new Error(`the auth file ${file} has an "auths" that is not an object`)
  }
  const entries: AuthEntries = {}
  for (const [key, value] of Object.entries(auths)) {
    const auth = (value as { auth?: unknown } | null)?.auth
    if (typeof auth === 'string' && auth !== '') entries[key] = auth
  }
  return entries
}

/**
 * The credential stored for `registry` (canonical host, `docker.io` for Docker Hub). Keys may be
 * written `host`, `host:port`, `https://host` or Docker Hub's `https://index.docker.io/v1/`.
 */
export function credentialFor(entries: AuthEntries, registry: string): Credential | undefined {
  for (const [key, auth] of Object.entries(entries)) {
    if (canonicalKey(key) !== registry) continue
    const pair = Buffer.from(auth, 'base64').toString('utf8')
    const colon = pair.indexOf(':')
    if (colon <= 0) continue
    return { username: pair.slice(0, colon), password: pair.slice(colon + 1) }
  }
  return undefined
}

function canonicalKey(key: string): string | undefined {
  try {
    return normalizeRegistryHost(key, 'authFile')
  } catch {
    // `https://host/v2/` and the like: the host is what counts.
    const host = /^(?:https?:\/\/)?([^/]+)/i.exec(key.trim())?.[1]
    try {
      return host === undefined ? undefined : normalizeRegistryHost(host, 'authFile')
    } catch {
      return undefined
    }
  }
}

/** The Authorization value for Basic. */
export function basicHeader(credential: Credential): string {
  return `Basic ${Buffer.from(`${credential.username}:${credential.password}`, 'utf8').toString('base64')}`
}
