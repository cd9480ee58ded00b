// @ts-check
// Once per `npm run test:e2e`: bundles the current src/ for the tests that run the bundle (see
// ../action/current-bundle.mjs), then brings the Docker sandbox up with `scripts/sandbox.sh up`
// (idempotent: ~1 s when it is already up). global-teardown.mjs brings it down again.
import { spawn } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { provideCurrentBundle, removeCurrentBundle } from '../action/current-bundle.mjs'

const sandboxScript = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'scripts', 'sandbox.sh')

/** SANDBOX_KEEP=1 leaves the sandbox up after the run, for fast reruns. */
export const keepSandbox = () => process.env.SANDBOX_KEEP === '1'

/** @param {'up' | 'down'} command */
export function runSandboxScript(command) {
  return new Promise((resolve, reject) => {
    // stdout carries no secrets (they go only to the env file); inherit both so progress shows.
    const child = spawn('bash', [sandboxScript, command], { stdio: ['ignore', 'inherit', 'inherit'] })
    child.on('error', reject)
    child.on('exit', (code, signal) => {
      if (code === 0) {
        resolve(undefined)
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

export default async function globalSetup() {
  // The bundle first: a src/ that does not compile fails in seconds, before a cold sandbox start.
  await provideCurrentBundle()
  try {
    await runSandboxScript('up')
  } catch (err) {
    // Jest runs no teardown after a failed setup: undo what was done here.
    await removeCurrentBundle()
    if (!keepSandbox()) await runSandboxScript('down').catch(() => undefined)
    throw err
  }
}
