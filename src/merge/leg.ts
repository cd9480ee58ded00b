import type { BuildResult } from '../build/index.js'
import type { WorkflowContext } from '../github/context.js'
import type { Metadata } from '../metadata/index.js'
import type { ScanStageOutcome } from '../scan/index.js'
import { formatResult, legResult } from './result.js'

/** The leg's `result` output: the build, the scan per platform, where it went, which run made it. */
export function legResultOutput(
  built: BuildResult,
  scan: ScanStageOutcome,
  metadata: Metadata,
  context: WorkflowContext,
  pushed: boolean,
): string {
  return formatResult(
    legResult({
      images: metadata.references.map((image) => image.name),
      digest: built.digest,
      pushed,
      platforms: built.image.platforms.map(({ platform, descriptor }) => ({
        platform,
        digest: descriptor.digest,
      })),
      scan: {
        result: scan.result,
        perPlatform: Object.fromEntries(
          Object.entries(scan.verdict?.perPlatform ?? {}).map(([platform, judged]) => [
            platform,
            { result: judged.result, ...(judged.result === 'error' ? {} : { counts: judged.counts }) },
          ]),
        ),
      },
      commit: context.sha,
      run: String(context.runId),
    }),
  )
}
