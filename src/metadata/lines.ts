import { InputError } from '../action/errors.js'
import { csvFields, inputLines } from '../action/input-list.js'

/** One entry of a multi-line input, with its line number in the input text so messages can point at it. */
export interface NumberedLine {
  number: number
  text: string
}

/** The entries `inputLines` keeps (no blank lines, no `#` lines), each with its 1-based line number. */
export function numberedLines(text: string): NumberedLine[] {
  return text
    .split(/\r?\n/)
    .flatMap((raw, index) => inputLines(raw).map((line) => ({ number: index + 1, text: line })))
}

/** `Input "tags": line 2 "type=foo": <detail>` — every complaint about a line names it the same way. */
export function lineError(input: string, line: NumberedLine, detail: string): InputError {
  return new InputError(input, `line ${line.number} "${line.text}": ${detail}`)
}

/** The CSV fields of one line; a quoting problem is reported with the line number like every other one. */
export function lineFields(input: string, line: NumberedLine): string[] {
  try {
    return csvFields(line.text, input)
  } catch (error) {
    if (!(error instanceof InputError)) throw error
    const detail = error.message.replace(`Input "${input}": cannot read "${line.text}": `, '')
    throw lineError(input, line, detail)
  }
}

/** A human list: `a, b or c`. */
export function oneOf(choices: readonly string[]): string {
  if (choices.length <= 1) return choices.join('')
  return `${choices.slice(0, -1).join(', ')} or ${choices[choices.length - 1]}`
}
