import type { WorkflowContext } from '../github/context.js'
import { parseBoolean } from '../action/input-list.js'
import { GHA_CACHE_ENV } from '../runner/child-env.js'
import { csvFieldsOf, isBoolean, type BuildInputs } from './inputs.js'

/** What the run adds around the inputs: where the build goes, and what the metadata engine computed. */
export interface BuildxRun {
  /** The OCI layout directory buildx writes (`--output type=oci,dest=…,tar=false`). */
  ociDir: string
  metadataFile: string
  /** For every `secrets` id, the file the caller wrote its value to (mode 0600, removed afterwards). */
  secretFiles: Record<string, string>
  /** `key=value` labels from the metadata engine. */
  labels: string[]
  /** `[level:]key=value` annotations from the metadata engine. */
  annotations: string[]
  /** The provenance builder id: the workflow run's URL (see `workflowRunUrl`). */
  builderId: string
  /** Private repositories get build-push-action's minimal default provenance, public ones `mode=max`. */
  privateRepository: boolean
  /** false when BUILDX_NO_DEFAULT_ATTESTATIONS is set: then no provenance unless asked for. */
  defaultAttestations: boolean
}

/**
 * buildx's arguments for the build (`build …`): an array, never a shell string, so no value is
 * ever re-read by a shell. Secret values never appear: only their ids and file paths.
 */
export function buildxBuildArgs(inputs: BuildInputs, run: BuildxRun): string[] {
  const args = ['build']
  if (inputs.builder) args.push('--builder', inputs.builder)
  if (inputs.file) args.push('--file', inputs.file)
  if (inputs.target) args.push('--target', inputs.target)
  if (inputs.platforms.length > 0) args.push('--platform', inputs.platforms.join(','))
  for (const { key, value } of inputs.buildArgs) args.push('--build-arg', `${key}=${value}`)
  for (const { key, value } of inputs.buildContexts) args.push('--build-context', `${key}=${value}`)
  for (const label of run.labels) args.push('--label', label)
  for (const annotation of run.annotations) args.push('--annotation', annotation)
  for (const secret of inputs.secrets) {
    const file = run.secretFiles[secret.id]
    if (file === undefined) throw new Error(`no file was written for build secret "${secret.id}"`)
    args.push('--secret', csvJoin([`id=${secret.id}`, `src=${file}`]))
  }
  for (const { key, value } of inputs.secretFiles)
    args.push('--secret', csvJoin([`id=${key}`, `src=${value}`]))
  for (const { key, value } of inputs.secretEnvs)
    args.push('--secret', csvJoin([`id=${key}`, `env=${value}`]))
  for (const cache of inputs.cacheFrom) args.push('--cache-from', cache)
  for (const cache of inputs.cacheTo) args.push('--cache-to', cache)
  for (const attest of attestArgs(inputs, run)) args.push('--attest', attest)
  if (inputs.pull) args.push('--pull')
  if (inputs.noCache) args.push('--no-cache')
  if (inputs.network) args.push('--network', inputs.network)
  if (inputs.shmSize) args.push('--shm-size', inputs.shmSize)
  for (const limit of inputs.ulimits) args.push('--ulimit', limit)
  args.push('--output', csvJoin(['type=oci', `dest=${run.ociDir}`, 'tar=false']))
  args.push('--metadata-file', run.metadataFile)
  args.push(inputs.context)
  return args
}

/**
 * The variables `docker buildx build` gets from the step's environment by name, although childEnv
 * withholds them from children: the ones `secret-envs` names (buildx reads each `env=NAME` from
 * its own environment), and the four buildx reads for a `type=gha` cache (GHA_CACHE_ENV), only
 * when one is used. Never the OIDC token request (ACTIONS_ID_TOKEN_REQUEST_*).
 */
export function buildxPassEnv(inputs: Pick<BuildInputs, 'secretEnvs' | 'cacheFrom' | 'cacheTo'>): string[] {
  const named = inputs.secretEnvs.map(({ value }) => value)
  const gha =
    inputs.cacheFrom.some((entry) => isGhaCache(entry, 'cache-from')) ||
    inputs.cacheTo.some((entry) => isGhaCache(entry, 'cache-to'))
  return [...new Set([...named, ...(gha ? GHA_CACHE_ENV : [])])]
}

// As buildx reads a cache entry (util/buildflags/cache.go): CSV fields, keys case-blind, `type=gha`.
function isGhaCache(entry: string, input: string): boolean {
  return csvFieldsOf(entry, input).some((field) => {
    const at = field.indexOf('=')
    return at > 0 && field.slice(0, at).toLowerCase() === 'type' && field.slice(at + 1) === 'gha'
  })
}

/** build-push-action's provenance builder id: the run's URL, with the attempt. */
export function workflowRunUrl(context: WorkflowContext, runAttempt: number): string {
  return `${context.serverUrl}/${context.repository}/actions/runs/${context.runId}/attempts/${runAttempt}`
}

/**
 * `--attest` values with build-push-action's semantics: provenance on by default (minimal and
 * inline for private repositories, `mode=max` for public ones), a builder id added unless given;
 * `true`/`false` turn an attestation on or off; anything else is passed as its attributes.
 */
function attestArgs(inputs: BuildInputs, run: BuildxRun): string[] {
  const attests: string[] = []
  const builderId = `builder-id=${run.builderId}`
  if (inputs.provenance === '') {
    if (run.defaultAttestations) {
      const mode = run.privateRepository ? 'mode=min,inline-only=true' : 'mode=max'
      attests.push(`type=provenance,${mode},${builderId}`)
    }
  } else if (isBoolean(inputs.provenance)) {
    attests.push(
      parseBoolean(inputs.provenance, 'provenance')
        ? `type=provenance,${builderId}`
        : 'type=provenance,disabled=true',
    )
  } else {
    const fields = csvFieldsOf(inputs.provenance, 'provenance')
    const hasBuilderId = fields.some((field) => field.startsWith('builder-id='))
    attests.push(
      ['type=provenance', ...fields.map(boolToDisabled), ...(hasBuilderId ? [] : [builderId])].join(','),
    )
  }
  if (inputs.sbom !== '') {
    attests.push(['type=sbom', ...csvFieldsOf(inputs.sbom, 'sbom').map(boolToDisabled)].join(','))
  }
  return attests
}

// buildx reads a bare boolean among attestation attributes as "enabled"; it wants `disabled=`.
function boolToDisabled(field: string): string {
  return isBoolean(field) ? `disabled=${!parseBoolean(field, 'provenance')}` : field
}

// buildx reads --secret and --output values as CSV: a comma or quote in a path must be quoted.
function csvJoin(fields: string[]): string {
  return fields.map((field) => (/[",\n]/.test(field) ? `"${field.replace(/"/g, '""')}"` : field)).join(',')
}
