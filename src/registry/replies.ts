import type { IncomingHttpHeaders } from 'node:http'
import type { Reply } from './connection.js'
import { parseDistributionError, UnexpectedStatus } from './errors.js'
import { parseRetryAfter } from './retry.js'

// An error body is read for its distribution JSON only; a proxy's HTML page can be large.
const ERROR_BODY_LIMIT = 64 * 1024

/** Returns the reply when its status is one of `expected`; otherwise throws UnexpectedStatus with the registry's error. */
export async function expectStatus(reply: Reply, ...expected: number[]): Promise<Reply> {
  if (expected.includes(reply.status)) return reply
  throw await unexpected(reply)
}

export async function unexpected(reply: Reply): Promise<UnexpectedStatus> {
  const text = await readLimited(reply, ERROR_BODY_LIMIT)
  return new UnexpectedStatus(
    reply.status,
    parseDistributionError(text),
    reply.status === 429 ? parseRetryAfter(header(reply.headers, 'retry-after'), Date.now()) : undefined,
  )
}

async function readLimited(reply: Reply, limit: number): Promise<string> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of reply.body) {
    const buffer = chunk as Buffer
    chunks.push(buffer)
    size += buffer.length
    if (size >= limit) {
      reply.body.destroy()
      break
    }
  }
  return Buffer.concat(chunks).subarray(0, limit).toString('utf8')
}

/** A response header's single value. */
export function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name]
  return Array.isArray(value) ? value[0] : value
}

/** The Location of an upload session, required to go on. */
export function uploadLocation(reply: Reply): string {
  const location = header(reply.headers, 'location')
  if (!location) throw new Error(`the registry answered ${reply.status} without a Location for the upload`)
  return new URL(location, reply.url).href
}
