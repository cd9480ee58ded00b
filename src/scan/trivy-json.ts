import { asObject, asString, optionalArray, optionalString, parseJson, type JsonObject } from './json.js'
import { MalformedReport, parseOutcome, type Finding, type ScanOutcome } from './report.js'
import { isSeverity, type Severity } from './severity.js'

/**
 * Reads `trivy … --format json` (SchemaVersion 2, the only schema since Trivy 0.20). Counts, per
 * Trivy's own model: each `Vulnerabilities[]` entry (one per CVE × package × target), each
 * `Secrets[]` entry, and each `Misconfigurations[]` entry whose `Status` is `FAIL`. Licenses are
 * not findings here. Trivy omits `Results` when nothing was scanned and `Vulnerabilities` when a
 * target is clean; both read as zero findings.
 */
export function parseTrivyJson(text: string): ScanOutcome {
  return parseOutcome('trivy-json', () => trivyFindings(asObject(parseJson(text), 'the document')))
}

function trivyFindings(document: JsonObject): Finding[] {
  if (document.SchemaVersion !== 2) {
    throw new MalformedReport(
      `SchemaVersion is ${JSON.stringify(document.SchemaVersion) ?? 'missing'}, expected 2 ` +
        '(is this the output of `trivy --format json`?)',
    )
  }
  return optionalArray(document.Results, 'Results').flatMap((value, index) =>
    resultFindings(asObject(value, `Results[${index}]`), `Results[${index}]`),
  )
}

function resultFindings(result: JsonObject, path: string): Finding[] {
  const target = asString(result.Target, `${path}.Target`)
  const vulnerabilities = optionalArray(result.Vulnerabilities, `${path}.Vulnerabilities`).map(
    (value, index) =>
      vulnerability(
        asObject(value, `${path}.Vulnerabilities[${index}]`),
        `${path}.Vulnerabilities[${index}]`,
        target,
      ),
  )
  const secrets = optionalArray(result.Secrets, `${path}.Secrets`).map((value, index) =>
    secret(asObject(value, `${path}.Secrets[${index}]`), `${path}.Secrets[${index}]`, target),
  )
  const misconfigurations = optionalArray(result.Misconfigurations, `${path}.Misconfigurations`).flatMap(
    (value, index) => {
      const entry = asObject(value, `${path}.Misconfigurations[${index}]`)
      return failedMisconfiguration(entry, `${path}.Misconfigurations[${index}]`, target)
    },
  )
  return [...vulnerabilities, ...secrets, ...misconfigurations]
}

function vulnerability(entry: JsonObject, path: string, target: string): Finding {
  return {
    kind: 'vulnerability',
    id: asString(entry.VulnerabilityID, `${path}.VulnerabilityID`),
    severity: trivySeverity(entry.Severity, `${path}.Severity`),
    target,
    package: optionalString(entry.PkgName, `${path}.PkgName`),
    installedVersion: optionalString(entry.InstalledVersion, `${path}.InstalledVersion`),
    fixedVersion: optionalString(entry.FixedVersion, `${path}.FixedVersion`),
    status: optionalString(entry.Status, `${path}.Status`),
    title: optionalString(entry.Title, `${path}.Title`),
  }
}

function secret(entry: JsonObject, path: string, target: string): Finding {
  return {
    kind: 'secret',
    id: asString(entry.RuleID, `${path}.RuleID`),
    severity: trivySeverity(entry.Severity, `${path}.Severity`),
    target,
    title: optionalString(entry.Title, `${path}.Title`),
  }
}

/** PASS and EXCEPTION entries only appear with `--include-non-failures`; they are not findings. */
function failedMisconfiguration(entry: JsonObject, path: string, target: string): Finding[] {
  if (asString(entry.Status, `${path}.Status`) !== 'FAIL') return []
  const finding: Finding = {
    kind: 'misconfiguration',
    id: asString(entry.ID, `${path}.ID`),
    severity: trivySeverity(entry.Severity, `${path}.Severity`),
    target,
    title: optionalString(entry.Title, `${path}.Title`),
  }
  return [finding]
}

/**
 * Trivy writes exactly the five words. Anything else means a format we do not understand, and
 * guessing (say, UNKNOWN) could let a serious finding slip under the gate, so it is an error.
 */
function trivySeverity(value: unknown, path: string): Severity {
  const word = asString(value, path)
  if (!isSeverity(word)) throw new MalformedReport(`${path} is "${word}", not a Trivy severity`)
  return word
}
