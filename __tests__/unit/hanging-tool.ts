// A stand-in for docker that never answers, as a registry that hangs would make it, for
// the tests of the time limits (#11, item 8). It writes its arguments down, then sleeps.
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'

export interface HangingTool {
  /** The executable to pass where a docker path is expected. */
  path: string
  /** The argument lists it was started with, one per call. */
  calls(): string[][]
}

export function hangingTool(dir: string, name: string): HangingTool {
  const file = path.join(dir, name)
  const log = path.join(dir, `${name}.calls`)
  writeFileSync(
    file,
    `#!/bin/sh\n# TEST DOUBLE, not ${name}: logs its arguments, then hangs.\necho "$*" >> '${log}'\nexec sleep 30\n`,
  )
  chmodSync(file, 0o755)
  return {
    path: file,
    calls: () =>
      existsSync(log)
        ? readFileSync(log, 'utf8')
            .split('\n')
            .filter(Boolean)
            .map((line) => line.split(' '))
        : [],
  }
}
