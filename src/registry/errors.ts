/**
 * A registry operation that failed: names the operation and reference ("upload blob sha256:… to
 * localhost:5000/acme/app"), and carries the registry's status and distribution error code when
 * it answered. Never holds a credential or token.
 */
export class RegistryError extends Error {
  constructor(
    readonly operation: string,
    reason: string,
    readonly status?: number,
    readonly code?: string,
    options?: ErrorOptions,
  ) {
    super(`${operation} failed: ${reason}`, options)
    this.name = 'RegistryError'
  }
}

/** The first entry of a distribution error body: `{"errors":[{"code":"…","message":"…"}]}`. */
export interface DistributionError {
  code: string
  message: string
}

export function parseDistributionError(text: string): DistributionError | undefined {
  try {
    const first = (JSON.parse(text) as { errors?: Array<{ code?: unknown; message?: unknown }> }).errors?.[0]
    if (typeof first?.code !== 'string') return undefined
    return { code: first.code, message: typeof first.message === 'string' ? first.message : '' }
  } catch {
    return undefined
  }
}

/**
 * An OAuth2 token endpoint's error (`{"error":"invalid_grant","error_description":"…"}`) as a
 * distribution error: its code alone, and only when it is a plain word (the description is the
 * server's free text, which could echo what was sent).
 */
export function parseOAuthError(text: string): DistributionError | undefined {
  try {
    const code = (JSON.parse(text) as { error?: unknown }).error
    return typeof code === 'string' && /^[a-z_]{1,64}$/i.test(code) ? { code, message: '' } : undefined
  } catch {
    return undefined
  }
}

/** What a refused request means, in words that say what to do. */
export function statusReason(
  status: number,
  name: string,
  access: 'pull' | 'push',
  detail: DistributionError | undefined,
): string {
  const said = detail ? `: ${detail.code}${detail.message ? ` ${detail.message}` : ''}` : ''
  if (status === 401) return `the registry refused the credentials for ${name} (401${said})`
  if (status === 403) {
    const may = access === 'push' ? `may push to ${name}` : `may pull from ${name}`
    return `denied (403${said}): check the credentials ${may}`
  }
  if (status === 429) return `rate limited (429${said})`
  if (status >= 500) return `registry error (${status}${said})`
  return `HTTP ${status}${said}`
}

/**
 * A registry answer that was not the one expected, on its way to the operation that turns it into
 * a RegistryError or another attempt.
 */
export class UnexpectedStatus extends Error {
  constructor(
    readonly status: number,
    readonly detail: DistributionError | undefined,
    readonly retryAfterMs?: number,
  ) {
    super(`HTTP ${status}${detail ? ` ${detail.code}` : ''}`)
    this.name = 'UnexpectedStatus'
  }
}
