/**
 * The URL as an `href` when it is an absolute http(s) URL, else undefined.
 *
 * Link targets on the suite's cards come from data other people write (entity `links`, ledger
 * records posted by CI, standards files, on-call providers). Backstage's `Link` throws on a
 * `javascript:` URL, which would replace a whole card with an error panel; a relative or
 * scheme-less value would resolve against the portal. Callers show such a value as text instead.
 */
export function httpHref(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return undefined;
  }
  return url.protocol === 'http:' || url.protocol === 'https:'
    ? url.href
    : undefined;
}
