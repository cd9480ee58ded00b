// The sandbox's cosign (Debian trixie's 2.5.0, extracted by sandbox.sh) for signing tests: a key
// pair, the runner tool cache the action installs cosign from, and cosign run as a user would.
import { execFile } from 'node:child_process'
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import type { SandboxEnv } from './sandbox-env.js'

const run = promisify(execFile)

// Debian's cosign reports "devel", not 2.5.0, so the action would not take it from PATH: it is
// put in the runner's tool cache as 2.5.0, where @actions/tool-cache finds an installed release.
export const COSIGN_VERSION = '2.5.0'

export interface CosignKit {
  /** The encrypted private key, as a user stores it in a secret. */
  keyPem: string
  /** The path of the public key, for `cosign verify --key`. */
  publicKey: string
  /** A RUNNER_TOOL_CACHE holding the sandbox's cosign as COSIGN_VERSION. */
  toolCache: string
}

/** Generates a key pair under `work` with `password` and caches the sandbox's cosign there. */
export async function cosignKit(env: SandboxEnv, work: string, password: string): Promise<CosignKit> {
  const keys = path.join(work, 'keys')
  mkdirSync(keys)
  await run(env.cosign, ['generate-key-pair'], {
    cwd: keys,
    env: { ...process.env, COSIGN_PASSWORD: password },
  })
  const toolCache = path.join(work, 'tool-cache')
  const cached = path.join(toolCache, 'cosign', COSIGN_VERSION, os.arch())
  mkdirSync(cached, { recursive: true })
  copyFileSync(env.cosign, path.join(cached, 'cosign'))
  writeFileSync(`${cached}.complete`, '')
  return {
    keyPem: readFileSync(path.join(keys, 'cosign.key'), 'utf8'),
    publicKey: path.join(keys, 'cosign.pub'),
    toolCache,
  }
}

/** Runs cosign with the sandbox's logins; resolves to its exit code and output. */
export async function runCosign(
  env: SandboxEnv,
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(env.cosign, args, {
      env: { ...process.env, DOCKER_CONFIG: env.dockerConfig },
      maxBuffer: 64 * 1024 * 1024,
    })
    return { code: 0, stdout, stderr }
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string }
    return { code: failed.code ?? 1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' }
  }
}

/** A `verify-commands` output, each line as argv with the public key's path for `cosign.pub`. */
export function verifyArgvs(commands: string, publicKey: string): string[][] {
  return commands
    .split('\n')
    .map((line) => line.split(' ').map((arg) => (arg === 'cosign.pub' ? publicKey : arg)))
}

/** The secrets a key-based signing run must never show: the password and every line of the key. */
export function keySecrets(keyPem: string, password: string): string[] {
  return [password, ...keyPem.split('\n').filter((line) => line.trim() !== '' && !line.startsWith('-----'))]
}
