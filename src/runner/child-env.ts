/**
 * The environment every child process gets (docker, buildx, cosign, trivy, tar, the AWS CLI, the
 * QEMU installer): the step's own, minus what the runner hands to the action alone.
 *
 * A deny-list, not an allow-list: the docker CLI runs the user's credential helpers,
 * which read whatever they need (AWS_*, GOOGLE_APPLICATION_CREDENTIALS, AZURE_*…); proxies,
 * DOCKER_*, BUILDX_*, BUILDKIT_*, SSL_CERT_*, locale, HOME and XDG_* must reach them; buildx reads
 * the GITHUB_* context for its build records; and RUNNER_TRACKING_ID lets the runner find and stop
 * a child left behind when the job ends. What is withheld is what a `run:` step of the same job
 * never sees either, so a child sees what a shell step would:
 *
 * - INPUT_*: the action's inputs, among them `password`, `registry-auth`, `github-token` and
 *   `secrets`, read once by readInputs;
 * - ACTIONS_*: the runtime token, the cache and results service URLs, and the OIDC token request
 *   (ACTIONS_ID_TOKEN_REQUEST_*), given to actions only;
 * - the step's command files (GITHUB_OUTPUT, GITHUB_STATE, GITHUB_ENV, GITHUB_PATH,
 *   GITHUB_STEP_SUMMARY): only the action writes its outputs and the state its post step trusts.
 *
 * A child that needs one of these gets it by name (`pass`), as the build does for the `type=gha`
 * cache (GHA_CACHE_ENV) and for the variables `secret-envs` names.
 */

const WITHHELD_PREFIXES = ['INPUT_', 'ACTIONS_'] as const

const STEP_COMMAND_FILES = [
  'GITHUB_OUTPUT',
  'GITHUB_STATE',
  'GITHUB_ENV',
  'GITHUB_PATH',
  'GITHUB_STEP_SUMMARY',
] as const

/** What buildx reads for a `type=gha` cache (build/opt.go, addGithubToken): the token, both service URLs and the v2 switch. */
export const GHA_CACHE_ENV: readonly string[] = [
  'ACTIONS_RUNTIME_TOKEN',
  'ACTIONS_CACHE_URL',
  'ACTIONS_RESULTS_URL',
  'ACTIONS_CACHE_SERVICE_V2',
]

/** A variable no child gets unless it is passed by name. Case-blind: Windows environments are. */
export function isWithheld(name: string): boolean {
  const upper = name.toUpperCase()
  return (
    WITHHELD_PREFIXES.some((prefix) => upper.startsWith(prefix)) ||
    (STEP_COMMAND_FILES as readonly string[]).includes(upper)
  )
}

export interface ChildEnvOptions {
  /** Names copied from the step's environment although withheld (absent ones stay absent). */
  pass?: readonly string[]
  /** Set for this child, over anything inherited (DOCKER_CONFIG: the step's isolated config). */
  set?: Readonly<Record<string, string>>
}

/** The environment for one child: `parent` without what isWithheld names, plus `pass` and `set`. */
export function childEnv(
  parent: Readonly<Record<string, string | undefined>>,
  options: ChildEnvOptions = {},
): Record<string, string> {
  const pass = options.pass ?? []
  const env: Record<string, string> = {}
  for (const [name, value] of Object.entries(parent)) {
    if (value !== undefined && (!isWithheld(name) || pass.includes(name))) env[name] = value
  }
  return { ...env, ...options.set }
}

/**
 * Removes from the action's own environment what nothing it runs needs once the inputs are read:
 * every INPUT_* and the OIDC token request (ACTIONS_ID_TOKEN_REQUEST_*: keyless signing read it
 * before, in planPush, and hands it to cosign alone). This reaches the children that libraries start themselves with `process.env` (the
 * tar and zstd of @actions/cache, which saves the Trivy DB). ACTIONS_RUNTIME_TOKEN and the cache
 * URLs stay: @actions/cache and the build's `type=gha` cache read them. So do the names in
 * `keep` (the ones `secret-envs` names: the user asked for them). Returns the names removed.
 */
export function dropActionOnlyVariables(
  env: Record<string, string | undefined>,
  keep: readonly string[] = [],
): string[] {
  const dropped = Object.keys(env).filter((name) => {
    const upper = name.toUpperCase()
    const actionOnly = upper.startsWith('INPUT_') || upper.startsWith('ACTIONS_ID_TOKEN_REQUEST_')
    return actionOnly && !keep.includes(name)
  })
  for (const name of dropped) Reflect.deleteProperty(env, name)
  return dropped
}
