import { formatResult, legResult, parseResults, type LegResult } from '../../../src/merge/result.js'
import { parseStage, readResults } from '../../../src/merge/stage.js'

const D = (hex: string): string => `sha256:${hex.repeat(64)}`

function result(platform: string, digest: string, extra: Partial<LegResult> = {}): LegResult {
  return {
    version: 1,
    images: ['ghcr.io/acme/app'],
    digest,
    pushed: true,
    platforms: [{ platform, digest: D('9'), scan: 'passed', vulnerabilities: { CRITICAL: 0, HIGH: 1 } }],
    gate: 'passed',
    commit: 'c0ffee',
    run: '42',
    ...extra,
  }
}

const AMD = result('linux/amd64', D('a'))
const ARM = result('linux/arm64', D('b'))

describe('results: the three shapes a workflow hands over', () => {
  test.each<[string, string, LegResult[]]>([
    [
      'toJSON(needs.<job>.outputs), pretty-printed as GitHub does',
      JSON.stringify({ result_0: formatResult(AMD), result_1: formatResult(ARM) }, null, 2),
      [AMD, ARM],
    ],
    ['toJSON on one line', JSON.stringify({ result_0: formatResult(AMD) }), [AMD]],
    [
      'toJSON with an empty slot (a leg that wrote none) skips it',
      JSON.stringify({ result_0: formatResult(AMD), result_1: '', result_2: formatResult(ARM) }),
      [AMD, ARM],
    ],
    ['a JSON array of result strings', JSON.stringify([formatResult(AMD), formatResult(ARM)]), [AMD, ARM]],
    ['a JSON array of result objects', JSON.stringify([AMD, ARM]), [AMD, ARM]],
    ['one result per line', `${formatResult(AMD)}\n\n${formatResult(ARM)}\n`, [AMD, ARM]],
    ['a lone result', formatResult(ARM), [ARM]],
  ])('%s', (_name, text, expected) => {
    expect(parseResults(text)).toEqual(expected)
  })

  test.each<[string, string, string]>([
    ['nothing', '  ', 'Input "results": stage "merge" needs the results of the platform legs'],
    ['a line that is no JSON', `${formatResult(AMD)}\nnot json`, 'Input "results": line 2 is not JSON'],
    [
      'an output that is not a string',
      '{"result_0": 3}',
      'Input "results": "result_0" is not a result string',
    ],
    [
      'another version of the format',
      JSON.stringify([{ ...AMD, version: 2 }]),
      'Input "results": entry 1: version 2 is not 1: legs and merge must use the same action version',
    ],
    [
      'a digest that is not one',
      JSON.stringify([{ ...AMD, digest: 'sha256:xyz' }]),
      'Input "results": entry 1: "sha256:xyz" is not a digest',
    ],
    [
      'no platforms',
      JSON.stringify([{ ...AMD, platforms: [] }]),
      'Input "results": entry 1: "platforms" must list the platforms built',
    ],
    [
      'a gate that did not pass',
      JSON.stringify([{ ...AMD, gate: 'failed' }]),
      'Input "results": entry 1: "gate" must be "passed" or "overridden"',
    ],
    ['no images', JSON.stringify([{ ...AMD, images: [] }]), '"images" must be a non-empty list of strings'],
    ['no commit', JSON.stringify([{ ...AMD, commit: '' }]), '"commit" must be a non-empty string'],
    [
      'a platform that is no os/arch',
      JSON.stringify([{ ...AMD, platforms: [{ ...AMD.platforms[0], platform: 'linux/`amd64`|x' }] }]),
      'Input "results": entry 1: "linux/`amd64`|x" is not a platform (os/arch[/variant])',
    ],
    [
      'a scan result the action never writes',
      JSON.stringify([{ ...AMD, platforms: [{ ...AMD.platforms[0], scan: 'fine' }] }]),
      'Input "results": entry 1: "fine" is not a scan result (passed, failed, error, skipped)',
    ],
    [
      'counts that are no counts',
      JSON.stringify([
        { ...AMD, platforms: [{ ...AMD.platforms[0], vulnerabilities: { CRITICAL: '<b>' } }] },
      ]),
      'Input "results": entry 1: "vulnerabilities" must be null or counts per severity',
    ],
    ['pushed not a boolean', JSON.stringify([{ ...AMD, pushed: 'yes' }]), '"pushed" must be true or false'],
  ])('refused: %s', (_name, text, message) => {
    expect(() => parseResults(text)).toThrow(message)
  })
})

describe('a leg writes its result', () => {
  test('one line, the scan per platform from the gate, the digests of the build', () => {
    const counts = { CRITICAL: 0, HIGH: 2, MEDIUM: 0, LOW: 0, UNKNOWN: 0 }
    const written = legResult({
      images: ['ghcr.io/acme/app', 'ghcr.io/acme/app', 'docker.io/acme/app'],
      digest: D('a'),
      pushed: true,
      platforms: [{ platform: 'linux/arm64', digest: D('b') }],
      scan: { result: 'passed', perPlatform: { 'linux/arm64': { result: 'passed', counts } } },
      commit: 'c0ffee',
      run: '42',
    })
    expect(written).toEqual({
      version: 1,
      images: ['ghcr.io/acme/app', 'docker.io/acme/app'],
      digest: D('a'),
      pushed: true,
      platforms: [{ platform: 'linux/arm64', digest: D('b'), scan: 'passed', vulnerabilities: counts }],
      gate: 'passed',
      commit: 'c0ffee',
      run: '42',
    })
    expect(formatResult(written)).not.toContain('\n')
    expect(parseResults(formatResult(written))).toEqual([written])
  })

  test('scanner none: skipped, no counts; scan-fail false letting findings through: overridden', () => {
    const base = {
      images: ['app'],
      digest: D('a'),
      pushed: false,
      platforms: [{ platform: 'linux/amd64', digest: D('b') }],
      commit: 'c',
      run: '1',
    }
    expect(legResult({ ...base, scan: { result: 'skipped' } }).platforms[0]).toEqual({
      platform: 'linux/amd64',
      digest: D('b'),
      scan: 'skipped',
      vulnerabilities: null,
    })
    expect(legResult({ ...base, scan: { result: 'failed', perPlatform: {} } }).gate).toBe('overridden')
  })
})

describe('stage and results inputs', () => {
  test.each([
    ['', 'all'],
    ['all', 'all'],
    [' Platform ', 'platform'],
    ['merge', 'merge'],
  ])('stage %p is %p', (text, stage) => {
    expect(parseStage(text)).toBe(stage)
  })

  test('any other stage names the input and the choices', () => {
    expect(() => parseStage('legs')).toThrow(
      'Input "stage": expected "all", "platform" or "merge", got "legs"',
    )
  })

  test('results are read by merge only', () => {
    expect(readResults('merge', formatResult(AMD))).toEqual([AMD])
    expect(readResults('platform', '')).toEqual([])
    expect(() => readResults('all', formatResult(AMD))).toThrow(
      'Input "results": only stage "merge" reads results (stage is "all")',
    )
  })
})
