import { isLoopbackHost } from '../metadata/image-reference.js'

/** When a registry call that failed is worth another attempt, and how long to wait first. */
export interface RetryPolicy {
  maxAttempts: number
  /** Delay before the 2nd attempt; doubled for each further one, up to `maxDelayMs`. */
  baseDelayMs: number
  maxDelayMs: number
  /** Rate limiting asks for patience: its delays start here instead. */
  rateLimitDelayMs: number
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 4,
  baseDelayMs: 2_000,
  maxDelayMs: 30_000,
  rateLimitDelayMs: 15_000,
}

export interface CommandFailure {
  exitCode: number
  stderr: string
}

export type RetryDecision =
  | { action: 'retry'; delayMs: number; reason: string }
  /** A loopback registry answered HTTPS with HTTP: run again with plain HTTP, as the engine would. */
  | { action: 'plain-http'; reason: string }
  | { action: 'fail'; reason: string }

// "invalid status code from registry 503 (…)", "received unexpected HTTP status: 500 …" (skopeo's
// words), "unexpected status from PUT request to https://…: 503 Service Unavailable" (containerd's,
// which docker buildx imagetools prints).
const status = (codes: string): RegExp =>
  new RegExp(`status(?: code)?(?: from registry| from [A-Z]+ request to \\S+)?:? (?:${codes})\\b`, 'i')

// Failures that another attempt cannot fix; retrying bad credentials may also lock an account.
const PERMANENT: Array<[RegExp, string]> = [
  [/executable file not found|command not found|ENOENT/i, 'skopeo is not installed'],
  [/\bunauthorized\b|authentication required/i, 'the registry refused the credentials (401)'],
  [status('401'), 'the registry refused the credentials (401)'],
  [
    /\bdenied\b|\bforbidden\b/i,
    'the registry denied access (403): check the credentials may push to this repository',
  ],
  [status('403'), 'the registry denied access (403): check the credentials may push to this repository'],
  [
    /would not match|manifest invalid|MANIFEST_INVALID|DIGEST_INVALID|digest invalid/i,
    'the registry rejected the manifest or its digest',
  ],
  [
    /manifest unknown|name unknown|blob unknown|not found/i,
    'the registry does not know this repository or manifest (404)',
  ],
  [status('404'), 'the registry does not know this repository or manifest (404)'],
  [/x509:|certificate/i, 'TLS certificate problem: give the registry CA with a cert dir'],
  [/no such host/i, 'the registry host name does not resolve'],
]

// Failures of the path or of the registry's moment: worth another try after a pause.
const TRANSIENT: Array<[RegExp, string]> = [
  [/too many requests|TOOMANYREQUESTS/i, 'rate limited (429)'],
  [status('429'), 'rate limited (429)'],
  [status('5\\d\\d'), 'registry error (5xx)'],
  [/internal server error|bad gateway|service unavailable|gateway time-?out/i, 'registry error (5xx)'],
  [/connection reset|broken pipe|: EOF\b|unexpected EOF/i, 'connection dropped'],
  [/connection refused/i, 'connection refused'],
  [/timeout|timed out|deadline exceeded/i, 'timed out'],
  [
    /temporary failure in name resolution|server misbehaving|network is unreachable|no route to host/i,
    'network unreachable',
  ],
]

/**
 * What to do after attempt number `attempt` (1 for the first) failed. Unknown failures are not
 * retried: a push that fails for a reason we cannot name should stop and show it.
 */
export function retryDecision(
  failure: CommandFailure,
  attempt: number,
  registry: string,
  policy: RetryPolicy = DEFAULT_RETRY_POLICY,
): RetryDecision {
  const stderr = failure.stderr
  if (/server gave HTTP response to HTTPS client/i.test(stderr)) {
    if (isLoopbackHost(registry))
      return { action: 'plain-http', reason: `${registry} speaks plain HTTP (loopback)` }
    return { action: 'fail', reason: `${registry} speaks plain HTTP; only loopback registries may` }
  }
  for (const [pattern, reason] of PERMANENT) {
    if (pattern.test(stderr)) return { action: 'fail', reason }
  }
  const transient = TRANSIENT.find(([pattern]) => pattern.test(stderr))
  if (!transient) return { action: 'fail', reason: `exit code ${failure.exitCode}` }
  const reason = transient[1]
  if (attempt >= policy.maxAttempts)
    return { action: 'fail', reason: `${reason}; gave up after ${attempt} attempts` }
  const base = reason.startsWith('rate limited') ? policy.rateLimitDelayMs : policy.baseDelayMs
  const delayMs = Math.min(base * 2 ** (attempt - 1), policy.maxDelayMs)
  return { action: 'retry', delayMs, reason }
}
