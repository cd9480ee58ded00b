import { InputError } from '../action/errors.js'

// buildx's builder names (store/util.go: ^[a-zA-Z][a-zA-Z0-9._-]*$) and docker's context names,
// which buildx also takes as builders (cli/context/store: ^[a-zA-Z0-9][a-zA-Z0-9_.+-]+$).
const BUILDER_NAME = /^[A-Za-z0-9][A-Za-z0-9_.+-]*$/

/**
 * The `builder` input: '' (the default builder) or a name buildx could know. Anything else, such as
 * `--help`, reaches buildx as an option: the builder probe would exit 0 and the build would run
 * with some other meaning, after the login.
 */
export function checkBuilderName(text: string): string {
  if (text === '' || BUILDER_NAME.test(text)) return text
  throw new InputError(
    'builder',
    `"${text}" is not a builder name (a letter or digit, then letters, digits, ".", "_", "-" or "+")`,
  )
}
