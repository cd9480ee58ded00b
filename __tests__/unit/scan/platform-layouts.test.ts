import {
  lstatSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  platformBlobDigests,
  platformDirName,
  platformLayoutIndex,
  readLayout,
  writePlatformLayouts,
} from '../../../src/scan/platform-layouts.js'
import { type SyntheticLayout, writeSyntheticLayout } from './synthetic-layout.js'

// Layouts buildx wrote, recorded by the build tests (manifest and config blobs only; layers left out).
const OCI = fileURLToPath(new URL('../build/fixtures/oci/', import.meta.url))
const MULTI = path.join(OCI, 'multi-platform')
const SINGLE = path.join(OCI, 'single-platform')
const SINGLE_PROVENANCE = path.join(OCI, 'single-platform-provenance')

let out: string
beforeEach(() => {
  out = mkdtempSync(path.join(os.tmpdir(), 'bsp-platform-layouts-'))
})
afterEach(() => rmSync(out, { recursive: true, force: true }))

const readJson = (file: string): unknown => JSON.parse(readFileSync(file, 'utf8'))

describe('platformLayoutIndex', () => {
  test('a two-platform build with provenance: one index per real platform, attestations left out', async () => {
    const image = await readLayout(MULTI)
    expect(image.platforms.map((entry) => entry.platform)).toEqual(['linux/amd64', 'linux/arm64'])
    expect(image.attestations).toHaveLength(2)
    expect(platformLayoutIndex(image.platforms[0]!)).toEqual({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: [
        {
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          digest: 'sha256:714247b1ce2fbd2aeab300505fa7083f5d773270a6fe481775dac15fe63327a4',
          size: 858,
          platform: { architecture: 'amd64', os: 'linux' },
        },
      ],
    })
    expect(platformLayoutIndex(image.platforms[1]!)).toMatchObject({
      manifests: [
        {
          digest: 'sha256:b555572e89418c4f4e97c24a0c82b451d351e4482ed7418da4e94a26fb7f590b',
          platform: { architecture: 'arm64', os: 'linux' },
        },
      ],
    })
  })

  test("a single-platform build (plain manifest in index.json) keeps its platform but not the build's tag", async () => {
    const image = await readLayout(SINGLE)
    expect(image.platforms).toHaveLength(1)
    const index = platformLayoutIndex(image.platforms[0]!) as { manifests: Record<string, unknown>[] }
    expect(index.manifests).toEqual([
      {
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        digest: 'sha256:714247b1ce2fbd2aeab300505fa7083f5d773270a6fe481775dac15fe63327a4',
        size: 858,
        platform: { architecture: 'amd64', os: 'linux' },
        annotations: { 'org.opencontainers.image.created': '2026-11-23T10:26:02Z' },
      },
    ])
  })

  test('a one-platform build with provenance is an index of one platform and its attestation', async () => {
    const image = await readLayout(SINGLE_PROVENANCE)
    expect(image.platforms.map((entry) => entry.platform)).toEqual(['linux/arm64'])
    expect(platformLayoutIndex(image.platforms[0]!)).toMatchObject({
      manifests: [{ digest: 'sha256:962d4497629a405a4a043ee5b6c7f163b925569308151cc1d505bdf27dd91dd2' }],
    })
  })

  test('a platform known only from the image config gets a platform object from its string', () => {
    const index = platformLayoutIndex({
      platform: 'linux/arm/v7',
      descriptor: { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: 'sha256:ab', size: 1 },
    }) as { manifests: { platform: unknown }[] }
    expect(index.manifests[0]!.platform).toEqual({ os: 'linux', architecture: 'arm', variant: 'v7' })
  })

  test('directory names have no ":" or "@" (Trivy reads them as a tag)', () => {
    expect(platformDirName('linux/arm64/v8')).toBe('linux-arm64-v8')
    expect(platformDirName('linux/amd64')).toBe('linux-amd64')
  })
})

describe('platformBlobDigests', () => {
  test('manifest, config and layers of a recorded manifest, in order', () => {
    const manifest = readJson(
      path.join(MULTI, 'blobs/sha256/714247b1ce2fbd2aeab300505fa7083f5d773270a6fe481775dac15fe63327a4'),
    ) as { config: { digest: string }; layers: { digest: string }[] }
    expect(
      platformBlobDigests(
        'sha256:714247b1ce2fbd2aeab300505fa7083f5d773270a6fe481775dac15fe63327a4',
        manifest,
      ),
    ).toEqual([
      'sha256:714247b1ce2fbd2aeab300505fa7083f5d773270a6fe481775dac15fe63327a4',
      manifest.config.digest,
      ...manifest.layers.map((layer) => layer.digest),
    ])
  })

  test('a manifest without a config digest is refused', () => {
    expect(() => platformBlobDigests('sha256:ab', { layers: [] })).toThrow('lacks a config or layer digest')
  })
})

describe('writePlatformLayouts', () => {
  let layout: SyntheticLayout
  beforeEach(() => {
    layout = writeSyntheticLayout(path.join(out, 'layout'))
  })

  const inode = (file: string): string => {
    const stat = lstatSync(file)
    return `${stat.dev}:${stat.ino}`
  }

  test('one layout per platform, holding hard links to exactly that platform’s blobs', async () => {
    const layouts = await writePlatformLayouts(layout.dir, path.join(out, 'platforms'))
    expect(layouts).toEqual(
      ['linux/amd64', 'linux/arm64'].map((platform) => ({
        platform,
        manifestDigest: layout.platforms[platform]!.manifest,
        dir: path.join(out, 'platforms', platform.replace('/', '-')),
        linkMode: 'hardlink',
      })),
    )
    for (const entry of layouts) {
      expect(readdirSync(entry.dir).sort()).toEqual(['blobs', 'index.json', 'oci-layout'])
      expect(readJson(path.join(entry.dir, 'oci-layout'))).toEqual({ imageLayoutVersion: '1.0.0' })
      const wanted = layout.platforms[entry.platform]!.blobs
      expect(readdirSync(path.join(entry.dir, 'blobs', 'sha256')).sort()).toEqual(
        wanted.map((digest) => digest.slice(7)).sort(),
      )
      for (const digest of wanted) {
        const linked = path.join(entry.dir, 'blobs', 'sha256', digest.slice(7))
        expect(lstatSync(linked).isFile()).toBe(true) // a plain file to readers, not a symlink
        expect(inode(linked)).toBe(inode(path.join(layout.dir, 'blobs', 'sha256', digest.slice(7))))
      }
      // Read back as a layout: exactly the one platform.
      const again = await readLayout(entry.dir)
      expect(again.kind).toBe('manifest')
      expect(again.platforms.map((platform) => platform.platform)).toEqual([entry.platform])
      expect(again.digest).toBe(entry.manifestDigest)
    }
  })

  test('symlink mode: blobs is one symlink to the original blobs directory', async () => {
    const layouts = await writePlatformLayouts(layout.dir, path.join(out, 'platforms'), {
      linkMode: 'symlink',
    })
    for (const entry of layouts) {
      expect(entry.linkMode).toBe('symlink')
      expect(lstatSync(path.join(entry.dir, 'blobs')).isSymbolicLink()).toBe(true)
      expect(readlinkSync(path.join(entry.dir, 'blobs'))).toBe(realpathSync(path.join(layout.dir, 'blobs')))
      expect((await readLayout(entry.dir)).platforms.map((platform) => platform.platform)).toEqual([
        entry.platform,
      ])
    }
  })

  test('where hard links fail (another file system) auto mode falls back to a symlink', async () => {
    const exdev = async (): Promise<void> => {
      throw Object.assign(new Error('EXDEV: cross-device link not permitted'), { code: 'EXDEV' })
    }
    const layouts = await writePlatformLayouts(layout.dir, path.join(out, 'platforms'), { hardLink: exdev })
    expect(layouts.map((entry) => entry.linkMode)).toEqual(['symlink', 'symlink'])
    expect(lstatSync(path.join(layouts[0]!.dir, 'blobs')).isSymbolicLink()).toBe(true)
    // Asked for hard links explicitly, the failure is reported instead.
    await expect(
      writePlatformLayouts(layout.dir, path.join(out, 'platforms'), {
        linkMode: 'hardlink',
        hardLink: exdev,
      }),
    ).rejects.toThrow('EXDEV')
  })

  test('a layout without the blobs of a platform is refused, naming the blob (recorded layouts hold manifests only)', async () => {
    await expect(writePlatformLayouts(MULTI, path.join(out, 'platforms'))).rejects.toThrow(
      /blob sha256:a62135ed7a482f34d12ccaee43fbf85c8e868f48b377d2ab964012b93c61763f of linux\/amd64 is not in/,
    )
  })

  test('a manifest whose bytes do not match its digest is refused', async () => {
    const manifest = path.join(
      layout.dir,
      'blobs',
      'sha256',
      layout.platforms['linux/arm64']!.manifest.slice(7),
    )
    const index = (await readLayout(layout.dir)).platforms
    expect(index).toHaveLength(2)
    writeFileSync(manifest, readFileSync(manifest, 'utf8').replace('"layers"', '"layers" '))
    await expect(writePlatformLayouts(layout.dir, path.join(out, 'platforms'))).rejects.toThrow(
      'does not match its digest',
    )
  })

  test('empties the output folder first, so no stale platform stays', async () => {
    await writePlatformLayouts(layout.dir, path.join(out, 'platforms'))
    const single = writeSyntheticLayout(path.join(out, 'single'), ['linux/arm64/v8'])
    const layouts = await writePlatformLayouts(single.dir, path.join(out, 'platforms'))
    expect(readdirSync(path.join(out, 'platforms'))).toEqual(['linux-arm64-v8'])
    expect(layouts.map((entry) => entry.platform)).toEqual(['linux/arm64/v8'])
  })

  test('refuses an output path Trivy would split at ":"', async () => {
    await expect(writePlatformLayouts(layout.dir, path.join(out, 'a:b'))).rejects.toThrow('":" and "@"')
  })
})
