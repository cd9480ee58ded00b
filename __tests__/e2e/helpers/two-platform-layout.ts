import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { docker } from './exec.js'
import type { SandboxEnv } from './sandbox-env.js'

/**
 * Builds `<work>/layout`: a linux/amd64 + linux/arm64 OCI layout FROM the sandbox base image with
 * one `RUN` step (so QEMU runs for arm64), as the action's build stage leaves it for the scan.
 */
export async function buildTwoPlatformLayout(
  env: SandboxEnv,
  work: string,
  runStep: string,
  timeoutMs: number,
): Promise<string> {
  const context = path.join(work, 'context')
  mkdirSync(context, { recursive: true })
  writeFileSync(path.join(context, 'Dockerfile'), `ARG BASE_IMAGE\nFROM \${BASE_IMAGE}\nRUN ${runStep}\n`)
  const layoutDir = path.join(work, 'layout')
  await docker(
    env,
    [
      'buildx',
      'build',
      '--platform',
      'linux/amd64,linux/arm64',
      '--build-arg',
      `BASE_IMAGE=${env.baseImage}`,
      '--output',
      `type=oci,dest=${layoutDir},tar=false`,
      context,
    ],
    { timeoutMs },
  )
  return layoutDir
}
