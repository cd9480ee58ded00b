// @ts-check
// Reads a step's log the way the GitHub runner does, to emulate and test what it acts on. A port of
// actions/runner's ActionCommand.TryParseV2 and TryParse (src/Runner.Common/ActionCommand.cs): the
// runner reads stdout and stderr line by line (\r, \n or \r\n end a line), and a line is a command
// when, after its leading white space, it starts with `::name …::`, or when it holds `##[name …]`
// anywhere. Only registered names count, in any case, as in ActionCommandManager.

/** The command names the runner acts on (its IActionCommandExtension list, plus stop-commands). */
export const REGISTERED_COMMANDS = [
  'add-mask',
  'add-matcher',
  'add-path',
  'debug',
  'echo',
  'endgroup',
  'error',
  'group',
  'notice',
  'remove-matcher',
  'save-state',
  'set-env',
  'set-output',
  'stop-commands',
  'warning',
]

/**
 * @typedef {{ command: string, properties: Record<string, string>, data: string, line: string }} RunnerCommand
 */

/**
 * Every line of a log that the runner would run as a workflow command (command names lowercased).
 * @param {string} log
 * @returns {RunnerCommand[]}
 */
export function runnerCommands(log) {
  /** @type {RunnerCommand[]} */
  const commands = []
  for (const line of log.split(/\r\n|\r|\n/)) {
    const command = parseV2(line) ?? parseV1(line)
    if (command) commands.push(command)
  }
  return commands
}

/**
 * The state a runner keeps from a step's log: each `::save-state name=…::value` line (deprecated,
 * still honoured). The GITHUB_STATE file, read when the step ends, comes on top.
 * @param {string} log
 * @returns {Record<string, string>}
 */
export function stateFromLog(log) {
  /** @type {Record<string, string>} */
  const state = {}
  for (const command of runnerCommands(log)) {
    const name = command.properties.name
    if (command.command === 'save-state' && name) state[name] = command.data
  }
  return state
}

// .NET's string.TrimStart(): char.IsWhiteSpace, which includes U+0085 (JavaScript's \s does not).
const DOTNET_LEADING_WHITE_SPACE = /^[\s\u0085]+/

/** `::name k=v,k=v::data` at the start of the line, after white space. @param {string} line */
function parseV2(line) {
  const message = line.replace(DOTNET_LEADING_WHITE_SPACE, '')
  if (!message.startsWith('::')) return undefined
  const end = message.indexOf('::', 2)
  if (end < 0) return undefined
  return commandFrom(message.slice(2, end), ',', message.slice(end + 2), line)
}

/** `##[name k=v;k=v]data` anywhere in the line. @param {string} line */
function parseV1(line) {
  const prefix = line.indexOf('##[')
  if (prefix < 0) return undefined
  const bracket = line.indexOf(']', prefix)
  if (bracket < 0) return undefined
  return commandFrom(line.slice(prefix + 3, bracket), ';', line.slice(bracket + 1), line)
}

/**
 * @param {string} info the name, then a space and the properties
 * @param {string} separator between properties
 * @param {string} data
 * @param {string} line
 * @returns {RunnerCommand | undefined}
 */
function commandFrom(info, separator, data, line) {
  const space = info.indexOf(' ')
  const command = (space < 0 ? info : info.slice(0, space)).toLowerCase()
  if (!REGISTERED_COMMANDS.includes(command)) return undefined
  /** @type {Record<string, string>} */
  const properties = {}
  if (space > 0) {
    for (const pair of info
      .slice(space + 1)
      .trim()
      .split(separator)) {
      const equals = pair.indexOf('=')
      if (equals > 0) properties[pair.slice(0, equals)] = unescape(pair.slice(equals + 1))
    }
  }
  return { command, properties, data: unescape(data), line }
}

/** The runner's percent-decoding of data and properties. @param {string} text */
function unescape(text) {
  return text
    .replace(/%0D/g, '\r')
    .replace(/%0A/g, '\n')
    .replace(/%3A/g, ':')
    .replace(/%2C/g, ',')
    .replace(/%3B/g, ';')
    .replace(/%5D/g, ']')
    .replace(/%25/g, '%')
}
