import * as core from '@actions/core'
import { info } from './action/log.js'
import { build, loadImage, setUpBuilder, setUpEmulators } from './build/index.js'
import { runOf, type WorkflowContext } from './github/context.js'
import type { Inputs } from './action/inputs.js'
import { checkCredentials, login, type CredentialChecks } from './login/index.js'
import type { Metadata } from './metadata/index.js'
import { buildOutputs, pushOutputs, writeOutputs } from './action/outputs.js'
import { POST_STATE } from './post.js'
import { planRun, type RunPlan } from './plan.js'
import type { Checked } from './action/preflight.js'
import {
  blobUploader,
  planTags,
  pushVerified,
  readLayoutContent,
  startBlobUpload,
  uploadAsWritten,
  type BlobUpload,
  type BlobUploader,
  type LayoutToPush,
  type VerifiedReference,
} from './push/index.js'
import { registryOpener, type Registry } from './registry/index.js'
import { legResultOutput, shipMerge } from './merge/index.js'
import { gateFailure, scanLayout, startScan } from './scan/index.js'
import {
  checkAttestable,
  prepareSigner,
  signOutputs,
  signPushed,
  SigningFailed,
  type Signer,
  type SignSummary,
} from './sign/index.js'
import type { Shipped } from './action/summary.js'
import { dropActionOnlyVariables } from './runner/child-env.js'
import { createWorkspace, type Workspace } from './runner/workspace.js'

/**
 * The real run, in order, from what preflight.ts checked and decided (the inputs, what they name on
 * the runner, push or not and with which credentials): plan (what the runner offers, which builder,
 * push route and QEMU) with nothing changed yet; then log in, set up QEMU and the builder,
 * build once into an OCI layout, scan every platform of that layout and let the gate decide, and
 * only then load it and push that very layout by digest, then by tag, read every reference back,
 * and sign what was pushed. A `platform` leg stops at the push by digest (signed and attested per
 * platform) and writes its `result`; a `merge` builds nothing and signs the index (`shipMerge`).
 */
export async function ship(
  inputs: Inputs,
  context: WorkflowContext,
  metadata: Metadata,
  checked: Checked,
  shipped: Shipped = {},
): Promise<Shipped> {
  const registries = registryOpener({ mask: core.setSecret, warn: core.warning, note: info })
  try {
    return await shipWith(registries.open, inputs, context, metadata, checked, shipped)
  } finally {
    await registries.closeAll()
  }
}

/** Opens the registries with an auth file (the step's private one), retries reported as warnings. */
type OpenRegistry = (authFile: string, signal?: AbortSignal) => Registry

async function shipWith(
  open: OpenRegistry,
  inputs: Inputs,
  context: WorkflowContext,
  metadata: Metadata,
  checked: Checked,
  shipped: Shipped,
): Promise<Shipped> {
  // Before the first child: libraries start some (tar, zstd) with process.env itself.
  dropActionOnlyVariables(
    process.env,
    inputs.build.secretEnvs.map(({ value }) => value),
  )
  shipped.sign = {
    signed: false,
    reason: checked.signing.sign ? 'the run stopped before signing' : checked.signing.reason,
    commands: [],
  }
  writeOutputs(signOutputs(shipped.sign))
  if (checked.merge) {
    return shipMerge(inputs, context, metadata, checked, checked.merge, shipped, {
      prepare: () => prepareWorkspace(checked, inputs),
      openRegistry: (workspace) => open(workspace.authFile),
      // The legs signed and attested their platform manifests; the merge signs the index it made.
      signIndex: (signer, pushed, digest) =>
        signShipped(shipped, () => signPushed(signer, pushed, digest, [], [], runOf(context))),
    })
  }
  const { plan, workspace, signer } = await planAndLogIn(inputs, context, metadata, checked)
  await setUpEmulators(plan.docker, plan.emulators, { DOCKER_CONFIG: workspace.dockerConfig })
  const builderName = await setUpBuilder(plan.buildx, plan.builderPlan, workspace.dockerConfig, (name) =>
    core.saveState(POST_STATE.builder, name),
  )
  // Stops the blob upload when the build or the gate says no: nothing more goes up for an image that will not ship.
  const stopUpload = new AbortController()
  const pushing = checked.decision.push && metadata.references.length > 0
  const registry = pushing ? open(workspace.authFile, stopUpload.signal) : undefined
  const names = [...new Set(metadata.references.map((image) => image.name))]
  const uploader =
    registry && inputs.blobUpload === 'before-gate'
      ? blobUploader(registry, workspace.layoutDir, names)
      : undefined
  const stopWatching = uploader
    ? uploadAsWritten(uploader, workspace.layoutDir, stopUpload.signal)
    : undefined
  const building = build(
    plan.buildx,
    { ...inputs.build, builder: builderName, cacheFrom: plan.cache.cacheFrom, cacheTo: plan.cache.cacheTo },
    metadata,
    context,
    workspace,
    process.env,
  )
  // Made ready (installed, its DB restored) while the image builds: started once buildx has been
  // (build spawns it before its first wait when there are no secret files to write), so loading
  // the scanner and its cache client never delays the build.
  const scanning = startScan(inputs.scan, {
    docker: plan.docker,
    dockerConfig: workspace.dockerConfig,
    sbom: signer?.decision.attest.includes('sbom') ?? false,
  })
  const built = await building
    .catch((error: unknown) => {
      stopUpload.abort()
      throw error
    })
    .finally(stopWatching)
  info(`Built ${built.digest} for ${built.image.platforms.map((entry) => entry.platform).join(', ')}`)
  writeOutputs(buildOutputs(built))
  shipped.build = { digest: built.digest, platforms: built.image.platforms.map((entry) => entry.platform) }

  const target = registry
    ? { registry, layout: { dir: built.layoutDir, content: readLayoutContent(built.layoutDir, built.image) } }
    : undefined
  const uploaded =
    target && uploader ? uploadBeforeGate(uploader, target.layout, names, stopUpload) : undefined
  const scan = await scanLayout(built.layoutDir, inputs.scan, checked.scanFiles, scanning).catch(
    async (error: unknown) => {
      await uploaded?.abandon()
      throw error
    },
  )
  shipped.scan = scan.summaryMarkdown
  if (!scan.pushAllowed) {
    await uploaded?.abandon()
    writeOutputs(pushOutputs([]))
    shipped.push = {
      push: false,
      reason: `the scan gate stopped it (${scan.result})`,
      pushed: [],
      heldBack: [],
    }
    throw new Error(scan.errorMessage ?? gateFailure(scan))
  }
  if (scan.result === 'failed')
    core.warning('Blocking findings were found; pushing anyway, as scan-fail is false')

  if (inputs.load) await loadImage(plan.docker, built.layoutDir, workspace.root, metadata.references)

  const leg = (pushed: boolean): void => {
    if (inputs.stage === 'platform')
      writeOutputs({ result: legResultOutput(built, scan, metadata, context, pushed) })
  }
  if (!target) {
    const reason = checked.decision.push ? 'no image reference was computed' : checked.decision.reason
    writeOutputs(pushOutputs([]))
    shipped.push = { push: false, reason, pushed: [], heldBack: [] }
    leg(false)
    return shipped
  }
  const { layout } = target
  if (signer) checkAttestable(signer, built.image.platforms, scan.platforms ?? [])
  const sign = async (pushed: VerifiedReference[]): Promise<void> => {
    if (signer) {
      await signShipped(shipped, () =>
        signPushed(signer, pushed, built.digest, built.image.platforms, scan.platforms ?? [], runOf(context)),
      )
    }
  }
  if (inputs.stage === 'platform') {
    // A leg: by digest only, into every image; the merge job tags the index.
    const reason = `${checked.decision.reason}; a platform leg: by digest only, the merge tags`
    const pushed = await pushVerified(
      target.registry,
      layout,
      { references: metadata.references, heldBack: [] },
      reason,
      shipped,
      { digestOnly: true, uploaded },
    )
    await sign(pushed)
    leg(true)
    return shipped
  }
  const tags = await planTags(
    target.registry,
    inputs.floatingTags,
    context.ref,
    metadata.references,
    plan.readsExistingTags,
  )
  await sign(
    await pushVerified(target.registry, layout, tags, checked.decision.reason, shipped, { uploaded }),
  )
  return shipped
}

/**
 * Uploads the layout's blobs into every image's repository while the platforms are scanned
 * (`blob-upload: before-gate`), those the build was seen writing already on their way; no
 * manifest goes up before the gate passes.
 */
function uploadBeforeGate(
  uploader: BlobUploader,
  layout: LayoutToPush,
  names: string[],
  stop: AbortController,
): BlobUpload {
  info(`Uploading ${layout.content.blobs.length} blobs to ${names.join(', ')} while the image is scanned`)
  return startBlobUpload(uploader, layout.content.blobs, stop)
}

/** Signs (and attests) what was pushed and read back; a failure leaves `signed` false and says why. */
async function signShipped(shipped: Shipped, signPushedImage: () => Promise<SignSummary>): Promise<void> {
  try {
    shipped.sign = await core.group('Sign and attest', signPushedImage)
  } catch (error) {
    if (error instanceof SigningFailed) {
      shipped.sign = { signed: false, reason: 'signing failed after the push', commands: [] }
    }
    throw error
  }
  writeOutputs(signOutputs(shipped.sign))
}

interface Prepared {
  workspace: Workspace
  signer: Signer | undefined
}

/**
 * The plan, then the workspace and the logins (`prepareWorkspace`), with the credentials checked
 * while the runner is probed (a check writes nothing; the login waits for the plan). Whatever
 * happens, no check is left running: one still asked when the plan fails would keep the step
 * alive until the registry answered.
 */
async function planAndLogIn(
  inputs: Inputs,
  context: WorkflowContext,
  metadata: Metadata,
  checked: Checked,
): Promise<Prepared & { plan: RunPlan }> {
  const stop = new AbortController()
  const checks = checkCredentials(checked.login.credentials, { stop: stop.signal })
  try {
    const plan = await planRun(inputs, context, metadata, checked)
    return { plan, ...(await prepareWorkspace(checked, inputs, checks)) }
  } finally {
    stop.abort()
  }
}

/**
 * The step's private directory (remembered for the post step first), cosign and its key (checked
 * before any login), then the logins into its isolated docker config: the credentials `checks`
 * passed, written and recorded, so the post step names them when it deletes that config.
 */
async function prepareWorkspace(
  checked: Checked,
  inputs: Inputs,
  checks?: CredentialChecks,
): Promise<Prepared> {
  const { credentials } = checked.login
  const registries = credentials.map((credential) => credential.registry)
  const workspace = await createWorkspace(process.env, registries)
  core.saveState(POST_STATE.workspace, workspace.root)
  core.saveState(POST_STATE.marker, workspace.marker)
  core.saveState(POST_STATE.logout, String(inputs.logout))
  const { signing } = checked
  const signer = signing.sign ? await prepareSigner(signing, inputs.sign, checked.oidc, workspace) : undefined
  const loggedIn = await login(checks ?? checkCredentials(credentials), workspace)
  if (loggedIn.length > 0) core.saveState(POST_STATE.registries, JSON.stringify(loggedIn))
  return { workspace, signer }
}
