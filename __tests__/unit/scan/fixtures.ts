import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..')

/** Scanner reports copied byte for byte from upstream; PROVENANCE.md there states their counts. */
export const FIXTURES = path.resolve(repoRoot, '__tests__/fixtures/scanners')

export function fixture(name: string): string {
  return readFileSync(path.join(FIXTURES, name), 'utf8')
}

/**
 * Every report file under FIXTURES (not the licence beside them, nor the CycloneDX SBOM, which is
 * no report the gate reads), as `trivy/alpine-310.json`.
 */
export function fixtureNames(): string[] {
  return readdirSync(path.join(FIXTURES, 'trivy'))
    .filter((file) => /\.(json|sarif)$/.test(file) && !file.endsWith('.cdx.json'))
    .map((file) => `trivy/${file}`)
}
