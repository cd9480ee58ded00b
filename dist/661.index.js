export const id = 661;
export const ids = [661];
export const modules = {

/***/ 7015:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   E: () => (/* binding */ server),
/* harmony export */   r: () => (/* binding */ logout)
/* harmony export */ });
/* harmony import */ var _actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3838);
/* harmony import */ var _action_log_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(8592);
/* harmony import */ var _action_errors_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(8055);
/* harmony import */ var _metadata_image_reference_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(3532);
/* harmony import */ var _runner_timeouts_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(7900);
/* harmony import */ var _runner_tool_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(5602);






// Apart from login (index.ts): the post step imports this file alone, without the registry-auth
// parser and its YAML library.
/** `docker logout` of every registry, with the isolated config; failures are warnings only. */
async function logout(docker, registries, dockerConfig, limits = _runner_timeouts_js__WEBPACK_IMPORTED_MODULE_4__/* .TIMEOUTS */ .fT) {
    for (const registry of registries) {
        let result;
        try {
            result = await (0,_runner_tool_js__WEBPACK_IMPORTED_MODULE_5__/* .runTool */ .qI)(docker, ['logout', ...server(registry)], {
                env: { DOCKER_CONFIG: dockerConfig },
                silent: true,
                deadline: (0,_runner_timeouts_js__WEBPACK_IMPORTED_MODULE_4__/* .deadline */ .nl)('logout', `docker logout ${registry}`, limits),
            });
        }
        catch (error) {
            // The next registries are still logged out of; the post step deletes the config anyway.
            _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .warning */ .$e((0,_action_errors_js__WEBPACK_IMPORTED_MODULE_2__/* .errorMessage */ .g)(error));
            continue;
        }
        if (result.exitCode === 0)
            (0,_action_log_js__WEBPACK_IMPORTED_MODULE_1__/* .info */ .pq)(`Logged out of ${registry}`);
        else
            _actions_core__WEBPACK_IMPORTED_MODULE_0__/* .warning */ .$e(`docker logout ${registry} failed: ${(0,_runner_tool_js__WEBPACK_IMPORTED_MODULE_5__/* .tail */ .RT)(result.stderr)}`);
    }
}
// Docker Hub is the CLI's default server: named, the CLI would file it under another key than its own lookups use.
function server(registry) {
    return registry === _metadata_image_reference_js__WEBPACK_IMPORTED_MODULE_3__/* .DOCKER_HUB */ .Xb ? [] : [registry];
}


/***/ }),

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
/* harmony import */ var _login_logout_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(7015);
/* harmony import */ var _runner_tool_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(5602);
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
 * is removed, every registry logged into is logged out of (with the isolated config), then the
 * step's directory is deleted: the isolated config with its credentials, the build secret files
 * and the OCI layout. With `logout: false` the isolated config is kept (the runner wipes
 * RUNNER_TEMP after the job). All of it only once `workspaceProblem` has found the directory to be
 * the one the main step made: anything else is a warning, and nothing is deleted or removed.
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
            'so it removed no builder, logged out of nothing and deleted nothing.');
        return;
    }
    // From the proven directory, never from the state: logout and buildx act on this config.
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
            if (await (0,_build_own_builder_js__WEBPACK_IMPORTED_MODULE_4__/* .removeBuilder */ .iq)(await (0,_runner_tool_js__WEBPACK_IMPORTED_MODULE_6__/* .requireTool */ .Y0)('docker'), builder, dockerConfig)) {
                (0,_action_log_js__WEBPACK_IMPORTED_MODULE_3__/* .info */ .pq)(`Removed builder ${builder}`);
            }
        }
        catch (error) {
            _actions_core__WEBPACK_IMPORTED_MODULE_2__/* .warning */ .$e(`Could not remove builder ${builder}: ${(0,_action_errors_js__WEBPACK_IMPORTED_MODULE_8__/* .errorMessage */ .g)(error)}`);
        }
    }
    if (logoutWanted && registries.length > 0) {
        try {
            await (0,_login_logout_js__WEBPACK_IMPORTED_MODULE_5__/* .logout */ .r)(await (0,_runner_tool_js__WEBPACK_IMPORTED_MODULE_6__/* .requireTool */ .Y0)('docker'), registries, dockerConfig);
        }
        catch (error) {
            _actions_core__WEBPACK_IMPORTED_MODULE_2__/* .warning */ .$e(`Logout failed: ${(0,_action_errors_js__WEBPACK_IMPORTED_MODULE_8__/* .errorMessage */ .g)(error)}`);
        }
    }
    if (logoutWanted) {
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.rm)(root, { recursive: true, force: true });
        (0,_action_log_js__WEBPACK_IMPORTED_MODULE_3__/* .info */ .pq)(`Removed ${root} (isolated docker config, build secrets, OCI layout)`);
        return;
    }
    for (const entry of (0,_runner_workspace_js__WEBPACK_IMPORTED_MODULE_7__/* .deletedWhenKeepingLogins */ .DO)(await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.readdir)(root))) {
        await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_0__.rm)((0,node_path__WEBPACK_IMPORTED_MODULE_1__.join)(root, entry), { recursive: true, force: true });
    }
    (0,_action_log_js__WEBPACK_IMPORTED_MODULE_3__/* .info */ .pq)(`logout: false: kept the isolated docker config ${dockerConfig}; removed the rest of ${root}`);
}


/***/ })

};

//# sourceMappingURL=661.index.js.map