import { planLogin } from '../../../src/login/plan.js'
import { parseRegistryAuth } from '../../../src/login/registry-auth.js'
import { parseImageReference } from '../../../src/metadata/image-reference.js'

const auth = parseRegistryAuth({
  registry: '',
  username: '',
  password: '',
  registryAuth: '- registry: quay.io\n  username: q\n  password: qp\n',
  githubToken: 'ghs_token',
})
const context = {
  images: ['ghcr.io/acme/app', 'quay.io/acme/app'].map((image) => parseImageReference(image)),
  actor: 'octocat',
}
const fork = { push: false, reason: 'fork pull request (pull_request_target): build only' }

test('a run that pushes logs in to every registry it has a credential for', () => {
  const plan = planLogin(auth, { push: true, reason: 'push of tag v1.2.3' }, false, context)
  expect(plan.credentials.map((credential) => credential.registry)).toEqual(['quay.io', 'ghcr.io'])
  expect(plan.warnings).toEqual([])
  expect(plan.note).toBeUndefined()
})

test('a run that pushes nothing gets no credential, github-token included, and says why', () => {
  const plan = planLogin(auth, fork, false, context)
  expect(plan).toEqual({
    credentials: [],
    secrets: [],
    uncovered: [],
    warnings: [],
    note: 'No registry login: this run pushes nothing (fork pull request (pull_request_target): build only)',
  })
})

test('nothing given, nothing pushed: nothing to say', () => {
  const none = parseRegistryAuth({
    registry: '',
    username: '',
    password: '',
    registryAuth: '',
    githubToken: '',
  })
  expect(planLogin(none, fork, false, context).note).toBeUndefined()
})

test('login-on-build-only logs in anyway, with a warning naming the registries and why nothing is pushed', () => {
  const plan = planLogin(auth, fork, true, context)
  expect(plan.credentials.map((credential) => credential.registry)).toEqual(['quay.io', 'ghcr.io'])
  expect(plan.warnings).toEqual([
    'login-on-build-only: logging in to quay.io, ghcr.io on a run that pushes nothing (fork pull request ' +
      '(pull_request_target): build only); the build can pull with these credentials, so it must only ' +
      'build code this repository trusts.',
  ])
})

test('login-on-build-only with a credential left empty (a fork gets no secrets) warns and goes on without it', () => {
  const empty = parseRegistryAuth({
    registry: 'quay.io',
    username: 'q',
    password: '',
    registryAuth: '',
    githubToken: '',
  })
  const plan = planLogin(empty, fork, true, context)
  expect(plan.credentials).toEqual([])
  expect(plan.warnings).toEqual([expect.stringMatching(/^Input "password": quay.io has a username \(q\)/)])
})
