import { asArray, asObject, optionalArray, optionalString, parseJson, type JsonObject } from './json.js'
import { MalformedReport, parseOutcome, type Finding, type FindingKind, type ScanOutcome } from './report.js'
import { isSeverity, type Severity } from './severity.js'

/** One SARIF result next to what it means for the gate; `finding` is absent when it is not one. */
export interface SarifEntry {
  result: JsonObject
  rule?: JsonObject
  finding?: Finding
}

export interface SarifRunView {
  run: JsonObject
  rules: JsonObject[]
  entries: SarifEntry[]
}

/**
 * Reads a SARIF 2.1.0 log: one finding per result, across all runs. See `resultSeverity` for how a
 * severity is chosen. Results of kind other than `fail` (SARIF's default) and Trivy's license results
 * are not findings, as in `parseTrivyJson`.
 */
export function parseSarif(text: string): ScanOutcome {
  return parseOutcome('sarif', () =>
    readSarif(text).flatMap((run) => run.entries.flatMap((entry) => (entry.finding ? [entry.finding] : []))),
  )
}

/** The validated runs of a log, with each result's rule and finding. Throws MalformedReport. */
export function readSarif(text: string): SarifRunView[] {
  const log = asObject(parseJson(text), 'the document')
  if (log.version !== '2.1.0') {
    throw new MalformedReport(`version is ${JSON.stringify(log.version) ?? 'missing'}, expected "2.1.0"`)
  }
  return asArray(log.runs, 'runs').map((value, index) =>
    readRun(asObject(value, `runs[${index}]`), `runs[${index}]`),
  )
}

function readRun(run: JsonObject, path: string): SarifRunView {
  const tool = asObject(run.tool, `${path}.tool`)
  const driver = asObject(tool.driver, `${path}.tool.driver`)
  const rules = optionalArray(driver.rules, `${path}.tool.driver.rules`).map((value, index) =>
    asObject(value, `${path}.tool.driver.rules[${index}]`),
  )
  const rulesById = new Map(rules.map((rule) => [rule.id, rule]))
  // In SARIF 2.1.0, a null or absent `run.results` means the tool failed to produce results; only an
  // empty array means "nothing found". GitHub's upload-sarif rejects such a run as well.
  if (run.results === undefined || run.results === null) {
    throw new MalformedReport(`${path}.results is missing: the tool produced no results`)
  }
  const entries = asArray(run.results, `${path}.results`).map((value, index) => {
    const result = asObject(value, `${path}.results[${index}]`)
    const resultPath = `${path}.results[${index}]`
    const rule = ruleOf(result, rules, rulesById, resultPath)
    return { result, rule, finding: resultFinding(result, rule, resultPath) }
  })
  return { run, rules, entries }
}

/** SARIF lets a result name its rule by `ruleIndex`, `rule.index`, `ruleId` or `rule.id`; a rule may be absent. */
function ruleOf(
  result: JsonObject,
  rules: JsonObject[],
  rulesById: Map<unknown, JsonObject>,
  path: string,
): JsonObject | undefined {
  const reference = result.rule === undefined ? {} : asObject(result.rule, `${path}.rule`)
  const index = result.ruleIndex ?? reference.index
  if (typeof index === 'number' && index >= 0) {
    const rule = rules[index]
    if (rule === undefined) throw new MalformedReport(`${path} refers to rule ${index}, which does not exist`)
    return rule
  }
  return rulesById.get(result.ruleId ?? reference.id)
}

function resultFinding(result: JsonObject, rule: JsonObject | undefined, path: string): Finding | undefined {
  if (result.kind !== undefined && result.kind !== 'fail') return undefined
  const properties =
    rule?.properties === undefined ? {} : asObject(rule.properties, `${path} rule properties`)
  const tags = optionalArray(properties.tags, `${path} rule tags`).filter(
    (tag): tag is string => typeof tag === 'string',
  )
  const kind = findingKind(tags)
  if (kind === undefined) return undefined
  const id = optionalString(result.ruleId, `${path}.ruleId`) ?? optionalString(rule?.id, `${path} rule id`)
  if (id === undefined) throw new MalformedReport(`${path} names no rule`)
  const message = asObject(result.message, `${path}.message`)
  const details = trivyMessageFields(optionalString(message.text, `${path}.message.text`) ?? '')
  const scout = scoutRuleFields(properties)
  return {
    kind,
    id,
    severity: resultSeverity(result, rule, tags, properties, path),
    target: resultTarget(result, path),
    package: details.get('Package') ?? scout.package,
    installedVersion: details.get('Installed Version'),
    fixedVersion: details.get('Fixed Version') ?? scout.fixedVersion,
    title: ruleTitle(rule, path),
  }
}

/** Trivy tags each rule with its scanner; licenses are not findings here (nor in Trivy JSON parsing). */
function findingKind(tags: string[]): FindingKind | undefined {
  if (tags.includes('license')) return undefined
  if (tags.includes('secret')) return 'secret'
  if (tags.includes('misconfiguration')) return 'misconfiguration'
  return 'vulnerability'
}

/**
 * The severity of a result, first rule that applies:
 * 1. a rule tag that is a severity word. Trivy puts its exact word there (`["vulnerability",
 *    "security","MEDIUM"]`); Docker Scout does too, writing UNSPECIFIED for unknown (its
 *    recorded 0.24.1 SARIF, __tests__/fixtures/scanners/scout/).
 * 2. the SARIF `level` (the result's, else the rule's default): error → HIGH, warning → MEDIUM,
 *    note → LOW, none → UNKNOWN. `error` cannot tell CRITICAL from HIGH, so a non-Trivy critical
 *    counts as HIGH: a gate set to CRITICAL alone will not block on it.
 * 3. the rule's `security-severity`, with GitHub's thresholds (≥ 9.0 CRITICAL, ≥ 7.0 HIGH, ≥ 4.0
 *    MEDIUM, else LOW). It comes after `level` because other producers put a CVSS score there that
 *    contradicts their own severity (Grype: 8.2 on a Low vulnerability).
 * 4. SARIF's default level, warning → MEDIUM.
 */
function resultSeverity(
  result: JsonObject,
  rule: JsonObject | undefined,
  tags: string[],
  properties: JsonObject,
  path: string,
): Severity {
  for (const tag of tags) {
    const word = tag.toUpperCase()
    if (isSeverity(word)) return word
    if (word === 'UNSPECIFIED') return 'UNKNOWN'
  }
  const configuration =
    rule?.defaultConfiguration === undefined
      ? {}
      : asObject(rule.defaultConfiguration, `${path} rule configuration`)
  const level = result.level ?? configuration.level
  if (level !== undefined) return levelSeverity(level, path)
  const score = Number(properties['security-severity'])
  if (properties['security-severity'] !== undefined && Number.isFinite(score)) return scoreSeverity(score)
  return 'MEDIUM'
}

const LEVEL_SEVERITIES = new Map<unknown, Severity>([
  ['error', 'HIGH'],
  ['warning', 'MEDIUM'],
  ['note', 'LOW'],
  ['none', 'UNKNOWN'],
])

function levelSeverity(level: unknown, path: string): Severity {
  const severity = LEVEL_SEVERITIES.get(level)
  if (severity === undefined)
    throw new MalformedReport(`${path}.level is ${JSON.stringify(level)}, not a SARIF level`)
  return severity
}

// https://docs.github.com/en/code-security/code-scanning/integrating-with-code-scanning/sarif-support-for-code-scanning#reportingdescriptor-object
// "over 9.0 is critical, 7.0 to 8.9 is high, 4.0 to 6.9 is medium and 3.9 or less is low".
function scoreSeverity(score: number): Severity {
  if (score >= 9) return 'CRITICAL'
  if (score >= 7) return 'HIGH'
  if (score >= 4) return 'MEDIUM'
  return 'LOW'
}

function resultTarget(result: JsonObject, path: string): string {
  const location = optionalArray(result.locations, `${path}.locations`)[0]
  if (location === undefined) return ''
  const physical = asObject(location, `${path}.locations[0]`).physicalLocation
  if (physical === undefined) return ''
  const artifact = asObject(physical, `${path}.locations[0].physicalLocation`).artifactLocation
  if (artifact === undefined) return ''
  return (
    optionalString(asObject(artifact, `${path} artifactLocation`).uri, `${path} artifactLocation.uri`) ?? ''
  )
}

function ruleTitle(rule: JsonObject | undefined, path: string): string | undefined {
  if (rule?.shortDescription === undefined) return undefined
  return optionalString(
    asObject(rule.shortDescription, `${path} rule shortDescription`).text,
    `${path} rule title`,
  )
}

/**
 * Docker Scout keeps the package and the fix in the rule's properties: `purls` (a `purl` string
 * before 1.x) and `fixed_version`, which reads `not fixed` when there is none (SEMANTICS.md beside
 * the recorded Scout reports).
 */
function scoutRuleFields(properties: JsonObject): { package?: string; fixedVersion?: string } {
  const purls = Array.isArray(properties.purls) ? properties.purls : [properties.purl]
  const purl = purls.find((value): value is string => typeof value === 'string' && value !== '')
  const fixed = typeof properties.fixed_version === 'string' ? properties.fixed_version.trim() : ''
  return {
    ...(purl === undefined ? {} : { package: purl }),
    ...(fixed === '' || fixed === 'not fixed' ? {} : { fixedVersion: fixed }),
  }
}

/**
 * Trivy's result message is `Package: …\nInstalled Version: …\nVulnerability …\nSeverity: …\nFixed
 * Version: …\nLink: …`; it is the only place SARIF keeps the package and the fixed version. Messages
 * of other producers simply yield nothing.
 */
function trivyMessageFields(text: string): Map<string, string> {
  const fields = new Map<string, string>()
  for (const line of text.split('\n')) {
    const match = /^(Package|Installed Version|Fixed Version): (.+)$/.exec(line)
    if (match?.[1] !== undefined && match[2] !== undefined) fields.set(match[1], match[2].trim())
  }
  return fields
}
