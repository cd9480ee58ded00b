// The sandbox stays up after the run so reruns are fast; SANDBOX_TEARDOWN=1 stops it. CI may instead
// call `scripts/sandbox.sh down` itself, which also covers a jest run that crashed.
// Jest loads this file outside its module system: keep it free of relative imports.
import { spawn } from 'node:child_process'
import path from 'node:path'
import type { Config } from '@jest/types'

export default async function globalTeardown(
  _global: Config.GlobalConfig,
  project: Config.ProjectConfig,
): Promise<void> {
  if (process.env.SANDBOX_TEARDOWN !== '1') return
  const script = path.join(project.rootDir, 'scripts', 'sandbox.sh')
  await new Promise<void>((resolve, reject) => {
    const child = spawn('bash', [script, 'down'], { stdio: ['ignore', 'inherit', 'inherit'] })
    child.on('error', reject)
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`scripts/sandbox.sh down failed (exit ${String(code)})`)),
    )
  })
}
