import { InputError } from '../action/errors.js'
import { DOCKER_HUB, normalizeRegistryHost } from '../metadata/image-reference.js'
import { basicAuth } from './docker-config.js'
import { readRegistryAuthYaml } from './registry-auth-yaml.js'

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
  /** Every image the action pushes to (their registries decide the GHCR default and what is uncovered). */
  images: ReadonlyArray<{ registry: string }>
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

/** One credential as the workflow gave it, checked; whether it is used is settled by `resolveRegistryAuth`. */
export interface CredentialEntry {
  /** Canonical host (`docker.io` for Docker Hub). */
  registry: string
  username: string
  password: string
  source: Exclude<CredentialSource, 'github-token'>
  /** The inputs to name in errors: `registry-auth[2]` for an entry of the list. */
  where: { registry: string; username: string; password: string }
}

/** The credential inputs, read once: every entry checked, every registry named once. */
export interface ParsedRegistryAuth {
  entries: CredentialEntry[]
  githubToken: string
  /** Every password given, for `core.setSecret` before anything is logged (github-token is masked with the other tokens). */
  secrets: string[]
}

export interface RegistryAuth {
  credentials: RegistryCredential[]
  /**
   * The base64 `user:password` pairs the config.json will hold, to mask before it is written (the
   * passwords themselves were masked when the inputs were read; ECR tokens are masked when fetched).
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

/** An entry as written, before its registry host is checked. */
type RawEntry = Omit<CredentialEntry, 'registry'> & { registry: string }

/**
 * Reads the credential inputs once. The single form (`registry`/`username`/`password`) and the
 * `registry-auth` list may be combined; a registry named twice is an error rather than a silent
 * pick. Whatever is wrong with an entry fails here, except a missing password: that only matters
 * when pushing (see `resolveRegistryAuth`).
 */
export function parseRegistryAuth(inputs: RegistryAuthInputs): ParsedRegistryAuth {
  const entries: CredentialEntry[] = []
  const seen = new Map<string, string>()
  for (const raw of [...singleEntry(inputs), ...registryAuthEntries(inputs.registryAuth)]) {
    const entry = { ...raw, registry: normalizeRegistryHost(raw.registry, raw.where.registry) }
    const previous = seen.get(entry.registry)
    if (previous !== undefined) {
      throw new InputError(
        entry.where.registry,
        `${entry.registry} already has credentials from "${previous}"; give each registry once`,
      )
    }
    seen.set(entry.registry, entry.where.registry)
    checkEntry(entry)
    entries.push(entry)
  }
  // The password input is masked even when no credential uses it (a dropped or misplaced entry).
  const secrets = [inputs.password, ...entries.map((entry) => entry.password)].filter((value) => value !== '')
  return { entries, githubToken: inputs.githubToken, secrets: [...new Set(secrets)] }
}

/**
 * One credential per registry for this run: the entries whose password is known (or fetched from
 * AWS for ECR), and github-token for ghcr.io where the images need it and no entry covers it.
 */
export function resolveRegistryAuth(auth: ParsedRegistryAuth, context: RegistryAuthContext): RegistryAuth {
  const warnings: string[] = []
  const credentials: RegistryCredential[] = []
  for (const entry of auth.entries) {
    const credential = credentialFor(entry, auth.githubToken, context, warnings)
    if (credential) credentials.push(credential)
  }
  const ghcr = ghcrDefault(auth, context)
  if (ghcr) credentials.push(ghcr)
  const covered = new Set(credentials.map((credential) => credential.registry))
  const uncovered = [...new Set(context.images.map((image) => image.registry))].filter(
    (registry) => !covered.has(registry),
  )
  const secrets = credentials.flatMap((credential) =>
    typeof credential.password === 'string' ? [basicAuth(credential.username, credential.password)] : [],
  )
  return { credentials, secrets, uncovered, warnings }
}

/** The argv (for `aws`) that prints an ECR password; its stdout is the password for user `AWS`. */
export function ecrLoginPasswordArgv(token: EcrToken): string[] {
  return token.ecrPublic
    ? ['ecr-public', 'get-login-password', '--region', token.ecrRegion]
    : ['ecr', 'get-login-password', '--region', token.ecrRegion]
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
  const value = readRegistryAuthYaml(text)
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
      // A short word is a typo worth naming; anything else may be a secret on the wrong line.
      const named = /^[A-Za-z_-]{1,20}$/.test(key) ? `"${key}"` : '(not quoted here)'
      throw new InputError(where, `unknown key ${named}; expected ${REGISTRY_AUTH_KEYS.join(', ')}`)
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

/** What is wrong with an entry whatever the run does. */
function checkEntry(entry: CredentialEntry): void {
  const { registry } = entry
  if (ecrToken(registry)) {
    if (AWS_ACCESS_KEY_ID.test(entry.username)) {
      throw new InputError(
        entry.where.username,
        `${registry} is ECR: username/password are the registry login (user AWS), not AWS access keys. ` +
          'Configure AWS credentials in an earlier step (aws-actions/configure-aws-credentials) and leave the password empty.',
      )
    }
    if (entry.password === '' && entry.username !== '' && entry.username !== AWS_USER) {
      throw new InputError(
        entry.where.username,
        `${registry} is ECR, whose user is always AWS; leave username empty or set it to AWS`,
      )
    }
  } else if (entry.username === '' && entry.password !== '') {
    throw new InputError(entry.where.username, `a password is given for ${registry} but no username`)
  }
}

function credentialFor(
  entry: CredentialEntry,
  githubToken: string,
  context: RegistryAuthContext,
  warnings: string[],
): RegistryCredential | undefined {
  const { registry } = entry
  const ecr = ecrToken(registry)
  if (ecr) {
    // Without a password, the token is fetched from the AWS CLI at login.
    const password = entry.password === '' ? ecr : entry.password
    return { registry, username: entry.username || AWS_USER, password, source: entry.source }
  }
  if (entry.password === '' && entry.username === '') {
    // `registry: ghcr.io` alone asks for the default: github-token as the actor.
    if (registry === GHCR && githubToken !== '') {
      return { registry, username: context.actor, password: githubToken, source: 'github-token' }
    }
    return missing(entry, context, warnings, 'has neither username nor password')
  }
  if (entry.password === '') {
    return missing(entry, context, warnings, `has a username (${entry.username}) but an empty password`)
  }
  return { registry, username: entry.username, password: entry.password, source: entry.source }
}

// Secrets are empty on fork pull requests: say so, and only fail when the credential is needed to push.
function missing(
  entry: CredentialEntry,
  context: RegistryAuthContext,
  warnings: string[],
  what: string,
): undefined {
  const detail = `${entry.registry} ${what}; if it comes from a secret, check the secret exists and is available to this workflow (secrets are empty in pull requests from forks)`
  if (context.pushing) throw new InputError(entry.where.password, detail)
  warnings.push(`Input "${entry.where.password}": ${detail}. Not pushing, so carrying on without it.`)
  return undefined
}

/** The region an ECR host lives in, or undefined for any other registry. */
function ecrToken(registry: string): EcrToken | undefined {
  if (registry === ECR_PUBLIC_HOST) return { ecrRegion: 'us-east-1', ecrPublic: true }
  const match = ECR_HOST.exec(registry)
  return match?.[1] ? { ecrRegion: match[1], ecrPublic: false } : undefined
}

// GITHUB_TOKEN can push to the repository's own GHCR packages (with `packages: write`).
function ghcrDefault(auth: ParsedRegistryAuth, context: RegistryAuthContext): RegistryCredential | undefined {
  if (auth.githubToken === '' || auth.entries.some((entry) => entry.registry === GHCR)) return undefined
  const onGhcr = context.images.some((image) => image.registry === GHCR)
  if (!onGhcr) return undefined
  return { registry: GHCR, username: context.actor, password: auth.githubToken, source: 'github-token' }
}
