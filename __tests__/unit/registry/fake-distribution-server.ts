// A fake OCI distribution registry on 127.0.0.1 (plain HTTP, port 0, everything in memory). It
// exists to produce what the sandbox's real registries cannot be made to produce: Bearer tokens,
// 429 with Retry-After, 5xx, dropped connections, revoked tokens, 202 to a mount. It records what
// the client sent so the tests can check headers, ranges and digests. The real registries are
// tested in __tests__/e2e/registry-client.test.ts.
import { createHash } from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface Seen {
  method: string
  path: string
  query: URLSearchParams
  headers: IncomingMessage['headers']
  bodyLength: number
  /** The form of a POST to the token endpoint (an identity token's refresh-token grant). */
  form?: URLSearchParams
}

/** A canned answer for a request the test wants to fail, or `drop` to close the connection unanswered. */
export type Fault = { status: number; headers?: Record<string, string>; body?: string } | 'drop'

export type FakeAuth =
  | { kind: 'none' }
  | { kind: 'basic'; user: string; password: string }
  | { kind: 'bearer'; user?: string; password?: string; expiresIn?: number; identityToken?: string }

const sha256 = (bytes: Buffer): string => `sha256:${createHash('sha256').update(bytes).digest('hex')}`

export class FakeDistributionServer {
  readonly seen: Seen[] = []
  readonly blobs = new Map<string, Buffer>()
  readonly manifests = new Map<string, { bytes: Buffer; type: string }>()
  readonly tags = new Map<string, string[]>()
  /** Tag lists are served in pages of this many, with a Link to the next. */
  tagPageSize = 100
  /** Overrides the Docker-Content-Digest sent back for a manifest PUT. */
  manifestDigestHeader: string | undefined
  /** Serves other bytes than the blob stored (a corrupt registry). */
  corruptBlobs = false
  readonly #faults: Array<{ method: string; path: RegExp; fault: Fault }> = []
  readonly #uploads = new Map<string, Buffer[]>()
  readonly #tokens = new Set<string>()
  #nextId = 1
  #server: Server | undefined

  constructor(public auth: FakeAuth = { kind: 'none' }) {}

  get host(): string {
    return `127.0.0.1:${(this.#server?.address() as AddressInfo).port}`
  }

  async start(): Promise<this> {
    this.#server = createServer((req, res) => void this.#handle(req, res))
    await new Promise<void>((resolve) => this.#server?.listen(0, '127.0.0.1', resolve))
    return this
  }

  async stop(): Promise<void> {
    this.#server?.closeAllConnections()
    await new Promise((resolve) => this.#server?.close(resolve))
  }

  /** The next request matching method and path gets `fault` instead of its answer; queued in order. */
  failNext(method: string, path: RegExp, fault: Fault, times = 1): void {
    for (let i = 0; i < times; i++) this.#faults.push({ method, path, fault })
  }

  /** Every token handed out so far stops working (expired, rotated). */
  revokeTokens(): void {
    this.#tokens.clear()
  }

  requests(method: string, path?: RegExp): Seen[] {
    return this.seen.filter((r) => r.method === method && (!path || path.test(r.path)))
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const body = Buffer.concat(chunks)
    const url = new URL(req.url ?? '/', `http://${this.host}`)
    this.seen.push({
      method: req.method ?? '',
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      bodyLength: body.length,
      ...(url.pathname === '/token' && req.method === 'POST'
        ? { form: new URLSearchParams(body.toString()) }
        : {}),
    })
    const index = this.#faults.findIndex((f) => f.method === req.method && f.path.test(url.pathname))
    if (index >= 0) {
      const fault = this.#faults.splice(index, 1)[0]?.fault
      if (fault === 'drop' || fault === undefined) {
        req.socket.destroy()
        return
      }
      res.writeHead(fault.status, fault.headers).end(fault.body ?? '')
      return
    }
    if (url.pathname === '/token') return this.#token(req, url, res)
    if (!this.#authorized(req.headers.authorization)) return this.#challenge(url, res)
    this.#route(req.method ?? '', url, body, res)
  }

  #token(req: IncomingMessage, url: URL, res: ServerResponse): void {
    const auth = this.auth
    if (auth.kind !== 'bearer') return void res.writeHead(404).end()
    if (req.method === 'POST') return this.#refreshTokenGrant(this.seen.at(-1)?.form, res)
    if (auth.user !== undefined && req.headers.authorization !== basic(auth.user, auth.password ?? '')) {
      return void json(res, 401, { errors: [{ code: 'UNAUTHORIZED', message: 'bad credentials' }] })
    }
    const token = `token-${this.#nextId++}-${url.searchParams.getAll('scope').join('+')}`
    this.#tokens.add(token)
    json(res, 200, { access_token: token, ...(auth.expiresIn ? { expires_in: auth.expiresIn } : {}) })
  }

  // The OAuth2 refresh-token grant; a refused one echoes the token in its description, as a careless server might.
  #refreshTokenGrant(form: URLSearchParams | undefined, res: ServerResponse): void {
    const expected = this.auth.kind === 'bearer' ? this.auth.identityToken : undefined
    const sent = form?.get('refresh_token')
    if (form?.get('grant_type') !== 'refresh_token' || expected === undefined || sent !== expected) {
      return void json(res, 400, {
        error: 'invalid_grant',
        error_description: `refresh token ${sent} is not valid`,
      })
    }
    const token = `token-${this.#nextId++}-${(form.get('scope') ?? '').split(' ').join('+')}`
    this.#tokens.add(token)
    json(res, 200, { access_token: token, refresh_token: expected })
  }

  #authorized(header: string | undefined): boolean {
    const auth = this.auth
    if (auth.kind === 'none') return true
    if (auth.kind === 'basic') return header === basic(auth.user, auth.password)
    return header !== undefined && header.startsWith('Bearer ') && this.#tokens.has(header.slice(7))
  }

  #challenge(url: URL, res: ServerResponse): void {
    const challenge =
      this.auth.kind === 'basic'
        ? 'Basic realm="fake"'
        : `Bearer realm="http://${this.host}/token",service="fake-registry"${scopeOf(url.pathname)}`
    json(
      res,
      401,
      { errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] },
      { 'www-authenticate': challenge },
    )
  }

  #route(method: string, url: URL, body: Buffer, res: ServerResponse): void {
    // The API version check a login makes.
    if (url.pathname === '/v2/') return void json(res, 200, {})
    const match = /^\/v2\/(.+?)\/(blobs\/uploads\/?|blobs|manifests|tags\/list|uploads)(?:\/(.*))?$/.exec(
      url.pathname,
    )
    if (!match) return void res.writeHead(404).end()
    const [, repo = '', kind = '', rest = ''] = match
    if (kind.startsWith('blobs/uploads') && method === 'POST') {
      const mount = url.searchParams.get('mount')
      if (mount !== null && this.blobs.has(mount)) {
        return void res.writeHead(201, { location: `/v2/${repo}/blobs/${mount}` }).end()
      }
      const id = String(this.#nextId++)
      this.#uploads.set(id, [])
      return void res
        .writeHead(202, { location: `/v2/${repo}/uploads/${id}?_state=s${id}`, range: '0-0' })
        .end()
    }
    if (kind === 'uploads') return this.#upload(method, repo, rest, url, body, res)
    if (kind === 'blobs') {
      const stored = this.blobs.get(rest)
      if (!stored) return void json(res, 404, { errors: [{ code: 'BLOB_UNKNOWN', message: 'blob unknown' }] })
      const blob = this.corruptBlobs ? Buffer.from('corrupt') : stored
      res.writeHead(200, { 'content-length': blob.length, 'docker-content-digest': rest })
      return void res.end(method === 'HEAD' ? undefined : blob)
    }
    if (kind === 'manifests') return this.#manifest(method, repo, rest, body, res)
    const all = this.tags.get(repo)
    if (!all)
      return void json(res, 404, { errors: [{ code: 'NAME_UNKNOWN', message: 'repository name not known' }] })
    const last = url.searchParams.get('last')
    const start = last === null ? 0 : all.indexOf(last) + 1
    const page = all.slice(start, start + this.tagPageSize)
    const more = start + this.tagPageSize < all.length
    const link: Record<string, string> = more
      ? { link: `</v2/${repo}/tags/list?n=${this.tagPageSize}&last=${page.at(-1)}>; rel="next"` }
      : {}
    json(res, 200, { name: repo, tags: page }, link)
  }

  #upload(method: string, repo: string, id: string, url: URL, body: Buffer, res: ServerResponse): void {
    const parts = this.#uploads.get(id)
    if (!parts)
      return void json(res, 404, { errors: [{ code: 'BLOB_UPLOAD_UNKNOWN', message: 'upload unknown' }] })
    if (method === 'DELETE') {
      this.#uploads.delete(id)
      return void res.writeHead(204).end()
    }
    parts.push(body)
    const size = parts.reduce((sum, part) => sum + part.length, 0)
    if (method === 'PATCH') {
      return void res
        .writeHead(202, { location: `/v2/${repo}/uploads/${id}?_state=p${size}`, range: `0-${size - 1}` })
        .end()
    }
    const whole = Buffer.concat(parts)
    const digest = url.searchParams.get('digest') ?? ''
    this.#uploads.delete(id)
    if (sha256(whole) !== digest)
      return void json(res, 400, { errors: [{ code: 'DIGEST_INVALID', message: 'digest did not match' }] })
    this.blobs.set(digest, whole)
    res.writeHead(201, { location: `/v2/${repo}/blobs/${digest}`, 'docker-content-digest': digest }).end()
  }

  #manifest(method: string, repo: string, reference: string, body: Buffer, res: ServerResponse): void {
    if (method === 'PUT') {
      const digest = sha256(body)
      const entry = { bytes: body, type: String(this.seen.at(-1)?.headers['content-type']) }
      this.manifests.set(`${repo}@${digest}`, entry)
      if (!reference.startsWith('sha256:')) this.tags.set(repo, [...(this.tags.get(repo) ?? []), reference])
      this.manifests.set(`${repo}@${reference}`, entry)
      return void res.writeHead(201, { 'docker-content-digest': this.manifestDigestHeader ?? digest }).end()
    }
    const entry = this.manifests.get(`${repo}@${reference}`)
    if (!entry)
      return void json(res, 404, { errors: [{ code: 'MANIFEST_UNKNOWN', message: 'manifest unknown' }] })
    res.writeHead(200, { 'content-type': entry.type }).end(entry.bytes)
  }
}

function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`
}

// The challenge's scope parameter; none for /v2/ itself, as registries answer a login's check.
function scopeOf(path: string): string {
  const repo = /^\/v2\/(.+?)\/(?:blobs|manifests|tags|uploads)/.exec(path)?.[1]
  return repo === undefined ? '' : `,scope="repository:${repo}:pull"`
}

function json(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body))
}
