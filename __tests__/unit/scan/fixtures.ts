import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..')

/** Scanner reports copied byte for byte from upstream; PROVENANCE.md there states their counts. */
export const FIXTURES = path.resolve(repoRoot, '__tests__/fixtures/scanners')

export function fixture(name: string): string {
  return readFileSync(path.join(FIXTURES, name), 'utf8')
}

/** Every report file under FIXTURES (not the licence beside them), as `trivy/alpine-310.json`. */
export function fixtureNames(): string[] {
  return readdirSync(path.join(FIXTURES, 'trivy'))
    .filter((file) => /\.(json|sarif)$/.test(file))
    .map((file) => `trivy/${file}`)
}
