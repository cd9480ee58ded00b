import { InputError } from '../../../src/action/errors.js'
import type { MetadataInputs } from '../../../src/metadata/index.js'
import { contextFor, meta } from './helpers.js'

/** The InputError `computeMetadata` throws for these inputs (and fails the test if there is none). */
function errorFor(inputs: Partial<MetadataInputs>, annotationLevels?: string[]): InputError {
  try {
    meta(inputs, contextFor('push', 'refs/tags/v1.2.3'), annotationLevels)
  } catch (error) {
    if (error instanceof InputError) return error
    throw error
  }
  throw new Error('expected an InputError')
}

const TYPES = 'expected one of schedule, ref, semver, pep440, match, edge, raw, sha'
const EXPRESSIONS =
  'expected one of {{branch}}, {{tag}}, {{sha}}, {{base_ref}}, {{is_default_branch}}, {{is_not_default_branch}}, ' +
  '{{date}}, {{commit_date}}'
const LEVELS =
  'expected manifest, index, manifest-descriptor, index-descriptor, optionally with a platform such as ' +
  'manifest[linux/amd64]'

describe('bad inputs are InputErrors that name the input, the line and what was expected', () => {
  test.each<[string, Partial<MetadataInputs>, string]>([
    // images
    [
      'no image',
      { images: '  \n# only a comment\n' },
      'Input "images": at least one image name is required, e.g. ghcr.io/owner/app',
    ],
    [
      'an image with a tag',
      { images: 'user/app:1.0' },
      'Input "images": line 1 "user/app:1.0": "user/app:1.0" carries a tag or digest; give the name only and put tags in the "tags" input',
    ],
    [
      'an image with a digest',
      { images: 'name=ghcr.io/user/app@sha256:abcd' },
      'Input "images": line 1 "name=ghcr.io/user/app@sha256:abcd": "ghcr.io/user/app@sha256:abcd" carries a tag or digest; give the name only and put tags in the "tags" input',
    ],
    [
      'an image path part starting with a separator',
      { images: 'ghcr.io/user/-app' },
      'Input "images": line 1 "ghcr.io/user/-app": "ghcr.io/user/-app" is not a valid image name; expected [registry[:port]/]path/name where each path part is lowercase letters and digits joined by ".", "_", "__" or "-"',
    ],
    [
      'an image name with a space',
      { images: 'acme/my app' },
      'Input "images": line 1 "acme/my app": "acme/my app" is not a valid image name; expected [registry[:port]/]path/name where each path part is lowercase letters and digits joined by ".", "_", "__" or "-"',
    ],
    [
      'an unknown image attribute',
      { images: 'user/app\nname/foo,bar=baz' },
      'Input "images": line 2 "name/foo,bar=baz": unknown attribute "bar"; expected name or enable',
    ],
    [
      'a bad image enable',
      { images: 'name/foo,enable=maybe' },
      'Input "images": line 1 "name/foo,enable=maybe": enable must be "true" or "false", got "maybe"',
    ],
    [
      'an empty image name',
      { images: 'name=,enable=true' },
      'Input "images": line 1 "name=,enable=true": the image name is empty; expected name=<image>, e.g. name=ghcr.io/owner/app',
    ],
    [
      'two image names on an attribute line',
      { images: 'name/foo,name=name/bar,enable=true' },
      'Input "images": line 1 "name/foo,name=name/bar,enable=true": one line with attributes names one image; found two names',
    ],
    // tags
    [
      'an unknown type',
      { tags: 'type=sha\ntype=foo' },
      `Input "tags": line 2 "type=foo": unknown type "foo"; ${TYPES}`,
    ],
    [
      'semver without a pattern',
      { tags: 'type=semver' },
      'Input "tags": line 1 "type=semver": type=semver needs a pattern, e.g. pattern={{version}}',
    ],
    [
      'pep440 with an empty pattern',
      { tags: 'type=pep440,pattern=' },
      'Input "tags": line 1 "type=pep440,pattern=": type=pep440 needs a pattern, e.g. pattern={{version}}',
    ],
    [
      'match without a pattern',
      { tags: 'type=match' },
      'Input "tags": line 1 "type=match": type=match needs a pattern, e.g. pattern=v(.*)',
    ],
    [
      'ref without an event',
      { tags: 'type=ref' },
      'Input "tags": line 1 "type=ref": type=ref needs an event: event=branch, event=tag or event=pr',
    ],
    [
      'an unknown ref event',
      { tags: 'type=ref,event=foo' },
      'Input "tags": line 1 "type=ref,event=foo": unknown event "foo"; expected branch, tag or pr',
    ],
    [
      'raw without a value',
      { tags: 'type=raw' },
      'Input "tags": line 1 "type=raw": type=raw needs a value, e.g. type=raw,value=latest or just latest',
    ],
    [
      'an unknown sha format',
      { tags: 'type=sha,format=foo' },
      'Input "tags": line 1 "type=sha,format=foo": format must be short or long, got "foo"',
    ],
    [
      'a priority that is no number',
      { tags: 'type=raw,foo,priority=high' },
      'Input "tags": line 1 "type=raw,foo,priority=high": priority must be a whole number, got "high"',
    ],
    [
      'a fractional priority',
      { tags: 'type=raw,foo,priority=1.5' },
      'Input "tags": line 1 "type=raw,foo,priority=1.5": priority must be a whole number, got "1.5"',
    ],
    [
      'a group that is no number',
      { tags: 'type=match,pattern=v(.*),group=foo' },
      'Input "tags": line 1 "type=match,pattern=v(.*),group=foo": group must be a capture group number, got "foo"',
    ],
    [
      'an invalid match pattern',
      { tags: 'type=match,pattern=v(.*' },
      'Input "tags": line 1 "type=match,pattern=v(.*": pattern is not a valid regular expression: Invalid regular expression: /v(.*/: Unterminated group',
    ],
    [
      'an invalid /pattern/ flag',
      { tags: 'type=match,pattern=/v(.*)/q' },
      'Input "tags": line 1 "type=match,pattern=/v(.*)/q": pattern is not a valid regular expression: Invalid flags supplied to RegExp constructor \'q\'',
    ],
    [
      'an invalid semver match',
      { tags: 'type=semver,pattern={{version}},match=[' },
      'Input "tags": line 1 "type=semver,pattern={{version}},match=[": match is not a valid regular expression: Invalid regular expression: /[/: Unterminated character class',
    ],
    [
      'a literal enable that is no boolean',
      { tags: 'type=raw,foo,enable=yes' },
      'Input "tags": line 1 "type=raw,foo,enable=yes": enable must be "true" or "false" once expressions are evaluated, got "yes"',
    ],
    [
      'an enable expression that is no boolean once evaluated',
      { tags: 'type=raw,foo,enable={{tag}}' },
      'Input "tags": line 1 "type=raw,foo,enable={{tag}}": enable must be "true" or "false" once expressions are evaluated, got "v1.2.3"',
    ],
    [
      'an unterminated quote',
      { tags: 'type=match,"pattern=\\d{1,2}' },
      'Input "tags": line 1 "type=match,"pattern=\\d{1,2}": a quote is not closed (wrap a value containing commas in double quotes)',
    ],
    [
      'an attribute given twice',
      { tags: 'type=raw,value=a,value=b' },
      'Input "tags": line 1 "type=raw,value=a,value=b": attribute "value" is given twice',
    ],
    [
      'two positional values',
      { tags: 'type=raw,foo,bar' },
      'Input "tags": line 1 "type=raw,foo,bar": the value (a field without "=") is given twice',
    ],
    [
      'an unknown expression',
      { tags: 'type=raw,value={{foo}}' },
      `Input "tags": line 1 "type=raw,value={{foo}}": unknown expression {{foo}}; ${EXPRESSIONS}`,
    ],
    [
      'a version expression outside a version pattern',
      { tags: 'type=raw,value={{version}}' },
      `Input "tags": line 1 "type=raw,value={{version}}": unknown expression {{version}}; ${EXPRESSIONS}`,
    ],
    [
      'an unknown expression in a semver pattern',
      { tags: 'type=semver,pattern={{mayor}}' },
      'Input "tags": line 1 "type=semver,pattern={{mayor}}": unknown expression {{mayor}}; expected one of {{raw}}, {{version}}, {{major}}, {{minor}}, {{patch}}, {{branch}}, {{tag}}, {{sha}}, {{base_ref}}, {{is_default_branch}}, {{is_not_default_branch}}, {{date}}, {{commit_date}}',
    ],
    [
      'an unknown time zone',
      { tags: "type=raw,value={{date 'YYYYMMDD' tz='Mars/Olympus'}}" },
      'Input "tags": line 1 "type=raw,value={{date \'YYYYMMDD\' tz=\'Mars/Olympus\'}}": unknown time zone "Mars/Olympus" in {{date}}; expected an IANA name such as UTC or Asia/Tokyo',
    ],
    [
      'an unquoted date format',
      { tags: 'type=raw,value={{commit_date YYYY-MM-DD}}' },
      'Input "tags": line 1 "type=raw,value={{commit_date YYYY-MM-DD}}": the date format of {{commit_date}} must be in single quotes, e.g. {{commit_date \'YYYYMMDD\' tz=\'Europe/Paris\'}}',
    ],
    [
      'a date without a format',
      { tags: 'type=schedule,pattern={{date}}' },
      'Input "tags": line 1 "type=schedule,pattern={{date}}": {{date}} needs a date format in single quotes, e.g. {{date \'YYYYMMDD\' tz=\'Europe/Paris\'}}',
    ],
    [
      'an empty date format',
      { tags: "type=schedule,pattern={{date ''}}" },
      "Input \"tags\": line 1 \"type=schedule,pattern={{date ''}}\": the date format of {{date}} is empty; e.g. {{date 'YYYYMMDD' tz='Europe/Paris'}}",
    ],
    [
      'an unknown date attribute',
      { tags: "type=schedule,pattern={{date 'YYYY' zone='UTC'}}" },
      'Input "tags": line 1 "type=schedule,pattern={{date \'YYYY\' zone=\'UTC\'}}": {{date}} takes only tz=\'<time zone>\', not "zone"',
    ],
    [
      'arguments to an expression that takes none',
      { tags: "type=raw,value={{branch 'x'}}" },
      'Input "tags": line 1 "type=raw,value={{branch \'x\'}}": {{branch}} takes no arguments',
    ],
    [
      'an expression that is not closed',
      { tags: 'type=raw,value={{branch' },
      'Input "tags": line 1 "type=raw,value={{branch": "{{" is not closed by "}}" in "{{branch"',
    ],
    [
      'an expression Handlebars cannot read',
      { tags: 'type=raw,value={{branch}x}}' },
      "Input \"tags\": line 1 \"type=raw,value={{branch}x}}\": cannot read the {{…}} expressions in \"{{branch}x}}\" (Expecting 'CLOSE_RAW_BLOCK', 'CLOSE', 'CLOSE_UNESCAPED', 'OPEN_SEXPR', 'CLOSE_SEXPR', 'ID', 'OPEN_BLOCK_PARAMS', 'STRING', 'NUMBER', 'BOOLEAN', 'UNDEFINED', 'NULL', 'DATA', 'SEP', got 'INVALID')",
    ],
    [
      'a block expression',
      { tags: 'type=raw,value={{#if branch}}x{{/if}}' },
      'Input "tags": line 1 "type=raw,value={{#if branch}}x{{/if}}": a {{#…}} block is not supported; only simple expressions such as {{branch}} or {{date \'YYYYMMDD\'}}',
    ],
    // flavor
    [
      'an unknown flavor key',
      { flavor: 'unknwown=foo' },
      'Input "flavor": line 1 "unknwown=foo": unknown key "unknwown"; expected latest, prefix, suffix or onlatest',
    ],
    [
      'a flavor entry without "="',
      { flavor: 'randomstr' },
      'Input "flavor": line 1 "randomstr": expected key=value, got "randomstr"',
    ],
    [
      'an unknown latest mode',
      { flavor: 'latest=foo' },
      'Input "flavor": line 1 "latest=foo": latest must be auto, true or false, got "foo"',
    ],
    [
      'a bad onlatest',
      { flavor: 'prefix=dev-,onlatest=yes' },
      'Input "flavor": line 1 "prefix=dev-,onlatest=yes": onlatest must be "true" or "false", got "yes"',
    ],
    [
      'onlatest without a prefix or suffix',
      { flavor: 'latest=true,onlatest=true' },
      'Input "flavor": line 1 "latest=true,onlatest=true": onlatest must follow prefix=… or suffix=… on the same line',
    ],
    [
      'an unknown expression in a flavor prefix',
      { flavor: 'prefix={{brnch}}-' },
      `Input "flavor": line 1 "prefix={{brnch}}-": unknown expression {{brnch}}; ${EXPRESSIONS}`,
    ],
    // labels and annotations
    [
      'a label without "="',
      { labels: 'maintainer=me\ninvalid' },
      'Input "labels": line 2 "invalid": expected key=value',
    ],
    [
      'a label without a key',
      { labels: '=value' },
      'Input "labels": line 1 "=value": the key before "=" is empty',
    ],
    [
      'an unknown expression in a label',
      { labels: 'version={{ver}}' },
      `Input "labels": line 1 "version={{ver}}": unknown expression {{ver}}; ${EXPRESSIONS}`,
    ],
    [
      'an annotation without "="',
      { annotations: 'foo' },
      'Input "annotations": line 1 "foo": expected key=value',
    ],
    [
      'an unknown annotation level',
      { annotations: 'manifests:org.example.x=1' },
      `Input "annotations": line 1 "manifests:org.example.x=1": unknown annotation level "manifests"; ${LEVELS}`,
    ],
    [
      'an unknown level among several',
      { annotations: 'index,image:org.example.x=1' },
      `Input "annotations": line 1 "index,image:org.example.x=1": unknown annotation level "image"; ${LEVELS}`,
    ],
  ])('%s', (_name, inputs, message) => {
    const error = errorFor(inputs)
    expect(error.message).toBe(message)
  })

  test('an unknown level in DOCKER_METADATA_ANNOTATIONS_LEVELS', () => {
    expect(errorFor({}, ['manifest', 'indexx']).message).toBe(
      `Input "annotations": DOCKER_METADATA_ANNOTATIONS_LEVELS: unknown level "indexx"; ${LEVELS}`,
    )
  })

  test('the line number counts blank and comment lines', () => {
    expect(errorFor({ tags: 'type=sha\n\n# semver\ntype=semver' }).message).toMatch(
      /^Input "tags": line 4 "type=semver": /,
    )
  })

  test('every input is checked before anything is computed', () => {
    // The tags alone are fine; the bad label on the last input still stops the run.
    expect(errorFor({ tags: 'type=sha', labels: 'oops' }).input).toBe('labels')
  })
})

describe('inputs metadata-action accepts stay accepted', () => {
  test.each<Partial<MetadataInputs>>([
    { tags: 'type=raw,value=foo,priority=-5' },
    { tags: 'type=raw,foo,enable=TRUE' },
    { tags: 'TYPE=RAW,foo' },
    { tags: 'type=match,pattern=\\d{8},group=0' },
    { flavor: 'prefix= ' },
    { flavor: 'latest=auto\nprefix=dev-,onlatest=true\nsuffix=-alpine,onlatest=false' },
    { images: 'name=ghcr.io/UserName/Foo,enable=true' },
    { images: 'localhost:5000/app' },
    { images: '[::1]:5000/app' },
    { images: 'registry.example.com/a__b/c-d/e.f' },
    { annotations: 'manifest[linux/amd64]:org.example.x=1' },
    { annotations: 'index,manifest-descriptor:org.example.x=1' },
    { labels: 'org.example.url=https://example.com/?a=b,c=d' },
  ])('%j', (inputs) => {
    expect(() => meta(inputs, contextFor('push', 'refs/tags/v1.2.3'))).not.toThrow()
  })
})
