// A loopback proxy in front of a sandbox registry: it records every request it sees and may answer
// some itself (a fault), so a test can watch what the action sends to a registry and make one fail.
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import type { RegistryEndpoint } from './sandbox-env.js'

export interface SeenRequest {
  method: string
  url: string
  /** Whether the request carried credentials (an Authorization header). */
  authenticated: boolean
}

/** An answer the proxy gives instead of the registry's: a status and a registry error body. */
export interface FaultAnswer {
  status: number
  code: string
}

export interface RegistryProxy {
  /** `localhost:<port>`: an image name's registry part. */
  host: string
  seen: SeenRequest[]
  close: () => Promise<void>
}

/**
 * Forwards every request to `upstream`, except those `fault` answers. `fault` sees the requests in
 * order (the one in hand included in `seen`), so it can count.
 */
export async function registryProxy(
  upstream: RegistryEndpoint,
  fault: (request: SeenRequest, seen: SeenRequest[]) => FaultAnswer | undefined = () => undefined,
): Promise<RegistryProxy> {
  const target = new URL(`http://${upstream.host}`)
  const seen: SeenRequest[] = []
  const server = http.createServer((req, res) => {
    const request = {
      method: req.method ?? '',
      url: req.url ?? '',
      authenticated: req.headers.authorization !== undefined,
    }
    seen.push(request)
    const answer = fault(request, seen)
    if (answer) {
      req.resume()
      res.writeHead(answer.status, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ errors: [{ code: answer.code, message: 'injected by the test proxy' }] }))
      return
    }
    const forward = http.request(
      {
        hostname: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      (reply) => {
        res.writeHead(reply.statusCode ?? 502, reply.headers)
        reply.pipe(res)
      },
    )
    forward.on('error', () => res.destroy())
    req.pipe(forward)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    host: `localhost:${port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
