import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import * as tc from '@actions/tool-cache'
import { errorMessage } from '../action/errors.js'
import { deadline } from './timeouts.js'
import { requireTool, runTool, tail } from './tool.js'

/**
 * Fetching a tool from its GitHub release (Trivy, Docker Scout, cosign): download with
 * @actions/tool-cache, check against the release's sha256 checksums file, unpack with our own tar.
 */

/** The sha256 the checksums file gives for `fileName`; sha256sum's `*name` (binary mode) is accepted too. */
export function expectedSha256(
  checksums: string,
  fileName: string,
  checksumsName = 'the checksums file',
): string {
  const found: string[] = []
  for (const line of checksums.split(/\r?\n/)) {
    const match = /^([0-9a-fA-F]{64})\s+\*?(\S.*?)\s*$/.exec(line)
    if (match?.[2] === fileName && match[1] !== undefined) found.push(match[1].toLowerCase())
  }
  const [first] = found
  if (first === undefined) throw new Error(`${checksumsName} has no sha256 for ${fileName}`)
  if (new Set(found).size > 1) {
    throw new Error(`${checksumsName} gives conflicting sha256 values for ${fileName}`)
  }
  return first
}

export function sha256OfFile(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256')
    createReadStream(file)
      .on('error', reject)
      .on('data', (chunk) => hash.update(chunk))
      .on('end', () => resolve(hash.digest('hex')))
  })
}

export async function download(url: string, dest: string): Promise<string> {
  try {
    return await tc.downloadTool(url, dest)
  } catch (error) {
    const status =
      error instanceof tc.HTTPError ? `HTTP ${String(error.httpStatusCode)}` : errorMessage(error)
    throw new Error(`Cannot download ${url}: ${status}`, { cause: error })
  }
}

// Our own tar rather than tc.extractTar, which runs tar with the whole step environment.
export async function unpack(archive: string, dir: string, asset: string): Promise<string> {
  await mkdir(dir, { recursive: true })
  const tar = await requireTool('tar')
  const result = await runTool(tar, ['-xzf', archive, '-C', dir], {
    silent: true,
    deadline: deadline('unpack', `tar -xzf ${asset}`),
  })
  if (result.exitCode !== 0) throw new Error(`Could not unpack ${asset}: ${tail(result.stderr)}`)
  return dir
}
