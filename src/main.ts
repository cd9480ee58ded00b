import * as core from '@actions/core'
import { info } from './action/log.js'
import { loadWorkflowContext, type WorkflowContext } from './github/context.js'
import { errorMessage } from './action/errors.js'
import { resolveCommitDate, resolveRepoInfo } from './github/api.js'
import { readInputs, type Inputs } from './action/inputs.js'
import type { InputReader } from './action/input-list.js'
import { rawSecretMasks } from './action/raw-secrets.js'
import { checkInputsOnRunner, planPush } from './action/preflight.js'
import { computeMetadata, type Metadata } from './metadata/index.js'
import { metadataOutputs, writeOutputs, type Separators } from './action/outputs.js'
import type { Shipped } from './action/summary.js'
import { renderSummary, writeSummary } from './action/summary.js'
import { probeRunner, type RunnerProbes } from './runner/capabilities.js'

/** inputs, and what they name on the runner, checked → context → tags → (unless dry-run) build and push → outputs/summary. */
export async function runMain(): Promise<void> {
  const read: InputReader = (name, options) => core.getInput(name, { trimWhitespace: options?.trim ?? true })
  const masked = new Set<string>()
  const mask = (secret: string): void => {
    if (secret === '' || masked.has(secret)) return
    masked.add(secret)
    core.setSecret(secret)
  }
  // The secret-bearing inputs as written, masked before any is parsed: a parse error may quote them.
  for (const secret of rawSecretMasks(read)) mask(secret)
  const inputs = readInputs(read, process.env)
  // And the secrets as parsed (registry-auth passwords unquoted, build secrets), before anything else can print them.
  for (const secret of [inputs.githubToken, ...inputs.secrets]) mask(secret)
  for (const warning of inputs.warnings) core.warning(warning)
  // The files and variables the inputs name, for the dry run too: before anything else happens.
  const onRunner = await checkInputsOnRunner(inputs, process.env, process.cwd())
  const probes = startProbes(inputs)

  const context = await loadWorkflowContext(process.env, { prHeadSha: inputs.prHeadSha })
  logContext(context)
  const metadata = await metadataFor(inputs, context)
  logMetadata(metadata)
  // Push or not, and the credentials that needs: decided here for the dry run too, so a dry run
  // fails where the real run would, before any output is written.
  const checked = { ...onRunner, ...planPush(inputs, context, metadata), ...(probes ? { probes } : {}) }
  writeOutputs(metadataOutputs(metadata, separators(inputs)))
  if (inputs.dryRun) {
    await writeSummary(renderSummary({ metadata, dryRun: true }))
    return
  }
  // Decide, probe, log in, build once, push the layout, verify: see ship.ts.
  const shipped: Shipped = {}
  try {
    // Loaded only for a real run: a dry run should not pay for the build, push and scan code.
    const { ship } = await import('./ship.js')
    await ship(inputs, context, metadata, checked, shipped)
  } catch (error) {
    // The summary still says how far the run came, and why it stopped.
    await writeSummary(renderSummary({ metadata, dryRun: false, ...shipped, error: errorMessage(error) }))
    throw error
  }
  await writeSummary(renderSummary({ metadata, dryRun: false, ...shipped }))
}

/**
 * The runner's probes (docker and buildx: read-only, about half a second here), started now for a
 * run that builds, so they run while the context, the metadata and the build-and-push code load
 * (bench/README.md); a dry run probes nothing, and a merge runs no docker at all. What they find,
 * failures included, is read by planRun, so every error comes where it came before.
 */
function startProbes(inputs: Inputs): Promise<RunnerProbes> | undefined {
  if (inputs.dryRun || inputs.stage === 'merge') return undefined
  const probes = probeRunner(inputs.build.builder)
  // Read by planRun; until then a failure must not count as unhandled (a step may fail before).
  probes.catch(() => undefined)
  return probes
}

async function metadataFor(inputs: Inputs, context: WorkflowContext): Promise<Metadata> {
  const now = new Date()
  const mayUseNetwork = !inputs.dryRun
  const commitDate = await resolveCommitDate(context, inputs.githubToken, mayUseNetwork, now)
  const repo = await resolveRepoInfo(context, inputs.githubToken, mayUseNetwork)
  return computeMetadata(inputs.metadata, { ...context, commitDate }, repo, now, inputs.annotationLevels, {
    shortShaLength: inputs.shortShaLength,
  })
}

function separators(inputs: Inputs): Separators {
  return { tags: inputs.sepTags, labels: inputs.sepLabels, annotations: inputs.sepAnnotations }
}

function logContext(context: WorkflowContext): void {
  core.startGroup('Workflow context')
  info(`event: ${context.eventName}`)
  info(`ref: ${context.ref}`)
  info(`sha: ${context.sha}`)
  info(`repository: ${context.repository}`)
  core.endGroup()
}

function logMetadata(metadata: Metadata): void {
  for (const warning of metadata.warnings) core.warning(warning)
  logList('Version', metadata.version === '' ? [] : [metadata.version])
  logList(
    'Image references',
    metadata.references.map((image) => image.reference),
  )
  logList('Labels', metadata.labels)
  logList('Annotations', metadata.annotations)
}

function logList(title: string, entries: string[]): void {
  core.startGroup(`${title} (${entries.length})`)
  for (const entry of entries) info(entry)
  core.endGroup()
}
