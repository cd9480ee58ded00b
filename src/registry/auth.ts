import { request, type Dispatcher } from 'undici'
import { basicHeader, type Credential } from './credentials.js'
import {
  parseChallenge,
  parseTokenResponse,
  refreshTokenForm,
  scopeKey,
  tokenRealm,
  tokenUrl,
  type Challenge,
} from './challenge.js'
import { parseDistributionError, parseOAuthError, UnexpectedStatus } from './errors.js'
import { parseRetryAfter, requestTimeouts } from './retry.js'

interface CachedToken {
  header: Promise<string>
  expiresAt: number
}

// A token is renewed this long before it expires, so it does not lapse between choice and use.
const TOKEN_MARGIN_MS = 10_000

/**
 * What one registry wants as Authorization, learnt from its first 401 and remembered: Basic with
 * the stored credential, or Bearer tokens per scope set, cached until they expire. A token is
 * fetched with a GET (anonymous, or Basic with a user and password) or, for an identity token,
 * with the OAuth2 refresh-token POST.
 */
export class Authenticator {
  #basic = false
  #bearer: Challenge | undefined
  readonly #tokens = new Map<string, CachedToken>()

  constructor(
    private readonly registry: string,
    private readonly credential: () => Promise<Credential | undefined>,
    private readonly dispatcher: Promise<Dispatcher>,
    private readonly signal: AbortSignal | undefined,
    private readonly now: () => number = Date.now,
  ) {}

  /** The Authorization to send first: none until the registry has asked for some. */
  async headerFor(scopes: readonly string[]): Promise<string | undefined> {
    if (this.#basic) return this.#basicHeader()
    if (this.#bearer) return this.#token(this.#bearer, scopes, false)
    return undefined
  }

  /**
   * The Authorization that answers a 401's challenge, or undefined when there is nothing new to
   * send (no credential for Basic, the same header as was refused): the 401 then stands.
   */
  async answer(wwwAuthenticate: string | undefined, scopes: readonly string[], sent: string | undefined) {
    const challenge = parseChallenge(wwwAuthenticate)
    if (challenge?.scheme === 'basic') {
      const header = await this.#basicHeader()
      if (header === undefined) return undefined
      this.#basic = true
      return header === sent ? undefined : header
    }
    if (challenge?.scheme === 'bearer') {
      this.#bearer = challenge
      // The token sent may have expired or lacked a scope: ask for a new one, once.
      const header = await this.#token(challenge, scopes, true)
      return header === sent ? undefined : header
    }
    return undefined
  }

  async #basicHeader(): Promise<string | undefined> {
    const credential = await this.credential()
    if (credential?.kind === 'identity token') {
      throw new Error(
        `${this.registry} asks for Basic authentication, and its credential in the docker config is an ` +
          'identity token, which only a token server (a Bearer challenge) accepts: log in to it with a user name and password',
      )
    }
    return credential && basicHeader(credential)
  }

  #token(challenge: Challenge, scopes: readonly string[], renew: boolean): Promise<string> {
    const key = scopeKey(scopes)
    const cached = this.#tokens.get(key)
    if (cached && !renew && cached.expiresAt > this.now()) return cached.header
    const entry: CachedToken = { header: Promise.resolve(''), expiresAt: Infinity }
    entry.header = this.#fetchToken(challenge, scopes).then(
      (token) => {
        entry.expiresAt = this.now() + token.expiresInMs - TOKEN_MARGIN_MS
        return `Bearer ${token.token}`
      },
      (error: unknown) => {
        this.#tokens.delete(key)
        throw error
      },
    )
    this.#tokens.set(key, entry)
    return entry.header
  }

  async #fetchToken(challenge: Challenge, scopes: readonly string[]) {
    const credential = await this.credential()
    const timeouts = requestTimeouts('control')
    const settings = {
      dispatcher: await this.dispatcher,
      signal: this.signal,
      headersTimeout: timeouts.headersMs,
      bodyTimeout: timeouts.bodyIdleMs,
    }
    const response =
      credential?.kind === 'identity token'
        ? await request(tokenRealm(challenge), {
            ...settings,
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: refreshTokenForm(challenge, scopes, credential.token),
          })
        : await request(tokenUrl(challenge, scopes), {
            ...settings,
            method: 'GET',
            headers: credential ? { authorization: basicHeader(credential) } : {},
          })
    const text = await response.body.text()
    if (response.statusCode !== 200) {
      const retryAfter = response.headers['retry-after']
      throw new UnexpectedStatus(
        response.statusCode,
        parseDistributionError(text) ?? parseOAuthError(text),
        parseRetryAfter(typeof retryAfter === 'string' ? retryAfter : undefined, this.now()),
      )
    }
    return parseTokenResponse(text)
  }
}
