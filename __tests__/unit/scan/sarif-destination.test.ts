// The SARIF file is the one file the action writes where the workflow says: it must stay under the
// workspace or RUNNER_TEMP, after ".." and symbolic links.
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { checkSarifDestination, isInside, realDestination } from '../../../src/scan/sarif-destination.js'

let work: string
let roots: { workspace: string; runnerTemp: string }
let outside: string

beforeAll(() => {
  // realpath: the system's temporary directory may itself be a link (macOS /var → /private/var).
  work = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'bsp-sarif-')))
  roots = { workspace: path.join(work, 'workspace'), runnerTemp: path.join(work, 'runner-temp') }
  outside = path.join(work, 'outside')
  for (const dir of [roots.workspace, roots.runnerTemp, outside]) mkdirSync(dir)
  symlinkSync(outside, path.join(roots.workspace, 'linked-out'))
  writeFileSync(path.join(outside, 'target.sarif'), '')
  symlinkSync(path.join(outside, 'target.sarif'), path.join(roots.workspace, 'file-link.sarif'))
  mkdirSync(path.join(roots.workspace, 'reports'))
})
afterAll(() => rmSync(work, { recursive: true, force: true }))

test.each([
  ['/w/a.sarif', '/w', true],
  ['/w/sub/a.sarif', '/w', true],
  ['/w/..a.sarif', '/w', true],
  ['/w', '/w', false],
  ['/work/a.sarif', '/w', false],
  ['/a.sarif', '/w', false],
])('isInside(%j, %j) is %s', (file, root, inside) => {
  expect(isInside(file, root)).toBe(inside)
})

test('realDestination resolves links in the part that exists and keeps the rest', async () => {
  expect(await realDestination(path.join(roots.workspace, 'linked-out', 'new', 'x.sarif'))).toBe(
    path.join(outside, 'new', 'x.sarif'),
  )
  expect(await realDestination(path.join(roots.workspace, 'file-link.sarif'))).toBe(
    path.join(outside, 'target.sarif'),
  )
})

test.each([
  [{}, 'runner-temp/build-scan-push/trivy-results.sarif'],
  [{ path: 'scan.sarif' }, 'workspace/scan.sarif'],
  [{ path: 'reports/new/scan.sarif' }, 'workspace/reports/new/scan.sarif'],
  [{ path: '../runner-temp/scan.sarif' }, 'runner-temp/scan.sarif'],
])('%o is written under the workspace or RUNNER_TEMP', async (sarif, where) => {
  expect(await checkSarifDestination(sarif, roots)).toBe(path.join(work, where))
})

test.each([
  ['../../../../tmp/x/owned.sarif'],
  ['../outside/owned.sarif'],
  ['/etc/owned.sarif'],
  ['linked-out/owned.sarif'],
  ['file-link.sarif'],
])('sarif %j leaves them: an InputError naming sarif, before anything runs', async (file) => {
  await expect(checkSarifDestination({ path: file }, roots)).rejects.toThrow(
    new RegExp(
      `^Input "sarif": ${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} resolves to .*, outside the workspace`,
    ),
  )
})

test('a directory is not a SARIF file', async () => {
  await expect(checkSarifDestination({ path: 'reports' }, roots)).rejects.toThrow(
    `Input "sarif": reports (${path.join(roots.workspace, 'reports')}) is a directory; name a file`,
  )
})
