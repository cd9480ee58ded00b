/**
 * How long each kind of call to docker, buildx, cosign, tar or the AWS CLI may take before its
 * process (and its process group: docker runs buildx as a child) is stopped and the step fails
 * naming the call. A hung registry or engine would otherwise hold the job until GitHub's job
 * timeout (6 hours by default). The limits are generous, for slow registries and loaded runners.
 * The build itself has none: its length is the Dockerfile's, bounded by the job's `timeout-minutes`.
 * Trivy has its own (the `scan-timeout` input, run-trivy.ts); registry requests have theirs
 * (registry/retry.ts).
 */

const SECOND = 1_000
const MINUTE = 60 * SECOND

export const TIMEOUTS = {
  /** A login's check (GET /v2/ and a token, retries included), aws ecr get-login-password, a credential helper's `get`. */
  login: 2 * MINUTE,
  /** docker version / info / buildx inspect: local answers. */
  probe: 2 * MINUTE,
  /** `trivy --version`, `cosign version --json`: an installed binary naming its version. */
  toolVersion: 30 * SECOND,
  /** docker buildx create, and its bootstrap, which pulls the BuildKit image. */
  builderSetup: 10 * MINUTE,
  /** docker buildx rm (post step too): stops and removes the builder's container. */
  builderRemove: 2 * MINUTE,
  /** The QEMU installer: pulls the binfmt image and runs it once. */
  qemuInstall: 10 * MINUTE,
  /** tar of the layout and `docker load` of it: the whole image, written into the engine. */
  load: 30 * MINUTE,
  /** Unpacking the downloaded Trivy release archive. */
  unpack: 5 * MINUTE,
  /**
   * Restoring Trivy's DB from the Actions cache, or saving it. Past it the call is given up on, not
   * failed: Trivy downloads its DB itself, and the next run saves it (@actions/cache alone waits
   * 3 minutes for each of 5 attempts on a cache service that never answers).
   */
  cache: 5 * MINUTE,
  /** One cosign sign or attest: a registry write, and keyless a Fulcio certificate and a Rekor entry. */
  sign: 10 * MINUTE,
} as const

export type CallKind = keyof typeof TIMEOUTS
/** A limit for every kind of call: TIMEOUTS, or shorter ones in tests. */
export type Timeouts = Readonly<Record<CallKind, number>>

/** A limit on one call, and the call as its error names it ("docker buildx inspect --bootstrap"). */
export interface Deadline {
  ms: number
  what: string
}

export function deadline(kind: CallKind, what: string, limits: Timeouts = TIMEOUTS): Deadline {
  return { ms: limits[kind], what }
}

/** 120000 → "2m", 90000 → "1m30s", 1500 → "1.5s", 200 → "200ms". */
export function formatDuration(ms: number): string {
  if (ms < SECOND) return `${ms}ms`
  if (ms < MINUTE) return `${Number((ms / SECOND).toFixed(1))}s`
  const minutes = Math.floor(ms / MINUTE)
  const seconds = Math.round((ms % MINUTE) / SECOND)
  return seconds === 0 ? `${minutes}m` : `${minutes}m${seconds}s`
}

export function timedOutMessage(limit: Deadline): string {
  return `${limit.what} timed out after ${formatDuration(limit.ms)} and was stopped`
}

/** A call that outlived its Deadline. Never retried: the limits are long already, and a retry would double the wait. */
export class CallTimedOut extends Error {
  constructor(readonly deadline: Deadline) {
    super(timedOutMessage(deadline))
    this.name = 'CallTimedOut'
  }
}
