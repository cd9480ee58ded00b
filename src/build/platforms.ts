import { InputError } from '../action/errors.js'
import { inputLines, listEntries } from '../action/input-list.js'

// GOOS/GOARCH values: a typo such as linux/amd46 should fail before a long build, not after.
const OSES = new Set(
  'aix android darwin dragonfly freebsd illumos ios js linux netbsd openbsd plan9 solaris wasip1 windows'.split(
    ' ',
  ),
)
const ARCHES = new Set(
  '386 amd64 arm arm64 loong64 mips mips64 mips64le mipsle ppc64 ppc64le riscv64 s390x wasm'.split(' '),
)
// Names people write for architectures, and what docker calls them.
const ARCH_ALIASES: Record<string, string> = {
  x86_64: 'amd64',
  'x86-64': 'amd64',
  aarch64: 'arm64',
  armhf: 'arm/v7',
  armel: 'arm/v6',
  i386: '386',
  i686: '386',
}

/** `platforms`: each `os/arch[/variant]` lower-cased and known to docker, none twice. */
export function parsePlatforms(text: string): string[] {
  const list = listEntries(text, 'platforms').map(platform)
  // Only separators (","): a template or a variable that came out empty. Building the runner's own
  // platform instead would pass for a multi-platform build.
  if (list.length === 0 && inputLines(text).length > 0) {
    throw new InputError(
      'platforms',
      `"${text.trim()}" lists no platform; expected os/arch[/variant] such as linux/amd64, separated by commas or lines, or leave it empty for the builder's own platform`,
    )
  }
  const duplicate = list.find((entry, index) => list.indexOf(entry) !== index)
  if (duplicate) throw new InputError('platforms', `${duplicate} is listed twice`)
  return list
}

function platform(text: string): string {
  const entry = text.toLowerCase()
  const fail = (hint: string): InputError =>
    new InputError(
      'platforms',
      `"${text}" is not a platform; expected os/arch[/variant] such as linux/amd64${hint}`,
    )
  const parts = entry.split('/')
  if (parts.length === 1) {
    const arch = ARCH_ALIASES[entry] ?? entry
    throw fail(ARCHES.has(arch) ? ` (did you mean linux/${arch}?)` : '')
  }
  const [os = '', arch = '', variant, ...extra] = parts
  if (extra.length > 0 || variant === '') throw fail('')
  const alias = ARCH_ALIASES[arch]
  if (alias) throw fail(` (did you mean ${os}/${alias}?)`)
  if (!OSES.has(os)) throw fail(` ("${os}" is not an operating system docker knows)`)
  if (!ARCHES.has(arch)) throw fail(` ("${arch}" is not an architecture docker knows)`)
  if (variant !== undefined && !/^[a-z0-9.]+$/.test(variant)) throw fail('')
  return entry
}
