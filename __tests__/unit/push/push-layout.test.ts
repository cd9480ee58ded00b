import { pushLayout, type RegistryClient } from '../../../src/push/index.js'
import { tagged } from '../../tagged-image.js'

const DIGEST = `sha256:${'d'.repeat(64)}`
const REFERENCES = ['ghcr.io/acme/app:1.2.3', 'ghcr.io/acme/app:latest', 'docker.io/acme/app:1.2.3'].map(
  tagged,
)

/** A client that only records where each copy went. */
function recorder(): { client: RegistryClient; destinations: string[] } {
  const destinations: string[] = []
  const client: RegistryClient = {
    copyLayout: (_layout, _digest, destination) => {
      destinations.push(destination)
      return Promise.resolve()
    },
    readManifest: () => Promise.reject(new Error('not read here')),
  }
  return { client, destinations }
}

test('one job: the digest into every repository, then every tag', async () => {
  const { client, destinations } = recorder()
  await pushLayout(client, '/tmp/layout', DIGEST, REFERENCES)
  expect(destinations).toEqual([
    `ghcr.io/acme/app@${DIGEST}`,
    `docker.io/acme/app@${DIGEST}`,
    'ghcr.io/acme/app:1.2.3',
    'ghcr.io/acme/app:latest',
    'docker.io/acme/app:1.2.3',
  ])
})

test('a platform leg (digestOnly): the digest into every repository, and no tag', async () => {
  const { client, destinations } = recorder()
  const steps = await pushLayout(client, '/tmp/layout', DIGEST, REFERENCES, { digestOnly: true })
  expect(destinations).toEqual([`ghcr.io/acme/app@${DIGEST}`, `docker.io/acme/app@${DIGEST}`])
  expect(steps.every((step) => step.kind === 'digest')).toBe(true)
})
