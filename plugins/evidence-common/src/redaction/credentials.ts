import { redactUrlCredentials } from './urlCredentials';

/**
 * Credentials in evidence text: what CI, collectors and people send is stored and served to
 * everyone with `evidence.read`, and readers' error messages echo the URLs they were given.
 * {@link redactUrlCredentials} masks the userinfo of well-formed URLs (the suite's one scan);
 * the rules here add what text quoting URLs also carries: secret-looking query parameters
 * (`?private_token=…`), a password holding a raw `/`, `?` or `#` (`https://u:ab/cd@host`),
 * which parsers refuse but messages quote all the same, and scheme-less `//u:p@host`. They stay out of
 * `redactUrlCredentials` itself: the scorecards engine runs that one over every result text
 * (its speed is measured), and scorecards-backend's migration holds a copy to it.
 */

const MASK = '***';

const SLASH = 47;
const QUESTION = 63;
const HASH = 35;
const AT = 64;
const COLON = 58;
const AMPERSAND = 38;
const EQUALS = 61;
const COMMA = 44;

/**
 * Words of a parameter name that say it holds a secret. Whole words, not substrings: evidence
 * is stored redacted for good, and `?design=`, `?author=` or `?keyboard=` hold no secret (the
 * substring rule this replaced masked them, losing the value).
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
 * Whether a parameter name holds a secret: one of its words (split at `-`, `_`, `.` and
 * lower-to-upper case changes) is in {@link SECRET_NAME_WORDS} (`access_token`,
 * `X-Amz-Signature`, `apiKey`, `sig`; not `design` or `author`).
 */
function isSecretParameterName(name: string): boolean {
  let word = '';
  for (let i = 0; i <= name.length; i++) {
    const code = i < name.length ? name.charCodeAt(i) : 46;
    const upper = code >= 65 && code <= 90;
    const prev = i > 0 ? name.charCodeAt(i - 1) : 0;
    const afterLowerOrDigit =
      (prev >= 97 && prev <= 122) || (prev >= 48 && prev <= 57);
    if (
      code === 45 ||
      code === 95 ||
      code === 46 ||
      (upper && afterLowerOrDigit)
    ) {
      if (SECRET_NAME_WORDS.has(word)) return true;
      word = '';
      if (!upper) continue;
    }
    word += String.fromCharCode(upper ? code + 32 : code);
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

/** Whether the character ends a parameter's value: `&`, `,` or white space. */
function endsValue(code: number): boolean {
  return code === AMPERSAND || code === COMMA || code <= 32;
}

function isDigits(text: string): boolean {
  return /^\d+$/.test(text);
}

/**
 * The text with the value of every secret-looking query parameter replaced by `***`
 * (`?sha=main&private_token=glpat-x` → `?sha=main&private_token=***`): a `?` or `&`, a name
 * with a word such as `token`, `key`, `secret`, `password`, `signature`, `sig` or `auth` in any
 * case ({@link isSecretParameterName}), `=` and a value up to the next `&`, `,` or white space. A hand-written scan, each character read
 * once at most: the pattern it replaces backtracked quadratically on long names without `=`.
 *
 * @public
 */
export function redactSecretQueryParams(text: string): string {
  if (text.indexOf('=') === -1) return text;
  let out = '';
  let copied = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code !== QUESTION && code !== AMPERSAND) continue;
    let nameEnd = i + 1;
    while (nameEnd < text.length && isNameChar(text.charCodeAt(nameEnd))) {
      nameEnd++;
    }
    // Resume at the character after the name: a name never holds a `?` or `&`.
    const resume = nameEnd - 1;
    if (
      text.charCodeAt(nameEnd) !== EQUALS ||
      !isSecretParameterName(text.slice(i + 1, nameEnd))
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
    code === 92
  );
}

/**
 * The text with the userinfo of `//user:password@host` masked where the scan of
 * {@link redactUrlCredentials} (which follows URL parsers) reads none:
 *
 * - a password holding a raw `/`, `?` or `#` (`https://u:ab/cd@host` → `https://***@host`):
 *   parsers end the authority there, the text still shows it. The password's part before
 *   that character must not be a port (`https://h.example.com:8443/x/bob@example.com` stays);
 * - a scheme-less, protocol-relative URL (`//ci:tok@host/x` → `//***@host/x`), where `//`
 *   starts the text or follows a character that ends no scheme or path (white space, `=`,
 *   `"`, `(`), so `https://h/a//b@c` is left to the other rules.
 *
 * The user part holds none of `/ ? # : @` (`https://registry.example.com/@scope/pkg` stays).
 * Each `//` opens one attempt that reads up to its first `@` or white space, so the scan is
 * linear.
 */
function maskLooseUserinfo(text: string): string {
  if (text.indexOf('@') === -1) return text;
  let out = '';
  let copied = 0;
  let open = text.indexOf('//');
  while (open !== -1) {
    const start = open + 2;
    let colon = -1;
    let passwordStop = -1;
    let end = start;
    let at = -1;
    for (; end < text.length; end++) {
      const code = text.charCodeAt(end);
      if (code <= 32) break;
      if (code === AT) {
        at = end;
        break;
      }
      if (colon === -1) {
        if (code === COLON) colon = end;
        else if (code === SLASH || code === QUESTION || code === HASH) break;
      } else if (
        passwordStop === -1 &&
        (code === SLASH || code === QUESTION || code === HASH)
      ) {
        passwordStop = end;
      }
    }
    const slashedPassword =
      colon > start &&
      passwordStop > colon + 1 &&
      !isDigits(text.slice(colon + 1, passwordStop));
    const schemeLess =
      passwordStop === -1 &&
      (open === 0 || !continuesUrl(text.charCodeAt(open - 1)));
    if (at > start && (slashedPassword || schemeLess)) {
      out += text.slice(copied, start) + MASK;
      copied = at;
      open = text.indexOf('//', at + 1);
    } else {
      open = text.indexOf('//', Math.max(end, start));
    }
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/**
 * The text with every credential it quotes in a URL masked: the userinfo of URLs
 * ({@link redactUrlCredentials}: `https://ci:ghp_x@ci.example.com` → `https://***@ci.example.com`),
 * a password holding a raw `/` (`https://u:ab/cd@host` → `https://***@host`), the userinfo of
 * a scheme-less `//u:p@host`, and the value of secret-looking query parameters ({@link redactSecretQueryParams}). Idempotent: redacted text
 * stays as it is, so a value stored redacted compares equal to the same value redacted again.
 *
 * @public
 */
export function redactCredentials(text: string): string {
  return redactSecretQueryParams(maskLooseUserinfo(redactUrlCredentials(text)));
}

type Container = unknown[] | Record<string, unknown>;

function isContainer(value: unknown): value is Container {
  if (Array.isArray(value)) return true;
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function redactLeaf(value: unknown): unknown {
  return typeof value === 'string' ? redactCredentials(value) : value;
}

/**
 * Whether any string of the value, object keys included, holds a credential. Iterative, not
 * recursive: a JSON body may nest deeper than the call stack reaches.
 */
function holdsCredentials(value: unknown): boolean {
  if (!isContainer(value)) return redactLeaf(value) !== value;
  const seen = new Set<Container>([value]);
  const stack: Container[] = [value];
  while (stack.length > 0) {
    const container = stack.pop()!;
    const entries: [string | undefined, unknown][] = Array.isArray(container)
      ? container.map(item => [undefined, item])
      : Object.entries(container);
    for (const [key, item] of entries) {
      if (key !== undefined && redactCredentials(key) !== key) return true;
      if (isContainer(item)) {
        if (!seen.has(item)) {
          seen.add(item);
          stack.push(item);
        }
      } else if (redactLeaf(item) !== item) {
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
 * A copy of the value with {@link redactCredentials} applied to every string in it: values of
 * arrays and plain objects at any depth, and object keys (`{ "https://u:p@h": "up" }`). Two keys
 * that redact to the same key keep the later one's value. Anything else (numbers, booleans,
 * null, class instances) is kept as it is. Returns the value itself when nothing changes, so
 * callers can tell by identity; a shared or cyclic object is copied once and stays shared.
 *
 * @public
 */
export function redactCredentialsDeep<T>(value: T): T {
  if (!holdsCredentials(value)) return value;
  if (!isContainer(value)) return redactLeaf(value) as T;
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
  const root = copyOf(value);
  while (stack.length > 0) {
    const source = stack.pop()!;
    const target = copies.get(source)!;
    const member = (item: unknown) =>
      isContainer(item) ? copyOf(item) : redactLeaf(item);
    if (Array.isArray(source)) {
      const list = target as unknown[];
      for (let i = 0; i < source.length; i++) list[i] = member(source[i]);
    } else {
      const record = target as Record<string, unknown>;
      for (const [key, item] of Object.entries(source)) {
        setMember(record, redactCredentials(key), member(item));
      }
    }
  }
  return root as T;
}
