import {
  asArray,
  asObject,
  asString,
  optionalArray,
  optionalString,
  parseJson,
  type JsonObject,
} from './json.js'
import { MalformedReport, parseOutcome, type Finding, type ScanOutcome } from './report.js'
import type { Severity } from './severity.js'

/**
 * Grype's capitalised words. `Negligible` becomes LOW rather than a sixth bucket: it is what Grype
 * calls Debian's "unimportant", which Trivy (reading the same Debian tracker) reports as LOW, so
 * both scanners count the same advisory alike, and a gate set to LOW still catches it.
 */
const GRYPE_SEVERITIES = new Map<string, Severity>([
  ['critical', 'CRITICAL'],
  ['high', 'HIGH'],
  ['medium', 'MEDIUM'],
  ['low', 'LOW'],
  ['negligible', 'LOW'],
  ['unknown', 'UNKNOWN'],
])

/**
 * Reads `grype -o json`: one finding per `matches[]` entry, as Grype counts them (a GHSA and its CVE
 * alias matched on the same package are two matches). `ignoredMatches` were already waived by
 * Grype's own configuration and are not findings.
 */
export function parseGrypeJson(text: string): ScanOutcome {
  return parseOutcome('grype-json', () => grypeFindings(asObject(parseJson(text), 'the document')))
}

function grypeFindings(document: JsonObject): Finding[] {
  const descriptor = asObject(document.descriptor, 'descriptor')
  if (descriptor.name !== 'grype') {
    throw new MalformedReport(`descriptor.name is ${JSON.stringify(descriptor.name)}, expected "grype"`)
  }
  return asArray(document.matches, 'matches').map((value, index) =>
    matchFinding(asObject(value, `matches[${index}]`), `matches[${index}]`),
  )
}

function matchFinding(match: JsonObject, path: string): Finding {
  const vulnerability = asObject(match.vulnerability, `${path}.vulnerability`)
  const artifact = asObject(match.artifact, `${path}.artifact`)
  const fix = vulnerability.fix === undefined ? {} : asObject(vulnerability.fix, `${path}.vulnerability.fix`)
  const fixedVersions = optionalArray(fix.versions, `${path}.vulnerability.fix.versions`).map(
    (version, index) => asString(version, `${path}.vulnerability.fix.versions[${index}]`),
  )
  const locations = optionalArray(artifact.locations, `${path}.artifact.locations`)
  const firstLocation =
    locations[0] === undefined ? {} : asObject(locations[0], `${path}.artifact.locations[0]`)
  return {
    kind: 'vulnerability',
    id: asString(vulnerability.id, `${path}.vulnerability.id`),
    severity: grypeSeverity(vulnerability.severity, `${path}.vulnerability.severity`),
    target: optionalString(firstLocation.path, `${path}.artifact.locations[0].path`) ?? '',
    package: optionalString(artifact.name, `${path}.artifact.name`),
    installedVersion: optionalString(artifact.version, `${path}.artifact.version`),
    fixedVersion: fixedVersions.length > 0 ? fixedVersions.join(', ') : undefined,
    status: optionalString(fix.state, `${path}.vulnerability.fix.state`),
  }
}

function grypeSeverity(value: unknown, path: string): Severity {
  const word = asString(value, path)
  const severity = GRYPE_SEVERITIES.get(word.toLowerCase())
  if (severity === undefined) throw new MalformedReport(`${path} is "${word}", not a Grype severity`)
  return severity
}
