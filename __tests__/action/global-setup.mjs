// @ts-check
// The `action` project runs a bundle of the current src/ (see current-bundle.mjs).
import { provideCurrentBundle } from './current-bundle.mjs'

export default async function globalSetup() {
  await provideCurrentBundle()
}
