import { csvFields, inputLines } from '../../src/input-list.js'

test('keeps a quoted comma inside one field', () => {
  expect(csvFields('type=match,"pattern=^release\\d{1,2}"', 'tags')).toEqual([
    'type=match',
    'pattern=^release\\d{1,2}',
  ])
})

test('drops blank and comment lines but keeps a # inside a line', () => {
  expect(inputLines('a\n\n# comment\n  b=#1 \n')).toEqual(['a', 'b=#1'])
})
