import {
  resolveRegistryAuth,
  type ParsedRegistryAuth,
  type RegistryAuth,
  type RegistryAuthContext,
} from './registry-auth.js'

/** Whether this run pushes, and why: what the push policy decided. */
export interface RunPurpose {
  push: boolean
  reason: string
}

export interface LoginPlan extends RegistryAuth {
  /** One line for the log on why the run logs in, or does not. */
  note?: string
}

const NO_LOGIN: Omit<LoginPlan, 'note'> = { credentials: [], secrets: [], uncovered: [], warnings: [] }

/**
 * Which registries this run logs in to. A run that pushes nothing gets no credential: it may be
 * building code from outside the repository (a fork's pull request), and a login would let that
 * build pull private images. `login-on-build-only` lets a workflow that needs a private base image
 * opt in, with a warning that names why the run does not push.
 */
export function planLogin(
  auth: ParsedRegistryAuth,
  run: RunPurpose,
  loginOnBuildOnly: boolean,
  context: Omit<RegistryAuthContext, 'pushing'>,
): LoginPlan {
  if (!run.push && !loginOnBuildOnly) {
    const given = auth.entries.length > 0 || auth.githubToken !== ''
    return {
      ...NO_LOGIN,
      ...(given ? { note: `No registry login: this run pushes nothing (${run.reason})` } : {}),
    }
  }
  const resolved = resolveRegistryAuth(auth, { ...context, pushing: run.push })
  if (run.push || resolved.credentials.length === 0) return resolved
  const registries = resolved.credentials.map((credential) => credential.registry).join(', ')
  const warning =
    `login-on-build-only: logging in to ${registries} on a run that pushes nothing (${run.reason}); ` +
    'the build can pull with these credentials, so it must only build code this repository trusts.'
  return { ...resolved, warnings: [...resolved.warnings, warning] }
}
