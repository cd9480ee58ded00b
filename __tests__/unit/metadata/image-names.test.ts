// The images input and the push side read names with one grammar (parseImageReference).
import { parseImageReference } from '../../../src/metadata/image-reference.js'
import { parseImages } from '../../../src/metadata/index.js'

test.each(['ghcr.io/acme/app', 'localhost:5000/e2e/app', '[::1]:5000/app', 'alpine', 'acme/app'])(
  '%s is an image name for both the metadata engine and the push side',
  (name) => {
    expect(parseImages(name)).toEqual([{ name, enable: true }])
    expect(parseImageReference(name).name).toBe(name)
  },
)

test.each(['localhost:70000/app', 'my_host:5000/app', 'ghcr.io/acme/-app'])(
  '%s is refused by both',
  (name) => {
    expect(() => parseImages(name)).toThrow(/^Input "images": line 1 .*is not a valid image name/)
    expect(() => parseImageReference(name)).toThrow(/^Input "images"/)
  },
)

test('a tag in the images input is named as such', () => {
  expect(() => parseImages('ghcr.io/acme/app:1.0')).toThrow('carries a tag or digest')
})
