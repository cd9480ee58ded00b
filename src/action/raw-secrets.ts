import type { InputReader } from './input-list.js'

/** The inputs whose text may hold a secret, as the workflow wrote them. */
export const SECRET_INPUTS = [
  'password',
  'registry-auth',
  'secrets',
  'github-token',
  'cosign-key',
  'cosign-password',
  'scout-password',
] as const

// A line of registry-auth that is only YAML punctuation (`-`, `|`): masking it would star out every dash in the log.
const PUNCTUATION_ONLY = /^[-|>?:[\]{},\s]*$/
// A `password:` line of registry-auth (or of an entry's first line), and its value.
const PASSWORD_LINE = /^\s*(?:-\s+)?password\s*:\s*(.*)$/
// What YAML reads specially at the start of a value: an alias, anchor or tag, or a quote.
const YAML_PREFIX = /^[*&!'"]/

/**
 * What to mask of the secret-bearing inputs before any of them is parsed. A parse error may quote
 * any part of a value, and `readInputs` throws before the parsed secrets could be masked; the
 * checks themselves never quote a secret, so this is the second line of defence. Each line is
 * masked on its own (the runner masks a multi-line value only line by line), and so is the value
 * part of a line, because a message may quote it without its key: the text after `password:` in
 * registry-auth (also without a leading YAML `*`, `&`, `!` or quote, as YAML reports an alias by
 * its name alone), and after `id=` in secrets.
 */
export function rawSecretMasks(read: InputReader): string[] {
  const masks: string[] = []
  for (const input of SECRET_INPUTS) {
    const text = read(input, { trim: false })
    for (const line of text.split(/\r?\n/)) {
      const trimmed = line.trim()
      if (trimmed === '' || (input === 'registry-auth' && PUNCTUATION_ONLY.test(trimmed))) continue
      masks.push(trimmed)
      masks.push(...valueParts(input, trimmed))
    }
  }
  return [...new Set(masks)].filter((mask) => mask !== '')
}

function valueParts(input: (typeof SECRET_INPUTS)[number], line: string): string[] {
  if (input === 'secrets') {
    const at = line.indexOf('=')
    return at > 0 ? [line.slice(at + 1).trim()] : []
  }
  if (input !== 'registry-auth') return []
  const value = PASSWORD_LINE.exec(line)?.[1]?.trim() ?? ''
  if (PUNCTUATION_ONLY.test(value)) return []
  if (!YAML_PREFIX.test(value)) return [value]
  const quote = value[0] === "'" || value[0] === '"' ? value[0] : ''
  const inner = value.slice(1, quote !== '' && value.endsWith(quote) ? -1 : undefined).trim()
  return [value, inner]
}
