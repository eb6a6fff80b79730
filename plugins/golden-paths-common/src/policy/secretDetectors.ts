import { deny, RuleResult, warn } from '../errors/catalogue';
import { gpMessages } from '../errors/messages';

/**
 * The GP-X01 detectors, by the name the message shows (§5). Order matters only for which name a
 * field with several kinds of secret reports: the first match.
 *
 * @public
 */
export const SECRET_DETECTORS: readonly { name: string; pattern: RegExp }[] = [
  { name: 'private key', pattern: /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/ },
  { name: 'AWS access key id', pattern: /\b(AKIA|ASIA)[0-9A-Z]{16}\b/ },
  {
    name: 'GitHub token',
    pattern: /\b(gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})/,
  },
  { name: 'Slack token', pattern: /\bxox[baprs]-[A-Za-z0-9-]{10,}/ },
  {
    name: 'JWT',
    pattern: /\beyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+/,
  },
  {
    name: 'credentials in a URL',
    // Anchored on the ':' of '://', the scheme checked behind it: a pattern starting with the
    // scheme tried every position of a long word (a 40,000-character field: seconds; 80 kB: 19 s).
    pattern: /:(?<=[a-z][a-z0-9+.-]*:)\/\/[^\s/:@]+:[^\s/@]+@/i,
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

/** True when some whitespace-free run of ≥ 32 characters has entropy ≥ 4.0 bits/char (GP-X03). */
export function looksRandom(text: string): boolean {
  return text
    .split(/\s+/)
    .some(run => run.length >= 32 && shannonEntropy(run) >= 4.0);
}

/**
 * Calls `visit` for every string in `value` with its dotted path, in document order. Iterative:
 * a request nested 20,000 levels deep must be refused by its schema, not overflow the stack here.
 */
function walkStrings(
  value: unknown,
  path: string,
  visit: (field: string, text: string) => void,
): void {
  const stack: [unknown, string][] = [[value, path]];
  while (stack.length > 0) {
    const [node, at] = stack.pop()!;
    if (typeof node === 'string') {
      visit(at, node);
    } else if (node !== null && typeof node === 'object') {
      const entries = Array.isArray(node)
        ? node.map((v, i) => [String(i), v] as const)
        : Object.entries(node);
      // pushed last-first so that they are visited first-first
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, child] = entries[i];
        stack.push([child, at ? `${at}.${key}` : key]);
      }
    }
  }
}

/**
 * Secret scan of every string field of a raw request (GP-X01 deny, GP-X03 warn). Results carry
 * the field and the detector name only: the value is never copied into a result, so nothing
 * downstream (logs, audit, task output) can echo it.
 *
 * @public
 */
export function scanForSecrets(raw: unknown): RuleResult[] {
  const out: RuleResult[] = [];
  walkStrings(raw, '', (field, text) => {
    const detector = detectSecret(text);
    if (detector) {
      out.push(deny('GP-X01', gpMessages.x01({ field, detector }), field));
    } else if (looksRandom(text)) {
      out.push(warn('GP-X03', gpMessages.x03({ field }), field));
    }
  });
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
