// startPreparation, the part of the scan stage that runs while the image builds: it starts at once,
// holds its log lines until the scan stage asks for the scanner, and keeps its failure for then.
import { startPreparation } from '../../../src/scan/preparation.js'
import type { PreparedScanner } from '../../../src/scan/scanner.js'

const scanner: PreparedScanner = {
  scan: () => Promise.reject(new Error('not scanned in these tests')),
}

/** A preparation whose end the test decides, recording what happened in `events`. */
function controlled(events: string[]) {
  let finish: (() => void) | undefined
  const preparation = startPreparation(async (log) => {
    events.push('prepare started')
    log('Using trivy 0.74.0 found at /opt/trivy')
    await new Promise<void>((resolve) => (finish = resolve))
    log('Trivy DB cache not restored: the cache service is down')
    return scanner
  })
  return { preparation, finish: () => finish?.() }
}

const settle = () => new Promise((resolve) => setImmediate(resolve))

test('the preparation starts before the scan stage asks for it; its lines wait for the stage, in order', async () => {
  const events: string[] = []
  const { preparation, finish } = controlled(events)
  await settle()
  expect(events).toEqual(['prepare started'])
  finish()
  await settle()
  // Both lines were made while "the image built": none printed yet.
  expect(events).toEqual(['prepare started'])
  const ready = await preparation.ready((line) => events.push(line))
  expect(ready).toBe(scanner)
  expect(events).toEqual([
    'prepare started',
    'Using trivy 0.74.0 found at /opt/trivy',
    'Trivy DB cache not restored: the cache service is down',
  ])
})

test('lines made after the stage began are printed as they come, after the held ones', async () => {
  const printed: string[] = []
  const { preparation, finish } = controlled([])
  await settle()
  const ready = preparation.ready((line) => printed.push(line))
  expect(printed).toEqual(['Using trivy 0.74.0 found at /opt/trivy'])
  finish()
  await ready
  expect(printed).toEqual([
    'Using trivy 0.74.0 found at /opt/trivy',
    'Trivy DB cache not restored: the cache service is down',
  ])
})

test('a failing preparation fails only when the stage asks, with its own error', async () => {
  const thrown = startPreparation(() => {
    throw new Error('Cannot download https://example.invalid/trivy.tar.gz: HTTP 404')
  })
  const rejected = startPreparation(() => Promise.reject(new Error('checksum mismatch')))
  await settle()
  await expect(thrown.ready(() => undefined)).rejects.toThrow(
    'Cannot download https://example.invalid/trivy.tar.gz: HTTP 404',
  )
  await expect(rejected.ready(() => undefined)).rejects.toThrow('checksum mismatch')
})

test('a failed preparation no stage asks for (the build failed) is no unhandled rejection', async () => {
  const unhandled: unknown[] = []
  const record = (reason: unknown) => unhandled.push(reason)
  process.on('unhandledRejection', record)
  try {
    startPreparation(() => Promise.reject(new Error('trivy 0.73.0 not found')))
    // Node reports an unhandled rejection after the microtasks of the turn that rejected it.
    await settle()
    await settle()
  } finally {
    process.off('unhandledRejection', record)
  }
  expect(unhandled).toEqual([])
})
