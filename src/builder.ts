import { engineProblem, type Capabilities } from './capabilities.js'

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
 * platforms when asked. Only the `docker` driver on the classic image store cannot. One small
 * function on purpose: issue #7 grows it to create a docker-container builder instead of failing.
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
    `${needs}. Turn on the containerd image store (daemon.json: {"features":{"containerd-snapshotter":true}}) ` +
    'or give a docker-container builder in the "builder" input (docker/setup-buildx-action creates one).'
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
  const unfit = builderProblem(facts)
  if (unfit) throw new Error(unfit)
  return facts
}
