// A real two-platform OCI layout from buildx, split into one single-platform layout per platform
// for `trivy image --input`: each reads (skopeo) as one image of its architecture, and the split
// writes a few hundred bytes per platform, no blob (hard links by default, a symlinked blobs
// directory as the fallback; both are checked).
import { execFileSync } from 'node:child_process'
import { lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { blobPath } from '../../src/build/oci-layout.js'
import { type PlatformLayout, readLayout, writePlatformLayouts } from '../../src/scan/platform-layouts.js'
import { runTrivy } from '../../src/scan/run-trivy.js'
import { skopeo } from './helpers/exec.js'
import { loadSandboxEnv } from './helpers/sandbox-env.js'
import { buildTwoPlatformLayout } from './helpers/two-platform-layout.js'

const env = loadSandboxEnv()
const FAKE_TRIVY = fileURLToPath(
  new URL('../fake-scanners/trivy-replaying-recorded-reports', import.meta.url),
)
const BUILD_MS = 300_000
const QUICK_MS = 60_000
// The default for every test and hook of this file that names no timeout of its own. Set here, per
// file: jest-circus ignores a project-level testTimeout. Generous, for a loaded 2-core machine.
import.meta.jest.setTimeout(BUILD_MS)
const GO_ARCH: Record<string, string> = { 'linux/amd64': 'amd64', 'linux/arm64': 'arm64' }

let work: string
let layoutDir: string
let outDir: string
let layouts: PlatformLayout[]
let symlinked: PlatformLayout[]
let symlinkDir: string

interface Written {
  /** bytes of regular files that are not one of the original blobs (hard links to them cost nothing) */
  newBytes: number
  newFiles: number
  linkedBlobs: number
  symlinks: number
}

/** What a folder really added to the disk, given the inodes (dev:ino) of the original blobs. */
function written(dir: string, originals: ReadonlySet<string>): Written {
  const total: Written = { newBytes: 0, newFiles: 0, linkedBlobs: 0, symlinks: 0 }
  for (const name of readdirSync(dir)) {
    const entry = path.join(dir, name)
    const stat = lstatSync(entry)
    if (stat.isSymbolicLink()) total.symlinks += 1
    else if (stat.isDirectory()) {
      const inner = written(entry, originals)
      total.newBytes += inner.newBytes
      total.newFiles += inner.newFiles
      total.linkedBlobs += inner.linkedBlobs
      total.symlinks += inner.symlinks
    } else if (originals.has(`${stat.dev}:${stat.ino}`)) total.linkedBlobs += 1
    else {
      total.newBytes += stat.size
      total.newFiles += 1
    }
  }
  return total
}

function blobInodes(layout: string): { inodes: Set<string>; bytes: number } {
  const dir = path.join(layout, 'blobs', 'sha256')
  const inodes = new Set<string>()
  let bytes = 0
  for (const name of readdirSync(dir)) {
    const stat = lstatSync(path.join(dir, name))
    inodes.add(`${stat.dev}:${stat.ino}`)
    bytes += stat.size
  }
  return { inodes, bytes }
}

/** Disk use in bytes of several folders together, as du counts it: a hard-linked file once, symlinks not followed. */
function du(...dirs: string[]): number {
  return Number(
    execFileSync('du', ['-s', '-c', '--block-size=1', ...dirs], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .at(-1)!
      .split('\t')[0],
  )
}

beforeAll(async () => {
  work = mkdtempSync(path.join(os.tmpdir(), 'bsp-e2e-platform-layouts-'))
  layoutDir = await buildTwoPlatformLayout(env, work, 'echo hi > /hi', BUILD_MS)
  outDir = path.join(work, 'platforms')
  layouts = await writePlatformLayouts(layoutDir, outDir)
  symlinkDir = path.join(work, 'platforms-symlinked')
  symlinked = await writePlatformLayouts(layoutDir, symlinkDir, { linkMode: 'symlink' })
}, BUILD_MS)

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true })
})

test(
  'one layout per built platform, each index naming exactly that platform’s manifest',
  async () => {
    const built = await readLayout(layoutDir)
    // buildx adds provenance attestations (unknown/unknown): they must not become "platforms".
    expect(built.attestations.length).toBeGreaterThan(0)
    expect(layouts.map((layout) => layout.platform)).toEqual(['linux/amd64', 'linux/arm64'])
    expect(layouts.map((layout) => layout.linkMode)).toEqual(['hardlink', 'hardlink'])
    for (const layout of [...layouts, ...symlinked]) {
      const index = JSON.parse(readFileSync(path.join(layout.dir, 'index.json'), 'utf8')) as {
        manifests: { digest: string; platform: { os: string; architecture: string } }[]
      }
      expect(index.manifests).toHaveLength(1)
      expect(index.manifests[0]!.digest).toBe(layout.manifestDigest)
      expect(index.manifests[0]!.platform).toEqual({ os: 'linux', architecture: GO_ARCH[layout.platform] })
      const original = built.platforms.find((entry) => entry.platform === layout.platform)!
      expect(layout.manifestDigest).toBe(original.descriptor.digest)
    }
  },
  QUICK_MS,
)

test(
  'skopeo reads each per-platform layout as a single image of its architecture',
  async () => {
    for (const layout of [...layouts, ...symlinked]) {
      const { stdout } = await skopeo(env, ['inspect', `oci:${layout.dir}`])
      const inspected = JSON.parse(stdout) as { Digest: string; Architecture: string; Os: string }
      expect(inspected).toMatchObject({
        Digest: layout.manifestDigest,
        Architecture: GO_ARCH[layout.platform],
        Os: 'linux',
      })
      const raw = JSON.parse((await skopeo(env, ['inspect', '--raw', `oci:${layout.dir}`])).stdout) as {
        mediaType: string
        layers: { digest: string; size: number }[]
      }
      expect(raw.mediaType).toBe('application/vnd.oci.image.manifest.v1+json')
      // Every layer blob is reachable through the symlinked blobs directory, full size.
      for (const layer of raw.layers)
        expect(statSync(path.join(layout.dir, blobPath(layer.digest))).size).toBe(layer.size)
    }
  },
  QUICK_MS,
)

test(
  'the split copies no blob: a few hundred bytes per platform against megabytes of blobs',
  () => {
    const blobs = blobInodes(layoutDir)
    expect(blobs.bytes).toBeGreaterThan(1_000_000) // two busybox layers at least

    // Hard links: per platform, oci-layout and index.json are new; every blob is an original inode.
    const hard = written(outDir, blobs.inodes)
    expect(hard.newFiles).toBe(2 * layouts.length)
    expect(hard.newBytes).toBeLessThan(1024 * layouts.length)
    expect(hard.linkedBlobs).toBeGreaterThanOrEqual(3 * layouts.length) // manifest, config, layer(s)
    expect(hard.symlinks).toBe(0)

    // Symlinks: the same two small files per platform, and one symlink each.
    const soft = written(symlinkDir, blobs.inodes)
    expect(soft).toEqual({
      newBytes: soft.newBytes,
      newFiles: 2 * symlinked.length,
      linkedBlobs: 0,
      symlinks: 2,
    })
    expect(soft.newBytes).toBeLessThan(1024 * symlinked.length)

    // du agrees: counted together with the layout, both folders add a few blocks, not the blobs again.
    const layoutAlone = du(layoutDir)
    expect(du(layoutDir, outDir) - layoutAlone).toBeLessThan(64 * 1024)
    expect(du(layoutDir, symlinkDir) - layoutAlone).toBeLessThan(64 * 1024)
  },
  QUICK_MS,
)

test(
  'the Trivy double scans each real per-platform layout and gets that platform’s report',
  async () => {
    const reports = {
      'linux/amd64': { json: 'trivy/alpine-310.json' },
      'linux/arm64': { json: 'trivy/debian-buster.json' },
    }
    for (const layout of [...layouts, ...symlinked]) {
      const run = await runTrivy({
        trivy: FAKE_TRIVY,
        platform: layout.platform,
        layoutDir: layout.dir,
        outputFile: path.join(work, `${path.basename(layout.dir)}-${layout.linkMode}.json`),
        format: 'json',
        scanners: ['vuln'],
        cacheDir: path.join(work, 'trivy-cache'),
        timeoutSeconds: 60,
        env: { ...process.env, FAKE_TRIVY_REPORTS: JSON.stringify(reports) },
      })
      if (!run.outcome.ok) throw new Error(run.outcome.message)
      expect(run.outcome.counts).toEqual(
        layout.platform === 'linux/amd64'
          ? { CRITICAL: 0, HIGH: 0, MEDIUM: 4, LOW: 0, UNKNOWN: 0 }
          : { CRITICAL: 1, HIGH: 0, MEDIUM: 0, LOW: 1, UNKNOWN: 0 },
      )
    }
  },
  QUICK_MS,
)
