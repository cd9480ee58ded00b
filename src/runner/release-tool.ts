import { createHash } from 'node:crypto'
import { createReadStream, statSync } from 'node:fs'
import { chmod, mkdir, mkdtemp, readFile, rename, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import * as tc from '@actions/tool-cache'
import { errorMessage } from '../action/errors.js'
import { deadline } from './timeouts.js'
import { firstExecutable, requireTool, runTool, tail } from './tool.js'

/**
 * A tool from its GitHub release (Trivy, Docker Scout, cosign), of exactly the version asked for:
 * the first installed copy if it reports that version, else the runner's tool cache, else the
 * release file, downloaded with @actions/tool-cache and checked against the release's sha256
 * checksums file before it is unpacked or run.
 */

export interface ReleaseTool {
  /** The executable's file name: in a directory searched, at an archive's top level, in the tool cache. */
  executable: string
  /** How the log names the tool: `trivy`, `docker scout`. */
  label: string
  version: string
  /** The release's file for this machine: a .tar.gz holding `executable`, or the bare binary. */
  asset: { name: string; url: string; packing: 'tar.gz' | 'binary' }
  checksums: { name: string; url: string }
  /** The version a copy reports when run (its own `--version`), undefined when it does not say. */
  reportedVersion(binary: string): Promise<string | undefined>
}

export interface InstalledTool {
  /** Absolute path of the executable. */
  binary: string
  version: string
  source: 'installed' | 'tool-cache' | 'download'
}

/** How a release spells the machines it has files for. */
export interface MachineNames {
  linux: string
  darwin: string
  x64: string
  arm64: string
}

/** Go's GOOS/GOARCH, as most goreleaser releases spell them (cosign, Docker Scout). */
export const GO_MACHINE_NAMES: MachineNames = {
  linux: 'linux',
  darwin: 'darwin',
  x64: 'amd64',
  arm64: 'arm64',
}

/** This machine as `names` spells it; machines the release has no file for are refused by name. */
export function releaseMachine(
  label: string,
  names: MachineNames,
  platform: NodeJS.Platform = process.platform,
  arch: string = process.arch,
): { os: string; arch: string } {
  const os = platform === 'linux' || platform === 'darwin' ? names[platform] : undefined
  const cpu = arch === 'x64' || arch === 'arm64' ? names[arch] : undefined
  if (os === undefined || cpu === undefined) {
    throw new Error(
      `${label} is installed for linux and macOS on x64 and arm64 only, not ${platform}/${arch}`,
    )
  }
  return { os, arch: cpu }
}

/**
 * `searchDirs` in the order the program that runs the tool looks (PATH, the docker CLI's plugin
 * directories); an empty entry (the working directory to a shell: here the checkout, which a pull
 * request's author controls) is never searched.
 */
export async function installReleaseTool(
  tool: ReleaseTool,
  searchDirs: readonly string[],
  log: (message: string) => void,
): Promise<InstalledTool> {
  const { version } = tool
  const installed = await findInstalled(tool, searchDirs)
  if (installed !== undefined) {
    log(`Using ${tool.label} ${version} found at ${installed}`)
    return { binary: installed, version, source: 'installed' }
  }
  const cached = tc.find(tool.executable, version)
  if (cached && isFile(path.join(cached, tool.executable))) {
    log(`Using ${tool.label} ${version} from the tool cache`)
    return { binary: path.join(cached, tool.executable), version, source: 'tool-cache' }
  }
  return { binary: await downloadVerified(tool, log), version, source: 'download' }
}

/**
 * The first `executable` in `dirs` (firstExecutable: what a shell, or the docker CLI, would run)
 * when it reports the version, else undefined: one of another version means download ours.
 */
async function findInstalled(tool: ReleaseTool, dirs: readonly string[]): Promise<string | undefined> {
  const candidate = firstExecutable(dirs, tool.executable)
  if (candidate === undefined) return undefined
  return (await tool.reportedVersion(candidate)) === tool.version ? candidate : undefined
}

/** The release file checked against its sha256, then unpacked, asked its version and cached: the cached executable. */
async function downloadVerified(tool: ReleaseTool, log: (message: string) => void): Promise<string> {
  const { asset, checksums, executable, version } = tool
  const work = await mkdtemp(path.join(process.env.RUNNER_TEMP || os.tmpdir(), `${executable}-download-`))
  try {
    const checksumsFile = await download(checksums.url, path.join(work, checksums.name))
    const expected = expectedSha256(await readFile(checksumsFile, 'utf8'), asset.name, checksums.name)
    const file = await download(asset.url, path.join(work, asset.name))
    const actual = await sha256OfFile(file)
    if (actual !== expected) {
      throw new Error(
        `Refusing ${asset.name}: its sha256 is ${actual}, but ${checksums.name} says ${expected} ` +
          `(downloaded from ${asset.url}); the file is damaged or not the release`,
      )
    }
    const dir = path.join(work, 'unpacked')
    if (asset.packing === 'tar.gz') await unpack(file, dir, asset.name)
    else await placeBinary(file, dir, executable)
    const binary = path.join(dir, executable)
    if (!isFile(binary)) throw new Error(`${asset.name} holds no ${executable} executable at its top level`)
    const reported = await tool.reportedVersion(binary)
    if (reported !== version) {
      const which = asset.packing === 'binary' ? asset.name : `${asset.name} holds a ${executable} that`
      throw new Error(`${which} reports version ${reported ?? 'unknown'}, not ${version}`)
    }
    const toolDir = await tc.cacheDir(dir, executable, version)
    log(`Installed ${tool.label} ${version} from ${asset.url} (sha256 ${actual})`)
    return path.join(toolDir, executable)
  } finally {
    await rm(work, { recursive: true, force: true })
  }
}

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

function sha256OfFile(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256')
    createReadStream(file)
      .on('error', reject)
      .on('data', (chunk) => hash.update(chunk))
      .on('end', () => resolve(hash.digest('hex')))
  })
}

async function download(url: string, dest: string): Promise<string> {
  try {
    return await tc.downloadTool(url, dest)
  } catch (error) {
    const status =
      error instanceof tc.HTTPError ? `HTTP ${String(error.httpStatusCode)}` : errorMessage(error)
    throw new Error(`Cannot download ${url}: ${status}`, { cause: error })
  }
}

// Our own tar rather than tc.extractTar, which runs tar with the whole step environment.
async function unpack(archive: string, dir: string, asset: string): Promise<void> {
  await mkdir(dir, { recursive: true })
  const tar = await requireTool('tar')
  const result = await runTool(tar, ['-xzf', archive, '-C', dir], {
    silent: true,
    deadline: deadline('unpack', `tar -xzf ${asset}`),
  })
  if (result.exitCode !== 0) throw new Error(`Could not unpack ${asset}: ${tail(result.stderr)}`)
}

/** A bare release binary, made executable under its own name in a directory of its own. */
async function placeBinary(file: string, dir: string, executable: string): Promise<void> {
  await mkdir(dir, { recursive: true })
  const binary = path.join(dir, executable)
  await rename(file, binary)
  await chmod(binary, 0o755)
}

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile()
  } catch {
    return false
  }
}
