import { DOCKER_HUB } from '../metadata/image-reference.js'

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
 * The `config.json` both the docker CLI (DOCKER_CONFIG) and the registry client read. Docker
 * Hub is written under its legacy key, the only one the docker CLI looks up; the registry client
 * reads it for docker.io too.
 */
export function dockerConfigJson(credentials: ResolvedCredential[]): string {
  const auths: Record<string, { auth: string }> = {}
  for (const credential of credentials) {
    const key = credential.registry === DOCKER_HUB ? 'https://index.docker.io/v1/' : credential.registry
    auths[key] = { auth: basicAuth(credential.username, credential.password) }
  }
  return `${JSON.stringify({ auths }, null, 2)}\n`
}

/** The `auth` value of a config.json entry: base64 of `user:password`. */
export function basicAuth(username: string, password: string): string {
  return Buffer.from(`${username}:${password}`, 'utf8').toString('base64')
}
