import { runInNewContext } from 'node:vm'
import { errorMessage, InputError } from '../../../src/action/errors.js'

test('an input error names the input', () => {
  expect(new InputError('tags', 'bad').message).toBe('Input "tags": bad')
})

test('errorMessage reads the message of errors, also from another realm, and stringifies the rest', () => {
  expect(errorMessage(new Error('boom'))).toBe('boom')
  const foreign: unknown = runInNewContext('new Error("from elsewhere")')
  expect(foreign instanceof Error).toBe(false)
  expect(errorMessage(foreign)).toBe('from elsewhere')
  expect(errorMessage('plain')).toBe('plain')
  expect(errorMessage(null)).toBe('null')
})
