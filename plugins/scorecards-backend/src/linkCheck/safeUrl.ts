/**
 * URL helpers of the link checker. Query strings and fragments can carry tokens, so logs name a
 * URL by host and path only.
 */

/** Host and path of a URL, for logs: never the query, fragment or userinfo. */
export function describeUrl(url: URL): string {
  return `${url.host}${url.pathname}`;
}

/** Parses an absolute http(s) URL; anything else (mailto:, relative, garbage) is undefined. */
export function parseHttpUrl(raw: string, base?: URL): URL | undefined {
  let url: URL;
  try {
    url = base ? new URL(raw, base) : new URL(raw);
  } catch {
    return undefined;
  }
  return url.protocol === 'http:' || url.protocol === 'https:'
    ? url
    : undefined;
}

/** Whether the URL carries a user name or password (`https://user:secret@host/`). */
export function hasUserinfo(url: URL): boolean {
  return url.username !== '' || url.password !== '';
}

/** `text` with every query string of a URL in it cut (`https://h/p?token=…` → `https://h/p?…`). */
export function redactQueries(text: string): string {
  return text.replace(/(https?:\/\/[^\s?#"'<>]*)\?[^\s"'<>]*/gi, '$1?…');
}
