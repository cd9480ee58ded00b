export const id = 938;
export const ids = [938];
export const modules = {

/***/ 9103:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Jz: () => (/* binding */ optionalBoolean),
/* harmony export */   KD: () => (/* binding */ inputLines),
/* harmony export */   SF: () => (/* binding */ releaseVersion),
/* harmony export */   fi: () => (/* binding */ listEntries),
/* harmony export */   qZ: () => (/* binding */ csvFields),
/* harmony export */   uK: () => (/* binding */ attributes),
/* harmony export */   yG: () => (/* binding */ parseBoolean)
/* harmony export */ });
/* harmony import */ var csv_parse_sync__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(5175);
/* harmony import */ var semver__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(2088);
/* harmony import */ var semver__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(semver__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(8055);



/**
 * The entries of a multi-line input: one per line, blank lines and lines starting with `#`
 * dropped. A `#` later in a line is kept (a label value may contain one).
 */
function inputLines(text) {
    return text
        .split(/\r?\n/)
        .map((line) => line.trim())
        .filter((line) => line !== '' && !line.startsWith('#'));
}
/**
 * The comma-separated fields of one line, with CSV quoting: `type=match,"pattern=\d{1,2}"`
 * keeps the comma inside the quotes. Each field is trimmed.
 */
function csvFields(line, input) {
    let records;
    try {
        records = (0,csv_parse_sync__WEBPACK_IMPORTED_MODULE_0__/* .parse */ .qg)(line, { relaxColumnCount: true, skipEmptyLines: true, trim: true });
    }
    catch (error) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .InputError */ .d(input, `cannot read "${line}": ${csvProblem(error)}`);
    }
    return (records[0] ?? []).filter((field) => field !== '');
}
/** The entries of a list input such as `platforms`: separated by newlines or commas. */
function listEntries(text, input) {
    return inputLines(text).flatMap((line) => csvFields(line, input));
}
/**
 * Splits `key=value` fields at their first `=`; keys are lower-cased. A field with no `=`
 * gets `key` undefined, which callers treat as their positional value.
 */
function attributes(fields) {
    return fields.map((field) => {
        const at = field.indexOf('=');
        if (at <= 0)
            return { key: undefined, value: field };
        return { key: field.slice(0, at).trim().toLowerCase(), value: field.slice(at + 1).trim() };
    });
}
/** `true`/`false` in any case, as the runner's own boolean inputs accept them. */
function parseBoolean(text, input) {
    if (/^true$/i.test(text))
        return true;
    if (/^false$/i.test(text))
        return false;
    throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .InputError */ .d(input, `expected "true" or "false", got "${text}"`);
}
/** A boolean input that may be left empty, which means `fallback`. */
function optionalBoolean(text, input, fallback) {
    const value = text.trim();
    return value === '' ? fallback : parseBoolean(value, input);
}
/**
 * A tool's version input (`trivy-version`…): one release (`0.74.0` or `v0.74.0`), never a range,
 * so that what runs is what was asked for. Empty means the pinned `fallback`.
 */
function releaseVersion(text, input, tool, fallback) {
    const raw = text.trim();
    if (raw === '')
        return fallback;
    const version = semver__WEBPACK_IMPORTED_MODULE_1___default().valid(raw.replace(/^v/, ''));
    if (version === null) {
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_2__/* .InputError */ .d(input, `"${raw}" is not a ${tool} release version such as ${fallback}`);
    }
    return version;
}
function csvProblem(error) {
    const message = (0,_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .errorMessage */ .g)(error);
    if (/quote/i.test(message))
        return 'a quote is not closed (wrap a value containing commas in double quotes)';
    return message;
}


/***/ }),

/***/ 8948:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   $7: () => (/* binding */ pushOutputs),
/* harmony export */   JZ: () => (/* binding */ buildOutputs),
/* harmony export */   Kn: () => (/* binding */ writeOutputs),
/* harmony export */   _V: () => (/* binding */ metadataOutputs),
/* harmony export */   qz: () => (/* binding */ scanOutputs),
/* harmony export */   tE: () => (/* binding */ incompletePushOutputs)
/* harmony export */ });
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3838);

/** The step's outputs, named and shaped as docker/metadata-action's so downstream steps keep working. */
function metadataOutputs(metadata, separators) {
    return {
        version: metadata.version,
        tags: metadata.references.map((image) => image.reference).join(separators.tags),
        'tag-names': metadata.tagNames.join(separators.tags),
        labels: metadata.labels.join(separators.labels),
        annotations: metadata.annotations.join(separators.annotations),
        json: JSON.stringify(metadata.json),
    };
}
/** docker/build-push-action's outputs: `digest`, `imageid`, `metadata`. */
function buildOutputs(build) {
    return { digest: build.digest, imageid: build.imageId, metadata: JSON.stringify(build.metadata) };
}
/** `pushed` (true/false) and `refs`: every reference pushed and verified, as `reference@digest`, one a line. */
function pushOutputs(pushed) {
    return {
        pushed: String(pushed.length > 0),
        refs: pushed
            .map(({ reference, digest }) => (reference.includes('@') ? reference : `${reference}@${digest}`))
            .join('\n'),
    };
}
/** A push that stopped part-way: `pushed` is false, and `refs` names what the registries hold now. */
function incompletePushOutputs(moved, digest) {
    return { ...pushOutputs(moved.map((reference) => ({ reference, digest }))), pushed: 'false' };
}
/** The scan gate's outputs: `scan-result`, `vulnerabilities` and, when one was written, `sarif-file`. */
function scanOutputs(scan) {
    return {
        'scan-result': scan.result,
        vulnerabilities: JSON.stringify(scan.vulnerabilities),
        ...(scan.sarifFile === undefined ? {} : { 'sarif-file': scan.sarifFile }),
    };
}
function writeOutputs(outputs) {
    for (const [name, value] of Object.entries(outputs))
        _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .setOutput */ .uH(name, value);
}


/***/ }),

/***/ 8079:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Vk: () => (/* binding */ setUpBuilder),
/* harmony export */   Zw: () => (/* binding */ planBuilder),
/* harmony export */   n$: () => (/* binding */ readBuilderSetup),
/* harmony export */   oy: () => (/* binding */ buildkitdConfigPath),
/* harmony export */   ub: () => (/* binding */ checkBuilder)
/* harmony export */ });
/* unused harmony exports builderProblem, DEFAULT_BUILDKIT_IMAGE, builderCreateArgs, builderBootstrapArgs, bootstrapFailure */
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(3838);
/* harmony import */ var _runner_capabilities_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(8786);
/* harmony import */ var _action_errors_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(8055);
/* harmony import */ var _action_input_list_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(9103);
/* harmony import */ var _runner_timeouts_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(7900);
/* harmony import */ var _runner_tool_js__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(5602);
/* harmony import */ var _runner_buildx_js__WEBPACK_IMPORTED_MODULE_8__ = __webpack_require__(2532);
/* harmony import */ var _own_builder_js__WEBPACK_IMPORTED_MODULE_9__ = __webpack_require__(8842);










/**
 * Whether this builder can do what the action needs: an OCI layout export always, and several
 * platforms when asked. Only the `docker` driver on the classic image store cannot.
 */
function builderProblem(facts) {
    if (facts.driver !== 'docker' || facts.containerdStore)
        return undefined;
    const which = facts.requested ? `The builder "${facts.requested}"` : 'The default builder';
    const needs = facts.platforms.length > 1
        ? `an OCI layout export and a multi-platform build (${facts.platforms.join(', ')})`
        : 'an OCI layout export (the exact bytes built are what is pushed)';
    return (`${which} uses the docker driver on an engine without the containerd image store, which cannot do ` +
        `${needs}. Turn on the containerd image store (daemon.json: {"features":{"containerd-snapshotter":true}}), ` +
        'or leave "builder" empty and this action creates a docker-container builder for the step.');
}
/**
 * The builder facts from the read-only probes (`probeCapabilities`), before any side effect.
 * Fails with what is missing.
 */
function checkBuilder(caps, requested, platforms) {
    const problem = (0,_runner_capabilities_js__WEBPACK_IMPORTED_MODULE_3__/* .engineProblem */ .iH)(caps);
    if (problem)
        throw new Error(problem);
    if (caps.imageStore === undefined) {
        throw new Error(`Cannot reach the Docker engine (docker info failed): ${caps.infoError ?? ''}`);
    }
    if (caps.builder === undefined) {
        const which = requested ? `builder "${requested}"` : 'the default builder';
        throw new Error(`docker buildx cannot use ${which}: ${caps.builderError ?? ''}`);
    }
    const facts = {
        requested,
        driver: caps.builder.driver,
        containerdStore: caps.imageStore === 'containerd',
        platforms,
    };
    // The user's own builder is never replaced; the default one is, by a builder of our own.
    const unfit = requested ? builderProblem(facts) : undefined;
    if (unfit)
        throw new Error(unfit);
    return facts;
}
/** buildx's own default for the docker-container driver. */
const DEFAULT_BUILDKIT_IMAGE = 'moby/buildkit:buildx-stable-1';
/**
 * The given builder, else the default one when it can export an OCI layout (and build every
 * platform), else a docker-container builder of our own. Options for a created builder
 * (`driver-opts`, `buildkitd-config`) ask for one even when the default builder could do.
 * `setup.buildkitdConfig` is the config file's absolute path (`buildkitdConfigPath`); `name` the
 * name a created builder gets.
 */
function planBuilder(facts, setup, name) {
    if (facts.requested)
        return { create: false, name: facts.requested, why: 'the "builder" input' };
    const unfit = builderProblem(facts);
    if (!unfit && setup.driverOpts.length === 0 && !setup.buildkitdConfig) {
        return { create: false, name: '', why: `the default builder (${facts.driver} driver) can do this build` };
    }
    return {
        create: true,
        name,
        why: unfit
            ? 'the default builder uses the docker driver on the classic image store, which cannot export an OCI layout'
            : 'driver-opts or buildkitd-config ask for a builder of its own',
        image: driverOptValue(setup.driverOpts, 'image') ?? DEFAULT_BUILDKIT_IMAGE,
        // Host networking lets BuildKit in its container reach what the engine reaches: registries and
        // service containers on the runner's loopback (localhost:5000). A `network=` of the user's wins.
        driverOpts: driverOptValue(setup.driverOpts, 'network') === undefined
            ? ['network=host', ...setup.driverOpts]
            : setup.driverOpts,
        buildkitdConfig: setup.buildkitdConfig,
    };
}
function driverOptValue(opts, key) {
    const opt = opts.find((entry) => entry.startsWith(`${key}=`));
    return opt?.slice(key.length + 1);
}
/** buildx's arguments to create the planned builder: never `--use`, the build names it instead. */
function builderCreateArgs(plan) {
    return [
        'create',
        '--name',
        plan.name,
        '--driver',
        'docker-container',
        ...plan.driverOpts.flatMap((opt) => ['--driver-opt', opt]),
        ...(plan.buildkitdConfig ? ['--buildkitd-config', plan.buildkitdConfig] : []),
    ];
}
/** Starts the builder's BuildKit container (pulling its image): where a missing image shows. */
function builderBootstrapArgs(name) {
    return ['inspect', '--bootstrap', name];
}
/**
 * The error for a builder that would not start. An image that cannot be pulled is the usual case
 * on a machine that cannot reach Docker Hub: say which image and what to do offline. buildx's
 * progress shows it as the pull step failing (`#1 pulling image …` followed by `#1 ERROR: …`);
 * the engine's own words differ with its image store, so they are quoted, not matched.
 */
function bootstrapFailure(plan, stderr) {
    const lines = stderr
        .split('\n')
        .map((line) => line.trim())
        .filter((line) => line !== '');
    const said = lines
        .filter((line) => line.startsWith('ERROR:'))
        .at(-1)
        ?.replace(/^ERROR:\s*/, '') ??
        lines.at(-1) ??
        'no error output';
    const pull = lines.findIndex((line) => /^#\d+ pulling image /.test(line));
    if (pull >= 0 && /^#\d+ ERROR:/.test(lines[pull + 1] ?? '')) {
        return (`The docker-container builder this action creates could not pull its BuildKit image ${plan.image}: ${said}. ` +
            'If this runner cannot reach that registry, give a reachable copy in "driver-opts" (image=REGISTRY/moby/buildkit:TAG), ' +
            'or a ready builder in "builder", or turn on the containerd image store so the default builder can build.');
    }
    return `The docker-container builder this action creates did not start (${plan.name}): ${said}`;
}
/**
 * Creates and boots the planned builder with the step's isolated DOCKER_CONFIG (buildx keeps its
 * builders there). `remember` runs before anything is created, so the post step removes the
 * builder even when this step is cancelled half-way; a builder that would not start is removed
 * at once. Returns the name the build uses ('' for the default builder).
 */
async function setUpBuilder(buildx, plan, dockerConfig, remember) {
    if (!plan.create)
        return plan.name;
    const env = { DOCKER_CONFIG: dockerConfig };
    remember(plan.name);
    const failure = await _actions_core__WEBPACK_IMPORTED_MODULE_2__/* .group */ .Os(`Create builder ${plan.name} (docker-container)`, async () => {
        try {
            const created = await (0,_runner_tool_js__WEBPACK_IMPORTED_MODULE_7__/* .runTool */ .qI)(buildx.file, (0,_runner_buildx_js__WEBPACK_IMPORTED_MODULE_8__/* .buildxArgs */ .w$)(buildx, builderCreateArgs(plan)), {
                env,
                deadline: (0,_runner_timeouts_js__WEBPACK_IMPORTED_MODULE_6__/* .deadline */ .nl)('builderSetup', `docker buildx create (builder ${plan.name})`),
            });
            if (created.exitCode !== 0) {
                return `docker buildx create failed: ${(0,_runner_tool_js__WEBPACK_IMPORTED_MODULE_7__/* .tail */ .RT)(created.stderr, 4) || `exit ${created.exitCode}`}`;
            }
            const booted = await (0,_runner_tool_js__WEBPACK_IMPORTED_MODULE_7__/* .runTool */ .qI)(buildx.file, (0,_runner_buildx_js__WEBPACK_IMPORTED_MODULE_8__/* .buildxArgs */ .w$)(buildx, builderBootstrapArgs(plan.name)), {
                env,
                deadline: (0,_runner_timeouts_js__WEBPACK_IMPORTED_MODULE_6__/* .deadline */ .nl)('builderSetup', `docker buildx inspect --bootstrap ${plan.name}`),
            });
            return booted.exitCode === 0 ? undefined : bootstrapFailure(plan, booted.stderr);
        }
        catch (error) {
            // A call that timed out: what was created half-way is removed below all the same.
            return (0,_action_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .errorMessage */ .g)(error);
        }
    });
    if (failure === undefined)
        return plan.name;
    // One that would not go stays remembered: the post step tries again.
    if (await (0,_own_builder_js__WEBPACK_IMPORTED_MODULE_9__/* .removeBuilder */ .iq)(buildx, plan.name, dockerConfig))
        remember('');
    throw new Error(failure);
}
/** The `buildkitd-config` file as an absolute path (relative to the workspace); it must exist. */
function buildkitdConfigPath(file, workspace) {
    if (!file)
        return '';
    const absolute = (0,node_path__WEBPACK_IMPORTED_MODULE_1__.resolve)(workspace, file);
    if (!(0,node_fs__WEBPACK_IMPORTED_MODULE_0__.existsSync)(absolute)) {
        throw new _action_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .InputError */ .d('buildkitd-config', `expected a BuildKit config file (buildkitd.toml), but ${file} does not exist`);
    }
    return absolute;
}
/**
 * Reads `driver-opts` and `buildkitd-config`. They shape a builder this action creates, so they
 * cannot be combined with `builder` (a builder someone else made).
 */
function readBuilderSetup(read) {
    const driverOpts = (0,_action_input_list_js__WEBPACK_IMPORTED_MODULE_5__/* .inputLines */ .KD)(read('driver-opts'));
    for (const opt of driverOpts) {
        if (!/^[^=\s]+=/.test(opt)) {
            throw new _action_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .InputError */ .d('driver-opts', `expected one key=value per line (e.g. image=…), got "${opt}"`);
        }
    }
    const buildkitdConfig = read('buildkitd-config');
    const given = driverOpts.length > 0 ? 'driver-opts' : buildkitdConfig ? 'buildkitd-config' : undefined;
    if (given && read('builder')) {
        throw new _action_errors_js__WEBPACK_IMPORTED_MODULE_4__/* .InputError */ .d(given, 'configures the builder this action creates, so it cannot be combined with "builder"; ' +
            'set these options where that builder is created, or leave "builder" empty');
    }
    return { driverOpts, buildkitdConfig };
}


/***/ }),

/***/ 1539:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  pz: () => (/* binding */ csvFieldsOf),
  Lm: () => (/* binding */ isBoolean),
  qJ: () => (/* binding */ readBuildInputs)
});

// EXTERNAL MODULE: ./node_modules/csv-parse/lib/sync.js + 9 modules
var sync = __webpack_require__(5175);
// EXTERNAL MODULE: ./src/action/errors.ts
var errors = __webpack_require__(8055);
// EXTERNAL MODULE: ./src/action/input-list.ts
var input_list = __webpack_require__(9103);
;// CONCATENATED MODULE: ./src/build/builder-name.ts

// buildx's builder names (store/util.go: ^[a-zA-Z][a-zA-Z0-9._-]*$) and docker's context names,
// which buildx also takes as builders (cli/context/store: ^[a-zA-Z0-9][a-zA-Z0-9_.+-]+$).
const BUILDER_NAME = /^[A-Za-z0-9][A-Za-z0-9_.+-]*$/;
/**
 * The `builder` input: '' (the default builder) or a name buildx could know. Anything else, such as
 * `--help`, reaches buildx as an option: the builder probe would exit 0 and the build would run
 * with some other meaning, after the login.
 */
function checkBuilderName(text) {
    if (text === '' || BUILDER_NAME.test(text))
        return text;
    throw new errors/* InputError */.d('builder', `"${text}" is not a builder name (a letter or digit, then letters, digits, ".", "_", "-" or "+")`);
}

// EXTERNAL MODULE: ./src/metadata/image-reference.ts
var image_reference = __webpack_require__(3532);
;// CONCATENATED MODULE: ./src/build/cache-inputs.ts



/**
 * The cache backends BuildKit knows (docs.docker.com/build/cache/backends): `inline` only exports,
 * into the image itself, and is read back with `type=registry` (buildkitd registers no inline
 * importer). BuildKit fails a build on any other type, but only once it runs: after the login.
 */
const CACHE_TYPES = {
    'cache-from': ['registry', 'local', 'gha', 's3', 'azblob'],
    'cache-to': ['registry', 'local', 'inline', 'gha', 's3', 'azblob'],
};
/**
 * One `cache-from` / `cache-to` entry, checked the way buildx parses it (util/buildflags/cache.go
 * ParseCacheEntry): an entry with no `=` is a comma-separated list of image references, each a
 * registry cache; otherwise CSV `key=value` fields, one of them `type=` a known backend, with the
 * attribute that backend cannot do without (`ref` for registry, `src`/`dest` for local).
 *
 * Messages name the type and the keys but never quote the entry: an s3, azblob or gha entry may
 * hold a key or token (`secret_access_key=`, `token=`).
 */
function checkCacheEntry(entry, input) {
    if (!entry.includes('=')) {
        for (const reference of fields(entry, input))
            cacheReference(reference, input);
        return entry;
    }
    const attributes = attributesOf(entry, input);
    const types = CACHE_TYPES[input];
    const type = attributes.get('type');
    if (type === undefined || type === '') {
        throw new errors/* InputError */.d(input, `an entry of key=value fields needs type=, one of ${types.join(', ')}`);
    }
    if (!types.includes(type)) {
        const hint = type === 'inline' ? '; an inline cache is read back with type=registry,ref=<image>' : '';
        throw new errors/* InputError */.d(input, `"${type}" is not a cache type for ${input}; expected one of ${types.join(', ')}${hint}`);
    }
    const needed = type === 'registry' ? 'ref' : type === 'local' ? (input === 'cache-from' ? 'src' : 'dest') : '';
    if (needed !== '' && !attributes.get(needed)) {
        throw new errors/* InputError */.d(input, `type=${type} needs ${needed}= (${needed === 'ref' ? 'an image reference' : 'a directory'})`);
    }
    return entry;
}
// The credentials BuildKit's cache backends take as attributes (s3, azblob, gha).
const CREDENTIAL_ATTRIBUTES = ['access_key_id', 'secret_access_key', 'session_token', 'token'];
/**
 * The credential values the checked cache entries carry, to mask before anything prints: buildx's
 * argv, which holds the entries, is echoed to the log.
 */
function cacheCredentials(cacheFrom, cacheTo) {
    const entries = [
        ...cacheFrom.map((entry) => [entry, 'cache-from']),
        ...cacheTo.map((entry) => [entry, 'cache-to']),
    ];
    return entries.flatMap(([entry, input]) => {
        if (!entry.includes('='))
            return [];
        const attributes = attributesOf(entry, input);
        return CREDENTIAL_ATTRIBUTES.map((key) => attributes.get(key) ?? '').filter((value) => value !== '');
    });
}
function attributesOf(entry, input) {
    const attributes = new Map();
    for (const field of fields(entry, input)) {
        const at = field.indexOf('=');
        if (at <= 0)
            throw new errors/* InputError */.d(input, `expected key=value fields (type=…,key=value), got a field without "="`);
        attributes.set(field.slice(0, at).trim().toLowerCase(), field.slice(at + 1).trim());
    }
    return attributes;
}
/**
 * A bare image reference (buildx reads it as type=registry,ref=…). It must name a repository path
 * (`ghcr.io/acme/app:cache`, `acme/app:cache`): a single word would be Docker Hub's official
 * `library/<word>`, where no workflow can keep a cache, so it is a typo or a forgotten `type=`.
 */
function cacheReference(reference, input) {
    const problem = `"${reference}" is neither type=<backend>[,key=value…] (backends: ${CACHE_TYPES[input].join(', ')}) nor an image reference with a repository path such as ghcr.io/acme/app:cache`;
    if (!reference.includes('/'))
        throw new errors/* InputError */.d(input, problem);
    try {
        (0,image_reference/* parseImageReference */.o_)(reference, input);
    }
    catch {
        throw new errors/* InputError */.d(input, problem);
    }
}
/** The CSV fields of an entry, as buildx's csvvalue reads them; an unclosed quote is named without the text. */
function fields(entry, input) {
    try {
        const records = (0,sync/* parse */.qg)(entry, { relaxQuotes: true, relaxColumnCount: true, trim: true });
        return (records[0] ?? []).filter((field) => field !== '');
    }
    catch {
        throw new errors/* InputError */.d(input, 'a double quote is not closed in an entry');
    }
}

;// CONCATENATED MODULE: ./src/build/platforms.ts


// GOOS/GOARCH values: a typo such as linux/amd46 should fail before a long build, not after.
const OSES = new Set('aix android darwin dragonfly freebsd illumos ios js linux netbsd openbsd plan9 solaris wasip1 windows'.split(' '));
const ARCHES = new Set('386 amd64 arm arm64 loong64 mips mips64 mips64le mipsle ppc64 ppc64le riscv64 s390x wasm'.split(' '));
// Names people write for architectures, and what docker calls them.
const ARCH_ALIASES = {
    x86_64: 'amd64',
    'x86-64': 'amd64',
    aarch64: 'arm64',
    armhf: 'arm/v7',
    armel: 'arm/v6',
    i386: '386',
    i686: '386',
};
/** `platforms`: each `os/arch[/variant]` lower-cased and known to docker, none twice. */
function parsePlatforms(text) {
    const list = (0,input_list/* listEntries */.fi)(text, 'platforms').map(platform);
    // Only separators (","): a template or a variable that came out empty. Building the runner's own
    // platform instead would pass for a multi-platform build.
    if (list.length === 0 && (0,input_list/* inputLines */.KD)(text).length > 0) {
        throw new errors/* InputError */.d('platforms', `"${text.trim()}" lists no platform; expected os/arch[/variant] such as linux/amd64, separated by commas or lines, or leave it empty for the builder's own platform`);
    }
    const duplicate = list.find((entry, index) => list.indexOf(entry) !== index);
    if (duplicate)
        throw new errors/* InputError */.d('platforms', `${duplicate} is listed twice`);
    return list;
}
function platform(text) {
    const entry = text.toLowerCase();
    const fail = (hint) => new errors/* InputError */.d('platforms', `"${text}" is not a platform; expected os/arch[/variant] such as linux/amd64${hint}`);
    const parts = entry.split('/');
    if (parts.length === 1) {
        const arch = ARCH_ALIASES[entry] ?? entry;
        throw fail(ARCHES.has(arch) ? ` (did you mean linux/${arch}?)` : '');
    }
    const [os = '', arch = '', variant, ...extra] = parts;
    if (extra.length > 0 || variant === '')
        throw fail('');
    const alias = ARCH_ALIASES[arch];
    if (alias)
        throw fail(` (did you mean ${os}/${alias}?)`);
    if (!OSES.has(os))
        throw fail(` ("${os}" is not an operating system docker knows)`);
    if (!ARCHES.has(arch))
        throw fail(` ("${arch}" is not an architecture docker knows)`);
    if (variant !== undefined && !/^[a-z0-9.]+$/.test(variant))
        throw fail('');
    return entry;
}

;// CONCATENATED MODULE: ./src/build/inputs.ts






const NETWORKS = ['default', 'none', 'host'];
const ULIMITS = [
    'core',
    'cpu',
    'data',
    'fsize',
    'locks',
    'memlock',
    'msgqueue',
    'nice',
    'nofile',
    'nproc',
    'rss',
    'rtprio',
    'rttime',
    'sigpending',
    'stack',
];
// docker's RAMInBytes: a number, an optional space, then k/m/g/t/p, an optional i and an optional b.
const SIZE = /^\d+(?:\.\d+)? ?[kmgtp]?i?b?$/i;
const BUILD_ARG_NAME = /^[^\s=]+$/;
const SECRET_ID = /^[A-Za-z0-9_.-]+$/;
// A POSIX environment variable name: buildx looks the secret up by it.
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const SECRET_LOOKING_NAME = /(?:^|_)(?:TOKEN|PASSWORD|PASSWD|SECRET|API_?KEY|PRIVATE_?KEY|CREDENTIALS?)(?:$|_)/i;
/** Reads and checks every build input; an impossible value fails here, before anything runs. */
function readBuildInputs(read) {
    const warnings = [];
    const buildArgs = keyValues(entries(read('build-args'), 'build-args'), 'build-args', 'KEY=value');
    for (const arg of buildArgs) {
        if (!BUILD_ARG_NAME.test(arg.key))
            throw new errors/* InputError */.d('build-args', `"${arg.key}" is not a build argument name`);
        if (SECRET_LOOKING_NAME.test(arg.key)) {
            warnings.push(`Input "build-args": ${arg.key} looks like a secret; build arguments are kept in the image history and ` +
                'provenance. Pass secrets with the "secrets" input and RUN --mount=type=secret.');
        }
    }
    const secrets = secretEntries(read('secrets', { trim: false }), warnings);
    const inputs = {
        context: pathInput(read('context') || '.', 'context'),
        file: pathInput(read('file'), 'file'),
        platforms: parsePlatforms(read('platforms')),
        buildArgs,
        buildContexts: keyValues(entries(read('build-contexts'), 'build-contexts'), 'build-contexts', 'name=path'),
        secrets,
        secretFiles: secretReferences(read('secret-files'), 'secret-files', 'id=path'),
        secretEnvs: secretReferences(read('secret-envs'), 'secret-envs', 'id=ENV_VARIABLE'),
        target: target(read('target')),
        pull: (0,input_list/* optionalBoolean */.Jz)(read('pull'), 'pull', false),
        noCache: (0,input_list/* optionalBoolean */.Jz)(read('no-cache'), 'no-cache', false),
        cacheFrom: entries(read('cache-from'), 'cache-from').map((entry) => checkCacheEntry(entry, 'cache-from')),
        cacheTo: entries(read('cache-to'), 'cache-to').map((entry) => checkCacheEntry(entry, 'cache-to')),
        provenance: attestationInput(read('provenance'), 'provenance'),
        sbom: attestationInput(read('sbom'), 'sbom'),
        network: network(read('network')),
        shmSize: shmSize(read('shm-size')),
        ulimits: entries(read('ulimit'), 'ulimit').map(ulimit),
        builder: checkBuilderName(read('builder')),
    };
    checkUniqueIds(inputs);
    const cacheSecrets = cacheCredentials(inputs.cacheFrom, inputs.cacheTo);
    return { inputs, secrets: [...secrets.map((secret) => secret.value), ...cacheSecrets], warnings };
}
function isBoolean(text) {
    return /^(true|false)$/i.test(text);
}
/**
 * The entries of a multi-line input, one per line as build-push-action reads them: CSV quoting
 * lets one entry span lines (`"KEY=line1\nline2"`), commas stay inside the entry, and lines
 * starting with `#` are comments.
 */
function entries(text, input, trim = true) {
    if (text.trim() === '')
        return [];
    let records;
    try {
        records = (0,sync/* parse */.qg)(text, {
            // No field splitting: commas belong to the entry (`FLAGS=-O2,-g`), only quotes and newlines count.
            delimiter: '\u0000',
            columns: false,
            relaxQuotes: true,
            relaxColumnCount: true,
            skipEmptyLines: true,
            comment: '#',
            comment_no_infix: true,
            trim,
        });
    }
    catch {
        throw new errors/* InputError */.d(input, 'a double quote is not closed (an entry in quotes may span lines, but must end with ")');
    }
    return records.map((record) => record.join('\u0000')).filter((entry) => entry.trim() !== '');
}
function keyValues(list, input, form) {
    return list.map((entry) => {
        const at = entry.indexOf('=');
        const key = at > 0 ? entry.slice(0, at).trim() : '';
        if (key === '')
            throw new errors/* InputError */.d(input, `expected ${form}, got "${entry}"`);
        return { key, value: entry.slice(at + 1) };
    });
}
function secretEntries(text, warnings) {
    // Not trimmed: a secret's value may end in a newline (an SSH key needs it).
    return entries(text, 'secrets', false)
        .map((entry) => {
        const trimmed = entry.replace(/^\s+/, '');
        const at = trimmed.indexOf('=');
        const id = at > 0 ? trimmed.slice(0, at).trim() : '';
        // The message never quotes the entry: it may be the secret itself.
        if (!isSecretId(id)) {
            throw new errors/* InputError */.d('secrets', 'expected id=value on each line, the id of letters, digits, "_", "." or "-" (not "." or "..")');
        }
        const value = trimmed.slice(at + 1).replace(/\r$/, '');
        return { id, value };
    })
        .filter((secret) => {
        if (secret.value.trim() !== '')
            return true;
        // Secrets are empty in fork pull requests: build without it rather than fail, as build-push-action does.
        warnings.push(`Input "secrets": secret "${secret.id}" is empty and is not passed to the build.`);
        return false;
    });
}
function secretReferences(text, input, form) {
    const list = keyValues(entries(text, input), input, form);
    for (const { key, value } of list) {
        if (!isSecretId(key))
            throw new errors/* InputError */.d(input, `"${key}" is not a secret id (letters, digits, "_", "." or "-"; not "." or "..")`);
        if (value.trim() === '')
            throw new errors/* InputError */.d(input, `expected ${form}, got an empty value for "${key}"`);
        if (input === 'secret-envs' && !ENV_NAME.test(value.trim())) {
            throw new errors/* InputError */.d(input, `"${value.trim()}" (for "${key}") is not an environment variable name (letters, digits and "_", not starting with a digit)`);
        }
    }
    return list.map(({ key, value }) => ({ key, value: value.trim() }));
}
/**
 * A secret id is also the file name it is written to (and mounted as, /run/secrets/<id>): "." and
 * ".." would name a directory, so the write fails after the login (EISDIR), or lands beside it.
 */
function isSecretId(id) {
    return SECRET_ID.test(id) && id !== '.' && id !== '..';
}
// One id, one secret: buildx would silently keep only one of two.
function checkUniqueIds(inputs) {
    const seen = new Map();
    const all = [
        ...inputs.secrets.map((secret) => [secret.id, 'secrets']),
        ...inputs.secretFiles.map(({ key }) => [key, 'secret-files']),
        ...inputs.secretEnvs.map(({ key }) => [key, 'secret-envs']),
    ];
    for (const [id, input] of all) {
        const previous = seen.get(id);
        if (previous !== undefined)
            throw new errors/* InputError */.d(input, `secret id "${id}" is already given in "${previous}"`);
        seen.set(id, input);
    }
}
function pathInput(text, input) {
    // A value starting with "-" would be read by buildx as an option, not a path.
    if (text.startsWith('-'))
        throw new errors/* InputError */.d(input, `"${text}" starts with "-"; write ./${text} for a path`);
    return text;
}
function target(text) {
    if (/\s/.test(text))
        throw new errors/* InputError */.d('target', `"${text}" is not a build stage name (no spaces)`);
    return text;
}
function attestationInput(text, input) {
    if (text === '' || isBoolean(text))
        return text;
    for (const field of csvFieldsOf(text, input)) {
        if (isBoolean(field))
            continue;
        const at = field.indexOf('=');
        if (at <= 0)
            throw new errors/* InputError */.d(input, `expected true, false or attributes key=value[,key=value], got "${field}"`);
        if (field.startsWith('type='))
            throw new errors/* InputError */.d(input, 'the type is implied by the input name; remove "type="');
        if (input === 'provenance' && field.startsWith('mode=') && !/^mode=(min|max)$/.test(field)) {
            throw new errors/* InputError */.d(input, `"${field}": mode is min or max`);
        }
    }
    return text;
}
function network(text) {
    if (text === '' || NETWORKS.includes(text))
        return text;
    throw new errors/* InputError */.d('network', `expected one of ${NETWORKS.join(', ')} (BuildKit supports no others), got "${text}"`);
}
function shmSize(text) {
    if (text === '' || SIZE.test(text))
        return text;
    throw new errors/* InputError */.d('shm-size', `expected a size such as 2g, 512m or 1073741824, got "${text}"`);
}
function ulimit(text) {
    const match = /^([a-z]+)=(-?\d+)(?::(-?\d+))?$/.exec(text);
    if (!match)
        throw new errors/* InputError */.d('ulimit', `expected name=soft[:hard] such as nofile=1024:2048, got "${text}"`);
    const [, name = '', soft = '', hard] = match;
    if (!ULIMITS.includes(name))
        throw new errors/* InputError */.d('ulimit', `"${name}" is not a ulimit; expected one of ${ULIMITS.join(', ')}`);
    // -1 is unlimited, so it is above every number.
    const limit = (value) => (value === '-1' ? Infinity : Number(value));
    if (hard !== undefined && limit(soft) > limit(hard)) {
        throw new errors/* InputError */.d('ulimit', `"${text}": the soft limit ${soft} is above the hard limit ${hard}`);
    }
    return text;
}
function csvFieldsOf(text, input) {
    try {
        const records = (0,sync/* parse */.qg)(text, { relaxQuotes: true, relaxColumnCount: true, trim: true });
        return (records[0] ?? []).filter((field) => field !== '');
    }
    catch {
        throw new errors/* InputError */.d(input, `cannot read "${text}": a double quote is not closed`);
    }
}


/***/ }),

/***/ 1302:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   CY: () => (/* binding */ readQemuInputs),
/* harmony export */   hA: () => (/* binding */ dockerArch),
/* harmony export */   ke: () => (/* binding */ planEmulators),
/* harmony export */   qw: () => (/* binding */ binfmtHandlerEnabled),
/* harmony export */   yn: () => (/* binding */ setUpEmulators)
/* harmony export */ });
/* unused harmony exports DEFAULT_QEMU_IMAGE, missingEmulators, emulatorProblem, qemuInstallArgv, installFailure, stillMissingProblem */
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3838);
/* harmony import */ var _action_log_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(8592);
/* harmony import */ var _action_errors_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(8055);
/* harmony import */ var _metadata_image_reference_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(3532);
/* harmony import */ var _runner_timeouts_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(7900);
/* harmony import */ var _runner_tool_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(5602);







// Docker's architecture names → the binfmt_misc handler QEMU registers (qemu-<name>).
const QEMU_NAMES = {
    amd64: 'x86_64',
    '386': 'i386',
    arm64: 'aarch64',
    arm: 'arm',
    ppc64le: 'ppc64le',
    ppc64: 'ppc64',
    s390x: 's390x',
    riscv64: 'riscv64',
    mips64le: 'mips64el',
    mips64: 'mips64',
    loong64: 'loongarch64',
};
// Architectures a host runs without emulation.
const NATIVE = { amd64: ['amd64', '386'], arm64: ['arm64', 'arm'] };
// Node's process.arch → docker's name.
const NODE_ARCH = { x64: 'amd64', ia32: '386', ppc64: 'ppc64le' };
const BINFMT_MISC = '/proc/sys/fs/binfmt_misc';
/** docker/setup-qemu-action's default image. */
const DEFAULT_QEMU_IMAGE = 'docker.io/tonistiigi/binfmt:latest';
const SETUP_MODES = ['auto', 'true', 'false'];
function readQemuInputs(setup, image) {
    const mode = setup.trim().toLowerCase();
    if (mode !== '' && !SETUP_MODES.includes(mode)) {
        throw new _action_errors_js__WEBPACK_IMPORTED_MODULE_3__/* .InputError */ .d('setup-qemu', `expected "auto", "true" or "false", got "${setup}"`);
    }
    const reference = image.trim() || DEFAULT_QEMU_IMAGE;
    // Checked as a reference so that nothing docker would read as an option reaches its argv.
    (0,_metadata_image_reference_js__WEBPACK_IMPORTED_MODULE_4__/* .parseImageReference */ .o_)(reference, 'qemu-image');
    return { setup: mode === '' ? 'auto' : mode, image: reference };
}
function dockerArch(nodeArch) {
    return NODE_ARCH[nodeArch] ?? nodeArch;
}
function archOf(platform) {
    return platform.split('/')[1] ?? '';
}
function handlerOf(platform) {
    return `qemu-${QEMU_NAMES[archOf(platform)] ?? '?'}`;
}
/**
 * The platforms whose RUN steps could not execute here: a foreign architecture with no QEMU
 * handler registered in binfmt_misc. `hasHandler` gets the QEMU name (`aarch64`).
 */
function missingEmulators(platforms, hostArch, hasHandler) {
    return foreignPlatforms(platforms, hostArch).filter((platform) => {
        const qemu = QEMU_NAMES[archOf(platform)];
        return qemu === undefined || !hasHandler(qemu);
    });
}
function foreignPlatforms(platforms, hostArch) {
    const native = NATIVE[hostArch] ?? [hostArch];
    return platforms.filter((platform) => !native.includes(archOf(platform)));
}
function emulatorProblem(missing, hostArch) {
    if (missing.length === 0)
        return undefined;
    return (`Input "platforms": ${missing.join(', ')} cannot run on this ${hostArch} host: no QEMU handler ` +
        `(${missing.map(handlerOf).join(', ')}) is registered in ${BINFMT_MISC}, and input "setup-qemu" is ` +
        'false. Set setup-qemu to auto to let this action install it, register QEMU before this step, or ' +
        'build only the native platform.');
}
/**
 * `auto` installs exactly the architectures `platforms` lacks, and nothing when none is missing;
 * `true` installs every architecture the image provides, as docker/setup-qemu-action does, for
 * jobs whose later steps run foreign images too; `false` never installs, so a missing handler
 * fails here. `hasHandler` gets the QEMU name (`riscv64`).
 */
function planEmulators(platforms, qemu, hostArch, hasHandler) {
    const emulated = foreignPlatforms(platforms, hostArch);
    const missing = missingEmulators(platforms, hostArch, hasHandler);
    const plan = { image: qemu.image, emulated };
    if (qemu.setup === 'true') {
        return {
            ...plan,
            install: ['all'],
            reason: `QEMU: installing every architecture ${qemu.image} provides (setup-qemu: true)`,
        };
    }
    if (missing.length > 0) {
        if (qemu.setup === 'false')
            throw new Error(emulatorProblem(missing, hostArch));
        const install = [...new Set(missing.map(archOf))];
        return {
            ...plan,
            install,
            reason: `QEMU: installing ${install.join(', ')} with ${qemu.image}: no handler is registered for ${missing.join(', ')}`,
        };
    }
    const reason = emulated.length === 0
        ? `QEMU: not needed, no platform is foreign to this ${hostArch} host`
        : `QEMU: nothing to install, ${emulated.map((platform) => `${platform} (${handlerOf(platform)})`).join(', ')} already registered`;
    return { ...plan, install: [], reason };
}
/** The binfmt installer's command line: a privileged container that writes to binfmt_misc. */
function qemuInstallArgv(plan) {
    return ['run', '--rm', '--privileged', plan.image, '--install', plan.install.join(',')];
}
/**
 * Why running the installer failed, or undefined when it ran. A pull that never finished (docker
 * prints "Unable to find image" but no "Downloaded newer image") gets the offline way out.
 */
function installFailure(plan, result) {
    if (result.exitCode === 0)
        return undefined;
    const pulled = /^Status: (Downloaded newer image|Image is up to date)/m.test(result.stderr);
    if (/^Unable to find image/m.test(result.stderr) && !pulled) {
        const daemon = /^docker: (.+)$/m.exec(result.stderr)?.[1] ?? (0,_runner_tool_js__WEBPACK_IMPORTED_MODULE_6__/* .tail */ .RT)(result.stderr, 1);
        return (`QEMU setup: could not pull ${plan.image} (input "qemu-image") to install ${plan.install.join(', ')}: ` +
            `${daemon}. Without access to that registry, set qemu-image to a copy of the image this runner can ` +
            'pull, or register QEMU yourself (Debian/Ubuntu: apt-get install qemu-user-static binfmt-support) ' +
            'and set setup-qemu to false. Nothing was built or pushed.');
    }
    return `QEMU setup: docker ${qemuInstallArgv(plan).join(' ')} failed (exit ${result.exitCode}): ${(0,_runner_tool_js__WEBPACK_IMPORTED_MODULE_6__/* .tail */ .RT)(result.stderr)}`;
}
/** The platforms the installer left without a handler, as an error; undefined when none. */
function stillMissingProblem(plan, missing) {
    if (missing.length === 0)
        return undefined;
    return (`QEMU setup: after docker ${qemuInstallArgv(plan).join(' ')}, ${missing.join(', ')} still has no enabled ` +
        `handler (${missing.map(handlerOf).join(', ')}) in ${BINFMT_MISC}; the installer's output is above. ` +
        'Register QEMU yourself (Debian/Ubuntu: apt-get install qemu-user-static binfmt-support) and set ' +
        'setup-qemu to false, or build only the native platform.');
}
/** A binfmt_misc handler that exists and is enabled. */
function binfmtHandlerEnabled(qemuName) {
    const path = `${BINFMT_MISC}/qemu-${qemuName}`;
    if (!(0,node_fs__WEBPACK_IMPORTED_MODULE_0__.existsSync)(path))
        return false;
    try {
        return /^enabled$/m.test((0,node_fs__WEBPACK_IMPORTED_MODULE_0__.readFileSync)(path, 'utf8'));
    }
    catch {
        return false;
    }
}
/**
 * Runs the plan: the installer container (with `env`, the isolated DOCKER_CONFIG, so the step's
 * logins reach a private qemu-image), then binfmt_misc is read again, since the installer exits 0
 * even when it could not register a handler.
 */
async function setUpEmulators(docker, plan, env) {
    (0,_action_log_js__WEBPACK_IMPORTED_MODULE_2__/* .info */ .pq)(plan.reason);
    if (plan.install.length === 0)
        return;
    const result = await _actions_core__WEBPACK_IMPORTED_MODULE_1__/* .group */ .Os('Set up QEMU', () => (0,_runner_tool_js__WEBPACK_IMPORTED_MODULE_6__/* .runTool */ .qI)(docker, qemuInstallArgv(plan), {
        env,
        deadline: (0,_runner_timeouts_js__WEBPACK_IMPORTED_MODULE_5__/* .deadline */ .nl)('qemuInstall', `docker run ${plan.image} (the QEMU installer)`),
    }));
    const failure = installFailure(plan, result);
    if (failure)
        throw new Error(failure);
    const hostArch = dockerArch(process.arch);
    const problem = stillMissingProblem(plan, missingEmulators(plan.emulated, hostArch, binfmtHandlerEnabled));
    if (problem)
        throw new Error(problem);
}


/***/ }),

/***/ 9556:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Le: () => (/* binding */ loadWorkflowContext),
/* harmony export */   ng: () => (/* binding */ runOf)
/* harmony export */ });
/* unused harmony export workflowContext */
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_0__);

/** Builds the context from the runner's environment variables and the parsed event payload. */
function workflowContext(env, payload, options = {}) {
    const eventName = env.GITHUB_EVENT_NAME ?? '';
    const sha = (options.prHeadSha ? pullRequestHeadSha(eventName, payload) : undefined) ?? env.GITHUB_SHA ?? '';
    return {
        eventName,
        sha,
        ref: refFor(eventName, env.GITHUB_REF ?? '', payload),
        workflow: env.GITHUB_WORKFLOW ?? '',
        actor: env.GITHUB_ACTOR ?? '',
        runId: Number(env.GITHUB_RUN_ID ?? 0),
        runNumber: Number(env.GITHUB_RUN_NUMBER ?? 0),
        repository: env.GITHUB_REPOSITORY ?? payload.repository?.full_name ?? '',
        serverUrl: (env.GITHUB_SERVER_URL ?? 'https://github.com').replace(/\/$/, ''),
        apiUrl: (env.GITHUB_API_URL ?? 'https://api.github.com').replace(/\/$/, ''),
        payload,
        commitDate: commitDateFromPayload(sha, payload),
    };
}
/** Reads the event payload the runner wrote to GITHUB_EVENT_PATH (an empty object when there is none). */
async function loadWorkflowContext(env = process.env, options = {}) {
    const path = env.GITHUB_EVENT_PATH;
    const payload = path ? JSON.parse(await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.readFile)(path, 'utf8')) : {};
    return workflowContext(env, payload, options);
}
// As metadata-action: every pull_request* event whose payload names a head commit. GITHUB_SHA is
// the merge commit there (or the base branch's head, for pull_request_target). The payload is data
// from outside: only a commit id in hex is taken, anything else leaves GITHUB_SHA.
function pullRequestHeadSha(eventName, payload) {
    if (!eventName.startsWith('pull_request'))
        return undefined;
    const sha = payload.pull_request?.head?.sha;
    return typeof sha === 'string' && /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/.test(sha) ? sha : undefined;
}
// pull_request_target runs on the base branch, so GITHUB_REF names the base; tags must name the PR.
function refFor(eventName, ref, payload) {
    if (eventName === 'pull_request_target' && payload.number !== undefined) {
        return `refs/pull/${payload.number}/merge`;
    }
    return ref;
}
function commitDateFromPayload(sha, payload) {
    const fromCommits = payload.commits?.find((commit) => commit.id === sha)?.timestamp;
    if (fromCommits)
        return new Date(fromCommits);
    if (payload.head_commit && payload.head_commit.id === sha)
        return new Date(payload.head_commit.timestamp);
    return undefined;
}
/** The workflow run, as a link and an id (signatures and attestations record it). */
function runOf(context) {
    return {
        url: `${context.serverUrl}/${context.repository}/actions/runs/${context.runId}`,
        id: String(context.runId),
    };
}


/***/ }),

/***/ 360:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   $J: () => (/* binding */ secretsFor),
/* harmony export */   TF: () => (/* binding */ dockerConfigJson),
/* harmony export */   tB: () => (/* binding */ basicAuth)
/* harmony export */ });
/* harmony import */ var _metadata_image_reference_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3532);

/** What to mask for a credential resolved at run time (an ECR token): the password and its base64 pair. */
function secretsFor(credential) {
    return [credential.password, basicAuth(credential.username, credential.password)];
}
/**
 * The `config.json` both the docker CLI (DOCKER_CONFIG) and the registry client read. Docker
 * Hub is written under its legacy key, the only one the docker CLI looks up; the registry client
 * reads it for docker.io too.
 */
function dockerConfigJson(credentials) {
    const auths = {};
    for (const credential of credentials) {
        const key = credential.registry === _metadata_image_reference_js__WEBPACK_IMPORTED_MODULE_0__/* .DOCKER_HUB */ .Xb ? 'https://index.docker.io/v1/' : credential.registry;
        auths[key] = { auth: basicAuth(credential.username, credential.password) };
    }
    return `${JSON.stringify({ auths }, null, 2)}\n`;
}
/** The `auth` value of a config.json entry: base64 of `user:password`. */
function basicAuth(username, password) {
    return Buffer.from(`${username}:${password}`, 'utf8').toString('base64');
}


/***/ }),

/***/ 7458:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   p: () => (/* binding */ planLogin)
/* harmony export */ });
/* harmony import */ var _registry_auth_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(2404);

const NO_LOGIN = { credentials: [], secrets: [], uncovered: [], warnings: [] };
/**
 * Which registries this run logs in to. A run that pushes nothing gets no credential: it may be
 * building code from outside the repository (a fork's pull request), and a login would let that
 * build pull private images. `login-on-build-only` lets a workflow that needs a private base image
 * opt in, with a warning that names why the run does not push.
 */
function planLogin(auth, run, loginOnBuildOnly, context) {
    if (!run.push && !loginOnBuildOnly) {
        const given = auth.entries.length > 0 || auth.githubToken !== '';
        return {
            ...NO_LOGIN,
            ...(given ? { note: `No registry login: this run pushes nothing (${run.reason})` } : {}),
        };
    }
    const resolved = (0,_registry_auth_js__WEBPACK_IMPORTED_MODULE_0__/* .resolveRegistryAuth */ .gi)(auth, { ...context, pushing: run.push });
    if (run.push || resolved.credentials.length === 0)
        return resolved;
    const registries = resolved.credentials.map((credential) => credential.registry).join(', ');
    const warning = `login-on-build-only: logging in to ${registries} on a run that pushes nothing (${run.reason}); ` +
        'the build can pull with these credentials, so it must only build code this repository trusts.';
    return { ...resolved, warnings: [...resolved.warnings, warning] };
}


/***/ }),

/***/ 2404:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  nh: () => (/* binding */ ecrLoginPasswordArgv),
  bf: () => (/* binding */ parseRegistryAuth),
  gi: () => (/* binding */ resolveRegistryAuth)
});

// EXTERNAL MODULE: ./src/action/errors.ts
var errors = __webpack_require__(8055);
// EXTERNAL MODULE: ./src/metadata/image-reference.ts
var image_reference = __webpack_require__(3532);
// EXTERNAL MODULE: ./src/login/docker-config.ts
var docker_config = __webpack_require__(360);
// EXTERNAL MODULE: ./node_modules/yaml/dist/index.js
var dist = __webpack_require__(8815);
;// CONCATENATED MODULE: ./src/login/registry-auth-yaml.ts


const INPUT = 'registry-auth';
/** The keys an entry may have: only these are named in messages; any other key might be a secret pasted in the wrong place. */
const KNOWN_KEYS = ['registry', 'username', 'password'];
/**
 * `registry-auth` as plain data, for the caller to check entry by entry. The text holds passwords,
 * so two rules hold here:
 *
 * - It is never quoted back. A syntax error says what kind and where (line and column), not what
 *   was there; the YAML library's own messages, which quote the source, are not used.
 * - A value is taken only when YAML reads it as written. Secrets are substituted into this YAML
 *   unquoted (`password: ${{ secrets.X }}`), and a secret may start with `*` (YAML reads an alias
 *   and looks up an anchor of that name), `&` (an anchor: the name is cut from the value), `!` (a
 *   tag: the value may be changed or emptied), or hold ` #` (the rest of the line is a comment).
 *   Each is refused, naming the entry and the key, rather than read as YAML reads it: the action
 *   cannot tell the password `abc #x` from the value `abc` with a comment, and guessing wrong logs
 *   in with a password nobody wrote. A quoted value is always text, so the fix is one edit.
 */
function readRegistryAuthYaml(text) {
    // The failsafe schema keeps every scalar a string: a numeric password such as 0123 must not become 123.
    const document = (0,dist/* parseDocument */.Tp)(text, { schema: 'failsafe', prettyErrors: false, uniqueKeys: true });
    const error = document.errors[0];
    if (error) {
        throw new errors/* InputError */.d(INPUT, `is not valid YAML (${yamlProblem(error.code)} at ${position(text, error.pos[0])})`);
    }
    const trap = findTrap(document.contents, INPUT, 'the list');
    if (trap)
        throw new errors/* InputError */.d(trap.where, trap.problem);
    try {
        return document.toJS();
    }
    catch {
        // Not expected once aliases are refused; the library's message may quote the text, so it is dropped.
        throw new errors/* InputError */.d(INPUT, 'could not be read as YAML');
    }
}
/**
 * The first node YAML would not read as written: an alias, an anchor, a tag, or an unquoted value
 * with a comment after it. `what` says which part it is in the message (`the value of "password"`).
 */
function findTrap(node, where, what) {
    if (!(0,dist/* isNode */.Ll)(node))
        return undefined;
    if ((0,dist/* isAlias */.Vj)(node)) {
        return {
            where,
            problem: `${what} is a YAML alias (it starts with "*"), which YAML replaces with another value; ${QUOTE}`,
        };
    }
    if (node.anchor !== undefined) {
        return {
            where,
            problem: `${what} starts with a YAML anchor ("&" and a name), which YAML cuts from the value; ${QUOTE}`,
        };
    }
    if (node.tag !== undefined) {
        return {
            where,
            problem: `${what} starts with a YAML tag ("!"), which changes or empties the value; ${QUOTE}`,
        };
    }
    if ((0,dist/* isScalar */.jn)(node) && node.type === 'PLAIN' && node.comment !== undefined && node.comment !== null) {
        return {
            where,
            problem: `${what} is followed by " #", which starts a YAML comment: an unquoted value ends there; ` +
                `${QUOTE}, or put the comment on a line of its own`,
        };
    }
    if ((0,dist/* isSeq */.oP)(node)) {
        for (const [index, item] of node.items.entries()) {
            // Only the top-level list holds entries; deeper lists are wrong anyway and are reported by the caller.
            const trap = where === INPUT ? findTrap(item, `${INPUT}[${index + 1}]`, 'the entry') : findTrap(item, where, what);
            if (trap)
                return trap;
        }
    }
    if ((0,dist/* isMap */.jh)(node)) {
        for (const pair of node.items) {
            if (!(0,dist/* isPair */.tO)(pair))
                continue;
            const key = (0,dist/* isScalar */.jn)(pair.key) && KNOWN_KEYS.includes(String(pair.key.value)) ? String(pair.key.value) : undefined;
            const trap = findTrap(pair.key, where, 'a key') ??
                findTrap(pair.value, where, key ? `the value of "${key}"` : 'a value');
            if (trap)
                return trap;
        }
    }
    return undefined;
}
// Single quotes: the one quoting in which nothing but ' itself is special (no escapes as in "…").
const QUOTE = "put the value in single quotes ('…', with any ' inside written twice)";
/** `line 3, column 14` of an offset into the text. */
function position(text, offset) {
    const before = text.slice(0, offset).split('\n');
    return `line ${before.length}, column ${(before.at(-1) ?? '').length + 1}`;
}
const YAML_PROBLEMS = {
    MISSING_CHAR: 'a quote or bracket is not closed',
    BAD_INDENT: 'the indentation is off',
    DUPLICATE_KEY: 'a key is given twice in one entry',
    BLOCK_AS_IMPLICIT_KEY: 'a value spans lines where a key was expected',
    BAD_SCALAR_START: 'an unquoted value starts with a character YAML reserves; quote it',
    MULTIPLE_DOCS: 'more than one YAML document',
    TAB_AS_INDENT: 'a tab is used to indent',
};
function yamlProblem(code) {
    return YAML_PROBLEMS[code] ?? code.toLowerCase().replace(/_/g, ' ');
}

;// CONCATENATED MODULE: ./src/login/registry-auth.ts




const REGISTRY_AUTH_KEYS = ['registry', 'username', 'password'];
const GHCR = 'ghcr.io';
const AWS_USER = 'AWS';
// Private ECR: <account>.dkr.ecr[-fips].<region>.amazonaws.com[.cn], and the dual-stack <…>.dkr-ecr.<region>.on.aws.
const ECR_HOST = /^\d{12}\.dkr[.-]ecr(?:-fips)?\.([a-z0-9-]+)\.(?:amazonaws\.com(?:\.cn)?|on\.aws)$/;
const ECR_PUBLIC_HOST = 'public.ecr.aws';
// An AWS access key id: docker/login-action takes these as username for ECR; this action does not.
const AWS_ACCESS_KEY_ID = /^(?:AKIA|ASIA)[A-Z0-9]{16}$/;
/**
 * Reads the credential inputs once. The single form (`registry`/`username`/`password`) and the
 * `registry-auth` list may be combined; a registry named twice is an error rather than a silent
 * pick. Whatever is wrong with an entry fails here, except a missing password: that only matters
 * when pushing (see `resolveRegistryAuth`).
 */
function parseRegistryAuth(inputs) {
    const entries = [];
    const seen = new Map();
    for (const raw of [...singleEntry(inputs), ...registryAuthEntries(inputs.registryAuth)]) {
        const entry = { ...raw, registry: (0,image_reference/* normalizeRegistryHost */.Z6)(raw.registry, raw.where.registry) };
        const previous = seen.get(entry.registry);
        if (previous !== undefined) {
            throw new errors/* InputError */.d(entry.where.registry, `${entry.registry} already has credentials from "${previous}"; give each registry once`);
        }
        seen.set(entry.registry, entry.where.registry);
        checkEntry(entry);
        entries.push(entry);
    }
    // The password input is masked even when no credential uses it (a dropped or misplaced entry).
    const secrets = [inputs.password, ...entries.map((entry) => entry.password)].filter((value) => value !== '');
    return { entries, githubToken: inputs.githubToken, secrets: [...new Set(secrets)] };
}
/**
 * One credential per registry for this run: the entries whose password is known (or fetched from
 * AWS for ECR), and github-token for ghcr.io where the images need it and no entry covers it.
 */
function resolveRegistryAuth(auth, context) {
    const warnings = [];
    const credentials = [];
    for (const entry of auth.entries) {
        const credential = credentialFor(entry, auth.githubToken, context, warnings);
        if (credential)
            credentials.push(credential);
    }
    const ghcr = ghcrDefault(auth, context);
    if (ghcr)
        credentials.push(ghcr);
    const covered = new Set(credentials.map((credential) => credential.registry));
    const uncovered = [...new Set(context.images.map((image) => image.registry))].filter((registry) => !covered.has(registry));
    const secrets = credentials.flatMap((credential) => typeof credential.password === 'string' ? [(0,docker_config/* basicAuth */.tB)(credential.username, credential.password)] : []);
    return { credentials, secrets, uncovered, warnings };
}
/** The argv (for `aws`) that prints an ECR password; its stdout is the password for user `AWS`. */
function ecrLoginPasswordArgv(token) {
    return token.ecrPublic
        ? ['ecr-public', 'get-login-password', '--region', token.ecrRegion]
        : ['ecr', 'get-login-password', '--region', token.ecrRegion];
}
function singleEntry(inputs) {
    const { registry, username, password } = inputs;
    if (registry === '' && username === '' && password === '')
        return [];
    // docker login's default: no registry means Docker Hub.
    const where = { registry: 'registry', username: 'username', password: 'password' };
    return [{ registry: registry || image_reference/* DOCKER_HUB */.Xb, username, password, source: 'registry', where }];
}
function registryAuthEntries(text) {
    if (text.trim() === '')
        return [];
    const input = 'registry-auth';
    const value = readRegistryAuthYaml(text);
    if (value === null || value === undefined || value === '')
        return [];
    if (!Array.isArray(value)) {
        throw new errors/* InputError */.d(input, 'expected a YAML list of entries, each "- registry: …" with "username:" and "password:"');
    }
    return value.map((item, index) => registryAuthEntry(item, `${input}[${index + 1}]`));
}
function registryAuthEntry(item, where) {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) {
        throw new errors/* InputError */.d(where, 'expected a mapping with "registry", "username" and "password"');
    }
    const fields = item;
    for (const key of Object.keys(fields)) {
        if (!REGISTRY_AUTH_KEYS.includes(key)) {
            // A short word is a typo worth naming; anything else may be a secret on the wrong line.
            const named = /^[A-Za-z_-]{1,20}$/.test(key) ? `"${key}"` : '(not quoted here)';
            throw new errors/* InputError */.d(where, `unknown key ${named}; expected ${REGISTRY_AUTH_KEYS.join(', ')}`);
        }
    }
    const text = (key) => {
        const field = fields[key];
        if (field === undefined || field === null)
            return '';
        if (typeof field !== 'string')
            throw new errors/* InputError */.d(where, `"${key}" must be a single value`);
        return field.trim();
    };
    // Like docker/login-action: an entry without a registry is for Docker Hub.
    return {
        registry: text('registry') || image_reference/* DOCKER_HUB */.Xb,
        username: text('username'),
        password: text('password'),
        source: 'registry-auth',
        where: { registry: where, username: where, password: where },
    };
}
/** What is wrong with an entry whatever the run does. */
function checkEntry(entry) {
    const { registry } = entry;
    if (ecrToken(registry)) {
        if (AWS_ACCESS_KEY_ID.test(entry.username)) {
            throw new errors/* InputError */.d(entry.where.username, `${registry} is ECR: username/password are the registry login (user AWS), not AWS access keys. ` +
                'Configure AWS credentials in an earlier step (aws-actions/configure-aws-credentials) and leave the password empty.');
        }
        if (entry.password === '' && entry.username !== '' && entry.username !== AWS_USER) {
            throw new errors/* InputError */.d(entry.where.username, `${registry} is ECR, whose user is always AWS; leave username empty or set it to AWS`);
        }
    }
    else if (entry.username === '' && entry.password !== '') {
        throw new errors/* InputError */.d(entry.where.username, `a password is given for ${registry} but no username`);
    }
}
function credentialFor(entry, githubToken, context, warnings) {
    const { registry } = entry;
    const ecr = ecrToken(registry);
    if (ecr) {
        // Without a password, the token is fetched from the AWS CLI at login.
        const password = entry.password === '' ? ecr : entry.password;
        return { registry, username: entry.username || AWS_USER, password, source: entry.source };
    }
    if (entry.password === '' && entry.username === '') {
        // `registry: ghcr.io` alone asks for the default: github-token as the actor.
        if (registry === GHCR && githubToken !== '') {
            return { registry, username: context.actor, password: githubToken, source: 'github-token' };
        }
        return missing(entry, context, warnings, 'has neither username nor password');
    }
    if (entry.password === '') {
        return missing(entry, context, warnings, `has a username (${entry.username}) but an empty password`);
    }
    return { registry, username: entry.username, password: entry.password, source: entry.source };
}
// Secrets are empty on fork pull requests: say so, and only fail when the credential is needed to push.
function missing(entry, context, warnings, what) {
    const detail = `${entry.registry} ${what}; if it comes from a secret, check the secret exists and is available to this workflow (secrets are empty in pull requests from forks)`;
    if (context.pushing)
        throw new errors/* InputError */.d(entry.where.password, detail);
    warnings.push(`Input "${entry.where.password}": ${detail}. Not pushing, so carrying on without it.`);
    return undefined;
}
/** The region an ECR host lives in, or undefined for any other registry. */
function ecrToken(registry) {
    if (registry === ECR_PUBLIC_HOST)
        return { ecrRegion: 'us-east-1', ecrPublic: true };
    const match = ECR_HOST.exec(registry);
    return match?.[1] ? { ecrRegion: match[1], ecrPublic: false } : undefined;
}
// GITHUB_TOKEN can push to the repository's own GHCR packages (with `packages: write`).
function ghcrDefault(auth, context) {
    if (auth.githubToken === '' || auth.entries.some((entry) => entry.registry === GHCR))
        return undefined;
    const onGhcr = context.images.some((image) => image.registry === GHCR);
    if (!onGhcr)
        return undefined;
    return { registry: GHCR, username: context.actor, password: auth.githubToken, source: 'github-token' };
}


/***/ }),

/***/ 938:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  runMain: () => (/* binding */ runMain)
});

// EXTERNAL MODULE: ./node_modules/@actions/core/lib/core.js + 7 modules
var core = __webpack_require__(3838);
// EXTERNAL MODULE: ./src/action/log.ts
var log = __webpack_require__(8592);
// EXTERNAL MODULE: ./src/github/context.ts
var github_context = __webpack_require__(9556);
// EXTERNAL MODULE: ./src/action/errors.ts
var errors = __webpack_require__(8055);
;// CONCATENATED MODULE: ./src/github/api.ts


/**
 * Repository facts for the OCI labels. The event payload usually carries them; a few events
 * (schedule, some workflow_run payloads) do not, and then the API is asked when a token is at
 * hand and the network may be used. Never required: an unanswered lookup leaves fields empty.
 */
async function resolveRepoInfo(context, token, mayUseNetwork) {
    const fromPayload = repoInfoFromPayload(context);
    if (context.payload.repository?.html_url || !token || !mayUseNetwork)
        return fromPayload;
    try {
        const [owner = '', repo = ''] = context.repository.split('/');
        const { data } = await (await octokit(token, context)).rest.repos.get({ owner, repo });
        return {
            name: data.name,
            description: data.description ?? '',
            htmlUrl: data.html_url,
            license: data.license?.spdx_id ?? '',
            defaultBranch: data.default_branch,
        };
    }
    catch (error) {
        core/* warning */.$e(`Could not read repository details from the GitHub API: ${(0,errors/* errorMessage */.g)(error)}`);
        return fromPayload;
    }
}
/** The commit date for `{{commit_date}}`: the payload's, else the API's, else `now`. */
async function resolveCommitDate(context, token, mayUseNetwork, now) {
    if (context.commitDate)
        return context.commitDate;
    if (!token || !mayUseNetwork || context.sha === '')
        return now;
    try {
        const [owner = '', repo = ''] = context.repository.split('/');
        const { data } = await (await octokit(token, context)).rest.repos.getCommit({ owner, repo, ref: context.sha });
        const date = data.commit.committer?.date;
        return date ? new Date(date) : now;
    }
    catch (error) {
        core/* debug */.Yz(`Commit date not available from the GitHub API: ${(0,errors/* errorMessage */.g)(error)}`);
        return now;
    }
}
/** What the payload says, with the name and URL derived from GITHUB_REPOSITORY when it is silent. */
function repoInfoFromPayload(context) {
    const repository = context.payload.repository;
    const derivedUrl = context.repository ? `${context.serverUrl}/${context.repository}` : '';
    return {
        name: repository?.name ?? context.repository.split('/')[1] ?? '',
        description: repository?.description ?? '',
        htmlUrl: repository?.html_url ?? derivedUrl,
        license: repository?.license?.spdx_id ?? '',
        defaultBranch: repository?.default_branch,
    };
}
// Loaded on first use: most runs never call the API, and the client is most of the start-up time.
async function octokit(token, context) {
    const { getOctokit } = await __webpack_require__.e(/* import() */ 413).then(__webpack_require__.bind(__webpack_require__, 2413));
    return getOctokit(token, { baseUrl: context.apiUrl });
}

// EXTERNAL MODULE: ./src/build/builder.ts
var builder = __webpack_require__(8079);
// EXTERNAL MODULE: ./src/build/inputs.ts + 3 modules
var inputs = __webpack_require__(1539);
// EXTERNAL MODULE: ./src/push/floating-tags.ts
var floating_tags = __webpack_require__(7416);
// EXTERNAL MODULE: ./src/action/input-list.ts
var input_list = __webpack_require__(9103);
// EXTERNAL MODULE: ./src/push/policy.ts
var policy = __webpack_require__(1712);
// EXTERNAL MODULE: ./src/build/qemu.ts
var qemu = __webpack_require__(1302);
// EXTERNAL MODULE: ./src/login/registry-auth.ts + 1 modules
var registry_auth = __webpack_require__(2404);
// EXTERNAL MODULE: ./src/metadata/image-reference.ts
var image_reference = __webpack_require__(3532);
// EXTERNAL MODULE: ./src/scan/severity.ts
var severity = __webpack_require__(4902);
;// CONCATENATED MODULE: ./src/scan/trivy-version.ts


/**
 * Which Trivy release runs.
 * Default version: 0.74.0 (tag v0.74.0, 2026-08-14, the newest tag in the aquasecurity/trivy
 * snapshot we read, commit dc3c56eed58ab21c7e08d26757c517bc946a86c5). It is not one of the
 * releases of the March 2026 supply-chain compromise, GHSA-69fq-xp46-6x23 / CVE-2026-33634
 * (https://github.com/aquasecurity/trivy/security/advisories/GHSA-69fq-xp46-6x23): a malicious
 * v0.69.4 release (binaries on GitHub, Deb, RPM and images), then malicious v0.69.5 and v0.69.6
 * Docker Hub images. Those three versions are refused even when asked for explicitly.
 */
const DEFAULT_TRIVY_VERSION = '0.74.0';
/** GHSA-69fq-xp46-6x23: v0.69.4 (release binaries and images), v0.69.5 and v0.69.6 (Docker Hub images). */
const COMPROMISED_TRIVY_VERSIONS = ['0.69.4', '0.69.5', '0.69.6'];
/** The `trivy-version` input: one release, not a compromised one; empty means the pinned default. */
function parseTrivyVersionInput(value) {
    const version = (0,input_list/* releaseVersion */.SF)(value, 'trivy-version', 'Trivy', DEFAULT_TRIVY_VERSION);
    if (COMPROMISED_TRIVY_VERSIONS.includes(version)) {
        throw new errors/* InputError */.d('trivy-version', `${version} is a compromised Trivy release (GHSA-69fq-xp46-6x23, March 2026); use ${DEFAULT_TRIVY_VERSION}`);
    }
    return version;
}

;// CONCATENATED MODULE: ./src/scan/scout-login.ts


/**
 * The Scout login: `scout-username` / `scout-password`, else the Docker Hub (`docker.io`) entry of
 * `registry` / `registry-auth` when it has both a username and a password. Scout cannot scan
 * without a Docker Hub account (docker/scout-cli#16), so `scanner: scout` without one is an
 * InputError before anything runs. The login goes to the Scout process alone, on every run
 * (a pull request's too): it is the scanner's account, not a registry login, and the
 * build never sees it.
 */
function scoutLogin(read, entries) {
    const username = read('scout-username');
    const password = read('scout-password');
    if (username !== '' && password !== '')
        return { username, password, source: 'scout-username' };
    if (username !== '') {
        throw new errors/* InputError */.d('scout-password', 'scout-username is given, so Docker Scout needs its password or token too');
    }
    if (password !== '')
        throw new errors/* InputError */.d('scout-username', 'scout-password is given but no username');
    const hub = entries.find((entry) => entry.registry === image_reference/* DOCKER_HUB */.Xb);
    if (hub !== undefined && hub.username !== '' && hub.password !== '') {
        return { username: hub.username, password: hub.password, source: hub.where.password };
    }
    throw new errors/* InputError */.d('scout-username', 'scanner "scout" needs a Docker Hub account: set scout-username and scout-password (a personal ' +
        'access token with read-only scope is enough), or give a docker.io credential in registry/registry-auth. ' +
        'Secrets are empty in pull requests from forks: use scanner "trivy" there');
}

;// CONCATENATED MODULE: ./src/scan/scout-version.ts

/**
 * Which Docker Scout CLI release runs. Default: 1.23.0 (tag v1.23.0 of docker/scout-cli,
 * 2026-07-02), the release whose reference docs (docs/scout_cves.md at commit
 * c7ac4ce317eafa536bf2421d1c223908e2200dce) the flags used here were checked against.
 */
const DEFAULT_SCOUT_VERSION = '1.23.0';
/** The `scout-version` input: one release; empty means the pinned default. */
function parseScoutVersionInput(value) {
    return (0,input_list/* releaseVersion */.SF)(value, 'scout-version', 'Docker Scout', DEFAULT_SCOUT_VERSION);
}

;// CONCATENATED MODULE: ./src/scan/inputs.ts







const DEFAULT_SCAN_TIMEOUT = '10m';
const DEFAULT_SCANNERS = ['vuln'];
const TRIVY_SCANNERS = ['vuln', 'secret', 'misconfig'];
/** A run longer than a GitHub-hosted job (6 h) cannot finish; a bigger value is a typo. */
const MAX_TIMEOUT_SECONDS = 6 * 60 * 60;
/**
 * Reads and checks the scan inputs. Pure over `read`: a bad value throws an InputError naming the
 * input before anything is built, installed or scanned. `hubEntries` (the checked credentials of
 * `registry`/`registry-auth`) give Scout's default Docker Hub login.
 */
function readScanInputs(read, hubEntries = []) {
    const scanner = scannerInput(read('scanner'));
    const vex = vexInput(read('vex'));
    if (scanner === 'scout' && vex.length > 0) {
        throw new errors/* InputError */.d('vex', 'VEX files are passed to Trivy; with scanner "scout" leave vex empty');
    }
    return {
        scanner,
        severities: severityInput(read('severity')),
        ignoreUnfixed: (0,input_list/* optionalBoolean */.Jz)(read('ignore-unfixed'), 'ignore-unfixed', false),
        trivyignores: (0,input_list/* listEntries */.fi)(read('trivyignores'), 'trivyignores'),
        vex,
        scanFail: (0,input_list/* optionalBoolean */.Jz)(read('scan-fail'), 'scan-fail', true),
        trivyVersion: parseTrivyVersionInput(read('trivy-version')),
        scoutVersion: parseScoutVersionInput(read('scout-version')),
        ...(scanner === 'scout' ? { scoutLogin: scoutLogin(read, hubEntries) } : {}),
        scanners: scannersInput(read('scanners')),
        ...sarifInput(read('sarif')),
        timeoutSeconds: parseScanTimeout(read('scan-timeout')),
        dbRepositories: {
            dbRepository: repositoriesInput(read('trivy-db-repository'), 'trivy-db-repository'),
            javaDbRepository: repositoriesInput(read('trivy-java-db-repository'), 'trivy-java-db-repository'),
        },
    };
}
/** OCI repositories Trivy fetches its DBs from, e.g. a mirror `registry.example.com/trivy-db:2`. */
function repositoriesInput(text, input) {
    const repositories = (0,input_list/* listEntries */.fi)(text, input);
    for (const repository of repositories)
        (0,image_reference/* parseImageReference */.o_)(repository, input);
    return repositories;
}
/**
 * Trivy's `--vex` also takes the words `repo` (or `repository`), `oci` and `sbom-ref` for VEX
 * fetched over the network (its VEX repository, attestations in the registry, documents an SBOM
 * links to; pkg/vex/vex.go NewSource). Only files are taken here: what waives a finding is then
 * in the workspace, reviewed with the code, and the scan needs no network beyond the DB.
 */
const TRIVY_VEX_SOURCES = ['repo', 'repository', 'oci', 'sbom-ref'];
function vexInput(text) {
    const files = (0,input_list/* listEntries */.fi)(text, 'vex');
    const source = files.find((file) => TRIVY_VEX_SOURCES.includes(file));
    if (source !== undefined) {
        throw new errors/* InputError */.d('vex', `"${source}" is one of Trivy's network VEX sources, which this action does not use; ` +
            `list VEX files (OpenVEX or CSAF), e.g. .vex/openvex.json, and write ./${source} for a file of that name`);
    }
    return files;
}
function scannerInput(text) {
    const value = text.trim().toLowerCase();
    if (value === '' || value === 'trivy')
        return 'trivy';
    if (value === 'none' || value === 'scout')
        return value;
    throw new errors/* InputError */.d('scanner', `expected "trivy", "scout" or "none", got "${text.trim()}"`);
}
function severityInput(text) {
    if (text.trim() === '')
        return [...severity/* DEFAULT_BLOCKING_SEVERITIES */.ki];
    const words = (0,input_list/* listEntries */.fi)(text, 'severity').map((word) => word.toUpperCase());
    const unknown = words.filter((word) => !(0,severity/* isSeverity */._Z)(word));
    if (unknown.length > 0) {
        throw new errors/* InputError */.d('severity', `unknown severity ${unknown.map((word) => `"${word}"`).join(', ')}; use ${severity/* SEVERITIES */.oC.join(', ')}`);
    }
    if (words.length === 0)
        throw new errors/* InputError */.d('severity', `name at least one of ${severity/* SEVERITIES */.oC.join(', ')}`);
    // Most severe first, whatever order they were written in.
    return severity/* SEVERITIES */.oC.filter((severity) => words.includes(severity));
}
function scannersInput(text) {
    if (text.trim() === '')
        return [...DEFAULT_SCANNERS];
    const words = (0,input_list/* listEntries */.fi)(text, 'scanners').map((word) => word.toLowerCase());
    const unknown = words.filter((word) => !TRIVY_SCANNERS.includes(word));
    if (unknown.length > 0) {
        throw new errors/* InputError */.d('scanners', `unknown scanner ${unknown.map((word) => `"${word}"`).join(', ')}; use ${TRIVY_SCANNERS.join(', ')}`);
    }
    if (words.length === 0)
        throw new errors/* InputError */.d('scanners', `name at least one of ${TRIVY_SCANNERS.join(', ')}`);
    return TRIVY_SCANNERS.filter((scanner) => words.includes(scanner));
}
function sarifInput(text) {
    const value = text.trim();
    if (value === '' || /^false$/i.test(value))
        return {};
    if (/^true$/i.test(value))
        return { sarif: {} };
    return { sarif: { path: value } };
}
const UNIT_SECONDS = {
    h: 3600,
    m: 60,
    s: 1,
    ms: 1e-3,
    us: 1e-6,
    µs: 1e-6,
    ns: 1e-9,
};
const DURATION = /^(?:\d+(?:\.\d+)?(?:h|m|s|ms|us|µs|ns))+$/;
const DURATION_PART = /(\d+(?:\.\d+)?)(h|ms|m|s|us|µs|ns)/g;
/**
 * `scan-timeout`: a Go duration as Trivy's `--timeout` takes it (`10m`, `300s`, `1h30m`), in whole
 * seconds, rounded up. Empty means 10 minutes.
 */
function parseScanTimeout(text) {
    const value = text.trim() || DEFAULT_SCAN_TIMEOUT;
    if (!DURATION.test(value)) {
        throw new errors/* InputError */.d('scan-timeout', `"${value}" is not a duration such as 10m, 300s or 1h30m (a number with a unit: h, m, s)`);
    }
    let seconds = 0;
    for (const [, amount, unit] of value.matchAll(DURATION_PART)) {
        seconds += Number(amount) * (UNIT_SECONDS[unit ?? 's'] ?? 1);
    }
    const whole = Math.ceil(Math.round(seconds * 1e6) / 1e6);
    if (whole <= 0)
        throw new errors/* InputError */.d('scan-timeout', `"${value}" is no time at all; give at least 1s`);
    if (whole > MAX_TIMEOUT_SECONDS) {
        throw new errors/* InputError */.d('scan-timeout', `"${value}" is longer than a job can run (6h at most)`);
    }
    return whole;
}

// EXTERNAL MODULE: ./src/sign/inputs.ts
var sign_inputs = __webpack_require__(1292);
// EXTERNAL MODULE: ./src/merge/result.ts
var result = __webpack_require__(5839);
;// CONCATENATED MODULE: ./src/merge/stage.ts


const STAGES = ['all', 'platform', 'merge'];
function parseStage(text) {
    const stage = text.trim().toLowerCase();
    if (stage === '')
        return 'all';
    if (STAGES.includes(stage))
        return stage;
    throw new errors/* InputError */.d('stage', `expected "all", "platform" or "merge", got "${text}"`);
}
/** The `results` input: read by `merge` only, and an error anywhere else (it would be ignored). */
function readResults(stage, text) {
    if (stage === 'merge')
        return (0,result/* parseResults */.c2)(text);
    if (text.trim() !== '')
        throw new errors/* InputError */.d('results', `only stage "merge" reads results (stage is "${stage}")`);
    return [];
}

;// CONCATENATED MODULE: ./src/action/inputs.ts











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
function readInputs(read, env = {}) {
    const stage = parseStage(read('stage'));
    const build = (0,inputs/* readBuildInputs */.qJ)(read);
    const sign = (0,sign_inputs/* readSignInputs */.nr)(read, Boolean(env.ACTIONS_ID_TOKEN_REQUEST_URL && env.ACTIONS_ID_TOKEN_REQUEST_TOKEN));
    const auth = (0,registry_auth/* parseRegistryAuth */.bf)({
        registry: read('registry'),
        username: read('username'),
        password: read('password'),
        registryAuth: read('registry-auth', { trim: false }),
        githubToken: read('github-token'),
    });
    const scan = readScanInputs(read, auth.entries);
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
        dryRun: (0,input_list/* optionalBoolean */.Jz)(read('dry-run'), 'dry-run', false),
        annotationLevels: env.DOCKER_METADATA_ANNOTATIONS_LEVELS?.split(',').map((level) => level.trim()),
        shortShaLength: shortShaLength(env.DOCKER_METADATA_SHORT_SHA_LENGTH),
        prHeadSha: (0,input_list/* optionalBoolean */.Jz)(env.DOCKER_METADATA_PR_HEAD_SHA ?? '', 'DOCKER_METADATA_PR_HEAD_SHA', false),
        build: build.inputs,
        qemu: (0,qemu/* readQemuInputs */.CY)(read('setup-qemu'), read('qemu-image')),
        builderSetup: (0,builder/* readBuilderSetup */.n$)(read),
        auth,
        push: (0,policy/* parsePushMode */.JT)(read('push')),
        floatingTags: (0,floating_tags/* parseFloatingMode */.BW)(read('floating-tags')),
        blobUpload: (0,policy/* parseBlobUpload */.i1)(read('blob-upload')),
        logout: (0,input_list/* optionalBoolean */.Jz)(read('logout'), 'logout', true),
        loginOnBuildOnly: (0,input_list/* optionalBoolean */.Jz)(read('login-on-build-only'), 'login-on-build-only', false),
        load: (0,input_list/* optionalBoolean */.Jz)(read('load'), 'load', false),
        stage,
        results: readResults(stage, read('results')),
        scan,
        sign,
        secrets: [
            ...new Set([
                ...auth.secrets,
                ...build.secrets,
                ...(0,sign_inputs/* signSecrets */.J)(sign),
                // Scout's login is this or a registry/registry-auth password, which auth.secrets holds.
                read('scout-password'),
            ]),
        ].filter((secret) => secret !== ''),
        warnings: build.warnings,
    };
}
function shortShaLength(text) {
    if (text === undefined || text === '')
        return undefined;
    if (!/^[1-9]\d*$/.test(text) || Number(text) > 40) {
        throw new errors/* InputError */.d('DOCKER_METADATA_SHORT_SHA_LENGTH', `expected a whole number from 1 to 40, got "${text}"`);
    }
    return Number(text);
}
function separator(read, name) {
    return read(name, { trim: false }) || '\n';
}

;// CONCATENATED MODULE: ./src/action/raw-secrets.ts
/** The inputs whose text may hold a secret, as the workflow wrote them. */
const SECRET_INPUTS = [
    'password',
    'registry-auth',
    'secrets',
    'github-token',
    'cosign-key',
    'cosign-password',
    'scout-password',
];
// A line of registry-auth that is only YAML punctuation (`-`, `|`): masking it would star out every dash in the log.
const PUNCTUATION_ONLY = /^[-|>?:[\]{},\s]*$/;
// A `password:` line of registry-auth (or of an entry's first line), and its value.
const PASSWORD_LINE = /^\s*(?:-\s+)?password\s*:\s*(.*)$/;
// What YAML reads specially at the start of a value: an alias, anchor or tag, or a quote.
const YAML_PREFIX = /^[*&!'"]/;
/**
 * What to mask of the secret-bearing inputs before any of them is parsed. A parse error may quote
 * any part of a value, and `readInputs` throws before the parsed secrets could be masked; the
 * checks themselves never quote a secret, so this is the second line of defence. Each line is
 * masked on its own (the runner masks a multi-line value only line by line), and so is the value
 * part of a line, because a message may quote it without its key: the text after `password:` in
 * registry-auth (also without a leading YAML `*`, `&`, `!` or quote, as YAML reports an alias by
 * its name alone), and after `id=` in secrets.
 */
function rawSecretMasks(read) {
    const masks = [];
    for (const input of SECRET_INPUTS) {
        const text = read(input, { trim: false });
        for (const line of text.split(/\r?\n/)) {
            const trimmed = line.trim();
            if (trimmed === '' || (input === 'registry-auth' && PUNCTUATION_ONLY.test(trimmed)))
                continue;
            masks.push(trimmed);
            masks.push(...valueParts(input, trimmed));
        }
    }
    return [...new Set(masks)].filter((mask) => mask !== '');
}
function valueParts(input, line) {
    if (input === 'secrets') {
        const at = line.indexOf('=');
        return at > 0 ? [line.slice(at + 1).trim()] : [];
    }
    if (input !== 'registry-auth')
        return [];
    const value = PASSWORD_LINE.exec(line)?.[1]?.trim() ?? '';
    if (PUNCTUATION_ONLY.test(value))
        return [];
    if (!YAML_PREFIX.test(value))
        return [value];
    const quote = value[0] === "'" || value[0] === '"' ? value[0] : '';
    const inner = value.slice(1, quote !== '' && value.endsWith(quote) ? -1 : undefined).trim();
    return [value, inner];
}

// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
var external_node_path_default = /*#__PURE__*/__webpack_require__.n(external_node_path_);
;// CONCATENATED MODULE: ./src/build/local-files.ts



const DOCKERFILE = 'Dockerfile';
/**
 * Whether buildx reads the context over the network rather than from the runner's disk: an HTTP(S)
 * URL, or what BuildKit's ParseGitRef takes for a Git repository (`git://`, `ssh://`, `git@host:…`,
 * `github.com/…`, or `host/path.git[#ref]`).
 */
function isRemoteContext(context) {
    if (/^(?:https?|git|ssh):\/\//i.test(context) || /^git@/.test(context) || context.startsWith('github.com/'))
        return true;
    const repository = context.split('#')[0] ?? '';
    return !repository.startsWith('.') && repository.includes('/') && repository.endsWith('.git');
}
/**
 * Whether a `build-contexts` value is read from somewhere other than the runner's disk: an image
 * (`docker-image://`), a URL or Git repository, an OCI layout (`oci-layout://`, checked by buildx),
 * another stage (`target:`).
 */
function isRemoteBuildContext(value) {
    return /^[a-z][a-z0-9+.-]*:\/\//i.test(value) || value.startsWith('target:') || isRemoteContext(value);
}
/**
 * The local paths the build inputs name, each with the input to blame: the context directory, the
 * Dockerfile (`file`, or the context's own; with a remote context only an absolute `file` is read
 * from the runner, as buildx does), every `secret-files` file and every local `build-contexts`
 * directory.
 */
function localBuildPaths(inputs) {
    const paths = [];
    const remote = isRemoteContext(inputs.context);
    if (!remote)
        paths.push({ input: 'context', path: inputs.context, kind: 'directory' });
    if (inputs.file !== '' && (!remote || external_node_path_default().isAbsolute(inputs.file))) {
        paths.push({ input: 'file', path: inputs.file, kind: 'file' });
    }
    else if (inputs.file === '' && !remote) {
        paths.push({
            input: 'file',
            path: external_node_path_default().join(inputs.context, DOCKERFILE),
            kind: 'file',
            defaultDockerfile: true,
        });
    }
    for (const { value } of inputs.secretFiles)
        paths.push({ input: 'secret-files', path: value, kind: 'file' });
    for (const { value } of inputs.buildContexts) {
        if (!isRemoteBuildContext(value))
            paths.push({ input: 'build-contexts', path: value, kind: 'directory' });
    }
    return paths;
}
/**
 * The `secret-envs` entries whose variable is not set in the step's environment: buildx would fail
 * on them only when the build runs, after the login. A variable set to '' (a secret a fork's pull
 * request does not get) is set: the build gets an empty secret, as build-push-action does.
 */
function unsetSecretEnvs(secretEnvs, env) {
    return secretEnvs.filter(({ value }) => env[value] === undefined);
}
/** Fails, naming the input, on the first local path that is missing or of the wrong kind. */
async function checkLocalBuildPaths(inputs, cwd) {
    for (const local of localBuildPaths(inputs)) {
        const absolute = external_node_path_default().resolve(cwd, local.path);
        let problem = await kindProblem(absolute, local.kind);
        if (problem !== undefined && local.defaultDockerfile) {
            // BuildKit also takes `dockerfile` in lower case (moby/moby#10858).
            const lower = external_node_path_default().join(external_node_path_default().dirname(absolute), DOCKERFILE.toLowerCase());
            if ((await kindProblem(lower, 'file')) === undefined)
                problem = undefined;
            else
                problem = `the context ${inputs.context} has no Dockerfile (${absolute}); name one in "file"`;
        }
        if (problem !== undefined) {
            const detail = local.defaultDockerfile ? problem : `${local.path} (${absolute}) ${problem}`;
            throw new errors/* InputError */.d(local.input, detail);
        }
    }
}
async function kindProblem(absolute, kind) {
    try {
        const found = await (0,promises_.stat)(absolute);
        if (kind === 'directory' && !found.isDirectory())
            return 'is not a directory';
        if (kind === 'file' && !found.isFile())
            return 'is not a file';
        return undefined;
    }
    catch (error) {
        return error.code === 'ENOENT'
            ? 'does not exist'
            : `cannot be read: ${(0,errors/* errorMessage */.g)(error)}`;
    }
}

// EXTERNAL MODULE: ./src/login/plan.ts
var plan = __webpack_require__(7458);
// EXTERNAL MODULE: ./src/scan/sarif-destination.ts
var sarif_destination = __webpack_require__(9813);
// EXTERNAL MODULE: ./src/merge/checks.ts
var checks = __webpack_require__(5567);
// EXTERNAL MODULE: ./src/runner/workspace.ts
var runner_workspace = __webpack_require__(7683);
// EXTERNAL MODULE: ./src/scan/scan-files.ts + 1 modules
var scan_files = __webpack_require__(5434);
// EXTERNAL MODULE: ./src/sign/decide.ts
var decide = __webpack_require__(7697);
;// CONCATENATED MODULE: ./src/action/preflight.ts












/**
 * The checks of the inputs that need the runner's disk or environment, made by the dry run and
 * the real run alike, right after the inputs are read and before anything else: a dry run is how a
 * workflow's configuration is tested, so it must find what the real run would stumble on, and the
 * real run must find it before any probe, login or builder. Each failure is an InputError naming
 * the input.
 *
 * `cwd` is where buildx resolves `context`, `file` and `secret-files` (the step's working
 * directory: GITHUB_WORKSPACE on a runner); the action's own files (`buildkitd-config`,
 * `trivyignores`, `vex`, `sarif`) are relative to GITHUB_WORKSPACE, and the SARIF file it writes
 * must stay under GITHUB_WORKSPACE or RUNNER_TEMP.
 */
async function checkInputsOnRunner(inputs, env, cwd) {
    const workspace = env.GITHUB_WORKSPACE ?? cwd;
    // A merge builds nothing: its job need not check out the build context.
    if (inputs.stage !== 'merge')
        await checkLocalBuildPaths(inputs.build, cwd);
    const unset = unsetSecretEnvs(inputs.build.secretEnvs, env)[0];
    if (unset) {
        throw new errors/* InputError */.d('secret-envs', `"${unset.key}" names the environment variable ${unset.value}, which is not set in this step (set it in the step's env:)`);
    }
    const buildkitdConfig = (0,builder/* buildkitdConfigPath */.oy)(inputs.builderSetup.buildkitdConfig, workspace);
    const scanFiles = await (0,scan_files/* readScanFiles */.rU)(inputs.scan, workspace);
    if (inputs.scan.sarif) {
        await (0,sarif_destination/* checkSarifDestination */.SS)(inputs.scan.sarif, { workspace, runnerTemp: (0,runner_workspace/* workspaceParent */.o2)(env) });
    }
    return { scanFiles, buildkitdConfig };
}
/**
 * Whether this run pushes and which registries it logs in to, logged; pure decisions over the
 * event and the images, so the dry run makes them too. A credential the push needs but lacks (a
 * `registry-auth` entry without a password, on a run that pushes) fails the dry run as it fails
 * the real run, before any output is written. A run that pushes nothing uses no credential (the
 * log says so), unless `login-on-build-only`: then a missing password is a warning, in both runs.
 */
function planPush(inputs, context, metadata, env = process.env) {
    const decision = (0,policy/* decidePush */.vn)(inputs.push, context);
    const merge = inputs.stage === 'merge' ? checkMergeLegs(inputs, context, metadata, decision.push) : undefined;
    for (const warning of decision.warnings)
        core/* warning */.$e(warning);
    (0,log/* info */.pq)(`Push: ${decision.push ? 'yes' : 'no'} (${decision.reason})`);
    const login = (0,plan/* planLogin */.p)(inputs.auth, decision, inputs.loginOnBuildOnly, {
        images: metadata.references,
        actor: context.actor,
    });
    for (const secret of login.secrets)
        core/* setSecret */.Pq(secret);
    for (const warning of login.warnings)
        core/* warning */.$e(warning);
    if (login.note)
        (0,log/* info */.pq)(login.note);
    if (decision.push && login.uncovered.length > 0) {
        (0,log/* info */.pq)(`No credentials given for ${login.uncovered.join(', ')}: using the logins of earlier steps`);
    }
    const signingEnv = (0,decide/* signingEnvironment */.VG)(env);
    if (signingEnv.oidc)
        core/* setSecret */.Pq(signingEnv.oidc.token);
    const signing = (0,decide/* decideSigning */.ms)(inputs.sign, {
        push: decision.push,
        scanner: inputs.scan.scanner,
        ...signingEnv,
    });
    (0,log/* info */.pq)(`Sign: ${signing.sign ? `yes (${signing.reason})` : `no (${signing.reason})`}`);
    return { decision, login, signing, oidc: signingEnv.oidc, ...(merge ? { merge } : {}) };
}
/** The legs of a merge: this commit, this run, these images, every platform once, every gate passed. */
function checkMergeLegs(inputs, context, metadata, push) {
    const checked = (0,checks/* checkLegs */.q)(inputs.results, {
        commit: context.sha,
        run: String(context.runId),
        images: [...new Set(metadata.references.map((image) => image.name))],
        platforms: inputs.build.platforms,
        push,
    });
    (0,log/* info */.pq)(`Merging ${checked.platforms.map((entry) => `${entry.platform} (${entry.digest})`).join(', ')}`);
    return checked;
}

// EXTERNAL MODULE: ./node_modules/handlebars/dist/cjs/handlebars/compiler/base.js
var base = __webpack_require__(8406);
// EXTERNAL MODULE: ./node_modules/moment-timezone/index.js
var moment_timezone = __webpack_require__(9856);
var moment_timezone_default = /*#__PURE__*/__webpack_require__.n(moment_timezone);
;// CONCATENATED MODULE: ./src/metadata/expressions.ts



/** Usable in tag values, prefixes, suffixes, `enable`, schedule patterns, labels and annotations. */
const GLOBAL_EXPRESSIONS = [
    'branch',
    'tag',
    'sha',
    'base_ref',
    'is_default_branch',
    'is_not_default_branch',
    'date',
    'commit_date',
];
/** Additionally usable in `type=semver` and `type=pep440` patterns. */
const VERSION_EXPRESSIONS = ['raw', 'version', 'major', 'minor', 'patch'];
const DATE_EXPRESSIONS = new Set(['date', 'commit_date']);
/** Parses `source` and checks every expression against the names usable where it appears. */
function parseTemplate(source, allowed, fail) {
    if (!source.includes('{{'))
        return { source, parts: source === '' ? [] : [source] };
    if (/\{\{(?![^]*\}\})/.test(source))
        throw fail(`"{{" is not closed by "}}" in "${source}"`);
    let program;
    try {
        program = (0,base/* parse */.qg)(source);
    }
    catch (error) {
        throw fail(`cannot read the {{…}} expressions in "${source}" (${parseProblem(error)})`);
    }
    const parts = program.body.flatMap((statement) => templatePart(statement, allowed, fail));
    return { source, parts };
}
/** A template with no expressions: used for values our own code supplies. */
function literal(text) {
    return { source: text, parts: text === '' ? [] : [text] };
}
function hasExpressions(template) {
    return template.parts.some((part) => typeof part !== 'string');
}
/** True when the template is exactly `{{name}}` (metadata-action's test for a `{{raw}}` pattern). */
function isOnly(template, name) {
    const [only, ...rest] = template.parts;
    return rest.length === 0 && only !== undefined && typeof only !== 'string' && only.name === name;
}
function render(template, scope) {
    return template.parts
        .map((part) => {
        if (typeof part === 'string')
            return part;
        const helper = scope[part.name];
        // Parsing only lets through names the caller's scope provides; reaching this is our bug.
        if (!helper)
            throw new Error(`no value for {{${part.name}}} here`);
        return helper(part);
    })
        .join('');
}
/** `{{date}}`/`{{commit_date}}` for one instant: moment format, UTC unless `tz` names a zone. */
function dateHelper(date) {
    return ({ params, hash }) => moment_timezone_default()(date)
        .tz(hash.tz ?? 'UTC')
        .format(params[0]);
}
function templatePart(statement, allowed, fail) {
    switch (statement.type) {
        case 'ContentStatement':
            return [statement.value];
        case 'CommentStatement':
            return [];
        case 'MustacheStatement':
            return [expression(statement, allowed, fail)];
        default:
            throw fail(`${describe(statement)} is not supported; only simple expressions such as {{branch}} or {{date 'YYYYMMDD'}}`);
    }
}
function expression(statement, allowed, fail) {
    const path = statement.path;
    // `{{'text'}}` has a literal where the name goes; it is no name we know either.
    const name = 'original' in path ? String(path.original) : path.type;
    if (!allowed.includes(name)) {
        throw fail(`unknown expression {{${name}}}; expected one of ${allowed.map((n) => `{{${n}}}`).join(', ')}`);
    }
    const params = statement.params.map((param) => stringLiteral(param));
    const hashPairs = statement.hash?.pairs ?? [];
    if (!DATE_EXPRESSIONS.has(name)) {
        if (params.length > 0 || hashPairs.length > 0)
            throw fail(`{{${name}}} takes no arguments`);
        return { name, params: [], hash: {} };
    }
    return { name, ...dateArguments(name, params, hashPairs, fail) };
}
function dateArguments(name, params, hashPairs, fail) {
    const example = `{{${name} 'YYYYMMDD' tz='Europe/Paris'}}`;
    const [format, ...extra] = params;
    if (params.length === 0)
        throw fail(`{{${name}}} needs a date format in single quotes, e.g. ${example}`);
    if (extra.length > 0)
        throw fail(`{{${name}}} takes one date format, got ${params.length}; e.g. ${example}`);
    if (format === undefined)
        throw fail(`the date format of {{${name}}} must be in single quotes, e.g. ${example}`);
    if (format.trim() === '')
        throw fail(`the date format of {{${name}}} is empty; e.g. ${example}`);
    const hash = {};
    for (const pair of hashPairs) {
        if (pair.key !== 'tz')
            throw fail(`{{${name}}} takes only tz='<time zone>', not "${pair.key}"`);
        const zone = stringLiteral(pair.value);
        if (zone === undefined)
            throw fail(`the time zone of {{${name}}} must be in single quotes, e.g. ${example}`);
        if (moment_timezone_default().tz.zone(zone) === null) {
            throw fail(`unknown time zone "${zone}" in {{${name}}}; expected an IANA name such as UTC or Asia/Tokyo`);
        }
        hash.tz = zone;
    }
    return { params: [format], hash };
}
function stringLiteral(node) {
    return node.type === 'StringLiteral' ? node.value : undefined;
}
function describe(statement) {
    switch (statement.type) {
        case 'BlockStatement':
            return 'a {{#…}} block';
        case 'PartialStatement':
        case 'PartialBlockStatement':
            return 'a {{> …}} partial';
        default:
            return `a ${statement.type}`;
    }
}
// Handlebars' message shows the source with a caret, then "Expecting …, got …": keep the last line.
function parseProblem(error) {
    const message = (0,errors/* errorMessage */.g)(error);
    const lines = message.split('\n').filter((line) => line.trim() !== '');
    return lines[lines.length - 1] ?? message;
}

;// CONCATENATED MODULE: ./src/metadata/lines.ts


/** The entries `inputLines` keeps (no blank lines, no `#` lines), each with its 1-based line number. */
function numberedLines(text) {
    return text
        .split(/\r?\n/)
        .flatMap((raw, index) => (0,input_list/* inputLines */.KD)(raw).map((line) => ({ number: index + 1, text: line })));
}
/** `Input "tags": line 2 "type=foo": <detail>` — every complaint about a line names it the same way. */
function lineError(input, line, detail) {
    return new errors/* InputError */.d(input, `line ${line.number} "${line.text}": ${detail}`);
}
/** The CSV fields of one line; a quoting problem is reported with the line number like every other one. */
function lineFields(input, line) {
    try {
        return (0,input_list/* csvFields */.qZ)(line.text, input);
    }
    catch (error) {
        if (!(error instanceof errors/* InputError */.d))
            throw error;
        const detail = error.message.replace(`Input "${input}": cannot read "${line.text}": `, '');
        throw lineError(input, line, detail);
    }
}
/** A human list: `a, b or c`. */
function oneOf(choices) {
    if (choices.length <= 1)
        return choices.join('');
    return `${choices.slice(0, -1).join(', ')} or ${choices[choices.length - 1]}`;
}

;// CONCATENATED MODULE: ./src/metadata/flavor.ts



const INPUT = 'flavor';
const KEYS = ['latest', 'prefix', 'suffix', 'onlatest'];
const LATEST_MODES = ['auto', 'true', 'false'];
/** The `flavor` input; a later line overrides an earlier one, as in metadata-action. */
function parseFlavor(text) {
    const flavor = {
        latest: 'auto',
        prefix: literal(''),
        suffix: literal(''),
        prefixOnLatest: false,
        suffixOnLatest: false,
    };
    for (const line of numberedLines(text))
        readLine(flavor, line);
    return flavor;
}
function readLine(flavor, line) {
    // `onlatest` qualifies the prefix or suffix given just before it on the same line.
    let lastAffix;
    for (const { key, value } of (0,input_list/* attributes */.uK)(lineFields(INPUT, line))) {
        if (key === undefined)
            throw lineError(INPUT, line, `expected key=value, got "${value}"`);
        switch (key) {
            case 'latest':
                flavor.latest = latestMode(value, line);
                break;
            case 'prefix':
            case 'suffix':
                flavor[key] = parseTemplate(value, GLOBAL_EXPRESSIONS, (detail) => lineError(INPUT, line, detail));
                lastAffix = key;
                break;
            case 'onlatest':
                if (lastAffix === undefined) {
                    throw lineError(INPUT, line, 'onlatest must follow prefix=… or suffix=… on the same line');
                }
                flavor[lastAffix === 'prefix' ? 'prefixOnLatest' : 'suffixOnLatest'] = onLatest(value, line);
                break;
            default:
                throw lineError(INPUT, line, `unknown key "${key}"; expected ${oneOf(KEYS)}`);
        }
    }
}
function latestMode(value, line) {
    const mode = LATEST_MODES.find((candidate) => candidate === value.toLowerCase());
    if (!mode)
        throw lineError(INPUT, line, `latest must be ${oneOf(LATEST_MODES)}, got "${value}"`);
    return mode;
}
function onLatest(value, line) {
    if (/^true$/i.test(value))
        return true;
    if (/^false$/i.test(value))
        return false;
    throw lineError(INPUT, line, `onlatest must be "true" or "false", got "${value}"`);
}

;// CONCATENATED MODULE: ./src/metadata/images.ts




const images_INPUT = 'images';
const IMAGE_ATTRIBUTES = ['name', 'enable'];
/**
 * The `images` input: one image per line as `name=…,enable=…` attributes, or lines of bare names
 * separated by commas (`a/b,ghcr.io/c/d` is two images, metadata-action's older form).
 */
function parseImages(text) {
    const lines = numberedLines(text);
    if (lines.length === 0) {
        throw new errors/* InputError */.d(images_INPUT, 'at least one image name is required, e.g. ghcr.io/owner/app');
    }
    const entries = lines.flatMap((line) => imagesOfLine(line));
    // The same image named twice would only push every tag twice.
    return entries.filter((entry, index) => entries.findIndex((other) => other.name === entry.name) === index);
}
function imagesOfLine(line) {
    const fields = (0,input_list/* attributes */.uK)(lineFields(images_INPUT, line));
    if (fields.every((field) => field.key === undefined)) {
        return fields.map((field) => ({ name: imageName(field.value, line), enable: true }));
    }
    let name;
    let enable = true;
    for (const field of fields) {
        const key = field.key ?? 'name';
        if (key === 'name') {
            if (name !== undefined)
                throw lineError(images_INPUT, line, 'one line with attributes names one image; found two names');
            name = field.value;
        }
        else if (key === 'enable') {
            enable = booleanAttribute(field.value, line);
        }
        else {
            throw lineError(images_INPUT, line, `unknown attribute "${key}"; expected ${oneOf(IMAGE_ATTRIBUTES)}`);
        }
    }
    if (!name)
        throw lineError(images_INPUT, line, 'the image name is empty; expected name=<image>, e.g. name=ghcr.io/owner/app');
    return [{ name: imageName(name, line), enable }];
}
function booleanAttribute(value, line) {
    if (/^true$/i.test(value))
        return true;
    if (/^false$/i.test(value))
        return false;
    throw lineError(images_INPUT, line, `enable must be "true" or "false", got "${value}"`);
}
const NAME_MAX_LENGTH = 255;
/** Lower-cases first (as metadata-action does), then insists on a name registries accept. */
function imageName(raw, line) {
    const name = raw.toLowerCase();
    if (name.length > NAME_MAX_LENGTH) {
        throw lineError(images_INPUT, line, `"${name}" is longer than ${NAME_MAX_LENGTH} characters`);
    }
    if (isRepositoryName(name))
        return name;
    if (/@|:[^/]*$/.test(name) && isRepositoryName(name.replace(/@.*$|:[^/]*$/, ''))) {
        throw lineError(images_INPUT, line, `"${name}" carries a tag or digest; give the name only and put tags in the "tags" input`);
    }
    throw lineError(images_INPUT, line, `"${name}" is not a valid image name; expected [registry[:port]/]path/name where each path part is ` +
        'lowercase letters and digits joined by ".", "_", "__" or "-"');
}
/** A name without tag or digest, by the same grammar the push side reads references with. */
function isRepositoryName(name) {
    if (name !== name.trim())
        return false;
    try {
        const reference = (0,image_reference/* parseImageReference */.o_)(name);
        return reference.tag === undefined && reference.digest === undefined;
    }
    catch {
        return false;
    }
}

;// CONCATENATED MODULE: ./src/metadata/labels.ts



/** The levels buildx accepts in front of an annotation, optionally with a platform: `manifest[linux/amd64]`. */
const ANNOTATION_LEVELS = ['manifest', 'index', 'manifest-descriptor', 'index-descriptor'];
const LEVEL = /^([a-z-]+)(?:\[[A-Za-z0-9_/-]+\])?$/;
const LEVELS_HINT = `expected ${ANNOTATION_LEVELS.join(', ')}, optionally with a platform such as manifest[linux/amd64]`;
/** `labels` input. Each line is one label; commas are part of the value (no CSV here). */
function parseLabels(text) {
    return numberedLines(text).map((line) => ({ line, body: keyValueTemplate('labels', line, line.text) }));
}
/** `annotations` input: like labels, with an optional `level[,level]:` in front of the key. */
function parseAnnotations(text) {
    return numberedLines(text).map((line) => {
        const key = line.text.slice(0, Math.max(line.text.indexOf('='), 0));
        const colon = key.indexOf(':');
        if (colon === -1)
            return { line, levels: undefined, body: keyValueTemplate('annotations', line, line.text) };
        const levels = key.slice(0, colon).split(',');
        for (const level of levels) {
            if (!isAnnotationLevel(level)) {
                throw lineError('annotations', line, `unknown annotation level "${level}"; ${LEVELS_HINT}`);
            }
        }
        return { line, levels, body: keyValueTemplate('annotations', line, line.text.slice(colon + 1)) };
    });
}
/** The levels for annotations that name none: metadata-action's `DOCKER_METADATA_ANNOTATIONS_LEVELS`. */
function parseAnnotationLevels(levels) {
    const given = (levels ?? []).map((level) => level.trim()).filter((level) => level !== '');
    for (const level of given) {
        if (!isAnnotationLevel(level)) {
            throw new errors/* InputError */.d('annotations', `DOCKER_METADATA_ANNOTATIONS_LEVELS: unknown level "${level}"; ${LEVELS_HINT}`);
        }
    }
    return given.length > 0 ? [...new Set(given)] : ['manifest'];
}
function isAnnotationLevel(level) {
    const type = LEVEL.exec(level)?.[1];
    return type !== undefined && ANNOTATION_LEVELS.includes(type);
}
function keyValueTemplate(input, line, text) {
    const equals = text.indexOf('=');
    if (equals === -1)
        throw lineError(input, line, 'expected key=value');
    if (text.slice(0, equals).trim() === '')
        throw lineError(input, line, 'the key before "=" is empty');
    return parseTemplate(text, GLOBAL_EXPRESSIONS, (detail) => lineError(input, line, detail));
}
/** Evaluates a line and splits it at its first `=`. */
function keyValue(input, entry, scope) {
    const text = render(entry.body, scope);
    const equals = text.indexOf('=');
    const key = text.slice(0, Math.max(equals, 0)).trim();
    if (equals === -1 || key === '') {
        throw lineError(input, entry.line, `expected key=value once expressions are evaluated, got "${text}"`);
    }
    return [key, text.slice(equals + 1)];
}
/**
 * The generated entries, each replaced in place by a user line with the same key; new keys follow
 * in the order written (a repeated user key: the last one wins).
 */
function labelList(generated, lines, scope) {
    const merged = new Map(generated);
    for (const entry of lines)
        merged.set(...keyValue('labels', entry, scope));
    return [...merged].map(([key, value]) => `${key}=${value}`);
}
/**
 * Annotations with their level in front, one entry per level. Lines without a level join the
 * generated set at every default level; a line with levels overrides that level's entry only.
 */
function annotationList(generated, lines, defaultLevels, scope) {
    const unlevelled = new Map(generated);
    const levelled = [];
    for (const entry of lines) {
        const [key, value] = keyValue('annotations', entry, scope);
        if (entry.levels === undefined)
            unlevelled.set(key, value);
        else
            for (const level of entry.levels)
                levelled.push([level, key, value]);
    }
    const merged = new Map();
    for (const level of defaultLevels) {
        for (const [key, value] of unlevelled)
            merged.set(`${level}:${key}`, value);
    }
    for (const [level, key, value] of levelled)
        merged.set(`${level}:${key}`, value);
    return [...merged].map(([levelKey, value]) => `${levelKey}=${value}`);
}

;// CONCATENATED MODULE: ./src/metadata/refs.ts

/** The branch name of a `refs/heads/…` ref, else ''. */
function branchOf(ref) {
    return ref.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : '';
}
/** The tag name of a `refs/tags/…` ref, else ''. */
function tagOf(ref) {
    return ref.startsWith('refs/tags/') ? ref.slice('refs/tags/'.length) : '';
}
/** The number of a `refs/pull/N/merge` ref, else ''. */
function pullRequestOf(ref) {
    return ref.startsWith('refs/pull/') ? ref.slice('refs/pull/'.length).replace(/\/merge$/, '') : '';
}
/**
 * The default branch: the event's repository says it for nearly every event; the API's answer
 * (when the caller has it) covers the rest, e.g. schedule payloads that carry no repository.
 */
function defaultBranchOf(context, repo) {
    return context.payload.repository?.default_branch || repo.defaultBranch || undefined;
}
// These events always run on the default branch's last commit, whatever GITHUB_REF says.
const DEFAULT_BRANCH_EVENTS = new Set(['create', 'discussion', 'discussion_comment', 'issues', 'schedule']);
/**
 * metadata-action's `{{is_default_branch}}`: the ref names the default branch, or the event always
 * runs there. Otherwise a tag or pull-request ref is not the default branch.
 */
function isDefaultBranch(context, repo) {
    if (context.ref === '')
        return false;
    const branch = branchOf(context.ref);
    if (branch !== '' && branch === defaultBranchOf(context, repo))
        return true;
    return DEFAULT_BRANCH_EVENTS.has(context.eventName);
}
/** `{{base_ref}}`: the branch a pushed tag came from (when the payload says) or a pull request's target. */
function baseRefOf(context) {
    if (context.ref.startsWith('refs/tags/') && context.payload.base_ref) {
        return context.payload.base_ref.replace(/^refs\/heads\//, '');
    }
    if (context.ref.startsWith('refs/pull/'))
        return context.payload.pull_request?.base?.ref ?? '';
    return '';
}
function shortSha(sha, length) {
    return sha.slice(0, length);
}
/** The values of the global expressions for this run. */
function globalScope(context, repo, now, shaLength) {
    const isDefault = isDefaultBranch(context, repo);
    return {
        branch: () => branchOf(context.ref),
        tag: () => tagOf(context.ref),
        sha: () => shortSha(context.sha, shaLength),
        base_ref: () => baseRefOf(context),
        is_default_branch: () => String(isDefault),
        is_not_default_branch: () => String(!isDefault),
        date: dateHelper(now),
        commit_date: dateHelper(context.commitDate ?? now),
    };
}

;// CONCATENATED MODULE: ./src/metadata/rule-values.ts


const rule_values_INPUT = 'tags';
const REF_EVENTS = ['branch', 'tag', 'pr'];
const SHA_FORMATS = ['short', 'long'];
/** `pattern=` of type=match: a regular expression, or `/expression/flags` as metadata-action allows. */
function matchPattern(text, line) {
    const slashed = /^\/(.+)\/(.*)$/.exec(text);
    if (!slashed)
        return regex(text, 'pattern', line);
    // Only the first match counts, so a `g` flag would only change what `group` means.
    return { text, regex: regex(slashed[1] ?? '', 'pattern', line, (slashed[2] ?? '').replace('g', '')).regex };
}
/** `match=` of type=semver/pep440: a plain regular expression (its first group is the version). */
function optionalRegex(text, line) {
    return text ? regex(text, 'match', line) : undefined;
}
function regex(source, key, line, flags = '') {
    try {
        return { text: source, regex: new RegExp(source, flags) };
    }
    catch (error) {
        const reason = (0,errors/* errorMessage */.g)(error);
        throw lineError(rule_values_INPUT, line, `${key} is not a valid regular expression: ${reason}`);
    }
}
function group(text, line) {
    if (!/^\d+$/.test(text))
        throw lineError(rule_values_INPUT, line, `group must be a capture group number, got "${text}"`);
    return Number(text);
}
function refEvent(text, line) {
    if (text === undefined)
        throw lineError(rule_values_INPUT, line, `type=ref needs an event: ${oneOf(REF_EVENTS.map((e) => `event=${e}`))}`);
    const event = REF_EVENTS.find((candidate) => candidate === text.toLowerCase());
    if (!event)
        throw lineError(rule_values_INPUT, line, `unknown event "${text}"; expected ${oneOf(REF_EVENTS)}`);
    return event;
}
function shaFormat(text, line) {
    if (text === undefined)
        return 'short';
    const format = SHA_FORMATS.find((candidate) => candidate === text.toLowerCase());
    if (!format)
        throw lineError(rule_values_INPUT, line, `format must be ${oneOf(SHA_FORMATS)}, got "${text}"`);
    return format;
}

;// CONCATENATED MODULE: ./src/metadata/rules.ts




const TAG_TYPES = ['schedule', 'ref', 'semver', 'pep440', 'match', 'edge', 'raw', 'sha'];
/** metadata-action's default priorities: the higher, the earlier the tag (the first one is the version). */
const DEFAULT_PRIORITIES = {
    schedule: 1000,
    semver: 900,
    pep440: 900,
    match: 800,
    edge: 700,
    ref: 600,
    raw: 200,
    sha: 100,
};
const rules_INPUT = 'tags';
const COMMON_ATTRIBUTES = ['type', 'enable', 'priority', 'prefix', 'suffix'];
const TYPE_ATTRIBUTES = {
    schedule: ['pattern'],
    semver: ['pattern', 'value', 'match'],
    pep440: ['pattern', 'value', 'match'],
    match: ['pattern', 'group', 'value'],
    edge: ['branch'],
    ref: ['event'],
    raw: ['value'],
    sha: ['format'],
};
/**
 * Used when `tags` is empty. Unlike metadata-action's defaults (schedule, branch, tag, pr), a
 * release gets semantic-version tags and every build a `sha-` tag, and no raw git-tag tag.
 * Two adjustments only the defaults carry: `{{major}}` makes no `0` tag for 0.x versions, and the
 * branch rule stays quiet on schedule runs (GITHUB_REF is the default branch there).
 */
const DEFAULT_TAGS = [
    'type=schedule',
    'type=ref,event=branch',
    'type=ref,event=pr',
    'type=semver,pattern={{version}}',
    'type=semver,pattern={{major}}.{{minor}}',
    'type=semver,pattern={{major}}',
    'type=sha',
].join('\n');
/** The `tags` input, in the order written (our defaults when it is empty). */
function parseTagRules(text) {
    const lines = numberedLines(text);
    if (lines.length === 0)
        return defaultRules();
    const warnings = [];
    const rules = lines.map((line) => parseRule(line, warnings));
    return { rules, warnings };
}
function defaultRules() {
    const rules = numberedLines(DEFAULT_TAGS).map((line) => {
        const rule = parseRule(line, []);
        if (rule.type === 'semver' && rule.pattern.source === '{{major}}')
            rule.skipMajorZero = true;
        // A nightly rebuild is tagged `nightly`; it should not also move the default branch's tag.
        if (rule.type === 'ref' && rule.event === 'branch')
            rule.skipEvents = ['schedule'];
        return rule;
    });
    return { rules, warnings: [] };
}
function parseRule(line, warnings) {
    const fail = (detail) => lineError(rules_INPUT, line, detail);
    const attrs = attributeMap(line);
    const type = tagType(attrs.get('type') ?? 'raw', line);
    for (const key of attrs.keys()) {
        if (COMMON_ATTRIBUTES.includes(key) || TYPE_ATTRIBUTES[type].includes(key))
            continue;
        warnings.push(`Input "tags": line ${line.number} "${line.text}": ${ignoredAttribute(key, type)}`);
    }
    const globalTemplate = (text) => parseTemplate(text, GLOBAL_EXPRESSIONS, fail);
    const optionalTemplate = (key) => {
        const text = attrs.get(key);
        return text === undefined ? undefined : globalTemplate(text);
    };
    const base = {
        line,
        priority: priority(attrs.get('priority'), type, line),
        enable: enableTemplate(attrs.get('enable') ?? 'true', line),
        prefix: optionalTemplate('prefix'),
        suffix: optionalTemplate('suffix'),
    };
    switch (type) {
        case 'schedule':
            return { ...base, type, pattern: globalTemplate(attrs.get('pattern') ?? 'nightly') };
        case 'semver':
        case 'pep440':
            return {
                ...base,
                type,
                pattern: parseTemplate(required(attrs, 'pattern', `type=${type} needs a pattern, e.g. pattern={{version}}`, line), [...VERSION_EXPRESSIONS, ...GLOBAL_EXPRESSIONS], fail),
                value: optionalValue(attrs, globalTemplate),
                match: optionalRegex(attrs.get('match'), line),
                skipMajorZero: false,
            };
        case 'match':
            return {
                ...base,
                type,
                pattern: matchPattern(required(attrs, 'pattern', 'type=match needs a pattern, e.g. pattern=v(.*)', line), line),
                group: group(attrs.get('group') ?? '0', line),
                value: optionalValue(attrs, globalTemplate),
            };
        case 'edge':
            return { ...base, type, branch: attrs.get('branch') || undefined };
        case 'ref': {
            const event = refEvent(attrs.get('event'), line);
            // metadata-action's rule: a pull request tag reads `pr-N` unless the rule sets its own prefix.
            const prefix = base.prefix ?? (event === 'pr' ? literal('pr-') : undefined);
            return { ...base, prefix, type, event };
        }
        case 'raw': {
            const value = attrs.get('value');
            if (value === undefined)
                throw fail('type=raw needs a value, e.g. type=raw,value=latest or just latest');
            return { ...base, type, value: globalTemplate(value) };
        }
        case 'sha':
            return {
                ...base,
                prefix: base.prefix ?? literal('sha-'),
                type,
                format: shaFormat(attrs.get('format'), line),
            };
    }
}
/** The line's attributes; a field without `=` is the `value`. Naming one twice is a mistake, not an override. */
function attributeMap(line) {
    const map = new Map();
    for (const text of lineFields(rules_INPUT, line)) {
        const { key = 'value', value, positional } = attribute(text);
        if (map.has(key)) {
            const what = positional ? 'the value (a field without "=")' : `attribute "${key}"`;
            throw lineError(rules_INPUT, line, `${what} is given twice`);
        }
        map.set(key, value);
    }
    return map;
}
// A field whose text before `=` is no attribute name is a value: `{{date 'YYYY' tz='UTC'}}` alone
// is not an attribute named `{{date 'YYYY' tz`.
function attribute(text) {
    const [field] = (0,input_list/* attributes */.uK)([text]);
    if (field?.key === undefined || !/^[a-z][a-z0-9_-]*$/.test(field.key))
        return { value: text, positional: true };
    return { key: field.key, value: field.value, positional: false };
}
function tagType(text, line) {
    const type = TAG_TYPES.find((candidate) => candidate === text.toLowerCase());
    if (!type)
        throw lineError(rules_INPUT, line, `unknown type "${text}"; expected one of ${TAG_TYPES.join(', ')}`);
    return type;
}
function ignoredAttribute(key, type) {
    const usable = [...COMMON_ATTRIBUTES.slice(1), ...TYPE_ATTRIBUTES[type]].join(', ');
    const known = Object.values(TYPE_ATTRIBUTES).some((keys) => keys.includes(key));
    return known
        ? `attribute "${key}" does not apply to type=${type} and is ignored (it takes ${usable})`
        : `unknown attribute "${key}" is ignored; type=${type} takes ${usable}`;
}
function priority(text, type, line) {
    if (text === undefined)
        return DEFAULT_PRIORITIES[type];
    if (!/^[-+]?\d+$/.test(text))
        throw lineError(rules_INPUT, line, `priority must be a whole number, got "${text}"`);
    return Number(text);
}
/** A literal `enable` is checked now; one with expressions once they are evaluated. */
function enableTemplate(text, line) {
    const template = parseTemplate(text, GLOBAL_EXPRESSIONS, (detail) => lineError(rules_INPUT, line, detail));
    if (!hasExpressions(template))
        enabledValue(text, line);
    return template;
}
/** `enable` after evaluation: true/false in any case (GitHub's `${{ }}` writes lower case). */
function enabledValue(text, line) {
    if (/^true$/i.test(text.trim()))
        return true;
    if (/^false$/i.test(text.trim()))
        return false;
    throw lineError(rules_INPUT, line, `enable must be "true" or "false" once expressions are evaluated, got "${text}"`);
}
function required(attrs, key, problem, line) {
    const value = attrs.get(key);
    if (value === undefined || value === '')
        throw lineError(rules_INPUT, line, problem);
    return value;
}
function optionalValue(attrs, parse) {
    const value = attrs.get('value');
    return value ? parse(value) : undefined;
}

// EXTERNAL MODULE: ./node_modules/@renovatebot/pep440/index.js
var pep440 = __webpack_require__(8898);
var pep440_default = /*#__PURE__*/__webpack_require__.n(pep440);
// EXTERNAL MODULE: ./node_modules/semver/index.js
var semver = __webpack_require__(2088);
var semver_default = /*#__PURE__*/__webpack_require__.n(semver);
;// CONCATENATED MODULE: ./src/metadata/versions.ts



/**
 * Applies a rule's `match=` (its first capture group, else the whole match) before the version is
 * read. A value the expression does not match produces no tag.
 */
function matchedVersion(input, match, warn) {
    const text = match ? versionPart(input, match, warn) : input;
    // A version is a tag, and a tag cannot hold "/" (p1/v1.2.3 reads as p1-v1.2.3).
    return text?.replace(/\//g, '-');
}
function versionPart(input, match, warn) {
    const found = match.regex.exec(input);
    if (!found) {
        warn(`match=${match.text} does not match "${input}"; the rule produces no tag`);
        return undefined;
    }
    return found[1] ?? found[0];
}
/**
 * `type=semver`: a pre-release gets only its full version (or `{{raw}}` when that is the whole
 * pattern), since `2.0`/`2` must keep pointing at a final release.
 */
function semverTag(text, rule, globals, warn) {
    if (!semver_default().valid(text)) {
        warn(`"${text}" is not a valid semantic version (https://semver.org); type=semver rules produce no tag for it`);
        return undefined;
    }
    const version = semver_default().parse(text, { loose: true });
    if (!version)
        return undefined;
    if (rule.skipMajorZero && version.major === 0)
        return undefined;
    const scope = {
        ...globals,
        raw: () => version.raw,
        version: () => version.version,
        major: () => String(version.major),
        minor: () => String(version.minor),
        patch: () => String(version.patch),
    };
    if (version.prerelease.length > 0) {
        const pattern = isOnly(rule.pattern, 'raw') ? version.raw : version.version;
        return { text: pattern, latestByDefault: false };
    }
    return { text: render(rule.pattern, scope), latestByDefault: true };
}
/** `type=pep440`: like semver; dev, pre and post releases get only their (normalised) version. */
function pep440Tag(text, rule, globals, warn) {
    const explained = pep440_default().valid(text) ? pep440_default().explain(text) : null;
    if (!explained) {
        warn(`"${text}" is not a PEP 440 version (https://peps.python.org/pep-0440/); type=pep440 rules produce no tag for it`);
        return undefined;
    }
    const clean = pep440_default().clean(text) ?? text;
    if (rule.skipMajorZero && pep440_default().major(text) === 0)
        return undefined;
    if (explained.is_prerelease || explained.is_postrelease || explained.is_devrelease) {
        return { text: isOnly(rule.pattern, 'raw') ? text : clean, latestByDefault: false };
    }
    const scope = {
        ...globals,
        raw: () => text,
        version: () => clean,
        major: () => String(pep440_default().major(text)),
        minor: () => String(pep440_default().minor(text)),
        patch: () => String(pep440_default().patch(text)),
    };
    return { text: render(rule.pattern, scope), latestByDefault: true };
}
/** `type=match`: the chosen capture group of the first match. */
function matchTag(input, pattern, group, warn) {
    const found = pattern.regex.exec(input);
    if (!found) {
        warn(`pattern=${pattern.text} does not match "${input}"; the rule produces no tag`);
        return undefined;
    }
    const text = found[group];
    if (text === undefined) {
        warn(`group ${group} does not exist in pattern=${pattern.text} (or took no part in the match)`);
        return undefined;
    }
    return { text, latestByDefault: true };
}

;// CONCATENATED MODULE: ./src/metadata/tags.ts




/** Docker's limit on the length of a tag. */
const TAG_MAX_LENGTH = 128;
/** The tag names of this run in priority order; the first is the version. */
function tagNames(rules, env) {
    const names = [];
    const priorities = [];
    // Like metadata-action, the first rule that yields a tag decides whether `latest` is added.
    let latestFrom;
    for (const rule of byPriority(rules)) {
        if (!enabledValue(render(rule.enable, env.globals), rule.line))
            continue;
        if (rule.skipEvents?.includes(env.context.eventName))
            continue;
        const produced = produce(rule, env);
        // An empty value makes no tag, even with a prefix: `pr-` or `sha-` alone would mislead.
        if (!produced || produced.text === '')
            continue;
        const name = tagName(`${prefixOf(rule, env)}${produced.text}${suffixOf(rule, env)}`, env.warn);
        if (name === undefined)
            continue;
        latestFrom ??= { latest: latestWanted(env.flavor, produced.latestByDefault), priority: rule.priority };
        if (names.includes(name))
            continue;
        names.push(name);
        priorities.push(rule.priority);
    }
    if (latestFrom?.latest)
        insertLatest(names, priorities, latestFrom.priority, env);
    return names;
}
/** Highest priority first; rules of equal priority keep the order they were written in. */
function byPriority(rules) {
    return [...rules].sort((a, b) => b.priority - a.priority);
}
function produce(rule, env) {
    const { context } = env;
    switch (rule.type) {
        case 'schedule':
            if (context.eventName !== 'schedule')
                return undefined;
            return { text: render(rule.pattern, env.globals), latestByDefault: false };
        case 'semver':
        case 'pep440': {
            const input = versionInput(rule.value && render(rule.value, env.globals), context);
            const text = input === undefined ? undefined : matchedVersion(input, rule.match, env.warn);
            if (text === undefined)
                return undefined;
            return (rule.type === 'semver' ? semverTag : pep440Tag)(text, rule, env.globals, env.warn);
        }
        case 'match': {
            const input = versionInput(rule.value && render(rule.value, env.globals), context);
            return input === undefined ? undefined : matchTag(input, rule.pattern, rule.group, env.warn);
        }
        case 'edge':
            return edgeTag(rule.branch, env);
        case 'ref':
            return refTag(rule.event, context.ref);
        case 'raw':
            return { text: render(rule.value, env.globals), latestByDefault: false };
        case 'sha':
            if (context.sha === '')
                return undefined;
            return {
                text: rule.format === 'long' ? context.sha : shortSha(context.sha, env.shaLength),
                latestByDefault: false,
            };
    }
}
/** A version rule reads its `value=` when it has one, else the pushed tag; other refs give nothing. */
function versionInput(value, context) {
    if (value !== undefined)
        return value;
    return context.ref.startsWith('refs/tags/') ? tagOf(context.ref) : undefined;
}
function refTag(event, ref) {
    const text = { branch: branchOf, tag: tagOf, pr: pullRequestOf }[event](ref);
    if (text === '')
        return undefined;
    return { text, latestByDefault: event === 'tag' };
}
function edgeTag(branch, env) {
    const current = branchOf(env.context.ref);
    if (current === '')
        return undefined;
    const target = branch ?? defaultBranchOf(env.context, env.repo);
    if (target === undefined) {
        env.warn('type=edge: the default branch is unknown for this event; name it with type=edge,branch=<name>');
        return undefined;
    }
    return current === target ? { text: 'edge', latestByDefault: false } : undefined;
}
function prefixOf(rule, env) {
    return render(rule.prefix ?? env.flavor.prefix, env.globals);
}
function suffixOf(rule, env) {
    return render(rule.suffix ?? env.flavor.suffix, env.globals);
}
function latestWanted(flavor, byDefault) {
    return flavor.latest === 'auto' ? byDefault : flavor.latest === 'true';
}
/**
 * `latest` ranks with the rule that asked for it: after every tag of that priority or higher,
 * before lower ones (a release's `latest` comes before its `sha-` tag).
 */
function insertLatest(names, priorities, priority, env) {
    const { flavor, globals } = env;
    const prefix = flavor.prefixOnLatest ? render(flavor.prefix, globals) : '';
    const suffix = flavor.suffixOnLatest ? render(flavor.suffix, globals) : '';
    const latest = tagName(`${prefix}latest${suffix}`, env.warn);
    if (latest === undefined || names.includes(latest))
        return;
    const lower = priorities.findIndex((other) => other < priority);
    names.splice(lower === -1 ? names.length : lower, 0, latest);
}
/**
 * Makes a valid Docker tag as metadata-action does (each run of characters other than letters,
 * digits, `_`, `.` and `-` becomes one `-`), then drops a leading `.`/`-`, which Docker refuses,
 * and cuts to 128 characters.
 */
function tagName(text, warn) {
    const sanitised = text.replace(/[^a-zA-Z0-9_.-]+/g, '-');
    const trimmed = sanitised.replace(/^[.-]+/, '');
    if (trimmed === '') {
        warn(`"${text}" makes no valid tag (nothing left once invalid characters are removed); skipped`);
        return undefined;
    }
    if (trimmed !== sanitised)
        warn(`tag "${sanitised}" cannot start with "." or "-"; using "${trimmed}"`);
    if (trimmed.length <= TAG_MAX_LENGTH)
        return trimmed;
    const cut = trimmed.slice(0, TAG_MAX_LENGTH);
    warn(`tag "${trimmed}" is longer than ${TAG_MAX_LENGTH} characters; cut to "${cut}"`);
    return cut;
}

;// CONCATENATED MODULE: ./src/metadata/index.ts











const DEFAULT_SHORT_SHA_LENGTH = 7;
/** Events whose refs this engine was written and tested for; others still work, with a warning. */
const KNOWN_EVENTS = [
    'push',
    'pull_request',
    'pull_request_target',
    'schedule',
    'workflow_dispatch',
    'release',
    'merge_group',
    'workflow_run',
    'repository_dispatch',
    'create',
];
/** Reads every input and throws the first InputError; nothing is computed yet. */
function parseMetadataInputs(inputs, annotationLevels) {
    const images = parseImages(inputs.images);
    const { rules, warnings } = parseTagRules(inputs.tags);
    return {
        images,
        rules,
        flavor: parseFlavor(inputs.flavor),
        labels: parseLabels(inputs.labels),
        annotations: parseAnnotations(inputs.annotations),
        annotationLevels: parseAnnotationLevels(annotationLevels),
        warnings,
    };
}
/**
 * Tags, labels and annotations for this run, computed the way docker/metadata-action computes
 * them from the same inputs (differences are listed in the README). Pure: all inputs are checked
 * first, and problems that are not errors come back as `warnings`.
 */
function computeMetadata(inputs, context, repo, now, annotationLevels, options = {}) {
    const parsed = parseMetadataInputs(inputs, annotationLevels);
    const shaLength = metadata_shortShaLength(options.shortShaLength);
    const warnings = [...parsed.warnings, ...eventWarnings(context)];
    const warn = (message) => {
        if (!warnings.includes(message))
            warnings.push(message);
    };
    const globals = globalScope(context, repo, now, shaLength);
    const names = tagNames(parsed.rules, { context, repo, flavor: parsed.flavor, globals, shaLength, warn });
    const images = parsed.images.filter((image) => image.enable).map((image) => image.name);
    const references = images.flatMap((name) => {
        const image = { name, registry: (0,image_reference/* parseImageReference */.o_)(name).registry };
        return names.map((tag) => (0,image_reference/* taggedImage */.aP)(image, tag));
    });
    const tags = references.map((reference) => reference.reference);
    if (names.length === 0) {
        warn(`No tag was generated: no rule of the "tags" input applies to event "${context.eventName}" on ` +
            `"${context.ref}". Nothing would be pushed.`);
    }
    else if (images.length === 0) {
        warn('Every image of the "images" input is disabled (enable=false): no image reference was produced.');
    }
    const version = names[0] ?? '';
    const generated = ociEntries(repo, context, version, now);
    const labels = labelList(generated, parsed.labels, globals);
    const annotations = annotationList(generated, parsed.annotations, parsed.annotationLevels, globals);
    return {
        version,
        images,
        references,
        tagNames: names,
        labels,
        annotations,
        json: { tags, 'tag-names': names, labels: labelObject(labels), annotations },
        warnings,
    };
}
/** The OCI labels/annotations metadata-action generates. */
function ociEntries(repo, context, version, now) {
    return [
        ['org.opencontainers.image.title', repo.name],
        ['org.opencontainers.image.description', repo.description],
        ['org.opencontainers.image.url', repo.htmlUrl],
        ['org.opencontainers.image.source', repo.htmlUrl],
        ['org.opencontainers.image.version', version],
        ['org.opencontainers.image.created', now.toISOString()],
        ['org.opencontainers.image.revision', context.sha],
        ['org.opencontainers.image.licenses', repo.license],
    ];
}
function labelObject(labels) {
    const object = {};
    for (const label of labels) {
        const equals = label.indexOf('=');
        object[label.slice(0, equals)] = label.slice(equals + 1);
    }
    return object;
}
function metadata_shortShaLength(length) {
    if (length === undefined)
        return DEFAULT_SHORT_SHA_LENGTH;
    if (!Number.isInteger(length) || length < 1) {
        throw new RangeError(`the short SHA length must be a whole number of at least 1, got ${length}`);
    }
    return length;
}
/** What the event means for the tags, when it is worth saying. */
function eventWarnings(context) {
    if (context.eventName === '') {
        return [
            'No event name (GITHUB_EVENT_NAME is empty): tags were computed from GITHUB_REF and GITHUB_SHA alone.',
        ];
    }
    if (!KNOWN_EVENTS.includes(context.eventName)) {
        return [
            `Event "${context.eventName}" is not one this action knows (${KNOWN_EVENTS.join(', ')}): tags were ` +
                `computed from GITHUB_REF "${context.ref}" and GITHUB_SHA alone, so only rules that fit that ref apply.`,
        ];
    }
    const run = workflowRunOf(context);
    if (run?.head_sha && run.head_sha !== context.sha) {
        return [
            `workflow_run: tags describe GITHUB_REF "${context.ref}" (${context.sha.slice(0, 7)}), the default branch ` +
                `the run started on, not the triggering run's ${run.head_branch ?? 'branch'} (${run.head_sha.slice(0, 7)}).`,
        ];
    }
    return [];
}
function workflowRunOf(context) {
    if (context.eventName !== 'workflow_run')
        return undefined;
    const run = context.payload.workflow_run;
    return typeof run === 'object' && run !== null
        ? run
        : undefined;
}

// EXTERNAL MODULE: ./src/action/outputs.ts
var outputs = __webpack_require__(8948);
// EXTERNAL MODULE: ./src/sign/summary.ts
var summary = __webpack_require__(7705);
;// CONCATENATED MODULE: ./src/action/summary.ts


/** The job summary as Markdown: what would be (or was) shipped, readable without opening the log. */
function renderSummary({ metadata, dryRun, build, scan, push, sign, error }) {
    const lines = ['## build-scan-push', ''];
    if (error !== undefined) {
        lines.push('> [!CAUTION]', `> **Failed**${build ? '' : ' before the build finished'}:`);
        lines.push(...error.split('\n').map((line) => `> ${line}`), '');
    }
    if (dryRun)
        lines.push('**Dry run**: references computed only; nothing was built, scanned or pushed.', '');
    lines.push(`Version: ${metadata.version === '' ? '_none_' : `\`${metadata.version}\``}`, '');
    lines.push(...referencesTable(metadata.references), '');
    if (build)
        lines.push(...buildSection(build));
    if (scan)
        lines.push(scan, '');
    if (push)
        lines.push(...pushSection(push));
    if (sign && push?.push)
        lines.push(...(0,summary/* renderSignSection */.D)(sign));
    lines.push(...details('Labels', metadata.labels), ...details('Annotations', metadata.annotations));
    for (const warning of metadata.warnings) {
        lines.push(`> [!WARNING]`, ...warning.split('\n').map((line) => `> ${line}`), '');
    }
    return lines.join('\n');
}
async function writeSummary(markdown) {
    await core/* summary */.z.addRaw(markdown, true).write();
}
function buildSection(build) {
    const platforms = build.platforms.map((platform) => `\`${platform}\``).join(', ');
    return ['### Build', '', `Digest: \`${build.digest}\``, '', `Platforms: ${platforms || '_none_'}`, ''];
}
function pushSection(push) {
    if (!push.push)
        return ['### Push', '', `**Not pushed**: ${push.reason}.`, ''];
    if (push.incomplete)
        return incompletePushSection(push.incomplete);
    const lines = ['### Push', '', `**Pushed** (${push.reason}), every reference read back and verified:`, ''];
    const byRegistry = new Map();
    for (const { name, tag, digest } of push.pushed) {
        const row = byRegistry.get(name) ?? { digests: new Set(), tags: [] };
        row.digests.add(digest);
        if (tag !== undefined)
            row.tags.push(`\`${tag}\``);
        byRegistry.set(name, row);
    }
    lines.push('| Image | Digest | Tags |', '| --- | --- | --- |');
    for (const [name, row] of byRegistry) {
        lines.push(`| \`${name}\` | ${[...row.digests].map((d) => `\`${d}\``).join(' ')} | ${row.tags.join(' ')} |`);
    }
    lines.push('');
    if (push.heldBack.length > 0) {
        lines.push('Floating tags not moved:', '');
        for (const held of push.heldBack)
            lines.push(`- \`${held.tag}\`: ${held.reason}`);
        lines.push('');
    }
    return lines;
}
function incompletePushSection({ moved, notMoved }) {
    const items = (references) => references.length === 0 ? ['- _none_'] : references.map((reference) => `- \`${reference}\``);
    return [
        '### Push',
        '',
        '**The push stopped part-way.** These references moved (not read back):',
        '',
        ...items(moved),
        '',
        'These did not:',
        '',
        ...items(notMoved),
        '',
    ];
}
function referencesTable(references) {
    if (references.length === 0)
        return ['No image reference was computed: check the `tags` and `images` inputs.'];
    const rows = references.map(({ name, tag }) => `| \`${name}\` | \`${tag}\` |`);
    return ['| Image | Tag |', '| --- | --- |', ...rows];
}
/**
 * A code fence no entry can close: longer than any run of backticks in them (CommonMark closes a
 * fence only with one at least as long), so a label holding ``` cannot turn the rest into Markdown.
 */
function codeFence(entries) {
    const longest = Math.max(0, ...entries.flatMap((entry) => (entry.match(/`+/g) ?? []).map((run) => run.length)));
    return '`'.repeat(Math.max(3, longest + 1));
}
function details(title, entries) {
    if (entries.length === 0)
        return [];
    const fence = codeFence(entries);
    return [
        `<details><summary>${title} (${entries.length})</summary>`,
        '',
        fence,
        ...entries,
        fence,
        '',
        '</details>',
        '',
    ];
}

// EXTERNAL MODULE: ./src/runner/capabilities.ts
var capabilities = __webpack_require__(8786);
;// CONCATENATED MODULE: ./src/main.ts












/** inputs, and what they name on the runner, checked → context → tags → (unless dry-run) build and push → outputs/summary. */
async function runMain() {
    const read = (name, options) => core/* getInput */.V4(name, { trimWhitespace: options?.trim ?? true });
    const masked = new Set();
    const mask = (secret) => {
        if (secret === '' || masked.has(secret))
            return;
        masked.add(secret);
        core/* setSecret */.Pq(secret);
    };
    // The secret-bearing inputs as written, masked before any is parsed: a parse error may quote them.
    for (const secret of rawSecretMasks(read))
        mask(secret);
    const inputs = readInputs(read, process.env);
    // And the secrets as parsed (registry-auth passwords unquoted, build secrets), before anything else can print them.
    for (const secret of [inputs.githubToken, ...inputs.secrets])
        mask(secret);
    for (const warning of inputs.warnings)
        core/* warning */.$e(warning);
    // The files and variables the inputs name, for the dry run too: before anything else happens.
    const onRunner = await checkInputsOnRunner(inputs, process.env, process.cwd());
    const probes = startProbes(inputs);
    const context = await (0,github_context/* loadWorkflowContext */.Le)(process.env, { prHeadSha: inputs.prHeadSha });
    logContext(context);
    const metadata = await metadataFor(inputs, context);
    logMetadata(metadata);
    // Push or not, and the credentials that needs: decided here for the dry run too, so a dry run
    // fails where the real run would, before any output is written.
    const checked = { ...onRunner, ...planPush(inputs, context, metadata), ...(probes ? { probes } : {}) };
    (0,outputs/* writeOutputs */.Kn)((0,outputs/* metadataOutputs */._V)(metadata, separators(inputs)));
    if (inputs.dryRun) {
        await writeSummary(renderSummary({ metadata, dryRun: true }));
        return;
    }
    // Decide, probe, log in, build once, push the layout, verify: see ship.ts.
    const shipped = {};
    try {
        // Loaded only for a real run: a dry run should not pay for the build, push and scan code.
        const { ship } = await Promise.all(/* import() */[__webpack_require__.e(774), __webpack_require__.e(184)]).then(__webpack_require__.bind(__webpack_require__, 9184));
        await ship(inputs, context, metadata, checked, shipped);
    }
    catch (error) {
        // The summary still says how far the run came, and why it stopped.
        await writeSummary(renderSummary({ metadata, dryRun: false, ...shipped, error: (0,errors/* errorMessage */.g)(error) }));
        throw error;
    }
    await writeSummary(renderSummary({ metadata, dryRun: false, ...shipped }));
}
/**
 * The runner's probes (docker and buildx: read-only, about half a second here), started now for a
 * run that builds, so they run while the context, the metadata and the build-and-push code load
 * (bench/README.md); a dry run probes nothing, and a merge runs no docker at all. What they find,
 * failures included, is read by planRun, so every error comes where it came before.
 */
function startProbes(inputs) {
    if (inputs.dryRun || inputs.stage === 'merge')
        return undefined;
    const probes = (0,capabilities/* probeRunner */.Zt)(inputs.build.builder);
    // Read by planRun; until then a failure must not count as unhandled (a step may fail before).
    probes.catch(() => undefined);
    return probes;
}
async function metadataFor(inputs, context) {
    const now = new Date();
    const mayUseNetwork = !inputs.dryRun;
    const commitDate = await resolveCommitDate(context, inputs.githubToken, mayUseNetwork, now);
    const repo = await resolveRepoInfo(context, inputs.githubToken, mayUseNetwork);
    return computeMetadata(inputs.metadata, { ...context, commitDate }, repo, now, inputs.annotationLevels, {
        shortShaLength: inputs.shortShaLength,
    });
}
function separators(inputs) {
    return { tags: inputs.sepTags, labels: inputs.sepLabels, annotations: inputs.sepAnnotations };
}
function logContext(context) {
    core/* startGroup */.Oh('Workflow context');
    (0,log/* info */.pq)(`event: ${context.eventName}`);
    (0,log/* info */.pq)(`ref: ${context.ref}`);
    (0,log/* info */.pq)(`sha: ${context.sha}`);
    (0,log/* info */.pq)(`repository: ${context.repository}`);
    core/* endGroup */.N4();
}
function logMetadata(metadata) {
    for (const warning of metadata.warnings)
        core/* warning */.$e(warning);
    logList('Version', metadata.version === '' ? [] : [metadata.version]);
    logList('Image references', metadata.references.map((image) => image.reference));
    logList('Labels', metadata.labels);
    logList('Annotations', metadata.annotations);
}
function logList(title, entries) {
    core/* startGroup */.Oh(`${title} (${entries.length})`);
    for (const entry of entries)
        (0,log/* info */.pq)(entry);
    core/* endGroup */.N4();
}


/***/ }),

/***/ 5567:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   q: () => (/* binding */ checkLegs)
/* harmony export */ });
/* harmony import */ var _action_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(8055);

/**
 * Decides whether the legs may be merged, before anything is logged in to or pushed: every leg of
 * this commit, this run and these images; every platform once (each of `platforms` when given);
 * every leg through its scan gate; every leg pushed when this run pushes. Pure; each refusal names
 * the platform or leg at fault.
 */
function checkLegs(legs, expected) {
    if (legs.length === 0)
        throw refuse('no leg wrote a result: did every platform leg fail?');
    for (const leg of legs)
        checkSameRun(leg, expected);
    const platforms = legs.flatMap((leg) => leg.platforms.map((entry) => ({ ...entry, leg })));
    checkEachPlatformOnce(platforms, expected.platforms);
    for (const entry of platforms)
        checkGate(entry);
    if (expected.push) {
        const unpushed = legs.filter((leg) => !leg.pushed).map(platformsOf);
        if (unpushed.length > 0)
            throw refuse(`the leg of ${unpushed.join('; ')} pushed nothing, so there is nothing to merge`);
    }
    const order = expected.platforms;
    const sorted = order.length === 0
        ? platforms
        : [...platforms].sort((a, b) => order.indexOf(a.platform) - order.indexOf(b.platform));
    return {
        legs,
        platforms: sorted,
        overridden: platforms.filter((entry) => entry.scan === 'failed').map((entry) => entry.platform),
    };
}
function checkSameRun(leg, expected) {
    const which = platformsOf(leg);
    if (leg.commit !== expected.commit)
        throw refuse(`the leg of ${which} built commit ${leg.commit}, this run is for ${expected.commit}`);
    if (leg.run !== expected.run)
        throw refuse(`the leg of ${which} ran in run ${leg.run}, this is run ${expected.run}`);
    const theirs = [...new Set(leg.images)].sort();
    const ours = [...new Set(expected.images)].sort();
    if (theirs.join('\n') !== ours.join('\n'))
        throw refuse(`the leg of ${which} pushed to ${theirs.join(', ')}, this run's images are ${ours.join(', ') || 'none'}`);
}
function checkEachPlatformOnce(platforms, wanted) {
    const seen = new Set();
    for (const { platform } of platforms) {
        if (seen.has(platform))
            throw refuse(`${platform} comes from more than one leg`);
        seen.add(platform);
    }
    if (wanted.length === 0)
        return;
    const missing = wanted.filter((platform) => !seen.has(platform));
    if (missing.length > 0)
        throw refuse(`no result for ${missing.join(', ')}: its leg failed (the scan gate?) or did not run`);
    const extra = [...seen].filter((platform) => !wanted.includes(platform));
    if (extra.length > 0)
        throw refuse(`${extra.join(', ')} is not in "platforms"`);
}
function checkGate({ platform, scan, leg }) {
    const through = scan === 'passed' || scan === 'skipped' || (scan === 'failed' && leg.gate === 'overridden');
    if (!through)
        throw refuse(`${platform} did not pass its scan gate (scan result: ${scan})`);
}
function platformsOf(leg) {
    return leg.platforms.map((entry) => entry.platform).join(', ');
}
function refuse(detail) {
    return new _action_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .InputError */ .d('results', `${detail}; nothing was merged`);
}


/***/ }),

/***/ 5839:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   J9: () => (/* binding */ formatResult),
/* harmony export */   c2: () => (/* binding */ parseResults),
/* harmony export */   ky: () => (/* binding */ legResult)
/* harmony export */ });
/* unused harmony export RESULT_VERSION */
/* harmony import */ var _action_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(8055);

/**
 * The `result` output of a `stage: platform` leg, and the `results` input of `stage: merge`: what
 * one leg built, how its scan went and where it pushed it, as one line of JSON. Pure.
 */
const RESULT_VERSION = 1;
/** The leg's `result` output: one line. */
function formatResult(result) {
    return JSON.stringify(result);
}
/**
 * The `results` input, in any of the three shapes a workflow can hand over:
 * - `${{ toJSON(needs.<job>.outputs) }}`: an object whose values are result strings (`result_0`,
 *   `result_1`…); empty values (a leg that wrote none) are skipped, so the platform check names what is missing;
 * - a JSON array of result strings or objects;
 * - one result per line.
 * A lone result object is read as one result. Throws InputError naming what is wrong.
 */
function parseResults(text) {
    const trimmed = text.trim();
    if (trimmed === '')
        throw new _action_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .InputError */ .d('results', 'stage "merge" needs the results of the platform legs');
    const whole = tryJson(trimmed);
    if (Array.isArray(whole))
        return whole.map(asArrayEntry);
    if (isRecord(whole))
        return 'version' in whole ? [checkResult(whole, 'the result')] : outputsObject(whole);
    return trimmed
        .split('\n')
        .map((line) => line.trim())
        .filter((line) => line !== '')
        .map((line, index) => checkResult(parseJson(line, `line ${index + 1}`), `line ${index + 1}`));
}
function tryJson(text) {
    try {
        return JSON.parse(text);
    }
    catch {
        return undefined;
    }
}
function outputsObject(parsed) {
    return Object.entries(parsed)
        .filter(([, value]) => value !== '' && value !== null)
        .map(([key, value]) => {
        if (typeof value !== 'string')
            throw new _action_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .InputError */ .d('results', `"${key}" is not a result string`);
        return checkResult(parseJson(value, `"${key}"`), `"${key}"`);
    });
}
function asArrayEntry(entry, index) {
    const where = `entry ${index + 1}`;
    return checkResult(typeof entry === 'string' ? parseJson(entry, where) : entry, where);
}
function parseJson(text, where) {
    try {
        return JSON.parse(text);
    }
    catch {
        throw new _action_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .InputError */ .d('results', `${where} is not JSON: expected a leg's "result" output`);
    }
}
const PLATFORM = /^[a-z0-9_.-]+\/[a-z0-9_.-]+(?:\/[a-z0-9_.-]+)?$/i;
const SCAN_RESULT = /^(?:passed|failed|error|skipped)$/;
const DIGEST = /^sha(256:[a-f0-9]{64}|512:[a-f0-9]{128})$/;
/** Checks the shape of one result, field by field; the messages name the field. */
function checkResult(value, where) {
    const bad = (detail) => new _action_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .InputError */ .d('results', `${where}: ${detail}`);
    if (!isRecord(value))
        throw bad('expected a leg\'s "result" output (a JSON object)');
    if (value.version !== RESULT_VERSION)
        throw bad(`version ${JSON.stringify(value.version)} is not ${RESULT_VERSION}: legs and merge must use the same action version`);
    const strings = (name) => {
        const list = value[name];
        if (!Array.isArray(list) || list.length === 0 || list.some((item) => typeof item !== 'string'))
            throw bad(`"${name}" must be a non-empty list of strings`);
        return list;
    };
    const text = (name, record = value) => {
        if (typeof record[name] !== 'string' || record[name] === '')
            throw bad(`"${name}" must be a non-empty string`);
        return record[name];
    };
    const digest = (record) => {
        const found = text('digest', record);
        if (!DIGEST.test(found))
            throw bad(`"${found}" is not a digest`);
        return found;
    };
    // Platforms and scan results reach the log and the summary's table: only the shapes they can have.
    const matching = (found, pattern, what) => {
        if (!pattern.test(found))
            throw bad(`"${found}" is not ${what}`);
        return found;
    };
    if (typeof value.pushed !== 'boolean')
        throw bad('"pushed" must be true or false');
    if (value.gate !== 'passed' && value.gate !== 'overridden')
        throw bad('"gate" must be "passed" or "overridden"');
    if (!Array.isArray(value.platforms) || value.platforms.length === 0)
        throw bad('"platforms" must list the platforms built');
    const platforms = value.platforms.map((entry) => {
        if (!isRecord(entry))
            throw bad('each platform must be an object');
        const counts = entry.vulnerabilities;
        const isCount = (count) => Number.isInteger(count) && count >= 0;
        if (counts !== null && (!isRecord(counts) || !Object.values(counts).every(isCount)))
            throw bad('"vulnerabilities" must be null or counts per severity');
        return {
            platform: matching(text('platform', entry), PLATFORM, 'a platform (os/arch[/variant])'),
            digest: digest(entry),
            scan: matching(text('scan', entry), SCAN_RESULT, 'a scan result (passed, failed, error, skipped)'),
            vulnerabilities: counts,
        };
    });
    return {
        version: RESULT_VERSION,
        images: strings('images'),
        digest: digest(value),
        pushed: value.pushed,
        platforms,
        gate: value.gate,
        commit: text('commit'),
        run: text('run'),
    };
}
function isRecord(value) {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}
/** The leg's result; written only once its gate let it through (a failed gate writes none). */
function legResult(facts) {
    return {
        version: RESULT_VERSION,
        images: [...new Set(facts.images)],
        digest: facts.digest,
        pushed: facts.pushed,
        platforms: facts.platforms.map(({ platform, digest }) => {
            const judged = facts.scan.perPlatform?.[platform];
            return {
                platform,
                digest,
                scan: judged?.result ?? facts.scan.result,
                vulnerabilities: judged?.counts ?? null,
            };
        }),
        gate: facts.scan.result === 'failed' ? 'overridden' : 'passed',
        commit: facts.commit,
        run: facts.run,
    };
}


/***/ }),

/***/ 3532:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Mb: () => (/* binding */ registryApiHost),
/* harmony export */   Xb: () => (/* binding */ DOCKER_HUB),
/* harmony export */   Z6: () => (/* binding */ normalizeRegistryHost),
/* harmony export */   aP: () => (/* binding */ taggedImage),
/* harmony export */   cW: () => (/* binding */ isLoopbackHost),
/* harmony export */   o_: () => (/* binding */ parseImageReference)
/* harmony export */ });
/* harmony import */ var _action_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(8055);

const DOCKER_HUB = 'docker.io';
// Every name Docker Hub answers to; credentials and tags must not tell them apart.
const DOCKER_HUB_ALIASES = new Set([
    'docker.io',
    'index.docker.io',
    'registry-1.docker.io',
    'registry.hub.docker.com',
]);
// distribution/reference's grammar: lower-case path components joined by `.`, `_`, `__` or dashes.
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;
const HOST_LABEL = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/i;
/**
 * Splits `host/path:tag@digest`. The first component is a host only when it has a `.` or `:` or
 * is `localhost` (the engine's rule), so `acme/app` is on Docker Hub and `localhost:5000/app` is not.
 */
function parseImageReference(reference, input = 'images') {
    const fail = (detail) => new _action_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .InputError */ .d(input, `"${reference}": ${detail}`);
    let rest = reference.trim();
    let digest;
    const at = rest.indexOf('@');
    if (at >= 0) {
        digest = rest.slice(at + 1);
        rest = rest.slice(0, at);
        if (!DIGEST.test(digest))
            throw fail('expected a digest of the form sha256:<64 hex digits> after "@"');
    }
    let tag;
    const colon = rest.lastIndexOf(':');
    if (colon > rest.lastIndexOf('/')) {
        tag = rest.slice(colon + 1);
        rest = rest.slice(0, colon);
        if (!TAG.test(tag))
            throw fail(`"${tag}" is not a valid tag (letters, digits, "_", "." and "-", at most 128)`);
    }
    const components = rest.split('/');
    const first = components[0] ?? '';
    const hasHost = components.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost');
    const registry = hasHost ? normalizeRegistryHost(first, input) : DOCKER_HUB;
    const pathComponents = hasHost ? components.slice(1) : components;
    if (pathComponents.length === 0 || pathComponents.some((component) => !PATH_COMPONENT.test(component))) {
        throw fail('expected [host/]path[:tag] with a lower-case path such as ghcr.io/acme/app');
    }
    // Docker Hub's official images live under `library/`; the registry API wants the full path.
    const path = registry === DOCKER_HUB && pathComponents.length === 1
        ? `library/${pathComponents[0]}`
        : pathComponents.join('/');
    return { registry, path, name: rest, tag, digest };
}
/**
 * The canonical key for a registry host: lower-cased, scheme and Docker Hub's legacy `/v1/` path
 * dropped (users paste `https://index.docker.io/v1/` from old docs), Docker Hub aliases folded
 * into `docker.io`. Anything with a path left is not a host and is refused.
 */
function normalizeRegistryHost(text, input) {
    let host = text.trim().replace(/^https?:\/\//i, '');
    if (/^(index\.)?docker\.io\/v[12]\/?$/i.test(host))
        host = 'docker.io';
    host = host.replace(/\/+$/, '').toLowerCase();
    if (!isValidHost(host)) {
        throw new _action_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .InputError */ .d(input, `"${text}" is not a registry host; expected a host such as ghcr.io or localhost:5000`);
    }
    return DOCKER_HUB_ALIASES.has(host) ? DOCKER_HUB : host;
}
/** Where the registry API of a host is served: Docker Hub's API is not on `docker.io` itself. */
function registryApiHost(registry) {
    return registry === DOCKER_HUB ? 'registry-1.docker.io' : registry;
}
/**
 * Loopback hosts (`localhost`, 127.0.0.0/8, ::1): the only ones the engine treats as insecure by
 * default, and the only ones this action will ever reach over plain HTTP.
 */
function isLoopbackHost(registry) {
    const host = hostWithoutPort(registry);
    return host === 'localhost' || /^127(?:\.\d{1,3}){3}$/.test(host) || host === '::1' || host === '[::1]';
}
function hostWithoutPort(registry) {
    if (registry.startsWith('['))
        return registry.slice(0, registry.indexOf(']') + 1);
    return registry.replace(/:\d+$/, '');
}
function isValidHost(host) {
    const match = /^(\[[0-9a-f:.]+\]|[^:/[\]]+)(?::(\d{1,5}))?$/i.exec(host);
    if (!match)
        return false;
    const port = match[2];
    if (port !== undefined && (Number(port) < 1 || Number(port) > 65535))
        return false;
    const name = match[1] ?? '';
    if (name.startsWith('['))
        return true;
    return name.split('.').every((label) => HOST_LABEL.test(label));
}
/** Joins a checked image name and a computed tag. */
function taggedImage(image, tag) {
    return { name: image.name, registry: image.registry, tag, reference: `${image.name}:${tag}` };
}


/***/ }),

/***/ 7416:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   BW: () => (/* binding */ parseFloatingMode),
/* harmony export */   YN: () => (/* binding */ versionFromRef),
/* harmony export */   hA: () => (/* binding */ planFloatingTags)
/* harmony export */ });
/* harmony import */ var semver__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(2088);
/* harmony import */ var semver__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(semver__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _action_errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(8055);


const FLOATING_MODES = ['highest', 'always'];
function parseFloatingMode(text) {
    const mode = text.trim().toLowerCase();
    if (mode === '')
        return 'highest';
    if (FLOATING_MODES.includes(mode))
        return mode;
    throw new _action_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .d('floating-tags', `expected "highest" or "always", got "${text}"`);
}
/** The tag name of a `refs/tags/…` ref: the version a tag push or a release is about. */
function versionFromRef(ref) {
    return /^refs\/tags\/(.+)$/.exec(ref)?.[1] ?? '';
}
/**
 * Decides which computed tags to push. Floating tags are found by value rather than by the rule
 * that made them, so this works whatever the tag rules and flavor were: `latest` (as a word of
 * the tag), and prefix + `major` / `major.minor` + suffix for the affixes the full version carries.
 */
function planFloatingTags(request) {
    const version = parseStrict(request.version);
    if (!version)
        return { push: [...request.tags], heldBack: [], floating: [] };
    const affixes = affixesFor(version, request);
    const floating = request.tags.flatMap((tag) => {
        const kind = floatingKind(tag, version, affixes.recognise);
        return kind ? [{ tag, kind }] : [];
    });
    if (request.mode === 'always')
        return { push: [...request.tags], heldBack: [], floating };
    const released = existingVersions(request.existingTags, affixes.line);
    const heldBack = floating.flatMap(({ tag, kind }) => {
        const reason = holdBackReason(kind, version, released);
        return reason ? [{ tag, kind, reason }] : [];
    });
    const held = new Set(heldBack.map((entry) => entry.tag));
    return { push: request.tags.filter((tag) => !held.has(tag)), heldBack, floating };
}
function holdBackReason(kind, version, released) {
    if (version.prerelease.length > 0) {
        return `${version.version} is a prerelease; prereleases never move ${kind} tags`;
    }
    const higher = released
        .filter((other) => covers(kind, version, other) && other.compare(version) > 0)
        .sort((a, b) => b.compare(a))[0];
    if (!higher)
        return undefined;
    return `${higher.version} is already released${scopeOf(kind, version)}, higher than ${version.version}`;
}
// Which released versions a floating tag could point at: all for latest, the same major or major.minor.
function covers(kind, version, other) {
    if (kind === 'major')
        return other.major === version.major;
    if (kind === 'minor')
        return other.major === version.major && other.minor === version.minor;
    return true;
}
function scopeOf(kind, version) {
    if (kind === 'major')
        return ` in ${version.major}.x`;
    if (kind === 'minor')
        return ` in ${version.major}.${version.minor}.x`;
    return '';
}
function floatingKind(tag, version, affixes) {
    // `latest`, or `latest` joined to a flavor (`latest-alpine`, `alpine-latest`) when onlatest applies it.
    if (/(?:^|[-_.])latest(?:$|[-_.])/.test(tag))
        return 'latest';
    for (const { prefix, suffix } of affixes) {
        if (tag === `${prefix}${version.major}.${version.minor}${suffix}`)
            return 'minor';
        if (tag === `${prefix}${version.major}${suffix}`)
            return 'major';
    }
    return undefined;
}
/**
 * The caller's affixes, else those around the full version in the computed tags
 * (`v1.4.9-alpine` gives `v` and `-alpine`). The bare and `v` forms are recognised too, so that
 * a `v{{major}}` rule next to a plain `{{version}}` rule is still seen; they define the line only
 * when nothing else does, so `1.5.0` of a plain variant does not hold back `1-alpine`.
 */
function affixesFor(version, request) {
    const line = request.affixes ? [...request.affixes] : affixesAroundVersion(version.version, request.tags);
    const fallback = [
        { prefix: '', suffix: '' },
        { prefix: 'v', suffix: '' },
    ];
    return { line: unique(line.length > 0 ? line : fallback), recognise: unique([...line, ...fallback]) };
}
function affixesAroundVersion(full, tags) {
    const found = [];
    for (const tag of tags) {
        const at = tag.indexOf(full);
        if (at < 0)
            continue;
        const prefix = tag.slice(0, at);
        const suffix = tag.slice(at + full.length);
        // A digit or dot next to the version means it is part of a longer number, not an affix.
        if (/[\d.]$/.test(prefix) || /^[\d.]/.test(suffix))
            continue;
        found.push({ prefix, suffix });
    }
    return found;
}
function unique(affixes) {
    return [...new Map(affixes.map((affix) => [`${affix.prefix}\u0000${affix.suffix}`, affix])).values()];
}
// Registry tags of the same flavor, read back as versions; prereleases never count as released.
function existingVersions(tags, affixes) {
    const versions = [];
    for (const tag of tags) {
        for (const { prefix, suffix } of affixes) {
            if (!tag.startsWith(prefix) || !tag.endsWith(suffix) || tag.length <= prefix.length + suffix.length)
                continue;
            const version = parseStrict(tag.slice(prefix.length, tag.length - suffix.length));
            if (version && version.prerelease.length === 0) {
                versions.push(version);
                break;
            }
        }
    }
    return versions;
}
function parseStrict(text) {
    return (0,semver__WEBPACK_IMPORTED_MODULE_0__.parse)(text.trim()) ?? undefined;
}


/***/ }),

/***/ 1712:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   JT: () => (/* binding */ parsePushMode),
/* harmony export */   i1: () => (/* binding */ parseBlobUpload),
/* harmony export */   vn: () => (/* binding */ decidePush)
/* harmony export */ });
/* harmony import */ var _action_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(8055);

const PUSH_MODES = ['auto', 'true', 'false'];
function parsePushMode(text) {
    const mode = text.trim().toLowerCase();
    if (mode === '')
        return 'auto';
    if (PUSH_MODES.includes(mode))
        return mode;
    throw new _action_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .InputError */ .d('push', `expected "auto", "true" or "false", got "${text}"`);
}
/**
 * Whether this run publishes. `auto` pushes for events only people with write access can cause
 * (pushes, tags, releases, schedules, manual and API dispatches) and for pull requests whose
 * branch lives in this repository; it builds only for everything else, above all for forks,
 * whose code must never reach the registry under this repository's name.
 */
function decidePush(mode, context) {
    if (mode === 'false')
        return { push: false, reason: 'push: false: build only', warnings: [] };
    if (mode === 'true')
        return { push: true, reason: 'push: true', warnings: forcedPushWarnings(context) };
    return { ...autoDecision(context), warnings: [] };
}
function autoDecision(context) {
    const { eventName, payload } = context;
    switch (eventName) {
        case 'push':
            return pushEvent(context);
        case 'schedule':
            return { push: true, reason: 'scheduled run' };
        case 'workflow_dispatch':
            return { push: true, reason: 'manual run (workflow_dispatch)' };
        case 'repository_dispatch':
            // Needs a token with write access to the repository to send.
            return { push: true, reason: 'repository_dispatch' };
        case 'release':
            return releaseEvent(payload);
        case 'pull_request':
        case 'pull_request_target':
            return pullRequestEvent(eventName, payload);
        case 'merge_group':
            // The queue's temporary gh-readonly-queue/… branch is a check, not a release: the merge it
            // tests arrives as a `push` to the base branch, and that run publishes.
            return { push: false, reason: 'merge queue check: build only (the merge itself pushes)' };
        case 'workflow_run':
            return workflowRunEvent(payload);
        default:
            return {
                push: false,
                reason: `event ${eventName || '(unknown)'}: build only (set push: true to publish)`,
            };
    }
}
function pushEvent(context) {
    if (context.payload.deleted === true)
        return { push: false, reason: 'ref deleted: nothing to publish' };
    const tag = /^refs\/tags\/(.+)$/.exec(context.ref)?.[1];
    if (tag !== undefined)
        return { push: true, reason: `push of tag ${tag}` };
    const branch = /^refs\/heads\/(.+)$/.exec(context.ref)?.[1];
    return { push: true, reason: branch !== undefined ? `push to branch ${branch}` : `push to ${context.ref}` };
}
// A workflow listening to every release activity also runs when one is deleted or unpublished.
function releaseEvent(payload) {
    const action = typeof payload.action === 'string' ? payload.action : '';
    if (action === 'deleted' || action === 'unpublished') {
        return { push: false, reason: `release ${action}: build only` };
    }
    return { push: true, reason: action ? `release ${action}` : 'release' };
}
function pullRequestEvent(eventName, payload) {
    const pr = payload.pull_request;
    const number = pr?.number ?? payload.number;
    const label = `pull request${number !== undefined ? ` #${number}` : ''}`;
    if (isFork(pr?.head?.repo?.full_name, pr?.base?.repo?.full_name)) {
        const via = eventName === 'pull_request_target' ? ' (pull_request_target)' : '';
        return { push: false, reason: `fork pull request${via}: build only` };
    }
    return { push: true, reason: `${label} from a branch of this repository` };
}
/**
 * workflow_run runs with this repository's secrets whatever triggered it, including a fork's
 * pull request: push only when the triggering run's code came from this repository.
 */
function workflowRunEvent(payload) {
    const run = payload.workflow_run;
    const trigger = run?.event ? ` of ${run.event}` : '';
    const base = run?.repository?.full_name ?? payload.repository?.full_name;
    if (isFork(run?.head_repository?.full_name, base)) {
        return { push: false, reason: `workflow_run${trigger} from a fork: build only` };
    }
    return { push: true, reason: `workflow_run${trigger} from this repository` };
}
// A missing head repository (deleted fork) or base is treated as a fork: build only is the safe side.
function isFork(head, base) {
    if (!head || !base)
        return true;
    return head.toLowerCase() !== base.toLowerCase();
}
function forcedPushWarnings(context) {
    const pr = context.payload.pull_request;
    if (!pr || !isFork(pr.head?.repo?.full_name, pr.base?.repo?.full_name))
        return [];
    if (context.eventName === 'pull_request_target') {
        return [
            'push: true on a pull_request_target run from a fork publishes code from outside this repository ' +
                "with this repository's credentials; use push: auto unless the workflow checks the code first.",
        ];
    }
    return [
        'push: true on a pull request from a fork: such runs get no secrets, so the push is likely to fail.',
    ];
}
function parseBlobUpload(text) {
    const timing = text.trim().toLowerCase();
    if (timing === '')
        return 'before-gate';
    if (timing === 'before-gate' || timing === 'after-gate')
        return timing;
    throw new _action_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .InputError */ .d('blob-upload', `expected "before-gate" or "after-gate", got "${text}"`);
}


/***/ }),

/***/ 8786:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Zt: () => (/* binding */ probeRunner),
/* harmony export */   iH: () => (/* binding */ engineProblem)
/* harmony export */ });
/* unused harmony exports parseDockerVersion, parseDockerInfo, parseBuildxInspect, engineFrom, withProbes, probeCapabilities */
/* harmony import */ var _buildx_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(2532);
/* harmony import */ var _timeouts_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(7900);
/* harmony import */ var _tool_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(5602);



function parseJsonObject(text) {
    try {
        const value = JSON.parse(text.trim());
        return typeof value === 'object' && value !== null && !Array.isArray(value)
            ? value
            : undefined;
    }
    catch {
        return undefined;
    }
}
function versionField(value) {
    if (typeof value !== 'object' || value === null)
        return undefined;
    const version = value.Version;
    return typeof version === 'string' && version !== '' ? version : undefined;
}
/**
 * `docker version --format '{{json .}}'`. When the engine cannot be reached the CLI still prints
 * the client part, with `"Server":null`, and exits 1.
 */
function parseDockerVersion(stdout) {
    const json = parseJsonObject(stdout);
    if (json === undefined)
        return {};
    const clientVersion = versionField(json.Client);
    const serverVersion = versionField(json.Server);
    return {
        ...(clientVersion !== undefined ? { clientVersion } : {}),
        ...(serverVersion !== undefined ? { serverVersion } : {}),
    };
}
/**
 * `docker info --format '{{json .}}'`: the containerd image store shows as
 * `"DriverStatus":[["driver-type","io.containerd.snapshotter.v1"]]` (recorded from dockerd 26.1.5
 * with the snapshotter on); the classic store lists its graph driver's own status there instead
 * (overlay2: "Backing Filesystem", "Supports d_type", …).
 */
function parseDockerInfo(stdout) {
    const json = parseJsonObject(stdout);
    if (json === undefined)
        return undefined;
    const status = Array.isArray(json.DriverStatus) ? json.DriverStatus : [];
    const snapshotter = status.some((entry) => Array.isArray(entry) &&
        entry[0] === 'driver-type' &&
        typeof entry[1] === 'string' &&
        entry[1].startsWith('io.containerd.snapshotter'));
    return snapshotter ? 'containerd' : 'classic';
}
/** `docker buildx inspect [builder]`: the builder's name and driver, and its first node's platforms. */
function parseBuildxInspect(stdout) {
    const field = (name) => new RegExp(`^${name}:[ \\t]*(.*)$`, 'm').exec(stdout)?.[1]?.trim() ?? '';
    return {
        name: field('Name'),
        driver: field('Driver'),
        platforms: field('Platforms')
            .split(',')
            // Newer buildx marks the platforms a builder was created with by a trailing `*`.
            .map((platform) => platform.trim().replace(/\*$/, ''))
            .filter((platform) => platform !== ''),
    };
}
/** What `docker version` says of the engine: reachable with its versions, or why not. */
function engineFrom(version) {
    const versions = parseDockerVersion(version.stdout);
    if (version.exitCode !== 0 || versions.serverVersion === undefined) {
        return {
            engineReachable: false,
            engineError: (0,_tool_js__WEBPACK_IMPORTED_MODULE_2__/* .tail */ .RT)(version.stderr, 4) || `docker version exited with ${version.exitCode}`,
            ...versions,
        };
    }
    return { engineReachable: true, ...versions };
}
/** The engine's capabilities completed with what the other probes said (each failure kept as its reason). */
function withProbes(engine, probes) {
    const caps = { ...engine };
    const { info, buildxInspect: inspect } = probes;
    const store = info.exitCode === 0 ? parseDockerInfo(info.stdout) : undefined;
    if (store !== undefined)
        caps.imageStore = store;
    else
        caps.infoError = (0,_tool_js__WEBPACK_IMPORTED_MODULE_2__/* .tail */ .RT)(info.stderr, 4) || `docker info exited with ${info.exitCode}`;
    if (inspect.exitCode === 0)
        caps.builder = parseBuildxInspect(inspect.stdout);
    else
        caps.builderError = (0,_tool_js__WEBPACK_IMPORTED_MODULE_2__/* .tail */ .RT)(inspect.stderr, 4) || `docker buildx inspect exited with ${inspect.exitCode}`;
    return caps;
}
/**
 * Runs the read-only probes (argv arrays, nothing echoed) and gathers what they say. None needs
 * another's answer, so the three run side by side, `docker version` among them (bench/README.md).
 * Its answer is still read first: an engine that does not answer is reported alone, as nothing
 * else can work then, and the other probes' failures (or timeouts) come after it. No probe asks
 * buildx its version: nothing depends on it, and `docker buildx version` (the CLI, the plugin's
 * metadata call, then the plugin) was the slowest probe but one; a missing buildx fails
 * `docker buildx inspect`.
 */
async function probeCapabilities(docker, buildx, builder) {
    const probe = (what) => ({ silent: true, deadline: (0,_timeouts_js__WEBPACK_IMPORTED_MODULE_1__/* .deadline */ .nl)('probe', what) });
    // Settled, not raced: the process cannot end before every probe has, and no failure is left unhandled.
    const [version, others] = await Promise.allSettled([
        (0,_tool_js__WEBPACK_IMPORTED_MODULE_2__/* .runTool */ .qI)(docker, ['version', '--format', '{{json .}}'], probe('docker version')),
        Promise.all([
            (0,_tool_js__WEBPACK_IMPORTED_MODULE_2__/* .runTool */ .qI)(docker, ['info', '--format', '{{json .}}'], probe('docker info')),
            (0,_tool_js__WEBPACK_IMPORTED_MODULE_2__/* .runTool */ .qI)(buildx.file, (0,_buildx_js__WEBPACK_IMPORTED_MODULE_0__/* .buildxArgs */ .w$)(buildx, ['inspect', ...(builder ? [builder] : [])]), probe(`docker buildx inspect ${builder || '(the default builder)'}`)),
        ]),
    ]);
    if (version.status === 'rejected')
        throw version.reason;
    const engine = engineFrom(version.value);
    if (!engine.engineReachable)
        return engine;
    if (others.status === 'rejected')
        throw others.reason;
    const [info, buildxInspect] = others.value;
    return withProbes(engine, { info, buildxInspect });
}
/** Finds docker on PATH and buildx where docker would, then probes them for `builder`. */
async function probeRunner(builder) {
    const docker = await (0,_tool_js__WEBPACK_IMPORTED_MODULE_2__/* .requireTool */ .Y0)('docker');
    const buildx = (0,_buildx_js__WEBPACK_IMPORTED_MODULE_0__/* .findBuildx */ .ah)(docker, process.env);
    return { docker, buildx, caps: await probeCapabilities(docker, buildx, builder) };
}
/** The one message for a runner whose Docker engine does not answer (ubuntu-slim has none). */
function engineProblem(caps) {
    if (caps.engineReachable)
        return undefined;
    return (`No Docker engine is reachable (${(caps.engineError ?? '').replace(/\s+/g, ' ').trim()}): this action ` +
        'needs a runner with Docker, such as ubuntu-latest; ubuntu-slim has none');
}


/***/ }),

/***/ 9813:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   SS: () => (/* binding */ checkSarifDestination)
/* harmony export */ });
/* unused harmony exports sarifPath, isInside, realDestination */
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _action_errors_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(8055);



/** The SARIF path asked for: `sarif: true` → RUNNER_TEMP, a path → that path (relative to the workspace). */
function sarifPath(sarif, runnerTemp, workspace) {
    return sarif.path === undefined
        ? node_path__WEBPACK_IMPORTED_MODULE_1___default().join(runnerTemp, 'build-scan-push', 'trivy-results.sarif')
        : node_path__WEBPACK_IMPORTED_MODULE_1___default().resolve(workspace, sarif.path);
}
/** Whether `file` is inside `root` (both absolute and resolved); the root itself is not a file in it. */
function isInside(file, root) {
    const relative = node_path__WEBPACK_IMPORTED_MODULE_1___default().relative(root, file);
    return relative !== '' && !node_path__WEBPACK_IMPORTED_MODULE_1___default().isAbsolute(relative) && relative.split((node_path__WEBPACK_IMPORTED_MODULE_1___default().sep))[0] !== '..';
}
/**
 * Where `file` really is: its nearest existing ancestor (the file itself when it exists) with every
 * symbolic link resolved, then the part that does not exist yet. A link in the workspace that
 * points elsewhere must not carry a write out of it.
 */
async function realDestination(file) {
    const missing = [];
    let existing = node_path__WEBPACK_IMPORTED_MODULE_1___default().resolve(file);
    for (;;) {
        try {
            return node_path__WEBPACK_IMPORTED_MODULE_1___default().join(await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.realpath)(existing), ...missing);
        }
        catch (error) {
            const code = error.code;
            const parent = node_path__WEBPACK_IMPORTED_MODULE_1___default().dirname(existing);
            if ((code !== 'ENOENT' && code !== 'ENOTDIR') || parent === existing)
                throw error;
            missing.unshift(node_path__WEBPACK_IMPORTED_MODULE_1___default().basename(existing));
            existing = parent;
        }
    }
}
/**
 * The code-scanning SARIF file the scan will write, checked before anything runs: it must resolve
 * (after `..` and symbolic links) to a file under the workspace or RUNNER_TEMP, the only places
 * the action writes to; `sarif: ../../../tmp/x.sarif` would otherwise write wherever the runner's
 * user may. Returns the file's path.
 */
async function checkSarifDestination(sarif, roots) {
    const file = sarifPath(sarif, roots.runnerTemp, roots.workspace);
    const real = await realDestination(file);
    const allowed = await Promise.all([roots.workspace, roots.runnerTemp].map(realDestination));
    const asked = sarif.path ?? 'true';
    if (!allowed.some((root) => isInside(real, root))) {
        throw new _action_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .InputError */ .d('sarif', `${asked} resolves to ${real}, outside the workspace (${roots.workspace}) and RUNNER_TEMP (${roots.runnerTemp}); the SARIF file must go under one of them`);
    }
    const existing = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.stat)(real).catch(() => undefined);
    if (existing?.isDirectory())
        throw new _action_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .InputError */ .d('sarif', `${asked} (${real}) is a directory; name a file`);
    return file;
}


/***/ }),

/***/ 5434:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  rU: () => (/* binding */ readScanFiles)
});

// UNUSED EXPORTS: readIgnoreFiles, resolveVexFiles

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
var external_node_path_default = /*#__PURE__*/__webpack_require__.n(external_node_path_);
// EXTERNAL MODULE: ./src/action/errors.ts
var errors = __webpack_require__(8055);
;// CONCATENATED MODULE: ./src/scan/trivyignore.ts
/**
 * Reads the plain `.trivyignore` format the way Trivy does (`parseIgnore` in trivy/pkg/result/ignore.go):
 * one finding ID per line (CVE, GHSA, misconfiguration or secret rule ID: they share one list);
 * lines are trimmed; blank lines and lines starting with `#` are skipped; fields are separated by
 * whitespace, the first is the ID, and a later `exp:YYYY-MM-DD` field sets an expiry, at midnight
 * UTC on that date (so the entry no longer applies on that day). Other fields are ignored. A line
 * whose expiry is not a valid date is dropped, with a warning: Trivy drops it too, so the finding
 * stays reported. The YAML variant (`.trivyignore.yaml`, with paths and PURLs) is a different format.
 */
function parseTrivyIgnore(text) {
    const entries = [];
    const warnings = [];
    text.split('\n').forEach((raw, index) => {
        const line = raw.trim();
        if (line === '' || line.startsWith('#'))
            return;
        const [id = '', ...rest] = line.split(/\s+/);
        const expiry = rest.find((field) => field.startsWith('exp:'));
        if (expiry === undefined) {
            entries.push({ id, line: index + 1 });
            return;
        }
        const expiresAt = utcDate(expiry.slice('exp:'.length));
        if (expiresAt === undefined) {
            warnings.push(`.trivyignore line ${index + 1}: "${expiry}" is not a date (exp:YYYY-MM-DD), so ${id} is not ignored`);
            return;
        }
        entries.push({ id, expiresAt, line: index + 1 });
    });
    return { entries, warnings };
}
/** Strict YYYY-MM-DD, as Go's time.Parse("2006-01-02"): 2024-02-30 is rejected, not rolled over. */
function utcDate(text) {
    const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
    if (!match)
        return undefined;
    const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
    const date = new Date(Date.UTC(year, month - 1, day));
    const valid = date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
    return valid ? date : undefined;
}

;// CONCATENATED MODULE: ./src/scan/scan-files.ts





/**
 * Reads the files the scan inputs name (`trivyignores`, `vex`), so a wrong path fails before the
 * login and the build rather than after them; the scan stage is handed what was read.
 */
async function readScanFiles(inputs, workspace) {
    if (inputs.scanner === 'none')
        return { ignores: { entries: [], warnings: [] }, vexFiles: [] };
    return {
        ignores: await readIgnoreFiles(inputs.trivyignores, workspace),
        vexFiles: await resolveVexFiles(inputs.vex, workspace),
    };
}
/** Reads every ignore file; one that cannot be read is an InputError naming `trivyignores`. */
async function readIgnoreFiles(files, workspace) {
    const entries = [];
    const warnings = [];
    for (const file of files) {
        const absolute = external_node_path_default().resolve(workspace, file);
        let text;
        try {
            text = await (0,promises_.readFile)(absolute, 'utf8');
        }
        catch (error) {
            const reason = error.code === 'ENOENT' ? 'no such file' : (0,errors/* errorMessage */.g)(error);
            throw new errors/* InputError */.d('trivyignores', `cannot read ${file} (${absolute}): ${reason}`);
        }
        const parsed = parseTrivyIgnore(text);
        entries.push(...parsed.entries);
        warnings.push(...parsed.warnings.map((warning) => warning.replace(/^\.trivyignore/, file)));
    }
    return { entries, warnings };
}
/**
 * The VEX files as absolute paths for Trivy, each checked to be a readable file: one that is not
 * is an InputError naming `vex`, before Trivy is installed. Trivy reads `--vex` as a comma-separated
 * list, so a path with a comma (or a double quote, CSV's quote) would reach it as other paths.
 */
async function resolveVexFiles(files, workspace) {
    const resolved = [];
    for (const file of files) {
        const absolute = external_node_path_default().resolve(workspace, file);
        if (/[,"]/.test(absolute)) {
            throw new errors/* InputError */.d('vex', `${file} (${absolute}): Trivy cannot take a VEX file path with a comma or a quote`);
        }
        const problem = await unreadableFile(absolute);
        if (problem !== undefined)
            throw new errors/* InputError */.d('vex', `cannot read ${file} (${absolute}): ${problem}`);
        resolved.push(absolute);
    }
    return resolved;
}
/** Why `file` cannot be read as a file, or undefined when it can. */
async function unreadableFile(file) {
    try {
        if (!(await (0,promises_.stat)(file)).isFile())
            return 'not a file';
        await (0,promises_.access)(file, external_node_fs_.constants.R_OK);
        return undefined;
    }
    catch (error) {
        return error.code === 'ENOENT' ? 'no such file' : (0,errors/* errorMessage */.g)(error);
    }
}


/***/ }),

/***/ 4902:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Nd: () => (/* binding */ zeroCounts),
/* harmony export */   Ot: () => (/* binding */ countBySeverity),
/* harmony export */   _Z: () => (/* binding */ isSeverity),
/* harmony export */   ki: () => (/* binding */ DEFAULT_BLOCKING_SEVERITIES),
/* harmony export */   oC: () => (/* binding */ SEVERITIES),
/* harmony export */   qs: () => (/* binding */ severityRank)
/* harmony export */ });
/* unused harmony export highestSeverity */
/** Most severe first: the order of summary columns and of sorted findings. */
const SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'UNKNOWN'];
/** What blocks a push when the workflow says nothing (Trivy's own default is every severity). */
const DEFAULT_BLOCKING_SEVERITIES = ['CRITICAL', 'HIGH'];
function isSeverity(word) {
    return SEVERITIES.includes(word);
}
/** 0 for CRITICAL … 4 for UNKNOWN, so sorting ascending puts the worst first. */
function severityRank(severity) {
    return SEVERITIES.indexOf(severity);
}
function zeroCounts() {
    return { CRITICAL: 0, HIGH: 0, MEDIUM: 0, LOW: 0, UNKNOWN: 0 };
}
function countBySeverity(items) {
    const counts = zeroCounts();
    for (const item of items)
        counts[item.severity] += 1;
    return counts;
}
/** The worst of several severities; UNKNOWN ranks below LOW (it says nothing about impact). */
function highestSeverity(severities) {
    let highest;
    for (const severity of severities) {
        if (highest === undefined || severityRank(severity) < severityRank(highest))
            highest = severity;
    }
    return highest;
}


/***/ }),

/***/ 7697:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   VG: () => (/* binding */ signingEnvironment),
/* harmony export */   ms: () => (/* binding */ decideSigning),
/* harmony export */   oP: () => (/* binding */ GITHUB_OIDC_ISSUER)
/* harmony export */ });
/**
 * Whether the run signs, how, and what it attests: a pure decision over the inputs, the push
 * decision and the environment, made before anything runs (the dry run makes it too).
 */
/** GitHub's OIDC issuer: what Fulcio puts in the certificate of a keyless signature made in Actions. */
const GITHUB_OIDC_ISSUER = 'https://token.actions.githubusercontent.com';
/**
 * `auto` and `true` sign a pushing run that has a key or an OIDC token (readSignInputs has made
 * sure `true` has one); `false` never signs; nothing is signed on a run that pushes nothing. A key
 * wins over the token: who gave one wants key-based signatures.
 */
function decideSigning(inputs, facts) {
    if (inputs.mode === 'false')
        return { sign: false, reason: 'sign is false' };
    const method = inputs.key !== undefined ? 'key' : facts.oidc !== undefined ? 'keyless' : undefined;
    if (method === undefined) {
        return { sign: false, reason: 'no cosign-key and no OIDC token (the job lacks id-token: write)' };
    }
    if (!facts.push)
        return { sign: false, reason: 'nothing is pushed' };
    return {
        sign: true,
        method,
        reason: method === 'key' ? 'with cosign-key' : 'keyless, with the job’s OIDC token',
        attest: facts.scanner === 'trivy' ? inputs.attest : [],
        transparencyLog: inputs.transparencyLog,
        ...(method === 'keyless' && facts.workflowIdentity !== undefined
            ? { identity: facts.workflowIdentity }
            : {}),
    };
}
/** The OIDC request and the workflow identity from the step's environment (before it is pruned). */
function signingEnvironment(env) {
    const url = env.ACTIONS_ID_TOKEN_REQUEST_URL ?? '';
    const token = env.ACTIONS_ID_TOKEN_REQUEST_TOKEN ?? '';
    const server = (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, '');
    const workflowRef = env.GITHUB_WORKFLOW_REF ?? '';
    return {
        oidc: url !== '' && token !== '' ? { url, token } : undefined,
        workflowIdentity: workflowRef === '' ? undefined : `${server}/${workflowRef}`,
    };
}


/***/ }),

/***/ 1292:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   J: () => (/* binding */ signSecrets),
/* harmony export */   nr: () => (/* binding */ readSignInputs)
/* harmony export */ });
/* unused harmony exports DEFAULT_COSIGN_VERSION, parseCosignVersionInput */
/* harmony import */ var semver__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(2088);
/* harmony import */ var semver__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(semver__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _action_errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(8055);
/* harmony import */ var _action_input_list_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(9103);



/**
 * The signing inputs: `sign`, `cosign-key`, `cosign-password`, `attest`, `transparency-log` and
 * `cosign-version`, checked on their own (whether the run can sign at all is decided later, by
 * `decideSigning`, once the push decision is known).
 */
/**
 * Default cosign: 2.6.4 (tag v2.6.4, 2026-07-17), the newest 2.x release in the sigstore/cosign
 * snapshot read. cosign 3 (v3.1.2 is newer) changed what the flags used here mean: `--tlog-upload`
 * is deprecated there and refused unless `--use-signing-config=false`, and signatures go into
 * Sigstore bundles through the OCI referrers API by default, which `cosign verify` of 2.x does not
 * read. The argv below is cosign 2's (tested end to end with Debian's 2.5.0), so 3.x is refused.
 */
const DEFAULT_COSIGN_VERSION = '2.6.4';
const SUPPORTED_MAJOR = 2;
/**
 * Reads and checks the signing inputs. `oidcAvailable`: the job can request an OIDC token
 * (ACTIONS_ID_TOKEN_REQUEST_URL and _TOKEN are set, from `id-token: write`). `sign: true` with
 * neither a key nor a token, and a keyless signature without the transparency log it is verified
 * through, are InputErrors, before anything runs.
 */
function readSignInputs(read, oidcAvailable) {
    const key = keyInput(read('cosign-key', { trim: false }));
    const inputs = {
        mode: signMode(read('sign')),
        ...(key === undefined ? {} : { key }),
        password: read('cosign-password', { trim: false }),
        attest: attestInput(read('attest')),
        transparencyLog: (0,_action_input_list_js__WEBPACK_IMPORTED_MODULE_2__/* .optionalBoolean */ .Jz)(read('transparency-log'), 'transparency-log', true),
        cosignVersion: parseCosignVersionInput(read('cosign-version')),
    };
    if (inputs.mode === 'true' && key === undefined && !oidcAvailable) {
        throw new _action_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .d('sign', '"true" needs a signing identity: give "cosign-key" (and "cosign-password"), or let the job ' +
            'request an OIDC token for keyless signing (permissions: id-token: write)');
    }
    if (inputs.mode !== 'false' && key === undefined && oidcAvailable && !inputs.transparencyLog) {
        throw new _action_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .d('transparency-log', '"false" needs "cosign-key": a keyless signature is verified through its transparency log entry');
    }
    return inputs;
}
/** The values to mask: the key (every line of it, as the runner masks line by line) and the password. */
function signSecrets(inputs) {
    const keyLines = (inputs.key ?? '').split(/\r?\n/).map((line) => line.trim());
    return [...keyLines, inputs.password].filter((secret) => secret !== '');
}
function signMode(text) {
    const value = text.trim().toLowerCase();
    if (value === '')
        return 'auto';
    if (value === 'auto' || value === 'true' || value === 'false')
        return value;
    throw new _action_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .d('sign', `expected "auto", "true" or "false", got "${text}"`);
}
// Never quotes the value: it is a private key.
function keyInput(text) {
    const key = text.trim();
    if (key === '')
        return undefined;
    if (!/^-----BEGIN [A-Z ]*PRIVATE KEY-----\r?\n[\s\S]+\r?\n-----END [A-Z ]*PRIVATE KEY-----$/.test(key)) {
        throw new _action_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .d('cosign-key', 'expected the text of a PEM private key from `cosign generate-key-pair` ' +
            '("-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----" … "-----END … PRIVATE KEY-----"), not a path or a key reference');
    }
    return `${key}\n`;
}
function attestInput(text) {
    const entries = (0,_action_input_list_js__WEBPACK_IMPORTED_MODULE_2__/* .listEntries */ .fi)(text, 'attest').map((entry) => entry.toLowerCase());
    if (entries.length === 0)
        return ['vuln', 'sbom'];
    if (entries.length === 1 && entries[0] === 'none')
        return [];
    const unknown = entries.find((entry) => entry !== 'vuln' && entry !== 'sbom');
    if (unknown !== undefined) {
        throw new _action_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .d('attest', `expected "vuln", "sbom", both ("vuln,sbom") or "none", got "${unknown}"`);
    }
    return ['vuln', 'sbom'].filter((kind) => entries.includes(kind));
}
/** `cosign-version`: one cosign 2 release; empty means the pinned default. */
function parseCosignVersionInput(value) {
    const version = (0,_action_input_list_js__WEBPACK_IMPORTED_MODULE_2__/* .releaseVersion */ .SF)(value, 'cosign-version', 'cosign', DEFAULT_COSIGN_VERSION);
    if (semver__WEBPACK_IMPORTED_MODULE_0___default().major(version) !== SUPPORTED_MAJOR) {
        throw new _action_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .d('cosign-version', `${version} is not a cosign ${SUPPORTED_MAJOR}.x release; this action runs cosign ${SUPPORTED_MAJOR} ` +
            `(default ${DEFAULT_COSIGN_VERSION})`);
    }
    return version;
}


/***/ }),

/***/ 7705:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   D: () => (/* binding */ renderSignSection),
/* harmony export */   O: () => (/* binding */ signOutputs)
/* harmony export */ });
/** The `signed` and `verify-commands` outputs. */
function signOutputs(sign) {
    return { signed: String(sign.signed), 'verify-commands': sign.commands.join('\n') };
}
/** The job summary's signing section. */
function renderSignSection(sign) {
    if (!sign.signed)
        return ['### Signature', '', `Not signed: ${sign.reason}.`, ''];
    const lines = ['### Signature', '', `Signed with cosign, ${sign.reason}.`];
    if (sign.transparencyLog === false) {
        lines.push('', '> [!WARNING]', '> No transparency log entry (`transparency-log: false`): nobody outside can see when this key signed, ' +
            'and a leaked key can sign in secret.');
    }
    lines.push('', 'Check it with:', '', '```sh', ...sign.commands, '```', '');
    if (sign.publicKey !== undefined) {
        lines.push('`cosign.pub`, the public key of `cosign-key`:', '', '```', sign.publicKey, '```', '');
    }
    return lines;
}


/***/ })

};

//# sourceMappingURL=938.index.js.map