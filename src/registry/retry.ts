/** When a registry request that failed is worth another attempt, and how long to wait first. */
export interface RetryPolicy {
  maxAttempts: number
  /** Delay before the 2nd attempt; doubled for each further one, up to `maxDelayMs`. */
  baseDelayMs: number
  maxDelayMs: number
  /** Rate limiting without a Retry-After asks for more patience: its delays start here. */
  rateLimitDelayMs: number
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 4,
  baseDelayMs: 2_000,
  maxDelayMs: 30_000,
  rateLimitDelayMs: 15_000,
}

/** How an attempt failed: the registry's status, or the connection's error code. */
export type Failure =
  { kind: 'status'; status: number; retryAfterMs?: number } | { kind: 'network'; code: string }

export type RetryDecision = { action: 'retry'; delayMs: number } | { action: 'fail'; gaveUp: boolean }

// The connection went away or never answered: another attempt may find the registry back.
const TRANSIENT_NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
])

/** Whether a failure is of the kind another attempt can fix (5xx, 408, 429, a dropped connection). */
export function isTransient(failure: Failure): boolean {
  if (failure.kind === 'network') return TRANSIENT_NETWORK_CODES.has(failure.code)
  return failure.status === 408 || failure.status === 429 || failure.status >= 500
}

/**
 * What to do after attempt number `attempt` (1 for the first) failed. Other 4xx are answers, not
 * accidents: retrying a refused credential may also lock the account.
 */
export function retryDecision(failure: Failure, attempt: number, policy: RetryPolicy): RetryDecision {
  if (!isTransient(failure)) return { action: 'fail', gaveUp: false }
  if (attempt >= policy.maxAttempts) return { action: 'fail', gaveUp: true }
  const rateLimited = failure.kind === 'status' && failure.status === 429
  if (rateLimited && failure.retryAfterMs !== undefined) {
    return { action: 'retry', delayMs: Math.min(Math.max(failure.retryAfterMs, 0), policy.maxDelayMs) }
  }
  const base = rateLimited ? policy.rateLimitDelayMs : policy.baseDelayMs
  return { action: 'retry', delayMs: Math.min(base * 2 ** (attempt - 1), policy.maxDelayMs) }
}

/** A `Retry-After` value (seconds, or an HTTP date) as a delay from `now`; undefined when unreadable. */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined
  const text = value.trim()
  if (/^\d+$/.test(text)) return Number(text) * 1000
  const date = Date.parse(text)
  return Number.isNaN(date) ? undefined : Math.max(date - now, 0)
}

/** What a request does, for its time limits. */
export type RequestKind = 'control' | 'transfer' | 'commit'

/** How long a request may wait for the answer's headers, and for each piece of its body. */
export interface RequestTimeouts {
  headersMs: number
  bodyIdleMs: number
}

/**
 * Limits that stop a stalled registry from hanging the job. undici restarts the headers timer
 * whenever a request body chunk is written, so an upload that keeps moving is never cut; a
 * commit (the final PUT of an upload, a manifest PUT) may make the registry check or move a whole
 * blob before it answers, so it waits longer.
 */
export function requestTimeouts(kind: RequestKind): RequestTimeouts {
  switch (kind) {
    case 'control':
      return { headersMs: 60_000, bodyIdleMs: 60_000 }
    case 'transfer':
      return { headersMs: 120_000, bodyIdleMs: 120_000 }
    case 'commit':
      return { headersMs: 300_000, bodyIdleMs: 60_000 }
  }
}

/** The warning for a retry: "<operation>: registry error (503); retrying in 2 s (attempt 2)". */
export function retryWarning(
  operation: string,
  failure: Failure,
  delayMs: number,
  nextAttempt: number,
): string {
  return `${operation}: ${failureReason(failure)}; retrying in ${Math.round(delayMs / 1000)} s (attempt ${nextAttempt})`
}

/** A failure in a few words. */
export function failureReason(failure: Failure): string {
  if (failure.kind === 'network') return `connection failed (${failure.code})`
  if (failure.status === 429) return 'rate limited (429)'
  if (failure.status === 408) return 'request timeout (408)'
  if (failure.status >= 500) return `registry error (${failure.status})`
  return `HTTP ${failure.status}`
}
