import { csvFields, inputLines, optionalBoolean } from '../../../src/action/input-list.js'

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
