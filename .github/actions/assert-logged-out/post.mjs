import { leftovers } from './checks.mjs'

const registry = process.env.INPUT_REGISTRY ?? ''
const { config, problems } = leftovers(registry)
if (problems.length > 0) {
  for (const problem of problems) console.log(`::error::left behind after the post steps: ${problem}`)
  process.exit(1)
}
console.log(
  `After the post steps: no credential for ${registry} in ${config}, no build-scan-push-* directory.`,
)
