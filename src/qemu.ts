import { existsSync, readFileSync } from 'node:fs'

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

/** Fails, before any side effect, when a platform's RUN steps could not execute on this host. */
export function checkEmulators(platforms: string[]): void {
  const hostArch = dockerArch(process.arch)
  const problem = emulatorProblem(missingEmulators(platforms, hostArch, binfmtHandlerEnabled), hostArch)
  if (problem) throw new Error(problem)
}
