import * as core from '@actions/core'
import { copyFile, mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { info } from '../action/log.js'
import type { TaggedImage } from '../metadata/image-reference.js'
import { deadline } from '../runner/timeouts.js'
import { requireTool, runTool, tail } from '../runner/tool.js'

/**
 * Why the built image cannot be loaded into the engine, if it cannot: the classic image store
 * holds one platform per name, so only the containerd image store takes a multi-platform index.
 */
export function loadProblem(platforms: number, containerdStore: boolean): string | undefined {
  if (platforms <= 1 || containerdStore) return undefined
  return (
    `Input "load": the engine has the classic image store, which cannot hold a ${platforms}-platform image. ` +
    'Build one platform, or turn on the containerd image store.'
  )
}

/**
 * The `index.json` of a layout `docker load` tags as every reference: one entry per name, all
 * pointing at the image built. Only this file differs from the pushed layout; the image index
 * blob, and so the digest, is the same.
 */
export function loadIndexJson(layoutIndexJson: unknown, references: TaggedImage[]): string {
  const layout = layoutIndexJson as { schemaVersion: number; manifests: Array<Record<string, unknown>> }
  const top = layout.manifests[0]
  if (!top) throw new Error('OCI layout: index.json names no image')
  const manifests = references.map(({ reference, tag }) => ({
    ...top,
    annotations: { 'io.containerd.image.name': reference, 'org.opencontainers.image.ref.name': tag },
  }))
  return `${JSON.stringify({ ...layout, manifests })}\n`
}

/** `docker load` of the layout built (no rebuild), named as every computed reference. */
export async function loadImage(
  docker: string,
  layoutDir: string,
  workDir: string,
  references: TaggedImage[],
): Promise<void> {
  if (references.length === 0) {
    core.warning('Input "load": no image reference was computed, so there is no name to load the image as')
    return
  }
  const tar = await requireTool('tar')
  const dir = join(workDir, 'load')
  const archive = join(workDir, 'load.tar')
  await mkdir(dir)
  await symlink(join(layoutDir, 'blobs'), join(dir, 'blobs'))
  await copyFile(join(layoutDir, 'oci-layout'), join(dir, 'oci-layout'))
  const index = JSON.parse(await readFile(join(layoutDir, 'index.json'), 'utf8')) as unknown
  await writeFile(join(dir, 'index.json'), loadIndexJson(index, references))
  try {
    // -h: the archive holds the blobs themselves, not the link to them.
    const packed = await runTool(tar, ['-C', dir, '-chf', archive, '.'], {
      silent: true,
      deadline: deadline('load', 'tar of the OCI layout for docker load'),
    })
    if (packed.exitCode !== 0) throw new Error(`tar of the OCI layout failed: ${tail(packed.stderr)}`)
    const loaded = await runTool(docker, ['load', '--input', archive], {
      deadline: deadline('load', 'docker load'),
    })
    if (loaded.exitCode !== 0) throw new Error(`docker load failed: ${tail(loaded.stderr)}`)
    info(`Loaded into the engine as ${references.map((image) => image.reference).join(', ')}`)
  } finally {
    await rm(dir, { recursive: true, force: true })
    await rm(archive, { force: true })
  }
}
