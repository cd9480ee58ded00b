// Reads the env file that `scripts/sandbox.sh up` writes (.sandbox/env), as typed settings.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url))
export const sandboxScript = path.join(repoRoot, 'scripts', 'sandbox.sh')

export interface RegistryEndpoint {
  /** host:port as image references name it, e.g. localhost:5000 */
  readonly host: string
  readonly user: string
  readonly password: string
  readonly tls: boolean
  /** PEM of the CA that signed the registry's certificate (TLS registry only) */
  readonly caPem?: string
  /** directory holding ca.crt, for skopeo --dest-cert-dir / --src-cert-dir (TLS registry only) */
  readonly certDir?: string
}

export interface SandboxEnv {
  /** unix:// address of the sandbox engine */
  readonly dockerHost: string
  /** DOCKER_CONFIG with buildx in cli-plugins/ and auths for both registries */
  readonly dockerConfig: string
  /** docker client binary */
  readonly docker: string
  readonly skopeo: string
  /** docker config.json with both registries' credentials, for skopeo --authfile */
  readonly authFile: string
  /** unix:// address of the sandbox's second engine, on the classic image store (as GitHub's runners) */
  readonly classicDockerHost: string
  readonly platforms: readonly string[]
  readonly plain: RegistryEndpoint
  readonly tls: RegistryEndpoint
  /** multi-arch busybox base image in the plain registry, for FROM lines */
  readonly baseImage: string
  readonly baseDigest: string
  /** cosign 2.5.0 from Debian trixie (it reports its version as "devel"), for signing tests */
  readonly cosign: string
}

export function envFilePath(): string {
  return process.env.SANDBOX_ENV_FILE ?? path.join(repoRoot, '.sandbox', 'env')
}

const LINE = /^export ([A-Z][A-Z0-9_]*)='([^']*)'$/

/** Parses the `export KEY='value'` lines sandbox.sh writes; anything else but comments is an error. */
export function parseEnvFile(text: string): Record<string, string> {
  const vars: Record<string, string> = {}
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim()
    if (line === '' || line.startsWith('#')) return
    const m = LINE.exec(line)
    if (!m || m[1] === undefined || m[2] === undefined) {
      throw new Error(`sandbox env file line ${i + 1} is not of the form export KEY='value'`)
    }
    vars[m[1]] = m[2]
  })
  return vars
}

export function loadSandboxEnv(file: string = envFilePath()): SandboxEnv {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (err) {
    throw new Error(
      `cannot read the sandbox env file ${file} (${(err as Error).message}); start the sandbox with: sudo scripts/sandbox.sh up`,
      { cause: err },
    )
  }
  const vars = parseEnvFile(text)
  const get = (key: string): string => {
    const value = vars[key]
    if (value === undefined || value === '') throw new Error(`sandbox env file ${file} has no ${key}`)
    return value
  }
  const tlsCa = get('SANDBOX_TLS_CA')
  return {
    dockerHost: get('DOCKER_HOST'),
    dockerConfig: get('DOCKER_CONFIG'),
    docker: get('SANDBOX_DOCKER'),
    skopeo: get('SANDBOX_SKOPEO'),
    authFile: get('SANDBOX_AUTHFILE'),
    classicDockerHost: get('SANDBOX_CLASSIC_DOCKER_HOST'),
    platforms: get('SANDBOX_PLATFORMS').split(','),
    plain: {
      host: get('SANDBOX_PLAIN_REGISTRY'),
      user: get('SANDBOX_PLAIN_USER'),
      password: get('SANDBOX_PLAIN_PASSWORD'),
      tls: false,
    },
    tls: {
      host: get('SANDBOX_TLS_REGISTRY'),
      user: get('SANDBOX_TLS_USER'),
      password: get('SANDBOX_TLS_PASSWORD'),
      tls: true,
      caPem: readFileSync(tlsCa, 'utf8'),
      certDir: get('SANDBOX_TLS_CERT_DIR'),
    },
    baseImage: get('SANDBOX_BASE_IMAGE'),
    baseDigest: get('SANDBOX_BASE_DIGEST'),
    cosign: get('SANDBOX_COSIGN'),
  }
}

/** Environment for child processes that must talk to the sandbox engine, not any other Docker. */
export function sandboxProcessEnv(env: SandboxEnv, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { ...process.env, DOCKER_HOST: env.dockerHost, DOCKER_CONFIG: env.dockerConfig, ...extra }
}
