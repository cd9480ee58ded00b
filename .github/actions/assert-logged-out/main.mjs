import { leftovers } from './checks.mjs'

const registry = process.env.INPUT_REGISTRY ?? ''
const { config, problems } = leftovers(registry)
// A credential there before build-scan-push runs would make the check after it meaningless.
if (problems.length > 0) {
  for (const problem of problems) console.log(`::error::before the step under test: ${problem}`)
  process.exit(1)
}
console.log(
  `No credential for ${registry} in ${config} and no build-scan-push-* directory; checked again after every post step.`,
)
