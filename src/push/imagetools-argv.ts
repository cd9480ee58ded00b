/**
 * Pushing the scanned OCI layout with `docker buildx imagetools create` (buildx 0.33 or newer),
 * for runners whose skopeo is older than 1.6. What buildx's source (docker/buildx#3721) says, and
 * why each argument is there:
 * - the source `oci-layout://DIR@DIGEST` is read from the layout's blob store by digest; without
 *   `:TAG` or `@DIGEST` buildx looks up the tag `latest` in index.json, which a build need not have.
 * - `--prefer-index=false`: with one source that is a plain image manifest (a single-platform
 *   build without attestations), the default wraps it into a new index, a new digest. An index
 *   source is copied as its original bytes either way.
 * - `-t NAME@DIGEST` is accepted (the push goes to /manifests/DIGEST); `-t NAME:TAG` moves a tag.
 * - credentials come from DOCKER_CONFIG, registry settings (mirrors, CAs, plain HTTP) from the
 *   builder's configuration; loopback registries are reached over plain HTTP by buildx itself.
 * No buildx that has this can be installed in the sandbox (0.13.1 here, at most 0.29.1 in Debian),
 * so this route is tested on its argv and decisions only; the digest verification that follows
 * every push is the same as for skopeo.
 */

/** `docker buildx imagetools create` of the layout's image `digest` to `destination`. */
export function imagetoolsCreateArgv(
  layoutDir: string,
  digest: string,
  destination: string,
  builder: string,
): string[] {
  // buildx splits `oci-layout://PATH:TAG@DIGEST` at the last ":" too: a colon in the path could be read as a tag.
  if (layoutDir.includes(':')) throw new Error(`OCI layout path "${layoutDir}" must not contain ":"`)
  return [
    'buildx',
    'imagetools',
    'create',
    ...builderArgs(builder),
    '--prefer-index=false',
    '--progress',
    'plain',
    '--tag',
    destination,
    `oci-layout://${layoutDir}@${digest}`,
  ]
}

/** `docker buildx imagetools inspect --raw`: the manifest bytes as served, no newline added. */
export function imagetoolsInspectRawArgv(reference: string, builder: string): string[] {
  return ['buildx', 'imagetools', 'inspect', ...builderArgs(builder), '--raw', reference]
}

/**
 * The error buildx ended with (its `ERROR: …` lines), so that the progress lines above it, which
 * name the images, are not read as the failure (an image called `timeout-service` is no timeout).
 */
export function dockerErrorText(stderr: string): string {
  const errors = stderr.split('\n').filter((line) => line.startsWith('ERROR:'))
  return errors.length > 0 ? errors.join('\n') : stderr
}

// The builder the image was built with: its registry settings (CAs, mirrors) apply to the push too.
function builderArgs(builder: string): string[] {
  return builder ? ['--builder', builder] : []
}
