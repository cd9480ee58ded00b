import { readBuilderSetup, type BuilderSetupInputs } from '../build/builder.js'
import { readBuildInputs, type BuildInputs } from '../build/inputs.js'
import { InputError } from './errors.js'
import { parseFloatingMode, type FloatingMode } from '../push/floating-tags.js'
import { optionalBoolean, type InputReader } from './input-list.js'
import type { MetadataInputs } from '../metadata/index.js'
import { parseBlobUpload, parsePushMode, type BlobUploadTiming, type PushMode } from '../push/policy.js'
import { readQemuInputs, type QemuInputs } from '../build/qemu.js'
import { parseRegistryAuth, type ParsedRegistryAuth } from '../login/registry-auth.js'
import { readScanInputs, type ScanInputs } from '../scan/inputs.js'
import { readSignInputs, signSecrets, type SignInputs } from '../sign/inputs.js'
import type { LegResult } from '../merge/result.js'
import { parseStage, readResults, type Stage } from '../merge/stage.js'

export interface Inputs {
  metadata: MetadataInputs
  sepTags: string
  sepLabels: string
  sepAnnotations: string
  githubToken: string
  dryRun: boolean
  /** metadata-action's DOCKER_METADATA_ANNOTATIONS_LEVELS, honoured so copied workflows keep working. */
  annotationLevels: string[] | undefined
  /** metadata-action's DOCKER_METADATA_SHORT_SHA_LENGTH. */
  shortShaLength: number | undefined
  /** metadata-action's DOCKER_METADATA_PR_HEAD_SHA: pull request events describe the PR's head commit. */
  prHeadSha: boolean
  /** build-push-action's build inputs (context, file, platforms, build-args, secrets, cache-*, …). */
  build: BuildInputs
  /** setup-qemu and qemu-image: whether and with what to register QEMU for foreign platforms. */
  qemu: QemuInputs
  /** `driver-opts` and `buildkitd-config`, for the docker-container builder this action may create. */
  builderSetup: BuilderSetupInputs
  /** The credential inputs, checked; which one serves which registry is settled once the images are known. */
  auth: ParsedRegistryAuth
  push: PushMode
  floatingTags: FloatingMode
  /** Upload the blobs while the image is scanned, or only once the gate has passed. */
  blobUpload: BlobUploadTiming
  /** Also log in on a run that pushes nothing (to pull a private base image). */
  loginOnBuildOnly: boolean
  /** Also `docker load` the built image into the engine, named as every computed reference. */
  load: boolean
  /** Log out of every registry (and delete the isolated docker config) in the post step. */
  logout: boolean
  /** `all` (one job), `platform` (one leg of a scaled-out build) or `merge` (the legs' index). */
  stage: Stage
  /** The legs' `result` outputs (stage `merge` only), each checked for shape. */
  results: LegResult[]
  /** The scanner, the gate's rules and the SARIF file (scanner, severity, ignore-unfixed, …). */
  scan: ScanInputs
  /** `sign`, `cosign-key`, `cosign-password`, `attest`, `transparency-log`, `cosign-version`. */
  sign: SignInputs
  /**
   * Every secret value the inputs carry (passwords, registry-auth passwords and their base64
   * pairs, build secrets): the caller masks them before anything else happens.
   */
  secrets: string[]
  warnings: string[]
}

/**
 * Reads every input and checks what can be checked on its own: syntax, allowed values, conflicts
 * between inputs. Pure over `read`, so tests pass a map. Three kinds of check come later, still
 * before the action touches anything: what an input names on the runner (files, directories,
 * environment variables) in `checkInputsOnRunner` (preflight.ts); the metadata inputs (`images`,
 * `tags`, `flavor`, `labels`, `annotations`), passed on raw and checked by `computeMetadata`; and a
 * credential a push needs but lacks, which depends on the event (`planLogin`, from `planPush`). A
 * dry run makes all three. Only what the engine alone can tell (whether the `builder` given exists
 * and can export an OCI layout, whether `load` can work) waits for the probes of a real run
 * (`planRun`), still before any login. Errors never quote a secret.
 */
export function readInputs(read: InputReader, env: Record<string, string | undefined> = {}): Inputs {
  const stage = parseStage(read('stage'))
  const build = readBuildInputs(read)
  const sign = readSignInputs(
    read,
    Boolean(env.ACTIONS_ID_TOKEN_REQUEST_URL && env.ACTIONS_ID_TOKEN_REQUEST_TOKEN),
  )
  const auth = parseRegistryAuth({
    registry: read('registry'),
    username: read('username'),
    password: read('password'),
    registryAuth: read('registry-auth', { trim: false }),
    githubToken: read('github-token'),
  })
  const scan = readScanInputs(read, auth.entries)
  return {
    metadata: {
      images: read('images'),
      tags: read('tags'),
      flavor: read('flavor'),
      labels: read('labels'),
      annotations: read('annotations'),
    },
    sepTags: separator(read, 'sep-tags'),
    sepLabels: separator(read, 'sep-labels'),
    sepAnnotations: separator(read, 'sep-annotations'),
    githubToken: auth.githubToken,
    dryRun: optionalBoolean(read('dry-run'), 'dry-run', false),
    annotationLevels: env.DOCKER_METADATA_ANNOTATIONS_LEVELS?.split(',').map((level) => level.trim()),
    shortShaLength: shortShaLength(env.DOCKER_METADATA_SHORT_SHA_LENGTH),
    prHeadSha: optionalBoolean(env.DOCKER_METADATA_PR_HEAD_SHA ?? '', 'DOCKER_METADATA_PR_HEAD_SHA', false),
    build: build.inputs,
    qemu: readQemuInputs(read('setup-qemu'), read('qemu-image')),
    builderSetup: readBuilderSetup(read),
    auth,
    push: parsePushMode(read('push')),
    floatingTags: parseFloatingMode(read('floating-tags')),
    blobUpload: parseBlobUpload(read('blob-upload')),
    logout: optionalBoolean(read('logout'), 'logout', true),
    loginOnBuildOnly: optionalBoolean(read('login-on-build-only'), 'login-on-build-only', false),
    load: optionalBoolean(read('load'), 'load', false),
    stage,
    results: readResults(stage, read('results')),
    scan,
    sign,
    secrets: [
      ...new Set([
        ...auth.secrets,
        ...build.secrets,
        ...signSecrets(sign),
        // Scout's login is this or a registry/registry-auth password, which auth.secrets holds.
        read('scout-password'),
      ]),
    ].filter((secret) => secret !== ''),
    warnings: build.warnings,
  }
}

function shortShaLength(text: string | undefined): number | undefined {
  if (text === undefined || text === '') return undefined
  if (!/^[1-9]\d*$/.test(text) || Number(text) > 40) {
    throw new InputError(
      'DOCKER_METADATA_SHORT_SHA_LENGTH',
      `expected a whole number from 1 to 40, got "${text}"`,
    )
  }
  return Number(text)
}

function separator(read: InputReader, name: string): string {
  return read(name, { trim: false }) || '\n'
}
