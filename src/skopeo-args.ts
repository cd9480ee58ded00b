import { isLoopbackHost, parseImageReference } from './image-reference.js'
import { digestOf } from './oci-layout.js'

/**
 * Pushing the scanned OCI layout itself with skopeo, so the registry gets the very bytes that were
 * scanned: `copy --all --preserve-digests` keeps the index digest byte-for-byte (`--all` copies
 * every platform and attestation; without it skopeo picks one image and the digest changes).
 */

/** How to reach one registry. */
export interface RegistryAccess {
  /** The config.json holding the logins (see `dockerConfigJson`). */
  authfile?: string
  /** A directory with the registry's CA (`ca.crt`), as in /etc/docker/certs.d/HOST:PORT. */
  certDir?: string
  /**
   * The registry speaks plain HTTP. Allowed for loopback hosts only: the engine treats those as
   * insecure and falls back to HTTP itself, but skopeo does not, so it needs
   * `--dest-tls-verify=false` there. Anywhere else it would also switch off certificate checks and
   * let anyone on the path swap the image: refused.
   */
  plainHttp?: boolean
}

/** One `skopeo copy`, and why it comes where it does. */
export interface PushStep {
  destination: string
  kind: 'digest' | 'tag'
}

/**
 * The pushes, in order: the digest into every repository first, then the tags. A tag is only
 * written once every registry holds the complete index under its digest, so a failure part-way
 * leaves no tag (old or new) pointing at a partial upload; the tag pushes then only re-point names
 * (every blob is there already).
 */
export function pushPlan(references: string[], digest: string): PushStep[] {
  const repositories: string[] = []
  const tags: PushStep[] = []
  for (const reference of references) {
    const parsed = parseImageReference(reference)
    if (!repositories.includes(parsed.name)) repositories.push(parsed.name)
    if (parsed.tag !== undefined) {
      const destination = `${parsed.name}:${parsed.tag}`
      if (!tags.some((step) => step.destination === destination)) tags.push({ destination, kind: 'tag' })
    }
  }
  return [
    ...repositories.map((name): PushStep => ({ destination: `${name}@${digest}`, kind: 'digest' })),
    ...tags,
  ]
}

/** `skopeo copy --all --preserve-digests oci:<dir> docker://<destination>`. */
export function skopeoCopyArgv(layoutDir: string, destination: string, access: RegistryAccess): string[] {
  // skopeo reads `oci:PATH:REFERENCE`: a colon in the path would be taken for a reference.
  if (layoutDir.includes(':')) throw new Error(`OCI layout path "${layoutDir}" must not contain ":"`)
  return [
    'copy',
    '--all',
    '--preserve-digests',
    ...accessArgs(destination, access, 'dest'),
    `oci:${layoutDir}`,
    `docker://${destination}`,
  ]
}

/** `skopeo inspect --raw`: the manifest bytes as the registry serves them, to check the digest. */
export function skopeoInspectRawArgv(reference: string, access: RegistryAccess): string[] {
  return ['inspect', '--raw', ...accessArgs(reference, access, 'source'), `docker://${reference}`]
}

/** `skopeo list-tags`: the tags already in a repository (for floating tags). */
export function skopeoListTagsArgv(repository: string, access: RegistryAccess): string[] {
  return ['list-tags', ...accessArgs(repository, access, 'source'), `docker://${repository}`]
}

/** The tags in `skopeo list-tags` output (`{"Repository": …, "Tags": […]}`). */
export function parseTagList(stdout: string): string[] {
  let parsed: unknown
  try {
    parsed = JSON.parse(stdout)
  } catch {
    throw new Error('skopeo list-tags printed no JSON')
  }
  const tags = (parsed as { Tags?: unknown } | null)?.Tags
  if (tags === null || tags === undefined) return []
  if (!Array.isArray(tags) || tags.some((tag) => typeof tag !== 'string')) {
    throw new Error('skopeo list-tags: "Tags" is not a list of names')
  }
  return tags as string[]
}

/** A repository never pushed to has no tags yet: the first release, not an error. */
export function isUnknownRepository(stderr: string): boolean {
  return /fetching tags list: invalid status code from registry 404|name unknown|NAME_UNKNOWN|repository name not known/i.test(
    stderr,
  )
}

export interface DigestCheck {
  ok: boolean
  /** The digest of what the registry served. */
  actual: string
}

/** Compares the manifest bytes read back from the registry with the digest that was pushed. */
export function checkPushedDigest(rawManifest: Uint8Array | string, expected: string): DigestCheck {
  const algorithm = expected.startsWith('sha512:') ? 'sha512' : 'sha256'
  const actual = digestOf(rawManifest, algorithm)
  return { ok: actual === expected, actual }
}

function accessArgs(reference: string, access: RegistryAccess, side: 'dest' | 'source'): string[] {
  const { registry } = parseImageReference(reference)
  const args: string[] = []
  if (access.authfile) args.push('--authfile', access.authfile)
  // copy names the destination's options --dest-*; inspect and list-tags have one side only.
  const prefix = side === 'dest' ? '--dest-' : '--'
  if (access.plainHttp) {
    if (!isLoopbackHost(registry)) {
      throw new Error(
        `refusing to reach ${registry} over plain HTTP: only loopback registries (localhost, 127.0.0.0/8, ::1) may be`,
      )
    }
    args.push(`${prefix}tls-verify=false`)
  }
  if (access.certDir) args.push(`${prefix}cert-dir`, access.certDir)
  return args
}

// ---------------------------------------------------------------------------------------------
// Retrying

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
