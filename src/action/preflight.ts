import * as core from '@actions/core'
import { info } from './log.js'
import type { Inputs } from './inputs.js'
import { InputError } from './errors.js'
import { buildkitdConfigPath } from '../build/builder.js'
import { checkLocalBuildPaths, unsetSecretEnvs } from '../build/local-files.js'
import type { WorkflowContext } from '../github/context.js'
import { planLogin, type LoginPlan } from '../login/plan.js'
import type { Metadata } from '../metadata/index.js'
import { decidePush, type PushDecision } from '../push/policy.js'
import { checkSarifDestination } from '../scan/sarif-destination.js'
import { checkLegs, type CheckedLegs } from '../merge/checks.js'
import type { RunnerProbes } from '../runner/capabilities.js'
import { workspaceParent } from '../runner/workspace.js'
import { readScanFiles, type ScanFiles } from '../scan/scan-files.js'
import { decideSigning, signingEnvironment, type OidcRequest, type SigningDecision } from '../sign/decide.js'

/** What the checks read from the runner, kept for the run so nothing is read twice. */
export interface CheckedOnRunner {
  /** The ignore and VEX files of the scan, read (the scan stage is handed them). */
  scanFiles: ScanFiles
  /** `buildkitd-config` as an absolute path; '' for none. */
  buildkitdConfig: string
}

/**
 * The checks of the inputs that need the runner's disk or environment, made by the dry run and
 * the real run alike, right after the inputs are read and before anything else: a dry run is how a
 * workflow's configuration is tested, so it must find what the real run would stumble on, and the
 * real run must find it before any probe, login or builder. Each failure is an InputError naming
 * the input.
 *
 * `cwd` is where buildx resolves `context`, `file` and `secret-files` (the step's working
 * directory: GITHUB_WORKSPACE on a runner); the action's own files (`buildkitd-config`,
 * `trivyignores`, `vex`, `sarif`) are relative to GITHUB_WORKSPACE, and the SARIF file it writes
 * must stay under GITHUB_WORKSPACE or RUNNER_TEMP.
 */
export async function checkInputsOnRunner(
  inputs: Inputs,
  env: Record<string, string | undefined>,
  cwd: string,
): Promise<CheckedOnRunner> {
  const workspace = env.GITHUB_WORKSPACE ?? cwd
  // A merge builds nothing: its job need not check out the build context.
  if (inputs.stage !== 'merge') await checkLocalBuildPaths(inputs.build, cwd)
  const unset = unsetSecretEnvs(inputs.build.secretEnvs, env)[0]
  if (unset) {
    throw new InputError(
      'secret-envs',
      `"${unset.key}" names the environment variable ${unset.value}, which is not set in this step (set it in the step's env:)`,
    )
  }
  const buildkitdConfig = buildkitdConfigPath(inputs.builderSetup.buildkitdConfig, workspace)
  const scanFiles = await readScanFiles(inputs.scan, workspace)
  if (inputs.scan.sarif) {
    await checkSarifDestination(inputs.scan.sarif, { workspace, runnerTemp: workspaceParent(env) })
  }
  return { scanFiles, buildkitdConfig }
}

/** Whether this run pushes, and with which credentials it logs in; whether and how it signs. */
export interface PushPlan {
  decision: PushDecision
  login: LoginPlan
  signing: SigningDecision
  /** The job's OIDC token request, kept for cosign alone before the action's environment is pruned. */
  oidc: OidcRequest | undefined
  /** Stage `merge`: the legs, checked against this run before any login. */
  merge?: CheckedLegs
}

/**
 * Everything checked and decided before the run changes anything, handed to the real run; with
 * the runner's read-only probes when they were started early (runMain), their outcome unread.
 */
export type Checked = CheckedOnRunner & PushPlan & { probes?: Promise<RunnerProbes> }

/**
 * Whether this run pushes and which registries it logs in to, logged; pure decisions over the
 * event and the images, so the dry run makes them too. A credential the push needs but lacks (a
 * `registry-auth` entry without a password, on a run that pushes) fails the dry run as it fails
 * the real run, before any output is written. A run that pushes nothing uses no credential (the
 * log says so), unless `login-on-build-only`: then a missing password is a warning, in both runs.
 */
export function planPush(
  inputs: Inputs,
  context: WorkflowContext,
  metadata: Metadata,
  env: Readonly<Record<string, string | undefined>> = process.env,
): PushPlan {
  const decision = decidePush(inputs.push, context)
  const merge =
    inputs.stage === 'merge' ? checkMergeLegs(inputs, context, metadata, decision.push) : undefined
  for (const warning of decision.warnings) core.warning(warning)
  info(`Push: ${decision.push ? 'yes' : 'no'} (${decision.reason})`)
  const login = planLogin(inputs.auth, decision, inputs.loginOnBuildOnly, {
    images: metadata.references,
    actor: context.actor,
  })
  for (const secret of login.secrets) core.setSecret(secret)
  for (const warning of login.warnings) core.warning(warning)
  if (login.note) info(login.note)
  if (decision.push && login.uncovered.length > 0) {
    info(`No credentials given for ${login.uncovered.join(', ')}: using the logins of earlier steps`)
  }
  const signingEnv = signingEnvironment(env)
  if (signingEnv.oidc) core.setSecret(signingEnv.oidc.token)
  const signing = decideSigning(inputs.sign, {
    push: decision.push,
    scanner: inputs.scan.scanner,
    ...signingEnv,
  })
  info(`Sign: ${signing.sign ? `yes (${signing.reason})` : `no (${signing.reason})`}`)
  return { decision, login, signing, oidc: signingEnv.oidc, ...(merge ? { merge } : {}) }
}

/** The legs of a merge: this commit, this run, these images, every platform once, every gate passed. */
function checkMergeLegs(
  inputs: Inputs,
  context: WorkflowContext,
  metadata: Metadata,
  push: boolean,
): CheckedLegs {
  const checked = checkLegs(inputs.results, {
    commit: context.sha,
    run: String(context.runId),
    images: [...new Set(metadata.references.map((image) => image.name))],
    platforms: inputs.build.platforms,
    push,
  })
  info(`Merging ${checked.platforms.map((entry) => `${entry.platform} (${entry.digest})`).join(', ')}`)
  return checked
}
