import { deny, RuleResult, warn } from '../errors/catalogue';
import { gpMessages } from '../errors/messages';

/**
 * The GP-X01 detectors, by the name the message shows (§5). Order matters only for which name a
 * field with several kinds of secret reports: the first match.
 *
 * Every pattern stays linear in the length of the text: it starts at a fixed anchor (a literal,
 * or one character followed by a look-behind), and each run it scans stops at a character the run
 * cannot contain, so the stretches scanned from different anchors do not overlap. No pattern may
 * start with a bare character class followed by an unbounded run that ends in a literal: the
 * engine would retry it from every position of a long word.
 *
 * Tokens are matched at an identifier boundary that treats `_` as a separator
 * (`(?<![A-Za-z0-9])`, not `\b`): `GITHUB_TOKEN_ghp_…` and `AKIA…_prod` are secrets glued to an
 * identifier, while `laughs_…` does not contain a `ghs_` token.
 *
 * @public
 */
export const SECRET_DETECTORS: readonly { name: string; pattern: RegExp }[] = [
  // PEM (`RSA PRIVATE KEY`, `OPENSSH PRIVATE KEY`, …) and PGP armour (`PGP PRIVATE KEY BLOCK`)
  {
    name: 'private key',
    pattern: /-----BEGIN [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----/,
  },
  {
    name: 'AWS access key id',
    pattern: /(?<![A-Za-z0-9])(AKIA|ASIA)[0-9A-Z]{16}(?![A-Za-z0-9])/,
  },
  {
    name: 'GitHub token',
    pattern:
      /(?<![A-Za-z0-9])(gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})/,
  },
  {
    name: 'Slack token',
    pattern: /(?<![A-Za-z0-9])xox[baprs]-[A-Za-z0-9-]{10,}/,
  },
  {
    name: 'JWT',
    // Anchored on the first '.', looking back for `eyJ` within the same base64url run: starting
    // at every `eyJ` retried the whole run each time (`eyJ-` × 10,000: 0.8 s). An unsigned JWT
    // (`alg: none`) has an empty third part, so then the payload must be JSON (`eyJ`) too. The
    // `eyJ` must not continue a word (`monkeyJar.example.com`); `_` does not count as one.
    pattern:
      /\.(?<=(?<![A-Za-z0-9])eyJ[A-Za-z0-9_-]+\.)(eyJ[A-Za-z0-9_-]*\.|[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)/,
  },
  {
    name: 'credentials in a URL',
    // Anchored on the '@', looking back for `scheme://user:password`: the user may be empty
    // (`redis://:pw@host`) and the password may hold '/' (`app:ab/cd@db`), so a run from '://'
    // could reach far; the look-back from '@' only covers the text since the previous '@' or
    // whitespace. A password of digits then '/' is a port and a path (`host:443/@scope/pkg`).
    pattern: /@(?<=[a-z][a-z0-9+.-]*:\/\/[^\s/:@]*:(?!\d+\/)[^\s@]+@)/i,
  },
  {
    name: 'password assignment',
    // not a scheme such as local-secret://: a reference, not an assignment
    pattern:
      /(password|passwd|pwd|secret|token|api[_-]?key)\s*[:=](?!\/\/)\s*\S{6,}/i,
  },
];

/** Name of the first detector matching the text, if any. */
export function detectSecret(text: string): string | undefined {
  return SECRET_DETECTORS.find(d => d.pattern.test(text))?.name;
}

/** Shannon entropy in bits per character. */
export function shannonEntropy(text: string): number {
  const counts = new Map<string, number>();
  for (const ch of text) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let h = 0;
  const n = [...text].length;
  for (const c of counts.values()) {
    const p = c / n;
    h -= p * Math.log2(p);
  }
  return h;
}

/** `kind:namespace/name` in Backstage's character set: what the entity pickers fill in. */
const ENTITY_REF =
  /^[a-z][a-z0-9-]*:[a-z0-9][a-z0-9._-]*\/[a-z0-9][a-z0-9._-]*$/i;

/**
 * The parts of a whitespace-free run that could each hold a random secret. An entity ref or an
 * http(s) URL is judged part by part (namespace, name; host, path segments, query keys and
 * values, fragment): whole, the ordinary ones reach 4.0 bits/char once they are ~36 characters
 * long (`component:default/checkout-payments-gateway` 4.14, a runbook link 4.15), so GP-X03
 * warned on every long system, dependency or runbook field and taught users to ignore it. A
 * random token inside a URL or a ref is still one part of ≥ 32 characters and still warns.
 */
function partsOf(run: string): string[] {
  if (ENTITY_REF.test(run)) return run.split(/[:/]/);
  if (!/^https?:\/\//i.test(run)) return [run];
  let url: URL;
  try {
    url = new URL(run);
  } catch {
    return [run];
  }
  // Credentials in a URL are GP-X01's (denied before this runs); the run is judged whole then.
  if (url.username || url.password) return [run];
  const parts = [url.hostname, ...url.pathname.split('/')];
  for (const [key, value] of url.searchParams) parts.push(key, value);
  if (url.hash) parts.push(url.hash.slice(1));
  return parts;
}

/**
 * True when some whitespace-free run of ≥ 32 characters has entropy ≥ 4.0 bits/char (GP-X03);
 * an entity ref or an http(s) URL by its parts (`partsOf`).
 */
export function looksRandom(text: string): boolean {
  return text
    .split(/\s+/)
    .some(
      run =>
        run.length >= 32 &&
        partsOf(run).some(
          part => part.length >= 32 && shannonEntropy(part) >= 4.0,
        ),
    );
}

/** What a field path shows in place of a field name that itself looks like a secret. */
export const SECRET_FIELD_NAME = '(field name)';

/**
 * A field name as a message may show it: a name that matches a detector is replaced, so neither
 * GP-X01 nor GP-V02 ("not part of a … request") can echo a secret pasted as a field name.
 *
 * @public
 */
export function shownFieldName(key: string): string {
  return detectSecret(key) ? SECRET_FIELD_NAME : key;
}

type Visit = (field: string, text: string) => void;
type Pending = { value: unknown; at: string } | { key: string; at: string };

/**
 * Calls `onKey` for every object key and `onValue` for every string in `value`, each with its
 * dotted path (secret-looking names masked), in document order: a key before its value.
 * Iterative: a request nested 20,000 levels deep must be refused by its schema, not overflow the
 * stack here.
 */
function walkRequest(value: unknown, onKey: Visit, onValue: Visit): void {
  const stack: Pending[] = [{ value, at: '' }];
  while (stack.length > 0) {
    const item = stack.pop()!;
    if ('key' in item) {
      onKey(item.at, item.key);
      continue;
    }
    const node = item.value;
    if (typeof node === 'string') {
      onValue(item.at, node);
    } else if (node !== null && typeof node === 'object') {
      const isArray = Array.isArray(node);
      const entries = isArray
        ? node.map((v, i) => [String(i), v] as const)
        : Object.entries(node);
      // pushed last-first so that they are visited first-first
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, child] = entries[i];
        const name = shownFieldName(key);
        const at = item.at ? `${item.at}.${name}` : name;
        stack.push({ value: child, at });
        if (!isArray) stack.push({ key, at });
      }
    }
  }
}

/**
 * Secret scan of every field name and string field of a raw request (GP-X01 deny, GP-X03 warn
 * for values). Results carry the field path and the detector name only: neither a value nor a
 * secret-looking field name is copied into a result, so nothing downstream (logs, audit, task
 * output) can echo it.
 *
 * @public
 */
export function scanForSecrets(raw: unknown): RuleResult[] {
  const out: RuleResult[] = [];
  const secret = (field: string, detector: string) =>
    out.push(deny('GP-X01', gpMessages.x01({ field, detector }), field));
  walkRequest(
    raw,
    (field, key) => {
      const detector = detectSecret(key);
      if (detector) secret(field, detector);
    },
    (field, text) => {
      const detector = detectSecret(text);
      if (detector) secret(field, detector);
      else if (looksRandom(text)) {
        out.push(warn('GP-X03', gpMessages.x03({ field }), field));
      }
    },
  );
  return out;
}

/**
 * GP-X02: the template itself collects something secret-looking (a parameter name, a
 * `ui:field: Secret`).
 *
 * @public
 */
export function checkTemplateParameters(
  template: string,
  parameters: readonly { name: string; uiField?: string }[],
): RuleResult[] {
  const secretName =
    /(pass(word|wd)?|secret|token|api[-_]?key|private[-_]?key|credential)/i;
  return parameters
    .filter(p => secretName.test(p.name) || p.uiField === 'Secret')
    .map(p =>
      deny('GP-X02', gpMessages.x02({ template, param: p.name }), p.name),
    );
}
