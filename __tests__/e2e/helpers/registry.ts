// A small Distribution (registry v2) HTTP client with basic auth, for reading back what tests pushed.
import { createHash } from 'node:crypto'
import http from 'node:http'
import https from 'node:https'
import type { RegistryEndpoint } from './sandbox-env.js'

export const MediaType = {
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  dockerManifestList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
} as const

/** Accept headers that make the registry return an index (or manifest list) as stored. */
export const ACCEPT_INDEX: readonly string[] = [MediaType.ociIndex, MediaType.dockerManifestList]
export const ACCEPT_MANIFEST: readonly string[] = [MediaType.ociManifest, MediaType.dockerManifest]
export const ACCEPT_ANY: readonly string[] = [...ACCEPT_INDEX, ...ACCEPT_MANIFEST]

export interface RegistryResponse {
  readonly status: number
  readonly headers: http.IncomingHttpHeaders
  readonly body: Buffer
}

export interface FetchedManifest {
  /** Docker-Content-Digest header */
  readonly digest: string
  /** sha256 of the bytes served: must equal `digest` */
  readonly bodyDigest: string
  readonly mediaType: string
  readonly body: Buffer
  readonly json: unknown
}

export interface RegistryClientOptions {
  /** send the endpoint's credentials (default true) */
  readonly auth?: boolean
  /** override the password (to prove a wrong one is refused) */
  readonly password?: string
  /** trust the endpoint's CA (default true); false uses Node's default trust store only */
  readonly trustSandboxCa?: boolean
  readonly timeoutMs?: number
}

export function sha256Digest(bytes: Buffer): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`
}

export class RegistryClient {
  constructor(
    readonly endpoint: RegistryEndpoint,
    private readonly options: RegistryClientOptions = {},
  ) {}

  request(method: 'GET' | 'HEAD', path: string, accept: readonly string[] = []): Promise<RegistryResponse> {
    const { hostname, port } = new URL(`http://${this.endpoint.host}`)
    const headers: http.OutgoingHttpHeaders = {}
    if (accept.length > 0) headers.accept = accept.join(', ')
    if (this.options.auth !== false) {
      const password = this.options.password ?? this.endpoint.password
      headers.authorization = `Basic ${Buffer.from(`${this.endpoint.user}:${password}`).toString('base64')}`
    }
    const base = {
      hostname,
      port: Number(port),
      path,
      method,
      headers,
      timeout: this.options.timeoutMs ?? 30_000,
    }
    return new Promise((resolve, reject) => {
      const onResponse = (res: http.IncomingMessage): void => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        )
        res.on('error', reject)
      }
      const req = this.endpoint.tls
        ? https.request(
            {
              ...base,
              servername: hostname,
              ...(this.options.trustSandboxCa !== false && this.endpoint.caPem
                ? { ca: this.endpoint.caPem }
                : {}),
            },
            onResponse,
          )
        : http.request(base, onResponse)
      req.on('timeout', () => req.destroy(new Error(`${method} ${this.endpoint.host}${path} timed out`)))
      req.on('error', reject)
      req.end()
    })
  }

  /** Status of GET /v2/ (200 when the credentials are accepted, 401 when not). */
  async ping(): Promise<number> {
    return (await this.request('GET', '/v2/')).status
  }

  /** Digest the registry reports for repo:ref via HEAD, or undefined when it has no such manifest. */
  async headDigest(
    repo: string,
    ref: string,
    accept: readonly string[] = ACCEPT_ANY,
  ): Promise<string | undefined> {
    const res = await this.request('HEAD', `/v2/${repo}/manifests/${ref}`, accept)
    if (res.status === 404) return undefined
    if (res.status !== 200) throw new Error(`HEAD ${this.endpoint.host}/${repo}:${ref}: HTTP ${res.status}`)
    return header(res, 'docker-content-digest')
  }

  async getManifest(
    repo: string,
    ref: string,
    accept: readonly string[] = ACCEPT_ANY,
  ): Promise<FetchedManifest> {
    const res = await this.request('GET', `/v2/${repo}/manifests/${ref}`, accept)
    if (res.status !== 200) {
      throw new Error(
        `GET ${this.endpoint.host}/${repo}:${ref}: HTTP ${res.status} ${res.body.toString('utf8')}`,
      )
    }
    return {
      digest: header(res, 'docker-content-digest'),
      bodyDigest: sha256Digest(res.body),
      mediaType: header(res, 'content-type'),
      body: res.body,
      json: JSON.parse(res.body.toString('utf8')) as unknown,
    }
  }

  async tags(repo: string): Promise<string[]> {
    const res = await this.request('GET', `/v2/${repo}/tags/list`)
    if (res.status !== 200) throw new Error(`GET ${this.endpoint.host}/${repo} tags: HTTP ${res.status}`)
    const parsed = JSON.parse(res.body.toString('utf8')) as { tags?: string[] | null }
    return parsed.tags ?? []
  }
}

function header(res: RegistryResponse, name: string): string {
  const value = res.headers[name]
  if (typeof value !== 'string' || value === '') throw new Error(`registry response has no ${name} header`)
  return value
}
