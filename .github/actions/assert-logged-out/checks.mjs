// What "nothing left logged in" means on the runner, once build-scan-push's post step has run:
// its step directory under RUNNER_TEMP (which held its isolated docker config, the build secrets
// and the OCI layout) is gone, and the user's docker config has no credential for the registry.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'

export function leftovers(registry) {
  const problems = []
  const temp = process.env.RUNNER_TEMP ?? ''
  for (const name of readdirSync(temp)) {
    if (name.startsWith('build-scan-push-')) problems.push(`${join(temp, name)} is still there`)
  }
  const config = join(process.env.DOCKER_CONFIG || join(homedir(), '.docker'), 'config.json')
  if (existsSync(config)) {
    const parsed = JSON.parse(readFileSync(config, 'utf8'))
    if (parsed.auths && registry in parsed.auths) problems.push(`${config} has auths["${registry}"]`)
    if (parsed.credHelpers && registry in parsed.credHelpers)
      problems.push(`${config} has credHelpers["${registry}"]`)
  }
  return { config, problems }
}
