/**
 * The next page of a paginated list: the `rel="next"` target of a `Link` header
 * (`</v2/app/tags/list?last=x&n=100>; rel="next"`), resolved against the URL that was asked.
 */
export function nextPageUrl(link: string | undefined, requested: URL): URL | undefined {
  if (!link) return undefined
  for (const part of link.split(/,(?=\s*<)/)) {
    const match = /^\s*<([^>]*)>\s*;(.*)$/s.exec(part)
    if (match?.[1] === undefined) continue
    const rel = /\brel\s*=\s*"?([^";]*)"?/i.exec(match[2] ?? '')?.[1] ?? ''
    if (rel.split(/\s+/).includes('next')) return new URL(match[1], requested)
  }
  return undefined
}
