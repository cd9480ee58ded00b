import type { WorkflowContext } from '../../../src/github/context.js'
import { contextFor, meta } from './helpers.js'

// Cases re-derived from docker/metadata-action's README tables and test suite: same refs, same
// rules, same expected tags. Where our output deliberately differs the case says so: `latest`
// ranks with the rule that asked for it instead of always coming last.

const MASTER_SHA = '266574110acf203503badf966df2ea24b5d732d7'
const PR_SHA = 'a9c8c5828b91be19d9728548b24759e352367ef1'
const repository = { default_branch: 'master' }

const runs = {
  pushDev: contextFor('push', 'refs/heads/dev'),
  pushMaster: contextFor('push', 'refs/heads/master', { repository }, MASTER_SHA),
  pushInvalidChars: contextFor(
    'push',
    'refs/heads/my/feature#1245',
    { repository },
    '983315b5e8d46e46fc4c49869e85e7ee5fb289ba',
  ),
  dispatchMaster: contextFor('workflow_dispatch', 'refs/heads/master'),
  pullRequest: contextFor(
    'pull_request',
    'refs/pull/15/merge',
    { repository, number: 15, pull_request: { number: 15, base: { ref: 'master' } } },
    PR_SHA,
  ),
  // GITHUB_REF names the base branch; the context rewrites it to the pull request's ref.
  pullRequestTarget: contextFor(
    'pull_request_target',
    'refs/heads/master',
    { repository, number: 15, pull_request: { number: 15, base: { ref: 'master' } } },
    MASTER_SHA,
  ),
  schedule: contextFor('schedule', 'refs/heads/master', {}),
  release: contextFor('release', 'refs/tags/v1.1.1'),
}

/** A pushed tag; the payload's base_ref names the branch it was pushed from. */
function pushTag(name: string): WorkflowContext {
  return contextFor('push', `refs/tags/${name}`, { repository, base_ref: 'refs/heads/master' })
}

interface Case {
  on: WorkflowContext
  tags?: string[]
  flavor?: string[]
  images?: string[]
  expected: string[]
}

function run({ on, tags = [], flavor = [], images = ['user/app'] }: Case) {
  return meta({ images: images.join('\n'), tags: tags.join('\n'), flavor: flavor.join('\n') }, on)
}

const cases = {
  'edge on the default branch': { on: runs.pushMaster, tags: ['type=edge'], expected: ['edge'] },
  'edge on a workflow_dispatch of the default branch': {
    on: runs.dispatchMaster,
    tags: ['type=edge'],
    expected: ['edge'],
  },
  'edge for a named branch': {
    on: runs.pushDev,
    tags: ['type=edge,branch=dev', 'type=sha'],
    expected: ['edge', 'sha-860c190'],
  },
  'edge for another branch than the one pushed': {
    on: runs.pushMaster,
    tags: ['type=edge,branch=dev', 'type=sha'],
    expected: ['sha-2665741'],
  },
  'edge on a branch that is not the default': {
    on: runs.pushInvalidChars,
    tags: ['type=edge', 'type=sha'],
    expected: ['sha-983315b'],
  },
  'a branch name with "/" and "#"': {
    on: runs.pushInvalidChars,
    tags: ['type=ref,event=branch'],
    expected: ['my-feature-1245'],
  },
  'version rules on a branch push make nothing': {
    on: runs.pushInvalidChars,
    tags: ['type=semver,pattern={{version}}', 'type=pep440,pattern={{version}}', 'type=edge'],
    expected: [],
  },
  'priority puts the branch before edge': {
    on: runs.pushMaster,
    tags: ['type=ref,priority=2000,event=branch', 'type=edge'],
    expected: ['master', 'edge'],
  },
  'semver and pep440 from value= on a branch (latest before edge: it ranks with semver)': {
    on: runs.pushMaster,
    tags: [
      'type=semver,pattern={{version}},value=v1.2.3',
      'type=pep440,pattern={{version}},value=v1.2.3',
      'type=edge',
    ],
    expected: ['1.2.3', 'latest', 'edge'],
  },
  'match from value=': {
    on: runs.pushMaster,
    tags: ['type=match,pattern=v(.*),group=1,value=v1.2.3', 'type=edge'],
    expected: ['1.2.3', 'latest', 'edge'],
  },
  'a disabled match rule': {
    on: runs.pushMaster,
    tags: ['type=match,enable=false,pattern=v(.*),group=1,value=v1.2.3', 'type=edge'],
    expected: ['edge'],
  },
  'global expressions in raw values': {
    on: runs.pushMaster,
    tags: [
      'type=raw,value=mytag-{{branch}}',
      "type=raw,value=mytag-{{date 'YYYYMMDD'}}",
      "type=raw,value=mytag-cd-{{commit_date 'YYYYMMDD'}}",
      "type=raw,value=mytag-{{date 'YYYYMMDD-HHmmss' tz='Asia/Tokyo'}}",
      'type=raw,value=mytag-tag-{{tag}}',
      'type=raw,value=mytag-baseref-{{base_ref}}',
      'type=raw,value=mytag-defbranch,enable={{is_default_branch}}',
    ],
    expected: [
      'mytag-master',
      'mytag-20200110',
      'mytag-cd-20200110',
      'mytag-20200110-093000',
      'mytag-tag-',
      'mytag-baseref-',
      'mytag-defbranch',
    ],
  },
  'long sha': {
    on: runs.pushDev,
    tags: ['type=ref,event=branch', 'type=sha,format=long'],
    expected: ['dev', 'sha-860c1904a1ce19322e91ac35af1ab07466440c37'],
  },
  '{{is_default_branch}} is false off the default branch': {
    on: runs.pushDev,
    tags: [
      'type=edge,branch=master',
      'type=ref,event=branch,enable=false',
      'type=sha,format=long',
      'type=raw,value=defbranch,enable={{is_default_branch}}',
    ],
    expected: ['sha-860c1904a1ce19322e91ac35af1ab07466440c37'],
  },
  '{{is_not_default_branch}} is true off the default branch': {
    on: runs.pushDev,
    tags: [
      'type=edge,branch=master',
      'type=sha,format=long',
      'type=raw,value=notdefbranch,enable={{is_not_default_branch}}',
    ],
    expected: ['notdefbranch', 'sha-860c1904a1ce19322e91ac35af1ab07466440c37'],
  },
  'match \\d{8}': {
    on: pushTag('20200110-RC2'),
    tags: ['type=match,pattern=\\d{8}'],
    flavor: ['latest=false'],
    expected: ['20200110'],
  },
  'match with a group': {
    on: pushTag('20200110-RC2'),
    tags: ['type=match,pattern=(.*)-RC,group=1'],
    flavor: ['latest=false'],
    expected: ['20200110'],
  },
  'match in quotes': {
    on: pushTag('v1.1.1'),
    tags: ['type=match,"pattern=\\d.\\d.\\d"'],
    expected: ['1.1.1', 'latest'],
  },
  'match anchored with a group': {
    on: pushTag('v1.1.1'),
    tags: ['type=match,"pattern=^v(\\d.\\d.\\d)$",group=1'],
    expected: ['1.1.1', 'latest'],
  },
  'match a pre-release': {
    on: pushTag('v2.0.8-beta.67'),
    tags: ['type=match,"pattern=\\d.\\d.\\d-(alpha|beta).\\d+"'],
    expected: ['2.0.8-beta.67', 'latest'],
  },
  'match part of a pre-release': {
    on: pushTag('v2.0.8-beta.67'),
    tags: ['type=match,"pattern=\\d.\\d"'],
    expected: ['2.0', 'latest'],
  },
  'two groups of one pattern': {
    on: pushTag('v2.0.8-beta.67'),
    tags: ['type=match,"pattern=v(.*)-beta.(.*)",group=1', 'type=match,"pattern=v(.*)-beta.(.*)",group=2'],
    expected: ['2.0.8', '67', 'latest'],
  },
  'match that does not match': {
    on: pushTag('sometag'),
    tags: ['type=match,"pattern=\\d.\\d"'],
    expected: [],
  },
  'semver: version, major.minor, major': {
    on: pushTag('v1.1.1'),
    tags: [
      'type=semver,pattern={{version}}',
      'type=semver,pattern={{major}}.{{minor}}',
      'type=semver,pattern={{major}}',
    ],
    expected: ['1.1.1', '1.1', '1', 'latest'],
  },
  'semver: equal results are one tag': {
    on: pushTag('v1.1.1'),
    tags: ['type=semver,pattern={{version}}', 'type=semver,pattern={{major}}.{{minor}}.{{patch}}'],
    expected: ['1.1.1', 'latest'],
  },
  'semver: a pre-release only gets its version': {
    on: pushTag('v2.0.8-beta.67'),
    tags: ['type=semver,pattern={{major}}.{{minor}}', 'type=semver,pattern={{major}}'],
    expected: ['2.0.8-beta.67'],
  },
  'semver: a tag that is no version, with the raw tag': {
    on: pushTag('sometag'),
    tags: ['type=ref,event=tag', 'type=semver,pattern={{version}}', 'type=semver,pattern={{major}}'],
    flavor: ['latest=false'],
    expected: ['sometag'],
  },
  'a high-priority raw tag decides latest (false)': {
    on: pushTag('v2.0.8-beta.67'),
    tags: ['type=raw,priority=2000,foo', 'type=semver,pattern={{version}}', 'type=match,"pattern=\\d.\\d"'],
    expected: ['foo', '2.0.8-beta.67', '2.0'],
  },
  'raw before the git tag': {
    on: pushTag('v1.1.1'),
    tags: ['type=raw,priority=2000,foo', 'type=ref,event=tag', 'type=edge'],
    expected: ['foo', 'v1.1.1'],
  },
  'regex with slashes and flags, pr and sha on a tag (latest before sha)': {
    on: pushTag('p1/v1.0.0'),
    tags: [
      'type=match,"pattern=/^v(\\d.\\d.\\d)$/ig",group=1',
      'type=match,pattern=\\d.\\d.\\d',
      'type=match,pattern=\\d.\\d',
      'type=ref,event=pr',
      'type=sha',
    ],
    expected: ['1.0.0', '1.0', 'latest', 'sha-860c190'],
  },
  'a group the pattern lacks makes nothing': {
    on: pushTag('p1/v1.0.0'),
    tags: [
      'type=match,pattern=p1/v(\\d.\\d.\\d),group=1',
      'type=match,pattern=p1/v(\\d.\\d),group=1',
      'type=match,pattern=p1/v(\\d.\\d),group=3',
      'type=sha',
    ],
    expected: ['1.0.0', '1.0', 'latest', 'sha-860c190'],
  },
  'an empty suffix= overrides the flavor suffix': {
    on: pushTag('p1/v1.0.0'),
    tags: [
      'type=match,pattern=p1/v(\\d.\\d.\\d),group=1',
      'type=match,pattern=p1/v(\\d.\\d),group=1,suffix=',
      'type=sha',
    ],
    flavor: ['suffix=-dev'],
    expected: ['1.0.0-dev', '1.0', 'latest', 'sha-860c190-dev'],
  },
  'tag, sha and base_ref expressions': {
    on: pushTag('v1.1.1'),
    tags: [
      'type=raw,{{tag}}-{{sha}}-foo',
      'type=raw,{{base_ref}}-foo',
      'type=raw,defbranch-foo,enable={{is_default_branch}}',
    ],
    expected: ['v1.1.1-860c190-foo', 'master-foo'],
  },
  'suffix on latest too': {
    on: pushTag('v1.1.1'),
    tags: ['type=semver,pattern={{version}}', 'type=semver,pattern={{major}}.{{minor}}.{{patch}}'],
    flavor: ['suffix=-dev,onlatest=true'],
    expected: ['1.1.1-dev', 'latest-dev'],
  },
  'prefix and suffix on latest too': {
    on: pushTag('v1.1.1'),
    tags: ['type=semver,pattern={{version}}'],
    flavor: ['prefix=foo-,onlatest=true', 'suffix=-dev,onlatest=true'],
    expected: ['foo-1.1.1-dev', 'foo-latest-dev'],
  },
  'pep440: raw and major.minor': {
    on: pushTag('v1.1.1'),
    tags: ['type=pep440,pattern={{raw}}', 'type=pep440,pattern={{major}}.{{minor}}'],
    expected: ['v1.1.1', '1.1', 'latest'],
  },
  'pep440: a two-part version': {
    on: pushTag('1.2'),
    tags: ['type=pep440,pattern={{version}}', 'type=pep440,pattern={{major}}.{{minor}}'],
    expected: ['1.2', 'latest'],
  },
  'pep440: a beta gets its normalised version only': {
    on: pushTag('1.1beta2'),
    tags: ['type=pep440,pattern={{major}}.{{minor}}', 'type=pep440,pattern={{major}}'],
    expected: ['1.1b2'],
  },
  'pep440: a dev release': {
    on: pushTag('1.0dev4'),
    tags: ['type=pep440,pattern={{major}}.{{minor}}', 'type=pep440,pattern={{major}}'],
    expected: ['1.0.dev4'],
  },
  'pep440: a release candidate': {
    on: pushTag('1.2.3rc2'),
    tags: [
      'type=pep440,pattern={{raw}}',
      'type=pep440,pattern={{version}}',
      'type=pep440,pattern={{major}}.{{minor}}',
      'type=pep440,pattern={{major}}',
    ],
    expected: ['1.2.3rc2'],
  },
  'pep440: all parts of a final release': {
    on: pushTag('v1.1.1'),
    tags: [
      'type=pep440,pattern={{version}}',
      'type=pep440,pattern={{major}}.{{minor}}.{{patch}}',
      'type=pep440,pattern={{major}}.{{minor}}',
      'type=pep440,pattern={{major}}',
    ],
    expected: ['1.1.1', '1.1', '1', 'latest'],
  },
  'pep440: a post release': {
    on: pushTag('1.2post1'),
    tags: ['type=pep440,pattern={{version}}', 'type=pep440,pattern={{major}}.{{minor}}'],
    expected: ['1.2.post1'],
  },
  'semver: {{raw}} of a pre-release': {
    on: pushTag('v2.0.8-beta.67'),
    tags: ['type=semver,pattern={{raw}}'],
    expected: ['v2.0.8-beta.67'],
  },
  'pep440: {{raw}} of a release candidate keeps the v': {
    on: pushTag('v1.2.3rc2'),
    tags: ['type=pep440,pattern={{raw}}', 'type=pep440,pattern={{major}}.{{minor}}'],
    expected: ['v1.2.3rc2', '1.2.3rc2'],
  },
  'semver: match= picks the version out of a prefixed tag': {
    on: pushTag('p1/v1.0.0'),
    tags: ['type=semver,pattern={{version}},"match=v(\\d.\\d.\\d)$"'],
    expected: ['1.0.0', 'latest'],
  },
  'semver and pep440: value= with match=': {
    on: runs.pushMaster,
    tags: [
      'type=semver,pattern={{version}},value=p1/v1.2.3,"match=v(\\d.\\d.\\d)$"',
      'type=pep440,pattern={{version}},value=p1/v1.2.3,"match=v(\\d.\\d.\\d)$"',
      'type=edge',
    ],
    expected: ['1.2.3', 'latest', 'edge'],
  },
  'latest for a match with a quantifier in quotes': {
    on: pushTag('release1'),
    tags: ['type=match,"pattern=^release\\d{1,2}"'],
    expected: ['release1', 'latest'],
  },
  'latest for a full match': {
    on: pushTag('20200110-RC2'),
    tags: ['type=match,"pattern=^\\d+-RC\\d{1,2}"'],
    expected: ['20200110-RC2', 'latest'],
  },
  'the git tag itself with latest': {
    on: pushTag('v1.1.1'),
    tags: ['type=ref,event=tag'],
    expected: ['v1.1.1', 'latest'],
  },
  'latest=false': {
    on: pushTag('v1.1.1'),
    tags: ['type=ref,event=tag'],
    flavor: ['latest=false'],
    expected: ['v1.1.1'],
  },
  'pull request and sha': {
    on: runs.pullRequest,
    tags: ['type=ref,event=pr', 'type=sha'],
    expected: ['pr-15', 'sha-a9c8c58'],
  },
  'sha first by priority': {
    on: runs.pullRequest,
    tags: ['type=sha,priority=2000', 'type=ref,event=pr'],
    expected: ['sha-a9c8c58', 'pr-15'],
  },
  'the pr- prefix wins over the flavor prefix': {
    on: runs.pullRequest,
    tags: ['type=ref,event=pr'],
    flavor: ['prefix=glo-', 'suffix=-bal'],
    expected: ['pr-15-bal'],
  },
  'an empty prefix= removes pr-': {
    on: runs.pullRequest,
    tags: ['type=ref,event=pr,prefix='],
    flavor: ['prefix=glo-', 'suffix=-bal'],
    expected: ['15-bal'],
  },
  'pull_request_target tags the pull request, not the base branch': {
    on: runs.pullRequestTarget,
    tags: [
      'type=ref,event=tag',
      'type=ref,event=pr',
      'type=ref,event=branch',
      'type=sha',
      'type=sha,format=long',
    ],
    expected: ['pr-15', 'sha-2665741', `sha-${MASTER_SHA}`],
  },
  'base_ref of a pull request; a pull request is not the default branch': {
    on: runs.pullRequest,
    tags: ['type=raw,value=mytag-{{base_ref}}', 'type=raw,mytag-defbranch,enable={{is_default_branch}}'],
    expected: ['mytag-master'],
  },
  'schedule with the branch rule written out': {
    on: runs.schedule,
    tags: ['type=schedule', 'type=ref,event=branch'],
    expected: ['nightly', 'master'],
  },
  'schedule date patterns (commit_date falls back to now)': {
    on: runs.schedule,
    tags: [
      "type=schedule,pattern={{date 'YYYYMMDD'}}",
      "type=schedule,pattern=source-date-{{commit_date 'YYYY-MM-DD'}}",
    ],
    expected: ['20200110', 'source-date-2020-01-10'],
  },
  'schedule with a time': {
    on: runs.schedule,
    tags: ["type=schedule,pattern={{date 'YYYYMMDD-HHmmss'}}"],
    expected: ['20200110-003000'],
  },
  'schedule and sha': {
    on: runs.schedule,
    tags: ['type=schedule', 'type=sha'],
    expected: ['nightly', 'sha-860c190'],
  },
  'a schedule run counts as the default branch': {
    on: runs.schedule,
    tags: [
      'type=schedule',
      'type=sha,priority=2000',
      'type=raw,value=defbranch,enable={{is_default_branch}}',
    ],
    expected: ['sha-860c190', 'nightly', 'defbranch'],
  },
  'schedule with the flavor': {
    on: runs.schedule,
    tags: ['type=schedule'],
    flavor: ['prefix=glo-', 'suffix=-bal'],
    expected: ['glo-nightly-bal'],
  },
  'schedule in a time zone': {
    on: runs.schedule,
    tags: [
      "type=schedule,pattern={{date 'YYYYMMDD-HHmmss' tz='Asia/Tokyo'}}",
      "type=schedule,pattern=src-{{commit_date 'YYYYMMDD-HHmmss' tz='Asia/Tokyo'}}",
    ],
    expected: ['20200110-093000', 'src-20200110-093000'],
  },
  'release: the git tag': { on: runs.release, tags: ['type=ref,event=tag'], expected: ['v1.1.1', 'latest'] },
  'release: base_ref is empty, not the default branch (latest before raw tags)': {
    on: runs.release,
    tags: [
      'type=ref,event=tag',
      'type=raw,value=baseref-{{base_ref}}',
      'type=raw,value=defbranch,enable={{is_default_branch}}',
    ],
    expected: ['v1.1.1', 'latest', 'baseref-'],
  },
  'release: dates': {
    on: runs.release,
    tags: [
      "type=raw,value=src-{{commit_date 'YYYYMMDD-HHmmss'}}",
      "type=raw,value={{date 'YYYYMMDD-HHmmss'}}",
    ],
    expected: ['src-20200110-003000', '20200110-003000'],
  },
  'raw values after the branch': {
    on: runs.pushDev,
    tags: ['type=ref,event=branch', 'type=raw,my', 'type=raw,custom', 'type=raw,tags'],
    expected: ['dev', 'my', 'custom', 'tags'],
  },
  'raw values on a tag (latest ranks with the git tag)': {
    on: pushTag('release1'),
    tags: ['type=ref,event=tag', 'type=raw,my', 'type=raw,custom', 'type=raw,tags'],
    expected: ['release1', 'latest', 'my', 'custom', 'tags'],
  },
  'semver then raw values': {
    on: pushTag('v1.1.1'),
    tags: [
      'type=semver,pattern={{version}}',
      'type=semver,pattern={{major}}.{{minor}}',
      'type=semver,pattern={{major}}',
      'type=raw,my',
      'type=raw,custom',
      'type=raw,tags',
    ],
    expected: ['1.1.1', '1.1', '1', 'latest', 'my', 'custom', 'tags'],
  },
  'raw values only: no latest': {
    on: pushTag('v1.1.1'),
    tags: ['type=raw,my', 'type=raw,custom', 'type=raw,tags'],
    expected: ['my', 'custom', 'tags'],
  },
  'latest=true follows the first rule that tags': {
    on: runs.pushDev,
    tags: ['type=ref,priority=90,event=branch', 'type=raw,my', 'type=raw,custom', 'type=raw,tags'],
    flavor: ['latest=true'],
    expected: ['my', 'custom', 'tags', 'latest', 'dev'],
  },
  'a rule prefix/suffix replaces the flavor one': {
    on: runs.pushDev,
    tags: [
      'type=match,pattern=\\d{8}',
      'type=raw,my,prefix=foo-,suffix=-bar',
      'type=raw,custom',
      'type=raw,tags',
    ],
    flavor: ['latest=false', 'prefix=glo-', 'suffix=-bal'],
    expected: ['foo-my-bar', 'glo-custom-bal', 'glo-tags-bal'],
  },
  'enable=false and enable=true': {
    on: runs.pushDev,
    tags: ['type=raw,foo', 'type=raw,bar,enable=false', 'type=raw,baz,enable=true'],
    flavor: ['latest=false'],
    expected: ['foo', 'baz'],
  },
} satisfies Record<string, Case>

describe('cases from metadata-action', () => {
  test.each(Object.entries(cases) as Array<[string, Case]>)('%s', (_name, testCase) => {
    const result = run(testCase)
    expect(result.tagNames).toEqual(testCase.expected)
    expect(result.version).toBe(testCase.expected[0] ?? '')
  })

  test('every enabled image gets every tag, image by image', () => {
    const result = run({
      on: runs.pushDev,
      images: ['org/app', 'ghcr.io/user/app'],
      tags: ['type=ref,event=branch', 'type=sha'],
      expected: [],
    })
    expect(result.references.map((image) => image.reference)).toEqual([
      'org/app:dev',
      'org/app:sha-860c190',
      'ghcr.io/user/app:dev',
      'ghcr.io/user/app:sha-860c190',
    ])
  })

  test('a disabled image gets no tags', () => {
    const result = run({
      on: runs.pushDev,
      images: ['org/app', 'ghcr.io/user/app,enable=false'],
      tags: ['type=sha,format=long'],
      expected: [],
    })
    expect(result.images).toEqual(['org/app'])
    expect(result.references.map((image) => image.reference)).toEqual([
      'org/app:sha-860c1904a1ce19322e91ac35af1ab07466440c37',
    ])
  })

  test('no tag at all is a warning, and version is empty', () => {
    const result = run(cases['version rules on a branch push make nothing'])
    expect(result.references.map((image) => image.reference)).toEqual([])
    expect(result.version).toBe('')
    expect(result.warnings).toContain(
      'No tag was generated: no rule of the "tags" input applies to event "push" on "refs/heads/my/feature#1245". ' +
        'Nothing would be pushed.',
    )
  })

  test('a missing group and a pattern that does not match are warnings', () => {
    expect(run(cases['a group the pattern lacks makes nothing']).warnings).toEqual([
      'group 3 does not exist in pattern=p1/v(\\d.\\d) (or took no part in the match)',
    ])
    expect(run(cases['match that does not match']).warnings[0]).toBe(
      'pattern=\\d.\\d does not match "sometag"; the rule produces no tag',
    )
  })
})
