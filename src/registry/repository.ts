import { stat } from 'node:fs/promises'
import { errorMessage } from '../action/errors.js'
import { digestAs, INDEX_TYPES, MANIFEST_TYPES } from '../build/oci-layout.js'
import { parseImageReference } from '../metadata/image-reference.js'
import { pullScope, pushScope } from './challenge.js'
import type { RegistryConnection } from './connection.js'
import { RegistryError } from './errors.js'
import { nextPageUrl } from './links.js'
import { operate, type Operation, type OperationSettings } from './operate.js'
import { expectStatus, header, unexpected, uploadLocation } from './replies.js'
import type { Repository } from './index.js'
import { fileRanges, uploadOnce, type RangeReader } from './upload.js'

/** Every manifest type a registry may serve for an image, as the Accept header of a manifest read. */
const MANIFEST_ACCEPT = [...INDEX_TYPES, ...MANIFEST_TYPES].join(', ')

/** One repository of a registry, its operations each retried as a whole. */
export class RegistryRepository implements Repository {
  readonly #path: string

  constructor(
    readonly name: string,
    private readonly connection: RegistryConnection,
    private readonly settings: OperationSettings,
    private readonly hasCredential: () => Promise<boolean>,
  ) {
    this.#path = parseImageReference(name, 'repository').path
  }

  hasBlob(digest: string): Promise<boolean> {
    return this.#operate(`check blob ${digest} in ${this.name}`, 'pull', async () => {
      const reply = await this.connection.send({
        method: 'HEAD',
        target: this.#blobPath(digest),
        scopes: [pullScope(this.#path)],
        kind: 'control',
        followRedirects: true,
      })
      if (reply.status === 404) {
        await reply.body.dump()
        return false
      }
      await (await expectStatus(reply, 200)).body.dump()
      return true
    })
  }

  mountBlob(digest: string, fromName: string): Promise<boolean> {
    const from = parseImageReference(fromName, 'fromName')
    const text = `mount blob ${digest} from ${fromName} into ${this.name}`
    if (from.registry !== this.connection.registry) {
      return Promise.reject(new RegistryError(text, 'a blob can be mounted only from the same registry'))
    }
    return this.#operate(text, 'push', async () => {
      const scopes = [pushScope(this.#path), pullScope(from.path)]
      const reply = await this.connection.send({
        method: 'POST',
        target: `/v2/${this.#path}/blobs/uploads/`,
        query: { mount: digest, from: from.path },
        headers: { 'content-length': '0' },
        scopes,
        kind: 'control',
      })
      await expectStatus(reply, 201, 202)
      await reply.body.dump()
      if (reply.status === 201) return true
      // The registry opened an upload instead; closing it spares the registry an orphan session,
      // and a registry that cannot close one lets it expire, so its answer does not matter.
      const cancelled = await this.connection.send({
        method: 'DELETE',
        target: uploadLocation(reply),
        scopes,
        kind: 'control',
      })
      await cancelled.body.dump()
      return false
    })
  }

  async uploadBlob(digest: string, size: number, from: string | RangeReader): Promise<void> {
    const text = `upload blob ${digest} to ${this.name}`
    if (typeof from === 'string') await checkFileSize(from, size, text)
    const read = typeof from === 'string' ? fileRanges(from) : from
    await this.#operate(text, 'push', () =>
      uploadOnce(this.connection, this.#path, { digest, size, read, scopes: [pushScope(this.#path)] }),
    )
  }

  putManifest(reference: string, mediaType: string, bytes: Uint8Array): Promise<void> {
    return this.#operate(`push manifest ${this.#reference(reference)}`, 'push', async () => {
      const reply = await this.connection.send({
        method: 'PUT',
        target: `/v2/${this.#path}/manifests/${reference}`,
        headers: { 'content-type': mediaType, 'content-length': String(bytes.length) },
        body: () => bytes,
        scopes: [pushScope(this.#path)],
        kind: 'commit',
      })
      await expectStatus(reply, 200, 201, 202, 204)
      await reply.body.dump()
      const stored = header(reply.headers, 'docker-content-digest')
      if (reference.includes(':') && stored !== undefined && stored !== reference) {
        throw new Error(`the registry stored the manifest as ${stored}`)
      }
    })
  }

  getManifest(reference: string): Promise<{ bytes: Buffer; mediaType: string }> {
    return this.#operate(`read manifest ${this.#reference(reference)}`, 'pull', async () => {
      const reply = await this.connection.send({
        method: 'GET',
        target: `/v2/${this.#path}/manifests/${reference}`,
        headers: { accept: MANIFEST_ACCEPT },
        scopes: [pullScope(this.#path)],
        kind: 'control',
      })
      await expectStatus(reply, 200)
      const bytes = Buffer.from(await reply.body.arrayBuffer())
      const mediaType = (header(reply.headers, 'content-type') ?? '').split(';')[0]?.trim() ?? ''
      return { bytes, mediaType }
    })
  }

  getBlob(digest: string): Promise<Buffer> {
    return this.#operate(`read blob ${digest} from ${this.name}`, 'pull', async () => {
      const reply = await this.connection.send({
        method: 'GET',
        target: this.#blobPath(digest),
        scopes: [pullScope(this.#path)],
        kind: 'transfer',
        followRedirects: true,
      })
      await expectStatus(reply, 200)
      const bytes = Buffer.from(await reply.body.arrayBuffer())
      const served = digestAs(digest, bytes)
      if (served !== digest) throw new Error(`the registry served bytes that hash to ${served}`)
      return bytes
    })
  }

  listTags(): Promise<string[]> {
    return this.#operate(`list the tags of ${this.name}`, 'pull', async () => {
      const tags: string[] = []
      for (let target: string | undefined = `/v2/${this.#path}/tags/list`; target !== undefined;) {
        const reply = await this.connection.send({
          method: 'GET',
          target,
          scopes: [pullScope(this.#path)],
          kind: 'control',
        })
        if (reply.status === 404 && tags.length === 0) {
          const failure = await unexpected(reply)
          // A repository never pushed to has no tags; any other 404 is the registry's problem to report.
          if (failure.detail === undefined || failure.detail.code === 'NAME_UNKNOWN') return []
          throw failure
        }
        await expectStatus(reply, 200)
        const page = (await reply.body.json()) as { tags?: unknown }
        if (Array.isArray(page.tags))
          tags.push(...page.tags.filter((tag): tag is string => typeof tag === 'string'))
        target = nextPageUrl(header(reply.headers, 'link'), reply.url)?.href
      }
      return tags
    })
  }

  #blobPath(digest: string): string {
    return `/v2/${this.#path}/blobs/${digest}`
  }

  #reference(reference: string): string {
    return reference.includes(':') ? `${this.name}@${reference}` : `${this.name}:${reference}`
  }

  #operate<T>(text: string, access: 'pull' | 'push', attempt: () => Promise<T>): Promise<T> {
    const operation: Operation = { text, name: this.name, access, hasCredential: this.hasCredential }
    return operate(operation, this.settings, attempt)
  }
}

async function checkFileSize(path: string, size: number, text: string): Promise<void> {
  const actual = await stat(path).then(
    (stats) => stats.size,
    (error: unknown) => {
      throw new RegistryError(text, `cannot read ${path}: ${errorMessage(error)}`)
    },
  )
  if (actual !== size)
    throw new RegistryError(text, `the file ${path} has ${actual} bytes, not the ${size} expected`)
}
