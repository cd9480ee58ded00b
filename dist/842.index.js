export const id = 842;
export const ids = [842];
export const modules = {

/***/ 8592:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   ZV: () => (/* binding */ commandSafeLog),
/* harmony export */   pq: () => (/* binding */ info)
/* harmony export */ });
/* unused harmony exports commandSafe, splitAtLastLineBreak, CommandSafeStream */
/* harmony import */ var node_stream__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7075);
/* harmony import */ var node_stream__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_stream__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_string_decoder__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6193);
/* harmony import */ var node_string_decoder__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_string_decoder__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(3838);



/*
 * The runner reads every line the step prints, on stdout and stderr, as a possible workflow command
 * (actions/runner, ActionCommand.TryParseV2 / TryParse):
 *   - `::name props::data` when the line, after its leading white space, starts with `::`;
 *   - `##[name props]data` anywhere in the line (the older syntax, still parsed);
 * with names in any case, and `\r`, `\n` or `\r\n` ending a line. A label such as
 * `::save-state name=workspace::/some/dir`, printed as it is, would set the post step's state.
 *
 * Every value that can come from the workflow's inputs, the event (branch, tag, commit message, PR
 * title through an expression), a registry or a child process is printed through `commandSafe`.
 * Why escaping rather than `::stop-commands::TOKEN` … `::TOKEN::` around such output:
 *   - while commands are stopped, the step's own `::add-mask::` is ignored too: a secret registered
 *     by code running at the same time (a resolved registry password) would print in clear;
 *   - a step that dies inside the block leaves commands stopped, so its `::error::` is lost;
 *   - the runner echoes both token lines, around every value.
 * Escaping only touches a line that could be read as a command, so ordinary log lines print
 * exactly as before; the outputs and the summary keep the values unchanged.
 *
 * The action's own warnings and errors (`core.warning`, `core.error`, `core.setFailed`) stay
 * commands, and are safe with any value inside: core writes `::warning::` then the message with
 * `%`, `\r` and `\n` percent-encoded, so the value is one command's data and can neither end it nor
 * start a line. Group titles (`core.startGroup`, `core.group`) are escaped the same way.
 */
/** Whatever the runner's TrimStart() removes (char.IsWhiteSpace, U+0085 included), and more. */
const LEADING_BLANKS = '[\\s\\p{Z}\\p{Cc}\\p{Cf}]*';
const COMMAND_START = new RegExp(`^(${LEADING_BLANKS})::`, 'u');
const LINE_BREAK = /(\r\n|\r|\n)/;
/**
 * `text` with no line the runner could read as a workflow command: a line starting with `::`
 * (after any blanks) starts with `%3A%3A` instead, and `##[` becomes `##%5B`, percent-encoding as
 * the runner itself does. Line breaks are kept; every other character is unchanged.
 */
function commandSafe(text) {
    return text
        .split(LINE_BREAK)
        .map((part, index) => (index % 2 === 1 ? part : commandSafeLine(part)))
        .join('');
}
function commandSafeLine(line) {
    return line.replace(COMMAND_START, '$1%3A%3A').replaceAll('##[', '##%5B');
}
/** `core.info` for any message: use it instead, so no value in the message can be run as a command. */
function info(message) {
    _actions_core__WEBPACK_IMPORTED_MODULE_2__/* .info */ .pq(commandSafe(message));
}
/**
 * Splits text after its last line break: what can be printed now (whole lines) and what must wait
 * for the rest of its line, since `::war` and `ning::x` may come in separate chunks.
 */
function splitAtLastLineBreak(text) {
    const end = Math.max(text.lastIndexOf('\n'), text.lastIndexOf('\r')) + 1;
    return { lines: text.slice(0, end), rest: text.slice(end) };
}
/**
 * A child process's output (`@actions/exec`'s outStream and errStream: the `[command]` echo of its
 * argv, then what it prints) passed on to `target` line by line, through `commandSafe`. A last line
 * with no line break gets one, so it cannot join whatever the step prints next.
 */
class CommandSafeStream extends node_stream__WEBPACK_IMPORTED_MODULE_0__.Writable {
    target;
    decoder = new node_string_decoder__WEBPACK_IMPORTED_MODULE_1__.StringDecoder('utf8');
    pending = '';
    constructor(target) {
        super();
        this.target = target;
    }
    // Writable hands strings over as Buffers (decodeStrings): one decoder keeps UTF-8 split across chunks whole.
    _write(chunk, _encoding, done) {
        const { lines, rest } = splitAtLastLineBreak(this.pending + this.decoder.write(chunk));
        this.pending = rest;
        if (lines !== '')
            this.target.write(commandSafe(lines));
        done();
    }
    _final(done) {
        const last = this.pending + this.decoder.end();
        this.pending = '';
        if (last !== '')
            this.target.write(`${commandSafe(last)}\n`);
        done();
    }
    /** Flushes the last line; resolves once it is written. */
    close() {
        return new Promise((resolve, reject) => {
            this.once('error', reject);
            this.end(() => resolve());
        });
    }
}
/**
 * The log a child process echoes into (its stderr with its stdout, as @actions/exec does); `close`
 * it once the child has exited.
 */
function commandSafeLog() {
    return new CommandSafeStream(process.stdout);
}


/***/ }),

/***/ 8842:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Ak: () => (/* binding */ uniqueBuilderName),
/* harmony export */   iq: () => (/* binding */ removeBuilder),
/* harmony export */   nl: () => (/* binding */ isOwnBuilderName)
/* harmony export */ });
/* unused harmony export builderRemoveArgs */
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3838);
/* harmony import */ var _action_errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(8055);
/* harmony import */ var _runner_buildx_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(2532);
/* harmony import */ var _runner_timeouts_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(7900);
/* harmony import */ var _runner_tool_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(5602);





// The builder this action creates: its name and its removal, apart from builder.ts so that the
// post step loads only these (not the builder checks, the input parsers and their libraries).
/** A builder name no other step or job on the runner uses. */
function uniqueBuilderName(random) {
    return `build-scan-push-${random}`;
}
/**
 * Whether a builder name is one `uniqueBuilderName` gives (8 hex digits, from planRun): the post
 * step removes no other, so a `builder` state that names the user's own builder leaves it alone.
 */
function isOwnBuilderName(name) {
    return /^build-scan-push-[0-9a-f]{8}$/.test(name);
}
/** buildx's arguments to remove a builder. */
function builderRemoveArgs(name) {
    return ['rm', name];
}
/**
 * `docker buildx rm`: the builder's container, its state volume and its entry in the config.
 * Says whether it went; a failure is a warning, never a reason to stop cleaning up.
 */
async function removeBuilder(buildx, name, dockerConfig) {
    let removed;
    try {
        removed = await (0,_runner_tool_js__WEBPACK_IMPORTED_MODULE_4__/* .runTool */ .qI)(buildx.file, (0,_runner_buildx_js__WEBPACK_IMPORTED_MODULE_2__/* .buildxArgs */ .w$)(buildx, builderRemoveArgs(name)), {
            env: { DOCKER_CONFIG: dockerConfig },
            deadline: (0,_runner_timeouts_js__WEBPACK_IMPORTED_MODULE_3__/* .deadline */ .nl)('builderRemove', `docker buildx rm ${name}`),
        });
    }
    catch (error) {
        _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .warning */ .$e(`Could not remove builder ${name}: ${(0,_action_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .errorMessage */ .g)(error)}`);
        return false;
    }
    if (removed.exitCode === 0)
        return true;
    _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .warning */ .$e(`Could not remove builder ${name}: ${(0,_runner_tool_js__WEBPACK_IMPORTED_MODULE_4__/* .tail */ .RT)(removed.stderr, 2)}`);
    return false;
}


/***/ }),

/***/ 2532:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   ah: () => (/* binding */ findBuildx),
/* harmony export */   w$: () => (/* binding */ buildxArgs)
/* harmony export */ });
/* unused harmony export pluginDirs */
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _tool_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(5602);
/* harmony import */ var _workspace_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(7683);




// docker/cli cli-plugins/manager (unix): searched after the config's cliPluginsExtraDirs and its cli-plugins.
const SYSTEM_PLUGIN_DIRS = [
    '/usr/local/lib/docker/cli-plugins',
    '/usr/local/libexec/docker/cli-plugins',
    '/usr/lib/docker/cli-plugins',
    '/usr/libexec/docker/cli-plugins',
];
/** Where the docker CLI looks for plugins, first to last, given its config directory and config.json. */
function pluginDirs(configDir, config) {
    const extra = config?.cliPluginsExtraDirs;
    return [
        ...(Array.isArray(extra) ? extra.filter((dir) => typeof dir === 'string') : []),
        (0,node_path__WEBPACK_IMPORTED_MODULE_1__.join)(configDir, 'cli-plugins'),
        ...SYSTEM_PLUGIN_DIRS,
    ];
}
/**
 * The buildx the docker CLI would run for `docker buildx`, as seen from the user's config (the
 * step's private config links the same plugins), or docker itself when no plugin directory holds
 * an executable `docker-buildx`. Synchronous, like findTool: a few access() calls.
 */
function findBuildx(docker, env) {
    const configDir = (0,_workspace_js__WEBPACK_IMPORTED_MODULE_3__/* .userDockerConfigDir */ .Rx)(env);
    const plugin = (0,_tool_js__WEBPACK_IMPORTED_MODULE_2__/* .firstExecutable */ .Ng)(pluginDirs(configDir, readConfig((0,node_path__WEBPACK_IMPORTED_MODULE_1__.join)(configDir, 'config.json'))), 'docker-buildx');
    return plugin === undefined ? { file: docker, prefix: ['buildx'] } : { file: plugin, prefix: [] };
}
/** buildx's own arguments (`build …`, `inspect`) as the argv for `buildx.file`. */
function buildxArgs(buildx, args) {
    return [...buildx.prefix, ...args];
}
function readConfig(file) {
    try {
        return JSON.parse((0,node_fs__WEBPACK_IMPORTED_MODULE_0__.readFileSync)(file, 'utf8'));
    }
    catch {
        // None, or one the CLI would refuse too: then only the usual directories count.
        return undefined;
    }
}


/***/ }),

/***/ 9314:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   AZ: () => (/* binding */ GHA_CACHE_ENV),
/* harmony export */   Fw: () => (/* binding */ dropActionOnlyVariables),
/* harmony export */   gf: () => (/* binding */ childEnv)
/* harmony export */ });
/* unused harmony export isWithheld */
/**
 * The environment every child process gets (docker, buildx, cosign, trivy, tar, the AWS CLI, the
 * QEMU installer): the step's own, minus what the runner hands to the action alone.
 *
 * A deny-list, not an allow-list: the docker CLI runs the user's credential helpers,
 * which read whatever they need (AWS_*, GOOGLE_APPLICATION_CREDENTIALS, AZURE_*…); proxies,
 * DOCKER_*, BUILDX_*, BUILDKIT_*, SSL_CERT_*, locale, HOME and XDG_* must reach them; buildx reads
 * the GITHUB_* context for its build records; and RUNNER_TRACKING_ID lets the runner find and stop
 * a child left behind when the job ends. What is withheld is what a `run:` step of the same job
 * never sees either, so a child sees what a shell step would:
 *
 * - INPUT_*: the action's inputs, among them `password`, `registry-auth`, `github-token` and
 *   `secrets`, read once by readInputs;
 * - ACTIONS_*: the runtime token, the cache and results service URLs, and the OIDC token request
 *   (ACTIONS_ID_TOKEN_REQUEST_*), given to actions only;
 * - the step's command files (GITHUB_OUTPUT, GITHUB_STATE, GITHUB_ENV, GITHUB_PATH,
 *   GITHUB_STEP_SUMMARY): only the action writes its outputs and the state its post step trusts.
 *
 * A child that needs one of these gets it by name (`pass`), as the build does for the `type=gha`
 * cache (GHA_CACHE_ENV) and for the variables `secret-envs` names.
 */
const WITHHELD_PREFIXES = ['INPUT_', 'ACTIONS_'];
const STEP_COMMAND_FILES = [
    'GITHUB_OUTPUT',
    'GITHUB_STATE',
    'GITHUB_ENV',
    'GITHUB_PATH',
    'GITHUB_STEP_SUMMARY',
];
/** What buildx reads for a `type=gha` cache (build/opt.go, addGithubToken): the token, both service URLs and the v2 switch. */
const GHA_CACHE_ENV = [
    'ACTIONS_RUNTIME_TOKEN',
    'ACTIONS_CACHE_URL',
    'ACTIONS_RESULTS_URL',
    'ACTIONS_CACHE_SERVICE_V2',
];
/** A variable no child gets unless it is passed by name. Case-blind: Windows environments are. */
function isWithheld(name) {
    const upper = name.toUpperCase();
    return (WITHHELD_PREFIXES.some((prefix) => upper.startsWith(prefix)) ||
        STEP_COMMAND_FILES.includes(upper));
}
/** The environment for one child: `parent` without what isWithheld names, plus `pass` and `set`. */
function childEnv(parent, options = {}) {
    const pass = options.pass ?? [];
    const env = {};
    for (const [name, value] of Object.entries(parent)) {
        if (value !== undefined && (!isWithheld(name) || pass.includes(name)))
            env[name] = value;
    }
    return { ...env, ...options.set };
}
/**
 * Removes from the action's own environment what nothing it runs needs once the inputs are read:
 * every INPUT_* and the OIDC token request (ACTIONS_ID_TOKEN_REQUEST_*: keyless signing read it
 * before, in planPush, and hands it to cosign alone). This reaches the children that libraries start themselves with `process.env` (the
 * tar and zstd of @actions/cache, which saves the Trivy DB). ACTIONS_RUNTIME_TOKEN and the cache
 * URLs stay: @actions/cache and the build's `type=gha` cache read them. So do the names in
 * `keep` (the ones `secret-envs` names: the user asked for them). Returns the names removed.
 */
function dropActionOnlyVariables(env, keep = []) {
    const dropped = Object.keys(env).filter((name) => {
        const upper = name.toUpperCase();
        const actionOnly = upper.startsWith('INPUT_') || upper.startsWith('ACTIONS_ID_TOKEN_REQUEST_');
        return actionOnly && !keep.includes(name);
    });
    for (const name of dropped)
        Reflect.deleteProperty(env, name);
    return dropped;
}


/***/ }),

/***/ 8520:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   A: () => (/* binding */ spawnChild)
/* harmony export */ });
/* harmony import */ var node_child_process__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1421);
/* harmony import */ var node_child_process__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_child_process__WEBPACK_IMPORTED_MODULE_0__);

// As @actions/exec waits: a grandchild that keeps the pipes open must not hold the step forever.
const CLOSE_AFTER_EXIT_MS = 10_000;
function spawnChild(file, args, options) {
    return new Promise((resolve) => {
        let timedOut = false;
        let settled = false;
        const timers = [];
        const child = (0,node_child_process__WEBPACK_IMPORTED_MODULE_0__.spawn)(file, args, {
            cwd: options.cwd,
            env: options.env,
            stdio: [options.input !== undefined ? 'pipe' : 'ignore', options.onStdout ? 'pipe' : 'ignore', 'pipe'],
            detached: options.timeoutMs !== undefined,
        });
        const finish = (exit) => {
            if (settled)
                return;
            settled = true;
            for (const timer of timers)
                clearTimeout(timer);
            resolve({ ...exit, timedOut });
        };
        const killGroup = (signal) => {
            try {
                if (child.pid !== undefined)
                    process.kill(-child.pid, signal);
            }
            catch {
                // already gone
            }
        };
        if (options.timeoutMs !== undefined) {
            timers.push(setTimeout(() => {
                timedOut = true;
                killGroup('SIGTERM');
                timers.push(setTimeout(() => killGroup('SIGKILL'), options.killGraceMs ?? 5_000));
            }, options.timeoutMs));
        }
        child.stdout?.setEncoding('utf8');
        child.stdout?.on('data', (text) => options.onStdout?.(text));
        child.stderr?.setEncoding('utf8');
        child.stderr?.on('data', (text) => options.onStderr?.(text));
        child.on('error', (error) => finish({ exitCode: null, signal: null, spawnError: error.message }));
        child.on('exit', (exitCode, signal) => {
            if (!settled)
                timers.push(setTimeout(() => finish({ exitCode, signal }), CLOSE_AFTER_EXIT_MS));
        });
        child.on('close', (exitCode, signal) => finish({ exitCode, signal }));
        if (options.input !== undefined && child.stdin) {
            // A child that exits without reading its stdin must not crash the step with EPIPE.
            child.stdin.on('error', () => undefined);
            child.stdin.end(options.input);
        }
    });
}


/***/ }),

/***/ 7900:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   KA: () => (/* binding */ CallTimedOut),
/* harmony export */   a3: () => (/* binding */ formatDuration),
/* harmony export */   fT: () => (/* binding */ TIMEOUTS),
/* harmony export */   nl: () => (/* binding */ deadline)
/* harmony export */ });
/* unused harmony export timedOutMessage */
/**
 * How long each kind of call to docker, buildx, cosign, tar or the AWS CLI may take before its
 * process (and its process group: docker runs buildx as a child) is stopped and the step fails
 * naming the call. A hung registry or engine would otherwise hold the job until GitHub's job
 * timeout (6 hours by default). The limits are generous, for slow registries and loaded runners.
 * The build itself has none: its length is the Dockerfile's, bounded by the job's `timeout-minutes`.
 * Trivy has its own (the `scan-timeout` input, run-trivy.ts); registry requests have theirs
 * (registry/retry.ts).
 */
const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const TIMEOUTS = {
    /** A login's check (GET /v2/ and a token, retries included), aws ecr get-login-password, a credential helper's `get`. */
    login: 2 * MINUTE,
    /** docker version / info / buildx inspect: local answers. */
    probe: 2 * MINUTE,
    /** `trivy --version`, `cosign version --json`: an installed binary naming its version. */
    toolVersion: 30 * SECOND,
    /** docker buildx create, and its bootstrap, which pulls the BuildKit image. */
    builderSetup: 10 * MINUTE,
    /** docker buildx rm (post step too): stops and removes the builder's container. */
    builderRemove: 2 * MINUTE,
    /** The QEMU installer: pulls the binfmt image and runs it once. */
    qemuInstall: 10 * MINUTE,
    /** tar of the layout and `docker load` of it: the whole image, written into the engine. */
    load: 30 * MINUTE,
    /** Unpacking the downloaded Trivy release archive. */
    unpack: 5 * MINUTE,
    /**
     * Restoring Trivy's DB from the Actions cache, or saving it. Past it the call is given up on, not
     * failed: Trivy downloads its DB itself, and the next run saves it (@actions/cache alone waits
     * 3 minutes for each of 5 attempts on a cache service that never answers).
     */
    cache: 5 * MINUTE,
    /** One cosign sign or attest: a registry write, and keyless a Fulcio certificate and a Rekor entry. */
    sign: 10 * MINUTE,
};
function deadline(kind, what, limits = TIMEOUTS) {
    return { ms: limits[kind], what };
}
/** 120000 → "2m", 90000 → "1m30s", 1500 → "1.5s", 200 → "200ms". */
function formatDuration(ms) {
    if (ms < SECOND)
        return `${ms}ms`;
    if (ms < MINUTE)
        return `${Number((ms / SECOND).toFixed(1))}s`;
    const minutes = Math.floor(ms / MINUTE);
    const seconds = Math.round((ms % MINUTE) / SECOND);
    return seconds === 0 ? `${minutes}m` : `${minutes}m${seconds}s`;
}
function timedOutMessage(limit) {
    return `${limit.what} timed out after ${formatDuration(limit.ms)} and was stopped`;
}
/** A call that outlived its Deadline. Never retried: the limits are long already, and a retry would double the wait. */
class CallTimedOut extends Error {
    deadline;
    constructor(deadline) {
        super(timedOutMessage(deadline));
        this.deadline = deadline;
        this.name = 'CallTimedOut';
    }
}


/***/ }),

/***/ 5602:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Ng: () => (/* binding */ firstExecutable),
/* harmony export */   RT: () => (/* binding */ tail),
/* harmony export */   SG: () => (/* binding */ findTool),
/* harmony export */   Y0: () => (/* binding */ requireTool),
/* harmony export */   qI: () => (/* binding */ runTool),
/* harmony export */   uF: () => (/* binding */ versionOutput)
/* harmony export */ });
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(8161);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_os__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var _child_env_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(9314);
/* harmony import */ var _child_process_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(8520);
/* harmony import */ var _timeouts_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(7900);
/* harmony import */ var _action_log_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(8592);







const INSTALL_HINTS = {
    docker: 'this step needs the docker CLI and an engine (ubuntu-slim runners have none)',
    aws: 'an ECR registry without a password needs the AWS CLI (aws ecr get-login-password)',
};
/**
 * The absolute path of a tool on PATH, or undefined when there is none. The look-up is synchronous
 * (one access() per PATH entry, microseconds): the early probes (runMain) find docker and spawn it
 * before `import('./ship.js')` holds the event loop, which would delay an asynchronous answer by
 * the whole load (bench/README.md).
 */
async function findTool(name) {
    return firstExecutable((process.env.PATH ?? '').split(node_path__WEBPACK_IMPORTED_MODULE_2__.delimiter), name);
}
/** The first of `dirs` holding an executable `name` (its path), checked synchronously; '' entries skipped. */
function firstExecutable(dirs, name) {
    for (const dir of dirs) {
        if (dir === '')
            continue;
        const path = (0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(dir, name);
        try {
            (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.accessSync)(path, node_fs__WEBPACK_IMPORTED_MODULE_0__.constants.X_OK);
            return path;
        }
        catch {
            // not in this directory
        }
    }
    return undefined;
}
/** The absolute path of a tool on PATH, or a clear error saying why it is needed. */
async function requireTool(name) {
    const path = await findTool(name);
    if (path !== undefined)
        return path;
    throw new Error(`${name} was not found on PATH: ${INSTALL_HINTS[name] ?? 'install it'}`);
}
/**
 * Runs a command from an argv array: no shell ever reads a value. The environment is childEnv's:
 * the step's own without the action's inputs and runtime tokens, plus `passEnv` and `env`. Unless
 * silent, the command line and its output go to the log as @actions/exec prints them
 * (`[command]/usr/bin/docker buildx …`, stderr with stdout), through CommandSafeStream: the argv
 * holds labels and tags, and a Dockerfile's RUN writes to the output, so none of it may run as a
 * workflow command. With a `deadline`, a call that outlives it is stopped and CallTimedOut thrown;
 * a non-zero exit is returned, never thrown (callers decide).
 */
async function runTool(file, args, options = {}) {
    const env = (0,_child_env_js__WEBPACK_IMPORTED_MODULE_6__/* .childEnv */ .gf)(process.env, { pass: options.passEnv ?? [], set: options.env ?? {} });
    const log = (0,_action_log_js__WEBPACK_IMPORTED_MODULE_5__/* .commandSafeLog */ .ZV)();
    const echo = (text) => {
        if (!options.silent)
            log.write(text);
    };
    echo(`[command]${[file, ...args].join(' ')}\n`);
    let stdout = '';
    let stderr = '';
    try {
        const exit = await (0,_child_process_js__WEBPACK_IMPORTED_MODULE_3__/* .spawnChild */ .A)(file, args, {
            env,
            ...(options.input !== undefined ? { input: options.input } : {}),
            ...(options.deadline ? { timeoutMs: options.deadline.ms } : {}),
            onStdout: (text) => {
                stdout += text;
                echo(text);
            },
            onStderr: (text) => {
                stderr += text;
                echo(text);
            },
        });
        if (exit.spawnError !== undefined)
            throw new Error(`Could not run ${file}: ${exit.spawnError}`);
        if (exit.timedOut && options.deadline)
            throw new _timeouts_js__WEBPACK_IMPORTED_MODULE_4__/* .CallTimedOut */ .KA(options.deadline);
        return { exitCode: exitCodeOf(exit.exitCode, exit.signal), stdout, stderr };
    }
    finally {
        await log.close();
    }
}
/**
 * What `binary args` printed when it ran and exited 0, else '' (a binary that cannot run, fails or
 * outlives its deadline has no version anyone can rely on): how an installer asks a tool it found
 * which version it is.
 */
async function versionOutput(binary, args) {
    const what = [binary, ...args].join(' ');
    const result = await runTool(binary, args, { silent: true, deadline: (0,_timeouts_js__WEBPACK_IMPORTED_MODULE_4__/* .deadline */ .nl)('toolVersion', what) }).catch(() => undefined);
    return result?.exitCode === 0 ? result.stdout : '';
}
// A child killed by a signal exits as a shell reports it: 128 + the signal's number.
function exitCodeOf(code, signal) {
    if (code !== null)
        return code;
    return 128 + (signal ? node_os__WEBPACK_IMPORTED_MODULE_1__.constants.signals[signal] : 0);
}
/** The last lines of a command's error output, for a failure message. */
function tail(text, lines = 8) {
    return text.trim().split('\n').slice(-lines).join('\n');
}


/***/ }),

/***/ 7683:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   BQ: () => (/* binding */ workspaceProblem),
/* harmony export */   DO: () => (/* binding */ deletedWhenKeepingLogins),
/* harmony export */   KO: () => (/* binding */ DOCKER_CONFIG_DIR),
/* harmony export */   Rx: () => (/* binding */ userDockerConfigDir),
/* harmony export */   Xj: () => (/* binding */ readWorkspaceFacts),
/* harmony export */   i3: () => (/* binding */ mergeAuths),
/* harmony export */   o2: () => (/* binding */ workspaceParent),
/* harmony export */   sK: () => (/* binding */ createWorkspace)
/* harmony export */ });
/* unused harmony exports WORKSPACE_MARKER, seedDockerConfig */
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(1455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(8161);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_3___default = /*#__PURE__*/__webpack_require__.n(node_os__WEBPACK_IMPORTED_MODULE_3__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_4___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_4__);





/** The step's directory is `build-scan-push-` and mkdtemp's random suffix, directly in RUNNER_TEMP. */
const WORKSPACE_PREFIX = 'build-scan-push-';
const WORKSPACE_NAME = /^build-scan-push-[A-Za-z0-9]+$/;
/** The file in the step's directory holding the random value the main step also saves in its state. */
const WORKSPACE_MARKER = '.build-scan-push-marker';
/** The isolated docker config, inside the step's directory. */
const DOCKER_CONFIG_DIR = 'docker-config';
/** Where the user's docker config lives: $DOCKER_CONFIG, else ~/.docker. */
function userDockerConfigDir(env) {
    return env.DOCKER_CONFIG || (0,node_path__WEBPACK_IMPORTED_MODULE_4__.join)((0,node_os__WEBPACK_IMPORTED_MODULE_3__.homedir)(), '.docker');
}
/**
 * The auths an isolated config starts from: the user's own plain `auths` (logins made by earlier
 * steps, so base images keep pulling), and their per-registry helpers except for the registries
 * this step logs into (a login there would write into the user's helper). A global `credsStore`
 * is not copied, for the same reason.
 */
function seedDockerConfig(userConfig, loggingInto) {
    const config = (userConfig ?? {});
    const seeded = { auths: isRecord(config.auths) ? { ...config.auths } : {} };
    if (isRecord(config.credHelpers)) {
        seeded.credHelpers = Object.fromEntries(Object.entries(config.credHelpers).filter(([registry]) => !loggingInto.includes(registry)));
    }
    return seeded;
}
/** Where the step's directory goes: RUNNER_TEMP, else (outside a runner) the system's temp directory. */
function workspaceParent(env) {
    return (0,node_path__WEBPACK_IMPORTED_MODULE_4__.resolve)(env.RUNNER_TEMP || (0,node_os__WEBPACK_IMPORTED_MODULE_3__.tmpdir)());
}
async function createWorkspace(env, loggingInto) {
    // mkdtemp: a new directory (never one that already exists), 0700, with a random name.
    const root = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.mkdtemp)((0,node_path__WEBPACK_IMPORTED_MODULE_4__.join)(workspaceParent(env), WORKSPACE_PREFIX));
    const marker = (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.randomBytes)(32).toString('hex');
    await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.writeFile)((0,node_path__WEBPACK_IMPORTED_MODULE_4__.join)(root, WORKSPACE_MARKER), marker, { mode: 0o600, flag: 'wx' });
    const dockerConfig = (0,node_path__WEBPACK_IMPORTED_MODULE_4__.join)(root, DOCKER_CONFIG_DIR);
    const secretsDir = (0,node_path__WEBPACK_IMPORTED_MODULE_4__.join)(root, 'secrets');
    await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.mkdir)(dockerConfig, { mode: 0o700 });
    await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.mkdir)(secretsDir, { mode: 0o700 });
    const user = userDockerConfigDir(env);
    // Named builders are found through the user's buildx directory.
    if ((0,node_fs__WEBPACK_IMPORTED_MODULE_1__.existsSync)((0,node_path__WEBPACK_IMPORTED_MODULE_4__.join)(user, 'buildx')))
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.symlink)((0,node_path__WEBPACK_IMPORTED_MODULE_4__.join)(user, 'buildx'), (0,node_path__WEBPACK_IMPORTED_MODULE_4__.join)(dockerConfig, 'buildx'));
    await linkUserPlugins((0,node_path__WEBPACK_IMPORTED_MODULE_4__.join)(user, 'cli-plugins'), (0,node_path__WEBPACK_IMPORTED_MODULE_4__.join)(dockerConfig, 'cli-plugins'));
    const authFile = (0,node_path__WEBPACK_IMPORTED_MODULE_4__.join)(dockerConfig, 'config.json');
    await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.writeFile)(authFile, `${JSON.stringify(seedDockerConfig(await readJson((0,node_path__WEBPACK_IMPORTED_MODULE_4__.join)(user, 'config.json')), loggingInto), null, 2)}\n`, { mode: 0o600 });
    return {
        root,
        marker,
        dockerConfig,
        authFile,
        secretsDir,
        layoutDir: (0,node_path__WEBPACK_IMPORTED_MODULE_4__.join)(root, 'oci-layout'),
        metadataFile: (0,node_path__WEBPACK_IMPORTED_MODULE_4__.join)(root, 'buildx-metadata.json'),
    };
}
/**
 * The private config's `cli-plugins` is a directory of its own holding a link to each of the
 * user's plugins (buildx among them): the scan stage can then add a plugin (docker-scout) here
 * without writing into the user's directory.
 */
async function linkUserPlugins(userPlugins, ownPlugins) {
    await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.mkdir)(ownPlugins, { mode: 0o700 });
    const entries = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.readdir)(userPlugins).catch(() => []);
    for (const entry of entries)
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.symlink)((0,node_path__WEBPACK_IMPORTED_MODULE_4__.join)(userPlugins, entry), (0,node_path__WEBPACK_IMPORTED_MODULE_4__.join)(ownPlugins, entry));
}
/**
 * Why the post step must not delete `root`, or undefined when it is the directory the main step
 * made: directly in RUNNER_TEMP, named build-scan-push-*, a real directory (not a link to one),
 * holding a marker with the random value the main step saved. The state is the runner's, but a
 * line such as `::save-state name=workspace::/home/runner/work` in the main step's output would
 * have rewritten it; no value in the state alone can name a directory the post step then deletes.
 */
function workspaceProblem(facts) {
    const { root, parent } = facts;
    if (!(0,node_path__WEBPACK_IMPORTED_MODULE_4__.isAbsolute)(root) || (0,node_path__WEBPACK_IMPORTED_MODULE_4__.resolve)(root) !== root || (0,node_path__WEBPACK_IMPORTED_MODULE_4__.dirname)(root) !== parent) {
        return `it is not directly under RUNNER_TEMP (${parent})`;
    }
    if (!WORKSPACE_NAME.test((0,node_path__WEBPACK_IMPORTED_MODULE_4__.basename)(root)))
        return `it is not named ${WORKSPACE_PREFIX}*`;
    if (facts.kind === 'missing')
        return 'it does not exist';
    if (facts.kind === 'symbolic link')
        return 'it is a symbolic link';
    if (facts.kind !== 'directory')
        return 'it is not a directory';
    if (facts.savedMarker === '')
        return 'the main step saved no marker value';
    if (facts.marker === undefined)
        return `it holds no marker file (${WORKSPACE_MARKER})`;
    if (facts.marker !== facts.savedMarker)
        return 'its marker does not hold the value the main step saved';
    return undefined;
}
/** Reads the facts `workspaceProblem` judges, never following a symbolic link. */
async function readWorkspaceFacts(root, parent, savedMarker) {
    const kind = await entryKind(root);
    const markerFile = (0,node_path__WEBPACK_IMPORTED_MODULE_4__.join)(root, WORKSPACE_MARKER);
    const marker = kind === 'directory' && (await entryKind(markerFile)) === 'file'
        ? await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.readFile)(markerFile, 'utf8')
        : undefined;
    return { root, parent, savedMarker, kind: kind === 'file' ? 'not a directory' : kind, marker };
}
async function entryKind(path) {
    const stat = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.lstat)(path).catch(() => undefined);
    if (stat === undefined)
        return 'missing';
    if (stat.isSymbolicLink())
        return 'symbolic link';
    if (stat.isDirectory())
        return 'directory';
    return stat.isFile() ? 'file' : 'not a directory';
}
/** With `logout: false`, what the post step deletes from the step's directory: all but the isolated config. */
function deletedWhenKeepingLogins(entries) {
    return entries.filter((entry) => entry !== DOCKER_CONFIG_DIR);
}
/** Adds `auths` entries to a config.json, keeping whatever else is in it. */
async function mergeAuths(authFile, configJson) {
    const current = ((await readJson(authFile)) ?? {});
    const added = JSON.parse(configJson).auths;
    const auths = isRecord(current.auths) ? current.auths : {};
    await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.writeFile)(authFile, `${JSON.stringify({ ...current, auths: { ...auths, ...added } }, null, 2)}\n`, {
        mode: 0o600,
    });
}
async function readJson(path) {
    try {
        return JSON.parse(await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.readFile)(path, 'utf8'));
    }
    catch {
        return undefined;
    }
}
function isRecord(value) {
    return value !== null && typeof value === 'object' && !Array.isArray(value);
}


/***/ })

};

//# sourceMappingURL=842.index.js.map