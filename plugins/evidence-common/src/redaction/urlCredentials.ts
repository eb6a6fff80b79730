/**
 * Credentials written into URLs (`https://user:password@host/…`, `git+ssh://user:token@…`)
 * must never reach a result, a log, the catalog or the evidence store: entities carry such URLs
 * in links and annotations, CI posts deploy URLs as evidence, and what is stored is served to
 * everyone who may read it. The one scan of the suite: scorecards-common re-exports it for its
 * engine, and scorecards-backend's migration `20261205000000_redact_result_credentials` holds a
 * copy to it (through scorecards-common's test cases).
 */

const MASK = '***@';

/**
 * The schemes WHATWG URL parsers (browsers, Node's `URL`) give an authority with or without
 * `//`. `file` is special to them too, but a file URL never has userinfo (they read
 * `file:u:p@h` as a path and reject `file://u:p@h`), so skipping slashes there would only
 * mask paths.
 */
const SPECIAL_SCHEMES: ReadonlySet<string> = new Set([
  'http',
  'https',
  'ws',
  'wss',
  'ftp',
]);
const LONGEST_SPECIAL_SCHEME = 5;

const SLASH = 47;
const BACKSLASH = 92;
const AT = 64;

/** Tab, line feed, carriage return: URL parsers drop them wherever they stand. */
function isDroppedByParsers(code: number): boolean {
  return code === 9 || code === 10 || code === 13;
}

/**
 * Whether the character ends a URL's authority (`user@host:port`): `/ ? #` or white space
 * other than the characters parsers drop (`https://u:p\nass@host` has the password `pass`).
 * A `\` ends a special URL's authority for parsers but not here: reading on only masks more.
 */
function endsAuthority(code: number): boolean {
  return (
    code === SLASH ||
    code === 63 ||
    code === 35 ||
    (code <= 32 && !isDroppedByParsers(code))
  );
}

/** Whether the character may appear in a scheme: an ASCII letter or digit, `+`, `-` or `.`. */
function isSchemeChar(code: number): boolean {
  return (
    (code >= 97 && code <= 122) ||
    (code >= 65 && code <= 90) ||
    (code >= 48 && code <= 57) ||
    code === 43 ||
    code === 45 ||
    code === 46
  );
}

/**
 * Whether the text before `colon` is a whole special scheme, in any case (`HTTPS:`), and not
 * the tail of a longer one (`git+https:` is another scheme, with no authority without `//`).
 * Looks back at most one character past the longest special scheme.
 */
function followsSpecialScheme(text: string, colon: number): boolean {
  let from = colon;
  while (from > 0 && isSchemeChar(text.charCodeAt(from - 1))) {
    from--;
    if (colon - from > LONGEST_SPECIAL_SCHEME) return false;
  }
  return SPECIAL_SCHEMES.has(text.slice(from, colon).toLowerCase());
}

/** The first index at or after `index` that holds no character parsers drop. */
function skipDropped(text: string, index: number): number {
  let i = index;
  while (i < text.length && isDroppedByParsers(text.charCodeAt(i))) i++;
  return i;
}

/**
 * Where the authority of a URL whose scheme ends at `colon` starts, or -1 when none follows.
 * After a special scheme parsers skip any run of `/` and `\`, none included (`https:u:p@h`,
 * `https:/u:p@h`, `https:\\u:p@h` and `https:///u:p@h` all carry `u:p`). After any other
 * text only `//` opens an authority, as it always has here, whatever the scheme.
 */
function authorityStart(text: string, colon: number): number {
  if (followsSpecialScheme(text, colon)) {
    let i = colon + 1;
    for (; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code !== SLASH && code !== BACKSLASH && !isDroppedByParsers(code)) {
        break;
      }
    }
    return i;
  }
  const first = skipDropped(text, colon + 1);
  if (text.charCodeAt(first) !== SLASH) return -1;
  const second = skipDropped(text, first + 1);
  return text.charCodeAt(second) === SLASH ? second + 1 : -1;
}

/**
 * The text with the userinfo (`user:password@`) of every URL in it replaced by
 * `replacement`. A hand-written scan instead of a RegExp: entity text can be long, and a
 * pattern for "scheme, then userinfo" backtracks quadratically on text that almost matches.
 * Each `:` is looked at once at most: the scan resumes after the authority it opened. The
 * userinfo ends at the authority's last `@`, as WHATWG URL parsers read it, so a password
 * holding a raw `@` is replaced whole.
 */
function replaceUserinfo(text: string, replacement: string): string {
  // Most text holds no `@` at all: one scan answers.
  if (text.indexOf('@') === -1) return text;
  let out = '';
  let copied = 0;
  let colon = text.indexOf(':');
  while (colon !== -1) {
    const start = authorityStart(text, colon);
    if (start === -1) {
      colon = text.indexOf(':', colon + 1);
      continue;
    }
    let lastAt = -1;
    let end = start;
    for (; end < text.length; end++) {
      const code = text.charCodeAt(end);
      if (endsAuthority(code)) break;
      if (code === AT) lastAt = end;
    }
    // An empty userinfo (`https://@host`) carries nothing to hide.
    if (lastAt > start) {
      out += text.slice(copied, start) + replacement;
      copied = lastAt + 1;
    }
    colon = text.indexOf(':', end);
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/**
 * The text with the userinfo of every URL in it replaced by `***@`
 * (`https://bob:s3cr3t@host/x` → `https://***@host/x`, `https:bob@host` → `https:***@host`).
 * Only URLs have one: `scheme://` ones, and `http`, `https`, `ws`, `wss` and `ftp` ones
 * written as URL parsers also read them (`https:u:p@h`, `https:\\u:p@h`, a tab or line break
 * inside). An e-mail address and an scp-style `git@github.com:org/repo` (where `git` names a
 * user, not a secret) are left as they are. Text without a credentialed URL is returned
 * unchanged.
 *
 * @public
 */
export function redactUrlCredentials(text: string): string {
  return replaceUserinfo(text, MASK);
}

/**
 * The text with the userinfo of every URL in it removed (`https://u:p@github.com/o/r` →
 * `https://github.com/o/r`): for keys, which must name the same thing with or without
 * credentials.
 *
 * @public
 */
export function withoutUrlUserinfo(text: string): string {
  return replaceUserinfo(text, '');
}
