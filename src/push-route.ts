import semver from 'semver'

/** How the scanned OCI layout reaches the registry, digests unchanged. */
export type PushRoute = 'skopeo' | 'imagetools'

/**
 * skopeo 1.6 brought `--preserve-digests` (containers/skopeo#2279); older ones (ubuntu-22.04 has
 * 1.4.1) may re-encode manifests. buildx 0.33 (docker/buildx PR #3721, merged 2026-03-12, as
 * reported in the project's notes on GitHub's runners; not checked against buildx's source here)
 * accepts `oci-layout://DIR` as a source of `docker buildx imagetools create`. Chosen by version,
 * never by runner label. Throws, saying what to install, when neither can.
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
