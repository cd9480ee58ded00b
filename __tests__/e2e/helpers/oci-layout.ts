// Reads an OCI image layout directory (as `--output type=oci,tar=false` writes it) and files inside
// its layers, so tests can check what a build really produced.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { gunzipSync } from 'node:zlib'
import { sha256Digest } from './registry.js'

export interface Platform {
  readonly os: string
  readonly architecture: string
  readonly variant?: string
}

export interface Descriptor {
  readonly mediaType: string
  readonly digest: string
  readonly size: number
  readonly platform?: Platform
  readonly annotations?: Readonly<Record<string, string>>
}

export interface ImageIndex {
  readonly schemaVersion: number
  readonly mediaType?: string
  readonly manifests: readonly Descriptor[]
}

export interface ImageManifest {
  readonly schemaVersion: number
  readonly mediaType?: string
  readonly config: Descriptor
  readonly layers: readonly Descriptor[]
}

export class OciLayout {
  constructor(readonly dir: string) {}

  /** index.json at the layout's root */
  index(): ImageIndex {
    return JSON.parse(readFileSync(path.join(this.dir, 'index.json'), 'utf8')) as ImageIndex
  }

  /** A blob's bytes, checked against its digest. */
  blob(digest: string): Buffer {
    const [algorithm, hex] = digest.split(':')
    if (algorithm !== 'sha256' || hex === undefined || !/^[0-9a-f]{64}$/.test(hex)) {
      throw new Error(`unsupported digest ${digest}`)
    }
    const bytes = readFileSync(path.join(this.dir, 'blobs', algorithm, hex))
    const actual = sha256Digest(bytes)
    if (actual !== digest) throw new Error(`blob ${digest} has digest ${actual}`)
    return bytes
  }

  json<T>(digest: string): T {
    return JSON.parse(this.blob(digest).toString('utf8')) as T
  }

  /** The content of `file` in the topmost layer of `manifest` that has it. */
  fileInImage(manifest: ImageManifest, file: string): Buffer | undefined {
    for (const layer of [...manifest.layers].reverse()) {
      const found = fileInLayer(this.blob(layer.digest), file)
      if (found !== undefined) return found
    }
    return undefined
  }
}

export function platformKey(p: Platform | undefined): string {
  if (p === undefined) return 'none'
  return [p.os, p.architecture, p.variant].filter((x) => x !== undefined && x !== '').join('/')
}

const BLOCK = 512

function cString(buf: Buffer, start: number, length: number): string {
  const field = buf.subarray(start, start + length)
  const nul = field.indexOf(0)
  return field.subarray(0, nul === -1 ? field.length : nul).toString('utf8')
}

function normalise(p: string): string {
  return p.replace(/^(\.\/|\/)+/, '')
}

/** Finds a regular file in a (possibly gzipped) tar layer; handles ustar prefixes, PAX and GNU long names. */
export function fileInLayer(layer: Buffer, file: string): Buffer | undefined {
  const tar = layer[0] === 0x1f && layer[1] === 0x8b ? gunzipSync(layer) : layer
  const wanted = normalise(file)
  let offset = 0
  let longName: string | undefined
  while (offset + BLOCK <= tar.length) {
    const header = tar.subarray(offset, offset + BLOCK)
    if (header.every((b) => b === 0)) break
    const size = parseInt(cString(header, 124, 12).trim() || '0', 8)
    const type = String.fromCharCode(header[156] ?? 0)
    const prefix = cString(header, 345, 155)
    const name = longName ?? (prefix ? `${prefix}/${cString(header, 0, 100)}` : cString(header, 0, 100))
    const data = tar.subarray(offset + BLOCK, offset + BLOCK + size)
    offset += BLOCK + Math.ceil(size / BLOCK) * BLOCK
    longName = undefined
    if (type === 'x') {
      const pathRecord = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(data.toString('utf8'))
      longName = pathRecord?.[1]
    } else if (type === 'L') {
      longName = cString(data, 0, data.length)
    } else if ((type === '0' || type === '\0') && normalise(name) === wanted) {
      return Buffer.from(data)
    }
  }
  return undefined
}
