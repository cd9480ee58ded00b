import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import * as core from '@actions/core'
import { engineProblem, type Capabilities } from '../runner/capabilities.js'
import { errorMessage, InputError } from '../action/errors.js'
import { inputLines } from '../action/input-list.js'
import { deadline } from '../runner/timeouts.js'
import { runTool, tail } from '../runner/tool.js'
import { buildxArgs, type Buildx } from '../runner/buildx.js'
import { removeBuilder } from './own-builder.js'

/** What the probes found about the builder this run would use. */
export interface BuilderFacts {
  /** The `builder` input ('' for the default builder). */
  requested: string
  /** The builder's driver (`docker`, `docker-container`, `kubernetes`, `remote`). */
  driver: string
  /** Whether the engine keeps images in the containerd image store (the snapshotter feature). */
  containerdStore: boolean
  platforms: string[]
}

/**
 * Whether this builder can do what the action needs: an OCI layout export always, and several
 * platforms when asked. Only the `docker` driver on the classic image store cannot.
 */
export function builderProblem(facts: BuilderFacts): string | undefined {
  if (facts.driver !== 'docker' || facts.containerdStore) return undefined
  const which = facts.requested ? `The builder "${facts.requested}"` : 'The default builder'
  const needs =
    facts.platforms.length > 1
      ? `an OCI layout export and a multi-platform build (${facts.platforms.join(', ')})`
      : 'an OCI layout export (the exact bytes built are what is pushed)'
  return (
    `${which} uses the docker driver on an engine without the containerd image store, which cannot do ` +
    `${needs}. Turn on the containerd image store (daemon.json: {"features":{"containerd-snapshotter":true}}), ` +
    'or leave "builder" empty and this action creates a docker-container builder for the step.'
  )
}

/**
 * The builder facts from the read-only probes (`probeCapabilities`), before any side effect.
 * Fails with what is missing.
 */
export function checkBuilder(caps: Capabilities, requested: string, platforms: string[]): BuilderFacts {
  const problem = engineProblem(caps)
  if (problem) throw new Error(problem)
  if (caps.imageStore === undefined) {
    throw new Error(`Cannot reach the Docker engine (docker info failed): ${caps.infoError ?? ''}`)
  }
  if (caps.builder === undefined) {
    const which = requested ? `builder "${requested}"` : 'the default builder'
    throw new Error(`docker buildx cannot use ${which}: ${caps.builderError ?? ''}`)
  }
  const facts = {
    requested,
    driver: caps.builder.driver,
    containerdStore: caps.imageStore === 'containerd',
    platforms,
  }
  // The user's own builder is never replaced; the default one is, by a builder of our own.
  const unfit = requested ? builderProblem(facts) : undefined
  if (unfit) throw new Error(unfit)
  return facts
}

/** buildx's own default for the docker-container driver. */
export const DEFAULT_BUILDKIT_IMAGE = 'moby/buildkit:buildx-stable-1'

/** Which builder the build runs on: an existing one, or a docker-container builder made for this step. */
export type BuilderPlan =
  | { create: false; name: string; why: string }
  | { create: true; name: string; why: string; image: string; driverOpts: string[]; buildkitdConfig: string }

/**
 * The given builder, else the default one when it can export an OCI layout (and build every
 * platform), else a docker-container builder of our own. Options for a created builder
 * (`driver-opts`, `buildkitd-config`) ask for one even when the default builder could do.
 * `setup.buildkitdConfig` is the config file's absolute path (`buildkitdConfigPath`); `name` the
 * name a created builder gets.
 */
export function planBuilder(facts: BuilderFacts, setup: BuilderSetupInputs, name: string): BuilderPlan {
  if (facts.requested) return { create: false, name: facts.requested, why: 'the "builder" input' }
  const unfit = builderProblem(facts)
  if (!unfit && setup.driverOpts.length === 0 && !setup.buildkitdConfig) {
    return { create: false, name: '', why: `the default builder (${facts.driver} driver) can do this build` }
  }
  return {
    create: true,
    name,
    why: unfit
      ? 'the default builder uses the docker driver on the classic image store, which cannot export an OCI layout'
      : 'driver-opts or buildkitd-config ask for a builder of its own',
    image: driverOptValue(setup.driverOpts, 'image') ?? DEFAULT_BUILDKIT_IMAGE,
    // Host networking lets BuildKit in its container reach what the engine reaches: registries and
    // service containers on the runner's loopback (localhost:5000). A `network=` of the user's wins.
    driverOpts:
      driverOptValue(setup.driverOpts, 'network') === undefined
        ? ['network=host', ...setup.driverOpts]
        : setup.driverOpts,
    buildkitdConfig: setup.buildkitdConfig,
  }
}

function driverOptValue(opts: string[], key: string): string | undefined {
  const opt = opts.find((entry) => entry.startsWith(`${key}=`))
  return opt?.slice(key.length + 1)
}

/** buildx's arguments to create the planned builder: never `--use`, the build names it instead. */
export function builderCreateArgs(plan: Extract<BuilderPlan, { create: true }>): string[] {
  return [
    'create',
    '--name',
    plan.name,
    '--driver',
    'docker-container',
    ...plan.driverOpts.flatMap((opt) => ['--driver-opt', opt]),
    ...(plan.buildkitdConfig ? ['--buildkitd-config', plan.buildkitdConfig] : []),
  ]
}

/** Starts the builder's BuildKit container (pulling its image): where a missing image shows. */
export function builderBootstrapArgs(name: string): string[] {
  return ['inspect', '--bootstrap', name]
}

/**
 * The error for a builder that would not start. An image that cannot be pulled is the usual case
 * on a machine that cannot reach Docker Hub: say which image and what to do offline. buildx's
 * progress shows it as the pull step failing (`#1 pulling image …` followed by `#1 ERROR: …`);
 * the engine's own words differ with its image store, so they are quoted, not matched.
 */
export function bootstrapFailure(plan: Extract<BuilderPlan, { create: true }>, stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
  const said =
    lines
      .filter((line) => line.startsWith('ERROR:'))
      .at(-1)
      ?.replace(/^ERROR:\s*/, '') ??
    lines.at(-1) ??
    'no error output'
  const pull = lines.findIndex((line) => /^#\d+ pulling image /.test(line))
  if (pull >= 0 && /^#\d+ ERROR:/.test(lines[pull + 1] ?? '')) {
    return (
      `The docker-container builder this action creates could not pull its BuildKit image ${plan.image}: ${said}. ` +
      'If this runner cannot reach that registry, give a reachable copy in "driver-opts" (image=REGISTRY/moby/buildkit:TAG), ' +
      'or a ready builder in "builder", or turn on the containerd image store so the default builder can build.'
    )
  }
  return `The docker-container builder this action creates did not start (${plan.name}): ${said}`
}

/**
 * Creates and boots the planned builder with the step's isolated DOCKER_CONFIG (buildx keeps its
 * builders there). `remember` runs before anything is created, so the post step removes the
 * builder even when this step is cancelled half-way; a builder that would not start is removed
 * at once. Returns the name the build uses ('' for the default builder).
 */
export async function setUpBuilder(
  buildx: Buildx,
  plan: BuilderPlan,
  dockerConfig: string,
  remember: (name: string) => void,
): Promise<string> {
  if (!plan.create) return plan.name
  const env = { DOCKER_CONFIG: dockerConfig }
  remember(plan.name)
  const failure = await core.group(`Create builder ${plan.name} (docker-container)`, async () => {
    try {
      const created = await runTool(buildx.file, buildxArgs(buildx, builderCreateArgs(plan)), {
        env,
        deadline: deadline('builderSetup', `docker buildx create (builder ${plan.name})`),
      })
      if (created.exitCode !== 0) {
        return `docker buildx create failed: ${tail(created.stderr, 4) || `exit ${created.exitCode}`}`
      }
      const booted = await runTool(buildx.file, buildxArgs(buildx, builderBootstrapArgs(plan.name)), {
        env,
        deadline: deadline('builderSetup', `docker buildx inspect --bootstrap ${plan.name}`),
      })
      return booted.exitCode === 0 ? undefined : bootstrapFailure(plan, booted.stderr)
    } catch (error) {
      // A call that timed out: what was created half-way is removed below all the same.
      return errorMessage(error)
    }
  })
  if (failure === undefined) return plan.name
  // One that would not go stays remembered: the post step tries again.
  if (await removeBuilder(buildx, plan.name, dockerConfig)) remember('')
  throw new Error(failure)
}

/** The `buildkitd-config` file as an absolute path (relative to the workspace); it must exist. */
export function buildkitdConfigPath(file: string, workspace: string): string {
  if (!file) return ''
  const absolute = resolve(workspace, file)
  if (!existsSync(absolute)) {
    throw new InputError(
      'buildkitd-config',
      `expected a BuildKit config file (buildkitd.toml), but ${file} does not exist`,
    )
  }
  return absolute
}

/** setup-buildx-action's inputs for the builder this action creates. */
export interface BuilderSetupInputs {
  /** `key=value` driver options, one per line (`image=…`, `network=…`, `env.http_proxy=…`). */
  driverOpts: string[]
  /** A buildkitd.toml (registry mirrors, insecure or self-signed registries); '' for none. */
  buildkitdConfig: string
}

/**
 * Reads `driver-opts` and `buildkitd-config`. They shape a builder this action creates, so they
 * cannot be combined with `builder` (a builder someone else made).
 */
export function readBuilderSetup(read: (name: string) => string): BuilderSetupInputs {
  const driverOpts = inputLines(read('driver-opts'))
  for (const opt of driverOpts) {
    if (!/^[^=\s]+=/.test(opt)) {
      throw new InputError('driver-opts', `expected one key=value per line (e.g. image=…), got "${opt}"`)
    }
  }
  const buildkitdConfig = read('buildkitd-config')
  const given = driverOpts.length > 0 ? 'driver-opts' : buildkitdConfig ? 'buildkitd-config' : undefined
  if (given && read('builder')) {
    throw new InputError(
      given,
      'configures the builder this action creates, so it cannot be combined with "builder"; ' +
        'set these options where that builder is created, or leave "builder" empty',
    )
  }
  return { driverOpts, buildkitdConfig }
}
