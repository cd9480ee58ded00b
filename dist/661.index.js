export const id = 661;
export const ids = [661];
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


/***/ })

};

//# sourceMappingURL=661.index.js.map