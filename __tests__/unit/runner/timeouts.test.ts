// How long each kind of call may take, and how a call that took too long is reported (#11, item 8).
import {
  CallTimedOut,
  deadline,
  formatDuration,
  timedOutMessage,
  TIMEOUTS,
} from '../../../src/runner/timeouts.js'

describe('formatDuration', () => {
  test.each([
    [200, '200ms'],
    [1_000, '1s'],
    [1_500, '1.5s'],
    [59_000, '59s'],
    [60_000, '1m'],
    [90_000, '1m30s'],
    [120_000, '2m'],
    [3_600_000, '60m'],
  ])('%d ms is %s', (ms, text) => expect(formatDuration(ms)).toBe(text))
})

describe('the limits', () => {
  test('every call to a registry or the engine has one, generous for slow registries', () => {
    expect(TIMEOUTS).toEqual({
      login: 120_000,
      probe: 120_000,
      toolVersion: 30_000,
      sign: 600_000,
      builderSetup: 600_000,
      builderRemove: 120_000,
      qemuInstall: 600_000,
      load: 1_800_000,
      unpack: 300_000,
      cache: 300_000,
    })
  })

  test('loading the whole image into the engine may take the longest', () => {
    expect(Math.max(...Object.values(TIMEOUTS))).toBe(TIMEOUTS.load)
  })

  test('a limit can be given for one call (tests shorten them this way)', () => {
    expect(deadline('login', 'docker login ghcr.io')).toEqual({ ms: 120_000, what: 'docker login ghcr.io' })
    expect(deadline('login', 'docker login ghcr.io', { ...TIMEOUTS, login: 200 })).toEqual({
      ms: 200,
      what: 'docker login ghcr.io',
    })
  })
})

describe('the error', () => {
  test('names the call, with its registry or reference, and the limit', () => {
    expect(timedOutMessage(deadline('login', 'docker login ghcr.io'))).toBe(
      'docker login ghcr.io timed out after 2m and was stopped',
    )
    expect(timedOutMessage(deadline('load', 'docker load of ghcr.io/acme/app:1.2.3'))).toBe(
      'docker load of ghcr.io/acme/app:1.2.3 timed out after 30m and was stopped',
    )
    const error = new CallTimedOut(deadline('sign', 'cosign sign ghcr.io/acme/app@sha256:0'))
    expect(error).toBeInstanceOf(Error)
    expect(error.name).toBe('CallTimedOut')
    expect(error.message).toBe('cosign sign ghcr.io/acme/app@sha256:0 timed out after 10m and was stopped')
  })
})
