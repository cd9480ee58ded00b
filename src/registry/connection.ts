import type { IncomingHttpHeaders } from 'node:http'
import { Readable } from 'node:stream'
import { request, type Dispatcher } from 'undici'
import { isLoopbackHost, registryApiHost } from '../metadata/image-reference.js'
import { Authenticator } from './auth.js'
import type { Credential } from './credentials.js'
import { requestTimeouts, type RequestKind } from './retry.js'

/** One request to a registry, described so it can be sent again (after a 401, a scheme switch). */
export interface Exchange {
  method: Dispatcher.HttpMethod
  /** A path on the registry (`/v2/…`), or an absolute URL the registry handed out (a Location). */
  target: string
  query?: Record<string, string>
  headers?: Record<string, string>
  /** Makes the body afresh for every send: a file stream can be read only once. */
  body?: () => Readable | Uint8Array
  /** The token scopes the request needs. */
  scopes: readonly string[]
  kind: RequestKind
  /** Blob reads may be redirected to storage; undici drops Authorization on a change of origin. */
  followRedirects?: boolean
}

export interface Reply {
  status: number
  headers: IncomingHttpHeaders
  url: URL
  body: Dispatcher.ResponseData['body']
}

export interface ConnectionSettings {
  /** Made once its CA files are read. */
  dispatcher: Promise<Dispatcher>
  credential: () => Promise<Credential | undefined>
  signal: AbortSignal | undefined
  note: (message: string) => void
}

/**
 * Everything one registry needs across requests: its scheme, its keep-alive dispatcher and its
 * authentication state.
 */
export class RegistryConnection {
  #scheme: 'https' | 'http' = 'https'
  readonly #auth: Authenticator
  readonly #apiHost: string

  constructor(
    readonly registry: string,
    private readonly settings: ConnectionSettings,
  ) {
    this.#apiHost = registryApiHost(registry)
    this.#auth = new Authenticator(registry, settings.credential, settings.dispatcher, settings.signal)
  }

  /** Sends an exchange, answering one 401 challenge; a 401 that remains is returned to the caller. */
  async send(exchange: Exchange): Promise<Reply> {
    const sent = await this.#auth.headerFor(exchange.scopes)
    const reply = await this.#dispatch(exchange, sent)
    if (reply.status !== 401) return reply
    const challenge = reply.headers['www-authenticate']
    const answer = await this.#auth.answer(
      Array.isArray(challenge) ? challenge[0] : challenge,
      exchange.scopes,
      sent,
    )
    if (answer === undefined) return reply
    await reply.body.dump()
    return this.#dispatch(exchange, answer)
  }

  async #dispatch(exchange: Exchange, authorization: string | undefined): Promise<Reply> {
    for (;;) {
      const url = new URL(exchange.target, `${this.#scheme}://${this.#apiHost}`)
      for (const [key, value] of Object.entries(exchange.query ?? {})) url.searchParams.set(key, value)
      const headers = { ...exchange.headers }
      // Credentials go to the registry alone, never to another host a Location names.
      if (authorization && url.host === this.#apiHost) headers.authorization = authorization
      const timeouts = requestTimeouts(exchange.kind)
      const body = exchange.body?.()
      try {
        const response = await request(url, {
          method: exchange.method,
          headers,
          body,
          dispatcher: await this.settings.dispatcher,
          signal: this.settings.signal,
          headersTimeout: timeouts.headersMs,
          bodyTimeout: timeouts.bodyIdleMs,
          maxRedirections: exchange.followRedirects ? 5 : 0,
        })
        return { status: response.statusCode, headers: response.headers, url, body: response.body }
      } catch (error) {
        if (body instanceof Readable) body.destroy()
        if (!(exchange.target.startsWith('/') && this.#fellBackToHttp(url, error))) throw error
      }
    }
  }

  /**
   * A loopback registry that answers TLS with plain HTTP is switched to HTTP, once, as the Docker
   * engine treats loopback registries; any other host keeps HTTPS whatever it answers.
   */
  #fellBackToHttp(url: URL, error: unknown): boolean {
    if (url.protocol !== 'https:' || !mayUsePlainHttp(this.registry, error)) return false
    // Requests in flight side by side all fail the same way; one switch, one note.
    if (this.#scheme === 'https') {
      this.#scheme = 'http'
      this.settings.note(`${this.registry} speaks plain HTTP (loopback): using HTTP for it`)
    }
    return true
  }
}

/**
 * Whether a failed HTTPS request may be sent again over HTTP: only to a loopback registry, and only
 * when the TLS handshake failed because the server answered with plain HTTP text.
 */
export function mayUsePlainHttp(registry: string, error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code
  const plainHttpAnswer = code === 'ERR_SSL_WRONG_VERSION_NUMBER' || code === 'ERR_SSL_PACKET_LENGTH_TOO_LONG'
  return plainHttpAnswer && isLoopbackHost(registry)
}
