import * as core from '@actions/core'
import { info } from './action/log.js'
import { build, loadImage, setUpBuilder, setUpEmulators, type BuildResult } from './build/index.js'
import type { WorkflowContext } from './github/context.js'
import type { Inputs } from './action/inputs.js'
import { login, type RegistryCredential } from './login/index.js'
import type { Metadata, TaggedImage } from './metadata/index.js'
import {
  buildOutputs,
  incompletePushOutputs,
  pushOutputs,
  scanOutputs,
  writeOutputs,
} from './action/outputs.js'
import { POST_STATE } from './post.js'
import { planMerge, planRun, type RunPlan } from './plan.js'
import type { Checked } from './action/preflight.js'
import {
  Imagetools,
  planTags,
  PushIncomplete,
  pushLayout,
  routeClient,
  Skopeo,
  verifyPushed,
  type PushStep,
  type RegistryClient,
  type TagPlan,
} from './push/index.js'
import { legResultOutput, renderMergeSummary, writeMergedLayout, type CheckedLegs } from './merge/index.js'
import { scanBuiltImage, type ScanFiles, type ScanStageOutcome } from './scan/index.js'
import type { BuildSummary, PushSummary } from './action/summary.js'
import { dropActionOnlyVariables } from './runner/child-env.js'
import { createWorkspace, workspaceParent, type Workspace } from './runner/workspace.js'

/** What the run got to, filled in as it goes so a failed run can still say how far it came. */
export interface Shipped {
  build?: BuildSummary
  /** The scan gate's summary section. */
  scan?: string
  push?: PushSummary
}

/**
 * The real run, in order, from what preflight.ts checked and decided (the inputs, what they name on
 * the runner, push or not and with which credentials): plan (what the runner offers, which builder,
 * push route and QEMU) with nothing changed yet; then log in, set up QEMU and the builder,
 * build once into an OCI layout, scan every platform of that layout and let the gate decide, and
 * only then load it and push that very layout by digest, then by tag, and read every reference back.
 * A `platform` leg stops at the push by digest and writes its `result`; a `merge` builds nothing
 * (`shipMerge`).
 */
export async function ship(
  inputs: Inputs,
  context: WorkflowContext,
  metadata: Metadata,
  checked: Checked,
  shipped: Shipped = {},
): Promise<Shipped> {
  // Before the first child: libraries start some (tar, zstd) with process.env itself.
  dropActionOnlyVariables(
    process.env,
    inputs.build.secretEnvs.map(({ value }) => value),
  )
  if (checked.merge) return shipMerge(inputs, context, metadata, checked, checked.merge, shipped)
  const plan = await planRun(inputs, context, metadata, checked)
  const workspace = await prepareWorkspace(plan.docker, checked.login.credentials, inputs)
  await setUpEmulators(plan.docker, plan.emulators, { DOCKER_CONFIG: workspace.dockerConfig })
  const builderName = await setUpBuilder(plan.docker, plan.builderPlan, workspace.dockerConfig, (name) =>
    core.saveState(POST_STATE.builder, name),
  )
  const built = await build(
    plan.docker,
    { ...inputs.build, builder: builderName, cacheFrom: plan.cache.cacheFrom, cacheTo: plan.cache.cacheTo },
    metadata,
    context,
    workspace,
    process.env,
  )
  info(`Built ${built.digest} for ${built.image.platforms.map((entry) => entry.platform).join(', ')}`)
  writeOutputs(buildOutputs(built))
  shipped.build = { digest: built.digest, platforms: built.image.platforms.map((entry) => entry.platform) }

  const scan = await scanLayout(built.layoutDir, inputs, checked.scanFiles)
  shipped.scan = scan.summaryMarkdown
  if (!scan.pushAllowed) {
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

  if (inputs.load) await loadBuilt(plan, built, workspace, metadata.references)

  const leg = (pushed: boolean): void => {
    if (inputs.stage === 'platform')
      writeOutputs({ result: legResultOutput(built, scan, metadata, context, pushed) })
  }
  if (!plan.route || metadata.references.length === 0) {
    const reason = checked.decision.push ? 'no image reference was computed' : checked.decision.reason
    writeOutputs(pushOutputs([]))
    shipped.push = { push: false, reason, pushed: [], heldBack: [] }
    leg(false)
    return shipped
  }
  const client = routeClient(plan.route, {
    skopeo: new Skopeo(plan.skopeo, workspace.authFile),
    imagetools: new Imagetools(plan.docker, workspace.dockerConfig, builderName),
  })
  if (inputs.stage === 'platform') {
    // A leg: by digest only, into every image; the merge job tags the index.
    const reason = `${checked.decision.reason}; a platform leg: by digest only, the merge tags`
    await pushVerified(
      client,
      built.layoutDir,
      built.digest,
      { references: metadata.references, heldBack: [] },
      reason,
      shipped,
      true,
    )
    leg(true)
    return shipped
  }
  const tags = await planTags(
    client,
    inputs.floatingTags,
    context.ref,
    metadata.references,
    plan.readsExistingTags,
  )
  await pushVerified(client, built.layoutDir, built.digest, tags, checked.decision.reason, shipped)
  return shipped
}

/**
 * Stage `merge`: the legs were checked before anything (preflight); a run that pushes nothing
 * reports them and logs in nowhere. Otherwise: log in, assemble the index from the legs' manifests,
 * push it by digest, then its tags (floating-tags rules as for one job), and read every reference back.
 */
async function shipMerge(
  inputs: Inputs,
  context: WorkflowContext,
  metadata: Metadata,
  checked: Checked,
  legs: CheckedLegs,
  shipped: Shipped,
): Promise<Shipped> {
  shipped.scan = renderMergeSummary(legs)
  if (!checked.decision.push) {
    const reason = `${checked.decision.reason}: the legs were checked, no index was pushed`
    info(`Merge: ${reason}`)
    writeOutputs(pushOutputs([]))
    shipped.push = { push: false, reason, pushed: [], heldBack: [] }
    return shipped
  }
  const plan = await planMerge(inputs, context, metadata)
  const workspace = await prepareWorkspace(plan.docker, checked.login.credentials, inputs)
  const client = routeClient(plan.route, { skopeo: new Skopeo(plan.skopeo, workspace.authFile) })
  const merged = await writeMergedLayout(client, legs, metadata.annotations, workspace.layoutDir)
  const legDigests = legs.legs.map((leg) => leg.digest)
  writeOutputs(
    buildOutputs({
      digest: merged.digest,
      imageId: merged.digest,
      metadata: { 'containerimage.digest': merged.digest, legs: legDigests },
    }),
  )
  shipped.build = { digest: merged.digest, platforms: legs.platforms.map((entry) => entry.platform) }
  const tags = await planTags(
    client,
    inputs.floatingTags,
    context.ref,
    metadata.references,
    plan.readsExistingTags,
  )
  await pushVerified(client, workspace.layoutDir, merged.digest, tags, checked.decision.reason, shipped)
  return shipped
}

/** Pushes the layout (see `pushLayout`), reads every reference back, writes the outputs and the summary's facts. */
async function pushVerified(
  client: RegistryClient,
  layoutDir: string,
  digest: string,
  tags: TagPlan,
  reason: string,
  shipped: Shipped,
  digestOnly = false,
): Promise<void> {
  let steps: PushStep[]
  try {
    steps = await pushLayout(client, layoutDir, digest, tags.references, { digestOnly })
  } catch (error) {
    if (error instanceof PushIncomplete) {
      const moved = error.moved.map((step) => step.destination)
      const notMoved = error.notMoved.map((step) => step.destination)
      writeOutputs(incompletePushOutputs(moved, digest))
      shipped.push = {
        push: true,
        reason,
        pushed: [],
        heldBack: tags.heldBack,
        incomplete: { moved, notMoved },
      }
    }
    throw error
  }
  const pushed = await verifyPushed(client, steps, digest)
  writeOutputs(pushOutputs(pushed))
  shipped.push = { push: true, reason, pushed, heldBack: tags.heldBack }
}

/**
 * The step's private directory (remembered for the post step first), then the logins into its
 * isolated docker config, each recorded as it succeeds so the post step logs out of it.
 */
async function prepareWorkspace(
  docker: string,
  credentials: RegistryCredential[],
  inputs: Inputs,
): Promise<Workspace> {
  const registries = credentials.map((credential) => credential.registry)
  const workspace = await createWorkspace(process.env, registries)
  core.saveState(POST_STATE.workspace, workspace.root)
  core.saveState(POST_STATE.marker, workspace.marker)
  core.saveState(POST_STATE.logout, String(inputs.logout))
  const loggedIn: string[] = []
  await login(docker, credentials, workspace, (registry) => {
    loggedIn.push(registry)
    core.saveState(POST_STATE.registries, JSON.stringify(loggedIn))
  })
  return workspace
}

async function loadBuilt(
  plan: RunPlan,
  built: BuildResult,
  workspace: Workspace,
  references: TaggedImage[],
): Promise<void> {
  if (references.length > 0) await loadImage(plan.docker, built.layoutDir, workspace.root, references)
  else core.warning('Input "load": no image reference was computed, so there is no name to load the image as')
}

/** Scans every platform of the built layout; its outputs are written whatever the verdict. */
async function scanLayout(layoutDir: string, inputs: Inputs, files: ScanFiles): Promise<ScanStageOutcome> {
  const scan = await core.group('Scan every platform', () =>
    scanBuiltImage(layoutDir, inputs.scan, files, {
      now: new Date(),
      runnerTemp: workspaceParent(process.env),
      workspace: process.env.GITHUB_WORKSPACE ?? process.cwd(),
      log: (message) => info(message),
    }),
  )
  for (const warning of scan.warnings) core.warning(warning)
  writeOutputs(scanOutputs(scan))
  info(`Scan: ${scan.result}`)
  return scan
}

function gateFailure(scan: ScanStageOutcome): string {
  const blocking = scan.verdict?.blocking ?? []
  const findings = blocking
    .slice(0, 5)
    .map((finding) => `${finding.id} (${finding.severity}, ${finding.platforms.join(', ')})`)
  const more = blocking.length > 5 ? ` and ${blocking.length - 5} more` : ''
  return `The scan gate found blocking findings, so nothing was pushed: ${findings.join('; ')}${more}`
}
