// Benchmark for the scan-report parser: `npx tsx bench/parse-report.bench.ts`.
// Reports the median time of parseTrivyJson on (1) the largest Trivy JSON fixture and (2) a synthetic
// ~10 MB Trivy report built in memory, each against bare JSON.parse of the same text. The two are
// measured alternately in the same run, so the ratio does not depend on how busy the machine is.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import { parseTrivyJson } from '../src/scan/trivy-json.js'

const fixtures = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../__tests__/fixtures/scanners/trivy',
)

function largestTrivyJsonFixture(): string {
  const files = readdirSync(fixtures).filter((file) => file.endsWith('.json') && !file.endsWith('.cdx.json'))
  const largest = files.sort(
    (a, b) => statSync(path.join(fixtures, b)).size - statSync(path.join(fixtures, a)).size,
  )[0]
  if (largest === undefined) throw new Error(`No Trivy JSON fixture in ${fixtures}`)
  return largest
}

/** Copies of real findings (debian-buster, alpine-39) under distinct IDs and packages, until ~`bytes`. */
function syntheticReport(bytes: number): string {
  const templates = ['debian-buster.json', 'alpine-39.json'].flatMap(
    (file) =>
      JSON.parse(readFileSync(path.join(fixtures, file), 'utf8')).Results[0].Vulnerabilities as object[],
  )
  const report = JSON.parse(readFileSync(path.join(fixtures, 'debian-buster.json'), 'utf8'))
  const vulnerabilities: object[] = []
  let size = 0
  for (let index = 0; size < bytes; index += 1) {
    const template = templates[index % templates.length] as Record<string, unknown>
    const copy = { ...template, VulnerabilityID: `CVE-2099-${index}`, PkgName: `pkg-${index % 500}` }
    vulnerabilities.push(copy)
    size += JSON.stringify(copy).length
  }
  report.Results = [{ ...report.Results[0], Vulnerabilities: vulnerabilities }]
  return JSON.stringify(report)
}

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2
}

function time(run: () => unknown): number {
  const start = performance.now()
  run()
  return performance.now() - start
}

function bench(label: string, text: string, iterations: number): void {
  const check = parseTrivyJson(text)
  if (!check.ok) throw new Error(`${label}: ${check.message}`)
  for (let index = 0; index < 3; index += 1) {
    JSON.parse(text)
    parseTrivyJson(text)
  }
  const baseline: number[] = []
  const parser: number[] = []
  for (let index = 0; index < iterations; index += 1) {
    baseline.push(time(() => JSON.parse(text)))
    parser.push(time(() => parseTrivyJson(text)))
  }
  const [base, parsed] = [median(baseline), median(parser)]
  console.log(
    `${label}: ${(text.length / 1e6).toFixed(2)} MB, ${check.findings.length} findings, ${iterations} runs\n` +
      `  JSON.parse      median ${base.toFixed(3)} ms\n` +
      `  parseTrivyJson  median ${parsed.toFixed(3)} ms  (${(parsed / base).toFixed(2)}x JSON.parse, ` +
      `+${(parsed - base).toFixed(3)} ms)`,
  )
}

const largest = largestTrivyJsonFixture()
bench(`largest fixture (trivy/${largest})`, readFileSync(path.join(fixtures, largest), 'utf8'), 500)
bench('synthetic ~10 MB Trivy report', syntheticReport(10_000_000), 25)
