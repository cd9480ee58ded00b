import { existsSync, readFileSync } from 'node:fs'
import * as core from '@actions/core'
import { info } from '../action/log.js'
import { InputError } from '../action/errors.js'
import { parseImageReference } from '../metadata/image-reference.js'
import { deadline } from '../runner/timeouts.js'
import { runTool, tail, type ToolResult } from '../runner/tool.js'

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

const BINFMT_MISC = '/proc/sys/fs/binfmt_misc'
/** docker/setup-qemu-action's default image. */
export const DEFAULT_QEMU_IMAGE = 'docker.io/tonistiigi/binfmt:latest'
const SETUP_MODES = ['auto', 'true', 'false'] as const
export type QemuSetup = (typeof SETUP_MODES)[number]

export interface QemuInputs {
  /** auto: install what `platforms` lacks; true: install every architecture the image has; false: never. */
  setup: QemuSetup
  /** The binfmt installer image (tonistiigi/binfmt's command line). */
  image: string
}

export function readQemuInputs(setup: string, image: string): QemuInputs {
  const mode = setup.trim().toLowerCase()
  if (mode !== '' && !(SETUP_MODES as readonly string[]).includes(mode)) {
    throw new InputError('setup-qemu', `expected "auto", "true" or "false", got "${setup}"`)
  }
  const reference = image.trim() || DEFAULT_QEMU_IMAGE
  // Checked as a reference so that nothing docker would read as an option reaches its argv.
  parseImageReference(reference, 'qemu-image')
  return { setup: mode === '' ? 'auto' : (mode as QemuSetup), image: reference }
}

export function dockerArch(nodeArch: string): string {
  return NODE_ARCH[nodeArch] ?? nodeArch
}

function archOf(platform: string): string {
  return platform.split('/')[1] ?? ''
}

function handlerOf(platform: string): string {
  return `qemu-${QEMU_NAMES[archOf(platform)] ?? '?'}`
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
  return foreignPlatforms(platforms, hostArch).filter((platform) => {
    const qemu = QEMU_NAMES[archOf(platform)]
    return qemu === undefined || !hasHandler(qemu)
  })
}

function foreignPlatforms(platforms: string[], hostArch: string): string[] {
  const native = NATIVE[hostArch] ?? [hostArch]
  return platforms.filter((platform) => !native.includes(archOf(platform)))
}

export function emulatorProblem(missing: string[], hostArch: string): string | undefined {
  if (missing.length === 0) return undefined
  return (
    `Input "platforms": ${missing.join(', ')} cannot run on this ${hostArch} host: no QEMU handler ` +
    `(${missing.map(handlerOf).join(', ')}) is registered in ${BINFMT_MISC}, and input "setup-qemu" is ` +
    'false. Set setup-qemu to auto to let this action install it, register QEMU before this step, or ' +
    'build only the native platform.'
  )
}

/** What to do about QEMU before building, decided before any side effect. */
export interface EmulatorPlan {
  /** binfmt's `--install` list: docker architecture names, or `all`; empty installs nothing. */
  install: string[]
  image: string
  /** The foreign platforms: each must have an enabled handler once the installer has run. */
  emulated: string[]
  /** For the log. */
  reason: string
}

/**
 * `auto` installs exactly the architectures `platforms` lacks, and nothing when none is missing;
 * `true` installs every architecture the image provides, as docker/setup-qemu-action does, for
 * jobs whose later steps run foreign images too; `false` never installs, so a missing handler
 * fails here. `hasHandler` gets the QEMU name (`riscv64`).
 */
export function planEmulators(
  platforms: string[],
  qemu: QemuInputs,
  hostArch: string,
  hasHandler: (qemuName: string) => boolean,
): EmulatorPlan {
  const emulated = foreignPlatforms(platforms, hostArch)
  const missing = missingEmulators(platforms, hostArch, hasHandler)
  const plan = { image: qemu.image, emulated }
  if (qemu.setup === 'true') {
    return {
      ...plan,
      install: ['all'],
      reason: `QEMU: installing every architecture ${qemu.image} provides (setup-qemu: true)`,
    }
  }
  if (missing.length > 0) {
    if (qemu.setup === 'false') throw new Error(emulatorProblem(missing, hostArch))
    const install = [...new Set(missing.map(archOf))]
    return {
      ...plan,
      install,
      reason: `QEMU: installing ${install.join(', ')} with ${qemu.image}: no handler is registered for ${missing.join(', ')}`,
    }
  }
  const reason =
    emulated.length === 0
      ? `QEMU: not needed, no platform is foreign to this ${hostArch} host`
      : `QEMU: nothing to install, ${emulated.map((platform) => `${platform} (${handlerOf(platform)})`).join(', ')} already registered`
  return { ...plan, install: [], reason }
}

/** The binfmt installer's command line: a privileged container that writes to binfmt_misc. */
export function qemuInstallArgv(plan: EmulatorPlan): string[] {
  return ['run', '--rm', '--privileged', plan.image, '--install', plan.install.join(',')]
}

/**
 * Why running the installer failed, or undefined when it ran. A pull that never finished (docker
 * prints "Unable to find image" but no "Downloaded newer image") gets the offline way out.
 */
export function installFailure(plan: EmulatorPlan, result: ToolResult): string | undefined {
  if (result.exitCode === 0) return undefined
  const pulled = /^Status: (Downloaded newer image|Image is up to date)/m.test(result.stderr)
  if (/^Unable to find image/m.test(result.stderr) && !pulled) {
    const daemon = /^docker: (.+)$/m.exec(result.stderr)?.[1] ?? tail(result.stderr, 1)
    return (
      `QEMU setup: could not pull ${plan.image} (input "qemu-image") to install ${plan.install.join(', ')}: ` +
      `${daemon}. Without access to that registry, set qemu-image to a copy of the image this runner can ` +
      'pull, or register QEMU yourself (Debian/Ubuntu: apt-get install qemu-user-static binfmt-support) ' +
      'and set setup-qemu to false. Nothing was built or pushed.'
    )
  }
  return `QEMU setup: docker ${qemuInstallArgv(plan).join(' ')} failed (exit ${result.exitCode}): ${tail(result.stderr)}`
}

/** The platforms the installer left without a handler, as an error; undefined when none. */
export function stillMissingProblem(plan: EmulatorPlan, missing: string[]): string | undefined {
  if (missing.length === 0) return undefined
  return (
    `QEMU setup: after docker ${qemuInstallArgv(plan).join(' ')}, ${missing.join(', ')} still has no enabled ` +
    `handler (${missing.map(handlerOf).join(', ')}) in ${BINFMT_MISC}; the installer's output is above. ` +
    'Register QEMU yourself (Debian/Ubuntu: apt-get install qemu-user-static binfmt-support) and set ' +
    'setup-qemu to false, or build only the native platform.'
  )
}

/** A binfmt_misc handler that exists and is enabled. */
export function binfmtHandlerEnabled(qemuName: string): boolean {
  const path = `${BINFMT_MISC}/qemu-${qemuName}`
  if (!existsSync(path)) return false
  try {
    return /^enabled$/m.test(readFileSync(path, 'utf8'))
  } catch {
    return false
  }
}

/**
 * Runs the plan: the installer container (with `env`, the isolated DOCKER_CONFIG, so the step's
 * logins reach a private qemu-image), then binfmt_misc is read again, since the installer exits 0
 * even when it could not register a handler.
 */
export async function setUpEmulators(
  docker: string,
  plan: EmulatorPlan,
  env: Record<string, string>,
): Promise<void> {
  info(plan.reason)
  if (plan.install.length === 0) return
  const result = await core.group('Set up QEMU', () =>
    runTool(docker, qemuInstallArgv(plan), {
      env,
      deadline: deadline('qemuInstall', `docker run ${plan.image} (the QEMU installer)`),
    }),
  )
  const failure = installFailure(plan, result)
  if (failure) throw new Error(failure)
  const hostArch = dockerArch(process.arch)
  const problem = stillMissingProblem(plan, missingEmulators(plan.emulated, hostArch, binfmtHandlerEnabled))
  if (problem) throw new Error(problem)
}
