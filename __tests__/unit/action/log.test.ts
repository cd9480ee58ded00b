import { jest } from '@jest/globals'
import { Writable } from 'node:stream'
import { commandSafe, CommandSafeStream, info, splitAtLastLineBreak } from '../../../src/action/log.js'
import { runnerCommands } from '../../../scripts/runner-commands.mjs'

describe('commandSafe', () => {
  test.each([
    'org.opencontainers.image.title=app',
    'ghcr.io/acme/app:1.2.3',
    'Pushing localhost:5000/e2e/app@sha256:0123abcd',
    '[command]/usr/bin/docker buildx build --label a=b --tag ghcr.io/acme/app:pr-42 .',
    '#5 0.123 RUN echo done',
    'a value with :: inside, 100% kept, and # [brackets]',
    '',
  ])('leaves an ordinary line as it is: %j', (line) => {
    expect(commandSafe(line)).toBe(line)
  })

  test.each([
    ['::warning::x', '%3A%3Awarning::x'],
    ['::save-state name=workspace::/some/dir', '%3A%3Asave-state name=workspace::/some/dir'],
    ['::WARNING::in capitals', '%3A%3AWARNING::in capitals'],
    ['  ::error::indented', '  %3A%3Aerror::indented'],
    ['\t::debug::tab', '\t%3A%3Adebug::tab'],
    // .NET's TrimStart() removes U+0085 and U+00A0, which JavaScript's trimStart() partly does not.
    ['\u0085::warning::next line', '\u0085%3A%3Awarning::next line'],
    ['\u00a0::warning::no-break space', '\u00a0%3A%3Awarning::no-break space'],
    ['key=##[save-state name=workspace]/some/dir', 'key=##%5Bsave-state name=workspace]/some/dir'],
    ['##[warning]a ##[error]b', '##%5Bwarning]a ##%5Berror]b'],
  ])('makes %j inert', (line, safe) => {
    expect(runnerCommands(line)).not.toEqual([])
    expect(commandSafe(line)).toBe(safe)
    expect(runnerCommands(commandSafe(line))).toEqual([])
  })

  test('invisible characters before :: count as blanks, to be safe whatever the runner trims', () => {
    expect(commandSafe('\u200b::warning::zero width')).toBe('\u200b%3A%3Awarning::zero width')
    expect(commandSafe('\u0000\ufeff::warning::x')).toBe('\u0000\ufeff%3A%3Awarning::x')
  })

  test('every line of a multi-line value, whatever ends it; the line breaks stay', () => {
    const text = 'ok\n::save-state name=workspace::/x\r::error::y\r\n  ::debug::z\n##[warning]w'
    expect(commandSafe(text)).toBe(
      'ok\n%3A%3Asave-state name=workspace::/x\r%3A%3Aerror::y\r\n  %3A%3Adebug::z\n##%5Bwarning]w',
    )
  })

  test('no combination of blanks, commands and line breaks survives as a command', () => {
    const blanks = ['', ' ', '\t', '\u0085', '\u00a0', '\u2028', '\u3000', '\ufeff', '\v\f']
    const commands = [
      '::warning::a',
      '::save-state name=workspace::/d',
      '::Add-Mask::x',
      '::stop-commands::t',
      '##[warning]a',
      'x ##[set-output name=y]z',
    ]
    const breaks = ['\n', '\r', '\r\n']
    for (const blank of blanks) {
      for (const command of commands) {
        for (const lineBreak of breaks) {
          const text = `before${lineBreak}${blank}${command}${lineBreak}${blank}${command}`
          expect(runnerCommands(commandSafe(text))).toEqual([])
        }
      }
    }
  })
})

test('info prints the message made inert, one line per line', () => {
  const write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true)
  try {
    info('Labels:\n::warning::x=y')
    expect(write.mock.calls.map(([text]) => String(text))).toEqual(['Labels:\n%3A%3Awarning::x=y\n'])
  } finally {
    write.mockRestore()
  }
})

describe('splitAtLastLineBreak', () => {
  test.each([
    ['a\nb', 'a\n', 'b'],
    ['a\r', 'a\r', ''],
    ['a\r\n', 'a\r\n', ''],
    ['no break', '', 'no break'],
    ['', '', ''],
  ])('%j → %j + %j', (text, lines, rest) => {
    expect(splitAtLastLineBreak(text)).toEqual({ lines, rest })
  })
})

describe('CommandSafeStream', () => {
  function collector(): { stream: Writable; text: () => string } {
    let text = ''
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        text += chunk.toString('utf8')
        done()
      },
    })
    return { stream, text: () => text }
  }

  test('a command split across chunks is still made inert', async () => {
    const target = collector()
    const safe = new CommandSafeStream(target.stream)
    for (const chunk of ['::war', 'ning::x\nok\n  ::save', '-state name=workspace::/d\r\n#', '#[error]e']) {
      safe.write(chunk)
    }
    await safe.close()
    expect(target.text()).toBe(
      '%3A%3Awarning::x\nok\n  %3A%3Asave-state name=workspace::/d\r\n##%5Berror]e\n',
    )
    expect(runnerCommands(target.text())).toEqual([])
  })

  test('a character split across chunks stays whole; output ending in a line break gets no other', async () => {
    const target = collector()
    const safe = new CommandSafeStream(target.stream)
    const bytes = Buffer.from('café ✓\n')
    safe.write(bytes.subarray(0, 4))
    safe.write(bytes.subarray(4, 7))
    safe.write(bytes.subarray(7))
    await safe.close()
    expect(target.text()).toBe('café ✓\n')
  })
})
