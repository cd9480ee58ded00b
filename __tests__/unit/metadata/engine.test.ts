import { computeMetadata, DEFAULT_TAGS, parseImages, parseTagRules } from '../../../src/metadata/index.js'
import { contextFor, meta, NO_INPUTS, NOW, REPO } from './helpers.js'

const dev = contextFor('push', 'refs/heads/dev')
const master = contextFor('push', 'refs/heads/master')

describe('images', () => {
  test('one line of comma-separated names is several images; names are lower-cased', () => {
    expect(parseImages('Name/Foo,ghcr.io/User/Bar')).toEqual([
      { name: 'name/foo', enable: true },
      { name: 'ghcr.io/user/bar', enable: true },
    ])
  })

  test('attribute lines, one image each; a repeated image is kept once', () => {
    expect(
      parseImages('name=name/bar\nname/foo,enable=false\nname=ghcr.io/UserName/Foo,enable=true\nname/bar'),
    ).toEqual([
      { name: 'name/bar', enable: true },
      { name: 'name/foo', enable: false },
      { name: 'ghcr.io/username/foo', enable: true },
    ])
  })

  test('tags keep their case while image names are lower-cased', () => {
    expect(
      meta({ images: 'Acme/App', tags: 'type=raw,MixedCase' }, dev).references.map(
        (image) => image.reference,
      ),
    ).toEqual(['acme/app:MixedCase'])
  })

  test('all images disabled: tag names but no references, and a warning', () => {
    const result = meta({ images: 'acme/app,enable=false', tags: 'type=raw,foo' }, dev)
    expect([result.images, result.references.map((image) => image.reference), result.tagNames]).toEqual([
      [],
      [],
      ['foo'],
    ])
    expect(result.warnings).toEqual([
      'Every image of the "images" input is disabled (enable=false): no image reference was produced.',
    ])
  })
})

describe('tag names', () => {
  test('each run of characters a tag cannot hold becomes one "-" (a "-" next to it stays)', () => {
    expect(meta({ tags: 'type=raw,value=a/b  c~~d-é' }, dev).tagNames).toEqual(['a-b-c-d--'])
  })

  test('a leading "." or "-" is dropped, with a warning', () => {
    const result = meta({ tags: 'type=raw,value=-{{tag}}rc' }, dev)
    expect(result.tagNames).toEqual(['rc'])
    expect(result.warnings).toEqual(['tag "-rc" cannot start with "." or "-"; using "rc"'])
  })

  test('a tag longer than 128 characters is cut, with a warning', () => {
    const long = 'x'.repeat(130)
    const result = meta({ tags: `type=raw,value=${long}` }, dev)
    expect(result.tagNames).toEqual(['x'.repeat(128)])
    expect(result.warnings).toEqual([
      `tag "${long}" is longer than 128 characters; cut to "${'x'.repeat(128)}"`,
    ])
  })

  test('a branch name longer than 128 characters is cut too', () => {
    const branch = `feature/${'y'.repeat(150)}`
    const result = meta({ tags: 'type=ref,event=branch' }, contextFor('push', `refs/heads/${branch}`))
    expect(result.tagNames[0]).toHaveLength(128)
    expect(result.tagNames[0]).toBe(`feature-${'y'.repeat(120)}`)
  })

  test('an empty value makes no tag even with a prefix (no lone "glo-")', () => {
    expect(meta({ tags: 'type=raw,value={{tag}}\ntype=raw,x', flavor: 'prefix=glo-' }, dev).tagNames).toEqual(
      ['glo-x'],
    )
  })

  test('an explicit latest is not repeated by latest=auto', () => {
    const result = meta(
      { tags: 'type=semver,pattern={{version}}\ntype=raw,value=latest' },
      contextFor('push', 'refs/tags/v1.0.0'),
    )
    expect(result.tagNames).toEqual(['1.0.0', 'latest'])
  })

  test('flavor prefix expressions apply to latest too (metadata-action leaves them unevaluated there)', () => {
    const result = meta(
      { tags: 'type=semver,pattern={{version}}', flavor: 'prefix={{sha}}-,onlatest=true' },
      contextFor('push', 'refs/tags/v1.0.0'),
    )
    expect(result.tagNames).toEqual(['860c190-1.0.0', '860c190-latest'])
  })

  test('rules of equal priority keep their written order', () => {
    expect(meta({ tags: 'type=raw,b\ntype=raw,a\ntype=raw,c,priority=201' }, dev).tagNames).toEqual([
      'c',
      'b',
      'a',
    ])
  })

  test('a match= without a capture group uses the whole match', () => {
    const result = meta(
      { tags: 'type=semver,pattern={{version}},match=\\d+\\.\\d+\\.\\d+' },
      contextFor('push', 'refs/tags/rel-2.3.4'),
    )
    expect(result.tagNames).toEqual(['2.3.4', 'latest'])
  })

  test('a match= that does not match makes no tag and says so', () => {
    const result = meta(
      { tags: 'type=semver,pattern={{version}},match=^release-(.*)$' },
      contextFor('push', 'refs/tags/v1.2.3'),
    )
    expect(result.tagNames).toEqual([])
    expect(result.warnings[0]).toBe('match=^release-(.*)$ does not match "v1.2.3"; the rule produces no tag')
  })

  test('the short sha length can be raised (DOCKER_METADATA_SHORT_SHA_LENGTH)', () => {
    const result = computeMetadata(
      { ...NO_INPUTS, tags: 'type=sha\ntype=raw,{{sha}}' },
      dev,
      REPO,
      NOW,
      undefined,
      {
        shortShaLength: 12,
      },
    )
    expect(result.tagNames).toEqual(['860c1904a1ce', 'sha-860c1904a1ce'])
  })
})

describe('expressions', () => {
  test.each([
    ['{{ branch }}', 'dev'],
    ['{{{branch}}}', 'dev'],
    ['x-{{~ branch ~}}-y', 'x-dev-y'],
    ['x\\{{branch}}', 'x-branch-'],
    ['a{{! a comment }}b', 'ab'],
    ["{{date 'YYYY.MM.DD'}}", '2020.01.10'],
    ["{{date 'YYYYMMDD-HHmm' tz='America/New_York'}}", '20200109-1930'],
  ])('%s → %s', (value, expected) => {
    expect(meta({ tags: `type=raw,"value=${value}"` }, dev).tagNames).toEqual([expected])
  })

  test('{{commit_date}} is the commit date of the payload when it has one', () => {
    const context = contextFor('push', 'refs/heads/dev', {
      head_commit: { id: '860c1904a1ce19322e91ac35af1ab07466440c37', timestamp: '2019-05-15T15:19:25+02:00' },
    })
    expect(meta({ tags: "type=raw,value={{commit_date 'YYYYMMDD-HHmm'}}" }, context).tagNames).toEqual([
      '20190515-1319',
    ])
  })

  test('expressions work in prefix, suffix and enable', () => {
    const result = meta({ tags: 'type=sha,prefix={{branch}}-,suffix=-{{is_default_branch}}' }, master)
    expect(result.tagNames).toEqual(['master-860c190-true'])
  })
})

describe('attributes metadata-action ignores', () => {
  test('are ignored here too, with a warning', () => {
    const { warnings } = parseTagRules('type=raw,foo,pattern=x\ntype=sha,colour=blue')
    expect(warnings).toEqual([
      'Input "tags": line 1 "type=raw,foo,pattern=x": attribute "pattern" does not apply to type=raw and is ignored ' +
        '(it takes enable, priority, prefix, suffix, value)',
      'Input "tags": line 2 "type=sha,colour=blue": unknown attribute "colour" is ignored; type=sha takes enable, ' +
        'priority, prefix, suffix, format',
    ])
    expect(meta({ tags: 'type=raw,foo,pattern=x' }, dev).warnings).toHaveLength(1)
  })
})

describe('defaults', () => {
  test('an empty or comment-only tags input means our default rules', () => {
    expect(parseTagRules('# nothing\n\n').rules).toEqual(parseTagRules('').rules)
    expect(parseTagRules('').rules.map((rule) => rule.line.text)).toEqual(DEFAULT_TAGS.split('\n'))
  })

  test('written the same way, the default rules keep 0 for 0.x and the branch for schedule', () => {
    const written = DEFAULT_TAGS
    expect(meta({ tags: written }, contextFor('push', 'refs/tags/v0.3.1')).tagNames).toEqual([
      '0.3.1',
      '0.3',
      '0',
      'latest',
      'sha-860c190',
    ])
  })
})

describe('the positional value', () => {
  test('may hold an expression with "=" in it', () => {
    expect(meta({ tags: "type=raw,{{date 'YYYYMMDD' tz='Asia/Tokyo'}}" }, dev).tagNames).toEqual(['20200110'])
    expect(meta({ tags: "{{date 'YYYY' tz='UTC'}}-x" }, dev).tagNames).toEqual(['2020-x'])
  })
})
