// Brings the Docker sandbox up once per jest run; `up` is idempotent and takes ~1 s when already up.
// Jest loads this file outside its module system: keep it free of relative imports.
import { spawn } from 'node:child_process'
import path from 'node:path'
import type { Config } from '@jest/types'

export function runSandboxScript(rootDir: string, command: 'up' | 'down'): Promise<void> {
  const script = path.join(rootDir, 'scripts', 'sandbox.sh')
  return new Promise((resolve, reject) => {
    // stdout carries no secrets (they go only to the env file); inherit both so progress shows.
    const child = spawn('bash', [script, command], { stdio: ['ignore', 'inherit', 'inherit'] })
    child.on('error', reject)
    child.on('exit', (code, signal) => {
      if (code === 0) {
        resolve()
        return
      }
      reject(
        new Error(
          `scripts/sandbox.sh ${command} failed (${signal ?? `exit ${String(code)}`}); its message is above. ` +
            'The e2e tests need root on Debian 12 with the Debian mirror reachable.',
        ),
      )
    })
  })
}

export default async function globalSetup(
  _global: Config.GlobalConfig,
  project: Config.ProjectConfig,
): Promise<void> {
  await runSandboxScript(project.rootDir, 'up')
}
