import type { Metadata } from '../../src/metadata/index.js'
import { metadataOutputs } from '../../src/outputs.js'
import { renderSummary } from '../../src/summary.js'

const metadata: Metadata = {
  version: '1.2.3',
  images: ['ghcr.io/acme/app'],
  tags: ['ghcr.io/acme/app:1.2.3', 'ghcr.io/acme/app:latest'],
  tagNames: ['1.2.3', 'latest'],
  labels: ['org.opencontainers.image.version=1.2.3', 'team=payments|billing'],
  annotations: ['manifest:org.opencontainers.image.version=1.2.3'],
  json: { tags: ['ghcr.io/acme/app:1.2.3', 'ghcr.io/acme/app:latest'] },
  warnings: ['Event "fork" is not one this action knows.'],
}

test('outputs are joined with the chosen separators', () => {
  const outputs = metadataOutputs(metadata, { tags: ',', labels: '\n', annotations: ';' })
  expect(outputs).toEqual({
    version: '1.2.3',
    tags: 'ghcr.io/acme/app:1.2.3,ghcr.io/acme/app:latest',
    'tag-names': '1.2.3,latest',
    labels: 'org.opencontainers.image.version=1.2.3\nteam=payments|billing',
    annotations: 'manifest:org.opencontainers.image.version=1.2.3',
    json: JSON.stringify(metadata.json),
  })
})

test('the summary lists every reference as image and tag, and says a dry run shipped nothing', () => {
  const summary = renderSummary({ metadata, dryRun: true })
  expect(summary).toContain('**Dry run**')
  expect(summary).toContain('| `ghcr.io/acme/app` | `1.2.3` |')
  expect(summary).toContain('| `ghcr.io/acme/app` | `latest` |')
  expect(summary).toContain('team=payments|billing')
  expect(summary).toContain('> Event "fork" is not one this action knows.')
})

test('a registry port is part of the image, not the tag', () => {
  const summary = renderSummary({
    metadata: { ...metadata, tags: ['localhost:5000/app:pr-1'] },
    dryRun: false,
  })
  expect(summary).toContain('| `localhost:5000/app` | `pr-1` |')
  expect(summary).not.toContain('Dry run')
})

test('no reference at all is said plainly', () => {
  expect(renderSummary({ metadata: { ...metadata, tags: [] }, dryRun: true })).toContain(
    'No image reference was computed',
  )
})
