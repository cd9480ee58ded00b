import { isLoopbackHost, parseImageReference } from '../metadata/image-reference.js'

/**
 * Pushing the scanned OCI layout itself with skopeo, so the registry gets the very bytes that were
 * scanned: `copy --all --preserve-digests` keeps the index digest byte-for-byte (`--all` copies
 * every platform and attestation; without it skopeo picks one image and the digest changes).
 */

/** How to reach one registry. */
export interface RegistryAccess {
  /** The config.json holding the logins (see `dockerConfigJson`). */
  authfile?: string
  /** A directory with the registry's CA (`ca.crt`), as in /etc/docker/certs.d/HOST:PORT. */
  certDir?: string
  /**
   * The registry speaks plain HTTP. Allowed for loopback hosts only: the engine treats those as
   * insecure and falls back to HTTP itself, but skopeo does not, so it needs
   * `--dest-tls-verify=false` there. Anywhere else it would also switch off certificate checks and
   * let anyone on the path swap the image: refused.
   */
  plainHttp?: boolean
}

/** `skopeo copy --all --preserve-digests oci:<dir> docker://<destination>`. */
export function skopeoCopyArgv(layoutDir: string, destination: string, access: RegistryAccess): string[] {
  // skopeo reads `oci:PATH:REFERENCE`: a colon in the path would be taken for a reference.
  if (layoutDir.includes(':')) throw new Error(`OCI layout path "${layoutDir}" must not contain ":"`)
  return [
    'copy',
    '--all',
    '--preserve-digests',
    ...accessArgs(destination, access, 'dest'),
    `oci:${layoutDir}`,
    `docker://${destination}`,
  ]
}

/** `skopeo inspect --raw`: the manifest bytes as the registry serves them, to check the digest. */
export function skopeoInspectRawArgv(reference: string, access: RegistryAccess): string[] {
  return ['inspect', '--raw', ...accessArgs(reference, access, 'source'), `docker://${reference}`]
}

/** `skopeo inspect --raw --config`: the image config's bytes, for a layout that re-pushes a manifest. */
export function skopeoInspectConfigArgv(reference: string, access: RegistryAccess): string[] {
  return ['inspect', '--raw', '--config', ...accessArgs(reference, access, 'source'), `docker://${reference}`]
}

/** `skopeo list-tags`: the tags already in a repository (for floating tags). */
export function skopeoListTagsArgv(repository: string, access: RegistryAccess): string[] {
  return ['list-tags', ...accessArgs(repository, access, 'source'), `docker://${repository}`]
}

/** The tags in `skopeo list-tags` output (`{"Repository": …, "Tags": […]}`). */
export function parseTagList(stdout: string): string[] {
  let parsed: unknown
  try {
    parsed = JSON.parse(stdout)
  } catch {
    throw new Error('skopeo list-tags printed no JSON')
  }
  const tags = (parsed as { Tags?: unknown } | null)?.Tags
  if (tags === null || tags === undefined) return []
  if (!Array.isArray(tags) || tags.some((tag) => typeof tag !== 'string')) {
    throw new Error('skopeo list-tags: "Tags" is not a list of names')
  }
  return tags as string[]
}

/** A repository never pushed to has no tags yet: the first release, not an error. */
export function isUnknownRepository(stderr: string): boolean {
  return /fetching tags list: invalid status code from registry 404|name unknown|NAME_UNKNOWN|repository name not known/i.test(
    stderr,
  )
}

function accessArgs(reference: string, access: RegistryAccess, side: 'dest' | 'source'): string[] {
  const { registry } = parseImageReference(reference)
  const args: string[] = []
  if (access.authfile) args.push('--authfile', access.authfile)
  // copy names the destination's options --dest-*; inspect and list-tags have one side only.
  const prefix = side === 'dest' ? '--dest-' : '--'
  if (access.plainHttp) {
    if (!isLoopbackHost(registry)) {
      throw new Error(
        `refusing to reach ${registry} over plain HTTP: only loopback registries (localhost, 127.0.0.0/8, ::1) may be`,
      )
    }
    args.push(`${prefix}tls-verify=false`)
  }
  if (access.certDir) args.push(`${prefix}cert-dir`, access.certDir)
  return args
}
