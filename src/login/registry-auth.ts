import { parseDocument } from 'yaml'
import { InputError } from '../action/errors.js'
import { DOCKER_HUB, normalizeRegistryHost, parseImageReference } from '../metadata/image-reference.js'

/** The inputs that carry registry credentials, as the workflow wrote them. */
export interface RegistryAuthInputs {
  registry: string
  username: string
  password: string
  /** YAML list of `registry`/`username`/`password` mappings (docker/login-action's multi-registry form). */
  registryAuth: string
  githubToken: string
}

export interface RegistryAuthContext {
  /** Every image the action pushes to (names or references); decides the GHCR default. */
  images: string[]
  /** `github.actor`: the user name GHCR expects next to `GITHUB_TOKEN`. */
  actor: string
  /**
   * Whether this run pushes. A build-only run (a fork pull request, whose secrets are empty) must
   * not fail on a missing password: the credential is dropped with a warning instead.
   */
  pushing: boolean
}

/** A password the action cannot know in advance: fetched at run time from the AWS CLI. */
export interface EcrToken {
  ecrRegion: string
  /** ECR Public (`public.ecr.aws`) is logged into with `aws ecr-public`, always in us-east-1. */
  ecrPublic: boolean
}

export type CredentialSource = 'registry' | 'registry-auth' | 'github-token'

export interface RegistryCredential {
  /** Canonical host (`docker.io` for Docker Hub), the key credentials and images are matched on. */
  registry: string
  username: string
  password: string | EcrToken
  /** Which input it came from, for log lines ("ghcr.io: github-token as octocat"). */
  source: CredentialSource
}

export interface RegistryAuth {
  credentials: RegistryCredential[]
  /**
   * Every value to pass to `core.setSecret` before anything is logged: each password, and the
   * base64 `user:password` the config.json holds. ECR tokens are not known yet: mask them when fetched.
   */
  secrets: string[]
  /**
   * Registries of `images` no credential covers: pushing there relies on a login made before this
   * step (the runner's docker config), so the caller should say so.
   */
  uncovered: string[]
  warnings: string[]
}

const REGISTRY_AUTH_KEYS = ['registry', 'username', 'password'] as const
const GHCR = 'ghcr.io'
const AWS_USER = 'AWS'

// Private ECR: <account>.dkr.ecr[-fips].<region>.amazonaws.com[.cn], and the dual-stack <…>.dkr-ecr.<region>.on.aws.
const ECR_HOST = /^\d{12}\.dkr[.-]ecr(?:-fips)?\.([a-z0-9-]+)\.(?:amazonaws\.com(?:\.cn)?|on\.aws)$/
const ECR_PUBLIC_HOST = 'public.ecr.aws'
// An AWS access key id: docker/login-action takes these as username for ECR; this action does not.
const AWS_ACCESS_KEY_ID = /^(?:AKIA|ASIA)[A-Z0-9]{16}$/

interface RawEntry {
  registry: string
  username: string
  password: string
  source: Exclude<CredentialSource, 'github-token'>
  /** The inputs to name in errors: `registry-auth[2]` for an entry of the list. */
  where: { registry: string; username: string; password: string }
}

/**
 * Turns the credential inputs into one credential per registry. The single form
 * (`registry`/`username`/`password`) and the `registry-auth` list may be combined; a registry
 * named twice is an error rather than a silent pick.
 */
export function resolveRegistryAuth(inputs: RegistryAuthInputs, context: RegistryAuthContext): RegistryAuth {
  const warnings: string[] = []
  const entries = [...singleEntry(inputs), ...registryAuthEntries(inputs.registryAuth)]
  const credentials: RegistryCredential[] = []
  const seen = new Map<string, string>()
  for (const entry of entries) {
    const registry = normalizeRegistryHost(entry.registry, entry.where.registry)
    const previous = seen.get(registry)
    if (previous !== undefined) {
      throw new InputError(
        entry.where.registry,
        `${registry} already has credentials from "${previous}"; give each registry once`,
      )
    }
    seen.set(registry, entry.where.registry)
    const credential = credentialFor(entry, registry, inputs.githubToken, context, warnings)
    if (credential) credentials.push(credential)
  }
  const ghcr = ghcrDefault(inputs, context, seen)
  if (ghcr) credentials.push(ghcr)
  const covered = new Set(credentials.map((credential) => credential.registry))
  const uncovered = [...new Set(context.images.map((image) => parseImageReference(image).registry))].filter(
    (registry) => !covered.has(registry),
  )
  return { credentials, secrets: secretsOf(credentials, inputs), uncovered, warnings }
}

/** The argv (for `aws`) that prints an ECR password; its stdout is the password for user `AWS`. */
export function ecrLoginPasswordArgv(token: EcrToken): string[] {
  return token.ecrPublic
    ? ['ecr-public', 'get-login-password', '--region', token.ecrRegion]
    : ['ecr', 'get-login-password', '--region', token.ecrRegion]
}

/** The credential serving an image: matched on the image's registry host, Docker Hub aliases folded. */
export function credentialForImage(
  image: string,
  credentials: RegistryCredential[],
): RegistryCredential | undefined {
  const { registry } = parseImageReference(image)
  return credentials.find((credential) => credential.registry === registry)
}

/** A credential whose password is known (ECR tokens fetched), ready for a config.json. */
export interface ResolvedCredential {
  registry: string
  username: string
  password: string
}

/** What to mask for a credential resolved at run time (an ECR token): the password and its base64 pair. */
export function secretsFor(credential: ResolvedCredential): string[] {
  return [credential.password, basicAuth(credential.username, credential.password)]
}

/**
 * The `config.json` both the docker CLI (DOCKER_CONFIG) and skopeo (`--authfile`) read. Docker
 * Hub is written under its legacy key, the only one the docker CLI looks up; skopeo folds it to
 * docker.io itself.
 */
export function dockerConfigJson(credentials: ResolvedCredential[]): string {
  const auths: Record<string, { auth: string }> = {}
  for (const credential of credentials) {
    const key = credential.registry === DOCKER_HUB ? 'https://index.docker.io/v1/' : credential.registry
    auths[key] = { auth: basicAuth(credential.username, credential.password) }
  }
  return `${JSON.stringify({ auths }, null, 2)}\n`
}

function singleEntry(inputs: RegistryAuthInputs): RawEntry[] {
  const { registry, username, password } = inputs
  if (registry === '' && username === '' && password === '') return []
  // docker login's default: no registry means Docker Hub.
  const where = { registry: 'registry', username: 'username', password: 'password' }
  return [{ registry: registry || DOCKER_HUB, username, password, source: 'registry', where }]
}

function registryAuthEntries(text: string): RawEntry[] {
  if (text.trim() === '') return []
  const input = 'registry-auth'
  // The failsafe schema keeps every scalar a string: a numeric password such as 0123 must not become 123.
  const document = parseDocument(text, { schema: 'failsafe', prettyErrors: false, uniqueKeys: true })
  const error = document.errors[0]
  if (error) {
    // The YAML library quotes the offending line, which may hold a password: report its position only.
    throw new InputError(
      input,
      `is not valid YAML (${yamlProblem(error.code)} at line ${lineOf(text, error.pos[0])})`,
    )
  }
  const value: unknown = document.toJS()
  if (value === null || value === undefined || value === '') return []
  if (!Array.isArray(value)) {
    throw new InputError(
      input,
      'expected a YAML list of entries, each "- registry: …" with "username:" and "password:"',
    )
  }
  return value.map((item: unknown, index) => registryAuthEntry(item, `${input}[${index + 1}]`))
}

function registryAuthEntry(item: unknown, where: string): RawEntry {
  if (item === null || typeof item !== 'object' || Array.isArray(item)) {
    throw new InputError(where, 'expected a mapping with "registry", "username" and "password"')
  }
  const fields = item as Record<string, unknown>
  for (const key of Object.keys(fields)) {
    if (!(REGISTRY_AUTH_KEYS as readonly string[]).includes(key)) {
      throw new InputError(where, `unknown key "${key}"; expected ${REGISTRY_AUTH_KEYS.join(', ')}`)
    }
  }
  const text = (key: (typeof REGISTRY_AUTH_KEYS)[number]): string => {
    const field = fields[key]
    if (field === undefined || field === null) return ''
    if (typeof field !== 'string') throw new InputError(where, `"${key}" must be a single value`)
    return field.trim()
  }
  // Like docker/login-action: an entry without a registry is for Docker Hub.
  return {
    registry: text('registry') || DOCKER_HUB,
    username: text('username'),
    password: text('password'),
    source: 'registry-auth',
    where: { registry: where, username: where, password: where },
  }
}

function credentialFor(
  entry: RawEntry,
  registry: string,
  githubToken: string,
  context: RegistryAuthContext,
  warnings: string[],
): RegistryCredential | undefined {
  const ecr = ecrToken(registry)
  if (ecr) return ecrCredential(entry, registry, ecr)
  if (entry.password === '' && entry.username === '') {
    // `registry: ghcr.io` alone asks for the default: github-token as the actor.
    if (registry === GHCR && githubToken !== '') {
      return { registry, username: context.actor, password: githubToken, source: 'github-token' }
    }
    return missing(entry, registry, context, warnings, 'has neither username nor password')
  }
  if (entry.username === '') {
    throw new InputError(entry.where.username, `a password is given for ${registry} but no username`)
  }
  if (entry.password === '') {
    return missing(
      entry,
      registry,
      context,
      warnings,
      `has a username (${entry.username}) but an empty password`,
    )
  }
  return { registry, username: entry.username, password: entry.password, source: entry.source }
}

// Secrets are empty on fork pull requests: say so, and only fail when the credential is needed to push.
function missing(
  entry: RawEntry,
  registry: string,
  context: RegistryAuthContext,
  warnings: string[],
  what: string,
): undefined {
  const detail = `${registry} ${what}; if it comes from a secret, check the secret exists and is available to this workflow (secrets are empty in pull requests from forks)`
  if (context.pushing) throw new InputError(entry.where.password, detail)
  warnings.push(`Input "${entry.where.password}": ${detail}. Not pushing, so carrying on without it.`)
  return undefined
}

function ecrCredential(entry: RawEntry, registry: string, token: EcrToken): RegistryCredential {
  if (AWS_ACCESS_KEY_ID.test(entry.username)) {
    throw new InputError(
      entry.where.username,
      `${registry} is ECR: username/password are the registry login (user AWS), not AWS access keys. ` +
        'Configure AWS credentials in an earlier step (aws-actions/configure-aws-credentials) and leave the password empty.',
    )
  }
  if (entry.password !== '') {
    return { registry, username: entry.username || AWS_USER, password: entry.password, source: entry.source }
  }
  if (entry.username !== '' && entry.username !== AWS_USER) {
    throw new InputError(
      entry.where.username,
      `${registry} is ECR, whose user is always AWS; leave username empty or set it to AWS`,
    )
  }
  return { registry, username: AWS_USER, password: token, source: entry.source }
}

/** The region an ECR host lives in, or undefined for any other registry. */
export function ecrToken(registry: string): EcrToken | undefined {
  if (registry === ECR_PUBLIC_HOST) return { ecrRegion: 'us-east-1', ecrPublic: true }
  const match = ECR_HOST.exec(registry)
  return match?.[1] ? { ecrRegion: match[1], ecrPublic: false } : undefined
}

// GITHUB_TOKEN can push to the repository's own GHCR packages (with `packages: write`).
function ghcrDefault(
  inputs: RegistryAuthInputs,
  context: RegistryAuthContext,
  given: Map<string, string>,
): RegistryCredential | undefined {
  if (given.has(GHCR) || inputs.githubToken === '') return undefined
  const onGhcr = context.images.some((image) => parseImageReference(image).registry === GHCR)
  if (!onGhcr) return undefined
  return { registry: GHCR, username: context.actor, password: inputs.githubToken, source: 'github-token' }
}

function secretsOf(credentials: RegistryCredential[], inputs: RegistryAuthInputs): string[] {
  const secrets = new Set<string>()
  // The password inputs are masked even when no credential used them (a dropped or misplaced entry).
  if (inputs.password !== '') secrets.add(inputs.password)
  for (const credential of credentials) {
    if (typeof credential.password !== 'string') continue
    secrets.add(credential.password)
    secrets.add(basicAuth(credential.username, credential.password))
  }
  return [...secrets]
}

function basicAuth(username: string, password: string): string {
  return Buffer.from(`${username}:${password}`, 'utf8').toString('base64')
}

function lineOf(text: string, offset: number): number {
  return text.slice(0, offset).split('\n').length
}

const YAML_PROBLEMS: Record<string, string> = {
  MISSING_CHAR: 'a quote or bracket is not closed',
  BAD_INDENT: 'the indentation is off',
  DUPLICATE_KEY: 'a key is given twice in one entry',
  BLOCK_AS_IMPLICIT_KEY: 'a value spans lines where a key was expected',
}

function yamlProblem(code: string): string {
  return YAML_PROBLEMS[code] ?? code.toLowerCase().replace(/_/g, ' ')
}
