import { asObject, asString, optionalArray, optionalString, parseJson, type JsonObject } from './json.js'
import { MalformedReport, parseOutcome, type Finding, type ScanOutcome } from './report.js'
import { highestSeverity, type Severity } from './severity.js'

/** CycloneDX rating words. `info` is what Trivy writes for an NVD CVSSv2 score under 4.0 (NVD's v2 "Low"). */
const CDX_SEVERITIES = new Map<string, Severity>([
  ['critical', 'CRITICAL'],
  ['high', 'HIGH'],
  ['medium', 'MEDIUM'],
  ['low', 'LOW'],
  ['info', 'LOW'],
  ['none', 'UNKNOWN'],
  ['unknown', 'UNKNOWN'],
])

interface Rating {
  source?: string
  method?: string
  severity: Severity
}

/**
 * Reads a CycloneDX vulnerability report (`trivy … --format cyclonedx --scanners vuln`). One finding
 * per `affects[]` entry, so a CVE in two packages counts twice, as in Trivy's JSON.
 *
 * CycloneDX carries no single severity, only `ratings[]` (one per vendor, and per CVSS version).
 * Taking the highest rating overstates: in the fluentd fixture it turns Debian's LOW for
 * CVE-2019-18276 into NVD's HIGH. So we replay Trivy's own choice (`getVendorSeverity` in
 * trivy/pkg/vulnerability): the rating of the vulnerability's data source (`source.name`), else
 * NVD's, else, as Trivy's last resort (the advisory's own severity) is not in the document, the
 * highest rating; no ratings at all is UNKNOWN. Within NVD, Trivy derives the CVSSv2 rating's
 * word from the v2 score (v2 has no "critical"), so NVD's other ratings are preferred to it.
 */
export function parseCycloneDx(text: string): ScanOutcome {
  return parseOutcome('cyclonedx', () => cycloneDxFindings(asObject(parseJson(text), 'the document')))
}

function cycloneDxFindings(document: JsonObject): Finding[] {
  if (document.bomFormat !== 'CycloneDX') {
    throw new MalformedReport(
      `bomFormat is ${JSON.stringify(document.bomFormat) ?? 'missing'}, expected "CycloneDX"`,
    )
  }
  const metadata = document.metadata === undefined ? {} : asObject(document.metadata, 'metadata')
  const subject = metadata.component === undefined ? {} : asObject(metadata.component, 'metadata.component')
  const target = optionalString(subject.name, 'metadata.component.name') ?? ''
  const components = componentsByRef(document.components, 'components')
  return optionalArray(document.vulnerabilities, 'vulnerabilities').flatMap((value, index) =>
    vulnerabilityFindings(
      asObject(value, `vulnerabilities[${index}]`),
      `vulnerabilities[${index}]`,
      target,
      components,
    ),
  )
}

function vulnerabilityFindings(
  vulnerability: JsonObject,
  path: string,
  target: string,
  components: Map<string, JsonObject>,
): Finding[] {
  const base = {
    kind: 'vulnerability' as const,
    id: asString(vulnerability.id, `${path}.id`),
    severity: trivySeverity(vulnerability, path),
    target,
  }
  const upgrade = trivyRecommendation(optionalString(vulnerability.recommendation, `${path}.recommendation`))
  const affects = optionalArray(vulnerability.affects, `${path}.affects`)
  if (affects.length === 0) return [base]
  return affects.map((value, index) => {
    const ref = asString(asObject(value, `${path}.affects[${index}]`).ref, `${path}.affects[${index}].ref`)
    const component = components.get(ref)
    const name = optionalString(component?.name, `component ${ref} name`)
    return {
      ...base,
      package: name,
      installedVersion: optionalString(component?.version, `component ${ref} version`),
      fixedVersion: upgrade !== undefined && upgrade.package === name ? upgrade.version : undefined,
    }
  })
}

function trivySeverity(vulnerability: JsonObject, path: string): Severity {
  const ratings = optionalArray(vulnerability.ratings, `${path}.ratings`).map((value, index) =>
    rating(asObject(value, `${path}.ratings[${index}]`), `${path}.ratings[${index}]`),
  )
  const dataSource =
    vulnerability.source === undefined
      ? undefined
      : optionalString(asObject(vulnerability.source, `${path}.source`).name, `${path}.source.name`)
  const fromSource = (name: string | undefined) =>
    ratings.filter((entry) => name !== undefined && entry.source === name)
  const nvd = fromSource('nvd')
  const nvdWithoutV2 = nvd.filter((entry) => entry.method !== 'CVSSv2')
  const chosen = [fromSource(dataSource), nvdWithoutV2, nvd, ratings].find(
    (candidates) => candidates.length > 0,
  )
  return highestSeverity((chosen ?? []).map((entry) => entry.severity)) ?? 'UNKNOWN'
}

function rating(entry: JsonObject, path: string): Rating {
  const word = asString(entry.severity, `${path}.severity`)
  const severity = CDX_SEVERITIES.get(word)
  if (severity === undefined)
    throw new MalformedReport(`${path}.severity is "${word}", not a CycloneDX severity`)
  const source = entry.source === undefined ? {} : asObject(entry.source, `${path}.source`)
  return {
    source: optionalString(source.name, `${path}.source.name`),
    method: optionalString(entry.method, `${path}.method`),
    severity,
  }
}

/**
 * CycloneDX has no fixed-version field; Trivy writes `Upgrade <package> to version <fixed>` (only when
 * a fix exists) for the first affected package. Other wording yields no fixed version.
 */
function trivyRecommendation(text: string | undefined): { package: string; version: string } | undefined {
  const match = /^Upgrade (\S+) to version (.+)$/.exec(text ?? '')
  return match?.[1] !== undefined && match[2] !== undefined
    ? { package: match[1], version: match[2] }
    : undefined
}

function componentsByRef(
  value: unknown,
  path: string,
  into = new Map<string, JsonObject>(),
): Map<string, JsonObject> {
  optionalArray(value, path).forEach((entry, index) => {
    const component = asObject(entry, `${path}[${index}]`)
    const ref = optionalString(component['bom-ref'], `${path}[${index}].bom-ref`)
    if (ref !== undefined) into.set(ref, component)
    componentsByRef(component.components, `${path}[${index}].components`, into)
  })
  return into
}
