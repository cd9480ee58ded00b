import type { Metadata } from '../../../src/metadata/index.js'
import {
  buildOutputs,
  incompletePushOutputs,
  metadataOutputs,
  pushOutputs,
} from '../../../src/action/outputs.js'
import { codeFence, renderSummary } from '../../../src/action/summary.js'
import { tagged } from '../../tagged-image.js'

const metadata: Metadata = {
  version: '1.2.3',
  images: ['ghcr.io/acme/app'],
  references: ['ghcr.io/acme/app:1.2.3', 'ghcr.io/acme/app:latest'].map(tagged),
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

test("a label holding a code fence or HTML stays inside the summary's code block", () => {
  const labels = ['a=```', 'b=````</details># Approve this run: [here](https://example.com)', 'c=ok']
  const summary = renderSummary({ metadata: { ...metadata, labels }, dryRun: true }).split('\n')
  const open = summary.indexOf('<details><summary>Labels (3)</summary>') + 2
  expect(summary[open]).toBe('`````')
  expect(summary.slice(open + 1, open + 4)).toEqual(labels)
  expect(summary[open + 4]).toBe('`````')
})

test.each([
  [['plain'], '```'],
  [['one ` tick'], '```'],
  [['x=```'], '````'],
  [['x=`````', 'y=``'], '``````'],
])('codeFence(%j) is %j', (entries, fence) => {
  expect(codeFence(entries)).toBe(fence)
})

test('a warning of several lines stays in its quote', () => {
  const summary = renderSummary({ metadata: { ...metadata, warnings: ['one\n# two'] }, dryRun: true })
  expect(summary).toContain('> [!WARNING]\n> one\n> # two\n')
})

test('a registry port is part of the image, not the tag', () => {
  const summary = renderSummary({
    metadata: { ...metadata, references: [tagged('localhost:5000/app:pr-1')] },
    dryRun: false,
  })
  expect(summary).toContain('| `localhost:5000/app` | `pr-1` |')
  expect(summary).not.toContain('Dry run')
})

test('no reference at all is said plainly', () => {
  expect(renderSummary({ metadata: { ...metadata, references: [] }, dryRun: true })).toContain(
    'No image reference was computed',
  )
})

const DIGEST = 'sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'

test("build outputs are build-push-action's digest, imageid and metadata", () => {
  const metadataFile = { 'containerimage.digest': DIGEST, 'buildx.build.ref': 'default/default/x' }
  expect(buildOutputs({ digest: DIGEST, imageId: 'sha256:cfg', metadata: metadataFile })).toEqual({
    digest: DIGEST,
    imageid: 'sha256:cfg',
    metadata: JSON.stringify(metadataFile),
  })
})

test('push outputs list every reference with its digest, and say whether anything was pushed', () => {
  expect(pushOutputs([])).toEqual({ pushed: 'false', refs: '' })
  expect(
    pushOutputs([
      { reference: `ghcr.io/acme/app@${DIGEST}`, digest: DIGEST },
      { reference: 'ghcr.io/acme/app:1.2.3', digest: DIGEST },
    ]),
  ).toEqual({ pushed: 'true', refs: `ghcr.io/acme/app@${DIGEST}\nghcr.io/acme/app:1.2.3@${DIGEST}` })
})

test('the summary shows the build, the digest per image, the tags pushed and the floating tags held back', () => {
  const summary = renderSummary({
    metadata,
    dryRun: false,
    build: { digest: DIGEST, platforms: ['linux/amd64', 'linux/arm64'] },
    push: {
      push: true,
      reason: 'push of tag v1.2.3',
      pushed: [
        { reference: `ghcr.io/acme/app@${DIGEST}`, name: 'ghcr.io/acme/app', digest: DIGEST },
        { reference: 'ghcr.io/acme/app:1.2.3', name: 'ghcr.io/acme/app', tag: '1.2.3', digest: DIGEST },
      ],
      heldBack: [{ tag: 'latest', kind: 'latest', reason: '2.0.0 is already released, higher than 1.2.3' }],
    },
  })
  expect(summary).not.toContain('**Dry run**')
  expect(summary).toContain(`Digest: \`${DIGEST}\``)
  expect(summary).toContain('Platforms: `linux/amd64`, `linux/arm64`')
  expect(summary).toContain('**Pushed** (push of tag v1.2.3)')
  expect(summary).toContain(`| \`ghcr.io/acme/app\` | \`${DIGEST}\` | \`1.2.3\` |`)
  expect(summary).toContain('- `latest`: 2.0.0 is already released, higher than 1.2.3')
})

test('a push that stopped part-way: pushed is false, refs name what the registries hold now', () => {
  expect(incompletePushOutputs([`ghcr.io/acme/app@${DIGEST}`, 'ghcr.io/acme/app:1.2.3'], DIGEST)).toEqual({
    pushed: 'false',
    refs: `ghcr.io/acme/app@${DIGEST}\nghcr.io/acme/app:1.2.3@${DIGEST}`,
  })
})

test('the summary of a push that stopped part-way lists what moved and what did not', () => {
  const summary = renderSummary({
    metadata,
    dryRun: false,
    build: { digest: DIGEST, platforms: ['linux/amd64'] },
    push: {
      push: true,
      reason: 'push of tag v1.2.3',
      pushed: [],
      heldBack: [],
      incomplete: { moved: [`ghcr.io/acme/app@${DIGEST}`], notMoved: ['quay.io/acme/app:1.2.3'] },
    },
    error: 'The push stopped part-way: denied',
  })
  expect(summary).toContain(
    `**The push stopped part-way.** These references moved (not read back):\n\n- \`ghcr.io/acme/app@${DIGEST}\`\n\n` +
      'These did not:\n\n- `quay.io/acme/app:1.2.3`\n',
  )
  expect(summary).not.toContain('**Pushed**')
})

test('the summary says why nothing was pushed', () => {
  const summary = renderSummary({
    metadata,
    dryRun: false,
    build: { digest: DIGEST, platforms: ['linux/amd64'] },
    push: { push: false, reason: 'fork pull request: build only', pushed: [], heldBack: [] },
  })
  expect(summary).toContain('**Not pushed**: fork pull request: build only.')
  expect(summary).not.toContain('| Image | Digest | Tags |')
})

test('a failed run says so first, quoting the error line by line, and shows how far it came', () => {
  const failedEarly = renderSummary({
    metadata,
    dryRun: false,
    error: 'Login to ghcr.io failed:\nunauthorized',
  })
  expect(failedEarly).toContain(
    '> [!CAUTION]\n> **Failed** before the build finished:\n> Login to ghcr.io failed:\n> unauthorized\n',
  )
  const failedLate = renderSummary({
    metadata,
    dryRun: false,
    build: { digest: DIGEST, platforms: ['linux/amd64'] },
    error: 'push failed',
  })
  expect(failedLate).toContain('> **Failed**:\n> push failed')
  expect(failedLate).toContain(`Digest: \`${DIGEST}\``)
  expect(failedLate).not.toContain('### Push')
})
