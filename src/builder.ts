import { existsSync, readFileSync } from 'node:fs'
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

// Docker's architecture names → the binfmt_misc handler QEMU registers (qemu-<name>).
const QEMU_NAMES: Record<string, string> = {
  amd64: 'x86_64',
  '386': 'i386',
  arm64: 'aarch64',
  arm: 'arm',
  ppc64le: 'ppc64le',
  ppc64: 'ppc64',
  s390x: 's390x',
  riscv64: 'riscv64',
  mips64le: 'mips64el',
  mips64: 'mips64',
  loong64: 'loongarch64',
}
// Architectures a host runs without emulation.
const NATIVE: Record<string, string[]> = { amd64: ['amd64', '386'], arm64: ['arm64', 'arm'] }
// Node's process.arch → docker's name.
const NODE_ARCH: Record<string, string> = { x64: 'amd64', ia32: '386', ppc64: 'ppc64le' }

export function dockerArch(nodeArch: string): string {
  return NODE_ARCH[nodeArch] ?? nodeArch
}

/**
 * The platforms whose RUN steps could not execute here: a foreign architecture with no QEMU
 * handler registered in binfmt_misc. `hasHandler` gets the QEMU name (`aarch64`).
 */
export function missingEmulators(
  platforms: string[],
  hostArch: string,
  hasHandler: (qemuName: string) => boolean,
): string[] {
  const native = NATIVE[hostArch] ?? [hostArch]
  return platforms.filter((platform) => {
    const arch = platform.split('/')[1] ?? ''
    if (native.includes(arch)) return false
    const qemu = QEMU_NAMES[arch]
    return qemu === undefined || !hasHandler(qemu)
  })
}

export function emulatorProblem(missing: string[], hostArch: string): string | undefined {
  if (missing.length === 0) return undefined
  const handlers = missing.map((platform) => `qemu-${QEMU_NAMES[platform.split('/')[1] ?? ''] ?? '?'}`)
  return (
    `Input "platforms": ${missing.join(', ')} cannot run on this ${hostArch} host: no QEMU handler ` +
    `(${handlers.join(', ')}) is registered in /proc/sys/fs/binfmt_misc. Add docker/setup-qemu-action ` +
    'before this step, or build only the native platform.'
  )
}

/** A binfmt_misc handler that exists and is enabled. */
export function binfmtHandlerEnabled(qemuName: string): boolean {
  const path = `/proc/sys/fs/binfmt_misc/qemu-${qemuName}`
  if (!existsSync(path)) return false
  try {
    return /^enabled$/m.test(readFileSync(path, 'utf8'))
  } catch {
    return false
  }
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
  const hostArch = dockerArch(process.arch)
  const emulation = emulatorProblem(missingEmulators(platforms, hostArch, binfmtHandlerEnabled), hostArch)
  if (emulation) throw new Error(emulation)
  return facts
}
