import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'
import { readInputs } from '../../../src/action/inputs.js'
import { contextFor, meta } from '../metadata/helpers.js'
import { DEFAULT_TAGS, parseMetadataInputs, parseTagRules } from '../../../src/metadata/index.js'

// The manual and the metadata GitHub shows must say the same as the code: every input and output
// in action.yml has its README row and the other way round, every default is the same in both,
// and the code reads action.yml's default exactly as it reads an empty input.
const root = join(dirname(fileURLToPath(import.meta.url)), '../../..')
const readme = readFileSync(join(root, 'README.md'), 'utf8')
interface ActionInput {
  default?: string
  required?: boolean
}
const action = parse(readFileSync(join(root, 'action.yml'), 'utf8')) as {
  inputs: Record<string, ActionInput>
  outputs: Record<string, unknown>
}

interface Row {
  names: string[]
  cells: string[]
}

/** The rows of every README table whose first header cell is `kind` ("input" or "output"). */
function readmeRows(kind: string): Row[] {
  const rows: Row[] = []
  const lines = readme.split('\n')
  for (let i = 0; i < lines.length; i += 1) {
    if (cells(lines[i]!)[0] !== kind || !/^\|[\s|:-]+\|$/.test(lines[i + 1] ?? '')) continue
    for (i += 2; i < lines.length && lines[i]!.startsWith('|'); i += 1) {
      const row = cells(lines[i]!)
      rows.push({ names: [...row[0]!.matchAll(/`([^`]+)`/g)].map((match) => match[1]!), cells: row })
    }
  }
  return rows
}

function cells(line: string): string[] {
  if (!line.startsWith('|')) return []
  return line
    .slice(1, -1)
    .split(/(?<!\\)\|/)
    .map((cell) => cell.trim())
}

function names(rows: Row[]): string[] {
  return rows.flatMap((row) => row.names).sort()
}

describe('every input and output has one README row, and every row one action.yml entry', () => {
  test('inputs', () => {
    expect(names(readmeRows('input'))).toEqual(Object.keys(action.inputs).sort())
  })

  test('outputs', () => {
    expect(names(readmeRows('output'))).toEqual(Object.keys(action.outputs).sort())
  })

  test('one input per row, so each row can state its default', () => {
    expect(readmeRows('input').filter((row) => row.names.length !== 1)).toEqual([])
  })
})

/** How the README's default column states action.yml's default. */
function statedDefault(input: ActionInput): string {
  if (input.required) return '_(required)_'
  if (input.default === undefined || input.default === '') return ''
  if (input.default === '\n') return 'newline'
  return `\`${input.default}\``
}

test("the README's default column states action.yml's default", () => {
  const mismatches = readmeRows('input')
    .map((row) => ({
      input: row.names[0]!,
      readme: row.cells[1]!,
      expected: statedDefault(action.inputs[row.names[0]!]!),
    }))
    // No default in action.yml: the code computes one, and the cell links to where the README explains it.
    .filter(({ readme, expected }) => !(expected === '' && /^the \[[^\]]+\]\(#[a-z0-9-]+\)$/.test(readme)))
    .filter(({ readme, expected }) => readme !== expected)
  expect(mismatches).toEqual([])
})

test("the code reads action.yml's defaults exactly as empty inputs (GitHub passes the one, tests the other)", () => {
  const defaults: Record<string, string> = {}
  for (const [name, input] of Object.entries(action.inputs)) {
    // An expression such as `${{ github.token }}` is evaluated by the runner, not the code.
    if (input.default !== undefined && !input.default.includes('${{')) defaults[name] = input.default
  }
  const reader = (values: Record<string, string>) => (name: string, options?: { trim?: boolean }) => {
    const value = values[name] ?? ''
    return options?.trim === false ? value : value.trim()
  }
  const parsed = (values: Record<string, string>) => {
    const inputs = readInputs(reader({ ...values, images: 'ghcr.io/acme/app' }))
    return { ...inputs, metadata: parseMetadataInputs(inputs.metadata) }
  }
  expect(Object.keys(defaults)).toEqual(
    expect.arrayContaining(['trivy-version', 'context', 'flavor', 'qemu-image']),
  )
  expect(parsed(defaults)).toEqual(parsed({}))
})

describe('the README examples the code can check', () => {
  test('the "Default tags" block is the default rule set, and pastes into `tags:` as it stands', () => {
    const block = /### Default tags\n[\s\S]*?\n```\n([\s\S]*?)\n```\n/.exec(readme)?.[1]
    expect(block).toBe(DEFAULT_TAGS)
    const pasted = parseTagRules(block!)
    expect(pasted.warnings).toEqual([])
    expect(pasted.rules).toHaveLength(DEFAULT_TAGS.split('\n').length)
  })

  test('the json output is described with every key it has', () => {
    const row = readmeRows('output').find((candidate) => candidate.names[0] === 'json')!
    const keys = [...row.cells[1]!.matchAll(/"([a-z-]+)":/g)].map((match) => match[1])
    const json = meta({ images: 'acme/app' }, contextFor('push', 'refs/heads/main')).json as object
    expect(keys).toEqual(Object.keys(json))
  })
})
