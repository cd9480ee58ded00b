import { needsExistingTags } from '../../../src/push/index.js'
import { tagged } from '../../tagged-image.js'
import { checkTagListing, decidePushRoute, describeRoute, routeTools } from '../../../src/push/route.js'
import { Imagetools, routeClient, Skopeo } from '../../../src/push/registry-client.js'

// The versions GitHub's runners and this sandbox have: skopeo 1.4.1 (ubuntu-22.04), 1.13.1
// (ubuntu-24.04); buildx 0.13.1 (sandbox), 0.33.0 (first with oci-layout sources).
const SKOPEO_OLD = '1.4.1'
const SKOPEO_NEW = '1.13.1'
const BUILDX_OLD = '0.13.1'
const BUILDX_NEW = '0.33.0'

describe('which program does what', () => {
  test.each([
    // skopeo      buildx      copy          read          list tags
    [SKOPEO_NEW, BUILDX_NEW, 'skopeo', 'skopeo', 'skopeo'],
    [SKOPEO_NEW, BUILDX_OLD, 'skopeo', 'skopeo', 'skopeo'],
    [SKOPEO_NEW, undefined, 'skopeo', 'skopeo', 'skopeo'],
    [SKOPEO_OLD, BUILDX_NEW, 'imagetools', 'skopeo', 'skopeo'],
    [undefined, BUILDX_NEW, 'imagetools', 'imagetools', undefined],
  ])(
    'skopeo %s, buildx %s: copy with %s, read with %s, list tags with %s',
    (skopeo, buildx, copy, read, list) => {
      expect(routeTools(decidePushRoute(skopeo, buildx), skopeo)).toEqual({ copy, read, listTags: list })
    },
  )

  test.each([
    [SKOPEO_OLD, BUILDX_OLD, 'this runner has skopeo 1.4.1 and docker buildx 0.13.1.'],
    [SKOPEO_OLD, undefined, 'this runner has skopeo 1.4.1 and no docker buildx.'],
    [undefined, BUILDX_OLD, 'this runner has no skopeo and docker buildx 0.13.1.'],
    [undefined, undefined, 'this runner has no skopeo and no docker buildx.'],
  ])('skopeo %s, buildx %s: nothing can push, and the error says what to install', (skopeo, buildx, has) => {
    expect(() => decidePushRoute(skopeo, buildx)).toThrow(
      `${has} Install skopeo 1.6 or newer, or docker buildx 0.33 or newer.`,
    )
  })

  test('the log names the route and why', () => {
    expect(describeRoute(routeTools('skopeo', SKOPEO_NEW), SKOPEO_NEW, BUILDX_OLD)).toBe(
      'Push route: skopeo 1.13.1 (copy --all --preserve-digests)',
    )
    expect(describeRoute(routeTools('imagetools', SKOPEO_OLD), SKOPEO_OLD, BUILDX_NEW)).toBe(
      'Push route: docker buildx 0.33.0 imagetools create from the OCI layout (skopeo 1.4.1 is older than 1.6); ' +
        'reading back with skopeo 1.4.1',
    )
    expect(describeRoute(routeTools('imagetools', undefined), undefined, BUILDX_NEW)).toBe(
      'Push route: docker buildx 0.33.0 imagetools create from the OCI layout (skopeo is not installed); ' +
        'reading back with docker buildx imagetools inspect --raw',
    )
  })
})

describe('floating-tags: highest without skopeo', () => {
  const RELEASE = [
    'ghcr.io/acme/app:1.4.9',
    'ghcr.io/acme/app:1.4',
    'ghcr.io/acme/app:1',
    'ghcr.io/acme/app:latest',
  ]

  test('only a release with floating tags under "highest" reads the registry', () => {
    expect(needsExistingTags('highest', 'refs/tags/v1.4.9', RELEASE.map(tagged))).toBe(true)
    expect(needsExistingTags('always', 'refs/tags/v1.4.9', RELEASE.map(tagged))).toBe(false)
    expect(needsExistingTags('highest', 'refs/tags/v1.4.9', [tagged('ghcr.io/acme/app:1.4.9')])).toBe(false)
    expect(
      needsExistingTags(
        'highest',
        'refs/heads/main',
        ['ghcr.io/acme/app:main', 'ghcr.io/acme/app:latest'].map(tagged),
      ),
    ).toBe(false)
  })

  test('is refused before anything happens, naming the input and both ways out', () => {
    const noSkopeo = routeTools('imagetools', undefined)
    expect(() => checkTagListing(noSkopeo, true)).toThrow(
      'Input "floating-tags": "highest" reads the tags already in the registry, which needs skopeo (any version; ' +
        'docker buildx cannot list tags) and this runner has none. Set "floating-tags: always" or install skopeo',
    )
    expect(() => checkTagListing(noSkopeo, false)).not.toThrow()
    expect(() => checkTagListing(routeTools('imagetools', SKOPEO_OLD), true)).not.toThrow()
  })
})

describe('the client of a route', () => {
  const skopeo = new Skopeo('/usr/bin/skopeo', '/tmp/bsp/docker-config/config.json')
  const imagetools = new Imagetools('/usr/bin/docker', '/tmp/bsp/docker-config', '')

  test('lists tags only when skopeo is there', () => {
    expect(routeClient(routeTools('imagetools', SKOPEO_OLD), { skopeo, imagetools }).listTags).toBeDefined()
    expect(routeClient(routeTools('imagetools', undefined), { imagetools }).listTags).toBeUndefined()
  })

  test('reads image configs (for a merge) only when skopeo reads', () => {
    expect(routeClient(routeTools('skopeo', SKOPEO_NEW), { skopeo }).readConfig).toBeDefined()
    expect(routeClient(routeTools('imagetools', undefined), { imagetools }).readConfig).toBeUndefined()
  })

  test('a route needing a program that was not set up is an error, not a silent fallback', () => {
    expect(() => routeClient(routeTools('skopeo', SKOPEO_NEW), { imagetools })).toThrow(
      'The push route needs skopeo, which was not set up',
    )
  })
})
