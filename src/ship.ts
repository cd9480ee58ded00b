import * as core from '@actions/core'
import { tmpdir } from 'node:os'
import { build } from './build.js'
import { checkBuilder } from './builder.js'
import { binfmtHandlerEnabled, dockerArch, planEmulators, setUpEmulators } from './qemu.js'
import { engineProblem, probeCapabilities } from './capabilities.js'
import type { WorkflowContext } from './context.js'
import type { Inputs } from './inputs.js'
import { loadImage, loadProblem } from './load.js'
import { login } from './login.js'
import type { Metadata } from './metadata/index.js'
import { buildOutputs, pushOutputs, scanOutputs, writeOutputs } from './outputs.js'
import { POST_STATE } from './post.js'
import { needsExistingTags, planTags, pushLayout } from './push.js'
import { decidePush } from './push-policy.js'
import { checkTagListing, decidePushRoute, describeRoute, routeTools, type RouteTools } from './push-route.js'
import { resolveRegistryAuth } from './registry-auth.js'
import { Imagetools, routeClient, Skopeo } from './registry-client.js'
import { scanBuiltImage, type ScanStageOutcome } from './scan/stage.js'
import type { BuildSummary, PushSummary } from './summary.js'
import { findTool, requireTool } from './tool.js'
import { verifyPushed } from './verify.js'
import { createWorkspace } from './workspace.js'

/** What the run got to, filled in as it goes so a failed run can still say how far it came. */
export interface Shipped {
  build?: BuildSummary
  /** The scan gate's summary section. */
  scan?: string
  push?: PushSummary
}

/**
 * The real run, in order: decide (push or not, which credentials), probe (docker, skopeo, the
 * builder, QEMU) — all before any side effect — then log in, build once into an OCI layout, scan
 * every platform of that layout and let the gate decide, and only then load it and push that very
 * layout by digest, then by tag, and read every reference back.
 */
export async function ship(
  inputs: Inputs,
  context: WorkflowContext,
  metadata: Metadata,
  shipped: Shipped = {},
): Promise<Shipped> {
  const decision = decidePush(inputs.push, context)
  for (const warning of decision.warnings) core.warning(warning)
  core.info(`Push: ${decision.push ? 'yes' : 'no'} (${decision.reason})`)
  const auth = resolveRegistryAuth(inputs.auth, {
    images: metadata.tags,
    actor: context.actor,
    pushing: decision.push,
  })
  for (const secret of auth.secrets) core.setSecret(secret)
  for (const warning of auth.warnings) core.warning(warning)
  if (decision.push && auth.uncovered.length > 0) {
    core.info(`No credentials given for ${auth.uncovered.join(', ')}: using the logins of earlier steps`)
  }

  const docker = await requireTool('docker')
  const skopeoPath = await findTool('skopeo')
  const caps = await probeCapabilities(docker, inputs.build.builder, skopeoPath)
  const unreachable = engineProblem(caps)
  if (unreachable) throw new Error(unreachable)
  let route: RouteTools | undefined
  if (decision.push) {
    route = routeTools(decidePushRoute(caps.skopeoVersion, caps.buildxVersion), caps.skopeoVersion)
    checkTagListing(route, needsExistingTags(inputs.floatingTags, context.ref, metadata.tags))
    core.info(describeRoute(route, caps.skopeoVersion, caps.buildxVersion))
  }
  const skopeo = skopeoPath ?? ''
  const builder = checkBuilder(caps, inputs.build.builder, inputs.build.platforms)
  const emulators = planEmulators(
    inputs.build.platforms,
    inputs.qemu,
    dockerArch(process.arch),
    binfmtHandlerEnabled,
  )
  if (inputs.load) {
    // Known before building when platforms are listed; checked again on the image built.
    const problem = loadProblem(inputs.build.platforms.length, builder.containerdStore)
    if (problem) throw new Error(problem)
  }

  const registries = auth.credentials.map((credential) => credential.registry)
  const workspace = await createWorkspace(process.env, registries)
  core.saveState(POST_STATE.workspace, workspace.root)
  core.saveState(POST_STATE.dockerConfig, workspace.dockerConfig)
  core.saveState(POST_STATE.logout, String(inputs.logout))
  const loggedIn: string[] = []
  await login(docker, auth.credentials, workspace, (registry) => {
    loggedIn.push(registry)
    core.saveState(POST_STATE.registries, JSON.stringify(loggedIn))
  })

  await setUpEmulators(docker, emulators, { DOCKER_CONFIG: workspace.dockerConfig })
  const built = await build(docker, inputs.build, metadata, context, workspace, process.env)
  core.info(`Built ${built.digest} for ${built.image.platforms.map((entry) => entry.platform).join(', ')}`)
  writeOutputs(buildOutputs(built))
  shipped.build = {
    digest: built.digest,
    platforms: built.image.platforms.map((entry) => entry.platform),
  }

  const scan = await scanLayout(built.layoutDir, inputs)
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

  if (inputs.load) {
    const problem = loadProblem(built.image.platforms.length, builder.containerdStore)
    if (problem) throw new Error(problem)
    if (metadata.tags.length > 0) await loadImage(docker, built.layoutDir, workspace.root, metadata.tags)
    else
      core.warning('Input "load": no image reference was computed, so there is no name to load the image as')
  }

  if (!route || metadata.tags.length === 0) {
    const reason = decision.push ? 'no image reference was computed' : decision.reason
    writeOutputs(pushOutputs([]))
    shipped.push = { push: false, reason, pushed: [], heldBack: [] }
    return shipped
  }
  const client = routeClient(route, {
    skopeo: new Skopeo(skopeo, workspace.authFile),
    imagetools: new Imagetools(docker, workspace.dockerConfig, inputs.build.builder),
  })
  const plan = await planTags(client, inputs.floatingTags, context.ref, metadata.tags)
  const steps = await pushLayout(client, built.layoutDir, built.digest, plan.references)
  const pushed = await verifyPushed(
    client,
    steps.map((step) => step.destination),
    built.digest,
  )
  writeOutputs(pushOutputs(pushed))
  shipped.push = {
    push: true,
    reason: decision.reason,
    pushed,
    heldBack: plan.heldBack,
  }
  return shipped
}

/** Scans every platform of the built layout; its outputs are written whatever the verdict. */
async function scanLayout(layoutDir: string, inputs: Inputs): Promise<ScanStageOutcome> {
  const scan = await core.group('Scan every platform', () =>
    scanBuiltImage(layoutDir, inputs.scan, {
      now: new Date(),
      runnerTemp: process.env.RUNNER_TEMP ?? tmpdir(),
      workspace: process.env.GITHUB_WORKSPACE ?? process.cwd(),
      log: (message) => core.info(message),
    }),
  )
  for (const warning of scan.warnings) core.warning(warning)
  writeOutputs(scanOutputs(scan))
  core.info(`Scan: ${scan.result}`)
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
