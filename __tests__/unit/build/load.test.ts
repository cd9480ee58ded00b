import { loadIndexJson, loadProblem } from '../../../src/build/load.js'
import { tagged } from '../../tagged-image.js'

const top = {
  mediaType: 'application/vnd.oci.image.index.v1+json',
  digest: `sha256:${'b'.repeat(64)}`,
  size: 1607,
  annotations: { 'org.opencontainers.image.ref.name': 'latest' },
}

test('the load index names the one image built as every reference, keeping its descriptor', () => {
  const json = JSON.parse(
    loadIndexJson(
      { schemaVersion: 2, manifests: [top] },
      ['localhost:5000/a/app:1.0', 'localhost:5000/a/app:latest'].map(tagged),
    ),
  ) as { schemaVersion: number; manifests: Array<Record<string, unknown>> }
  expect(json.schemaVersion).toBe(2)
  expect(json.manifests).toEqual([
    {
      mediaType: top.mediaType,
      digest: top.digest,
      size: top.size,
      annotations: {
        'io.containerd.image.name': 'localhost:5000/a/app:1.0',
        'org.opencontainers.image.ref.name': '1.0',
      },
    },
    {
      mediaType: top.mediaType,
      digest: top.digest,
      size: top.size,
      annotations: {
        'io.containerd.image.name': 'localhost:5000/a/app:latest',
        'org.opencontainers.image.ref.name': 'latest',
      },
    },
  ])
})

test('several platforms load only into the containerd image store', () => {
  expect(loadProblem(1, false)).toBeUndefined()
  expect(loadProblem(0, false)).toBeUndefined()
  expect(loadProblem(2, true)).toBeUndefined()
  expect(loadProblem(2, false)).toMatch(/^Input "load": .*classic image store.*2-platform/)
})
