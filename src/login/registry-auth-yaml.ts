import { isAlias, isMap, isNode, isPair, isScalar, isSeq, parseDocument } from 'yaml'
import { InputError } from '../action/errors.js'

const INPUT = 'registry-auth'
/** The keys an entry may have: only these are named in messages; any other key might be a secret pasted in the wrong place. */
const KNOWN_KEYS = ['registry', 'username', 'password']

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
export function readRegistryAuthYaml(text: string): unknown {
  // The failsafe schema keeps every scalar a string: a numeric password such as 0123 must not become 123.
  const document = parseDocument(text, { schema: 'failsafe', prettyErrors: false, uniqueKeys: true })
  const error = document.errors[0]
  if (error) {
    throw new InputError(
      INPUT,
      `is not valid YAML (${yamlProblem(error.code)} at ${position(text, error.pos[0])})`,
    )
  }
  const trap = findTrap(document.contents, INPUT, 'the list')
  if (trap) throw new InputError(trap.where, trap.problem)
  try {
    return document.toJS()
  } catch {
    // Not expected once aliases are refused; the library's message may quote the text, so it is dropped.
    throw new InputError(INPUT, 'could not be read as YAML')
  }
}

interface Trap {
  /** `registry-auth[2]` for an entry of the list, `registry-auth` for the whole value. */
  where: string
  problem: string
}

/**
 * The first node YAML would not read as written: an alias, an anchor, a tag, or an unquoted value
 * with a comment after it. `what` says which part it is in the message (`the value of "password"`).
 */
function findTrap(node: unknown, where: string, what: string): Trap | undefined {
  if (!isNode(node)) return undefined
  if (isAlias(node)) {
    return {
      where,
      problem: `${what} is a YAML alias (it starts with "*"), which YAML replaces with another value; ${QUOTE}`,
    }
  }
  if (node.anchor !== undefined) {
    return {
      where,
      problem: `${what} starts with a YAML anchor ("&" and a name), which YAML cuts from the value; ${QUOTE}`,
    }
  }
  if (node.tag !== undefined) {
    return {
      where,
      problem: `${what} starts with a YAML tag ("!"), which changes or empties the value; ${QUOTE}`,
    }
  }
  if (isScalar(node) && node.type === 'PLAIN' && node.comment !== undefined && node.comment !== null) {
    return {
      where,
      problem:
        `${what} is followed by " #", which starts a YAML comment: an unquoted value ends there; ` +
        `${QUOTE}, or put the comment on a line of its own`,
    }
  }
  if (isSeq(node)) {
    for (const [index, item] of node.items.entries()) {
      // Only the top-level list holds entries; deeper lists are wrong anyway and are reported by the caller.
      const trap =
        where === INPUT ? findTrap(item, `${INPUT}[${index + 1}]`, 'the entry') : findTrap(item, where, what)
      if (trap) return trap
    }
  }
  if (isMap(node)) {
    for (const pair of node.items) {
      if (!isPair(pair)) continue
      const key =
        isScalar(pair.key) && KNOWN_KEYS.includes(String(pair.key.value)) ? String(pair.key.value) : undefined
      const trap =
        findTrap(pair.key, where, 'a key') ??
        findTrap(pair.value, where, key ? `the value of "${key}"` : 'a value')
      if (trap) return trap
    }
  }
  return undefined
}

// Single quotes: the one quoting in which nothing but ' itself is special (no escapes as in "…").
const QUOTE = "put the value in single quotes ('…', with any ' inside written twice)"

/** `line 3, column 14` of an offset into the text. */
function position(text: string, offset: number): string {
  const before = text.slice(0, offset).split('\n')
  return `line ${before.length}, column ${(before.at(-1) ?? '').length + 1}`
}

const YAML_PROBLEMS: Record<string, string> = {
  MISSING_CHAR: 'a quote or bracket is not closed',
  BAD_INDENT: 'the indentation is off',
  DUPLICATE_KEY: 'a key is given twice in one entry',
  BLOCK_AS_IMPLICIT_KEY: 'a value spans lines where a key was expected',
  BAD_SCALAR_START: 'an unquoted value starts with a character YAML reserves; quote it',
  MULTIPLE_DOCS: 'more than one YAML document',
  TAB_AS_INDENT: 'a tab is used to indent',
}

function yamlProblem(code: string): string {
  return YAML_PROBLEMS[code] ?? code.toLowerCase().replace(/_/g, ' ')
}
