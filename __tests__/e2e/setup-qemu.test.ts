// setup-qemu against the real sandbox engine. The sandbox registers QEMU for every architecture, so
// this file disables qemu-riscv64 (only that one: the other e2e files build amd64 and arm64) to give
// the action a missing handler; at the end it puts the sandbox's own registration back, enabled.
// Its tests run one after another, in this order: the last one registers riscv64 again.
import { randomBytes } from 'node:crypto'
import { copyFileSync, cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { dockerArch } from '../../src/build/qemu.js'
import { docker } from './helpers/exec.js'
import { loadSandboxEnv, repoRoot } from './helpers/sandbox-env.js'
import {
  log,
  output,
  pushEvent,
  registryAuth,
  runBuildPush,
  tagsOf,
  uniqueRepo,
} from './helpers/build-push-run.js'

const env = loadSandboxEnv()
const BINFMT_MISC = '/proc/sys/fs/binfmt_misc'
const RISCV64_HANDLER = `${BINFMT_MISC}/qemu-riscv64`
const INSTALLER_FIXTURE = path.join(repoRoot, '__tests__', 'e2e', 'fixtures', 'binfmt-installer')
const RUN_MS = 120_000
// The default for every test and hook of this file that names no timeout of its own. Set here, per
// file: jest-circus ignores a project-level testTimeout. Generous, for a loaded 2-core machine.
import.meta.jest.setTimeout(RUN_MS)
const hostArch = dockerArch(process.arch)
// runTool echoes every command it runs as "[command]<file> <args>" (the form @actions/exec used);
// buildx runs as its plugin binary (…/docker-buildx build) or, found nowhere, as docker buildx build.
const INSTALLER_COMMAND =
  /\[command\]\S*docker run --rm --privileged docker\.io\/tonistiigi\/binfmt:latest --install riscv64\n/
const BUILD_COMMAND = /\[command\]\S*docker[- ]buildx build /

let sandboxRegistration = ''

beforeAll(() => {
  sandboxRegistration = readFileSync(RISCV64_HANDLER, 'utf8')
  writeFileSync(RISCV64_HANDLER, '0')
  expect(readFileSync(RISCV64_HANDLER, 'utf8')).toMatch(/^disabled$/m)
})

afterAll(() => {
  if (!sameRegistration(readFileSync(RISCV64_HANDLER, 'utf8'), sandboxRegistration)) {
    writeFileSync(RISCV64_HANDLER, '-1')
    writeFileSync(`${BINFMT_MISC}/register`, registerLine('qemu-riscv64', sandboxRegistration))
  }
  writeFileSync(RISCV64_HANDLER, '1')
})

/** Two binfmt_misc entries alike but for enabled/disabled. */
function sameRegistration(a: string, b: string): boolean {
  return a.split('\n').slice(1).join('\n') === b.split('\n').slice(1).join('\n')
}

/** The `register` line that recreates an entry as binfmt_misc shows it (magic and mask in hex). */
function registerLine(name: string, entry: string): string {
  const field = (key: string): string => new RegExp(`^${key} (.*)$`, 'm').exec(entry)?.[1] ?? ''
  const escaped = (hex: string): string => hex.replace(/../g, '\\x$&')
  const flags = field('flags:')
  return `:${name}:M:${field('offset')}:${escaped(field('magic'))}:${escaped(field('mask'))}:${field('interpreter')}:${flags}`
}

/**
 * A static riscv64 Linux program of nine instructions: write(1, message), exit(0). A RUN step
 * that executes it succeeds only if the kernel hands it to a riscv64 emulator.
 */
function riscv64Program(message: string): Buffer {
  const text = Buffer.from(message)
  const addi = (rd: number, rs1: number, imm: number): number => (imm << 20) | (rs1 << 15) | (rd << 7) | 0x13
  const ecall = 0x00000073
  const code = [
    0x00000597, // auipc a1, 0
    addi(11, 11, 9 * 4), // a1: the message, after the nine instructions
    addi(10, 0, 1), // a0: stdout
    addi(12, 0, text.length), // a2: length
    addi(17, 0, 64), // a7: write
    ecall,
    addi(10, 0, 0), // a0: status 0
    addi(17, 0, 93), // a7: exit
    ecall,
  ]
  const body = Buffer.concat([Buffer.from(Uint32Array.from(code).buffer), text])
  const base = 0x10000
  const headers = Buffer.alloc(64 + 56) // ELF header, one program header
  const size = BigInt(headers.length + body.length)
  Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]).copy(headers) // ELF, 64-bit, little-endian, v1
  headers.writeUInt16LE(2, 16) // executable
  headers.writeUInt16LE(0xf3, 18) // RISC-V
  headers.writeUInt32LE(1, 20)
  headers.writeBigUInt64LE(BigInt(base + headers.length), 24) // entry: the first instruction
  headers.writeBigUInt64LE(64n, 32) // program headers' offset
  headers.writeUInt16LE(64, 52)
  headers.writeUInt16LE(56, 54)
  headers.writeUInt16LE(1, 56)
  headers.writeUInt32LE(1, 64) // PT_LOAD the whole file
  headers.writeUInt32LE(5, 68) // read + execute
  headers.writeBigUInt64LE(BigInt(base), 80)
  headers.writeBigUInt64LE(BigInt(base), 88)
  headers.writeBigUInt64LE(size, 96)
  headers.writeBigUInt64LE(size, 104)
  headers.writeBigUInt64LE(0x1000n, 112)
  return Buffer.concat([headers, body])
}

/**
 * Builds the binfmt installer from Debian's qemu-user-static (the fixture's Dockerfile and
 * script, the host's qemu-riscv64-static and its binfmts entry), pushes it to the plain registry
 * and removes it from the engine, so the action has to pull it.
 */
async function pushBinfmtInstaller(reference: string): Promise<void> {
  const context = mkdtempSync(path.join(os.tmpdir(), 'bsp-binfmt-installer-'))
  try {
    cpSync(INSTALLER_FIXTURE, context, { recursive: true })
    copyFileSync('/usr/bin/qemu-riscv64-static', path.join(context, 'qemu-riscv64-static'))
    copyFileSync('/usr/share/binfmts/qemu-riscv64', path.join(context, 'qemu-riscv64'))
    await docker(env, ['build', '--build-arg', `BASE_IMAGE=${env.baseImage}`, '--tag', reference, context])
    await docker(env, ['push', reference])
    await docker(env, ['image', 'rm', reference])
  } finally {
    await rm(context, { recursive: true, force: true })
  }
}

/** A tag push to a fresh repository of the plain registry, of linux/amd64 + linux/riscv64 unless `inputs` say otherwise. */
function riscvRelease(repo: string, inputs: Record<string, string>): Parameters<typeof runBuildPush>[1] {
  return {
    event: pushEvent('refs/tags/v1.0.0'),
    inputs: {
      images: `${env.plain.host}/${repo}`,
      platforms: 'linux/amd64,linux/riscv64',
      'registry-auth': registryAuth(env.plain),
      ...inputs,
    },
  }
}

test(
  'setup-qemu auto runs the binfmt installer for the missing riscv64 only, and without Docker Hub fails clearly, pushing nothing',
  async () => {
    const repo = uniqueRepo('qemu-auto')
    const result = await runBuildPush(env, riscvRelease(repo, { 'setup-qemu': 'auto' }))
    try {
      const text = log(result)
      expect(result.main.code).toBe(1)
      expect(text).toMatch(
        'QEMU: installing riscv64 with docker.io/tonistiigi/binfmt:latest: no handler is registered for linux/riscv64',
      )
      expect(text).toMatch(INSTALLER_COMMAND)
      // After the login (so a private qemu-image would pull), before the build.
      expect(text.indexOf(`Logged in to ${env.plain.host}`)).toBeGreaterThanOrEqual(0)
      expect(text.indexOf(`Logged in to ${env.plain.host}`)).toBeLessThan(text.search(INSTALLER_COMMAND))
      expect(text).not.toMatch(BUILD_COMMAND)
      expect(result.main.stdout).toContain(
        '::error::QEMU setup: could not pull docker.io/tonistiigi/binfmt:latest (input "qemu-image") to install ' +
          'riscv64: Error response from daemon: failed to resolve reference "docker.io/tonistiigi/binfmt:latest": ',
      )
      expect(result.main.stdout).toMatch(
        /registry-1\.docker\.io[^\n]*: no such host\. Without access to that registry, set qemu-image to a copy of the image this runner can pull, or register QEMU yourself \(Debian\/Ubuntu: apt-get install qemu-user-static binfmt-support\) and set setup-qemu to false\. Nothing was built or pushed\.\n/,
      )
      expect(result.outputs.pushed).toBeUndefined()
      expect(await tagsOf(env.plain, repo)).toEqual([])
      expect(result.post.code).toBe(0)
      // The installer did not register anything behind the test's back.
      expect(readFileSync(RISCV64_HANDLER, 'utf8')).toMatch(/^disabled$/m)
    } finally {
      await rm(result.runnerTemp, { recursive: true, force: true })
    }
  },
  RUN_MS,
)

test(
  'setup-qemu false never installs: the missing riscv64 handler fails the step before the login, naming the input',
  async () => {
    const repo = uniqueRepo('qemu-false')
    const result = await runBuildPush(env, riscvRelease(repo, { 'setup-qemu': 'false' }))
    try {
      const text = log(result)
      expect(result.main.code).toBe(1)
      expect(result.main.stdout).toContain(
        `::error::Input "platforms": linux/riscv64 cannot run on this ${hostArch} host: no QEMU handler ` +
          '(qemu-riscv64) is registered in /proc/sys/fs/binfmt_misc, and input "setup-qemu" is false. Set ' +
          'setup-qemu to auto to let this action install it, register QEMU before this step, or build only ' +
          'the native platform.',
      )
      expect(text).not.toMatch(/--privileged/)
      expect(text).not.toContain('Logged in to')
      expect(text).not.toMatch(BUILD_COMMAND)
      expect(await tagsOf(env.plain, repo)).toEqual([])
    } finally {
      await rm(result.runnerTemp, { recursive: true, force: true })
    }
  },
  RUN_MS,
)

test(
  'setup-qemu true runs the installer for every architecture even when no platform is foreign',
  async () => {
    const repo = uniqueRepo('qemu-true')
    const result = await runBuildPush(
      env,
      riscvRelease(repo, { platforms: 'linux/amd64', 'setup-qemu': 'true' }),
    )
    try {
      const text = log(result)
      expect(result.main.code).toBe(1)
      expect(text).toMatch(
        /\[command\]\S*docker run --rm --privileged docker\.io\/tonistiigi\/binfmt:latest --install all\n/,
      )
      expect(result.main.stdout).toContain(
        '::error::QEMU setup: could not pull docker.io/tonistiigi/binfmt:latest (input "qemu-image") to install all: ',
      )
      expect(text).not.toMatch(BUILD_COMMAND)
      expect(await tagsOf(env.plain, repo)).toEqual([])
    } finally {
      await rm(result.runnerTemp, { recursive: true, force: true })
    }
  },
  RUN_MS,
)

test(
  'setup-qemu auto with a qemu-image in a registry it reaches (a binfmt installer built from Debian’s qemu-user-static) registers riscv64, and a riscv64 RUN step runs',
  async () => {
    const installer = `${env.plain.host}/${uniqueRepo('binfmt-installer')}:latest`
    await pushBinfmtInstaller(installer)
    const context = mkdtempSync(path.join(os.tmpdir(), 'bsp-riscv64-context-'))
    // A message of its own, so that buildkit has no cached result for the RUN step.
    const greeting = `hello from riscv64 ${randomBytes(4).toString('hex')}`
    writeFileSync(path.join(context, 'hello'), riscv64Program(`${greeting}\n`), { mode: 0o755 })
    writeFileSync(path.join(context, 'Dockerfile'), 'FROM scratch\nCOPY hello /hello\nRUN ["/hello"]\n')
    const repo = uniqueRepo('qemu-installed')
    const result = await runBuildPush(env, {
      event: pushEvent('refs/tags/v1.0.0'),
      inputs: {
        images: `${env.plain.host}/${repo}`,
        context,
        platforms: 'linux/riscv64',
        'registry-auth': registryAuth(env.plain),
        'qemu-image': installer,
      },
    })
    try {
      const text = log(result)
      expect(text).toContain(`[command]${env.docker} run --rm --privileged ${installer} --install riscv64\n`)
      expect(text).toContain('installing: riscv64 OK')
      expect(result.main.code).toBe(0)
      expect(readFileSync(RISCV64_HANDLER, 'utf8')).toMatch(
        /^enabled\ninterpreter \/usr\/bin\/qemu-riscv64-static\nflags: F\n/,
      )
      expect(text).toMatch(new RegExp(`RUN \\["/hello"\\]\\n#\\d+ [\\d.]+ ${greeting}\\n`))
      // The form the other cases look for, and do not find, when they stop before the build.
      expect(text).toMatch(BUILD_COMMAND)
      expect(output(result, 'pushed')).toBe('true')
      expect(await tagsOf(env.plain, repo)).toContain('1.0.0')
    } finally {
      await rm(result.runnerTemp, { recursive: true, force: true })
      await rm(context, { recursive: true, force: true })
      // The installer the action pulled; absent when the run stopped before the pull.
      await docker(env, ['image', 'rm', installer]).catch(() => undefined)
    }
  },
  RUN_MS,
)
