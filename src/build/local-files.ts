import { stat } from 'node:fs/promises'
import path from 'node:path'
import { InputError, errorMessage } from '../action/errors.js'
import type { BuildInputs, KeyValue } from './inputs.js'

/** A path a build input names on the runner's disk, and what it must be. */
export interface LocalPath {
  input: 'context' | 'file' | 'secret-files' | 'build-contexts'
  /** As written: relative paths are relative to the step's working directory, as buildx reads them. */
  path: string
  kind: 'directory' | 'file'
  /** The Dockerfile buildx looks for when `file` is not given: `dockerfile` in lower case also does. */
  defaultDockerfile?: boolean
}

const DOCKERFILE = 'Dockerfile'

/**
 * Whether buildx reads the context over the network rather than from the runner's disk: an HTTP(S)
 * URL, or what BuildKit's ParseGitRef takes for a Git repository (`git://`, `ssh://`, `git@host:…`,
 * `github.com/…`, or `host/path.git[#ref]`).
 */
export function isRemoteContext(context: string): boolean {
  if (/^(?:https?|git|ssh):\/\//i.test(context) || /^git@/.test(context) || context.startsWith('github.com/'))
    return true
  const repository = context.split('#')[0] ?? ''
  return !repository.startsWith('.') && repository.includes('/') && repository.endsWith('.git')
}

/**
 * Whether a `build-contexts` value is read from somewhere other than the runner's disk: an image
 * (`docker-image://`), a URL or Git repository, an OCI layout (`oci-layout://`, checked by buildx),
 * another stage (`target:`).
 */
function isRemoteBuildContext(value: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(value) || value.startsWith('target:') || isRemoteContext(value)
}

/**
 * The local paths the build inputs name, each with the input to blame: the context directory, the
 * Dockerfile (`file`, or the context's own; with a remote context only an absolute `file` is read
 * from the runner, as buildx does), every `secret-files` file and every local `build-contexts`
 * directory.
 */
export function localBuildPaths(inputs: BuildInputs): LocalPath[] {
  const paths: LocalPath[] = []
  const remote = isRemoteContext(inputs.context)
  if (!remote) paths.push({ input: 'context', path: inputs.context, kind: 'directory' })
  if (inputs.file !== '' && (!remote || path.isAbsolute(inputs.file))) {
    paths.push({ input: 'file', path: inputs.file, kind: 'file' })
  } else if (inputs.file === '' && !remote) {
    paths.push({
      input: 'file',
      path: path.join(inputs.context, DOCKERFILE),
      kind: 'file',
      defaultDockerfile: true,
    })
  }
  for (const { value } of inputs.secretFiles) paths.push({ input: 'secret-files', path: value, kind: 'file' })
  for (const { value } of inputs.buildContexts) {
    if (!isRemoteBuildContext(value)) paths.push({ input: 'build-contexts', path: value, kind: 'directory' })
  }
  return paths
}

/**
 * The `secret-envs` entries whose variable is not set in the step's environment: buildx would fail
 * on them only when the build runs, after the login. A variable set to '' (a secret a fork's pull
 * request does not get) is set: the build gets an empty secret, as build-push-action does.
 */
export function unsetSecretEnvs(
  secretEnvs: readonly KeyValue[],
  env: Record<string, string | undefined>,
): KeyValue[] {
  return secretEnvs.filter(({ value }) => env[value] === undefined)
}

/** Fails, naming the input, on the first local path that is missing or of the wrong kind. */
export async function checkLocalBuildPaths(inputs: BuildInputs, cwd: string): Promise<void> {
  for (const local of localBuildPaths(inputs)) {
    const absolute = path.resolve(cwd, local.path)
    let problem = await kindProblem(absolute, local.kind)
    if (problem !== undefined && local.defaultDockerfile) {
      // BuildKit also takes `dockerfile` in lower case (moby/moby#10858).
      const lower = path.join(path.dirname(absolute), DOCKERFILE.toLowerCase())
      if ((await kindProblem(lower, 'file')) === undefined) problem = undefined
      else problem = `the context ${inputs.context} has no Dockerfile (${absolute}); name one in "file"`
    }
    if (problem !== undefined) {
      const detail = local.defaultDockerfile ? problem : `${local.path} (${absolute}) ${problem}`
      throw new InputError(local.input, detail)
    }
  }
}

async function kindProblem(absolute: string, kind: LocalPath['kind']): Promise<string | undefined> {
  try {
    const found = await stat(absolute)
    if (kind === 'directory' && !found.isDirectory()) return 'is not a directory'
    if (kind === 'file' && !found.isFile()) return 'is not a file'
    return undefined
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT'
      ? 'does not exist'
      : `cannot be read: ${errorMessage(error)}`
  }
}
