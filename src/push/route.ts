import semver from 'semver'
import { InputError } from '../action/errors.js'

/** How the scanned OCI layout reaches the registry, digests unchanged. */
export type PushRoute = 'skopeo' | 'imagetools'

/**
 * skopeo 1.6 brought `--preserve-digests` (containers/skopeo#2279); older ones (ubuntu-22.04 has
 * 1.4.1) may re-encode manifests. buildx 0.33 is the first release whose `docker buildx imagetools
 * create` takes `oci-layout://DIR@DIGEST` as a source (docker/buildx#3721, merged 2026-03-13, first
 * tagged v0.33.0-rc1; read in buildx's source). Chosen by version, never by runner label. Throws,
 * saying what to install, when neither can.
 */
export function decidePushRoute(skopeo: string | undefined, buildx: string | undefined): PushRoute {
  if (skopeo !== undefined && semver.gte(skopeo, '1.6.0')) return 'skopeo'
  if (buildx !== undefined && semver.gte(buildx, '0.33.0')) return 'imagetools'
  const have = [
    skopeo ? `skopeo ${skopeo}` : 'no skopeo',
    buildx ? `docker buildx ${buildx}` : 'no docker buildx',
  ]
  throw new Error(
    `Cannot push the OCI layout with its digests unchanged: this runner has ${have.join(' and ')}. ` +
      'Install skopeo 1.6 or newer, or docker buildx 0.33 or newer.',
  )
}

/** Which program does each registry operation of a push. */
export interface RouteTools {
  copy: PushRoute
  /** Reading manifests back: any skopeo reads raw bytes right (only its copy lacked --preserve-digests). */
  read: PushRoute
  /** Listing a repository's tags (for `floating-tags: highest`): only skopeo can; buildx has no command for it. */
  listTags: 'skopeo' | undefined
}

/** The tools of a route: skopeo, of any version, for reads and tag lists whenever it is there. */
export function routeTools(route: PushRoute, skopeo: string | undefined): RouteTools {
  const haveSkopeo = skopeo !== undefined
  return {
    copy: route,
    read: haveSkopeo ? 'skopeo' : 'imagetools',
    listTags: haveSkopeo ? 'skopeo' : undefined,
  }
}

/** The log line: `Push route: …`. */
export function describeRoute(
  tools: RouteTools,
  skopeo: string | undefined,
  buildx: string | undefined,
): string {
  if (tools.copy === 'skopeo') return `Push route: skopeo ${skopeo ?? ''} (copy --all --preserve-digests)`
  const reads = tools.read === 'skopeo' ? `skopeo ${skopeo ?? ''}` : 'docker buildx imagetools inspect --raw'
  return (
    `Push route: docker buildx ${buildx ?? ''} imagetools create from the OCI layout ` +
    `(skopeo ${skopeo ? `${skopeo} is older than 1.6` : 'is not installed'}); reading back with ${reads}`
  )
}

/**
 * `floating-tags: highest` on a release with floating tags reads the registry's tags; without
 * skopeo nothing here can list them. Called before any login or build; says the two ways out.
 */
export function checkTagListing(tools: RouteTools, needsExistingTags: boolean): void {
  if (!needsExistingTags || tools.listTags !== undefined) return
  throw new InputError(
    'floating-tags',
    '"highest" reads the tags already in the registry, which needs skopeo (any version; docker buildx ' +
      'cannot list tags) and this runner has none. Set "floating-tags: always" or install skopeo ' +
      '(apt-get install skopeo).',
  )
}
