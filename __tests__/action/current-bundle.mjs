// @ts-check
// The bundle that the bundle tests run (the `action` project, and the e2e tests that call
// runAction): a fresh `ncc build` of the current src/ in a temporary directory, never a dist/ that
// may be stale. scripts/local-run.mjs reads it from ACTION_BUNDLE_DIR. Jest runs global setups in
// its own process before it starts any test worker, so the workers inherit the variable.
// A bundle directory already given in ACTION_BUNDLE_DIR is used as it is, and never removed: .ci/run
// passes dist/ right after checking that it is the bundle of src/, so CI builds once.
// Plain ESM (.mjs): jest loads global setup files outside its module system, where ts-jest's
// `.js` -> `.ts` mapping does not apply, so the setup files import this one by its real name.
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')

/** Builds the bundle of src/ unless ACTION_BUNDLE_DIR already names one; sets ACTION_BUNDLE_DIR. */
export async function provideCurrentBundle() {
  const given = process.env.ACTION_BUNDLE_DIR
  if (given) {
    // Built (or tried) by another project's global setup in this jest run.
    if (process.env.BSP_TEST_BUNDLE_BUILT === given) return
    if (!existsSync(join(resolve(given), 'index.js'))) {
      throw new Error(`ACTION_BUNDLE_DIR=${given} has no index.js; unset it to test a fresh build of src/`)
    }
    process.stderr.write(`The bundle tests run the bundle in ACTION_BUNDLE_DIR=${given}\n`)
    return
  }
  const dir = await mkdtemp(join(tmpdir(), 'bsp-bundle-'))
  const started = Date.now()
  process.stderr.write('Bundling the current src/ for the bundle tests (ncc build src/index.ts)...\n')
  // Never dist/ instead, even when the build fails: the bundle tests must fail then.
  process.env.ACTION_BUNDLE_DIR = dir
  // What this jest process built, and so must remove: kept in the environment, not in this module,
  // as jest may load the setup and the teardown files as separate module instances.
  process.env.BSP_TEST_BUNDLE_BUILT = dir
  const failure = await ncc(['build', 'src/index.ts', '-o', dir, '--source-map'])
  if (failure === undefined) {
    process.stderr.write(`Bundled src/ in ${((Date.now() - started) / 1000).toFixed(1)} s: ${dir}\n`)
    return
  }
  // A type error anywhere (ncc checks the whole tsconfig project) fails the build. Throwing here
  // would abort the whole jest run; instead every run of the bundle fails with the reason
  // (scripts/local-run.mjs reads ACTION_BUNDLE_ERROR), and the other tests still run.
  process.stderr.write(`${failure}\n`)
  const errors = failure.split('\n').filter((line) => /error|TS\d+:/i.test(line) && !/^\s+at /.test(line))
  process.env.ACTION_BUNDLE_ERROR = [
    'The bundle of src/ could not be built for the bundle tests (ncc build src/index.ts; its whole',
    'output is printed above the test results):',
    ...errors.slice(0, 10),
  ].join('\n')
}

/** Removes the bundle provideCurrentBundle built, if it built one; a given bundle is left alone. */
export async function removeCurrentBundle() {
  const dir = process.env.BSP_TEST_BUNDLE_BUILT
  if (!dir || process.env.ACTION_BUNDLE_DIR !== dir) return
  delete process.env.BSP_TEST_BUNDLE_BUILT
  delete process.env.ACTION_BUNDLE_DIR
  delete process.env.ACTION_BUNDLE_ERROR
  await rm(dir, { recursive: true, force: true })
}

/**
 * Runs ncc; resolves to undefined when it succeeded, else to what went wrong with its output.
 * @param {string[]} args
 * @returns {Promise<string | undefined>}
 */
function ncc(args) {
  const bin = join(repoRoot, 'node_modules', '.bin', 'ncc')
  return new Promise((resolvePromise) => {
    execFile(bin, args, { cwd: repoRoot, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (!error) resolvePromise(undefined)
      else if (error.code === 'ENOENT') resolvePromise(`${bin} not found: run npm ci first`)
      else resolvePromise(`ncc ${args.join(' ')} failed (exit ${error.code}):\n${stdout}${stderr}`)
    })
  })
}
