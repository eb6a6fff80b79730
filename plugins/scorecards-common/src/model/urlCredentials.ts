/**
 * Credentials written into URLs (`https://user:password@host/…`, `git+ssh://user:token@…`)
 * must never reach a result, a log or the catalog: entities carry such URLs in links and
 * annotations, and result text is stored and served to everyone who may read the entity.
 */

const MASK = '***@';

/** Whether the character ends a URL's authority (`user@host:port`): `/ ? #` or white space. */
function endsAuthority(code: number): boolean {
  return code === 47 || code === 63 || code === 35 || code <= 32;
}

/**
 * The text with the userinfo (`user:password@`) of every `scheme://` URL in it replaced by
 * `replacement`. A hand-written scan instead of a RegExp: entity text can be long, and a
 * pattern for "scheme, then userinfo" backtracks quadratically on text that almost matches.
 * The userinfo ends at the authority's last `@`, as WHATWG URL parsers read it, so a
 * password holding a raw `@` is replaced whole.
 */
function replaceUserinfo(text: string, replacement: string): string {
  // Most text holds no `@` at all: one scan answers.
  if (text.indexOf('@') === -1) return text;
  let out = '';
  let copied = 0;
  let scheme = text.indexOf('://');
  while (scheme !== -1) {
    const start = scheme + 3;
    let lastAt = -1;
    let end = start;
    for (; end < text.length; end++) {
      const code = text.charCodeAt(end);
      if (endsAuthority(code)) break;
      if (code === 64) lastAt = end;
    }
    // An empty userinfo (`https://@host`) carries nothing to hide.
    if (lastAt > start) {
      out += text.slice(copied, start) + replacement;
      copied = lastAt + 1;
    }
    scheme = text.indexOf('://', end);
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/**
 * The text with the userinfo of every URL in it replaced by `***@`
 * (`https://bob:s3cr3t@host/x` → `https://***@host/x`). Only `scheme://` URLs have one: an
 * e-mail address and an scp-style `git@github.com:org/repo` (where `git` names a user, not a
 * secret) are left as they are. Text without a credentialed URL is returned unchanged.
 */
export function redactUrlCredentials(text: string): string {
  return replaceUserinfo(text, MASK);
}

/**
 * The text with the userinfo of every URL in it removed (`https://u:p@github.com/o/r` →
 * `https://github.com/o/r`): for keys, which must name the same thing with or without
 * credentials.
 */
export function withoutUrlUserinfo(text: string): string {
  return replaceUserinfo(text, '');
}
