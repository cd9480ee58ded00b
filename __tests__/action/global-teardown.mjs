// @ts-check
import { removeCurrentBundle } from './current-bundle.mjs'

export default async function globalTeardown() {
  await removeCurrentBundle()
}
