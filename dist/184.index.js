export const id = 184;
export const ids = [184,661];
export const modules = {

/***/ 6661:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   POST_STATE: () => (/* binding */ POST_STATE),
/* harmony export */   runPost: () => (/* binding */ runPost)
/* harmony export */ });
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(3838);
/* harmony import */ var _action_log_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(8592);
/* harmony import */ var _build_own_builder_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(8842);
/* harmony import */ var _runner_tool_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(5602);
/* harmony import */ var _runner_buildx_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(2532);
/* harmony import */ var _runner_workspace_js__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(7683);
/* harmony import */ var _action_errors_js__WEBPACK_IMPORTED_MODULE_8__ = __webpack_require__(8055);




// Single modules, not the stages' index.ts: the post step's chunk holds only what it runs (no
// input parsers, no YAML or CSV library), and every run pays for loading it.





/** What the main step leaves for the post step (paths and names only, never a secret). */
const POST_STATE = {
    workspace: 'workspace',
    /** The random value in the workspace's marker file, which proves the directory is this step's. */
    marker: 'workspace-marker',
    registries: 'registries',
    logout: 'logout',
    /** A docker-container builder this step created ('' once removed). */
    builder: 'builder',
};
/**
 * The post step runs even when the main step failed or was cancelled: the builder the step created
 * is removed, then the step's directory is deleted: the isolated config with its credentials (the
 * logins live there alone, so deleting it is the logout), the build secret files and the OCI
 * layout. With `logout: false` the isolated config is kept (the runner wipes RUNNER_TEMP after the
 * job). All of it only once `workspaceProblem` has found the directory to be the one the main step
 * made: anything else is a warning, and nothing is deleted or removed.
 */
async function runPost() {
    const root = _actions_core__WEBPACK_IMPORTED_MODULE_2__/* .getState */ .Gu(POST_STATE.workspace);
    if (!root) {
        (0,_action_log_js__WEBPACK_IMPORTED_MODULE_3__/* .info */ .pq)('Nothing to clean up.');
        return;
    }
    const facts = await (0,_runner_workspace_js__WEBPACK_IMPORTED_MODULE_7__/* .readWorkspaceFacts */ .Xj)(root, (0,_runner_workspace_js__WEBPACK_IMPORTED_MODULE_7__/* .workspaceParent */ .o2)(process.env), _actions_core__WEBPACK_IMPORTED_MODULE_2__/* .getState */ .Gu(POST_STATE.marker));
    const problem = (0,_runner_workspace_js__WEBPACK_IMPORTED_MODULE_7__/* .workspaceProblem */ .BQ)(facts);
    if (problem !== undefined) {
        _actions_core__WEBPACK_IMPORTED_MODULE_2__/* .warning */ .$e(`Not deleting ${root}: ${problem}. The post step deletes only the directory its main step made, ` +
            'so it removed no builder and deleted nothing (the credentials it holds included).');
        return;
    }
    // From the proven directory, never from the state: buildx acts on this config.
    const dockerConfig = (0,node_path__WEBPACK_IMPORTED_MODULE_1__.join)(root, _runner_workspace_js__WEBPACK_IMPORTED_MODULE_7__/* .DOCKER_CONFIG_DIR */ .KO);
    const registries = JSON.parse(_actions_core__WEBPACK_IMPORTED_MODULE_2__/* .getState */ .Gu(POST_STATE.registries) || '[]');
    const logoutWanted = _actions_core__WEBPACK_IMPORTED_MODULE_2__/* .getState */ .Gu(POST_STATE.logout) !== 'false';
    const builder = _actions_core__WEBPACK_IMPORTED_MODULE_2__/* .getState */ .Gu(POST_STATE.builder);
    // Before the isolated config goes: buildx finds the builder through it.
    // A failure here must not keep the credentials below from being deleted.
    if (builder && !(0,_build_own_builder_js__WEBPACK_IMPORTED_MODULE_4__/* .isOwnBuilderName */ .nl)(builder)) {
        _actions_core__WEBPACK_IMPORTED_MODULE_2__/* .warning */ .$e(`Not removing builder ${builder}: not a name this action gives the builders it creates`);
    }
    else if (builder) {
        try {
            if (await (0,_build_own_builder_js__WEBPACK_IMPORTED_MODULE_4__/* .removeBuilder */ .iq)((0,_runner_buildx_js__WEBPACK_IMPORTED_MODULE_6__/* .findBuildx */ .ah)(await (0,_runner_tool_js__WEBPACK_IMPORTED_MODULE_5__/* .requireTool */ .Y0)('docker'), process.env), builder, dockerConfig)) {
                (0,_action_log_js__WEBPACK_IMPORTED_MODULE_3__/* .info */ .pq)(`Removed builder ${builder}`);
            }
        }
        catch (error) {
            _actions_core__WEBPACK_IMPORTED_MODULE_2__/* .warning */ .$e(`Could not remove builder ${builder}: ${(0,_action_errors_js__WEBPACK_IMPORTED_MODULE_8__/* .errorMessage */ .g)(error)}`);
        }
    }
    if (logoutWanted) {
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.rm)(root, { recursive: true, force: true });
        (0,_action_log_js__WEBPACK_IMPORTED_MODULE_3__/* .info */ .pq)(`Removed ${root} (isolated docker config${credentialsFor(registries)}, build secrets, OCI layout)`);
        return;
    }
    for (const entry of (0,_runner_workspace_js__WEBPACK_IMPORTED_MODULE_7__/* .deletedWhenKeepingLogins */ .DO)(await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.readdir)(root))) {
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.rm)((0,node_path__WEBPACK_IMPORTED_MODULE_1__.join)(root, entry), { recursive: true, force: true });
    }
    (0,_action_log_js__WEBPACK_IMPORTED_MODULE_3__/* .info */ .pq)(`logout: false: kept the isolated docker config ${dockerConfig}; removed the rest of ${root}`);
}
// The registries the main step logged into: their credentials were in that config and nowhere else.
function credentialsFor(registries) {
    return registries.length > 0 ? ` with the credentials for ${registries.join(', ')}` : '';
}


/***/ }),

/***/ 9184:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  ship: () => (/* binding */ ship)
});

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 7 modules
var core = __webpack_require__(3838);
// EXTERNAL MODULE: ./src/action/log.ts
var log = __webpack_require__(8592);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
var external_node_path_default = /*#__PURE__*/__webpack_require__.n(external_node_path_);
// EXTERNAL MODULE: ./src/action/input-list.ts
var input_list = __webpack_require__(9103);
// EXTERNAL MODULE: ./src/runner/child-env.ts
var child_env = __webpack_require__(9314);
// EXTERNAL MODULE: ./src/build/inputs.ts + 3 modules
var build_inputs = __webpack_require__(1539);
;// CONCATENATED MODULE: ./src/build/buildx-argv.ts



/**
 * buildx's arguments for the build (`build …`): an array, never a shell string, so no value is
 * ever re-read by a shell. Secret values never appear: only their ids and file paths.
 */
function buildxBuildArgs(inputs, run) {
    const args = ['build'];
    if (inputs.builder)
        args.push('--builder', inputs.builder);
    if (inputs.file)
        args.push('--file', inputs.file);
    if (inputs.target)
        args.push('--target', inputs.target);
    if (inputs.platforms.length > 0)
        args.push('--platform', inputs.platforms.join(','));
    for (const { key, value } of inputs.buildArgs)
        args.push('--build-arg', `${key}=${value}`);
    for (const { key, value } of inputs.buildContexts)
        args.push('--build-context', `${key}=${value}`);
    for (const label of run.labels)
        args.push('--label', label);
    for (const annotation of run.annotations)
        args.push('--annotation', annotation);
    for (const secret of inputs.secrets) {
        const file = run.secretFiles[secret.id];
        if (file === undefined)
            throw new Error(`no file was written for build secret "${secret.id}"`);
        args.push('--secret', csvJoin([`id=${secret.id}`, `src=${file}`]));
    }
    for (const { key, value } of inputs.secretFiles)
        args.push('--secret', csvJoin([`id=${key}`, `src=${value}`]));
    for (const { key, value } of inputs.secretEnvs)
        args.push('--secret', csvJoin([`id=${key}`, `env=${value}`]));
    for (const cache of inputs.cacheFrom)
        args.push('--cache-from', cache);
    for (const cache of inputs.cacheTo)
        args.push('--cache-to', cache);
    for (const attest of attestArgs(inputs, run))
        args.push('--attest', attest);
    if (inputs.pull)
        args.push('--pull');
    if (inputs.noCache)
        args.push('--no-cache');
    if (inputs.network)
        args.push('--network', inputs.network);
    if (inputs.shmSize)
        args.push('--shm-size', inputs.shmSize);
    for (const limit of inputs.ulimits)
        args.push('--ulimit', limit);
    args.push('--output', csvJoin(['type=oci', `dest=${run.ociDir}`, 'tar=false']));
    args.push('--metadata-file', run.metadataFile);
    args.push(inputs.context);
    return args;
}
/**
 * The variables `docker buildx build` gets from the step's environment by name, although childEnv
 * withholds them from children: the ones `secret-envs` names (buildx reads each `env=NAME` from
 * its own environment), and the four buildx reads for a `type=gha` cache (GHA_CACHE_ENV), only
 * when one is used. Never the OIDC token request (ACTIONS_ID_TOKEN_REQUEST_*).
 */
function buildxPassEnv(inputs) {
    const named = inputs.secretEnvs.map(({ value }) => value);
    const gha = inputs.cacheFrom.some((entry) => isGhaCache(entry, 'cache-from')) ||
        inputs.cacheTo.some((entry) => isGhaCache(entry, 'cache-to'));
    return [...new Set([...named, ...(gha ? child_env/* GHA_CACHE_ENV */.AZ : [])])];
}
// As buildx reads a cache entry (util/buildflags/cache.go): CSV fields, keys case-blind, `type=gha`.
function isGhaCache(entry, input) {
    return (0,build_inputs/* csvFieldsOf */.pz)(entry, input).some((field) => {
        const at = field.indexOf('=');
        return at > 0 && field.slice(0, at).toLowerCase() === 'type' && field.slice(at + 1) === 'gha';
    });
}
/** build-push-action's provenance builder id: the run's URL, with the attempt. */
function workflowRunUrl(context, runAttempt) {
    return `${context.serverUrl}/${context.repository}/actions/runs/${context.runId}/attempts/${runAttempt}`;
}
/**
 * `--attest` values with build-push-action's semantics: provenance on by default (minimal and
 * inline for private repositories, `mode=max` for public ones), a builder id added unless given;
 * `true`/`false` turn an attestation on or off; anything else is passed as its attributes.
 */
function attestArgs(inputs, run) {
    const attests = [];
    const builderId = `builder-id=${run.builderId}`;
    if (inputs.provenance === '') {
        if (run.defaultAttestations) {
            const mode = run.privateRepository ? 'mode=min,inline-only=true' : 'mode=max';
            attests.push(`type=provenance,${mode},${builderId}`);
        }
    }
    else if ((0,build_inputs/* isBoolean */.Lm)(inputs.provenance)) {
        attests.push((0,input_list/* parseBoolean */.yG)(inputs.provenance, 'provenance')
            ? `type=provenance,${builderId}`
            : 'type=provenance,disabled=true');
    }
    else {
        const fields = (0,build_inputs/* csvFieldsOf */.pz)(inputs.provenance, 'provenance');
        const hasBuilderId = fields.some((field) => field.startsWith('builder-id='));
        attests.push(['type=provenance', ...fields.map(boolToDisabled), ...(hasBuilderId ? [] : [builderId])].join(','));
    }
    if (inputs.sbom !== '') {
        attests.push(['type=sbom', ...(0,build_inputs/* csvFieldsOf */.pz)(inputs.sbom, 'sbom').map(boolToDisabled)].join(','));
    }
    return attests;
}
// buildx reads a bare boolean among attestation attributes as "enabled"; it wants `disabled=`.
function boolToDisabled(field) {
    return (0,build_inputs/* isBoolean */.Lm)(field) ? `disabled=${!(0,input_list/* parseBoolean */.yG)(field, 'provenance')}` : field;
}
// buildx reads --secret and --output values as CSV: a comma or quote in a path must be quoted.
function csvJoin(fields) {
    return fields.map((field) => (/[",\n]/.test(field) ? `"${field.replace(/"/g, '""')}"` : field)).join(',');
}

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
;// CONCATENATED MODULE: ./src/build/oci-layout.ts

const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const DOCKER_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';
const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';
/** The media types of an image index (OCI, Docker's manifest list) and of an image manifest. */
const INDEX_TYPES = [OCI_INDEX, DOCKER_LIST];
const MANIFEST_TYPES = [OCI_MANIFEST, DOCKER_MANIFEST];
const REFERENCE_TYPE = 'vnd.docker.reference.type';
const REFERENCE_DIGEST = 'vnd.docker.reference.digest';
const DIGEST = /^(sha256|sha512):([a-f0-9]+)$/;
/**
 * Reads the single image buildx put in the layout. A multi-platform build (or any build with
 * attestations) gives an index; a single-platform build without attestations gives a plain image
 * manifest, whose platform comes from `index.json` or, failing that, from the image config.
 */
function readOciImage(indexJson, readBlob) {
    const layout = asObject(indexJson, 'index.json');
    if (layout.schemaVersion !== 2)
        throw layoutError('index.json: expected schemaVersion 2');
    const manifests = asArray(layout.manifests, 'index.json manifests');
    if (manifests.length !== 1) {
        throw layoutError(`index.json: expected exactly one image, found ${manifests.length}; build into an empty directory`);
    }
    const top = descriptor(manifests[0], 'index.json manifests[0]');
    const content = readVerified(top, readBlob);
    if (INDEX_TYPES.includes(top.mediaType))
        return fromIndex(top, content, readBlob);
    if (MANIFEST_TYPES.includes(top.mediaType))
        return fromManifest(top, content, readBlob);
    throw layoutError(`index.json: the image is a ${top.mediaType}, expected an image index or manifest`);
}
/** The path of a blob inside the layout directory. */
function blobPath(digest) {
    const match = DIGEST.exec(digest);
    if (!match)
        throw layoutError(`"${digest}" is not a digest`);
    return `blobs/${match[1]}/${match[2]}`;
}
/** The digest of some bytes, as a registry computes it for a manifest. */
function digestOf(bytes, algorithm = 'sha256') {
    return `${algorithm}:${(0,external_node_crypto_.createHash)(algorithm).update(bytes).digest('hex')}`;
}
/** The digest of `bytes` in the algorithm `digest` names (sha512, else sha256): what `digest` must equal. */
function digestAs(digest, bytes) {
    return digestOf(bytes, digest.startsWith('sha512:') ? 'sha512' : 'sha256');
}
/** `containerimage.digest` from buildx's `--metadata-file`: must equal the layout's digest. */
function metadataDigest(metadata) {
    const digest = asObject(metadata, 'the buildx metadata file')['containerimage.digest'];
    if (typeof digest !== 'string' || !DIGEST.test(digest)) {
        throw layoutError('the buildx metadata file has no containerimage.digest');
    }
    return digest;
}
function platformString(platform) {
    return [platform.os, platform.architecture, platform.variant].filter((part) => part).join('/');
}
/**
 * The requested platforms the image lacks. `linux/arm64` and `linux/arm64/v8` are one platform
 * (v8 is arm64's only variant), as containerd treats them.
 */
function missingPlatforms(requested, image) {
    const built = new Set(image.platforms.map((entry) => normalizePlatform(entry.platform)));
    return requested.filter((platform) => !built.has(normalizePlatform(platform)));
}
function fromIndex(top, content, readBlob) {
    const index = asObject(content, `index ${top.digest}`);
    const entries = asArray(index.manifests, `index ${top.digest} manifests`).map((entry, at) => descriptor(entry, `index ${top.digest} manifests[${at}]`));
    const platforms = [];
    const attestations = [];
    const others = [];
    for (const entry of entries) {
        if (entry.annotations?.[REFERENCE_TYPE] === 'attestation-manifest')
            attestations.push(entry);
        else if (MANIFEST_TYPES.includes(entry.mediaType) && !isUnknownPlatform(entry.platform)) {
            platforms.push({
                platform: platformString(entry.platform ?? platformFromConfig(entry, readBlob)),
                descriptor: entry,
            });
        }
        else
            others.push(entry);
    }
    const platformOf = new Map(platforms.map((entry) => [entry.descriptor.digest, entry.platform]));
    return {
        digest: top.digest,
        mediaType: top.mediaType,
        size: top.size,
        kind: 'index',
        platforms,
        attestations: attestations.map((entry) => {
            const subject = entry.annotations?.[REFERENCE_DIGEST] ?? '';
            return { descriptor: entry, subject, platform: platformOf.get(subject) };
        }),
        others,
        annotations: stringRecord(index.annotations),
    };
}
function fromManifest(top, content, readBlob) {
    const manifest = asObject(content, `manifest ${top.digest}`);
    const platform = top.platform ?? platformFromConfig(top, readBlob, manifest);
    return {
        digest: top.digest,
        mediaType: top.mediaType,
        size: top.size,
        kind: 'manifest',
        platforms: [{ platform: platformString(platform), descriptor: top }],
        attestations: [],
        others: [],
        annotations: stringRecord(manifest.annotations),
    };
}
// An image's platform is in its config when no descriptor carries it.
function platformFromConfig(entry, readBlob, manifest = asObject(readVerified(entry, readBlob), `manifest ${entry.digest}`)) {
    const config = descriptor(manifest.config, `manifest ${entry.digest} config`);
    const image = asObject(readVerified(config, readBlob), `config ${config.digest}`);
    if (typeof image.os !== 'string' || typeof image.architecture !== 'string') {
        throw layoutError(`config ${config.digest} names no os/architecture`);
    }
    return {
        os: image.os,
        architecture: image.architecture,
        ...(typeof image.variant === 'string' && image.variant ? { variant: image.variant } : {}),
    };
}
/**
 * The bytes of the blob `entry` names. The bytes scanned are the bytes pushed: a blob whose digest
 * or size is off means a damaged layout.
 */
function readVerifiedBytes(entry, readBlob) {
    const raw = readBlob(entry.digest);
    const bytes = Buffer.from(raw);
    if (digestAs(entry.digest, bytes) !== entry.digest)
        throw layoutError(`blob ${entry.digest} does not match its digest`);
    if (bytes.length !== entry.size) {
        throw layoutError(`blob ${entry.digest} is ${bytes.length} bytes, its descriptor says ${entry.size}`);
    }
    return bytes;
}
function readVerified(entry, readBlob) {
    const bytes = readVerifiedBytes(entry, readBlob);
    try {
        return JSON.parse(bytes.toString('utf8'));
    }
    catch {
        throw layoutError(`blob ${entry.digest} is not JSON`);
    }
}
/** A descriptor (`mediaType`, `digest`, `size`, …) read from layout JSON at `where`, checked. */
function descriptor(value, where) {
    const object = asObject(value, where);
    const { mediaType, digest, size } = object;
    if (typeof mediaType !== 'string')
        throw layoutError(`${where}: no mediaType`);
    if (typeof digest !== 'string' || !DIGEST.test(digest))
        throw layoutError(`${where}: no valid digest`);
    if (typeof size !== 'number' || !Number.isInteger(size) || size < 0)
        throw layoutError(`${where}: no valid size`);
    const result = { mediaType, digest, size };
    if (object.annotations !== undefined)
        result.annotations = stringRecord(object.annotations);
    if (object.platform !== undefined)
        result.platform = platformOf(object.platform, where);
    if (typeof object.artifactType === 'string')
        result.artifactType = object.artifactType;
    return result;
}
function platformOf(value, where) {
    const object = asObject(value, `${where} platform`);
    if (typeof object.os !== 'string' || typeof object.architecture !== 'string') {
        throw layoutError(`${where}: platform without os/architecture`);
    }
    return {
        os: object.os,
        architecture: object.architecture,
        ...(typeof object.variant === 'string' && object.variant ? { variant: object.variant } : {}),
    };
}
function isUnknownPlatform(platform) {
    return platform?.os === 'unknown' && platform.architecture === 'unknown';
}
function normalizePlatform(platform) {
    return platform.toLowerCase().replace(/^(\w+)\/arm64\/v8$/, '$1/arm64');
}
function stringRecord(value) {
    if (value === null || typeof value !== 'object')
        return {};
    return Object.fromEntries(Object.entries(value).filter((entry) => typeof entry[1] === 'string'));
}
function asObject(value, where) {
    if (value === null || typeof value !== 'object' || Array.isArray(value))
        throw layoutError(`${where}: expected a JSON object`);
    return value;
}
function asArray(value, where) {
    if (!Array.isArray(value))
        throw layoutError(`${where}: expected a list`);
    return value;
}
function layoutError(detail) {
    return new Error(`OCI layout: ${detail}`);
}

// EXTERNAL MODULE: ./src/runner/tool.ts
var runner_tool = __webpack_require__(5602);
// EXTERNAL MODULE: ./src/runner/buildx.ts
var runner_buildx = __webpack_require__(2532);
// EXTERNAL MODULE: ./src/build/builder.ts
var build_builder = __webpack_require__(8079);
// EXTERNAL MODULE: ./src/build/own-builder.ts
var own_builder = __webpack_require__(8842);
// EXTERNAL MODULE: ./src/runner/timeouts.ts
var timeouts = __webpack_require__(7900);
;// CONCATENATED MODULE: ./src/build/load.ts






/**
 * Why the built image cannot be loaded into the engine, if it cannot: the classic image store
 * holds one platform per name, so only the containerd image store takes a multi-platform index.
 */
function loadProblem(platforms, containerdStore) {
    if (platforms <= 1 || containerdStore)
        return undefined;
    return (`Input "load": the engine has the classic image store, which cannot hold a ${platforms}-platform image. ` +
        'Build one platform, or turn on the containerd image store.');
}
/**
 * The `index.json` of a layout `docker load` tags as every reference: one entry per name, all
 * pointing at the image built. Only this file differs from the pushed layout; the image index
 * blob, and so the digest, is the same.
 */
function loadIndexJson(layoutIndexJson, references) {
    const layout = layoutIndexJson;
    const top = layout.manifests[0];
    if (!top)
        throw new Error('OCI layout: index.json names no image');
    const manifests = references.map(({ reference, tag }) => ({
        ...top,
        annotations: { 'io.containerd.image.name': reference, 'org.opencontainers.image.ref.name': tag },
    }));
    return `${JSON.stringify({ ...layout, manifests })}\n`;
}
/** `docker load` of the layout built (no rebuild), named as every computed reference. */
async function loadImage(docker, layoutDir, workDir, references) {
    if (references.length === 0) {
        core/* warning */.$e('Input "load": no image reference was computed, so there is no name to load the image as');
        return;
    }
    const tar = await (0,runner_tool/* requireTool */.Y0)('tar');
    const dir = (0,external_node_path_.join)(workDir, 'load');
    const archive = (0,external_node_path_.join)(workDir, 'load.tar');
    await (0,promises_.mkdir)(dir);
    await (0,promises_.symlink)((0,external_node_path_.join)(layoutDir, 'blobs'), (0,external_node_path_.join)(dir, 'blobs'));
    await (0,promises_.copyFile)((0,external_node_path_.join)(layoutDir, 'oci-layout'), (0,external_node_path_.join)(dir, 'oci-layout'));
    const index = JSON.parse(await (0,promises_.readFile)((0,external_node_path_.join)(layoutDir, 'index.json'), 'utf8'));
    await (0,promises_.writeFile)((0,external_node_path_.join)(dir, 'index.json'), loadIndexJson(index, references));
    try {
        // -h: the archive holds the blobs themselves, not the link to them.
        const packed = await (0,runner_tool/* runTool */.qI)(tar, ['-C', dir, '-chf', archive, '.'], {
            silent: true,
            deadline: (0,timeouts/* deadline */.nl)('load', 'tar of the OCI layout for docker load'),
        });
        if (packed.exitCode !== 0)
            throw new Error(`tar of the OCI layout failed: ${(0,runner_tool/* tail */.RT)(packed.stderr)}`);
        const loaded = await (0,runner_tool/* runTool */.qI)(docker, ['load', '--input', archive], {
            deadline: (0,timeouts/* deadline */.nl)('load', 'docker load'),
        });
        if (loaded.exitCode !== 0)
            throw new Error(`docker load failed: ${(0,runner_tool/* tail */.RT)(loaded.stderr)}`);
        (0,log/* info */.pq)(`Loaded into the engine as ${references.map((image) => image.reference).join(', ')}`);
    }
    finally {
        await (0,promises_.rm)(dir, { recursive: true, force: true });
        await (0,promises_.rm)(archive, { force: true });
    }
}

// EXTERNAL MODULE: ./src/build/qemu.ts
var qemu = __webpack_require__(1302);
;// CONCATENATED MODULE: ./src/build/index.ts








// The build stage's entry: the build itself, and what the run plans and sets up around it.




/**
 * `type=gha` cache both ways when on GitHub with the cache service and nothing was asked for;
 * otherwise the inputs as given. A run that pushes nothing writes no cache either: it may be
 * building a fork's code, whose layers must not land in a cache the base branch reads.
 */
function runCache(inputs, env, pushing) {
    const given = { cacheFrom: inputs.cacheFrom, cacheTo: inputs.cacheTo };
    const onGithub = env.GITHUB_ACTIONS === 'true';
    const cacheService = Boolean(env.ACTIONS_CACHE_URL || env.ACTIONS_RESULTS_URL);
    const asked = inputs.cacheFrom.length > 0 || inputs.cacheTo.length > 0 || inputs.noCache;
    const cache = asked || !onGithub || !cacheService ? given : { cacheFrom: ['type=gha'], cacheTo: ['type=gha,mode=max'] };
    if (pushing || cache.cacheTo.length === 0)
        return cache;
    if (!asked)
        return { ...cache, cacheTo: [] };
    return {
        ...cache,
        cacheTo: [],
        warning: 'Input "cache-to": this run pushes nothing, so it writes no cache either; cache-to is ignored.',
    };
}
/** Builds once into an OCI layout (the cache flags settled by `runCache`); the layout is what gets pushed (and scanned). */
async function build(buildx, inputs, metadata, context, workspace, env) {
    const secretFiles = {};
    for (const secret of inputs.secrets) {
        const file = (0,external_node_path_.join)(workspace.secretsDir, secret.id);
        await (0,promises_.writeFile)(file, secret.value, { mode: 0o600 });
        secretFiles[secret.id] = file;
    }
    const args = buildxBuildArgs(inputs, {
        ociDir: workspace.layoutDir,
        metadataFile: workspace.metadataFile,
        secretFiles,
        labels: metadata.labels,
        annotations: metadata.annotations,
        builderId: workflowRunUrl(context, Number(env.GITHUB_RUN_ATTEMPT || 1)),
        privateRepository: context.payload.repository?.private === true,
        defaultAttestations: !env.BUILDX_NO_DEFAULT_ATTESTATIONS,
    });
    // No deadline: the build takes as long as the Dockerfile does, bounded by the job's timeout.
    const result = await core/* group */.Os('Build (docker buildx build)', () => (0,runner_tool/* runTool */.qI)(buildx.file, (0,runner_buildx/* buildxArgs */.w$)(buildx, args), {
        env: { DOCKER_CONFIG: workspace.dockerConfig },
        passEnv: buildxPassEnv(inputs),
    }));
    if (result.exitCode !== 0) {
        throw new Error(`docker buildx build failed (exit ${result.exitCode}); its output is in the log above`);
    }
    const buildMetadata = JSON.parse(await (0,promises_.readFile)(workspace.metadataFile, 'utf8'));
    const image = readOciImage(JSON.parse(await (0,promises_.readFile)((0,external_node_path_.join)(workspace.layoutDir, 'index.json'), 'utf8')), (d) => (0,external_node_fs_.readFileSync)((0,external_node_path_.join)(workspace.layoutDir, blobPath(d))));
    const digest = metadataDigest(buildMetadata);
    if (digest !== image.digest) {
        throw new Error(`buildx reported ${digest} but the OCI layout holds ${image.digest}`);
    }
    const missing = missingPlatforms(inputs.platforms, image);
    if (missing.length > 0)
        throw new Error(`The build lacks the requested platforms: ${missing.join(', ')}`);
    const configDigest = buildMetadata['containerimage.config.digest'];
    return {
        digest,
        imageId: typeof configDigest === 'string' ? configDigest : digest,
        image,
        metadata: buildMetadata,
        layoutDir: workspace.layoutDir,
    };
}

// EXTERNAL MODULE: ./src/github/context.ts
var github_context = __webpack_require__(9556);
// EXTERNAL MODULE: ./src/metadata/image-reference.ts
var image_reference = __webpack_require__(3532);
// EXTERNAL MODULE: external "node:stream"
var external_node_stream_ = __webpack_require__(7075);
// EXTERNAL MODULE: ./node_modules/undici/index.js
var undici = __webpack_require__(6752);
// EXTERNAL MODULE: ./src/login/docker-config.ts
var docker_config = __webpack_require__(360);
;// CONCATENATED MODULE: ./src/registry/credentials.ts


/** The user name a credential helper answers with when its Secret is an identity token. */
const IDENTITY_TOKEN_USERNAME = '<token>';
// The helper's name becomes part of a program name: `docker-credential-<name>`, found on PATH.
const HELPER_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
/**
 * The `auths` and `credHelpers` of a docker config.json: the login stage's entries, and those the
 * step's private config copied from the user's (logins of earlier steps). A global `credsStore`
 * is not read: the private config never holds one.
 */
function parseAuthFile(text, file) {
    let parsed;
    try {
        parsed = JSON.parse(text);
    }
    catch {
        throw new Error(`the auth file ${file} is not JSON; expected a docker config.json`);
    }
    const config = (parsed ?? {});
    return {
        auths: authEntries(config.auths, file),
        credHelpers: objectIn(config.credHelpers, 'credHelpers', file),
    };
}
function authEntries(auths, file) {
    const entries = {};
    for (const [key, value] of Object.entries(objectIn(auths, 'auths', file))) {
        const { auth, identitytoken } = (value ?? {});
        const entry = {};
        if (typeof auth === 'string' && auth !== '')
            entry.auth = auth;
        if (typeof identitytoken === 'string' && identitytoken !== '')
            entry.identitytoken = identitytoken;
        if (entry.auth !== undefined || entry.identitytoken !== undefined)
            entries[key] = entry;
    }
    return entries;
}
function objectIn(value, field, file) {
    if (value === undefined)
        return {};
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        throw new Error(`the auth file ${file} has a "${field}" that is not an object`);
    }
    return value;
}
/**
 * Where the credential for `registry` (canonical host, `docker.io` for Docker Hub) comes from, as
 * the docker CLI decides: a `credHelpers` entry first, then the `auths` entry (its identity
 * token before its user and password). Keys may be written `host`, `host:port`, `https://host` or
 * Docker Hub's `https://index.docker.io/v1/`. Undefined: anonymous.
 */
function credentialSourceFor(config, registry) {
    for (const [key, helper] of Object.entries(config.credHelpers)) {
        // The helper is asked for the key as written: that is what the docker CLI asks it for.
        if (canonicalKey(key) === registry)
            return { kind: 'helper', helper: helperName(helper, key), serverUrl: key };
    }
    for (const [key, entry] of Object.entries(config.auths)) {
        if (canonicalKey(key) !== registry)
            continue;
        const credential = storedCredential(entry);
        if (credential)
            return { kind: 'stored', credential };
    }
    return undefined;
}
function helperName(helper, key) {
    if (typeof helper === 'string' && HELPER_NAME.test(helper))
        return helper;
    throw new Error(`the docker config's credHelpers names ${JSON.stringify(helper)} as the helper for ${key}; ` +
        'expected the suffix of a docker-credential-<name> program, such as "gcloud" or "ecr-login"');
}
function storedCredential(entry) {
    if (entry.identitytoken !== undefined)
        return { kind: 'identity token', token: entry.identitytoken };
    const pair = Buffer.from(entry.auth ?? '', 'base64').toString('utf8');
    const colon = pair.indexOf(':');
    if (colon <= 0)
        return undefined;
    return { kind: 'password', username: pair.slice(0, colon), password: pair.slice(colon + 1) };
}
function canonicalKey(key) {
    try {
        return (0,image_reference/* normalizeRegistryHost */.Z6)(key, 'authFile');
    }
    catch {
        // `https://host/v2/` and the like: the host is what counts.
        const host = /^(?:https?:\/\/)?([^/]+)/i.exec(key.trim())?.[1];
        try {
            return host === undefined ? undefined : (0,image_reference/* normalizeRegistryHost */.Z6)(host, 'authFile');
        }
        catch {
            return undefined;
        }
    }
}
/** What to mask once a credential is read: the password and the base64 pair a Basic header carries, or the token. */
function secretsOf(credential) {
    if (credential.kind === 'identity token')
        return [credential.token];
    const pair = (0,docker_config/* basicAuth */.tB)(credential.username, credential.password);
    return credential.password === '' ? [pair] : [credential.password, pair];
}
/** The Authorization value for Basic. */
function basicHeader(credential) {
    return `Basic ${(0,docker_config/* basicAuth */.tB)(credential.username, credential.password)}`;
}

;// CONCATENATED MODULE: ./src/registry/challenge.ts
/**
 * The challenge of a `WWW-Authenticate` value (registries send one): `Bearer realm="…",service="…",scope="…"` or
 * `Basic realm="…"`. Quoted values may hold commas (a scope list does).
 */
function parseChallenge(header) {
    const match = /^\s*([A-Za-z][\w-]*)\s*(.*)$/s.exec(header ?? '');
    if (!match?.[1])
        return undefined;
    const params = {};
    for (const m of (match[2] ?? '').matchAll(/([\w-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))/g)) {
        const name = (m[1] ?? '').toLowerCase();
        params[name] = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : (m[3] ?? '');
    }
    return { scheme: match[1].toLowerCase(), params };
}
/** The scope a read of repository `path` needs. */
const pullScope = (path) => `repository:${path}:pull`;
/** The scope a write to repository `path` needs (a push reads too: HEAD before upload). */
const pushScope = (path) => `repository:${path}:pull,push`;
/** Token caches are keyed by the set of scopes, not their order. */
function scopeKey(scopes) {
    return [...new Set(scopes)].sort().join(' ');
}
/** The token endpoint of a Bearer challenge. */
function tokenRealm(challenge) {
    const realm = challenge.params.realm;
    if (!realm)
        throw new Error('the registry sent a Bearer challenge without a realm');
    return new URL(realm);
}
/** The token endpoint's URL for a GET (anonymous or Basic): `realm?service=…&scope=…&scope=…`. */
function tokenUrl(challenge, scopes) {
    const url = tokenRealm(challenge);
    if (challenge.params.service)
        url.searchParams.set('service', challenge.params.service);
    for (const scope of [...new Set(scopes)])
        url.searchParams.append('scope', scope);
    return url;
}
/** The client_id the token spec asks OAuth2 clients to name themselves by. */
const OAUTH_CLIENT_ID = 'build-scan-push';
/**
 * The form POSTed to the token endpoint for an identity token (the distribution token spec's
 * OAuth2 refresh-token grant): the scopes go space-separated in one `scope` field.
 */
function refreshTokenForm(challenge, scopes, refreshToken) {
    const form = new URLSearchParams({ grant_type: 'refresh_token' });
    if (challenge.params.service)
        form.set('service', challenge.params.service);
    form.set('scope', [...new Set(scopes)].join(' '));
    form.set('client_id', OAUTH_CLIENT_ID);
    form.set('refresh_token', refreshToken);
    return form.toString();
}
// The distribution token spec: a token without expires_in is good for 60 seconds.
const DEFAULT_TOKEN_LIFETIME_S = 60;
function parseTokenResponse(text) {
    let body;
    try {
        body = JSON.parse(text);
    }
    catch {
        throw new Error('the token endpoint answered with something other than JSON');
    }
    const token = typeof body.token === 'string' && body.token !== '' ? body.token : body.access_token;
    if (typeof token !== 'string' || token === '') {
        throw new Error('the token endpoint answered without a token');
    }
    const seconds = typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : DEFAULT_TOKEN_LIFETIME_S;
    return { token, expiresInMs: seconds * 1000 };
}

;// CONCATENATED MODULE: ./src/registry/errors.ts
/**
 * A registry operation that failed: names the operation and reference ("upload blob sha256:… to
 * localhost:5000/acme/app"), and carries the registry's status and distribution error code when
 * it answered. Never holds a credential or token.
 */
class RegistryError extends Error {
    operation;
    status;
    code;
    constructor(operation, reason, status, code, options) {
        super(`${operation} failed: ${reason}`, options);
        this.operation = operation;
        this.status = status;
        this.code = code;
        this.name = 'RegistryError';
    }
}
function parseDistributionError(text) {
    try {
        const first = JSON.parse(text).errors?.[0];
        if (typeof first?.code !== 'string')
            return undefined;
        return { code: first.code, message: typeof first.message === 'string' ? first.message : '' };
    }
    catch {
        return undefined;
    }
}
/**
 * An OAuth2 token endpoint's error (`{"error":"invalid_grant","error_description":"…"}`) as a
 * distribution error: its code alone, and only when it is a plain word (the description is the
 * server's free text, which could echo what was sent).
 */
function parseOAuthError(text) {
    try {
        const code = JSON.parse(text).error;
        return typeof code === 'string' && /^[a-z_]{1,64}$/i.test(code) ? { code, message: '' } : undefined;
    }
    catch {
        return undefined;
    }
}
/** What a refused request means, in words that say what to do. */
function statusReason(status, name, access, detail) {
    const said = detail ? `: ${detail.code}${detail.message ? ` ${detail.message}` : ''}` : '';
    if (status === 401)
        return `the registry refused the credentials for ${name} (401${said})`;
    if (status === 403) {
        const may = access === 'push' ? `may push to ${name}` : `may pull from ${name}`;
        return `denied (403${said}): check the credentials ${may}`;
    }
    if (status === 429)
        return `rate limited (429${said})`;
    if (status >= 500)
        return `registry error (${status}${said})`;
    return `HTTP ${status}${said}`;
}
/**
 * A registry answer that was not the one expected, on its way to the operation that turns it into
 * a RegistryError or another attempt.
 */
class UnexpectedStatus extends Error {
    status;
    detail;
    retryAfterMs;
    constructor(status, detail, retryAfterMs) {
        super(`HTTP ${status}${detail ? ` ${detail.code}` : ''}`);
        this.status = status;
        this.detail = detail;
        this.retryAfterMs = retryAfterMs;
        this.name = 'UnexpectedStatus';
    }
}

;// CONCATENATED MODULE: ./src/registry/retry.ts
const DEFAULT_RETRY_POLICY = {
    maxAttempts: 4,
    baseDelayMs: 2_000,
    maxDelayMs: 30_000,
    rateLimitDelayMs: 15_000,
};
// The connection went away or never answered: another attempt may find the registry back.
const TRANSIENT_NETWORK_CODES = new Set([
    'ECONNRESET',
    'ECONNREFUSED',
    'EPIPE',
    'ETIMEDOUT',
    'EAI_AGAIN',
    'ENETUNREACH',
    'EHOSTUNREACH',
    'UND_ERR_SOCKET',
    'UND_ERR_CLOSED',
    'UND_ERR_CONNECT_TIMEOUT',
    'UND_ERR_HEADERS_TIMEOUT',
    'UND_ERR_BODY_TIMEOUT',
]);
/** Whether a failure is of the kind another attempt can fix (5xx, 408, 429, a dropped connection). */
function isTransient(failure) {
    if (failure.kind === 'network')
        return TRANSIENT_NETWORK_CODES.has(failure.code);
    return failure.status === 408 || failure.status === 429 || failure.status >= 500;
}
/**
 * What to do after attempt number `attempt` (1 for the first) failed. Other 4xx are answers, not
 * accidents: retrying a refused credential may also lock the account.
 */
function retryDecision(failure, attempt, policy) {
    if (!isTransient(failure))
        return { action: 'fail', gaveUp: false };
    if (attempt >= policy.maxAttempts)
        return { action: 'fail', gaveUp: true };
    const rateLimited = failure.kind === 'status' && failure.status === 429;
    if (rateLimited && failure.retryAfterMs !== undefined) {
        return { action: 'retry', delayMs: Math.min(Math.max(failure.retryAfterMs, 0), policy.maxDelayMs) };
    }
    const base = rateLimited ? policy.rateLimitDelayMs : policy.baseDelayMs;
    return { action: 'retry', delayMs: Math.min(base * 2 ** (attempt - 1), policy.maxDelayMs) };
}
/** A `Retry-After` value (seconds, or an HTTP date) as a delay from `now`; undefined when unreadable. */
function parseRetryAfter(value, now) {
    if (value === undefined)
        return undefined;
    const text = value.trim();
    if (/^\d+$/.test(text))
        return Number(text) * 1000;
    const date = Date.parse(text);
    return Number.isNaN(date) ? undefined : Math.max(date - now, 0);
}
/**
 * Limits that stop a stalled registry from hanging the job. undici restarts the headers timer
 * whenever a request body chunk is written, so an upload that keeps moving is never cut; a
 * commit (the final PUT of an upload, a manifest PUT) may make the registry check or move a whole
 * blob before it answers, so it waits longer.
 */
function requestTimeouts(kind) {
    switch (kind) {
        case 'control':
            return { headersMs: 60_000, bodyIdleMs: 60_000 };
        case 'transfer':
            return { headersMs: 120_000, bodyIdleMs: 120_000 };
        case 'commit':
            return { headersMs: 300_000, bodyIdleMs: 60_000 };
    }
}
/** The warning for a retry: "<operation>: registry error (503); retrying in 2 s (attempt 2)". */
function retryWarning(operation, failure, delayMs, nextAttempt) {
    return `${operation}: ${failureReason(failure)}; retrying in ${Math.round(delayMs / 1000)} s (attempt ${nextAttempt})`;
}
/** A failure in a few words. */
function failureReason(failure) {
    if (failure.kind === 'network')
        return `connection failed (${failure.code})`;
    if (failure.status === 429)
        return 'rate limited (429)';
    if (failure.status === 408)
        return 'request timeout (408)';
    if (failure.status >= 500)
        return `registry error (${failure.status})`;
    return `HTTP ${failure.status}`;
}

;// CONCATENATED MODULE: ./src/registry/auth.ts





// A token is renewed this long before it expires, so it does not lapse between choice and use.
const TOKEN_MARGIN_MS = 10_000;
/**
 * What one registry wants as Authorization, learnt from its first 401 and remembered: Basic with
 * the stored credential, or Bearer tokens per scope set, cached until they expire. A token is
 * fetched with a GET (anonymous, or Basic with a user and password) or, for an identity token,
 * with the OAuth2 refresh-token POST.
 */
class Authenticator {
    registry;
    credential;
    dispatcher;
    signal;
    now;
    #basic = false;
    #bearer;
    #tokens = new Map();
    constructor(registry, credential, dispatcher, signal, now = Date.now) {
        this.registry = registry;
        this.credential = credential;
        this.dispatcher = dispatcher;
        this.signal = signal;
        this.now = now;
    }
    /** The Authorization to send first: none until the registry has asked for some. */
    async headerFor(scopes) {
        if (this.#basic)
            return this.#basicHeader();
        if (this.#bearer)
            return this.#token(this.#bearer, scopes, false);
        return undefined;
    }
    /**
     * The Authorization that answers a 401's challenge, or undefined when there is nothing new to
     * send (no credential for Basic, the same header as was refused): the 401 then stands.
     */
    async answer(wwwAuthenticate, scopes, sent) {
        const challenge = parseChallenge(wwwAuthenticate);
        if (challenge?.scheme === 'basic') {
            const header = await this.#basicHeader();
            if (header === undefined)
                return undefined;
            this.#basic = true;
            return header === sent ? undefined : header;
        }
        if (challenge?.scheme === 'bearer') {
            this.#bearer = challenge;
            // The token sent may have expired or lacked a scope: ask for a new one, once.
            const header = await this.#token(challenge, scopes, true);
            return header === sent ? undefined : header;
        }
        return undefined;
    }
    async #basicHeader() {
        const credential = await this.credential();
        if (credential?.kind === 'identity token') {
            throw new Error(`${this.registry} asks for Basic authentication, and its credential in the docker config is an ` +
                'identity token, which only a token server (a Bearer challenge) accepts: log in to it with a user name and password');
        }
        return credential && basicHeader(credential);
    }
    #token(challenge, scopes, renew) {
        const key = scopeKey(scopes);
        const cached = this.#tokens.get(key);
        if (cached && !renew && cached.expiresAt > this.now())
            return cached.header;
        const entry = { header: Promise.resolve(''), expiresAt: Infinity };
        entry.header = this.#fetchToken(challenge, scopes).then((token) => {
            entry.expiresAt = this.now() + token.expiresInMs - TOKEN_MARGIN_MS;
            return `Bearer ${token.token}`;
        }, (error) => {
            this.#tokens.delete(key);
            throw error;
        });
        this.#tokens.set(key, entry);
        return entry.header;
    }
    async #fetchToken(challenge, scopes) {
        const credential = await this.credential();
        const timeouts = requestTimeouts('control');
        const settings = {
            dispatcher: await this.dispatcher,
            signal: this.signal,
            headersTimeout: timeouts.headersMs,
            bodyTimeout: timeouts.bodyIdleMs,
        };
        const response = credential?.kind === 'identity token'
            ? await (0,undici.request)(tokenRealm(challenge), {
                ...settings,
                method: 'POST',
                headers: { 'content-type': 'application/x-www-form-urlencoded' },
                body: refreshTokenForm(challenge, scopes, credential.token),
            })
            : await (0,undici.request)(tokenUrl(challenge, scopes), {
                ...settings,
                method: 'GET',
                headers: credential ? { authorization: basicHeader(credential) } : {},
            });
        const text = await response.body.text();
        if (response.statusCode !== 200) {
            const retryAfter = response.headers['retry-after'];
            throw new UnexpectedStatus(response.statusCode, parseDistributionError(text) ?? parseOAuthError(text), parseRetryAfter(typeof retryAfter === 'string' ? retryAfter : undefined, this.now()));
        }
        return parseTokenResponse(text);
    }
}

;// CONCATENATED MODULE: ./src/registry/connection.ts





/**
 * Everything one registry needs across requests: its scheme, its keep-alive dispatcher and its
 * authentication state.
 */
class RegistryConnection {
    registry;
    settings;
    #scheme = 'https';
    #auth;
    #apiHost;
    constructor(registry, settings) {
        this.registry = registry;
        this.settings = settings;
        this.#apiHost = (0,image_reference/* registryApiHost */.Mb)(registry);
        this.#auth = new Authenticator(registry, settings.credential, settings.dispatcher, settings.signal);
    }
    /** Sends an exchange, answering one 401 challenge; a 401 that remains is returned to the caller. */
    async send(exchange) {
        const sent = await this.#auth.headerFor(exchange.scopes);
        const reply = await this.#dispatch(exchange, sent);
        if (reply.status !== 401)
            return reply;
        const challenge = reply.headers['www-authenticate'];
        const answer = await this.#auth.answer(Array.isArray(challenge) ? challenge[0] : challenge, exchange.scopes, sent);
        if (answer === undefined)
            return reply;
        await reply.body.dump();
        return this.#dispatch(exchange, answer);
    }
    async #dispatch(exchange, authorization) {
        for (;;) {
            const url = new URL(exchange.target, `${this.#scheme}://${this.#apiHost}`);
            for (const [key, value] of Object.entries(exchange.query ?? {}))
                url.searchParams.set(key, value);
            const headers = { ...exchange.headers };
            // Credentials go to the registry alone, never to another host a Location names.
            if (authorization && url.host === this.#apiHost)
                headers.authorization = authorization;
            const timeouts = requestTimeouts(exchange.kind);
            const body = exchange.body?.();
            try {
                const response = await (0,undici.request)(url, {
                    method: exchange.method,
                    headers,
                    body,
                    dispatcher: await this.settings.dispatcher,
                    signal: this.settings.signal,
                    headersTimeout: timeouts.headersMs,
                    bodyTimeout: timeouts.bodyIdleMs,
                    maxRedirections: exchange.followRedirects ? 5 : 0,
                });
                return { status: response.statusCode, headers: response.headers, url, body: response.body };
            }
            catch (error) {
                if (body instanceof external_node_stream_.Readable)
                    body.destroy();
                if (!(exchange.target.startsWith('/') && this.#fellBackToHttp(url, error)))
                    throw error;
            }
        }
    }
    /**
     * A loopback registry that answers TLS with plain HTTP is switched to HTTP, once, as the Docker
     * engine treats loopback registries; any other host keeps HTTPS whatever it answers.
     */
    #fellBackToHttp(url, error) {
        if (url.protocol !== 'https:' || !mayUsePlainHttp(this.registry, error))
            return false;
        // Requests in flight side by side all fail the same way; one switch, one note.
        if (this.#scheme === 'https') {
            this.#scheme = 'http';
            this.settings.note(`${this.registry} speaks plain HTTP (loopback): using HTTP for it`);
        }
        return true;
    }
}
/**
 * Whether a failed HTTPS request may be sent again over HTTP: only to a loopback registry, and only
 * when the TLS handshake failed because the server answered with plain HTTP text.
 */
function mayUsePlainHttp(registry, error) {
    const code = error?.code;
    const plainHttpAnswer = code === 'ERR_SSL_WRONG_VERSION_NUMBER' || code === 'ERR_SSL_PACKET_LENGTH_TOO_LONG';
    return plainHttpAnswer && (0,image_reference/* isLoopbackHost */.cW)(registry);
}

;// CONCATENATED MODULE: ./src/registry/credential-helper.ts



/**
 * A docker credential helper (`credHelpers` in the config: `gcloud auth configure-docker`, the
 * Amazon ECR helper), asked as the docker CLI asks it: `docker-credential-<name> get` with the
 * server URL on stdin, a JSON answer `{"ServerURL","Username","Secret"}` on stdout. Its output
 * is read, never shown: it holds the secret, and on failure it may echo one.
 */
/** What the docker-credential-helpers library prints (and exits 1) when it holds nothing for the server. */
const CREDENTIALS_NOT_FOUND = 'credentials not found in native keychain';
const helperProgram = (helper) => `docker-credential-${helper}`;
/** Runs the helper; undefined when it holds no credential for `serverUrl` (the registry is then used anonymously). */
async function askCredentialHelper(helper, serverUrl, limits) {
    const program = helperProgram(helper);
    const path = await (0,runner_tool/* findTool */.SG)(program);
    if (path === undefined) {
        throw new Error(`the credential helper ${program} (credHelpers for ${serverUrl} in the docker config) is not on PATH`);
    }
    const result = await (0,runner_tool/* runTool */.qI)(path, ['get'], {
        input: serverUrl,
        silent: true,
        deadline: (0,timeouts/* deadline */.nl)('login', `${program} get for ${serverUrl}`, limits),
    });
    return helperAnswer(result, helper, serverUrl);
}
/** The credential in a helper's answer; a failure names the helper, the server and the exit, never the output. */
function helperAnswer(result, helper, serverUrl) {
    const program = helperProgram(helper);
    if (result.exitCode !== 0) {
        if ([result.stdout, result.stderr].some((text) => text.trim() === CREDENTIALS_NOT_FOUND))
            return undefined;
        throw new Error(`the credential helper ${program} failed for ${serverUrl} (exit ${result.exitCode}); ` +
            `its output is not shown, as it may hold a secret: run "${program} get" with ${serverUrl} on stdin to see it`);
    }
    const answer = parseAnswer(result.stdout);
    if (answer === undefined) {
        throw new Error(`the credential helper ${program} answered for ${serverUrl} with something other than ` +
            'the JSON {"ServerURL","Username","Secret"} expected (not shown: it may hold a secret)');
    }
    if (answer.secret === '')
        return undefined;
    if (answer.username === IDENTITY_TOKEN_USERNAME)
        return { kind: 'identity token', token: answer.secret };
    return { kind: 'password', username: answer.username, password: answer.secret };
}
function parseAnswer(stdout) {
    try {
        const { Username, Secret } = JSON.parse(stdout);
        if (typeof Username !== 'string' || typeof Secret !== 'string')
            return undefined;
        return { username: Username, secret: Secret };
    }
    catch {
        return undefined;
    }
}

// EXTERNAL MODULE: external "node:tls"
var external_node_tls_ = __webpack_require__(1692);
;// CONCATENATED MODULE: ./src/registry/dispatcher.ts




const DEFAULT_CERTS_DIRS = ['/etc/docker/certs.d', '/etc/containers/certs.d'];
/** The PEM text of every `*.crt` in `<dir>/<host:port>/`, docker's certs.d layout; none when absent. */
async function registryCaFiles(certsDirs, registry) {
    const pems = [];
    for (const dir of certsDirs) {
        const hostDir = external_node_path_default().join(dir, registry);
        const names = await (0,promises_.readdir)(hostDir).catch(() => []);
        for (const name of names.filter((file) => file.endsWith('.crt')).sort()) {
            pems.push(await (0,promises_.readFile)(external_node_path_default().join(hostDir, name), 'utf8'));
        }
    }
    return pems;
}
/** The proxy settings of an environment, either case (curl's and Go's convention). */
function proxySettings(env) {
    return {
        httpProxy: env.http_proxy ?? env.HTTP_PROXY ?? '',
        httpsProxy: env.https_proxy ?? env.HTTPS_PROXY ?? '',
        noProxy: env.no_proxy ?? env.NO_PROXY ?? '',
    };
}
const secureContexts = new Map();
/**
 * The system roots plus a registry's CAs, made once per set of CAs in the process: given as `ca`
 * to each connection, Node parses the ~150 roots again for every one (six connections to the
 * sandbox's TLS registry: 280-670 ms, against 40-115 ms sharing one context), and the login's
 * check and the push each open their own dispatcher. Node's `ca` replaces the default roots;
 * without CAs none is made, and NODE_EXTRA_CA_CERTS keeps working too.
 */
function secureContextTrusting(caPems) {
    const key = caPems.join('\n');
    let context = secureContexts.get(key);
    if (!context) {
        context = (0,external_node_tls_.createSecureContext)({ ca: [...external_node_tls_.rootCertificates, ...caPems] });
        secureContexts.set(key, context);
    }
    return context;
}
/**
 * One keep-alive dispatcher for a registry: trusting the system roots plus its certs.d CAs, and
 * through the environment's proxy when one is set. The proxy agent is made only when needed:
 * undici prints an "experimental" warning for every EnvHttpProxyAgent.
 */
function registryDispatcher(caPems, env) {
    const tlsOptions = caPems.length > 0 ? { secureContext: secureContextTrusting(caPems) } : {};
    const proxies = proxySettings(env);
    if (proxies.httpProxy === '' && proxies.httpsProxy === '')
        return new undici.Agent({ connect: tlsOptions });
    // EnvHttpProxyAgent hands its options to the ProxyAgents it makes: requestTls is for the registry.
    const options = {
        ...proxies,
        connect: tlsOptions,
        requestTls: tlsOptions,
    };
    return new undici.EnvHttpProxyAgent(options);
}

// EXTERNAL MODULE: ./src/action/errors.ts
var errors = __webpack_require__(8055);
;// CONCATENATED MODULE: ./src/registry/operate.ts



/**
 * Runs `attempt` until it succeeds, retrying what `retryDecision` calls transient; every attempt
 * starts from scratch (an upload opens a new session). Throws a RegistryError naming the operation.
 */
async function operate(operation, settings, attempt) {
    for (let number = 1;; number++) {
        if (settings.signal?.aborted)
            throw new RegistryError(operation.text, 'aborted');
        try {
            return await attempt();
        }
        catch (error) {
            if (settings.signal?.aborted)
                throw new RegistryError(operation.text, 'aborted', undefined, undefined, { cause: error });
            const failure = failureOf(error);
            const decision = failure
                ? retryDecision(failure, number, settings.retry)
                : { action: 'fail', gaveUp: false };
            if (failure && decision.action === 'retry') {
                settings.warn(retryWarning(operation.text, failure, decision.delayMs, number + 1));
                await settings.sleep(decision.delayMs);
                continue;
            }
            const gaveUp = decision.action === 'fail' && decision.gaveUp ? `; gave up after ${number} attempts` : '';
            throw new RegistryError(operation.text, `${await reasonFor(error, failure, operation)}${gaveUp}`, statusOf(error), codeOf(error), { cause: error });
        }
    }
}
/** A thrown error as a retry decision sees it; undefined for errors that are not the registry's or the network's. */
function failureOf(error) {
    if (error instanceof UnexpectedStatus) {
        return {
            kind: 'status',
            status: error.status,
            ...(error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs }),
        };
    }
    const code = networkCode(error);
    return code === undefined ? undefined : { kind: 'network', code };
}
function networkCode(error) {
    for (let current = error, depth = 0; current && depth < 4; depth++) {
        const code = current.code;
        if (typeof code === 'string')
            return code;
        current = current.cause;
    }
    return undefined;
}
async function reasonFor(error, failure, operation) {
    if (error instanceof UnexpectedStatus) {
        if (error.status === 401 && !(await operation.hasCredential())) {
            return `the registry asks for credentials for ${operation.name} (401) and the auth file has none for its registry`;
        }
        return statusReason(error.status, operation.name, operation.access, error.detail);
    }
    const message = (0,errors/* errorMessage */.g)(error);
    if (failure?.kind === 'network' && /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|ERR_SSL/.test(failure.code)) {
        return `TLS failed (${failure.code}: ${message}); a registry with its own CA needs it in /etc/docker/certs.d/<host:port>/ca.crt`;
    }
    return failure ? `${failureReason(failure)}: ${message}` : message;
}
function statusOf(error) {
    return error instanceof UnexpectedStatus ? error.status : undefined;
}
function codeOf(error) {
    return error instanceof UnexpectedStatus ? error.detail?.code : undefined;
}

;// CONCATENATED MODULE: ./src/registry/replies.ts


// An error body is read for its distribution JSON only; a proxy's HTML page can be large.
const ERROR_BODY_LIMIT = 64 * 1024;
/** Returns the reply when its status is one of `expected`; otherwise throws UnexpectedStatus with the registry's error. */
async function expectStatus(reply, ...expected) {
    if (expected.includes(reply.status))
        return reply;
    throw await unexpected(reply);
}
async function unexpected(reply) {
    const text = await readLimited(reply, ERROR_BODY_LIMIT);
    return new UnexpectedStatus(reply.status, parseDistributionError(text), reply.status === 429 ? parseRetryAfter(header(reply.headers, 'retry-after'), Date.now()) : undefined);
}
async function readLimited(reply, limit) {
    const chunks = [];
    let size = 0;
    for await (const chunk of reply.body) {
        const buffer = chunk;
        chunks.push(buffer);
        size += buffer.length;
        if (size >= limit) {
            reply.body.destroy();
            break;
        }
    }
    return Buffer.concat(chunks).subarray(0, limit).toString('utf8');
}
/** A response header's single value. */
function header(headers, name) {
    const value = headers[name];
    return Array.isArray(value) ? value[0] : value;
}
/** The Location of an upload session, required to go on. */
function uploadLocation(reply) {
    const location = header(reply.headers, 'location');
    if (!location)
        throw new Error(`the registry answered ${reply.status} without a Location for the upload`);
    return new URL(location, reply.url).href;
}

;// CONCATENATED MODULE: ./src/registry/links.ts
/**
 * The next page of a paginated list: the `rel="next"` target of a `Link` header
 * (`</v2/app/tags/list?last=x&n=100>; rel="next"`), resolved against the URL that was asked.
 */
function nextPageUrl(link, requested) {
    if (!link)
        return undefined;
    for (const part of link.split(/,(?=\s*<)/)) {
        const match = /^\s*<([^>]*)>\s*;(.*)$/s.exec(part);
        if (match?.[1] === undefined)
            continue;
        const rel = /\brel\s*=\s*"?([^";]*)"?/i.exec(match[2] ?? '')?.[1] ?? '';
        if (rel.split(/\s+/).includes('next'))
            return new URL(match[1], requested);
    }
    return undefined;
}

;// CONCATENATED MODULE: ./src/registry/upload.ts


/**
 * Blobs up to this size go in one PUT; larger ones in PATCH chunks of this size. 16 MiB keeps each
 * request short enough that a proxy's body limit or a slow link does not fail a whole layer, is
 * above the 5 MiB minimum chunk some registries (ECR) require, and costs only ~64 requests a GiB.
 */
const CHUNK_SIZE = 16 * 1024 * 1024;
/** The chunks of a blob of `size` bytes; none for a blob that goes in one PUT. */
function chunkRanges(size, chunkSize = CHUNK_SIZE) {
    if (size <= chunkSize)
        return [];
    const ranges = [];
    for (let start = 0; start < size; start += chunkSize) {
        ranges.push({ start, end: Math.min(start + chunkSize, size) - 1 });
    }
    return ranges;
}
/** A file's byte ranges. */
function fileRanges(file) {
    return (start, end) => (0,external_node_fs_.createReadStream)(file, { start, end });
}
/** One attempt at an upload, in a session of its own: POST, then one PUT or PATCHes and a PUT. */
async function uploadOnce(connection, repoPath, blob) {
    const started = await connection.send({
        method: 'POST',
        target: `/v2/${repoPath}/blobs/uploads/`,
        headers: { 'content-length': '0' },
        scopes: blob.scopes,
        kind: 'control',
    });
    await expectStatus(started, 202);
    await started.body.dump();
    let location = uploadLocation(started);
    const ranges = chunkRanges(blob.size);
    for (const range of ranges)
        location = await sendChunk(connection, location, blob, range);
    const whole = ranges.length === 0;
    const committed = await connection.send({
        method: 'PUT',
        target: location,
        query: { digest: blob.digest },
        headers: {
            'content-type': 'application/octet-stream',
            'content-length': String(whole ? blob.size : 0),
        },
        // An empty blob has no byte range to read.
        ...(whole ? { body: () => (blob.size === 0 ? Buffer.alloc(0) : blob.read(0, blob.size - 1)) } : {}),
        scopes: blob.scopes,
        kind: whole ? 'transfer' : 'commit',
    });
    await expectStatus(committed, 201, 204);
    await committed.body.dump();
    const stored = header(committed.headers, 'docker-content-digest');
    if (stored !== undefined && stored !== blob.digest) {
        throw new Error(`the registry stored the blob as ${stored}`);
    }
}
async function sendChunk(connection, location, blob, range) {
    const reply = await connection.send({
        method: 'PATCH',
        target: location,
        headers: {
            'content-type': 'application/octet-stream',
            'content-range': `${range.start}-${range.end}`,
            'content-length': String(range.end - range.start + 1),
        },
        body: () => blob.read(range.start, range.end),
        scopes: blob.scopes,
        kind: 'transfer',
    });
    await expectStatus(reply, 202);
    await reply.body.dump();
    const received = header(reply.headers, 'range')?.replace(/^bytes=/, '');
    if (received !== undefined && received !== `0-${range.end}`) {
        throw new Error(`the registry holds bytes ${received} after sending ${range.start}-${range.end}`);
    }
    return uploadLocation(reply);
}

;// CONCATENATED MODULE: ./src/registry/repository.ts










/** Every manifest type a registry may serve for an image, as the Accept header of a manifest read. */
const MANIFEST_ACCEPT = [...INDEX_TYPES, ...MANIFEST_TYPES].join(', ');
/** One repository of a registry, its operations each retried as a whole. */
class RegistryRepository {
    name;
    connection;
    settings;
    hasCredential;
    #path;
    constructor(name, connection, settings, hasCredential) {
        this.name = name;
        this.connection = connection;
        this.settings = settings;
        this.hasCredential = hasCredential;
        this.#path = (0,image_reference/* parseImageReference */.o_)(name, 'repository').path;
    }
    hasBlob(digest) {
        return this.#operate(`check blob ${digest} in ${this.name}`, 'pull', async () => {
            const reply = await this.connection.send({
                method: 'HEAD',
                target: this.#blobPath(digest),
                scopes: [pullScope(this.#path)],
                kind: 'control',
                followRedirects: true,
            });
            if (reply.status === 404) {
                await reply.body.dump();
                return false;
            }
            await (await expectStatus(reply, 200)).body.dump();
            return true;
        });
    }
    mountBlob(digest, fromName) {
        const from = (0,image_reference/* parseImageReference */.o_)(fromName, 'fromName');
        const text = `mount blob ${digest} from ${fromName} into ${this.name}`;
        if (from.registry !== this.connection.registry) {
            return Promise.reject(new RegistryError(text, 'a blob can be mounted only from the same registry'));
        }
        return this.#operate(text, 'push', async () => {
            const scopes = [pushScope(this.#path), pullScope(from.path)];
            const reply = await this.connection.send({
                method: 'POST',
                target: `/v2/${this.#path}/blobs/uploads/`,
                query: { mount: digest, from: from.path },
                headers: { 'content-length': '0' },
                scopes,
                kind: 'control',
            });
            await expectStatus(reply, 201, 202);
            await reply.body.dump();
            if (reply.status === 201)
                return true;
            // The registry opened an upload instead; closing it spares the registry an orphan session,
            // and a registry that cannot close one lets it expire, so its answer does not matter.
            const cancelled = await this.connection.send({
                method: 'DELETE',
                target: uploadLocation(reply),
                scopes,
                kind: 'control',
            });
            await cancelled.body.dump();
            return false;
        });
    }
    async uploadBlob(digest, size, from) {
        const text = `upload blob ${digest} to ${this.name}`;
        if (typeof from === 'string')
            await checkFileSize(from, size, text);
        const read = typeof from === 'string' ? fileRanges(from) : from;
        await this.#operate(text, 'push', () => uploadOnce(this.connection, this.#path, { digest, size, read, scopes: [pushScope(this.#path)] }));
    }
    putManifest(reference, mediaType, bytes) {
        return this.#operate(`push manifest ${this.#reference(reference)}`, 'push', async () => {
            const reply = await this.connection.send({
                method: 'PUT',
                target: `/v2/${this.#path}/manifests/${reference}`,
                headers: { 'content-type': mediaType, 'content-length': String(bytes.length) },
                body: () => bytes,
                scopes: [pushScope(this.#path)],
                kind: 'commit',
            });
            await expectStatus(reply, 200, 201, 202, 204);
            await reply.body.dump();
            const stored = header(reply.headers, 'docker-content-digest');
            if (reference.includes(':') && stored !== undefined && stored !== reference) {
                throw new Error(`the registry stored the manifest as ${stored}`);
            }
        });
    }
    getManifest(reference) {
        return this.#operate(`read manifest ${this.#reference(reference)}`, 'pull', async () => {
            const reply = await this.connection.send({
                method: 'GET',
                target: `/v2/${this.#path}/manifests/${reference}`,
                headers: { accept: MANIFEST_ACCEPT },
                scopes: [pullScope(this.#path)],
                kind: 'control',
            });
            await expectStatus(reply, 200);
            const bytes = Buffer.from(await reply.body.arrayBuffer());
            const mediaType = (header(reply.headers, 'content-type') ?? '').split(';')[0]?.trim() ?? '';
            return { bytes, mediaType };
        });
    }
    getBlob(digest) {
        return this.#operate(`read blob ${digest} from ${this.name}`, 'pull', async () => {
            const reply = await this.connection.send({
                method: 'GET',
                target: this.#blobPath(digest),
                scopes: [pullScope(this.#path)],
                kind: 'transfer',
                followRedirects: true,
            });
            await expectStatus(reply, 200);
            const bytes = Buffer.from(await reply.body.arrayBuffer());
            const served = digestAs(digest, bytes);
            if (served !== digest)
                throw new Error(`the registry served bytes that hash to ${served}`);
            return bytes;
        });
    }
    listTags() {
        return this.#operate(`list the tags of ${this.name}`, 'pull', async () => {
            const tags = [];
            for (let target = `/v2/${this.#path}/tags/list`; target !== undefined;) {
                const reply = await this.connection.send({
                    method: 'GET',
                    target,
                    scopes: [pullScope(this.#path)],
                    kind: 'control',
                });
                if (reply.status === 404 && tags.length === 0) {
                    const failure = await unexpected(reply);
                    // A repository never pushed to has no tags; any other 404 is the registry's problem to report.
                    if (failure.detail === undefined || failure.detail.code === 'NAME_UNKNOWN')
                        return [];
                    throw failure;
                }
                await expectStatus(reply, 200);
                const page = (await reply.body.json());
                if (Array.isArray(page.tags))
                    tags.push(...page.tags.filter((tag) => typeof tag === 'string'));
                target = nextPageUrl(header(reply.headers, 'link'), reply.url)?.href;
            }
            return tags;
        });
    }
    #blobPath(digest) {
        return `/v2/${this.#path}/blobs/${digest}`;
    }
    #reference(reference) {
        return reference.includes(':') ? `${this.name}@${reference}` : `${this.name}:${reference}`;
    }
    #operate(text, access, attempt) {
        const operation = { text, name: this.name, access, hasCredential: this.hasCredential };
        return operate(operation, this.settings, attempt);
    }
}
async function checkFileSize(path, size, text) {
    const actual = await (0,promises_.stat)(path).then((stats) => stats.size, (error) => {
        throw new RegistryError(text, `cannot read ${path}: ${(0,errors/* errorMessage */.g)(error)}`);
    });
    if (actual !== size)
        throw new RegistryError(text, `the file ${path} has ${actual} bytes, not the ${size} expected`);
}

;// CONCATENATED MODULE: ./src/registry/index.ts














/**
 * A client of the OCI distribution API for every registry the auth file knows (and anonymous for
 * the others): one keep-alive connection pool, scheme and authentication state per registry. A
 * registry's credential is read when it first needs one; a credential helper is run only then.
 */
function openRegistry(options) {
    const settings = operationSettings(options, options.signal);
    let config;
    const resolve = async (registry) => {
        config ??= (0,promises_.readFile)(options.authFile, 'utf8').then((text) => parseAuthFile(text, options.authFile));
        const source = credentialSourceFor(await config, registry);
        const found = source?.kind === 'helper'
            ? await askCredentialHelper(source.helper, source.serverUrl, options.limits ?? timeouts/* TIMEOUTS */.fT)
            : source?.credential;
        if (found)
            for (const secret of secretsOf(found))
                options.mask(secret);
        return found;
    };
    // Resolved once per registry, a helper asked once: its answer (or its failure) stands for the run.
    const credentials = new Map();
    const credential = (registry) => () => {
        let found = credentials.get(registry);
        if (!found) {
            found = resolve(registry);
            credentials.set(registry, found);
        }
        return found;
    };
    const connections = new Map();
    const connectionFor = (registry) => {
        let entry = connections.get(registry);
        if (!entry) {
            entry = openConnection(registry, credential(registry), options);
            connections.set(registry, entry);
        }
        return entry.connection;
    };
    return {
        repository(name) {
            const { registry } = (0,image_reference/* parseImageReference */.o_)(name, 'repository');
            const hasCredential = async () => (await credential(registry)()) !== undefined;
            return new RegistryRepository(name, connectionFor(registry), settings, hasCredential);
        },
        async close() {
            await Promise.all([...connections.values()].map(async ({ dispatcher }) => (await dispatcher).close()));
        },
    };
}
/** A registry's connection: its keep-alive dispatcher (certs.d CAs, the environment's proxy) and its auth state. */
function openConnection(registry, credential, options) {
    const dispatcher = registryCaFiles(options.certsDirs ?? DEFAULT_CERTS_DIRS, registry).then((pems) => registryDispatcher(pems, options.env ?? process.env));
    const connection = new RegistryConnection(registry, {
        dispatcher,
        credential,
        signal: options.signal,
        note: options.note ?? (() => undefined),
    });
    return { connection, dispatcher };
}
/**
 * What `docker login` checks, with this client: GET /v2/ answered 2xx once its 401 challenge is
 * answered with the user and password (Basic; or Bearer: a token from the realm, for the service,
 * no scope, fetched with Basic). A refused credential (401, 403) fails at once; a transient
 * failure is retried, within `timeoutMs`. Throws a RegistryError named by `check.operation`.
 */
async function checkLogin(registry, credential, check, options = {}) {
    const timeout = AbortSignal.timeout(check.timeoutMs);
    const signal = check.stop ? AbortSignal.any([timeout, check.stop]) : timeout;
    const given = { kind: 'password', ...credential };
    const { connection, dispatcher } = openConnection(registry, () => Promise.resolve(given), {
        ...options,
        signal,
    });
    const operation = {
        text: check.operation,
        name: registry,
        access: 'pull',
        hasCredential: () => Promise.resolve(true),
    };
    const checked = operate(operation, operationSettings(options, signal), async () => {
        const reply = await connection.send({ method: 'GET', target: '/v2/', scopes: [], kind: 'control' });
        if (reply.status < 200 || reply.status > 299)
            throw await unexpected(reply);
        await reply.body.dump();
    });
    try {
        // undici leaves a connection attempt (a TLS handshake never answered) to its own connect
        // timeout whatever the signal says: the time limit is kept here.
        await Promise.race([checked, abortOf(signal)]);
    }
    catch (error) {
        if (check.stop?.aborted)
            throw new RegistryError(check.operation, 'stopped: the run ended before the login');
        if (!signal.aborted)
            throw error;
        throw new RegistryError(check.operation, `no answer within ${(0,timeouts/* formatDuration */.a3)(check.timeoutMs)}`);
    }
    finally {
        checked.catch(() => undefined);
        // destroy, not close: close would wait for the request still hanging.
        await (await dispatcher).destroy();
    }
}
function abortOf(signal) {
    return new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true }));
}
/** How the operations of a client are retried, paused, reported and stopped (`signal`). */
function operationSettings(options, signal) {
    return {
        retry: options.retry ?? DEFAULT_RETRY_POLICY,
        sleep: options.sleep ?? ((ms) => pause(ms, signal)),
        warn: options.warn ?? (() => undefined),
        signal,
    };
}
/** Waits `ms`, or less when the signal aborts (the operation then stops before its next attempt). */
function pause(ms, signal) {
    return new Promise((resolve) => {
        // One listener per pause, removed when the pause ends: retries side by side must not pile up
        // listeners on the run's one signal.
        const done = () => {
            clearTimeout(timer);
            signal?.removeEventListener('abort', done);
            resolve();
        };
        const timer = setTimeout(done, ms);
        signal?.addEventListener('abort', done, { once: true });
    });
}
/**
 * Opens registries with the reporting they share, each with its own auth file and abort signal,
 * and closes every one it opened: idle keep-alive connections would otherwise hold the step open.
 */
function registryOpener(shared) {
    const opened = [];
    return {
        open(authFile, signal) {
            const registry = openRegistry({ ...shared, authFile, ...(signal ? { signal } : {}) });
            opened.push(registry);
            return registry;
        },
        async closeAll() {
            await Promise.all(opened.map((registry) => registry.close?.()));
        },
    };
}

// EXTERNAL MODULE: ./src/login/registry-auth.ts + 1 modules
var registry_auth = __webpack_require__(2404);
// EXTERNAL MODULE: ./src/runner/workspace.ts
var runner_workspace = __webpack_require__(7683);
// EXTERNAL MODULE: ./src/login/plan.ts
var plan = __webpack_require__(7458);
;// CONCATENATED MODULE: ./src/login/index.ts









/**
 * Checks every credential with its registry as `docker login` does (the registry client's
 * `checkLogin`), all side by side. It writes nothing, so it runs while the runner is probed; the
 * login proper (`login`) still waits for the plan, and `stop` ends the checks still asked when the
 * run fails before it. When several fail, the first in the order given is the error. No
 * `docker login`: it would only have checked the same, and a credential helper it found on PATH
 * could have kept a copy outside the config the post step deletes.
 */
function checkCredentials(credentials, { stop, limits = timeouts/* TIMEOUTS */.fT, client = { warn: core/* warning */.$e } } = {}) {
    const checks = Promise.allSettled(credentials.map((credential) => checked(credential, limits, client, stop))).then((settled) => settled.map((check) => {
        if (check.status === 'rejected')
            throw check.reason;
        return check.value;
    }));
    // Awaited by login; until then (the plan may fail first) a failure must not count as unhandled.
    checks.catch(() => undefined);
    return checks;
}
/**
 * Writes the credentials `checks` passed as plain `auths` into the step's private config.json,
 * where buildx, the docker CLI and the registry client read them; nothing when any check failed
 * (its error is thrown). Resolves to the registries logged into.
 */
async function login(checks, workspace) {
    const accepted = await checks;
    if (accepted.length === 0)
        return [];
    await (0,runner_workspace/* mergeAuths */.i3)(workspace.authFile, (0,docker_config/* dockerConfigJson */.TF)(accepted));
    for (const { registry, username, source } of accepted) {
        (0,log/* info */.pq)(`Logged in to ${registry} as ${username} (from "${source}")`);
    }
    return accepted.map((credential) => credential.registry);
}
async function checked(credential, limits, client, stop) {
    const password = await passwordOf(credential, limits);
    const { registry, username } = credential;
    const operation = `Login to ${registry} as ${username} (from "${credential.source}")`;
    await checkLogin(registry, { username, password }, { operation, timeoutMs: limits.login, ...(stop ? { stop } : {}) }, client);
    return { registry, username, password, source: credential.source };
}
// ECR passwords are fetched now (12-hour tokens) and masked before anything else sees them.
async function passwordOf(credential, limits) {
    if (typeof credential.password === 'string')
        return credential.password;
    const aws = await (0,runner_tool/* requireTool */.Y0)('aws');
    const result = await (0,runner_tool/* runTool */.qI)(aws, (0,registry_auth/* ecrLoginPasswordArgv */.nh)(credential.password), {
        silent: true,
        deadline: (0,timeouts/* deadline */.nl)('login', `aws ecr get-login-password for ${credential.registry}`, limits),
    });
    const password = result.stdout.trim();
    if (result.exitCode !== 0 || password === '') {
        throw new Error(`Could not get an ECR password for ${credential.registry} from the AWS CLI: ${(0,runner_tool/* tail */.RT)(result.stderr)}`);
    }
    for (const secret of (0,docker_config/* secretsFor */.$J)({ registry: credential.registry, username: credential.username, password }))
        core/* setSecret */.Pq(secret);
    return password;
}

// EXTERNAL MODULE: ./src/action/outputs.ts
var outputs = __webpack_require__(8948);
// EXTERNAL MODULE: ./src/post.ts
var post = __webpack_require__(6661);
// EXTERNAL MODULE: ./src/runner/capabilities.ts
var capabilities = __webpack_require__(8786);
// EXTERNAL MODULE: ./src/push/policy.ts
var policy = __webpack_require__(1712);
;// CONCATENATED MODULE: ./src/push/layout-content.ts



/**
 * Walks the image `top` names through the layout's manifests (read with `readBlob`): the blobs to
 * upload and the manifests to PUT, children first. Only manifests are read; a blob absent from the
 * layout (the merge's layout holds no layer) is still listed: the registry must already have it.
 */
function layoutContent(top, readBlob) {
    const blobs = new Map();
    const children = new Map();
    const visit = (entry) => {
        const manifest = readManifest(entry, readBlob);
        const body = JSON.parse(manifest.bytes.toString('utf8'));
        if (INDEX_TYPES.includes(entry.mediaType)) {
            for (const child of descriptors(body.manifests, entry.digest)) {
                if (INDEX_TYPES.includes(child.mediaType) || MANIFEST_TYPES.includes(child.mediaType)) {
                    if (!children.has(child.digest))
                        children.set(child.digest, visit(child));
                }
                else
                    blobs.set(child.digest, { digest: child.digest, size: child.size });
            }
        }
        else {
            for (const blob of [
                ...descriptors([body.config], entry.digest),
                ...descriptors(body.layers, entry.digest),
            ])
                blobs.set(blob.digest, { digest: blob.digest, size: blob.size });
        }
        return manifest;
    };
    const root = visit(top);
    return { blobs: [...blobs.values()], children: [...children.values()], top: root };
}
function readManifest(entry, readBlob) {
    if (!INDEX_TYPES.includes(entry.mediaType) && !MANIFEST_TYPES.includes(entry.mediaType))
        throw new Error(`${entry.digest} is a ${entry.mediaType}, not a manifest or index`);
    return { digest: entry.digest, mediaType: entry.mediaType, bytes: readVerifiedBytes(entry, readBlob) };
}
function descriptors(value, where) {
    if (value === undefined)
        return [];
    if (!Array.isArray(value))
        throw new Error(`manifest ${where}: expected a list of descriptors`);
    return value.map((item, at) => descriptor(item, `manifest ${where}[${at}]`));
}
/** `layoutContent` of the image `top` in the OCI layout at `dir`. */
function readLayoutContent(dir, top) {
    return layoutContent(top, (digest) => (0,external_node_fs_.readFileSync)(external_node_path_default().join(dir, blobPath(digest))));
}

// EXTERNAL MODULE: ./src/push/floating-tags.ts
var floating_tags = __webpack_require__(7416);
;// CONCATENATED MODULE: ./src/push/tags.ts


/** The tag names of image references, each once. */
function tagsOf(references) {
    return [...new Set(references.map((image) => image.tag))];
}
/**
 * Whether planning the tags reads the registry: only `highest` on a release whose computed tags
 * include floating ones (`latest`, `1`, `1.4`); branch and pull-request builds never do.
 */
function needsExistingTags(mode, ref, references) {
    if (mode !== 'highest')
        return false;
    const plan = (0,floating_tags/* planFloatingTags */.hA)({
        mode,
        version: (0,floating_tags/* versionFromRef */.YN)(ref),
        tags: tagsOf(references),
        existingTags: [],
    });
    return plan.floating.length > 0;
}
/**
 * Which computed references to push. With `readExisting` (see `needsExistingTags`, decided before
 * the build), `highest` reads the tags every target repository already has (a repository never
 * pushed to has none) so `latest`, `1` and `1.4` never move backwards.
 */
async function planTags(registry, mode, ref, references, readExisting) {
    const existing = readExisting ? await existingTags(registry, references) : [];
    const plan = (0,floating_tags/* planFloatingTags */.hA)({
        mode,
        version: (0,floating_tags/* versionFromRef */.YN)(ref),
        tags: tagsOf(references),
        existingTags: existing,
    });
    for (const held of plan.heldBack)
        (0,log/* info */.pq)(`Not moving ${held.tag}: ${held.reason}`);
    const pushed = new Set(plan.push);
    return {
        references: references.filter((image) => pushed.has(image.tag)),
        heldBack: plan.heldBack,
    };
}
async function existingTags(registry, references) {
    const repositories = [...new Set(references.map((image) => image.name))];
    const lists = await Promise.all(repositories.map((name) => registry.repository(name).listTags()));
    return [...new Set(lists.flat())];
}

// EXTERNAL MODULE: ./node_modules/p-limit/index.js + 1 modules
var p_limit = __webpack_require__(370);
// EXTERNAL MODULE: external "node:timers/promises"
var external_node_timers_promises_ = __webpack_require__(8500);
;// CONCATENATED MODULE: ./src/push/growing-file.ts



/** How long a read waiting for bytes not yet written pauses before it looks again. */
const POLL_MS = 15;
/** The most a read takes from the file at once. */
const PIECE = 1024 * 1024;
/**
 * The byte ranges of a blob the build is still writing into the layout: each read streams the bytes
 * as they are written, waiting for those not written yet. A committed blob is read where it was
 * moved to; a writer that gives up before the range is written fails the read.
 */
function growingBlobRanges(blob, signal) {
    return (start, end) => external_node_stream_.Readable.from(readGrowing(blob, start, end, signal));
}
async function* readGrowing(blob, start, end, signal) {
    const handle = await openEither(blob.data, blob.committed);
    try {
        let position = start;
        while (position <= end) {
            signal.throwIfAborted();
            const { size } = await handle.stat();
            if (size > position) {
                const length = Math.min(size, end + 1, position + PIECE) - position;
                const { bytesRead, buffer } = await handle.read(Buffer.alloc(length), 0, length, position);
                position += bytesRead;
                yield buffer.subarray(0, bytesRead);
            }
            else if (blob.writing()) {
                await (0,external_node_timers_promises_.setTimeout)(POLL_MS, undefined, { signal });
            }
            else if ((await handle.stat()).size <= position) {
                // (Not when it was committed since the size was read: the rename keeps the open file, now whole.)
                throw new Error(`the build stopped writing ${blob.data} at byte ${position}, before byte ${end + 1}`);
            }
        }
    }
    finally {
        await handle.close();
    }
}
/** The ingest file, or (committed before it could be opened) the blob it became. */
async function openEither(data, committed) {
    try {
        return await (0,promises_.open)(data, 'r');
    }
    catch (error) {
        if (error.code !== 'ENOENT')
            throw error;
        return (0,promises_.open)(committed, 'r');
    }
}

;// CONCATENATED MODULE: ./src/push/layout-ingest.ts





/** How often the layout's ingest directory is read while the build writes it. */
const layout_ingest_POLL_MS = 20;
const BLOB_REF = /^(?:layer|config|intoto)-(sha256:[0-9a-f]{64})$/;
/**
 * What an ingest of the layout holds, from its `ref` and `total` files: a blob (digest and size),
 * or undefined for a manifest, an index, or anything not named as BuildKit names them. buildx writes
 * the layout through a containerd content store: each blob first grows in `ingest/<hash>/data`,
 * `ref` says which (`layer-sha256:…`, `config-sha256:…`, `intoto-sha256:…` for an attestation's
 * statement; `manifest-…` and `index-…` for the rest), `total` its size.
 */
function ingestedBlob(ref, total) {
    const digest = BLOB_REF.exec(ref.trim())?.[1];
    const size = Number(total.trim());
    if (digest === undefined || total.trim() === '' || !Number.isSafeInteger(size) || size < 0)
        return undefined;
    return { digest, size };
}
/**
 * Reads the layout's ingest directory every POLL_MS while the build writes the layout, and tells
 * `found` of every blob that starts growing there, once. Blobs written too fast to be seen are not
 * told: whoever uploads must still walk the finished layout.
 */
function watchLayoutIngests(layoutDir, found) {
    const ingest = external_node_path_default().join(layoutDir, 'ingest');
    const settled = new Set();
    let stopped = false;
    const look = async () => {
        for (const entry of await (0,promises_.readdir)(ingest).catch(() => [])) {
            if (settled.has(entry))
                continue;
            const dir = external_node_path_default().join(ingest, entry);
            const read = (file) => (0,promises_.readFile)(external_node_path_default().join(dir, file), 'utf8').catch(() => '');
            const [ref, total] = await Promise.all([read('ref'), read('total')]);
            // Either may not be written yet: looked at again next time, unless it is no blob at all.
            if (ref === '' || (total === '' && BLOB_REF.test(ref.trim())))
                continue;
            settled.add(entry);
            const blob = ingestedBlob(ref, total);
            if (blob === undefined)
                continue;
            found({
                ...blob,
                data: external_node_path_default().join(dir, 'data'),
                committed: external_node_path_default().join(layoutDir, blobPath(blob.digest)),
                writing: () => (0,external_node_fs_.existsSync)(dir),
            });
        }
    };
    const loop = async () => {
        while (!stopped) {
            await look();
            await (0,external_node_timers_promises_.setTimeout)(layout_ingest_POLL_MS, undefined, { ref: false });
        }
    };
    void loop();
    return {
        stop: () => {
            stopped = true;
        },
    };
}

;// CONCATENATED MODULE: ./src/push/upload.ts







/** Blobs in flight at once per registry: enough to fill a link, few enough for a registry's limits. */
const BLOBS_AT_ONCE = 4;
/** The uploader of the layout at `layoutDir` (where `all` reads) into the repositories `names`. */
function blobUploader(registry, layoutDir, names) {
    const groups = [...byRegistry(names).values()].map(([first, ...others]) => ({
        home: registry.repository(first),
        mirrors: others.map((name) => registry.repository(name)),
        turn: (0,p_limit/* default */.A)(BLOBS_AT_ONCE),
    }));
    // Once a blob of `all` has failed, those still waiting for their turn do not start.
    let failed = false;
    const everywhere = async (blob, from, failureStops) => {
        await Promise.all(groups.map((group) => group.turn(async () => {
            if (failed)
                throw new Error(`${blob.digest} was not uploaded: another blob failed first`);
            await intoGroup(group, blob, from).catch((error) => {
                failed ||= failureStops;
                throw error;
            });
        })));
    };
    const early = new Map();
    return {
        early(blob, read) {
            if (early.has(blob.digest))
                return;
            const upload = everywhere(blob, read, false);
            upload.catch(() => undefined);
            early.set(blob.digest, upload);
        },
        async all(blobs) {
            await Promise.all(blobs.map((blob) => {
                const fromLayout = () => everywhere(blob, layoutFile(layoutDir, blob), true);
                return early.get(blob.digest)?.catch(fromLayout) ?? fromLayout();
            }));
        },
    };
}
/**
 * While the build writes the layout at `layoutDir`: every blob seen growing there starts up at once,
 * streamed as it is written, so a large layer is uploaded by the time the build ends. Returns the
 * watch's stop, for when the build has ended.
 */
function uploadAsWritten(uploader, layoutDir, signal) {
    const watch = watchLayoutIngests(layoutDir, (blob) => uploader.early(blob, growingBlobRanges(blob, signal)));
    return watch.stop;
}
/**
 * Starts `uploader.all(blobs)` now, for a run whose scan will hide it; its failure is held until
 * someone awaits `finished()`. `stop` must be the controller whose signal the registry was opened with.
 */
function startBlobUpload(uploader, blobs, stop) {
    const upload = uploader.all(blobs);
    // Held, not lost: the gate may fail first, and then nobody asks how the upload went.
    upload.catch(() => undefined);
    return {
        finished: () => upload,
        abandon: async () => {
            stop.abort();
            await upload.catch(() => undefined);
        },
    };
}
async function intoGroup(group, blob, from) {
    await ensureBlob(group.home, blob, from);
    for (const mirror of group.mirrors) {
        if (!(await mirror.mountBlob(blob.digest, group.home.name)))
            await ensureBlob(mirror, blob, from);
    }
}
async function ensureBlob(repository, blob, from) {
    if (await repository.hasBlob(blob.digest))
        return;
    if (typeof from === 'string' && !(0,external_node_fs_.existsSync)(from))
        throw new Error(`${repository.name} lacks ${blob.digest}, and the layout to push does not hold it either`);
    await repository.uploadBlob(blob.digest, blob.size, from);
}
function layoutFile(layoutDir, blob) {
    return external_node_path_default().join(layoutDir, blobPath(blob.digest));
}
function byRegistry(names) {
    const groups = new Map();
    for (const name of new Set(names)) {
        const { registry } = (0,image_reference/* parseImageReference */.o_)(name);
        groups.set(registry, [...(groups.get(registry) ?? []), name]);
    }
    return groups;
}

;// CONCATENATED MODULE: ./src/push/steps.ts
/**
 * The pushes, in order: the digest into every repository first, then the tags. A tag is only
 * written once every registry holds the complete index under its digest, so a failure part-way
 * leaves no tag (old or new) pointing at a partial upload; the tag pushes then only re-point names
 * (every blob is there already).
 */
function pushPlan(references, digest) {
    const repositories = [];
    const tags = [];
    for (const { name, tag, reference } of references) {
        if (!repositories.includes(name))
            repositories.push(name);
        if (!tags.some((step) => step.destination === reference))
            tags.push({ destination: reference, kind: 'tag', name, tag });
    }
    return [
        ...repositories.map((name) => ({ destination: `${name}@${digest}`, kind: 'digest', name })),
        ...tags,
    ];
}

;// CONCATENATED MODULE: ./src/push/push-layout.ts





/**
 * Pushes the layout's image, every platform and attestation, byte for byte: the blobs into every
 * repository (or awaits `uploaded`, the upload started during the scan), then the manifests by
 * digest, children before their index, into every repository, and only then the tags, each one
 * PUT of the index's bytes: a failure part-way leaves no tag on an incomplete image.
 * `digestOnly` (a platform leg of a scaled-out build) pushes no tag: nothing pulled by name changes.
 */
async function pushLayout(registry, layout, references, { digestOnly = false, uploaded } = {}) {
    const { top, children, blobs } = layout.content;
    const steps = pushPlan(references, top.digest).filter((step) => !digestOnly || step.kind === 'digest');
    const digestSteps = steps.filter((step) => step.kind === 'digest');
    const tagSteps = steps.filter((step) => step.kind === 'tag');
    await core/* group */.Os(`Push ${top.digest} (${steps.length} references)`, async () => {
        const names = digestSteps.map((step) => step.name);
        await (uploaded?.finished() ?? blobUploader(registry, layout.dir, names).all(blobs));
        (0,log/* info */.pq)(`${blobs.length} blobs are in ${names.join(', ')}`);
        const moved = await settle(digestSteps, { before: [], after: tagSteps }, async ({ name }) => {
            const repository = registry.repository(name);
            // All settled before a failure is told: a sibling still retrying is never cut off by the step's end.
            const puts = await Promise.allSettled(children.map((child) => repository.putManifest(child.digest, child.mediaType, child.bytes)));
            const failed = puts.find((put) => put.status === 'rejected');
            if (failed)
                throw failed.reason;
            await repository.putManifest(top.digest, top.mediaType, top.bytes);
            (0,log/* info */.pq)(`Pushed ${name}@${top.digest}`);
        });
        await settle(tagSteps, { before: moved, after: [] }, async ({ name, tag }) => {
            await registry.repository(name).putManifest(tag, top.mediaType, top.bytes);
            (0,log/* info */.pq)(`Tagged ${name}:${tag}`);
        });
    });
    return steps;
}
/**
 * Runs one push phase, every step side by side (`before` moved in earlier phases, `after` waits for
 * this one). Returns what moved; a failure throws once every step has settled, saying what moved
 * and what did not.
 */
async function settle(steps, { before, after }, push) {
    const results = await Promise.allSettled(steps.map(push));
    const moved = [...before, ...steps.filter((_, at) => results[at]?.status === 'fulfilled')];
    const failure = results.find((result) => result.status === 'rejected');
    if (!failure)
        return moved;
    if (moved.length === 0)
        throw failure.reason;
    throw new PushIncomplete(moved, [...steps.filter((_, at) => results[at]?.status === 'rejected'), ...after], failure.reason);
}
/**
 * A push that failed part-way (another registry or tag after some had moved): what the registries
 * now hold and what they do not, so the step can say both rather than only why it stopped.
 */
class PushIncomplete extends Error {
    moved;
    notMoved;
    constructor(moved, notMoved, cause) {
        const list = (steps) => steps.map((step) => step.destination).join(', ') || 'nothing';
        super(`The push stopped part-way: ${(0,errors/* errorMessage */.g)(cause)}\n` +
            `Pushed (not read back): ${list(moved)}\nNot pushed: ${list(notMoved)}`);
        this.moved = moved;
        this.notMoved = notMoved;
        this.name = 'PushIncomplete';
    }
}

;// CONCATENATED MODULE: ./src/push/verify.ts


/**
 * Reads every pushed reference back from its registry (side by side) and hashes the manifest bytes
 * served: each must be the digest that was built, or the step fails.
 */
async function verifyPushed(registry, steps, expected) {
    const verified = await Promise.all(steps.map(async ({ destination: reference, name, tag }) => {
        const { bytes } = await registry.repository(name).getManifest(tag ?? expected);
        const check = checkPushedDigest(bytes, expected);
        if (!check.ok)
            throw new Error(`${reference} serves ${check.actual}, not the digest built and pushed (${expected})`);
        return { reference, name, ...(tag === undefined ? {} : { tag }), digest: check.actual };
    }));
    (0,log/* info */.pq)(`Verified ${verified.length} references: all serve ${expected}`);
    return verified;
}
/** Compares the manifest bytes read back from the registry with the digest that was pushed. */
function checkPushedDigest(rawManifest, expected) {
    const actual = digestAs(expected, rawManifest);
    return { ok: actual === expected, actual };
}

;// CONCATENATED MODULE: ./src/push/ship-push.ts



/** Pushes the layout (see `pushLayout`), reads every reference back, writes the outputs and the summary's facts. */
async function pushVerified(registry, layout, tags, reason, shipped, options = {}) {
    const digest = layout.content.top.digest;
    let steps;
    try {
        steps = await pushLayout(registry, layout, tags.references, options);
    }
    catch (error) {
        if (error instanceof PushIncomplete) {
            const moved = error.moved.map((step) => step.destination);
            const notMoved = error.notMoved.map((step) => step.destination);
            (0,outputs/* writeOutputs */.Kn)((0,outputs/* incompletePushOutputs */.tE)(moved, digest));
            shipped.push = {
                push: true,
                reason,
                pushed: [],
                heldBack: tags.heldBack,
                incomplete: { moved, notMoved },
            };
        }
        throw error;
    }
    const pushed = await verifyPushed(registry, steps, digest);
    (0,outputs/* writeOutputs */.Kn)((0,outputs/* pushOutputs */.$7)(pushed));
    shipped.push = { push: true, reason, pushed, heldBack: tags.heldBack };
    return pushed;
}

;// CONCATENATED MODULE: ./src/push/index.ts
// The push stage's entry: the policy, the tags, the blob upload, the push and the read-back.








;// CONCATENATED MODULE: ./src/plan.ts






/**
 * Probes and plans, changing nothing: a runner that cannot do the build or the push fails here,
 * before any login. The inputs, the files and variables they name, whether the run pushes and
 * with which credentials were settled before (preflight.ts), by the dry run too.
 */
async function planRun(inputs, context, metadata, checked) {
    const { decision } = checked;
    const cache = runCache(inputs.build, process.env, decision.push);
    if (cache.warning)
        core/* warning */.$e(cache.warning);
    // Started by runMain while the metadata and this code loaded, when it knew the run builds.
    const { docker, buildx, caps } = await (checked.probes ?? (0,capabilities/* probeRunner */.Zt)(inputs.build.builder));
    // First: an engine that cannot be reached, or a builder that cannot build, says so before anything else.
    const builder = (0,build_builder/* checkBuilder */.ub)(caps, inputs.build.builder, inputs.build.platforms);
    // A platform leg pushes by digest only: no tag, so no tag to hold back.
    const readsExistingTags = decision.push &&
        inputs.stage === 'all' &&
        needsExistingTags(inputs.floatingTags, context.ref, metadata.references);
    const builderPlan = (0,build_builder/* planBuilder */.Zw)(builder, {
        ...inputs.builderSetup,
        buildkitdConfig: checked.buildkitdConfig,
    }, (0,own_builder/* uniqueBuilderName */.Ak)((0,external_node_crypto_.randomBytes)(4).toString('hex')));
    const builderName = builderPlan.create
        ? 'a docker-container builder of its own'
        : builderPlan.name || 'default';
    (0,log/* info */.pq)(`Builder: ${builderName} (${builderPlan.why})`);
    const emulators = (0,qemu/* planEmulators */.ke)(inputs.build.platforms, inputs.qemu, (0,qemu/* dockerArch */.hA)(process.arch), qemu/* binfmtHandlerEnabled */.qw);
    if (inputs.load) {
        // The build makes exactly the platforms listed (one, the runner's, when none are): known now.
        const problem = loadProblem(inputs.build.platforms.length, builder.containerdStore);
        if (problem)
            throw new Error(problem);
    }
    return {
        docker,
        buildx,
        readsExistingTags,
        builder,
        builderPlan,
        emulators,
        cache,
    };
}

// EXTERNAL MODULE: ./src/merge/checks.ts
var checks = __webpack_require__(5567);
// EXTERNAL MODULE: ./src/merge/result.ts
var result = __webpack_require__(5839);
;// CONCATENATED MODULE: ./src/merge/leg.ts

/** The leg's `result` output: the build, the scan per platform, where it went, which run made it. */
function legResultOutput(built, scan, metadata, context, pushed) {
    return (0,result/* formatResult */.J9)((0,result/* legResult */.ky)({
        images: metadata.references.map((image) => image.name),
        digest: built.digest,
        pushed,
        platforms: built.image.platforms.map(({ platform, descriptor }) => ({
            platform,
            digest: descriptor.digest,
        })),
        scan: {
            result: scan.result,
            perPlatform: Object.fromEntries(Object.entries(scan.verdict?.perPlatform ?? {}).map(([platform, judged]) => [
                platform,
                { result: judged.result, ...(judged.result === 'error' ? {} : { counts: judged.counts }) },
            ])),
        },
        commit: context.sha,
        run: String(context.runId),
    }));
}

;// CONCATENATED MODULE: ./src/merge/merged-index.ts

/** `index:key=value` annotations of the metadata (the index's own), as an object. */
function indexAnnotations(annotations) {
    const found = {};
    for (const entry of annotations) {
        const match = /^index:(?<key>[^=]+)=(?<value>.*)$/s.exec(entry);
        if (match?.groups)
            found[match.groups.key ?? ''] = match.groups.value ?? '';
    }
    return found;
}
/** The merged index of the legs, in their order, with the index-level annotations. */
function mergedIndex(tops, annotations) {
    const entries = tops.flatMap(entriesOf);
    const index = {
        schemaVersion: 2,
        mediaType: OCI_INDEX,
        manifests: entries,
        ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
    };
    const raw = JSON.stringify(index);
    return { raw, digest: digestOf(raw), entries };
}
/**
 * The entries one leg contributes: its index's entries, or its lone manifest with the platform
 * the leg reported. Its platform images must be exactly the digests the leg reported.
 */
function entriesOf({ leg, raw }) {
    const top = JSON.parse(raw);
    const reported = leg.platforms.map((entry) => `${entry.platform}=${entry.digest}`).sort();
    if (!Array.isArray(top.manifests)) {
        const [only, ...more] = leg.platforms;
        if (only === undefined || more.length > 0)
            throw new Error(`${leg.digest} is a single manifest, but its leg reported ${reported.join(', ')}`);
        return [
            {
                mediaType: String(top.mediaType),
                digest: leg.digest,
                size: Buffer.byteLength(raw),
                platform: merged_index_platformOf(only.platform),
            },
        ];
    }
    const entries = top.manifests;
    const images = entries
        .filter((entry) => isImagePlatform(entry.platform))
        .map((entry) => `${platformString(entry.platform)}=${entry.digest}`)
        .sort();
    if (images.join('\n') !== reported.join('\n'))
        throw new Error(`the index ${leg.digest} holds ${images.join(', ')}, but its leg reported ${reported.join(', ')}`);
    return entries;
}
// BuildKit's attestation manifests are `unknown/unknown`: not images.
function isImagePlatform(platform) {
    const { os, architecture } = (platform ?? {});
    return typeof os === 'string' && typeof architecture === 'string' && os !== 'unknown';
}
function merged_index_platformOf(text) {
    const [os = '', architecture = '', variant] = text.split('/');
    return { os, architecture, ...(variant ? { variant } : {}) };
}

;// CONCATENATED MODULE: ./src/merge/merged-layout.ts





/**
 * Writes the merged index as an OCI layout holding only manifests and image configs: the index,
 * every leg's manifests and their configs, read back from the first image and checked against
 * their digests. No layer is in it: the legs pushed every blob into every image already, so a
 * push of this layout finds each layer in the destination repository, uploads no blob and keeps
 * every platform manifest byte for byte.
 */
async function writeMergedLayout(registry, checked, annotations, layoutDir) {
    // The checks made every leg name the same images, and pushed: any one serves every manifest.
    const image = checked.legs[0]?.images[0];
    if (image === undefined)
        throw new Error('no leg to merge');
    const repository = registry.repository(image);
    // Every manifest written is checked against the digest that names it (getBlob checks configs).
    const manifest = async (digest) => {
        const { bytes } = await repository.getManifest(digest);
        if (digestAs(digest, bytes) !== digest)
            throw new Error(`${image}@${digest} served other bytes than its digest ${digest}`);
        return bytes.toString('utf8');
    };
    const tops = [];
    for (const leg of checked.legs)
        tops.push({ leg, raw: await manifest(leg.digest) });
    const merged = mergedIndex(tops, indexAnnotations(annotations));
    const blobs = new Map([[merged.digest, merged.raw]]);
    for (const entry of merged.entries) {
        const raw = tops.find(({ leg }) => leg.digest === entry.digest)?.raw ?? (await manifest(entry.digest));
        blobs.set(entry.digest, raw);
        const config = configDigest(raw, entry);
        blobs.set(config, await repository.getBlob(config));
    }
    await (0,promises_.mkdir)(external_node_path_default().join(layoutDir, 'blobs', 'sha256'), { recursive: true });
    for (const [digest, raw] of blobs)
        await (0,promises_.writeFile)(external_node_path_default().join(layoutDir, blobPath(digest)), raw);
    await (0,promises_.writeFile)(external_node_path_default().join(layoutDir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
    const top = {
        mediaType: JSON.parse(merged.raw).mediaType,
        digest: merged.digest,
        size: Buffer.byteLength(merged.raw),
    };
    await (0,promises_.writeFile)(external_node_path_default().join(layoutDir, 'index.json'), JSON.stringify({ schemaVersion: 2, manifests: [top] }));
    (0,log/* info */.pq)(`Merged index ${merged.digest}: ${merged.entries.length} manifests from ${checked.legs.length} legs`);
    return merged;
}
function configDigest(raw, entry) {
    const digest = JSON.parse(raw).config?.digest;
    if (typeof digest !== 'string')
        throw new Error(`${entry.digest} is not an image manifest (no config)`);
    return digest;
}

// EXTERNAL MODULE: ./src/scan/severity.ts
var severity = __webpack_require__(4902);
;// CONCATENATED MODULE: ./src/merge/summary.ts

/** The merge's scan section: each platform's scan result and counts, as its leg reported them. */
function renderMergeSummary(checked) {
    const lines = [
        '### Scan (per platform, from its leg)',
        '',
        `| Platform | Manifest | Scan | ${severity/* SEVERITIES */.oC.join(' | ')} |`,
        `| --- | --- | --- | ${severity/* SEVERITIES */.oC.map(() => '---:').join(' | ')} |`,
    ];
    for (const { platform, digest, scan, vulnerabilities } of checked.platforms) {
        const counts = severity/* SEVERITIES */.oC.map((severity) => vulnerabilities ? String(vulnerabilities[severity] ?? 0) : '–');
        lines.push(`| \`${platform}\` | \`${digest}\` | ${scan} | ${counts.join(' | ')} |`);
    }
    if (checked.overridden.length > 0)
        lines.push('', `Blocking findings let through by \`scan-fail: false\` on ${checked.overridden.join(', ')}.`);
    return lines.join('\n');
}

;// CONCATENATED MODULE: ./src/merge/ship-merge.ts






/**
 * Stage `merge`: the legs were checked before anything (preflight); a run that pushes nothing
 * reports them and logs in nowhere. Otherwise: log in, assemble the index from the legs' manifests,
 * push it by digest, then its tags (floating-tags rules as for one job), read every reference back,
 * and sign the index when signing.
 */
async function shipMerge(inputs, context, metadata, checked, legs, shipped, steps) {
    shipped.scan = renderMergeSummary(legs);
    if (!checked.decision.push) {
        const reason = `${checked.decision.reason}: the legs were checked, no index was pushed`;
        (0,log/* info */.pq)(`Merge: ${reason}`);
        (0,outputs/* writeOutputs */.Kn)((0,outputs/* pushOutputs */.$7)([]));
        shipped.push = { push: false, reason, pushed: [], heldBack: [] };
        return shipped;
    }
    const readsExistingTags = needsExistingTags(inputs.floatingTags, context.ref, metadata.references);
    const { workspace, signer } = await steps.prepare();
    const registry = steps.openRegistry(workspace);
    const merged = await writeMergedLayout(registry, legs, metadata.annotations, workspace.layoutDir);
    (0,outputs/* writeOutputs */.Kn)((0,outputs/* buildOutputs */.JZ)({
        digest: merged.digest,
        imageId: merged.digest,
        metadata: { 'containerimage.digest': merged.digest, legs: legs.legs.map((leg) => leg.digest) },
    }));
    shipped.build = { digest: merged.digest, platforms: legs.platforms.map((entry) => entry.platform) };
    const tags = await planTags(registry, inputs.floatingTags, context.ref, metadata.references, readsExistingTags);
    const layout = {
        dir: workspace.layoutDir,
        content: readLayoutContent(workspace.layoutDir, {
            mediaType: OCI_INDEX,
            digest: merged.digest,
            size: Buffer.byteLength(merged.raw),
        }),
    };
    const pushed = await pushVerified(registry, layout, tags, checked.decision.reason, shipped);
    if (signer)
        await steps.signIndex(signer, pushed, merged.digest);
    return shipped;
}

;// CONCATENATED MODULE: ./src/merge/index.ts
// The merge stage's entry: the legs' results read and checked, their index assembled and shipped.







// EXTERNAL MODULE: ./src/scan/scan-files.ts + 1 modules
var scan_files = __webpack_require__(5434);
// EXTERNAL MODULE: ./src/scan/sarif-destination.ts
var sarif_destination = __webpack_require__(9813);
// EXTERNAL MODULE: ./src/runner/child-process.ts
var child_process = __webpack_require__(8520);
;// CONCATENATED MODULE: ./src/scan/report.ts

const FORMAT_NAMES = {
    'trivy-json': 'Trivy JSON',
    sarif: 'SARIF',
    'scout-markdown': 'Docker Scout Markdown',
};
function scanReport(format, findings) {
    return {
        ok: true,
        format,
        findings,
        counts: (0,severity/* countBySeverity */.Ot)(findings),
        uniqueIds: new Set(findings.map((finding) => finding.id)).size,
    };
}
/** Thrown inside the parsers when a report is not what its format promises; never escapes them. */
class MalformedReport extends Error {
    name = 'MalformedReport';
}
/** Runs a parser, turning a malformed report into a ScanError; any other exception is a bug and propagates. */
function parseOutcome(format, parse) {
    try {
        return scanReport(format, parse());
    }
    catch (error) {
        if (!(error instanceof MalformedReport))
            throw error;
        return { ok: false, message: `${FORMAT_NAMES[format]} report cannot be read: ${error.message}` };
    }
}

;// CONCATENATED MODULE: ./src/scan/json.ts

function parseJson(text) {
    if (text.trim() === '')
        throw new MalformedReport('the report is empty');
    try {
        return JSON.parse(text);
    }
    catch (error) {
        throw new MalformedReport(`not valid JSON (${error.message}); was the file cut short?`);
    }
}
function json_asObject(value, path) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        throw new MalformedReport(`${path} is ${describe(value)}, expected an object`);
    }
    return value;
}
function json_asArray(value, path) {
    if (!Array.isArray(value))
        throw new MalformedReport(`${path} is ${describe(value)}, expected an array`);
    return value;
}
/** Go's encoder omits empty slices (`omitempty`) or writes `null`; both mean "none". */
function optionalArray(value, path) {
    return value === undefined || value === null ? [] : json_asArray(value, path);
}
function asString(value, path) {
    if (typeof value !== 'string')
        throw new MalformedReport(`${path} is ${describe(value)}, expected a string`);
    return value;
}
/** A string that may be missing; an empty string also counts as missing. */
function optionalString(value, path) {
    if (value === undefined || value === null)
        return undefined;
    const text = asString(value, path);
    return text === '' ? undefined : text;
}
function describe(value) {
    if (value === undefined)
        return 'missing';
    if (value === null)
        return 'null';
    if (Array.isArray(value))
        return 'an array';
    return `a ${typeof value}`;
}

;// CONCATENATED MODULE: ./src/scan/sarif.ts



/**
 * Reads a SARIF 2.1.0 log: one finding per result, across all runs. See `resultSeverity` for how a
 * severity is chosen. Results of kind other than `fail` (SARIF's default) and Trivy's license results
 * are not findings, as in `parseTrivyJson`.
 */
function parseSarif(text) {
    return parseOutcome('sarif', () => readSarif(text).flatMap((run) => run.entries.flatMap((entry) => (entry.finding ? [entry.finding] : []))));
}
/** The validated runs of a log, with each result's rule and finding. Throws MalformedReport. */
function readSarif(text) {
    const log = json_asObject(parseJson(text), 'the document');
    if (log.version !== '2.1.0') {
        throw new MalformedReport(`version is ${JSON.stringify(log.version) ?? 'missing'}, expected "2.1.0"`);
    }
    return json_asArray(log.runs, 'runs').map((value, index) => readRun(json_asObject(value, `runs[${index}]`), `runs[${index}]`));
}
function readRun(run, path) {
    const tool = json_asObject(run.tool, `${path}.tool`);
    const driver = json_asObject(tool.driver, `${path}.tool.driver`);
    const rules = optionalArray(driver.rules, `${path}.tool.driver.rules`).map((value, index) => json_asObject(value, `${path}.tool.driver.rules[${index}]`));
    const rulesById = new Map(rules.map((rule) => [rule.id, rule]));
    // In SARIF 2.1.0, a null or absent `run.results` means the tool failed to produce results; only an
    // empty array means "nothing found". GitHub's upload-sarif rejects such a run as well.
    if (run.results === undefined || run.results === null) {
        throw new MalformedReport(`${path}.results is missing: the tool produced no results`);
    }
    const entries = json_asArray(run.results, `${path}.results`).map((value, index) => {
        const result = json_asObject(value, `${path}.results[${index}]`);
        const resultPath = `${path}.results[${index}]`;
        const rule = ruleOf(result, rules, rulesById, resultPath);
        return { result, rule, finding: resultFinding(result, rule, resultPath) };
    });
    return { run, rules, entries };
}
/** SARIF lets a result name its rule by `ruleIndex`, `rule.index`, `ruleId` or `rule.id`; a rule may be absent. */
function ruleOf(result, rules, rulesById, path) {
    const reference = result.rule === undefined ? {} : json_asObject(result.rule, `${path}.rule`);
    const index = result.ruleIndex ?? reference.index;
    if (typeof index === 'number' && index >= 0) {
        const rule = rules[index];
        if (rule === undefined)
            throw new MalformedReport(`${path} refers to rule ${index}, which does not exist`);
        return rule;
    }
    return rulesById.get(result.ruleId ?? reference.id);
}
function resultFinding(result, rule, path) {
    if (result.kind !== undefined && result.kind !== 'fail')
        return undefined;
    const properties = rule?.properties === undefined ? {} : json_asObject(rule.properties, `${path} rule properties`);
    const tags = optionalArray(properties.tags, `${path} rule tags`).filter((tag) => typeof tag === 'string');
    const kind = findingKind(tags);
    if (kind === undefined)
        return undefined;
    const id = optionalString(result.ruleId, `${path}.ruleId`) ?? optionalString(rule?.id, `${path} rule id`);
    if (id === undefined)
        throw new MalformedReport(`${path} names no rule`);
    const message = json_asObject(result.message, `${path}.message`);
    const details = trivyMessageFields(optionalString(message.text, `${path}.message.text`) ?? '');
    const scout = scoutRuleFields(properties);
    return {
        kind,
        id,
        severity: resultSeverity(result, rule, tags, properties, path),
        target: resultTarget(result, path),
        package: details.get('Package') ?? scout.package,
        installedVersion: details.get('Installed Version'),
        fixedVersion: details.get('Fixed Version') ?? scout.fixedVersion,
        title: ruleTitle(rule, path),
    };
}
/** Trivy tags each rule with its scanner; licenses are not findings here (nor in Trivy JSON parsing). */
function findingKind(tags) {
    if (tags.includes('license'))
        return undefined;
    if (tags.includes('secret'))
        return 'secret';
    if (tags.includes('misconfiguration'))
        return 'misconfiguration';
    return 'vulnerability';
}
/**
 * The severity of a result, first rule that applies:
 * 1. a rule tag that is a severity word. Trivy puts its exact word there (`["vulnerability",
 *    "security","MEDIUM"]`); Docker Scout does too, writing UNSPECIFIED for unknown (its
 *    recorded 0.24.1 SARIF, __tests__/fixtures/scanners/scout/).
 * 2. the SARIF `level` (the result's, else the rule's default): error → HIGH, warning → MEDIUM,
 *    note → LOW, none → UNKNOWN. `error` cannot tell CRITICAL from HIGH, so a non-Trivy critical
 *    counts as HIGH: a gate set to CRITICAL alone will not block on it.
 * 3. the rule's `security-severity`, with GitHub's thresholds (≥ 9.0 CRITICAL, ≥ 7.0 HIGH, ≥ 4.0
 *    MEDIUM, else LOW). It comes after `level` because other producers put a CVSS score there that
 *    contradicts their own severity (Grype: 8.2 on a Low vulnerability).
 * 4. SARIF's default level, warning → MEDIUM.
 */
function resultSeverity(result, rule, tags, properties, path) {
    for (const tag of tags) {
        const word = tag.toUpperCase();
        if ((0,severity/* isSeverity */._Z)(word))
            return word;
        if (word === 'UNSPECIFIED')
            return 'UNKNOWN';
    }
    const configuration = rule?.defaultConfiguration === undefined
        ? {}
        : json_asObject(rule.defaultConfiguration, `${path} rule configuration`);
    const level = result.level ?? configuration.level;
    if (level !== undefined)
        return levelSeverity(level, path);
    const score = Number(properties['security-severity']);
    if (properties['security-severity'] !== undefined && Number.isFinite(score))
        return scoreSeverity(score);
    return 'MEDIUM';
}
const LEVEL_SEVERITIES = new Map([
    ['error', 'HIGH'],
    ['warning', 'MEDIUM'],
    ['note', 'LOW'],
    ['none', 'UNKNOWN'],
]);
function levelSeverity(level, path) {
    const severity = LEVEL_SEVERITIES.get(level);
    if (severity === undefined)
        throw new MalformedReport(`${path}.level is ${JSON.stringify(level)}, not a SARIF level`);
    return severity;
}
// https://docs.github.com/en/code-security/code-scanning/integrating-with-code-scanning/sarif-support-for-code-scanning#reportingdescriptor-object
// "over 9.0 is critical, 7.0 to 8.9 is high, 4.0 to 6.9 is medium and 3.9 or less is low".
function scoreSeverity(score) {
    if (score >= 9)
        return 'CRITICAL';
    if (score >= 7)
        return 'HIGH';
    if (score >= 4)
        return 'MEDIUM';
    return 'LOW';
}
function resultTarget(result, path) {
    const location = optionalArray(result.locations, `${path}.locations`)[0];
    if (location === undefined)
        return '';
    const physical = json_asObject(location, `${path}.locations[0]`).physicalLocation;
    if (physical === undefined)
        return '';
    const artifact = json_asObject(physical, `${path}.locations[0].physicalLocation`).artifactLocation;
    if (artifact === undefined)
        return '';
    return (optionalString(json_asObject(artifact, `${path} artifactLocation`).uri, `${path} artifactLocation.uri`) ?? '');
}
function ruleTitle(rule, path) {
    if (rule?.shortDescription === undefined)
        return undefined;
    return optionalString(json_asObject(rule.shortDescription, `${path} rule shortDescription`).text, `${path} rule title`);
}
/**
 * Docker Scout keeps the package and the fix in the rule's properties: `purls` (a `purl` string
 * before 1.x) and `fixed_version`, which reads `not fixed` when there is none (SEMANTICS.md beside
 * the recorded Scout reports).
 */
function scoutRuleFields(properties) {
    const purls = Array.isArray(properties.purls) ? properties.purls : [properties.purl];
    const purl = purls.find((value) => typeof value === 'string' && value !== '');
    const fixed = typeof properties.fixed_version === 'string' ? properties.fixed_version.trim() : '';
    return {
        ...(purl === undefined ? {} : { package: purl }),
        ...(fixed === '' || fixed === 'not fixed' ? {} : { fixedVersion: fixed }),
    };
}
/**
 * Trivy's result message is `Package: …\nInstalled Version: …\nVulnerability …\nSeverity: …\nFixed
 * Version: …\nLink: …`; it is the only place SARIF keeps the package and the fixed version. Messages
 * of other producers simply yield nothing.
 */
function trivyMessageFields(text) {
    const fields = new Map();
    for (const line of text.split('\n')) {
        const match = /^(Package|Installed Version|Fixed Version): (.+)$/.exec(line);
        if (match?.[1] !== undefined && match[2] !== undefined)
            fields.set(match[1], match[2].trim());
    }
    return fields;
}

;// CONCATENATED MODULE: ./src/scan/scout-markdown.ts


/**
 * Reads `docker scout cves --format markdown` (the shape of Scout 1.17, recorded in
 * __tests__/fixtures/scanners/scout/). The report is HTML inside Markdown, one element per line:
 *
 * - a header `<h2>:mag: Vulnerabilities of <code>IMAGE</code></h2>`, then a `vulnerabilities` row
 *   whose badges say the image's totals: `<img alt="critical: 0" …/> <img alt="high: 2" …/> …
 *   <!-- unspecified: 0 -->`;
 * - per vulnerable package, a `<summary>` line ending `<strong>NAME</strong> <code>VERSION</code>
 *   (TYPE)</summary>`;
 * - per vulnerability, `<a href="https://scout.docker.com/v/ID?…"><img alt="SEVERITY SCORE: …"`,
 *   then a table whose `Fixed version` row reads `not fixed` when there is none.
 *
 * One finding per vulnerability line. The totals of the header must equal what was read: a report
 * cut short, or a format this parser does not know, is a ScanError rather than a smaller count.
 * Lines before the header or after the report (progress lines and the "What's next:" hint, when
 * stderr was captured with stdout) are ignored.
 */
function parseScoutMarkdown(text) {
    return parseOutcome('scout-markdown', () => scoutFindings(text));
}
const HEADER = /<h2>:mag: Vulnerabilities of <code>(.*?)<\/code><\/h2>/;
const TOTALS_ROW = /<td>vulnerabilities<\/td>/;
const TOTAL = /(critical|high|medium|low|unspecified): (\d+)/g;
const PACKAGE = /<strong>(.*?)<\/strong> <code>(.*?)<\/code>(?: \((.*?)\))?<\/summary>/;
const VULNERABILITY = /<a href="https:\/\/scout\.docker\.com\/v\/([^"?#]+)[^"]*"><img alt="([a-z]+)\b[^"]*"/;
const FIXED = /<tr><td>Fixed version<\/td><td><code>(.*?)<\/code><\/td><\/tr>/;
const TITLE = /<\/a> <i>(.*?)<\/i>/;
function scoutFindings(text) {
    if (text.trim() === '')
        throw new MalformedReport('the report is empty');
    const lines = text.split(/\r?\n/);
    const start = lines.findIndex((line) => HEADER.test(line));
    if (start < 0) {
        throw new MalformedReport('no "Vulnerabilities of" header (is this the output of `docker scout cves --format markdown`?)');
    }
    const image = unescapeHtml(HEADER.exec(lines[start] ?? '')?.[1] ?? '');
    const totalsLine = lines.slice(start).find((line) => TOTALS_ROW.test(line));
    if (totalsLine === undefined)
        throw new MalformedReport('the header has no "vulnerabilities" row');
    const totals = readTotals(totalsLine);
    const findings = [];
    let pkg;
    for (const line of lines.slice(start + 1)) {
        const packageMatch = PACKAGE.exec(line);
        if (packageMatch)
            pkg = { name: unescapeHtml(packageMatch[1] ?? ''), version: packageMatch[2] ?? '' };
        const vulnerability = VULNERABILITY.exec(line);
        if (vulnerability) {
            if (pkg === undefined)
                throw new MalformedReport(`${vulnerability[1]} is listed before any package`);
            findings.push({
                kind: 'vulnerability',
                id: decodeURIComponent(vulnerability[1] ?? ''),
                severity: scoutSeverity(vulnerability[2] ?? ''),
                target: image,
                package: pkg.name,
                installedVersion: unescapeHtml(pkg.version),
                title: unescapeHtml(TITLE.exec(line)?.[1] ?? '') || undefined,
            });
        }
        const fixed = FIXED.exec(line);
        const last = findings.at(-1);
        if (fixed && last !== undefined) {
            const version = unescapeHtml(fixed[1] ?? '');
            if (version !== '' && version !== 'not fixed')
                last.fixedVersion = version;
        }
    }
    checkTotals(findings, totals);
    return findings;
}
function readTotals(line) {
    const totals = (0,severity/* zeroCounts */.Nd)();
    const seen = new Set();
    for (const [, word, count] of line.matchAll(TOTAL)) {
        seen.add(word ?? '');
        totals[scoutSeverity(word ?? '')] += Number(count);
    }
    const missing = ['critical', 'high', 'medium', 'low'].filter((word) => !seen.has(word));
    if (missing.length > 0)
        throw new MalformedReport(`the totals row gives no count for ${missing.join(', ')}`);
    return totals;
}
function checkTotals(findings, totals) {
    const read = (0,severity/* zeroCounts */.Nd)();
    for (const finding of findings)
        read[finding.severity] += 1;
    const differing = severity/* SEVERITIES */.oC.filter((severity) => read[severity] !== totals[severity]);
    if (differing.length > 0) {
        const detail = differing.map((s) => `${s} ${read[s]} listed, ${totals[s]} in the totals`).join('; ');
        throw new MalformedReport(`the listed vulnerabilities do not add up to the header's totals (${detail})`);
    }
}
/** Scout's words, lower case; `unspecified` is Scout's name for a severity nobody has rated. */
function scoutSeverity(word) {
    const upper = word.toUpperCase();
    if (upper === 'UNSPECIFIED')
        return 'UNKNOWN';
    if (!(0,severity/* isSeverity */._Z)(upper) || upper === 'UNKNOWN') {
        throw new MalformedReport(`"${word}" is not a Scout severity`);
    }
    return upper;
}
const ENTITIES = {
    '&lt;': '<',
    '&gt;': '>',
    '&quot;': '"',
    '&#39;': "'",
    '&amp;': '&',
};
function unescapeHtml(text) {
    return text.replace(/&(?:lt|gt|quot|#39|amp);/g, (entity) => ENTITIES[entity] ?? entity);
}

;// CONCATENATED MODULE: ./src/scan/trivy-json.ts



/**
 * Reads `trivy … --format json` (SchemaVersion 2, the only schema since Trivy 0.20). Counts, per
 * Trivy's own model: each `Vulnerabilities[]` entry (one per CVE × package × target), each
 * `Secrets[]` entry, and each `Misconfigurations[]` entry whose `Status` is `FAIL`. Licenses are
 * not findings here. Trivy omits `Results` when nothing was scanned and `Vulnerabilities` when a
 * target is clean; both read as zero findings.
 */
function parseTrivyJson(text) {
    return parseOutcome('trivy-json', () => trivyFindings(json_asObject(parseJson(text), 'the document')));
}
function trivyFindings(document) {
    if (document.SchemaVersion !== 2) {
        throw new MalformedReport(`SchemaVersion is ${JSON.stringify(document.SchemaVersion) ?? 'missing'}, expected 2 ` +
            '(is this the output of `trivy --format json`?)');
    }
    return optionalArray(document.Results, 'Results').flatMap((value, index) => resultFindings(json_asObject(value, `Results[${index}]`), `Results[${index}]`));
}
function resultFindings(result, path) {
    const target = asString(result.Target, `${path}.Target`);
    const vulnerabilities = optionalArray(result.Vulnerabilities, `${path}.Vulnerabilities`).map((value, index) => vulnerability(json_asObject(value, `${path}.Vulnerabilities[${index}]`), `${path}.Vulnerabilities[${index}]`, target));
    const secrets = optionalArray(result.Secrets, `${path}.Secrets`).map((value, index) => secret(json_asObject(value, `${path}.Secrets[${index}]`), `${path}.Secrets[${index}]`, target));
    const misconfigurations = optionalArray(result.Misconfigurations, `${path}.Misconfigurations`).flatMap((value, index) => {
        const entry = json_asObject(value, `${path}.Misconfigurations[${index}]`);
        return failedMisconfiguration(entry, `${path}.Misconfigurations[${index}]`, target);
    });
    return [...vulnerabilities, ...secrets, ...misconfigurations];
}
function vulnerability(entry, path, target) {
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
    };
}
function secret(entry, path, target) {
    return {
        kind: 'secret',
        id: asString(entry.RuleID, `${path}.RuleID`),
        severity: trivySeverity(entry.Severity, `${path}.Severity`),
        target,
        title: optionalString(entry.Title, `${path}.Title`),
    };
}
/** PASS and EXCEPTION entries only appear with `--include-non-failures`; they are not findings. */
function failedMisconfiguration(entry, path, target) {
    if (asString(entry.Status, `${path}.Status`) !== 'FAIL')
        return [];
    const finding = {
        kind: 'misconfiguration',
        id: asString(entry.ID, `${path}.ID`),
        severity: trivySeverity(entry.Severity, `${path}.Severity`),
        target,
        title: optionalString(entry.Title, `${path}.Title`),
    };
    return [finding];
}
/**
 * Trivy writes exactly the five words. Anything else means a format we do not understand, and
 * guessing (say, UNKNOWN) could let a serious finding slip under the gate, so it is an error.
 */
function trivySeverity(value, path) {
    const word = asString(value, path);
    if (!(0,severity/* isSeverity */._Z)(word))
        throw new MalformedReport(`${path} is "${word}", not a Trivy severity`);
    return word;
}

;// CONCATENATED MODULE: ./src/scan/parse-report.ts



const PARSERS = {
    'trivy-json': parseTrivyJson,
    sarif: parseSarif,
    'scout-markdown': parseScoutMarkdown,
};
/**
 * Reads a scanner report of a known format. The format is never guessed from the content: a
 * report that does not match it is a ScanError, so a wrong file cannot pass as a clean scan.
 */
function parseReport(text, format) {
    return PARSERS[format](text);
}

;// CONCATENATED MODULE: ./src/scan/run-scout.ts






const SCOUT_SEVERITY = {
    CRITICAL: 'critical',
    HIGH: 'high',
    MEDIUM: 'medium',
    LOW: 'low',
    UNKNOWN: 'unspecified',
};
function scoutCvesArgs(options) {
    if (options.severities.length === 0)
        throw new Error('docker scout: at least one severity is needed');
    if (!external_node_path_default().isAbsolute(options.layoutDir)) {
        throw new Error(`docker scout: the layout must be an absolute path, not ${options.layoutDir}`);
    }
    return [
        'cves',
        '--format',
        options.format,
        '--output',
        options.outputFile,
        '--only-severity',
        options.severities.map((severity) => SCOUT_SEVERITY[severity]).join(','),
        ...(options.ignoreUnfixed ? ['--only-fixed'] : []),
        ...(options.exitCode ? ['--exit-code'] : []),
        `oci-dir://${options.layoutDir}`,
    ];
}
/** Scout's environment: childEnv's, no DOCKER_SCOUT_* of the step, the login, the private config and cache. */
function scoutEnv(env, login, dockerConfig, cacheDir) {
    const inherited = Object.entries((0,child_env/* childEnv */.gf)(env)).filter(([key]) => !key.toUpperCase().startsWith('DOCKER_SCOUT_'));
    return {
        ...Object.fromEntries(inherited),
        DOCKER_CONFIG: dockerConfig,
        DOCKER_SCOUT_HUB_USER: login.username,
        DOCKER_SCOUT_HUB_PASSWORD: login.password,
        DOCKER_SCOUT_CACHE_DIR: cacheDir,
    };
}
/**
 * Scout's own error line, as it prints it on stdout (ANSI colours taken out):
 * `ERROR  Status: failed to get image …: TOOMANYREQUESTS: …, Code: 1`. Undefined when there is none.
 */
function scoutErrorLine(stdout) {
    // eslint-disable-next-line no-control-regex
    const plain = stdout.replace(/\x1b\[[0-9;]*m/g, '');
    for (const line of plain.split(/\r?\n/)) {
        const match = /\bERROR\s+(?:Status:\s*)?(.*?)(?:,\s*Code:\s*(\d+))?\s*$/.exec(line);
        if (match?.[1])
            return match[2] === undefined ? match[1] : `${match[1]} (code ${match[2]})`;
    }
    return undefined;
}
/** Whether the exit code and the report agree: 2 when a finding the filters keep is listed, 0 when none. */
function exitMatchesReport(exitCode, findings, filters) {
    const kept = findings.filter((finding) => filters.severities.includes(finding.severity) &&
        (!filters.ignoreUnfixed || finding.fixedVersion !== undefined));
    return exitCode === 2 ? kept.length > 0 : kept.length === 0;
}
/** Exit 255, undocumented, seen now and then (docker/scout-cli#213): worth one more try. */
const RETRIED_EXIT = 255;
const OUTPUT_LIMIT = 64 * 1024;
/**
 * Scans one platform layout. A crash, a timeout, an exit code other than 0 or 2, a missing or
 * unreadable report, or a report that contradicts the exit code are ScanErrors naming the platform.
 */
async function runScout(options) {
    const args = scoutCvesArgs(options);
    const what = `Docker Scout scan of ${options.platform}`;
    let result = await runOnce(options, args);
    if (result.exitCode === RETRIED_EXIT) {
        options.log(`${what} exited with code 255 (docker/scout-cli#213); trying once more`);
        result = await runOnce(options, args);
    }
    const failure = describeFailure(result, options);
    if (failure !== undefined)
        return { args, outcome: { ok: false, message: `${what} ${failure}` } };
    let report;
    try {
        report = await (0,promises_.readFile)(options.outputFile, 'utf8');
    }
    catch (error) {
        return { args, outcome: { ok: false, message: `${what} wrote no report: ${(0,errors/* errorMessage */.g)(error)}` } };
    }
    const outcome = parseReport(report, options.format === 'markdown' ? 'scout-markdown' : 'sarif');
    if (!outcome.ok)
        return { args, report, outcome: { ok: false, message: `${what}: ${outcome.message}` } };
    if (options.exitCode && !exitMatchesReport(result.exitCode ?? -1, outcome.findings, options)) {
        const message = `${what}: the exit code (${String(result.exitCode)}) and the report (${outcome.findings.length} vulnerabilities) disagree`;
        return { args, report, outcome: { ok: false, message } };
    }
    return { args, report, outcome };
}
async function runOnce(options, args) {
    // A report left from an earlier attempt must not pass for this one.
    await (0,promises_.rm)(options.outputFile, { force: true });
    let stdout = '';
    let stderr = '';
    const exit = await (0,child_process/* spawnChild */.A)(options.command.file, [...options.command.prefix, ...args], {
        env: options.env,
        timeoutMs: options.timeoutSeconds * 1000,
        onStdout: (text) => (stdout = (stdout + text).slice(-OUTPUT_LIMIT)),
        onStderr: (text) => (stderr = (stderr + text).slice(-OUTPUT_LIMIT)),
    });
    return { ...exit, stdout, stderr };
}
function describeFailure(result, options) {
    if (result.spawnError !== undefined)
        return `could not start docker scout: ${result.spawnError}`;
    if (result.timedOut)
        return `did not finish within ${options.timeoutSeconds}s and was stopped`;
    if (result.signal !== null)
        return `was killed by ${result.signal}`;
    const allowed = options.exitCode ? [0, 2] : [0];
    if (result.exitCode !== null && allowed.includes(result.exitCode))
        return undefined;
    const reason = scoutErrorLine(result.stdout) ?? lastLines(result.stderr);
    return `failed with exit code ${String(result.exitCode)}: ${reason}`;
}
function lastLines(text) {
    const lines = text.trim().split('\n').filter(Boolean).slice(-10);
    return lines.length > 0 ? lines.join('\n') : '(no error output)';
}
/** Scans every per-platform layout, one at a time (they share Scout's cache). */
async function scanPlatformsWithScout(layouts, options) {
    const reportDir = external_node_path_default().join(options.workDir, 'reports');
    const cacheDir = external_node_path_default().join(options.workDir, 'scout-cache');
    await (0,promises_.mkdir)(reportDir, { recursive: true });
    await (0,promises_.mkdir)(cacheDir, { recursive: true });
    const env = scoutEnv(options.env, options.login, options.command.dockerConfig, cacheDir);
    const scans = [];
    for (const layout of layouts) {
        const base = external_node_path_default().join(reportDir, external_node_path_default().basename(layout.dir));
        const shared = {
            command: options.command,
            platform: layout.platform,
            layoutDir: external_node_path_default().resolve(layout.dir),
            severities: options.severities,
            ignoreUnfixed: options.ignoreUnfixed,
            timeoutSeconds: options.timeoutSeconds,
            env,
            log: options.log,
        };
        const markdown = await runScout({
            ...shared,
            format: 'markdown',
            outputFile: `${base}.md`,
            exitCode: true,
        });
        const scan = { platform: layout.platform, markdown };
        if (options.sarif && markdown.outcome.ok) {
            scan.sarif = await runScout({
                ...shared,
                format: 'sarif',
                outputFile: `${base}.sarif`,
                exitCode: false,
            });
        }
        scans.push(scan);
    }
    return scans;
}

// EXTERNAL MODULE: ./node_modules/semver/index.js
var semver = __webpack_require__(2088);
var semver_default = /*#__PURE__*/__webpack_require__.n(semver);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
var external_node_os_default = /*#__PURE__*/__webpack_require__.n(external_node_os_);
// EXTERNAL MODULE: ./node_modules/@actions/tool-cache/lib/tool-cache.js + 2 modules
var tool_cache = __webpack_require__(9805);
;// CONCATENATED MODULE: ./src/runner/release-tool.ts









/** Go's GOOS/GOARCH, as most goreleaser releases spell them (cosign, Docker Scout). */
const GO_MACHINE_NAMES = {
    linux: 'linux',
    darwin: 'darwin',
    x64: 'amd64',
    arm64: 'arm64',
};
/** This machine as `names` spells it; machines the release has no file for are refused by name. */
function releaseMachine(label, names, platform = process.platform, arch = process.arch) {
    const os = platform === 'linux' || platform === 'darwin' ? names[platform] : undefined;
    const cpu = arch === 'x64' || arch === 'arm64' ? names[arch] : undefined;
    if (os === undefined || cpu === undefined) {
        throw new Error(`${label} is installed for linux and macOS on x64 and arm64 only, not ${platform}/${arch}`);
    }
    return { os, arch: cpu };
}
/**
 * `searchDirs` in the order the program that runs the tool looks (PATH, the docker CLI's plugin
 * directories); an empty entry (the working directory to a shell: here the checkout, which a pull
 * request's author controls) is never searched.
 */
async function installReleaseTool(tool, searchDirs, log) {
    const { version } = tool;
    const installed = await findInstalled(tool, searchDirs);
    if (installed !== undefined) {
        log(`Using ${tool.label} ${version} found at ${installed}`);
        return { binary: installed, version, source: 'installed' };
    }
    const cached = tool_cache/* find */.I6(tool.executable, version);
    if (cached && isFile(external_node_path_default().join(cached, tool.executable))) {
        log(`Using ${tool.label} ${version} from the tool cache`);
        return { binary: external_node_path_default().join(cached, tool.executable), version, source: 'tool-cache' };
    }
    return { binary: await downloadVerified(tool, log), version, source: 'download' };
}
/**
 * The first `executable` in `dirs` (firstExecutable: what a shell, or the docker CLI, would run)
 * when it reports the version, else undefined: one of another version means download ours.
 */
async function findInstalled(tool, dirs) {
    const candidate = (0,runner_tool/* firstExecutable */.Ng)(dirs, tool.executable);
    if (candidate === undefined)
        return undefined;
    return (await tool.reportedVersion(candidate)) === tool.version ? candidate : undefined;
}
/** The release file checked against its sha256, then unpacked, asked its version and cached: the cached executable. */
async function downloadVerified(tool, log) {
    const { asset, checksums, executable, version } = tool;
    const work = await (0,promises_.mkdtemp)(external_node_path_default().join(process.env.RUNNER_TEMP || external_node_os_default().tmpdir(), `${executable}-download-`));
    try {
        const checksumsFile = await download(checksums.url, external_node_path_default().join(work, checksums.name));
        const expected = expectedSha256(await (0,promises_.readFile)(checksumsFile, 'utf8'), asset.name, checksums.name);
        const file = await download(asset.url, external_node_path_default().join(work, asset.name));
        const actual = await sha256OfFile(file);
        if (actual !== expected) {
            throw new Error(`Refusing ${asset.name}: its sha256 is ${actual}, but ${checksums.name} says ${expected} ` +
                `(downloaded from ${asset.url}); the file is damaged or not the release`);
        }
        const dir = external_node_path_default().join(work, 'unpacked');
        if (asset.packing === 'tar.gz')
            await unpack(file, dir, asset.name);
        else
            await placeBinary(file, dir, executable);
        const binary = external_node_path_default().join(dir, executable);
        if (!isFile(binary))
            throw new Error(`${asset.name} holds no ${executable} executable at its top level`);
        const reported = await tool.reportedVersion(binary);
        if (reported !== version) {
            const which = asset.packing === 'binary' ? asset.name : `${asset.name} holds a ${executable} that`;
            throw new Error(`${which} reports version ${reported ?? 'unknown'}, not ${version}`);
        }
        const toolDir = await tool_cache/* cacheDir */.e8(dir, executable, version);
        log(`Installed ${tool.label} ${version} from ${asset.url} (sha256 ${actual})`);
        return external_node_path_default().join(toolDir, executable);
    }
    finally {
        await (0,promises_.rm)(work, { recursive: true, force: true });
    }
}
/** The sha256 the checksums file gives for `fileName`; sha256sum's `*name` (binary mode) is accepted too. */
function expectedSha256(checksums, fileName, checksumsName = 'the checksums file') {
    const found = [];
    for (const line of checksums.split(/\r?\n/)) {
        const match = /^([0-9a-fA-F]{64})\s+\*?(\S.*?)\s*$/.exec(line);
        if (match?.[2] === fileName && match[1] !== undefined)
            found.push(match[1].toLowerCase());
    }
    const [first] = found;
    if (first === undefined)
        throw new Error(`${checksumsName} has no sha256 for ${fileName}`);
    if (new Set(found).size > 1) {
        throw new Error(`${checksumsName} gives conflicting sha256 values for ${fileName}`);
    }
    return first;
}
function sha256OfFile(file) {
    return new Promise((resolve, reject) => {
        const hash = (0,external_node_crypto_.createHash)('sha256');
        (0,external_node_fs_.createReadStream)(file)
            .on('error', reject)
            .on('data', (chunk) => hash.update(chunk))
            .on('end', () => resolve(hash.digest('hex')));
    });
}
async function download(url, dest) {
    try {
        return await tool_cache/* downloadTool */.bq(url, dest);
    }
    catch (error) {
        const status = error instanceof tool_cache/* HTTPError */.Hl ? `HTTP ${String(error.httpStatusCode)}` : (0,errors/* errorMessage */.g)(error);
        throw new Error(`Cannot download ${url}: ${status}`, { cause: error });
    }
}
// Our own tar rather than tc.extractTar, which runs tar with the whole step environment.
async function unpack(archive, dir, asset) {
    await (0,promises_.mkdir)(dir, { recursive: true });
    const tar = await (0,runner_tool/* requireTool */.Y0)('tar');
    const result = await (0,runner_tool/* runTool */.qI)(tar, ['-xzf', archive, '-C', dir], {
        silent: true,
        deadline: (0,timeouts/* deadline */.nl)('unpack', `tar -xzf ${asset}`),
    });
    if (result.exitCode !== 0)
        throw new Error(`Could not unpack ${asset}: ${(0,runner_tool/* tail */.RT)(result.stderr)}`);
}
/** A bare release binary, made executable under its own name in a directory of its own. */
async function placeBinary(file, dir, executable) {
    await (0,promises_.mkdir)(dir, { recursive: true });
    const binary = external_node_path_default().join(dir, executable);
    await (0,promises_.rename)(file, binary);
    await (0,promises_.chmod)(binary, 0o755);
}
function isFile(file) {
    try {
        return (0,external_node_fs_.statSync)(file).isFile();
    }
    catch {
        return false;
    }
}

;// CONCATENATED MODULE: ./src/scan/scout-install.ts






/**
 * The Docker Scout CLI plugin from its GitHub release (docker/scout-cli), as runner/release-tool.ts
 * installs it (checked against the release's checksums file before anything in it is run), made a
 * docker CLI plugin of the step's private DOCKER_CONFIG only: `cli-plugins/docker-scout` there is
 * a link this step makes (createWorkspace gives the private config a `cli-plugins` directory of
 * its own), so the user's docker config never changes.
 */
const DEFAULT_SCOUT_DOWNLOAD_BASE = 'https://github.com/docker/scout-cli/releases/download';
const TOOL_NAME = 'docker-scout';
/**
 * Where the docker CLI looks for plugins after `$DOCKER_CONFIG/cli-plugins`, in its order
 * (cli-plugins/manager/manager_unix.go, defaultSystemPluginDirs).
 */
const SYSTEM_PLUGIN_DIRS = [
    '/usr/local/lib/docker/cli-plugins',
    '/usr/local/libexec/docker/cli-plugins',
    '/usr/lib/docker/cli-plugins',
    '/usr/libexec/docker/cli-plugins',
];
/**
 * The release archive for this machine, as install.sh of docker/scout-cli finds it in the checksums
 * file (`${name}_.*_${os}_${arch}.tar.gz`): `docker-scout_1.23.0_linux_amd64.tar.gz`. It holds the
 * `docker-scout` binary at its top level.
 */
function scoutAssetName(version, platform = process.platform, arch = process.arch) {
    const machine = releaseMachine('Docker Scout', GO_MACHINE_NAMES, platform, arch);
    return `docker-scout_${version}_${machine.os}_${machine.arch}.tar.gz`;
}
/** goreleaser's checksums file, as install.sh downloads it: `docker-scout_<version>_checksums.txt`. */
function scoutChecksumsName(version) {
    return `docker-scout_${version}_checksums.txt`;
}
function scoutReleaseUrls(version, asset, baseUrl = DEFAULT_SCOUT_DOWNLOAD_BASE) {
    const release = `${baseUrl.replace(/\/+$/, '')}/v${version}`;
    return { archive: `${release}/${asset}`, checksums: `${release}/${scoutChecksumsName(version)}` };
}
/**
 * The version a docker CLI plugin reports for `docker-cli-plugin-metadata`, the subcommand the
 * docker CLI asks every plugin (a JSON object: SchemaVersion, Vendor, Version, ShortDescription).
 */
function parsePluginMetadata(text) {
    try {
        const metadata = JSON.parse(text);
        return typeof metadata.Version === 'string' ? (semver_default().clean(metadata.Version) ?? undefined) : undefined;
    }
    catch {
        return undefined;
    }
}
/**
 * Makes `docker scout` of exactly `version` the plugin of the private DOCKER_CONFIG: the plugin
 * the docker CLI would have run anyway if it reports that version, else the runner's tool cache,
 * else the release archive, checked first.
 */
async function installScout(options) {
    const { version } = options;
    const env = options.env ?? process.env;
    const asset = scoutAssetName(version);
    const urls = scoutReleaseUrls(version, asset, options.baseUrl);
    const tool = {
        executable: TOOL_NAME,
        label: 'docker scout',
        version,
        asset: { name: asset, url: urls.archive, packing: 'tar.gz' },
        checksums: { name: scoutChecksumsName(version), url: urls.checksums },
        reportedVersion: async (binary) => parsePluginMetadata(await (0,runner_tool/* versionOutput */.uF)(binary, ['docker-cli-plugin-metadata'])),
    };
    const pluginDirs = options.pluginDirs ?? [
        external_node_path_default().join((0,runner_workspace/* userDockerConfigDir */.Rx)(env), 'cli-plugins'),
        ...SYSTEM_PLUGIN_DIRS,
    ];
    const { binary, source } = await installReleaseTool(tool, pluginDirs, options.log ?? (() => undefined));
    return { plugin: await linkPlugin(options.dockerConfig, binary), version, source };
}
/** Replaces whatever `cli-plugins/docker-scout` of the private config is (a link to the user's) with a link to `binary`. */
async function linkPlugin(dockerConfig, binary) {
    const dir = external_node_path_default().join(dockerConfig, 'cli-plugins');
    await (0,promises_.mkdir)(dir, { recursive: true, mode: 0o700 });
    // A link to the user's plugin directory would make this write into the user's config.
    if ((await (0,promises_.lstat)(dir)).isSymbolicLink())
        throw new Error(`${dir} is a symbolic link, not the step's own directory`);
    const plugin = external_node_path_default().join(dir, TOOL_NAME);
    await (0,promises_.rm)(plugin, { force: true });
    await (0,promises_.symlink)(binary, plugin);
    return plugin;
}

;// CONCATENATED MODULE: ./src/scan/scout-scanner.ts


/**
 * Docker Scout: the CLI plugin installed into the private config (scout-install.ts) before any
 * image exists, then one Markdown (and SARIF) run per platform with the Docker Hub login.
 */
function scoutScanner(options) {
    return {
        async prepare({ inputs, env, log }) {
            const login = inputs.scoutLogin;
            // readScanInputs refuses scanner scout without one; this only keeps the types honest.
            if (login === undefined)
                throw new Error('Docker Scout needs a Docker Hub login (scout-username, scout-password)');
            const scout = await installScout({
                env,
                ...options.install,
                version: inputs.scoutVersion,
                dockerConfig: options.dockerConfig,
                log,
            });
            return {
                async scan(layouts, { inputs, workDir, env, log }) {
                    log(`Scanning ${layouts.map((layout) => layout.platform).join(', ')} with docker scout ${scout.version} as ${login.username} (from "${login.source}")`);
                    const runs = await scanPlatformsWithScout(layouts, {
                        command: { file: options.docker, prefix: ['scout'], dockerConfig: options.dockerConfig },
                        login,
                        env,
                        workDir,
                        severities: inputs.severities,
                        ignoreUnfixed: inputs.ignoreUnfixed,
                        timeoutSeconds: inputs.timeoutSeconds,
                        sarif: inputs.sarif !== undefined,
                        log,
                    });
                    for (const run of runs)
                        log(`docker scout ${run.markdown.args.join(' ')}`);
                    return {
                        label: `Docker Scout ${scout.version}`,
                        scans: Object.fromEntries(runs.map((run) => [run.platform, run.markdown.outcome])),
                        sarif: Object.fromEntries(runs.flatMap((run) => (run.sarif ? [[run.platform, run.sarif]] : []))),
                        readable: Object.fromEntries(runs.flatMap((run) => run.markdown.report === undefined ? [] : [[run.platform, run.markdown.report]])),
                        // The attestations are made from Trivy's JSON report and SBOM; Scout's report is not one.
                        platforms: [],
                    };
                },
            };
        },
    };
}

;// CONCATENATED MODULE: ./src/scan/trivy-db-cache.ts




/**
 * Keeping Trivy's vulnerability databases between runs with the Actions cache. Trivy stores them
 * under its `--cache-dir`: `db/` (trivy-db: `trivy.db` + `metadata.json`) and `java-db/`. The
 * `fanal/` image-layer cache beside them is per image and is not kept.
 *
 * One cache entry per UTC day: the first run of the day downloads a fresh DB and saves it; later
 * runs that day restore it. A restore falls back to the newest earlier day (`trivy-db-` prefix);
 * Trivy then updates a DB whose `NextUpdate` has passed, so a stale restore only costs a download.
 */
const KEY_PREFIX = 'trivy-db-';
/** `trivy-db-YYYY-MM-DD` for the UTC day of `now`. */
function trivyDbCacheKey(now) {
    return `${KEY_PREFIX}${now.toISOString().slice(0, 10)}`;
}
function trivyDbRestoreKeys() {
    return [KEY_PREFIX];
}
/**
 * Trivy's `--cache-dir` for this job: a stable path under RUNNER_TEMP (emptied after each job, so
 * nothing leaks between jobs except through the cache), else the OS temp dir.
 */
function trivyCacheDir(env = process.env) {
    return external_node_path_default().join(env.RUNNER_TEMP || external_node_os_default().tmpdir(), 'build-scan-push', 'trivy-cache');
}
/** The directories of `cacheDir` worth keeping between runs. */
function trivyDbCachePaths(cacheDir) {
    return [external_node_path_default().join(cacheDir, 'db'), external_node_path_default().join(cacheDir, 'java-db')];
}
/** The DB repository options as argv: each value its own element, never through a shell. */
function dbRepositoryArgs(repos) {
    const args = [];
    for (const repo of repos.dbRepository ?? [])
        if (repo.trim())
            args.push('--db-repository', repo.trim());
    for (const repo of repos.javaDbRepository ?? []) {
        if (repo.trim())
            args.push('--java-db-repository', repo.trim());
    }
    return args;
}
/**
 * @actions/cache, with the Azure storage client it brings (2.4 MB of the bundle), loads only when
 * a scan uses the cache: a run without a scan never parses it, and one with a scan does so while
 * the image builds rather than before the probes answer.
 */
function actionsCache() {
    return __webpack_require__.e(/* import() */ 131).then(__webpack_require__.bind(__webpack_require__, 7131));
}
/**
 * Restores the DB into `cacheDir`. A cache service that is missing, failing or silent past
 * `limitMs` is not an error: Trivy then downloads the DB itself.
 */
async function restoreTrivyDb(cacheDir, now, log = () => undefined, limitMs = timeouts/* TIMEOUTS */.fT.cache) {
    const cache = await actionsCache();
    if (!cache.isFeatureAvailable())
        return { restored: false };
    const key = trivyDbCacheKey(now);
    try {
        const hit = await withinLimit(cache.restoreCache(trivyDbCachePaths(cacheDir), key, trivyDbRestoreKeys()), limitMs);
        if (hit === LATE) {
            log(`Trivy DB cache not restored: no answer within ${(0,timeouts/* formatDuration */.a3)(limitMs)}; Trivy downloads its DB itself`);
            return { restored: false, abandoned: true };
        }
        if (hit === undefined)
            return { restored: false };
        return { restored: true, key: hit, exact: hit === key };
    }
    catch (error) {
        log(`Trivy DB cache not restored: ${(0,errors/* errorMessage */.g)(error)}`);
        return { restored: false };
    }
}
const LATE = Symbol('late');
/**
 * What `call` gives, or LATE once `limitMs` has passed. @actions/cache takes no signal, so a call
 * given up on goes on in the background (the main step ends its process when done, index.ts); how
 * it ends then is nobody's business.
 */
async function withinLimit(call, limitMs) {
    call.catch(() => undefined);
    let timer;
    const late = new Promise((resolve) => {
        timer = setTimeout(() => resolve(LATE), limitMs);
    });
    try {
        return await Promise.race([call, late]);
    }
    finally {
        clearTimeout(timer);
    }
}
/** Trivy's `--cache-dir`: `cacheDir`, or beside it when an abandoned restore may still write there. */
function trivyScanCacheDir(cacheDir, restore) {
    return !restore.restored && restore.abandoned ? `${cacheDir}-uncached` : cacheDir;
}
/**
 * Saves today's DB unless today's entry was what we restored, or the service left the restore
 * unanswered (it is not asked again). Failures, and a save past `limitMs`, are logged, not raised.
 */
async function saveTrivyDb(cacheDir, now, restore, log = () => undefined, limitMs = timeouts/* TIMEOUTS */.fT.cache) {
    const cache = await actionsCache();
    if (!cache.isFeatureAvailable())
        return false;
    if (restore.restored ? restore.exact : restore.abandoned)
        return false;
    try {
        const id = await withinLimit(cache.saveCache(trivyDbCachePaths(cacheDir), trivyDbCacheKey(now)), limitMs);
        if (id === LATE) {
            log(`Trivy DB cache not saved: no answer within ${(0,timeouts/* formatDuration */.a3)(limitMs)}`);
            return false;
        }
        // -1: not saved (another job reserved the key, the cache mode is read-only…), already logged.
        return id !== -1;
    }
    catch (error) {
        log(`Trivy DB cache not saved: ${(0,errors/* errorMessage */.g)(error)}`);
        return false;
    }
}

;// CONCATENATED MODULE: ./src/scan/run-trivy.ts









function trivyScanArgs(options) {
    if (options.scanners.length === 0)
        throw new Error('trivy: at least one scanner is needed');
    if (!Number.isInteger(options.timeoutSeconds) || options.timeoutSeconds <= 0) {
        throw new Error(`trivy: the timeout must be a positive number of seconds, not ${options.timeoutSeconds}`);
    }
    const vexFiles = options.vexFiles ?? [];
    const relative = vexFiles.find((file) => !external_node_path_default().isAbsolute(file));
    if (relative !== undefined)
        throw new Error(`trivy: VEX files must be absolute paths, not ${relative}`);
    return [
        'image',
        '--input',
        options.layoutDir,
        '--format',
        options.format,
        '--output',
        options.outputFile,
        '--exit-code',
        '0',
        '--severity',
        severity/* SEVERITIES */.oC.join(','),
        '--scanners',
        [...new Set(options.scanners)].join(','),
        '--cache-dir',
        options.cacheDir,
        '--timeout',
        `${options.timeoutSeconds}s`,
        ...dbRepositoryArgs(options.dbRepositories ?? {}),
        ...vexFiles.flatMap((file) => ['--vex', file]),
        ...(options.skipDbUpdate ? ['--skip-db-update'] : []),
        ...(options.skipJavaDbUpdate ? ['--skip-java-db-update'] : []),
        '--skip-version-check',
        '--disable-telemetry',
        '--quiet',
    ];
}
/** The SARIF run for code scanning of one platform: the same scan, written as SARIF 2.1.0. */
function trivySarifArgs(options) {
    return trivyScanArgs({ ...options, format: 'sarif' });
}
/** Credentials and TLS settings for DB mirrors; every other TRIVY_* variable is dropped. */
const PASSED_TRIVY_ENV = [
    'TRIVY_USERNAME',
    'TRIVY_PASSWORD',
    'TRIVY_REGISTRY_TOKEN',
    'TRIVY_INSECURE',
    'TRIVY_CACERT',
];
/**
 * Trivy's environment: childEnv's (no INPUT_*, no ACTIONS_*), and of the TRIVY_* variables only
 * PASSED_TRIVY_ENV.
 */
function trivyEnv(env) {
    return Object.fromEntries(Object.entries((0,child_env/* childEnv */.gf)(env)).filter(([key]) => !key.startsWith('TRIVY_') || PASSED_TRIVY_ENV.includes(key)));
}
const STDERR_LIMIT = 64 * 1024;
/**
 * Runs a command with an argument array (no shell) in its own process group (spawnChild); on
 * timeout the group gets SIGTERM, then SIGKILL after `killGraceMs`. stdout is ignored, stderr kept
 * (its tail). `env` is the child's whole environment: runTrivy passes trivyEnv's.
 */
async function runCommand(file, args, options) {
    let stderr = '';
    const exit = await (0,child_process/* spawnChild */.A)(file, args, {
        env: options.env,
        timeoutMs: options.timeoutMs,
        ...(options.cwd !== undefined ? { cwd: options.cwd } : {}),
        ...(options.killGraceMs !== undefined ? { killGraceMs: options.killGraceMs } : {}),
        onStderr: (text) => {
            stderr = (stderr + text).slice(-STDERR_LIMIT);
        },
    });
    return { ...exit, stderr };
}
/**
 * Scans one platform layout. A crash, a timeout, a missing or unreadable report are ScanErrors
 * (never a pass); a report that reads is the ScanReport of parseReport.
 */
async function runTrivy(options) {
    const args = trivyScanArgs(options);
    const cwd = await (0,promises_.mkdtemp)(external_node_path_default().join(external_node_os_default().tmpdir(), 'trivy-run-'));
    const what = `Trivy scan of ${options.platform}`;
    try {
        // A report left from an earlier run must not pass for this one.
        await (0,promises_.rm)(options.outputFile, { force: true });
        const graceSeconds = options.killAfterSeconds ?? 60;
        const result = await runCommand(options.trivy, args, {
            timeoutMs: (options.timeoutSeconds + graceSeconds) * 1000,
            cwd,
            env: trivyEnv(options.env ?? process.env),
        });
        const failure = run_trivy_describeFailure(result, options.timeoutSeconds + graceSeconds);
        if (failure !== undefined)
            return { args, outcome: { ok: false, message: `${what} ${failure}` } };
        let report;
        try {
            report = await (0,promises_.readFile)(options.outputFile, 'utf8');
        }
        catch (error) {
            const reason = (0,errors/* errorMessage */.g)(error);
            return {
                args,
                outcome: { ok: false, message: `${what} wrote no report to ${options.outputFile}: ${reason}` },
            };
        }
        const outcome = parseReport(report, options.format === 'json' ? 'trivy-json' : 'sarif');
        if (!outcome.ok)
            return { args, report, outcome: { ok: false, message: `${what}: ${outcome.message}` } };
        return { args, report, outcome };
    }
    finally {
        await (0,promises_.rm)(cwd, { recursive: true, force: true });
    }
}
function run_trivy_describeFailure(result, limitSeconds) {
    if (result.spawnError !== undefined)
        return `could not start trivy: ${result.spawnError}`;
    const tail = stderrTail(result.stderr);
    if (result.timedOut)
        return `did not finish within ${limitSeconds}s and was stopped${tail}`;
    if (result.signal !== null)
        return `was killed by ${result.signal}${tail}`;
    if (result.exitCode !== 0)
        return `failed with exit code ${String(result.exitCode)}${tail}`;
    return undefined;
}
function stderrTail(stderr) {
    const lines = stderr.trim().split('\n').filter(Boolean).slice(-10);
    return lines.length > 0 ? `:\n${lines.join('\n')}` : ' (no error output)';
}
/**
 * Scans every per-platform layout, one Trivy run at a time: runs sharing a `--cache-dir` would
 * contend for its database lock. Once a vulnerability scan has succeeded, the later runs get
 * `--skip-db-update`, so every platform is judged against the same vulnerability DB (the Java DB
 * is left to Trivy: it is fetched only for images with Java archives, and skipping it before it
 * exists is an error, pkg/javadb/client.go). The outcomes, keyed by platform, are what
 * evaluateGate takes.
 */
async function scanPlatforms(layouts, options) {
    const { reportDir, sarif, ...common } = options;
    await (0,promises_.mkdir)(reportDir, { recursive: true });
    const scans = {};
    const runs = [];
    let dbReady = Boolean(common.skipDbUpdate);
    for (const layout of layouts) {
        const base = external_node_path_default().join(reportDir, external_node_path_default().basename(layout.dir));
        const shared = { ...common, platform: layout.platform, layoutDir: layout.dir, skipDbUpdate: dbReady };
        const startedOn = new Date();
        const json = await runTrivy({ ...shared, format: 'json', outputFile: `${base}.json` });
        const finishedOn = new Date();
        // After a vulnerability scan succeeded, the DB in the cache dir is current for this job.
        if (json.outcome.ok && common.scanners.includes('vuln'))
            dbReady = true;
        const { platform, manifestDigest } = layout;
        const scan = { platform, manifestDigest, json, startedOn, finishedOn };
        if (sarif && json.outcome.ok) {
            scan.sarif = await runTrivy({
                ...shared,
                skipDbUpdate: dbReady,
                format: 'sarif',
                outputFile: `${base}.sarif`,
            });
        }
        scans[layout.platform] = json.outcome;
        runs.push(scan);
    }
    return { scans, runs };
}

;// CONCATENATED MODULE: ./src/scan/sbom.ts





function trivySbomArgs(options) {
    return [
        'image',
        '--input',
        options.layoutDir,
        '--format',
        'cyclonedx',
        '--output',
        options.outputFile,
        '--cache-dir',
        options.cacheDir,
        '--timeout',
        `${options.timeoutSeconds}s`,
        '--skip-version-check',
        '--disable-telemetry',
        '--quiet',
    ];
}
/** Whether `text` is a CycloneDX JSON document (what `cosign attest --type cyclonedx` expects). */
function isCycloneDxJson(text) {
    try {
        return JSON.parse(text)?.bomFormat === 'CycloneDX';
    }
    catch {
        return false;
    }
}
/** Runs Trivy for the SBOM of one platform; a failure is an outcome, for the caller to judge. */
async function writeSbom(options) {
    const what = `The SBOM of ${options.platform}`;
    const cwd = await (0,promises_.mkdtemp)(external_node_path_default().join(external_node_os_default().tmpdir(), 'trivy-sbom-'));
    try {
        await (0,promises_.rm)(options.outputFile, { force: true });
        const result = await runCommand(options.trivy, trivySbomArgs(options), {
            timeoutMs: (options.timeoutSeconds + (options.killAfterSeconds ?? 60)) * 1000,
            cwd,
            env: trivyEnv(options.env),
        });
        if (result.spawnError !== undefined)
            return { ok: false, message: `${what}: ${result.spawnError}` };
        if (result.timedOut || result.exitCode !== 0) {
            const tail = result.stderr.trim().split('\n').slice(-5).join('\n');
            const how = result.timedOut ? 'timed out' : `failed (exit code ${String(result.exitCode)})`;
            return { ok: false, message: `${what} ${how}${tail ? `:\n${tail}` : ''}` };
        }
        const text = await (0,promises_.readFile)(options.outputFile, 'utf8').catch((error) => {
            throw new Error(`${what} was not written: ${(0,errors/* errorMessage */.g)(error)}`);
        });
        if (!isCycloneDxJson(text))
            return { ok: false, message: `${what} is not a CycloneDX JSON document` };
        return { ok: true, file: options.outputFile };
    }
    catch (error) {
        return { ok: false, message: (0,errors/* errorMessage */.g)(error) };
    }
    finally {
        await (0,promises_.rm)(cwd, { recursive: true, force: true });
    }
}

;// CONCATENATED MODULE: ./src/scan/scanned-platforms.ts


/**
 * The platforms whose JSON report was written, with that report; with `sbom`, each also gets its
 * CycloneDX SBOM from the same per-platform layout, while that layout still exists.
 */
async function scannedPlatforms(runs, layouts, trivyVersion, sbom, sbomOptions) {
    const scanned = [];
    for (const run of runs) {
        const layout = layouts.find((entry) => entry.manifestDigest === run.manifestDigest);
        if (!run.json.outcome.ok || run.json.report === undefined || layout === undefined)
            continue;
        const { platform, manifestDigest, startedOn, finishedOn } = run;
        const facts = {
            platform,
            manifestDigest,
            report: run.json.report,
            parameters: run.json.args,
            startedOn,
            finishedOn,
            trivyVersion,
        };
        if (sbom) {
            facts.sbom = await writeSbom({
                ...sbomOptions,
                platform,
                layoutDir: layout.dir,
                outputFile: external_node_path_default().join(sbomOptions.reportDir, `${external_node_path_default().basename(layout.dir)}.cdx.json`),
            });
        }
        scanned.push(facts);
    }
    return scanned;
}

;// CONCATENATED MODULE: ./src/scan/trivy-install.ts




/**
 * Trivy's GitHub release as runner/release-tool.ts installs it: which archive, which checksums
 * file, how an installed trivy says its version (which release: trivy-version.ts).
 */
const DEFAULT_TRIVY_DOWNLOAD_BASE = 'https://github.com/aquasecurity/trivy/releases/download';
const TRIVY_MACHINE_NAMES = { linux: 'Linux', darwin: 'macOS', x64: '64bit', arm64: 'ARM64' };
/**
 * The release archive for this machine, as goreleaser.yml (`archives.name_template`) names it:
 * `trivy_0.74.0_Linux-64bit.tar.gz`, `trivy_0.74.0_Linux-ARM64.tar.gz`, `trivy_0.74.0_macOS-ARM64.tar.gz`.
 */
function trivyAssetName(version, platform = process.platform, arch = process.arch) {
    const machine = releaseMachine('Trivy', TRIVY_MACHINE_NAMES, platform, arch);
    return `trivy_${version}_${machine.os}-${machine.arch}.tar.gz`;
}
/** goreleaser's default checksums file: `trivy_<version>_checksums.txt`, lines `<sha256>  <file name>`. */
function trivyChecksumsName(version) {
    return `trivy_${version}_checksums.txt`;
}
function trivyReleaseUrls(version, asset, baseUrl = DEFAULT_TRIVY_DOWNLOAD_BASE) {
    const release = `${baseUrl.replace(/\/+$/, '')}/v${version}`;
    return { archive: `${release}/${asset}`, checksums: `${release}/${trivyChecksumsName(version)}` };
}
/**
 * The version in `trivy --version` output. Trivy prints `Version: <v>` on the first line
 * (types.VersionInfo.String in pkg/types/version.go), then the DB metadata when a DB is cached:
 *
 *   Version: 0.74.0
 *   Vulnerability DB:
 *     Version: 2
 *     UpdatedAt: 2023-07-20 12:11:37.696263932 +0000 UTC
 *
 * Only the top-level line counts: the indented `Version: 2` lines are DB schema versions.
 */
function parseTrivyVersionOutput(text) {
    for (const line of text.split(/\r?\n/)) {
        const match = /^Version:\s*v?(\S+)\s*$/.exec(line);
        if (match?.[1] !== undefined)
            return semver_default().valid(match[1]) ?? undefined;
    }
    return undefined;
}
/** A `trivy` of exactly `version`: on PATH, in the tool cache, or the release archive, checked first. */
async function installTrivy(options) {
    const { version } = options;
    const asset = trivyAssetName(version);
    const urls = trivyReleaseUrls(version, asset, options.baseUrl);
    const tool = {
        executable: 'trivy',
        label: 'trivy',
        version,
        asset: { name: asset, url: urls.archive, packing: 'tar.gz' },
        checksums: { name: trivyChecksumsName(version), url: urls.checksums },
        reportedVersion: async (binary) => parseTrivyVersionOutput(await (0,runner_tool/* versionOutput */.uF)(binary, ['--version'])),
    };
    const searchDirs = options.ignorePath
        ? []
        : (options.searchPath ?? process.env.PATH ?? '').split((external_node_path_default()).delimiter);
    return installReleaseTool(tool, searchDirs, options.log ?? (() => undefined));
}

;// CONCATENATED MODULE: ./src/scan/trivy-scanner.ts





/**
 * Trivy: installed (trivy-install.ts) while its DB is restored from the Actions cache, both before
 * any image exists; then one JSON (and SARIF) run per platform, and the DB saved to the cache.
 */
function trivyScanner(options = {}) {
    return {
        async prepare({ inputs, now, runnerTemp, env, log }) {
            const restoreDir = trivyCacheDir({ RUNNER_TEMP: runnerTemp });
            // Neither needs the other; the restore never rejects (a cache that fails is logged).
            const restoring = restoreTrivyDb(restoreDir, now, log);
            const trivy = await installTrivy({
                searchPath: env.PATH ?? '',
                ...options.install,
                version: inputs.trivyVersion,
                log,
            });
            const restore = await restoring;
            const cacheDir = trivyScanCacheDir(restoreDir, restore);
            return {
                async scan(layouts, { inputs, workDir, vexFiles, now, env, log, sbom }) {
                    log(`Scanning ${layouts.map((layout) => layout.platform).join(', ')} with trivy ${trivy.version}`);
                    const { scans, runs } = await scanPlatforms(layouts, {
                        trivy: trivy.binary,
                        reportDir: external_node_path_default().join(workDir, 'reports'),
                        sarif: inputs.sarif !== undefined,
                        scanners: inputs.scanners,
                        cacheDir,
                        timeoutSeconds: inputs.timeoutSeconds,
                        env,
                        dbRepositories: inputs.dbRepositories,
                        vexFiles,
                        ...(options.killAfterSeconds === undefined ? {} : { killAfterSeconds: options.killAfterSeconds }),
                    });
                    for (const run of runs)
                        log(`trivy ${run.json.args.join(' ')}`);
                    const platforms = await scannedPlatforms(runs, layouts, trivy.version, sbom, {
                        trivy: trivy.binary,
                        cacheDir,
                        timeoutSeconds: inputs.timeoutSeconds,
                        env,
                        reportDir: external_node_path_default().join(workDir, 'reports'),
                    });
                    if (Object.values(scans).some((scan) => scan.ok))
                        await saveTrivyDb(cacheDir, now, restore, log);
                    const sarif = Object.fromEntries(runs.flatMap((run) => (run.sarif ? [[run.platform, run.sarif]] : [])));
                    return { label: `Trivy ${trivy.version}`, scans, sarif, readable: {}, platforms };
                },
            };
        },
    };
}

;// CONCATENATED MODULE: ./src/scan/preparation.ts


/**
 * Starts making the scanner the inputs name ready (installed, Trivy's DB restored), which needs
 * no image: started with the build, it runs while the image builds. Its log lines and its
 * failure wait for the scan stage (`scanBuiltImage`). None for `scanner: none`.
 */
function prepareScanner(inputs, options) {
    if (inputs.scanner === 'none')
        return undefined;
    return startPreparation((log) => scannerFor(inputs, options).prepare({
        inputs,
        now: options.now,
        runnerTemp: options.runnerTemp,
        env: options.env ?? process.env,
        log,
    }));
}
/**
 * Starts `prepare` now, holding its log lines: printed during the build they would land inside the
 * build's log group. Its failure waits for the scan stage too, and is never reported when no scan
 * stage comes (a failed build): it is handled here, so it is never an unhandled rejection.
 */
function startPreparation(prepare) {
    const held = [];
    let emit = (message) => {
        held.push(message);
    };
    // Through a promise, so that a preparation that throws at once fails as one that rejects does.
    const prepared = Promise.resolve().then(() => prepare((message) => emit(message)));
    prepared.catch(() => undefined);
    return {
        ready(log) {
            for (const message of held.splice(0))
                log(message);
            emit = log;
            return prepared;
        },
    };
}
function scannerFor(inputs, options) {
    if (inputs.scanner === 'trivy') {
        return trivyScanner({
            ...(options.install ? { install: options.install } : {}),
            ...(options.killAfterSeconds === undefined ? {} : { killAfterSeconds: options.killAfterSeconds }),
        });
    }
    if (options.scout === undefined)
        throw new Error("docker scout needs the docker CLI and the step's docker config");
    return scoutScanner(options.scout);
}

// EXTERNAL MODULE: external "node:zlib"
var external_node_zlib_ = __webpack_require__(8522);
;// CONCATENATED MODULE: ./src/scan/gate.ts

/**
 * Decides whether the scanned platforms may be pushed. Keys of `scans` are platforms
 * (`linux/arm64`); a ScanError for any of them makes the verdict `error`, never `passed`.
 */
function evaluateGate(scans, options) {
    const platforms = Object.keys(scans);
    if (platforms.length === 0)
        throw new Error('The scan gate was given no platform to judge');
    const dispose = findingDisposition(options);
    const perPlatform = {};
    for (const platform of platforms)
        perPlatform[platform] = judgePlatform(scans[platform], dispose);
    const verdicts = Object.values(perPlatform);
    const result = verdicts.some((verdict) => verdict.result === 'error')
        ? 'error'
        : verdicts.some((verdict) => verdict.result === 'failed')
            ? 'failed'
            : 'passed';
    return {
        result,
        perPlatform,
        blocking: mergeBlocking(perPlatform),
        expiredIgnores: (options.ignore ?? []).filter((entry) => isExpired(entry, options.now)),
    };
}
/**
 * The rule applied to each finding, shared with the code-scanning SARIF filter so both agree.
 * An ignore entry matches the finding ID exactly, as in Trivy.
 */
function findingDisposition(options) {
    const severities = new Set(options.severities ?? severity/* DEFAULT_BLOCKING_SEVERITIES */.ki);
    if (severities.size === 0)
        throw new RangeError('The scan gate needs at least one blocking severity');
    const ignored = new Set((options.ignore ?? []).filter((entry) => !isExpired(entry, options.now)).map((entry) => entry.id));
    return (finding) => {
        if (ignored.has(finding.id))
            return 'ignored';
        if (options.ignoreUnfixed && isUnfixed(finding))
            return 'unfixed';
        return severities.has(finding.severity) ? 'blocking' : 'reported';
    };
}
/**
 * Trivy's `--ignore-unfixed` waives every vulnerability whose Status is not `fixed`. Reports
 * without a status (SARIF, Trivy before statuses existed) fall back on whether a fixed version is named. Secrets and misconfigurations have no fix
 * version, and Trivy never waives them this way.
 */
function isUnfixed(finding) {
    if (finding.kind !== 'vulnerability')
        return false;
    return finding.status !== undefined ? finding.status !== 'fixed' : finding.fixedVersion === undefined;
}
/** Trivy's rule: an entry expires when its date is before now (`ExpiredAt.Before(now)`). */
function isExpired(entry, now) {
    return entry.expiresAt !== undefined && entry.expiresAt.getTime() < now.getTime();
}
function judgePlatform(scan, dispose) {
    if (scan === undefined)
        return { result: 'error', message: 'no scan result' };
    if (!scan.ok)
        return { result: 'error', message: scan.message };
    const kept = [];
    const blocking = [];
    const waived = { ignored: 0, unfixed: 0 };
    for (const finding of scan.findings) {
        const disposition = dispose(finding);
        if (disposition === 'ignored' || disposition === 'unfixed') {
            waived[disposition] += 1;
            continue;
        }
        kept.push(finding);
        if (disposition === 'blocking')
            blocking.push(finding);
    }
    blocking.sort(worstFirst);
    return {
        result: blocking.length > 0 ? 'failed' : 'passed',
        counts: (0,severity/* countBySeverity */.Ot)(kept),
        blocking,
        waived,
    };
}
/** The same package finding on several platforms is one line of the summary, naming them all. */
function mergeBlocking(perPlatform) {
    const merged = new Map();
    for (const [platform, verdict] of Object.entries(perPlatform)) {
        if (verdict.result === 'error')
            continue;
        for (const finding of verdict.blocking) {
            const key = JSON.stringify([
                finding.kind,
                finding.id,
                finding.package,
                finding.installedVersion,
                finding.fixedVersion,
            ]);
            const existing = merged.get(key);
            if (existing === undefined)
                merged.set(key, { ...finding, platforms: [platform] });
            else if (!existing.platforms.includes(platform))
                existing.platforms.push(platform);
        }
    }
    return [...merged.values()].sort(worstFirst);
}
function worstFirst(a, b) {
    return ((0,severity/* severityRank */.qs)(a.severity) - (0,severity/* severityRank */.qs)(b.severity) ||
        Number(a.fixedVersion === undefined) - Number(b.fixedVersion === undefined) ||
        compare(a.id, b.id) ||
        compare(a.package ?? '', b.package ?? ''));
}
function compare(a, b) {
    return a < b ? -1 : a > b ? 1 : 0;
}

;// CONCATENATED MODULE: ./src/scan/code-scanning.ts





/**
 * GitHub rejects files beyond these (hard limits, "SARIF results exceed hard limit" in
 * https://docs.github.com/en/code-security/code-scanning/troubleshooting-sarif-uploads/results-exceed-limit):
 * 20 runs per file, 25,000 results per run (also 25,000 rules per run, which pruning rules to those
 * of the kept results already guarantees). Files are limited to 10 MB gzip-compressed
 * (https://docs.github.com/en/code-security/code-scanning/troubleshooting-sarif-uploads/file-too-large);
 * we count 10 MB as 10,000,000 bytes, the stricter reading.
 */
const GITHUB_SARIF_LIMITS = {
    runsPerFile: 20,
    resultsPerRun: 25_000,
    gzipBytes: 10_000_000,
};
/**
 * Merges the scanner's SARIF (Trivy's or Docker Scout's) for each platform (keys: `linux/arm64`, …) into one log for GitHub code
 * scanning. Only results the gate would block on are kept (same severities, ignores and
 * ignore-unfixed; trivy-action uploads every severity instead), and rules no kept result uses are
 * dropped, with result rule indexes renumbered. Each platform becomes one run with its own
 * `automationDetails.id`: GitHub no longer accepts several runs of one tool and category in an
 * upload (changelog 2024-05-06, "code scanning will stop combining runs from a single upload").
 * A run left with no results is kept: uploading it closes the platform's alerts that are now fixed.
 * Beyond the limits, each run loses its least severe results first (every run in the same proportion
 * when the file is too large); platforms beyond the run limit are left out whole.
 * Throws when a platform's SARIF cannot be read (the gate, reading the JSON, has the verdict).
 */
function codeScanningSarif(sarifByPlatform, options) {
    const limits = options.limits ?? GITHUB_SARIF_LIMITS;
    const category = options.category ?? 'build-scan-push';
    const dispose = findingDisposition(options);
    const warnings = [];
    const platforms = Object.keys(sarifByPlatform);
    if (platforms.length > limits.runsPerFile) {
        warnings.push(`Code scanning takes at most ${limits.runsPerFile} runs per file; platforms left out: ` +
            platforms.slice(limits.runsPerFile).join(', '));
    }
    const runs = platforms.slice(0, limits.runsPerFile).map((platform) => {
        const view = singleRun(sarifByPlatform[platform] ?? '', platform);
        const blocking = view.entries
            .flatMap((entry) => entry.finding !== undefined && dispose(entry.finding) === 'blocking'
            ? [{ entry, rank: (0,severity/* severityRank */.qs)(entry.finding.severity) }]
            : [])
            .sort((a, b) => a.rank - b.rank)
            .map(({ entry }) => entry);
        return { platform, view, blocking, keep: Math.min(blocking.length, limits.resultsPerRun) };
    });
    const assemble = () => ({
        version: '2.1.0',
        $schema: SARIF_SCHEMA,
        runs: runs.map((run) => filteredRun(run.view, run.blocking.slice(0, run.keep), `${category}/${run.platform}/`)),
    });
    let sarif = assemble();
    let size = (0,external_node_zlib_.gzipSync)(JSON.stringify(sarif)).length;
    let shrunk = false;
    while (size > limits.gzipBytes) {
        if (runs.every((run) => run.keep === 0)) {
            throw new Error(`The SARIF file is ${size} bytes gzip-compressed with no results at all, over ${limits.gzipBytes}`);
        }
        // Shrink every run in proportion, with a margin, until the compressed file fits.
        const ratio = (limits.gzipBytes / size) * 0.9;
        for (const run of runs)
            run.keep = Math.floor(run.keep * ratio);
        shrunk = true;
        sarif = assemble();
        size = (0,external_node_zlib_.gzipSync)(JSON.stringify(sarif)).length;
    }
    for (const run of runs) {
        if (run.keep === run.blocking.length)
            continue;
        const reasons = [
            ...(run.blocking.length > limits.resultsPerRun
                ? [`at most ${limits.resultsPerRun} results per run`]
                : []),
            ...(shrunk ? [`at most ${limits.gzipBytes} bytes per file, gzip-compressed`] : []),
        ];
        warnings.push(`${run.platform}: ${run.blocking.length - run.keep} of ${run.blocking.length} results left out of the ` +
            `code-scanning SARIF (GitHub takes ${reasons.join(' and ')}); the most severe were kept`);
    }
    return { sarif, warnings };
}
const SARIF_SCHEMA = 'https://raw.githubusercontent.com/oasis-tcs/sarif-spec/main/sarif-2.1/schema/sarif-schema-2.1.0.json';
function singleRun(text, platform) {
    let runs;
    try {
        runs = readSarif(text);
    }
    catch (error) {
        if (error instanceof MalformedReport)
            throw new Error(`SARIF report for ${platform} cannot be read: ${error.message}`, { cause: error });
        throw error;
    }
    const [run] = runs;
    if (run === undefined || runs.length !== 1) {
        throw new Error(`SARIF report for ${platform} has ${runs.length} runs; a scanner writes exactly one per platform`);
    }
    return run;
}
/** Keeps the rules the kept results use, renumbering `ruleIndex` (and `rule.index`) to match. */
function filteredRun(view, kept, automationId) {
    const used = new Set(kept.flatMap((entry) => (entry.rule ? [entry.rule] : [])));
    const rules = view.rules.filter((rule) => used.has(rule));
    const newIndex = new Map(rules.map((rule, index) => [rule, index]));
    const results = kept.map(({ result, rule }) => {
        const index = rule === undefined ? undefined : newIndex.get(rule);
        if (index === undefined)
            return result;
        const renumbered = { ...result };
        if (result.ruleIndex !== undefined)
            renumbered.ruleIndex = index;
        if (typeof result.rule === 'object' && result.rule !== null && 'index' in result.rule) {
            renumbered.rule = { ...result.rule, index };
        }
        return renumbered;
    });
    const tool = view.run.tool;
    return {
        ...view.run,
        tool: { ...tool, driver: { ...tool.driver, rules } },
        results,
        automationDetails: { id: automationId },
    };
}

;// CONCATENATED MODULE: ./src/scan/platform-layouts.ts




/**
 * One single-platform OCI layout per platform of the built layout, for `trivy image --input`.
 *
 * Why: Trivy opens an `--input` directory with go-containerregistry's layout package and, when
 * index.json points at an index, descends into it and takes the FIRST manifest, whatever
 * `--platform` says (pkg/fanal/image/oci.go, getOCIImage, v0.74.0); it does not read OCI tarballs
 * as layouts either. So each platform gets a directory whose index.json names only its manifest.
 *
 * No blob is copied. Each blob the platform needs (manifest, config, layers) is a HARD LINK to
 * the original blob: a regular file sharing the original's inode, so no data is written.
 * Hard links rather than symlinks, because Trivy 0.74.0 uses go-containerregistry v0.21.9, which
 * since #2306 ("Reject symlinks in OCI layout blobs", v0.21.7) refuses a blob file that is a
 * symlink (os.Lstat on blobs/<alg>/<hex>). A symlinked `blobs` DIRECTORY still passes that check
 * (only the last path component is lstat'ed), but it is the kind of escape from the layout root
 * that such hardening targets next; a hard link is a plain file to every reader.
 * Hard links fail across file systems (EXDEV) and on some (EPERM); then, in `auto` mode, the
 * platform's `blobs` becomes one symlink to the original `blobs` directory (absolute path), which
 * skopeo and Trivy 0.74.0 read. Put `outDir` beside the layout to stay on one file system.
 * Either way the scanner only reads: the original blobs, the bytes to be pushed, are untouched.
 */
const REF_NAME = 'org.opencontainers.image.ref.name';
const OCI_LAYOUT_FILE = JSON.stringify({ imageLayoutVersion: '1.0.0' });
/** The index.json of a layout holding just this platform's image manifest. */
function platformLayoutIndex(entry) {
    const { mediaType, digest, size, platform, annotations } = entry.descriptor;
    const descriptor = { mediaType, digest, size };
    if (platform !== undefined)
        descriptor.platform = platform;
    else {
        const [os, architecture, variant] = entry.platform.split('/');
        descriptor.platform = { os, architecture, ...(variant ? { variant } : {}) };
    }
    // The descriptor's annotations describe that manifest and are kept, except a ref.name tag (a
    // single-platform build's index.json entry has one): it names the built image, not this layout.
    const kept = Object.entries(annotations ?? {}).filter(([key]) => key !== REF_NAME);
    if (kept.length > 0)
        descriptor.annotations = Object.fromEntries(kept);
    return { schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: [descriptor] };
}
/** The blobs one platform's image consists of: its manifest, its config and its layers, in that order. */
function platformBlobDigests(manifestDigest, manifest) {
    const object = (manifest ?? {});
    const digests = [
        object.config?.digest,
        ...(Array.isArray(object.layers) ? object.layers : []).map((l) => l?.digest),
    ];
    if (digests.some((digest) => typeof digest !== 'string')) {
        throw new Error(`OCI layout: manifest ${manifestDigest} lacks a config or layer digest`);
    }
    return [...new Set([manifestDigest, ...digests])];
}
/** A directory name for a platform: `linux-arm64-v8`. Never `:` or `@`, which Trivy's --input splits on. */
function platformDirName(platform) {
    return platform.replace(/[^A-Za-z0-9._-]+/g, '-');
}
/** Reads the layout's index.json and blobs, as readOciImage wants them. */
async function readLayout(layoutDir) {
    const indexJson = JSON.parse(await (0,promises_.readFile)(external_node_path_default().join(layoutDir, 'index.json'), 'utf8'));
    return readOciImage(indexJson, (digest) => (0,external_node_fs_.readFileSync)(external_node_path_default().join(layoutDir, blobPath(digest))));
}
const NO_HARD_LINK = new Set(['EXDEV', 'EPERM', 'EMLINK', 'ENOTSUP', 'EOPNOTSUPP']);
/**
 * Writes `<outDir>/<platform-dir>/{oci-layout,index.json,blobs/…}` for every platform of the
 * layout (attestation manifests are not platforms). `outDir` is emptied first. Every blob of each
 * platform must be in the layout, and its manifest must match its digest.
 */
async function writePlatformLayouts(layoutDir, outDir, options = {}) {
    const image = await readLayout(layoutDir);
    const blobsDir = await (0,promises_.realpath)(external_node_path_default().join(layoutDir, 'blobs'));
    const out = external_node_path_default().resolve(outDir);
    if (/[:@]/.test(out)) {
        throw new Error(`per-platform layouts cannot go under ${out}: Trivy's --input reads ":" and "@" as a tag`);
    }
    const hardLink = options.hardLink ?? promises_.link;
    const requested = options.linkMode ?? 'auto';
    // Once a hard link has failed (another file system), the remaining platforms go straight to a symlink.
    let hardLinksWork = requested !== 'symlink';
    await (0,promises_.rm)(out, { recursive: true, force: true });
    const layouts = [];
    const used = new Set();
    for (const entry of image.platforms) {
        const digests = await platformBlobs(layoutDir, entry);
        let name = platformDirName(entry.platform);
        for (let n = 2; used.has(name); n++)
            name = `${platformDirName(entry.platform)}-${n}`;
        used.add(name);
        const dir = external_node_path_default().join(out, name);
        await (0,promises_.mkdir)(dir, { recursive: true });
        await (0,promises_.writeFile)(external_node_path_default().join(dir, 'oci-layout'), OCI_LAYOUT_FILE);
        await (0,promises_.writeFile)(external_node_path_default().join(dir, 'index.json'), JSON.stringify(platformLayoutIndex(entry)));
        let linkMode = 'symlink';
        if (hardLinksWork) {
            try {
                for (const digest of digests) {
                    const target = external_node_path_default().join(dir, blobPath(digest));
                    await (0,promises_.mkdir)(external_node_path_default().dirname(target), { recursive: true });
                    await hardLink(external_node_path_default().join(blobsDir, blobPath(digest).slice('blobs/'.length)), target);
                }
                linkMode = 'hardlink';
            }
            catch (error) {
                const code = error.code ?? '';
                if (requested === 'hardlink' || !NO_HARD_LINK.has(code))
                    throw error;
                await (0,promises_.rm)(external_node_path_default().join(dir, 'blobs'), { recursive: true, force: true });
                hardLinksWork = false;
            }
        }
        if (linkMode === 'symlink')
            await (0,promises_.symlink)(blobsDir, external_node_path_default().join(dir, 'blobs'), 'dir');
        layouts.push({ platform: entry.platform, manifestDigest: entry.descriptor.digest, dir, linkMode });
    }
    return layouts;
}
// The platform's blob digests, after checking its manifest against its digest and that every blob is there.
async function platformBlobs(layoutDir, entry) {
    const { digest } = entry.descriptor;
    const bytes = await (0,promises_.readFile)(external_node_path_default().join(layoutDir, blobPath(digest))).catch(() => {
        throw new Error(`OCI layout: the manifest ${digest} of ${entry.platform} is not in ${layoutDir}`);
    });
    if (digestAs(digest, bytes) !== digest)
        throw new Error(`OCI layout: blob ${digest} does not match its digest`);
    const digests = platformBlobDigests(digest, JSON.parse(bytes.toString('utf8')));
    for (const blob of digests) {
        const found = await (0,promises_.stat)(external_node_path_default().join(layoutDir, blobPath(blob))).catch(() => undefined);
        if (!found?.isFile()) {
            throw new Error(`OCI layout: blob ${blob} of ${entry.platform} is not in ${layoutDir}; nothing to scan`);
        }
    }
    return digests;
}

;// CONCATENATED MODULE: ./src/scan/summary.ts

/**
 * Whether the scanned image may be pushed. `failed` blocks unless `scan-fail` is false;
 * `error` always blocks: an image that could not be scanned is never pushed, whatever `scan-fail` says.
 */
function scanAllowsPush(result, scanFail) {
    if (result === 'passed' || result === 'skipped')
        return true;
    if (result === 'failed')
        return !scanFail;
    return false;
}
function vulnerabilityCounts(verdict) {
    return Object.fromEntries(Object.entries(verdict.perPlatform).map(([platform, judged]) => [
        platform,
        judged.result === 'error' ? null : judged.counts,
    ]));
}
const HEADINGS = {
    passed: '✅ passed',
    failed: '❌ failed',
    error: '⚠️ error',
    skipped: '⏭️ skipped',
};
/** The scan's section of the job summary, as Markdown. Pure: the same input gives the same text. */
function renderScanSummary(input) {
    const lines = [`### Vulnerability scan: ${HEADINGS[input.result]}`, ''];
    if (input.result === 'skipped') {
        lines.push('No scan: the `scanner` input is `none`.');
        return lines.join('\n') + '\n';
    }
    lines.push(settingsLine(input), '', consequence(input.result, input.inputs.scanFail), '');
    if (input.verdict !== undefined)
        lines.push(...platformTable(input.verdict), '');
    const errors = errorMessages(input);
    if (errors.length > 0)
        lines.push('#### Why the scan could not be judged', '', errors.join('\n\n'), '');
    if (input.verdict !== undefined && input.verdict.blocking.length > 0) {
        lines.push(...blockingTable(input.verdict, input.maxFindings ?? 20), '');
    }
    const notes = [
        ...(input.verdict?.expiredIgnores ?? []).map((entry) => `Ignore entry ${code(entry.id)}${entry.line === undefined ? '' : ` (line ${entry.line})`} expired on ` +
            `${entry.expiresAt?.toISOString().slice(0, 10) ?? '?'} and waives nothing any more`),
        ...(input.warnings ?? []),
    ];
    if (notes.length > 0)
        lines.push('#### Notes', '', ...notes.map((note) => `- ${oneLine(note)}`), '');
    for (const [platform, report] of Object.entries(input.readable ?? {})) {
        lines.push(...readableReport(platform, report), '');
    }
    return lines.join('\n').replace(/\n+$/, '\n');
}
function settingsLine(input) {
    const { severities, ignoreUnfixed, trivyignores, vex } = input.inputs;
    const parts = [
        input.scannerLabel ?? 'Trivy',
        `blocking severities: ${severities.join(', ')}`,
        `ignore-unfixed: ${ignoreUnfixed ? 'on' : 'off'}`,
        ...(trivyignores.length > 0 ? [`ignore files: ${trivyignores.map(code).join(', ')}`] : []),
        // Trivy drops what these waive before the gate sees it: the counts cannot show it, this line does.
        ...(vex.length > 0 ? [`VEX applied by Trivy: ${vex.map(code).join(', ')}`] : []),
    ];
    return parts.join(' · ');
}
function consequence(result, scanFail) {
    if (result === 'passed')
        return 'No finding blocks the push.';
    if (result === 'error') {
        return '**Nothing is pushed**: at least one platform could not be scanned, and an image that was not scanned is never pushed.';
    }
    return scanFail
        ? '**Nothing is pushed**: blocking findings below.'
        : '**The push is not blocked** (`scan-fail: false`): the blocking findings below are reported only.';
}
function platformTable(verdict) {
    const header = `| Platform | Result | ${severity/* SEVERITIES */.oC.map(title).join(' | ')} | Waived |`;
    const rule = `| --- | --- | ${severity/* SEVERITIES */.oC.map(() => '---:').join(' | ')} | ---: |`;
    const rows = Object.entries(verdict.perPlatform).map(([platform, judged]) => platformRow(platform, judged));
    return [header, rule, ...rows];
}
function platformRow(platform, judged) {
    if (judged.result === 'error') {
        return `| ${cell(platform)} | ${HEADINGS.error} | ${severity/* SEVERITIES */.oC.map(() => '–').join(' | ')} | – |`;
    }
    const waived = judged.waived.ignored + judged.waived.unfixed;
    return `| ${cell(platform)} | ${HEADINGS[judged.result]} | ${severity/* SEVERITIES */.oC.map((s) => judged.counts[s]).join(' | ')} | ${waived} |`;
}
function blockingTable(verdict, max) {
    const shown = verdict.blocking.slice(0, max);
    const rest = verdict.blocking.length - shown.length;
    return [
        `#### Blocking findings${rest > 0 ? ` (the ${shown.length} worst of ${verdict.blocking.length})` : ''}`,
        '',
        '| Severity | ID | Package | Installed | Fixed in | Platforms |',
        '| --- | --- | --- | --- | --- | --- |',
        ...shown.map((finding) => `| ${finding.severity} | ${cell(code(finding.id))} | ${cell(finding.package ?? finding.target)} | ` +
            `${cell(finding.installedVersion ?? '')} | ${cell(finding.fixedVersion ?? 'no fix yet')} | ` +
            `${cell(finding.platforms.join(', '))} |`),
    ];
}
/** GitHub takes 1 MiB of summary per step; one platform's report gets at most this much of it. */
const READABLE_REPORT_LIMIT = 64 * 1024;
/**
 * The scanner's report, collapsed, as a code block: its HTML and any `::` line stay text (the
 * vulnerability descriptions in it come from public databases), and the fence is longer than any
 * run of backticks inside, so the report cannot close it.
 */
function readableReport(platform, report) {
    const cut = report.length > READABLE_REPORT_LIMIT;
    const text = cut ? report.slice(0, READABLE_REPORT_LIMIT) : report;
    const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((match) => match[0].length));
    const fence = '`'.repeat(Math.max(3, longest + 1));
    return [
        `<details><summary>Scanner report for ${escapeHtml(platform)}${cut ? ' (cut at 64 KiB)' : ''}</summary>`,
        '',
        `${fence}markdown`,
        text.replace(/\n+$/, ''),
        fence,
        '',
        '</details>',
    ];
}
function escapeHtml(text) {
    return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c);
}
function errorMessages(input) {
    const messages = Object.entries(input.verdict?.perPlatform ?? {}).flatMap(([platform, judged]) => judged.result === 'error' ? [`**${platform}**: ${judged.message}`] : []);
    if (input.error !== undefined)
        messages.unshift(input.error);
    return messages.map((message) => fenced(message));
}
/** A message that may span lines (a stderr tail), as a quoted block that Markdown cannot break out of. */
function fenced(message) {
    return message
        .split('\n')
        .map((line) => `> ${line.replace(/[<>]/g, (c) => (c === '<' ? '&lt;' : '&gt;'))}`)
        .join('\n');
}
function title(severity) {
    return severity.charAt(0) + severity.slice(1).toLowerCase();
}
function cell(text) {
    return oneLine(text).replace(/\|/g, '\\|');
}
function code(text) {
    return `\`${text.replace(/`/g, "'")}\``;
}
function oneLine(text) {
    return text.replace(/\s*\n\s*/g, ' ');
}

;// CONCATENATED MODULE: ./src/scan/stage.ts









/**
 * Scans every platform of the built OCI layout at `layoutDir` and judges the findings with the
 * gate, with the ignore and VEX files `readScanFiles` read before the build, and the scanner
 * `prepareScanner` started with the build (or now, when none was started). Never pushes anything: the
 * caller pushes only when `pushAllowed`. Any failure of the stage (install, layout, scan) is a
 * result of `error`, which never allows the push.
 */
async function scanBuiltImage(layoutDir, inputs, files, options, preparation = prepareScanner(inputs, options)) {
    // prepareScanner starts none for `scanner: none`.
    if (preparation === undefined) {
        const summaryMarkdown = renderScanSummary({ result: 'skipped', inputs });
        return { result: 'skipped', pushAllowed: true, vulnerabilities: {}, summaryMarkdown, warnings: [] };
    }
    const workspace = options.workspace ?? process.cwd();
    const { ignores, vexFiles } = files;
    const warnings = [...ignores.warnings];
    let judged;
    try {
        judged = await scanAndJudge(layoutDir, inputs, preparation, { ignore: ignores.entries, vexFiles }, options);
    }
    catch (error) {
        return stageError(`The scan did not run to the end: ${(0,errors/* errorMessage */.g)(error)}`, inputs, warnings);
    }
    const sarifFile = inputs.sarif === undefined
        ? undefined
        : await writeCodeScanningSarif(judged.scanned, inputs, ignores.entries, options, workspace, warnings);
    return {
        ...judgedOutcome(judged.verdict, inputs, sarifFile, warnings, judged.scanned),
        platforms: judged.scanned.platforms,
    };
}
/** The stage could not judge at all (Trivy not installed, layout unreadable…): never a push. */
function stageError(errorMessage, inputs, warnings) {
    return {
        result: 'error',
        pushAllowed: false,
        vulnerabilities: {},
        summaryMarkdown: renderScanSummary({
            result: 'error',
            inputs,
            error: errorMessage,
            warnings,
            scannerLabel: pinnedScanner(inputs),
        }),
        warnings,
        errorMessage,
    };
}
/** The scanner the inputs ask for, for a summary written before it said its own version. */
function pinnedScanner(inputs) {
    return inputs.scanner === 'scout' ? `Docker Scout ${inputs.scoutVersion}` : `Trivy ${inputs.trivyVersion}`;
}
/** What main.ts gets from a verdict: the push decision, the outputs and the summary. */
function judgedOutcome(verdict, inputs, sarifFile, warnings, scanned) {
    const summaryMarkdown = renderScanSummary({
        result: verdict.result,
        inputs,
        verdict,
        scannerLabel: scanned?.label ?? pinnedScanner(inputs),
        warnings,
        readable: scanned?.readable ?? {},
    });
    // The summary lists expired entries itself; the log gets them as warnings too.
    const expired = verdict.expiredIgnores.map((entry) => `Ignore entry ${entry.id} has expired and no longer waives anything`);
    const errors = Object.entries(verdict.perPlatform).flatMap(([platform, judged]) => judged.result === 'error' ? [`${platform}: ${judged.message}`] : []);
    return {
        result: verdict.result,
        pushAllowed: scanAllowsPush(verdict.result, inputs.scanFail),
        verdict,
        ...(sarifFile === undefined ? {} : { sarifFile }),
        vulnerabilities: vulnerabilityCounts(verdict),
        summaryMarkdown,
        warnings: [...warnings, ...expired],
        ...(errors.length > 0
            ? { errorMessage: `Some platforms could not be scanned:\n${errors.join('\n')}` }
            : {}),
    };
}
/** Split the layout per platform, let the scanner scan each, judge. Throws when a step cannot be done at all. */
async function scanAndJudge(layoutDir, inputs, preparation, { ignore, vexFiles }, options) {
    const ready = preparation.ready(options.log);
    const work = scanWorkDir(layoutDir);
    const platformsDir = external_node_path_default().join(work, 'platforms');
    try {
        const layouts = await writePlatformLayouts(layoutDir, platformsDir);
        if (layouts.length === 0)
            throw new Error(`the OCI layout ${layoutDir} holds no platform image to scan`);
        const scanner = await ready;
        const scanned = await scanner.scan(layouts, {
            inputs,
            workDir: work,
            vexFiles,
            now: options.now,
            runnerTemp: options.runnerTemp,
            env: options.env ?? process.env,
            log: options.log,
            sbom: options.sbom === true,
        });
        const verdict = evaluateGate(scanned.scans, {
            severities: inputs.severities,
            ignoreUnfixed: inputs.ignoreUnfixed,
            ignore,
            now: options.now,
        });
        return { verdict, scanned };
    }
    finally {
        await (0,promises_.rm)(platformsDir, { recursive: true, force: true });
    }
}
/** `<layout>.scan/` beside the layout dir: same file system, so the per-platform layouts are hard links. */
function scanWorkDir(layoutDir) {
    const resolved = external_node_path_default().resolve(layoutDir);
    return external_node_path_default().join(external_node_path_default().dirname(resolved), `${external_node_path_default().basename(resolved)}.scan`);
}
/**
 * Writes the code-scanning SARIF of the platforms the scanner wrote one for. A SARIF that cannot be
 * produced is a warning, not a scan error: the gate judged the reports it reads (Trivy JSON, Scout Markdown).
 */
async function writeCodeScanningSarif(scanned, inputs, ignore, options, workspace, warnings) {
    const sarifByPlatform = {};
    for (const [platform, run] of Object.entries(scanned.sarif)) {
        if (run.outcome.ok && run.report !== undefined)
            sarifByPlatform[platform] = run.report;
        else if (!run.outcome.ok)
            warnings.push(run.outcome.message);
    }
    if (Object.keys(sarifByPlatform).length === 0) {
        warnings.push('No code-scanning SARIF was written: no platform has a SARIF report');
        return undefined;
    }
    try {
        const merged = codeScanningSarif(sarifByPlatform, {
            severities: inputs.severities,
            ignoreUnfixed: inputs.ignoreUnfixed,
            ignore,
            now: options.now,
            ...(options.sarifCategory ? { category: options.sarifCategory } : {}),
        });
        warnings.push(...merged.warnings);
        // Checked before the build too (checkInputsOnRunner); again here, where the file is written.
        const file = await (0,sarif_destination/* checkSarifDestination */.SS)(inputs.sarif ?? {}, {
            workspace,
            runnerTemp: options.runnerTemp,
        });
        await (0,promises_.mkdir)(external_node_path_default().dirname(file), { recursive: true });
        await (0,promises_.writeFile)(file, JSON.stringify(merged.sarif));
        options.log(`Code-scanning SARIF written to ${file}`);
        return file;
    }
    catch (error) {
        warnings.push(`No code-scanning SARIF was written: ${(0,errors/* errorMessage */.g)(error)}`);
        return undefined;
    }
}
/** Why the gate stopped the push, naming the first blocking findings. */
function gateFailure(scan) {
    const blocking = scan.verdict?.blocking ?? [];
    const findings = blocking
        .slice(0, 5)
        .map((finding) => `${finding.id} (${finding.severity}, ${finding.platforms.join(', ')})`);
    const more = blocking.length > 5 ? ` and ${blocking.length - 5} more` : '';
    return `The scan gate found blocking findings, so nothing was pushed: ${findings.join('; ')}${more}`;
}

;// CONCATENATED MODULE: ./src/scan/ship-scan.ts






/**
 * Starts making the scanner ready, to run while the image builds (ship.ts calls it once buildx has
 * started). Docker
 * Scout runs as `docker scout` with the step's private config (`dockerConfig`), where its plugin is
 * installed; with `sbom`, Trivy also writes each platform's SBOM for its attestation.
 */
function startScan(inputs, scanner) {
    const options = {
        now: new Date(),
        runnerTemp: (0,runner_workspace/* workspaceParent */.o2)(process.env),
        workspace: process.env.GITHUB_WORKSPACE ?? process.cwd(),
        log: (message) => (0,log/* info */.pq)(message),
        scout: { docker: scanner.docker, dockerConfig: scanner.dockerConfig },
        sbom: scanner.sbom,
    };
    return { options, preparation: prepareScanner(inputs, options) };
}
/**
 * Scans every platform of the built layout with the scanner `startScan` started; the preparation's
 * held lines come out first, inside the stage's group. Its outputs are written whatever the verdict.
 */
async function scanLayout(layoutDir, inputs, files, { options, preparation }) {
    const scan = await core/* group */.Os('Scan every platform', () => scanBuiltImage(layoutDir, inputs, files, options, preparation));
    for (const warning of scan.warnings)
        core/* warning */.$e(warning);
    (0,outputs/* writeOutputs */.Kn)((0,outputs/* scanOutputs */.qz)(scan));
    (0,log/* info */.pq)(`Scan: ${scan.result}`);
    return scan;
}

;// CONCATENATED MODULE: ./src/scan/index.ts
// The scan stage's entry: the files read before the build, the scanner made ready while the image
// builds, the scan of every platform and the gate.






// EXTERNAL MODULE: ./src/sign/decide.ts
var decide = __webpack_require__(7697);
;// CONCATENATED MODULE: ./src/sign/argv.ts


/** What cosign calls the predicate types of the two attestations. */
const ATTESTATION_TYPES = { vuln: 'vuln', sbom: 'cyclonedx' };
/** `name@sha256:…`, refusing anything that is not a digest reference. */
function digestReference(name, digest) {
    if (!/^sha(256|512):[0-9a-f]+$/.test(digest))
        throw new Error(`cosign signs digests only, not "${digest}"`);
    if (name.includes('@'))
        throw new Error(`"${name}" is a repository name with a digest already`);
    return `${name}@${digest}`;
}
function cosignSignArgv(reference, signer, access) {
    return [
        'sign',
        ...signerArgs(signer),
        ...registryArgs(reference, access),
        checkedDigestReference(reference),
    ];
}
function cosignAttestArgv(reference, type, predicateFile, signer, access) {
    return [
        'attest',
        ...signerArgs(signer),
        '--type',
        type,
        '--predicate',
        predicateFile,
        ...registryArgs(reference, access),
        checkedDigestReference(reference),
    ];
}
/** `cosign public-key --key FILE`: decrypts the key with COSIGN_PASSWORD and prints its public half. */
function cosignPublicKeyArgv(keyFile) {
    return ['public-key', '--key', keyFile];
}
function cosignVersionArgv() {
    return ['version', '--json'];
}
/** How the verify commands name the public key: the file a user keeps beside `cosign.key`. */
const PUBLIC_KEY_FILE = 'cosign.pub';
/**
 * The exact commands that check what the run signed: `cosign verify` of each pushed digest and
 * `cosign verify-attestation` of each attestation of each platform manifest, one a line.
 */
function verifyCommands(targets, attest, who, accessFor) {
    const commands = [];
    for (const target of targets) {
        const access = accessFor(target.name);
        const reference = digestReference(target.name, target.digest);
        commands.push(shellLine(['cosign', 'verify', ...verifierArgs(who), ...registryArgs(reference, access), reference]));
        for (const platform of target.platforms) {
            const platformReference = digestReference(target.name, platform.digest);
            for (const kind of attest) {
                commands.push(shellLine([
                    'cosign',
                    'verify-attestation',
                    ...verifierArgs(who),
                    '--type',
                    ATTESTATION_TYPES[kind],
                    ...registryArgs(platformReference, access),
                    platformReference,
                ]));
            }
        }
    }
    return commands;
}
function verifierArgs(who) {
    const identity = who.method === 'key'
        ? ['--key', PUBLIC_KEY_FILE]
        : [
            '--certificate-identity',
            who.identity ?? 'https://github.com/OWNER/REPO/.github/workflows/WORKFLOW.yml@REF',
            '--certificate-oidc-issuer',
            decide/* GITHUB_OIDC_ISSUER */.oP,
        ];
    return [...identity, ...(who.transparencyLog ? [] : ['--insecure-ignore-tlog=true'])];
}
// --yes: no prompt (about the public transparency log, or the OIDC consent) can wait on a runner.
function signerArgs(signer) {
    return [
        '--yes',
        ...(signer.keyFile === undefined ? [] : ['--key', signer.keyFile]),
        ...(signer.transparencyLog ? [] : ['--tlog-upload=false']),
    ];
}
/**
 * A loopback registry may speak plain HTTP (the engine falls back to it there, and so did the
 * push); cosign needs `--allow-http-registry` to try it. Nowhere else: as for skopeo, plain HTTP
 * to a remote registry would let anyone on the path swap what is signed. A registry with its own
 * CA gets it through `--registry-cacert`.
 */
function registryArgs(reference, access) {
    const { registry } = (0,image_reference/* parseImageReference */.o_)(reference.slice(0, reference.indexOf('@')));
    return [
        ...((0,image_reference/* isLoopbackHost */.cW)(registry) ? ['--allow-http-registry'] : []),
        ...(access.caFile === undefined ? [] : ['--registry-cacert', access.caFile]),
    ];
}
function checkedDigestReference(reference) {
    const at = reference.indexOf('@');
    if (at < 0)
        throw new Error(`cosign signs digests only, not the tag reference "${reference}"`);
    return digestReference(reference.slice(0, at), reference.slice(at + 1));
}
const SHELL_SAFE = /^[A-Za-z0-9@%+=:,./_-]+$/;
/** Arguments joined for a POSIX shell, single-quoting any that need it. */
function shellLine(args) {
    return args.map((arg) => (SHELL_SAFE.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`)).join(' ');
}

;// CONCATENATED MODULE: ./src/sign/cosign-install.ts




/**
 * cosign's GitHub release as runner/release-tool.ts installs it: the release's binary is checked
 * against the release's checksums file before it is made executable or run. cosign's
 * .goreleaser.yml (v2.6.4) publishes bare binaries (`archives: formats: [binary]`, `name_template:
 * "{{ .Binary }}"`, binary `cosign-linux-{{ .Arch }}`) and one `cosign_checksums.txt`
 * (`{{ .ProjectName }}_checksums.txt`).
 */
const DEFAULT_COSIGN_DOWNLOAD_BASE = 'https://github.com/sigstore/cosign/releases/download';
const COSIGN_CHECKSUMS = 'cosign_checksums.txt';
/** `cosign-linux-amd64`, `cosign-linux-arm64`, `cosign-darwin-arm64`… */
function cosignAssetName(platform = process.platform, arch = process.arch) {
    const machine = releaseMachine('cosign', GO_MACHINE_NAMES, platform, arch);
    return `cosign-${machine.os}-${machine.arch}`;
}
function cosignReleaseUrls(version, asset, baseUrl = DEFAULT_COSIGN_DOWNLOAD_BASE) {
    const release = `${baseUrl.replace(/\/+$/, '')}/v${version}`;
    return { binary: `${release}/${asset}`, checksums: `${release}/${COSIGN_CHECKSUMS}` };
}
/**
 * The version `cosign version --json` reports (`"gitVersion": "v2.6.4"`, from
 * sigs.k8s.io/release-utils). A build without one ("devel", as Debian's package reports) has none.
 */
function parseCosignVersionOutput(text) {
    try {
        const gitVersion = JSON.parse(text)?.gitVersion;
        return typeof gitVersion === 'string'
            ? (semver_default().valid(gitVersion.replace(/^v/, '')) ?? undefined)
            : undefined;
    }
    catch {
        return undefined;
    }
}
/** A `cosign` of exactly `version`: on PATH, in the tool cache, or the release binary, checked first. */
async function installCosign(options) {
    const { version } = options;
    const asset = cosignAssetName();
    const urls = cosignReleaseUrls(version, asset, options.baseUrl);
    const tool = {
        executable: 'cosign',
        label: 'cosign',
        version,
        asset: { name: asset, url: urls.binary, packing: 'binary' },
        checksums: { name: COSIGN_CHECKSUMS, url: urls.checksums },
        reportedVersion: async (binary) => parseCosignVersionOutput(await (0,runner_tool/* versionOutput */.uF)(binary, ['version', '--json'])),
    };
    const searchDirs = (options.searchPath ?? process.env.PATH ?? '').split((external_node_path_default()).delimiter);
    return installReleaseTool(tool, searchDirs, options.log ?? (() => undefined));
}

;// CONCATENATED MODULE: ./src/sign/plan.ts


/**
 * Every cosign call that signs a pushed image, in order: per repository the pushed digest (the
 * index of a multi-platform image), then each platform manifest, then each platform's
 * attestations. A one-platform image's manifest is the pushed digest: signed once.
 */
function signingCalls(repositories, digest, platforms, attest, signer, accessFor) {
    const calls = [];
    for (const repository of [...new Set(repositories)]) {
        const access = accessFor(repository);
        const signed = [digest, ...platforms.map((entry) => entry.digest).filter((entry) => entry !== digest)];
        for (const each of [...new Set(signed)]) {
            const reference = digestReference(repository, each);
            calls.push({ what: `sign ${reference}`, argv: cosignSignArgv(reference, signer, access) });
        }
        for (const platform of platforms) {
            const reference = digestReference(repository, platform.digest);
            for (const kind of attest) {
                const predicate = platform.predicates[kind];
                if (predicate === undefined)
                    throw new Error(`no ${kind} attestation was prepared for ${platform.platform}`);
                const type = ATTESTATION_TYPES[kind];
                calls.push({
                    what: `attest ${type} to ${reference} (${platform.platform})`,
                    argv: cosignAttestArgv(reference, type, predicate, signer, access),
                });
            }
        }
    }
    return calls;
}
/** Where the engine and skopeo look for a registry's own CA; the first that exists is cosign's. */
function caFileCandidates(repository) {
    const { registry } = (0,image_reference/* parseImageReference */.o_)(repository);
    return [`/etc/docker/certs.d/${registry}/ca.crt`, `/etc/containers/certs.d/${registry}/ca.crt`];
}

;// CONCATENATED MODULE: ./src/sign/predicate.ts
/**
 * The predicate of a `cosign attest --type vuln` attestation, as cosign's vulnerability scan
 * record specification defines it (specs/COSIGN_VULN_ATTESTATION_SPEC.md in sigstore/cosign,
 * predicate type https://cosign.sigstore.dev/attestation/vuln/v1): `invocation`, `scanner` (whose
 * `result` embeds the scanner's report whole) and `metadata` with the scan's start and end.
 * Built from the very Trivy JSON report the gate judged for that platform, so a verifier reads
 * what decided the push, not a second scan.
 */
const VULN_PREDICATE_TYPE = 'https://cosign.sigstore.dev/attestation/vuln/v1';
/** The predicate for one platform's report. Throws when the report is not a Trivy JSON object. */
function vulnPredicate(facts) {
    const { report } = facts;
    if (report === null ||
        typeof report !== 'object' ||
        Array.isArray(report) ||
        !('SchemaVersion' in report)) {
        throw new Error('the vulnerability attestation needs a Trivy JSON report (an object with SchemaVersion)');
    }
    return {
        invocation: {
            parameters: [...facts.parameters],
            uri: facts.runUrl,
            event_id: facts.runId,
            'builder.id': 'GitHub Actions',
        },
        scanner: {
            uri: `pkg:github/aquasecurity/trivy@v${facts.trivyVersion}`,
            version: facts.trivyVersion,
            // Trivy's JSON report does not say which DB it used; the spec makes both fields optional.
            db: { uri: '', version: '' },
            result: report,
        },
        metadata: {
            scanStartedOn: facts.startedOn.toISOString(),
            scanFinishedOn: facts.finishedOn.toISOString(),
        },
    };
}

// EXTERNAL MODULE: ./src/sign/inputs.ts
var inputs = __webpack_require__(1292);
// EXTERNAL MODULE: ./src/sign/summary.ts
var summary = __webpack_require__(7705);
;// CONCATENATED MODULE: ./src/sign/index.ts














/** The directory in the step's workspace holding the key and the predicate files. */
const SIGN_DIR = 'cosign';
/**
 * Installs cosign and, for key-based signing, writes `cosign-key` into the step's private
 * directory (0600) and has cosign decrypt it (`cosign public-key`): a wrong key or password fails
 * here, before any login, build or push.
 */
async function prepareSigner(decision, inputs, oidc, workspace) {
    const installed = await installCosign({ version: inputs.cosignVersion, log: (message) => (0,log/* info */.pq)(message) });
    const dir = external_node_path_default().join(workspace.root, SIGN_DIR);
    await (0,promises_.mkdir)(dir, { mode: 0o700, recursive: true });
    const env = { DOCKER_CONFIG: workspace.dockerConfig };
    if (decision.method === 'keyless') {
        if (oidc === undefined)
            throw new Error('Keyless signing needs the job’s OIDC token request, which is gone');
        return {
            cosign: installed.binary,
            decision,
            dir,
            env: { ...env, ACTIONS_ID_TOKEN_REQUEST_URL: oidc.url, ACTIONS_ID_TOKEN_REQUEST_TOKEN: oidc.token },
        };
    }
    const keyFile = external_node_path_default().join(dir, 'cosign.key');
    await (0,promises_.writeFile)(keyFile, inputs.key ?? '', { mode: 0o600, flag: 'wx' });
    const withPassword = { ...env, COSIGN_PASSWORD: inputs.password };
    const result = await (0,runner_tool/* runTool */.qI)(installed.binary, cosignPublicKeyArgv(keyFile), {
        env: withPassword,
        silent: true,
        deadline: (0,timeouts/* deadline */.nl)('probe', 'cosign public-key'),
    });
    if (result.exitCode !== 0 || !result.stdout.includes('PUBLIC KEY')) {
        throw new Error(`Input "cosign-key": cosign could not decrypt the key with "cosign-password" (${(0,runner_tool/* tail */.RT)(result.stderr, 2)})`);
    }
    (0,log/* info */.pq)('cosign-key decrypts; its public key is in the job summary');
    return {
        cosign: installed.binary,
        decision,
        dir,
        env: withPassword,
        keyFile,
        publicKey: result.stdout.trim(),
    };
}
/**
 * Before the push: each platform to attest has its gating report and, when asked for, its SBOM.
 * Throws (so nothing is pushed) when one is missing: an image that cannot be attested as asked is
 * better not pushed than pushed without.
 */
function checkAttestable(signer, platforms, scanned) {
    for (const kind of signer.decision.attest) {
        for (const entry of platforms) {
            const facts = scanned.find((each) => each.manifestDigest === entry.descriptor.digest);
            if (facts === undefined)
                throw new Error(`Cannot attest ${entry.platform}: it has no scan report`);
            if (kind === 'sbom' && facts.sbom?.ok !== true) {
                throw new Error(`Cannot attest an SBOM of ${entry.platform}: ${facts.sbom?.ok === false ? facts.sbom.message : 'none was written'}`);
            }
        }
    }
}
/** A signature or attestation that failed after the push: the image is in the registry, unsigned. */
class SigningFailed extends Error {
    name = 'SigningFailed';
}
/**
 * Signs the pushed digest and each platform manifest in every pushed repository, by digest, and
 * attests each platform's vulnerability report and SBOM. Any failure throws SigningFailed, saying
 * the image is pushed but not (fully) signed.
 */
async function signPushed(signer, pushed, digest, platforms, scanned, run) {
    const repositories = [...new Set(pushed.map((reference) => reference.name))];
    const { decision } = signer;
    const signerArgs = {
        ...(signer.keyFile === undefined ? {} : { keyFile: signer.keyFile }),
        transparencyLog: decision.transparencyLog,
    };
    const done = [];
    try {
        const toSign = await preparePredicates(signer, platforms, scanned, run);
        const calls = signingCalls(repositories, digest, toSign, decision.attest, signerArgs, registryAccess);
        for (const call of calls) {
            const result = await (0,runner_tool/* runTool */.qI)(signer.cosign, call.argv, {
                env: signer.env,
                deadline: (0,timeouts/* deadline */.nl)('sign', `cosign ${call.what}`),
            });
            if (result.exitCode !== 0)
                throw new Error(`cosign ${call.what} failed:\n${(0,runner_tool/* tail */.RT)(result.stderr)}`);
            done.push(call.what);
        }
    }
    catch (error) {
        const partly = done.length > 0 ? ` (${done.length} signatures and attestations were made before)` : '';
        throw new SigningFailed(`The image was pushed but is not signed${partly}: ${(0,errors/* errorMessage */.g)(error)}. ` +
            'Verify policies will reject it until it is signed.');
    }
    const commands = verifyCommands(repositories.map((name) => ({
        name,
        digest,
        platforms: platforms.map((entry) => ({ platform: entry.platform, digest: entry.descriptor.digest })),
    })), decision.attest, {
        method: decision.method,
        transparencyLog: decision.transparencyLog,
        ...(decision.identity ? { identity: decision.identity } : {}),
    }, registryAccess);
    (0,log/* info */.pq)(`Signed ${digest} and ${platforms.length} platform manifests in ${repositories.join(', ')}`);
    return {
        signed: true,
        reason: decision.reason,
        commands,
        transparencyLog: decision.transparencyLog,
        ...(signer.publicKey === undefined ? {} : { publicKey: signer.publicKey }),
    };
}
/** Writes each platform's vuln predicate beside the key; the SBOM is the file the scan wrote. */
async function preparePredicates(signer, platforms, scanned, run) {
    const prepared = [];
    for (const [n, entry] of platforms.entries()) {
        const digest = entry.descriptor.digest;
        const facts = scanned.find((each) => each.manifestDigest === digest);
        const predicates = {};
        if (facts !== undefined && signer.decision.attest.includes('vuln')) {
            const file = external_node_path_default().join(signer.dir, `vuln-${n}.json`);
            const predicate = vulnPredicate({
                ...facts,
                report: JSON.parse(facts.report),
                runUrl: run.url,
                runId: run.id,
            });
            await (0,promises_.writeFile)(file, JSON.stringify(predicate), { mode: 0o600 });
            predicates.vuln = file;
        }
        if (facts?.sbom?.ok === true)
            predicates.sbom = facts.sbom.file;
        prepared.push({ platform: entry.platform, digest, predicates });
    }
    return prepared;
}
function registryAccess(repository) {
    const caFile = caFileCandidates(repository).find((file) => (0,external_node_fs_.existsSync)(file));
    return caFile === undefined ? {} : { caFile };
}

;// CONCATENATED MODULE: ./src/ship.ts















/**
 * The real run, in order, from what preflight.ts checked and decided (the inputs, what they name on
 * the runner, push or not and with which credentials): plan (what the runner offers, which builder,
 * push route and QEMU) with nothing changed yet; then log in, set up QEMU and the builder,
 * build once into an OCI layout, scan every platform of that layout and let the gate decide, and
 * only then load it and push that very layout by digest, then by tag, read every reference back,
 * and sign what was pushed. A `platform` leg stops at the push by digest (signed and attested per
 * platform) and writes its `result`; a `merge` builds nothing and signs the index (`shipMerge`).
 */
async function ship(inputs, context, metadata, checked, shipped = {}) {
    const registries = registryOpener({ mask: core/* setSecret */.Pq, warn: core/* warning */.$e, note: log/* info */.pq });
    try {
        return await shipWith(registries.open, inputs, context, metadata, checked, shipped);
    }
    finally {
        await registries.closeAll();
    }
}
async function shipWith(open, inputs, context, metadata, checked, shipped) {
    // Before the first child: libraries start some (tar, zstd) with process.env itself.
    (0,child_env/* dropActionOnlyVariables */.Fw)(process.env, inputs.build.secretEnvs.map(({ value }) => value));
    shipped.sign = {
        signed: false,
        reason: checked.signing.sign ? 'the run stopped before signing' : checked.signing.reason,
        commands: [],
    };
    (0,outputs/* writeOutputs */.Kn)((0,summary/* signOutputs */.O)(shipped.sign));
    if (checked.merge) {
        return shipMerge(inputs, context, metadata, checked, checked.merge, shipped, {
            prepare: () => prepareWorkspace(checked, inputs),
            openRegistry: (workspace) => open(workspace.authFile),
            // The legs signed and attested their platform manifests; the merge signs the index it made.
            signIndex: (signer, pushed, digest) => signShipped(shipped, () => signPushed(signer, pushed, digest, [], [], (0,github_context/* runOf */.ng)(context))),
        });
    }
    const { plan, workspace, signer } = await planAndLogIn(inputs, context, metadata, checked);
    await (0,qemu/* setUpEmulators */.yn)(plan.docker, plan.emulators, { DOCKER_CONFIG: workspace.dockerConfig });
    const builderName = await (0,build_builder/* setUpBuilder */.Vk)(plan.buildx, plan.builderPlan, workspace.dockerConfig, (name) => core/* saveState */.LZ(post.POST_STATE.builder, name));
    // Stops the blob upload when the build or the gate says no: nothing more goes up for an image that will not ship.
    const stopUpload = new AbortController();
    const pushing = checked.decision.push && metadata.references.length > 0;
    const registry = pushing ? open(workspace.authFile, stopUpload.signal) : undefined;
    const names = [...new Set(metadata.references.map((image) => image.name))];
    const uploader = registry && inputs.blobUpload === 'before-gate'
        ? blobUploader(registry, workspace.layoutDir, names)
        : undefined;
    const stopWatching = uploader
        ? uploadAsWritten(uploader, workspace.layoutDir, stopUpload.signal)
        : undefined;
    const building = build(plan.buildx, { ...inputs.build, builder: builderName, cacheFrom: plan.cache.cacheFrom, cacheTo: plan.cache.cacheTo }, metadata, context, workspace, process.env);
    // Made ready (installed, its DB restored) while the image builds: started once buildx has been
    // (build spawns it before its first wait when there are no secret files to write), so loading
    // the scanner and its cache client never delays the build.
    const scanning = startScan(inputs.scan, {
        docker: plan.docker,
        dockerConfig: workspace.dockerConfig,
        sbom: signer?.decision.attest.includes('sbom') ?? false,
    });
    const built = await building
        .catch((error) => {
        stopUpload.abort();
        throw error;
    })
        .finally(stopWatching);
    (0,log/* info */.pq)(`Built ${built.digest} for ${built.image.platforms.map((entry) => entry.platform).join(', ')}`);
    (0,outputs/* writeOutputs */.Kn)((0,outputs/* buildOutputs */.JZ)(built));
    shipped.build = { digest: built.digest, platforms: built.image.platforms.map((entry) => entry.platform) };
    const target = registry
        ? { registry, layout: { dir: built.layoutDir, content: readLayoutContent(built.layoutDir, built.image) } }
        : undefined;
    const uploaded = target && uploader ? uploadBeforeGate(uploader, target.layout, names, stopUpload) : undefined;
    const scan = await scanLayout(built.layoutDir, inputs.scan, checked.scanFiles, scanning).catch(async (error) => {
        await uploaded?.abandon();
        throw error;
    });
    shipped.scan = scan.summaryMarkdown;
    if (!scan.pushAllowed) {
        await uploaded?.abandon();
        (0,outputs/* writeOutputs */.Kn)((0,outputs/* pushOutputs */.$7)([]));
        shipped.push = {
            push: false,
            reason: `the scan gate stopped it (${scan.result})`,
            pushed: [],
            heldBack: [],
        };
        throw new Error(scan.errorMessage ?? gateFailure(scan));
    }
    if (scan.result === 'failed')
        core/* warning */.$e('Blocking findings were found; pushing anyway, as scan-fail is false');
    if (inputs.load)
        await loadImage(plan.docker, built.layoutDir, workspace.root, metadata.references);
    const leg = (pushed) => {
        if (inputs.stage === 'platform')
            (0,outputs/* writeOutputs */.Kn)({ result: legResultOutput(built, scan, metadata, context, pushed) });
    };
    if (!target) {
        const reason = checked.decision.push ? 'no image reference was computed' : checked.decision.reason;
        (0,outputs/* writeOutputs */.Kn)((0,outputs/* pushOutputs */.$7)([]));
        shipped.push = { push: false, reason, pushed: [], heldBack: [] };
        leg(false);
        return shipped;
    }
    const { layout } = target;
    if (signer)
        checkAttestable(signer, built.image.platforms, scan.platforms ?? []);
    const sign = async (pushed) => {
        if (signer) {
            await signShipped(shipped, () => signPushed(signer, pushed, built.digest, built.image.platforms, scan.platforms ?? [], (0,github_context/* runOf */.ng)(context)));
        }
    };
    if (inputs.stage === 'platform') {
        // A leg: by digest only, into every image; the merge job tags the index.
        const reason = `${checked.decision.reason}; a platform leg: by digest only, the merge tags`;
        const pushed = await pushVerified(target.registry, layout, { references: metadata.references, heldBack: [] }, reason, shipped, { digestOnly: true, uploaded });
        await sign(pushed);
        leg(true);
        return shipped;
    }
    const tags = await planTags(target.registry, inputs.floatingTags, context.ref, metadata.references, plan.readsExistingTags);
    await sign(await pushVerified(target.registry, layout, tags, checked.decision.reason, shipped, { uploaded }));
    return shipped;
}
/**
 * Uploads the layout's blobs into every image's repository while the platforms are scanned
 * (`blob-upload: before-gate`), those the build was seen writing already on their way; no
 * manifest goes up before the gate passes.
 */
function uploadBeforeGate(uploader, layout, names, stop) {
    (0,log/* info */.pq)(`Uploading ${layout.content.blobs.length} blobs to ${names.join(', ')} while the image is scanned`);
    return startBlobUpload(uploader, layout.content.blobs, stop);
}
/** Signs (and attests) what was pushed and read back; a failure leaves `signed` false and says why. */
async function signShipped(shipped, signPushedImage) {
    try {
        shipped.sign = await core/* group */.Os('Sign and attest', signPushedImage);
    }
    catch (error) {
        if (error instanceof SigningFailed) {
            shipped.sign = { signed: false, reason: 'signing failed after the push', commands: [] };
        }
        throw error;
    }
    (0,outputs/* writeOutputs */.Kn)((0,summary/* signOutputs */.O)(shipped.sign));
}
/**
 * The plan, then the workspace and the logins (`prepareWorkspace`), with the credentials checked
 * while the runner is probed (a check writes nothing; the login waits for the plan). Whatever
 * happens, no check is left running: one still asked when the plan fails would keep the step
 * alive until the registry answered.
 */
async function planAndLogIn(inputs, context, metadata, checked) {
    const stop = new AbortController();
    const checks = checkCredentials(checked.login.credentials, { stop: stop.signal });
    try {
        const plan = await planRun(inputs, context, metadata, checked);
        return { plan, ...(await prepareWorkspace(checked, inputs, checks)) };
    }
    finally {
        stop.abort();
    }
}
/**
 * The step's private directory (remembered for the post step first), cosign and its key (checked
 * before any login), then the logins into its isolated docker config: the credentials `checks`
 * passed, written and recorded, so the post step names them when it deletes that config.
 */
async function prepareWorkspace(checked, inputs, checks) {
    const { credentials } = checked.login;
    const registries = credentials.map((credential) => credential.registry);
    const workspace = await (0,runner_workspace/* createWorkspace */.sK)(process.env, registries);
    core/* saveState */.LZ(post.POST_STATE.workspace, workspace.root);
    core/* saveState */.LZ(post.POST_STATE.marker, workspace.marker);
    core/* saveState */.LZ(post.POST_STATE.logout, String(inputs.logout));
    const { signing } = checked;
    const signer = signing.sign ? await prepareSigner(signing, inputs.sign, checked.oidc, workspace) : undefined;
    const loggedIn = await login(checks ?? checkCredentials(credentials), workspace);
    if (loggedIn.length > 0)
        core/* saveState */.LZ(post.POST_STATE.registries, JSON.stringify(loggedIn));
    return { workspace, signer };
}


/***/ })

};

//# sourceMappingURL=184.index.js.map