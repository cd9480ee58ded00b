import { normalizeRegistryHost } from '../metadata/image-reference.js'
import { basicAuth } from '../login/docker-config.js'

/**
 * What authenticates to one registry: a user name and password (Basic, or a token fetched with
 * them), or an identity token (an OAuth2 refresh token, which only a token server takes).
 */
export type Credential =
  { kind: 'password'; username: string; password: string } | { kind: 'identity token'; token: string }

/** One `auths` entry of a docker config.json: the base64 `user:password` pair, an identity token, or both. */
export interface AuthEntry {
  auth?: string
  identitytoken?: string
}

/** What the client reads of a docker config.json: `auths` and `credHelpers`, keys as written. */
export interface AuthConfig {
  auths: Record<string, AuthEntry>
  /** Helper names as written: one is checked when its registry is used, so a stray entry fails no other push. */
  credHelpers: Record<string, unknown>
}

/** Where a registry's credential comes from: stored in the file, or the helper to ask (with the key to ask it for). */
export type CredentialSource =
  { kind: 'stored'; credential: Credential } | { kind: 'helper'; helper: string; serverUrl: string }

/** The user name a credential helper answers with when its Secret is an identity token. */
export const IDENTITY_TOKEN_USERNAME = '<token>'

// The helper's name becomes part of a program name: `docker-credential-<name>`, found on PATH.
const HELPER_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/

/**
 * The `auths` and `credHelpers` of a docker config.json: the login stage's entries, and those the
 * step's private config copied from the user's (logins of earlier steps). A global `credsStore`
 * is not read: the private config never holds one.
 */
export function parseAuthFile(text: string, file: string): AuthConfig {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    throw new Error(`the auth file ${file} is not JSON; expected a docker config.json`)
  }
  const config = (parsed ?? {}) as { auths?: unknown; credHelpers?: unknown }
  return {
    auths: authEntries(config.auths, file),
    credHelpers: objectIn(config.credHelpers, 'credHelpers', file),
  }
}

function authEntries(auths: unknown, file: string): Record<string, AuthEntry> {
  const entries: Record<string, AuthEntry> = {}
  for (const [key, value] of Object.entries(objectIn(auths, 'auths', file))) {
    const { auth, identitytoken } = (value ?? {}) as { auth?: unknown; identitytoken?: unknown }
    const entry: AuthEntry = {}
    if (typeof auth === 'string' && auth !== '') entry.auth = auth
    if (typeof identitytoken === 'string' && identitytoken !== '') entry.identitytoken = identitytoken
    if (entry.auth !== undefined || entry.identitytoken !== undefined) entries[key] = entry
  }
  return entries
}

function objectIn(value: unknown, field: string, file: string): Record<string, unknown> {
  if (value === undefined) return {}
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`the auth file ${file} has a "${field}" that is not an object`)
  }
  return value as Record<string, unknown>
}

/**
 * Where the credential for `registry` (canonical host, `docker.io` for Docker Hub) comes from, as
 * the docker CLI decides: a `credHelpers` entry first, then the `auths` entry (its identity
 * token before its user and password). Keys may be written `host`, `host:port`, `https://host` or
 * Docker Hub's `https://index.docker.io/v1/`. Undefined: anonymous.
 */
export function credentialSourceFor(config: AuthConfig, registry: string): CredentialSource | undefined {
  for (const [key, helper] of Object.entries(config.credHelpers)) {
    // The helper is asked for the key as written: that is what the docker CLI asks it for.
    if (canonicalKey(key) === registry)
      return { kind: 'helper', helper: helperName(helper, key), serverUrl: key }
  }
  for (const [key, entry] of Object.entries(config.auths)) {
    if (canonicalKey(key) !== registry) continue
    const credential = storedCredential(entry)
    if (credential) return { kind: 'stored', credential }
  }
  return undefined
}

function helperName(helper: unknown, key: string): string {
  if (typeof helper === 'string' && HELPER_NAME.test(helper)) return helper
  throw new Error(
    `the docker config's credHelpers names ${JSON.stringify(helper)} as the helper for ${key}; ` +
      'expected the suffix of a docker-credential-<name> program, such as "gcloud" or "ecr-login"',
  )
}

function storedCredential(entry: AuthEntry): Credential | undefined {
  if (entry.identitytoken !== undefined) return { kind: 'identity token', token: entry.identitytoken }
  const pair = Buffer.from(entry.auth ?? '', 'base64').toString('utf8')
  const colon = pair.indexOf(':')
  if (colon <= 0) return undefined
  return { kind: 'password', username: pair.slice(0, colon), password: pair.slice(colon + 1) }
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

/** What to mask once a credential is read: the password and the base64 pair a Basic header carries, or the token. */
export function secretsOf(credential: Credential): string[] {
  if (credential.kind === 'identity token') return [credential.token]
  const pair = basicAuth(credential.username, credential.password)
  return credential.password === '' ? [pair] : [credential.password, pair]
}

/** The Authorization value for Basic. */
export function basicHeader(credential: { username: string; password: string }): string {
  return `Basic ${basicAuth(credential.username, credential.password)}`
}
