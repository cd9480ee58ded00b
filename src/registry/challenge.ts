/** A `WWW-Authenticate` challenge: its scheme (lower-cased) and parameters (names lower-cased). */
export interface Challenge {
  scheme: string
  params: Record<string, string>
}

/**
 * The challenge of a `WWW-Authenticate` value (registries send one): `Bearer realm="…",service="…",scope="…"` or
 * `Basic realm="…"`. Quoted values may hold commas (a scope list does).
 */
export function parseChallenge(header: string | undefined): Challenge | undefined {
  const match = /^\s*([A-Za-z][\w-]*)\s*(.*)$/s.exec(header ?? '')
  if (!match?.[1]) return undefined
  const params: Record<string, string> = {}
  for (const m of (match[2] ?? '').matchAll(/([\w-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))/g)) {
    const name = (m[1] ?? '').toLowerCase()
    params[name] = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : (m[3] ?? '')
  }
  return { scheme: match[1].toLowerCase(), params }
}

/** The scope a read of repository `path` needs. */
export const pullScope = (path: string): string => `repository:${path}:pull`
/** The scope a write to repository `path` needs (a push reads too: HEAD before upload). */
export const pushScope = (path: string): string => `repository:${path}:pull,push`

/** Token caches are keyed by the set of scopes, not their order. */
export function scopeKey(scopes: readonly string[]): string {
  return [...new Set(scopes)].sort().join(' ')
}

/** The token endpoint of a Bearer challenge. */
export function tokenRealm(challenge: Challenge): URL {
  const realm = challenge.params.realm
  if (!realm) throw new Error('the registry sent a Bearer challenge without a realm')
  return new URL(realm)
}

/** The token endpoint's URL for a GET (anonymous or Basic): `realm?service=…&scope=…&scope=…`. */
export function tokenUrl(challenge: Challenge, scopes: readonly string[]): URL {
  const url = tokenRealm(challenge)
  if (challenge.params.service) url.searchParams.set('service', challenge.params.service)
  for (const scope of [...new Set(scopes)]) url.searchParams.append('scope', scope)
  return url
}

/** The client_id the token spec asks OAuth2 clients to name themselves by. */
export const OAUTH_CLIENT_ID = 'build-scan-push'

/**
 * The form POSTed to the token endpoint for an identity token (the distribution token spec's
 * OAuth2 refresh-token grant): the scopes go space-separated in one `scope` field.
 */
export function refreshTokenForm(
  challenge: Challenge,
  scopes: readonly string[],
  refreshToken: string,
): string {
  const form = new URLSearchParams({ grant_type: 'refresh_token' })
  if (challenge.params.service) form.set('service', challenge.params.service)
  form.set('scope', [...new Set(scopes)].join(' '))
  form.set('client_id', OAUTH_CLIENT_ID)
  form.set('refresh_token', refreshToken)
  return form.toString()
}

/** A token endpoint's answer: the token and how long it may be used. */
export interface Token {
  token: string
  expiresInMs: number
}

// The distribution token spec: a token without expires_in is good for 60 seconds.
const DEFAULT_TOKEN_LIFETIME_S = 60

export function parseTokenResponse(text: string): Token {
  let body: { token?: unknown; access_token?: unknown; expires_in?: unknown }
  try {
    body = JSON.parse(text) as typeof body
  } catch {
    throw new Error('the token endpoint answered with something other than JSON')
  }
  const token = typeof body.token === 'string' && body.token !== '' ? body.token : body.access_token
  if (typeof token !== 'string' || token === '') {
    throw new Error('the token endpoint answered without a token')
  }
  const seconds =
    typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : DEFAULT_TOKEN_LIFETIME_S
  return { token, expiresInMs: seconds * 1000 }
}
