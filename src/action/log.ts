import { Writable } from 'node:stream'
import { StringDecoder } from 'node:string_decoder'
import * as core from '@actions/core'

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
const LEADING_BLANKS = '[\\s\\p{Z}\\p{Cc}\\p{Cf}]*'
const COMMAND_START = new RegExp(`^(${LEADING_BLANKS})::`, 'u')
const LINE_BREAK = /(\r\n|\r|\n)/

/**
 * `text` with no line the runner could read as a workflow command: a line starting with `::`
 * (after any blanks) starts with `%3A%3A` instead, and `##[` becomes `##%5B`, percent-encoding as
 * the runner itself does. Line breaks are kept; every other character is unchanged.
 */
export function commandSafe(text: string): string {
  return text
    .split(LINE_BREAK)
    .map((part, index) => (index % 2 === 1 ? part : commandSafeLine(part)))
    .join('')
}

function commandSafeLine(line: string): string {
  return line.replace(COMMAND_START, '$1%3A%3A').replaceAll('##[', '##%5B')
}

/** `core.info` for any message: use it instead, so no value in the message can be run as a command. */
export function info(message: string): void {
  core.info(commandSafe(message))
}

/**
 * Splits text after its last line break: what can be printed now (whole lines) and what must wait
 * for the rest of its line, since `::war` and `ning::x` may come in separate chunks.
 */
export function splitAtLastLineBreak(text: string): { lines: string; rest: string } {
  const end = Math.max(text.lastIndexOf('\n'), text.lastIndexOf('\r')) + 1
  return { lines: text.slice(0, end), rest: text.slice(end) }
}

/**
 * A child process's output (`@actions/exec`'s outStream and errStream: the `[command]` echo of its
 * argv, then what it prints) passed on to `target` line by line, through `commandSafe`. A last line
 * with no line break gets one, so it cannot join whatever the step prints next.
 */
export class CommandSafeStream extends Writable {
  private readonly decoder = new StringDecoder('utf8')
  private pending = ''

  constructor(private readonly target: NodeJS.WritableStream) {
    super()
  }

  // Writable hands strings over as Buffers (decodeStrings): one decoder keeps UTF-8 split across chunks whole.
  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    const { lines, rest } = splitAtLastLineBreak(this.pending + this.decoder.write(chunk))
    this.pending = rest
    if (lines !== '') this.target.write(commandSafe(lines))
    done()
  }

  override _final(done: (error?: Error | null) => void): void {
    const last = this.pending + this.decoder.end()
    this.pending = ''
    if (last !== '') this.target.write(`${commandSafe(last)}\n`)
    done()
  }

  /** Flushes the last line; resolves once it is written. */
  close(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.once('error', reject)
      this.end(() => resolve())
    })
  }
}

/**
 * The log a child process echoes into (its stderr with its stdout, as @actions/exec does); `close`
 * it once the child has exited.
 */
export function commandSafeLog(): CommandSafeStream {
  return new CommandSafeStream(process.stdout)
}
