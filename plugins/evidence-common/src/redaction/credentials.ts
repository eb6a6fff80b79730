import { redactUrlCredentials } from './urlCredentials';

/**
 * Credentials in evidence text: what CI, collectors and people send is stored and served to
 * everyone with `evidence.read`, and readers' error messages echo the URLs they were given.
 * {@link redactUrlCredentials} masks the userinfo of well-formed URLs (the suite's one scan);
 * the rules here add what text quoting URLs also carries: secret-looking query parameters
 * (`?private_token=…`, OAuth's `#access_token=…`, HTML-escaped `&amp;private_token=…`), a
 * password holding a raw `/`, `?` or `#` (`https://u:ab/cd@host`), which parsers refuse but
 * messages quote all the same, scheme-less `//u:p@host` and JSON-escaped `https:\/\/u:p@host`.
 * They stay out of `redactUrlCredentials` itself: the scorecards engine runs that one over
 * every result text (its speed is measured), and scorecards-backend's migration holds a copy
 * to it.
 */

const MASK = '***';

const SLASH = 47;
const BACKSLASH = 92;
const QUESTION = 63;
const HASH = 35;
const AT = 64;
const COLON = 58;
const AMPERSAND = 38;
const EQUALS = 61;
const COMMA = 44;
const OPEN_BRACKET = 91;
const DOUBLE_QUOTE = 34;
const SINGLE_QUOTE = 39;
const CLOSE_BRACKET = 93;

/**
 * Words of a parameter name that say it holds a secret. Whole words, not substrings: evidence
 * is stored redacted for good, and `?design=`, `?author=` or `?keyboard=` hold no secret (the
 * substring rule this replaced masked them, losing the value). `key` alone is ambiguous
 * (`?sort_key=`, a Jira `?key=PROJ-1`) but stays: Google's APIs take their API key as `?key=`.
 */
const SECRET_NAME_WORDS: ReadonlySet<string> = new Set([
  'token',
  'key',
  'apikey',
  'secret',
  'password',
  'passwd',
  'pwd',
  'signature',
  'sig',
  'auth',
  'authorization',
  'credential',
  'credentials',
  'jwt',
]);

/**
 * Endings that make a word secret when a name runs its words together (`apitoken`,
 * `accesstoken`, `clientsecret`, `APIToken`): few words end in these and hold no secret.
 * `key` is no such ending (`monkey`, `hotkey`), nor is a leading `auth` (`author`).
 */
const SECRET_WORD_ENDINGS: readonly string[] = [
  'token',
  'secret',
  'password',
  'passwd',
  'apikey',
  'signature',
  'credential',
  'credentials',
];

/** What, run together before `key`, makes it secret (`secretkey`, `accesskey`, `authkey`). */
const KEY_QUALIFIERS: ReadonlySet<string> = new Set([
  'api',
  'access',
  'auth',
  'client',
  'private',
  'secret',
  'session',
  'signing',
]);

/**
 * Words that, after a secret word, make the name describe the secret instead of holding it:
 * OAuth's `token_type=bearer` and `token_type_hint=refresh_token`, `token_expires_in=3600`.
 */
const DESCRIBING_WORDS: ReadonlySet<string> = new Set([
  'type',
  'hint',
  'expires',
  'expiry',
  'ttl',
  'length',
]);

/**
 * The words of a parameter name, lower-cased: split at `-`, `_`, `.` and lower-to-upper case
 * changes (`X-Amz-Signature`, `apiKey`; `APIToken` is one word).
 */
function nameWords(name: string): string[] {
  const words: string[] = [];
  let word = '';
  for (let i = 0; i < name.length; i++) {
    const code = name.charCodeAt(i);
    const upper = code >= 65 && code <= 90;
    const prev = i > 0 ? name.charCodeAt(i - 1) : 0;
    const afterLowerOrDigit =
      (prev >= 97 && prev <= 122) || (prev >= 48 && prev <= 57);
    if (code === 45 || code === 95 || code === 46) {
      words.push(word);
      word = '';
      continue;
    }
    if (upper && afterLowerOrDigit) {
      words.push(word);
      word = '';
    }
    word += String.fromCharCode(upper ? code + 32 : code);
  }
  words.push(word);
  return words;
}

/** Whether a word of a parameter name says it holds a secret. */
function isSecretWord(word: string): boolean {
  return (
    SECRET_NAME_WORDS.has(word) ||
    SECRET_WORD_ENDINGS.some(ending => word.endsWith(ending)) ||
    (word.endsWith('key') && KEY_QUALIFIERS.has(word.slice(0, -3)))
  );
}

/**
 * Whether a parameter name holds a secret: one of its words ({@link nameWords}) is secret
 * ({@link isSecretWord}: `access_token`, `X-Amz-Signature`, `apiKey`, `sig`, `apitoken`,
 * `secretkey`; not `design`, `author` or `monkey`) and no word after it describes the secret
 * ({@link DESCRIBING_WORDS}: `token_type`, `token_type_hint`).
 */
function isSecretParameterName(name: string): boolean {
  let secret = false;
  for (const word of nameWords(name)) {
    if (DESCRIBING_WORDS.has(word)) secret = false;
    else if (isSecretWord(word)) secret = true;
  }
  return secret;
}

/**
 * The words that make a name secret whatever case it was written in: the secret words and the
 * endings (a key named what kind it is, `accesskey`, holds `key`).
 */
const SECRET_WORDS_IN_ANY_CASE: readonly string[] = [
  ...new Set([...SECRET_NAME_WORDS, ...SECRET_WORD_ENDINGS]),
];

/**
 * Whether some casing of a parameter name makes it secret ({@link isSecretParameterName}), for
 * text lower-cased after it was redacted, whose case changes are lost (`keyId` was masked, the
 * stored `keyid` reads as no secret). Case changes may have split a part between `-`, `_` and
 * `.` before any letter, so a secret word anywhere in a part can be a word of its own (`monKey`,
 * `deSign`): it can, unless a digit follows it (no case change before a digit). Whatever follows
 * can be cased to describe nothing (`tokenTyPe`), so describing words are not looked at. Masks
 * every name some casing masks, and more (`monkey`, `design`, `token_type`).
 */
function mayBeSecretParameterName(name: string): boolean {
  for (const part of name.toLowerCase().split(/[-_.]/)) {
    for (const word of SECRET_WORDS_IN_ANY_CASE) {
      for (let at = part.indexOf(word); at !== -1; ) {
        const next = part.charCodeAt(at + word.length);
        if (!(next >= 48 && next <= 57)) return true;
        at = part.indexOf(word, at + 1);
      }
    }
  }
  return false;
}

/** A character of a parameter name: an ASCII letter, digit, `_`, `.` or `-`. */
function isNameChar(code: number): boolean {
  return (
    (code >= 97 && code <= 122) ||
    (code >= 65 && code <= 90) ||
    (code >= 48 && code <= 57) ||
    code === 95 ||
    code === 46 ||
    code === 45
  );
}

/**
 * Whether the character ends a parameter's value: `&`, `,`, white space, or what quotes or
 * encloses a URL in text: `"`, `'`, `)`, `]`, `<`, `>` and `\` (JSON's `\"`, `\u0026`). Tokens
 * hardly ever hold these raw, while read on, the mask would swallow the text around the URL
 * for good (`{"url":"https://h/?token=abc","n":1}` lost its `","n":1}`).
 */
function endsValue(code: number): boolean {
  return (
    code === AMPERSAND ||
    code === COMMA ||
    code <= 32 ||
    code === 34 ||
    code === 39 ||
    code === 41 ||
    code === CLOSE_BRACKET ||
    code === 60 ||
    code === 62 ||
    code === BACKSLASH
  );
}

function isDigits(text: string): boolean {
  return /^\d+$/.test(text);
}

/**
 * Where the name of a parameter opened at `index` starts, or -1 when none opens there: after
 * a `?`, a `#` (OAuth's `#access_token=`), a `&` or an HTML-escaped `&amp;`.
 */
function parameterNameStart(text: string, index: number): number {
  const code = text.charCodeAt(index);
  if (code === QUESTION || code === HASH) return index + 1;
  if (code !== AMPERSAND) return -1;
  return text.startsWith('amp;', index + 1) ? index + 5 : index + 1;
}

/**
 * The text with the value of every secret-looking query parameter replaced by `***`
 * (`?sha=main&private_token=glpat-x` → `?sha=main&private_token=***`): a `?`, `#`, `&` or
 * `&amp;`, a name with a word such as `token`, `key`, `secret`, `password`, `signature`, `sig`
 * or `auth` in any case, or run together (`apitoken`; {@link isSecretParameterName}), `=` and
 * a value up to the next `&`, `,`, white space, quote or closing bracket ({@link endsValue}).
 * A hand-written scan, each character read once at most: the pattern it replaces backtracked
 * quadratically on long names without `=`.
 *
 * @public
 */
export function redactSecretQueryParams(text: string): string {
  return maskSecretQueryParams(text, isSecretParameterName);
}

/** {@link redactSecretQueryParams} with the names `isSecretName` says hold a secret. */
function maskSecretQueryParams(
  text: string,
  isSecretName: (name: string) => boolean,
): string {
  if (text.indexOf('=') === -1) return text;
  let out = '';
  let copied = 0;
  for (let i = 0; i < text.length; i++) {
    const nameStart = parameterNameStart(text, i);
    if (nameStart === -1) continue;
    let nameEnd = nameStart;
    while (nameEnd < text.length && isNameChar(text.charCodeAt(nameEnd))) {
      nameEnd++;
    }
    // Resume at the character after the name: a name never holds a `?`, `#` or `&`.
    const resume = nameEnd - 1;
    if (
      text.charCodeAt(nameEnd) !== EQUALS ||
      !isSecretName(text.slice(nameStart, nameEnd))
    ) {
      i = resume;
      continue;
    }
    let valueEnd = nameEnd + 1;
    while (valueEnd < text.length && !endsValue(text.charCodeAt(valueEnd))) {
      valueEnd++;
    }
    if (valueEnd === nameEnd + 1) {
      i = nameEnd;
      continue;
    }
    out += text.slice(copied, nameEnd + 1) + MASK;
    copied = valueEnd;
    i = valueEnd - 1;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/** Whether the character may end a scheme (`https`, `git+ssh`) or a path (`a/`, `h:`). */
function continuesUrl(code: number): boolean {
  return (
    (code >= 97 && code <= 122) ||
    (code >= 65 && code <= 90) ||
    (code >= 48 && code <= 57) ||
    code === 43 ||
    code === 45 ||
    code === 46 ||
    code === COLON ||
    code === SLASH ||
    code === BACKSLASH
  );
}

/** Whether a `/` stands at `index`, or JSON's escaped `\/` starts there. */
function isSlashAt(text: string, index: number): boolean {
  const code = text.charCodeAt(index);
  return (
    code === SLASH ||
    (code === BACKSLASH && text.charCodeAt(index + 1) === SLASH)
  );
}

/** A `//` opening an authority, or its JSON-escaped `\/\/` (`git+https:\/\/ci:tok@host`). */
type Opening = { open: number; start: number; escaped: boolean };

/** The first `//` or `\/\/` whose second `/` stands at or after `from`. */
function nextOpening(text: string, from: number): Opening | undefined {
  for (let slash = text.indexOf('/', from); slash !== -1; ) {
    if (text.charCodeAt(slash + 1) === SLASH) {
      return { open: slash, start: slash + 2, escaped: false };
    }
    if (
      slash > 0 &&
      text.charCodeAt(slash - 1) === BACKSLASH &&
      text.startsWith('\\/', slash + 1)
    ) {
      return { open: slash - 1, start: slash + 3, escaped: true };
    }
    slash = text.indexOf('/', slash + 1);
  }
  return undefined;
}

/**
 * The text with the userinfo of `//user:password@host` masked where the scan of
 * {@link redactUrlCredentials} (which follows URL parsers) reads none:
 *
 * - a password holding a raw `/`, `?` or `#` (`https://u:ab/cd@host` → `https://***@host`):
 *   parsers end the authority there, the text still shows it. The password's part before
 *   that character must not be a port (`https://h.example.com:8443/x/bob@example.com` stays);
 *   in an IPv6 host the port's colon is the one after `]` (`http://[::1]:7007/x/@scope/y` stays);
 * - a scheme-less, protocol-relative URL (`//ci:tok@host/x` → `//***@host/x`), where `//`
 *   starts the text or follows a character that ends no scheme or path (white space, `=`,
 *   `"`, `(`), so `https://h/a//b@c` is left to the other rules;
 * - a URL with its slashes JSON-escaped (`git+https:\/\/ci:tok@host` → `git+https:\/\/***@host`),
 *   which is what evidence quoting JSON carries. `\/` reads as `/` in all three.
 *
 * The user part holds none of `/ ? # :` (`https://registry.example.com/@scope/pkg` stays).
 * The userinfo ends at the last `@` before the host's end, as URL parsers read it: the host
 * ends at a `/`, `?`, `#`, white space or quote (`//u:p@ss@h/x` → `//***@h/x`, not `//***@ss@h/x`;
 * `"//tok@h",bob@x` keeps `bob@x`). Each opening starts one attempt that reads up to that end,
 * or to white space when no `@` comes first, and the next starts after it, so the scan is linear.
 */
function maskLooseUserinfo(text: string): string {
  if (text.indexOf('@') === -1) return text;
  let out = '';
  let copied = 0;
  let opening = nextOpening(text, 0);
  while (opening) {
    const { open, start, escaped } = opening;
    // An IPv6 host's colons are no password's (`//[::1]:7007`): look for one after `]`.
    let inBrackets = text.charCodeAt(start) === OPEN_BRACKET;
    let colon = -1;
    let passwordStop = -1;
    let end = start;
    let at = -1;
    for (; end < text.length; end++) {
      const code = text.charCodeAt(end);
      if (code <= 32) break;
      if (code === AT) {
        at = end;
        continue;
      }
      const stop = isSlashAt(text, end) || code === QUESTION || code === HASH;
      // After an `@` the host runs to its end; a later `@` before that still belongs to the
      // userinfo (`//u:p@ss@h/x` has the password `p@ss`).
      if (at !== -1) {
        if (stop || code === DOUBLE_QUOTE || code === SINGLE_QUOTE) break;
        continue;
      }
      if (code === CLOSE_BRACKET) inBrackets = false;
      if (colon === -1) {
        if (code === COLON && !inBrackets) colon = end;
        else if (stop) break;
      } else if (passwordStop === -1 && stop) {
        passwordStop = end;
      }
    }
    const slashedPassword =
      colon > start &&
      passwordStop > colon + 1 &&
      !isDigits(text.slice(colon + 1, passwordStop));
    const before = text.charCodeAt(open - 1);
    const schemeLess =
      passwordStop === -1 && (open === 0 || !continuesUrl(before));
    const escapedAfterScheme =
      escaped && passwordStop === -1 && before === COLON;
    if (at > start && (slashedPassword || schemeLess || escapedAfterScheme)) {
      out += text.slice(copied, start) + MASK;
      copied = at;
      opening = nextOpening(text, at + 1);
    } else {
      opening = nextOpening(text, Math.max(end, start));
    }
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/**
 * How often {@link redactCredentials} applies its rules at most. Each rule reads text the
 * others leave: a masked value may have held the `/`, `?` or `#` that ended an authority
 * before an `@` (`https://&token=?"x@h`), a masked password may have held the scheme of a
 * URL the userinfo scan had skipped. Rather than order the rules to foresee every such case,
 * they run until a pass changes nothing, so redacting twice is redacting once: one pass when
 * nothing is masked, two when something is, more only on text built to chain them (the bound
 * keeps even that linear).
 */
const MAX_PASSES = 8;

/** One pass of the rules: URL userinfo, then the loose userinfo, then query parameters. */
function redactOnce(
  text: string,
  isSecretName: (name: string) => boolean,
): string {
  return maskSecretQueryParams(
    maskLooseUserinfo(redactUrlCredentials(text)),
    isSecretName,
  );
}

/** The rules applied until a pass changes nothing ({@link MAX_PASSES}). */
function redactUntilStable(
  text: string,
  isSecretName: (name: string) => boolean,
): string {
  let redacted = text;
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const again = redactOnce(redacted, isSecretName);
    if (again === redacted) break;
    redacted = again;
  }
  return redacted;
}

/**
 * The text with every credential it quotes in a URL masked: the userinfo of URLs
 * ({@link redactUrlCredentials}: `https://ci:ghp_x@ci.example.com` → `https://***@ci.example.com`),
 * a password holding a raw `/` (`https://u:ab/cd@host` → `https://***@host`), the userinfo of
 * a scheme-less `//u:p@host` or a JSON-escaped `https:\/\/u:p@host`, and the value of
 * secret-looking query parameters ({@link redactSecretQueryParams}). Idempotent: redacted text
 * stays as it is, so a value stored redacted compares equal to the same value redacted again.
 *
 * @public
 */
export function redactCredentials(text: string): string {
  return redactUntilStable(text, isSecretParameterName);
}

/**
 * {@link redactCredentials} for text stored lower-cased after it was redacted (an alias, a
 * repository, an environment): masks at least what `redactCredentials` masked in the text as
 * it was written, whatever its case. The query rule's names are split at case changes, which
 * lower-casing loses (`?keyId=s` was masked, the stored `?keyid=s` would not be), so here a
 * name is secret when some casing of it is ({@link mayBeSecretParameterName}): more is masked
 * (`?monkey=1`, `?token_type=bearer`) than `redactCredentials` masks. The other rules do not
 * depend on case.
 *
 * @public
 */
export function redactLowerCasedCredentials(text: string): string {
  return redactUntilStable(text, mayBeSecretParameterName);
}

type Container = unknown[] | Record<string, unknown>;

function isContainer(value: unknown): value is Container {
  if (Array.isArray(value)) return true;
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Whether `map` changes any string of the value, object keys included. Iterative, not
 * recursive: a JSON body may nest deeper than the call stack reaches.
 */
function changesAnyString(
  value: unknown,
  map: (text: string) => string,
): boolean {
  const changes = (item: unknown) =>
    typeof item === 'string' && map(item) !== item;
  if (!isContainer(value)) return changes(value);
  const seen = new Set<Container>([value]);
  const stack: Container[] = [value];
  while (stack.length > 0) {
    const container = stack.pop()!;
    const entries: [string | undefined, unknown][] = Array.isArray(container)
      ? container.map(item => [undefined, item])
      : Object.entries(container);
    for (const [key, item] of entries) {
      if (key !== undefined && map(key) !== key) return true;
      if (isContainer(item)) {
        if (!seen.has(item)) {
          seen.add(item);
          stack.push(item);
        }
      } else if (changes(item)) {
        return true;
      }
    }
  }
  return false;
}

/** Sets an own property, also one named `__proto__` (JSON.parse makes those own properties). */
function setMember(
  target: Record<string, unknown>,
  key: string,
  value: unknown,
) {
  Object.defineProperty(target, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}

/**
 * A copy of the value with `map` applied to every string in it: values of arrays and plain
 * objects at any depth, and object keys. Two keys that map to the same key keep the later one's
 * value. Anything else (numbers, booleans, null, class instances) is kept as it is. Returns the
 * value itself when nothing changes, so callers can tell by identity; a shared or cyclic object
 * is copied once and stays shared. Walks with its own stack: bodies may nest deeply.
 *
 * @public
 */
export function mapStringsDeep<T>(value: T, map: (text: string) => string): T {
  if (!changesAnyString(value, map)) return value;
  if (!isContainer(value))
    return (typeof value === 'string' ? map(value) : value) as T;
  const copies = new Map<Container, Container>();
  const stack: Container[] = [];
  const copyOf = (source: Container): Container => {
    let copy = copies.get(source);
    if (!copy) {
      copy = Array.isArray(source) ? [] : {};
      copies.set(source, copy);
      stack.push(source);
    }
    return copy;
  };
  const member = (item: unknown) => {
    if (isContainer(item)) return copyOf(item);
    return typeof item === 'string' ? map(item) : item;
  };
  const root = copyOf(value);
  while (stack.length > 0) {
    const source = stack.pop()!;
    const target = copies.get(source)!;
    if (Array.isArray(source)) {
      const list = target as unknown[];
      for (let i = 0; i < source.length; i++) list[i] = member(source[i]);
    } else {
      const record = target as Record<string, unknown>;
      for (const [key, item] of Object.entries(source)) {
        setMember(record, map(key), member(item));
      }
    }
  }
  return root as T;
}

/**
 * A copy of the value with {@link redactCredentials} applied to every string in it, object keys
 * included (`{ "https://u:p@h": "up" }`); the value itself when nothing holds a credential
 * ({@link mapStringsDeep}).
 *
 * @public
 */
export function redactCredentialsDeep<T>(value: T): T {
  return mapStringsDeep(value, redactCredentials);
}
