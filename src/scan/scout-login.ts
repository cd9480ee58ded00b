import { InputError } from '../action/errors.js'
import type { InputReader } from '../action/input-list.js'
import { DOCKER_HUB } from '../metadata/image-reference.js'

/** The Docker Hub account Scout's backend is asked with (DOCKER_SCOUT_HUB_USER / _PASSWORD). */
export interface ScoutLogin {
  username: string
  password: string
  /** Which inputs it came from, for the log: `scout-username`, `registry`, `registry-auth[2]`. */
  source: string
}

/** What scoutLogin needs of the registry credentials: the checked entries of registry/registry-auth. */
export interface HubCredentialEntry {
  registry: string
  username: string
  password: string
  where: { password: string }
}

/**
 * The Scout login: `scout-username` / `scout-password`, else the Docker Hub (`docker.io`) entry of
 * `registry` / `registry-auth` when it has both a username and a password. Scout cannot scan
 * without a Docker Hub account (docker/scout-cli#16), so `scanner: scout` without one is an
 * InputError before anything runs. The login goes to the Scout process alone, on every run
 * (a pull request's too): it is the scanner's account, not a registry login, and the
 * build never sees it.
 */
export function scoutLogin(read: InputReader, entries: readonly HubCredentialEntry[]): ScoutLogin {
  const username = read('scout-username')
  const password = read('scout-password')
  if (username !== '' && password !== '') return { username, password, source: 'scout-username' }
  if (username !== '') {
    throw new InputError(
      'scout-password',
      'scout-username is given, so Docker Scout needs its password or token too',
    )
  }
  if (password !== '') throw new InputError('scout-username', 'scout-password is given but no username')
  const hub = entries.find((entry) => entry.registry === DOCKER_HUB)
  if (hub !== undefined && hub.username !== '' && hub.password !== '') {
    return { username: hub.username, password: hub.password, source: hub.where.password }
  }
  throw new InputError(
    'scout-username',
    'scanner "scout" needs a Docker Hub account: set scout-username and scout-password (a personal ' +
      'access token with read-only scope is enough), or give a docker.io credential in registry/registry-auth. ' +
      'Secrets are empty in pull requests from forks: use scanner "trivy" there',
  )
}
