// @ts-check
// After `npm run test:e2e`: removes the bundle global-setup.mjs built, and brings the sandbox down
// (`scripts/sandbox.sh down`: stops it and undoes its changes to the machine) unless SANDBOX_KEEP=1.
// A jest run that crashed or was interrupted runs no teardown: `sudo scripts/sandbox.sh down` then.
import { removeCurrentBundle } from '../action/current-bundle.mjs'
import { keepSandbox, runSandboxScript } from './global-setup.mjs'

export default async function globalTeardown() {
  await removeCurrentBundle()
  if (keepSandbox()) {
    process.stderr.write('SANDBOX_KEEP=1: the sandbox stays up; stop it with: sudo scripts/sandbox.sh down\n')
    return
  }
  await runSandboxScript('down')
}
