import { errorMessage } from '../action/errors.js'
import { RegistryError, statusReason, UnexpectedStatus } from './errors.js'
import {
  failureReason,
  retryDecision,
  retryWarning,
  type Failure,
  type RetryDecision,
  type RetryPolicy,
} from './retry.js'

/** What running an operation with retries needs: the policy, the pause, the warning, the abort. */
export interface OperationSettings {
  retry: RetryPolicy
  sleep: (ms: number) => Promise<void>
  warn: (message: string) => void
  signal: AbortSignal | undefined
}

/** What an operation is, for its messages: "upload blob sha256:… to localhost:5000/acme/app". */
export interface Operation {
  text: string
  /** The repository, as 401/403 messages name it. */
  name: string
  access: 'pull' | 'push'
  /** Whether the auth file holds a credential for the registry (a 401 then means it was refused). */
  hasCredential: () => Promise<boolean>
}

/**
 * Runs `attempt` until it succeeds, retrying what `retryDecision` calls transient; every attempt
 * starts from scratch (an upload opens a new session). Throws a RegistryError naming the operation.
 */
export async function operate<T>(
  operation: Operation,
  settings: OperationSettings,
  attempt: () => Promise<T>,
): Promise<T> {
  for (let number = 1; ; number++) {
    if (settings.signal?.aborted) throw new RegistryError(operation.text, 'aborted')
    try {
      return await attempt()
    } catch (error) {
      if (settings.signal?.aborted)
        throw new RegistryError(operation.text, 'aborted', undefined, undefined, { cause: error })
      const failure = failureOf(error)
      const decision: RetryDecision = failure
        ? retryDecision(failure, number, settings.retry)
        : { action: 'fail', gaveUp: false }
      if (failure && decision.action === 'retry') {
        settings.warn(retryWarning(operation.text, failure, decision.delayMs, number + 1))
        await settings.sleep(decision.delayMs)
        continue
      }
      const gaveUp = decision.action === 'fail' && decision.gaveUp ? `; gave up after ${number} attempts` : ''
      throw new RegistryError(
        operation.text,
        `${await reasonFor(error, failure, operation)}${gaveUp}`,
        statusOf(error),
        codeOf(error),
        { cause: error },
      )
    }
  }
}

/** A thrown error as a retry decision sees it; undefined for errors that are not the registry's or the network's. */
export function failureOf(error: unknown): Failure | undefined {
  if (error instanceof UnexpectedStatus) {
    return {
      kind: 'status',
      status: error.status,
      ...(error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs }),
    }
  }
  const code = networkCode(error)
  return code === undefined ? undefined : { kind: 'network', code }
}

function networkCode(error: unknown): string | undefined {
  for (let current = error, depth = 0; current && depth < 4; depth++) {
    const code = (current as { code?: unknown }).code
    if (typeof code === 'string') return code
    current = (current as { cause?: unknown }).cause
  }
  return undefined
}

async function reasonFor(
  error: unknown,
  failure: Failure | undefined,
  operation: Operation,
): Promise<string> {
  if (error instanceof UnexpectedStatus) {
    if (error.status === 401 && !(await operation.hasCredential())) {
      return `the registry asks for credentials for ${operation.name} (401) and the auth file has none for its registry`
    }
    return statusReason(error.status, operation.name, operation.access, error.detail)
  }
  const message = errorMessage(error)
  if (failure?.kind === 'network' && /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|ERR_SSL/.test(failure.code)) {
    return `TLS failed (${failure.code}: ${message}); a registry with its own CA needs it in /etc/docker/certs.d/<host:port>/ca.crt`
  }
  return failure ? `${failureReason(failure)}: ${message}` : message
}

function statusOf(error: unknown): number | undefined {
  return error instanceof UnexpectedStatus ? error.status : undefined
}

function codeOf(error: unknown): string | undefined {
  return error instanceof UnexpectedStatus ? error.detail?.code : undefined
}
