import { readFile } from 'node:fs/promises'
import type { Dispatcher } from 'undici'
import { parseImageReference } from '../metadata/image-reference.js'
import { formatDuration, TIMEOUTS, type Timeouts } from '../runner/timeouts.js'
import { RegistryConnection } from './connection.js'
import { askCredentialHelper } from './credential-helper.js'
import {
  credentialSourceFor,
  parseAuthFile,
  secretsOf,
  type AuthConfig,
  type Credential,
} from './credentials.js'
import { DEFAULT_CERTS_DIRS, registryCaFiles, registryDispatcher } from './dispatcher.js'
import { RegistryError } from './errors.js'
import { operate, type OperationSettings } from './operate.js'
import { unexpected } from './replies.js'
import { RegistryRepository } from './repository.js'
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry.js'
import type { RangeReader } from './upload.js'

export { RegistryError } from './errors.js'
export { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry.js'
export type { RangeReader } from './upload.js'

export interface RegistryOptions {
  /**
   * The step's private config.json: `auths` entries (`auth`: base64(user:pass), or `identitytoken`)
   * keyed `<host>` or `https://index.docker.io/v1/`, and `credHelpers` (`{ "<host>": "<helper>" }`).
   */
  authFile: string
  /** Called with every secret the moment it is read (a helper's answer, a stored password or token): core.setSecret. */
  mask: (secret: string) => void
  /** The credential helpers' deadline is the `login` one. Default TIMEOUTS. */
  limits?: Timeouts
  /** Where per-registry CA files live, docker's layout: <dir>/<host:port>/*.crt. Default ['/etc/docker/certs.d', '/etc/containers/certs.d']. */
  certsDirs?: string[]
  /** Environment for proxies (HTTPS_PROXY/HTTP_PROXY/NO_PROXY, any case). Default process.env. */
  env?: NodeJS.ProcessEnv
  retry?: RetryPolicy
  sleep?: (ms: number) => Promise<void>
  /** Retries and scheme switches are reported here (the lead passes core.warning / info). */
  warn?: (message: string) => void
  note?: (message: string) => void
  /** Aborts every request in flight and every later one (gate failed: stop uploading). */
  signal?: AbortSignal
}

export interface Registry {
  /** `name` as image references name it without tag/digest: "localhost:5000/acme/app", "ghcr.io/o/r", "docker.io/library/alpine". */
  repository(name: string): Repository
  /** Closes the keep-alive connections, so the process can exit without waiting for them to time out. */
  close?(): Promise<void>
}

export interface Repository {
  readonly name: string
  /** HEAD /v2/<path>/blobs/<digest>. */
  hasBlob(digest: string): Promise<boolean>
  /** POST ?mount=<digest>&from=<other path of the same registry>; true when mounted (201). On 202 the upload the registry started instead is cancelled and the answer is false. */
  mountBlob(digest: string, fromName: string): Promise<boolean>
  /**
   * Uploads `size` bytes that must hash to `digest`, streamed from the file at `from` (its size
   * checked first) or read range by range from a RangeReader: one PUT up to 16 MiB, PATCH chunks
   * above; a retry starts a new upload session.
   */
  uploadBlob(digest: string, size: number, from: string | RangeReader): Promise<void>
  /** PUT /v2/<path>/manifests/<reference> (digest or tag); for a digest, the registry's Docker-Content-Digest (if sent) must equal it. */
  putManifest(reference: string, mediaType: string, bytes: Uint8Array): Promise<void>
  /** The manifest's raw bytes as served, and its media type. */
  getManifest(reference: string): Promise<{ bytes: Buffer; mediaType: string }>
  /** A (small) blob, e.g. an image config, checked against its digest. */
  getBlob(digest: string): Promise<Buffer>
  /** GET /v2/<path>/tags/list following Link pagination; [] when the repository does not exist. */
  listTags(): Promise<string[]>
}

/**
 * A client of the OCI distribution API for every registry the auth file knows (and anonymous for
 * the others): one keep-alive connection pool, scheme and authentication state per registry. A
 * registry's credential is read when it first needs one; a credential helper is run only then.
 */
export function openRegistry(options: RegistryOptions): Registry {
  const settings = operationSettings(options, options.signal)
  let config: Promise<AuthConfig> | undefined
  const resolve = async (registry: string): Promise<Credential | undefined> => {
    config ??= readFile(options.authFile, 'utf8').then((text) => parseAuthFile(text, options.authFile))
    const source = credentialSourceFor(await config, registry)
    const found =
      source?.kind === 'helper'
        ? await askCredentialHelper(source.helper, source.serverUrl, options.limits ?? TIMEOUTS)
        : source?.credential
    if (found) for (const secret of secretsOf(found)) options.mask(secret)
    return found
  }
  // Resolved once per registry, a helper asked once: its answer (or its failure) stands for the run.
  const credentials = new Map<string, Promise<Credential | undefined>>()
  const credential = (registry: string) => (): Promise<Credential | undefined> => {
    let found = credentials.get(registry)
    if (!found) {
      found = resolve(registry)
      credentials.set(registry, found)
    }
    return found
  }
  const connections = new Map<string, OpenConnection>()
  const connectionFor = (registry: string): RegistryConnection => {
    let entry = connections.get(registry)
    if (!entry) {
      entry = openConnection(registry, credential(registry), options)
      connections.set(registry, entry)
    }
    return entry.connection
  }
  return {
    repository(name) {
      const { registry } = parseImageReference(name, 'repository')
      const hasCredential = async () => (await credential(registry)()) !== undefined
      return new RegistryRepository(name, connectionFor(registry), settings, hasCredential)
    },
    async close() {
      await Promise.all([...connections.values()].map(async ({ dispatcher }) => (await dispatcher).close()))
    },
  }
}

interface OpenConnection {
  connection: RegistryConnection
  dispatcher: Promise<Dispatcher>
}

/** A registry's connection: its keep-alive dispatcher (certs.d CAs, the environment's proxy) and its auth state. */
function openConnection(
  registry: string,
  credential: () => Promise<Credential | undefined>,
  options: Pick<RegistryOptions, 'certsDirs' | 'env' | 'note' | 'signal'>,
): OpenConnection {
  const dispatcher = registryCaFiles(options.certsDirs ?? DEFAULT_CERTS_DIRS, registry).then((pems) =>
    registryDispatcher(pems, options.env ?? process.env),
  )
  const connection = new RegistryConnection(registry, {
    dispatcher,
    credential,
    signal: options.signal,
    note: options.note ?? (() => undefined),
  })
  return { connection, dispatcher }
}

/** How a login check is named in its errors and retry warnings, and how long it may take. */
export interface LoginCheck {
  /** `Login to ghcr.io as octocat (from "registry-auth")`: a failure reads "<operation> failed: <the registry's answer>". */
  operation: string
  /** The whole check, retries included. */
  timeoutMs: number
  /** Ends the check at once (its connection closed): the run failed before it needed the answer. */
  stop?: AbortSignal
}

/** What a login check shares with openRegistry's options: where CAs and proxies come from, retries, reporting. */
export type LoginCheckOptions = Pick<
  RegistryOptions,
  'certsDirs' | 'env' | 'note' | 'retry' | 'sleep' | 'warn'
>

/**
 * What `docker login` checks, with this client: GET /v2/ answered 2xx once its 401 challenge is
 * answered with the user and password (Basic; or Bearer: a token from the realm, for the service,
 * no scope, fetched with Basic). A refused credential (401, 403) fails at once; a transient
 * failure is retried, within `timeoutMs`. Throws a RegistryError named by `check.operation`.
 */
export async function checkLogin(
  registry: string,
  credential: { username: string; password: string },
  check: LoginCheck,
  options: LoginCheckOptions = {},
): Promise<void> {
  const timeout = AbortSignal.timeout(check.timeoutMs)
  const signal = check.stop ? AbortSignal.any([timeout, check.stop]) : timeout
  const given: Credential = { kind: 'password', ...credential }
  const { connection, dispatcher } = openConnection(registry, () => Promise.resolve(given), {
    ...options,
    signal,
  })
  const operation = {
    text: check.operation,
    name: registry,
    access: 'pull' as const,
    hasCredential: () => Promise.resolve(true),
  }
  const checked = operate(operation, operationSettings(options, signal), async () => {
    const reply = await connection.send({ method: 'GET', target: '/v2/', scopes: [], kind: 'control' })
    if (reply.status < 200 || reply.status > 299) throw await unexpected(reply)
    await reply.body.dump()
  })
  try {
    // undici leaves a connection attempt (a TLS handshake never answered) to its own connect
    // timeout whatever the signal says: the time limit is kept here.
    await Promise.race([checked, abortOf(signal)])
  } catch (error) {
    if (check.stop?.aborted)
      throw new RegistryError(check.operation, 'stopped: the run ended before the login')
    if (!signal.aborted) throw error
    throw new RegistryError(check.operation, `no answer within ${formatDuration(check.timeoutMs)}`)
  } finally {
    checked.catch(() => undefined)
    // destroy, not close: close would wait for the request still hanging.
    await (await dispatcher).destroy()
  }
}

function abortOf(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) =>
    signal.addEventListener('abort', () => reject(signal.reason), { once: true }),
  )
}

/** How the operations of a client are retried, paused, reported and stopped (`signal`). */
function operationSettings(
  options: Pick<RegistryOptions, 'retry' | 'sleep' | 'warn'>,
  signal: AbortSignal | undefined,
): OperationSettings {
  return {
    retry: options.retry ?? DEFAULT_RETRY_POLICY,
    sleep: options.sleep ?? ((ms: number) => pause(ms, signal)),
    warn: options.warn ?? (() => undefined),
    signal,
  }
}

/** Waits `ms`, or less when the signal aborts (the operation then stops before its next attempt). */
function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    // One listener per pause, removed when the pause ends: retries side by side must not pile up
    // listeners on the run's one signal.
    const done = (): void => {
      clearTimeout(timer)
      signal?.removeEventListener('abort', done)
      resolve()
    }
    const timer = setTimeout(done, ms)
    signal?.addEventListener('abort', done, { once: true })
  })
}

/**
 * Opens registries with the reporting they share, each with its own auth file and abort signal,
 * and closes every one it opened: idle keep-alive connections would otherwise hold the step open.
 */
export function registryOpener(shared: Omit<RegistryOptions, 'authFile' | 'signal'>): {
  open(authFile: string, signal?: AbortSignal): Registry
  closeAll(): Promise<void>
} {
  const opened: Registry[] = []
  return {
    open(authFile, signal) {
      const registry = openRegistry({ ...shared, authFile, ...(signal ? { signal } : {}) })
      opened.push(registry)
      return registry
    },
    async closeAll() {
      await Promise.all(opened.map((registry) => registry.close?.()))
    },
  }
}
