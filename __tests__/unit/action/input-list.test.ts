import { csvFields, inputLines, optionalBoolean, releaseVersion } from '../../../src/action/input-list.js'

test('keeps a quoted comma inside one field', () => {
  expect(csvFields('type=match,"pattern=^release\\d{1,2}"', 'tags')).toEqual([
    'type=match',
    'pattern=^release\\d{1,2}',
  ])
})

test('drops blank and comment lines but keeps a # inside a line', () => {
  expect(inputLines('a\n\n# comment\n  b=#1 \n')).toEqual(['a', 'b=#1'])
})

test('an optional boolean is its default when empty, and refuses anything but true/false', () => {
  expect(optionalBoolean('', 'logout', true)).toBe(true)
  expect(optionalBoolean('  ', 'load', false)).toBe(false)
  expect(optionalBoolean(' FALSE ', 'logout', true)).toBe(false)
  expect(() => optionalBoolean('yes', 'logout', true)).toThrow(
    'Input "logout": expected "true" or "false", got "yes"',
  )
})

describe('releaseVersion', () => {
  test('one release, v prefix or not; empty is the pinned fallback', () => {
    expect(releaseVersion(' v0.72.0 ', 'trivy-version', 'Trivy', '0.74.0')).toBe('0.72.0')
    expect(releaseVersion('1.2.3-rc.1', 'trivy-version', 'Trivy', '0.74.0')).toBe('1.2.3-rc.1')
    expect(releaseVersion('  ', 'trivy-version', 'Trivy', '0.74.0')).toBe('0.74.0')
  })

  test.each(['latest', '0.74', '^0.74.0', '0.74.x', '>=0.74.0'])(
    '"%s" names the input and an example',
    (text) => {
      expect(() => releaseVersion(text, 'trivy-version', 'Trivy', '0.74.0')).toThrow(
        `Input "trivy-version": "${text}" is not a Trivy release version such as 0.74.0`,
      )
    },
  )
})
