import { contextFor, meta, ociLabels, SHA } from './helpers.js'

const tag = contextFor('push', 'refs/tags/v1.1.1')
const annotationsOf = (labels: string[], level: string) => labels.map((label) => `${level}:${label}`)

describe('labels', () => {
  test('the generated OCI set, in a fixed order', () => {
    expect(meta({ tags: 'type=ref,event=tag' }, tag).labels).toEqual(ociLabels('v1.1.1'))
  })

  test('a user label with the same key replaces the generated one in place; new keys follow', () => {
    const result = meta(
      {
        tags: 'type=ref,event=tag',
        labels: [
          'maintainer=CrazyMax',
          'org.opencontainers.image.title=MyCustom=Title',
          'org.opencontainers.image.description=Another description',
          'org.opencontainers.image.vendor=MyCompany',
        ].join('\n'),
      },
      tag,
    )
    const expected = ociLabels('v1.1.1')
    expected[0] = 'org.opencontainers.image.title=MyCustom=Title'
    expected[1] = 'org.opencontainers.image.description=Another description'
    expect(result.labels).toEqual([
      ...expected,
      'maintainer=CrazyMax',
      'org.opencontainers.image.vendor=MyCompany',
    ])
    // Labels do not leak into annotations.
    expect(result.annotations).toEqual(annotationsOf(ociLabels('v1.1.1'), 'manifest'))
  })

  test('commas, later "=" and an empty value are kept; a repeated key keeps the last value', () => {
    const result = meta({ labels: 'a=x,y=z\nfoo=\na=last' }, tag)
    expect(result.labels.slice(-2)).toEqual(['a=last', 'foo='])
  })

  test('global expressions are evaluated, without HTML escaping', () => {
    const context = contextFor('push', 'refs/heads/feat&fix', { repository: { default_branch: 'master' } })
    const result = meta(
      {
        tags: 'type=sha',
        labels:
          "org.opencontainers.image.created={{commit_date 'YYYY-MM-DDTHH:mm:ss.SSS[Z]'}}\nbranch={{branch}}",
      },
      context,
    )
    expect(result.labels).toContain('org.opencontainers.image.created=2020-01-10T00:30:00.000Z')
    expect(result.labels).toContain('branch=feat&fix')
  })

  test('version is empty when no tag was generated', () => {
    expect(meta({ tags: 'type=ref,event=pr' }, tag).labels).toEqual(ociLabels(''))
  })
})

describe('annotations', () => {
  test('the generated set at the manifest level by default', () => {
    expect(meta({ tags: 'type=ref,event=tag' }, tag).annotations).toEqual(
      annotationsOf(ociLabels('v1.1.1'), 'manifest'),
    )
  })

  test('every level from DOCKER_METADATA_ANNOTATIONS_LEVELS, level by level', () => {
    const result = meta({ tags: 'type=ref,event=tag' }, tag, ['manifest', 'index'])
    expect(result.annotations).toEqual([
      ...annotationsOf(ociLabels('v1.1.1'), 'manifest'),
      ...annotationsOf(ociLabels('v1.1.1'), 'index'),
    ])
  })

  test('a user line without a level joins every default level; one with levels only those', () => {
    const result = meta(
      {
        tags: 'type=ref,event=tag',
        annotations: [
          'org.opencontainers.image.title=Mine',
          'index:org.opencontainers.image.description=For the index',
          'index,manifest-descriptor:org.example.both=1',
          'manifest[linux/arm64]:org.example.arm=yes',
        ].join('\n'),
      },
      tag,
      ['manifest', 'index'],
    )
    const generated = ociLabels('v1.1.1')
    const manifest = annotationsOf(['org.opencontainers.image.title=Mine', ...generated.slice(1)], 'manifest')
    const index = annotationsOf(
      [
        'org.opencontainers.image.title=Mine',
        'org.opencontainers.image.description=For the index',
        ...generated.slice(2),
      ],
      'index',
    )
    expect(result.annotations).toEqual([
      ...manifest,
      ...index,
      'index:org.example.both=1',
      'manifest-descriptor:org.example.both=1',
      'manifest[linux/arm64]:org.example.arm=yes',
    ])
  })

  test('a level-prefixed line at a level that is not a default adds to it', () => {
    const result = meta({ tags: 'type=sha', annotations: 'index:org.example.x=1' }, tag)
    expect(result.annotations.filter((annotation) => annotation.startsWith('index:'))).toEqual([
      'index:org.example.x=1',
    ])
    expect(result.annotations).toHaveLength(9)
  })
})

describe('json output', () => {
  test('has metadata-action’s shape', () => {
    const result = meta(
      { images: 'org/app', tags: 'type=ref,event=tag', labels: 'maintainer=CrazyMax\nfoo=' },
      contextFor('push', 'refs/tags/v1.1.1'),
    )
    expect(result.json).toEqual({
      tags: ['org/app:v1.1.1', 'org/app:latest'],
      'tag-names': ['v1.1.1', 'latest'],
      labels: {
        'org.opencontainers.image.title': 'Hello-World',
        'org.opencontainers.image.description': 'This your first repo!',
        'org.opencontainers.image.url': 'https://github.com/octocat/Hello-World',
        'org.opencontainers.image.source': 'https://github.com/octocat/Hello-World',
        'org.opencontainers.image.version': 'v1.1.1',
        'org.opencontainers.image.created': '2020-01-10T00:30:00.000Z',
        'org.opencontainers.image.revision': SHA,
        'org.opencontainers.image.licenses': 'MIT',
        maintainer: 'CrazyMax',
        foo: '',
      },
      annotations: annotationsOf(ociLabels('v1.1.1'), 'manifest'),
    })
  })
})
