import { randomBytes } from 'node:crypto';

// Per-process random marker, so no stored string can collide with a placeholder.
const MARKER = `\u0000raw-${randomBytes(6).toString('hex')}:`;
const ESCAPED_MARKER = JSON.stringify(MARKER)
  .slice(1, -1)
  .replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const PLACEHOLDER = new RegExp(`"${ESCAPED_MARKER}(\\d+)\\\\u0000"`, 'g');

// Texts collected by the stringifyWithRawJson call in progress (JSON.stringify is synchronous).
let pending: string[] | undefined;

/**
 * A JSON text stored canonically in the database and sent as is: bulk reads splice stored fact
 * values into the response instead of parsing and re-serializing them (evidence.md §9).
 */
export class RawJson {
  constructor(readonly text: string) {}

  /**
   * Inside `stringifyWithRawJson`: a placeholder swapped for the text afterwards. Anywhere else
   * (a log line, a test): the parsed value, so a RawJson never leaks a placeholder.
   */
  toJSON(): unknown {
    if (!pending) return JSON.parse(this.text);
    return `${MARKER}${pending.push(this.text) - 1}\u0000`;
  }
}

/** `JSON.stringify` where every `RawJson` inside `body` is emitted as its stored text. */
export function stringifyWithRawJson(body: unknown): string {
  const texts: string[] = [];
  pending = texts;
  try {
    const json = JSON.stringify(body);
    if (texts.length === 0) return json;
    // JSON.stringify escaped the placeholder's NUL characters as \u0000.
    return json.replace(
      PLACEHOLDER,
      (_match, index: string) => texts[Number(index)],
    );
  } finally {
    pending = undefined;
  }
}

/** Sends `body` as JSON with its `RawJson` values spliced in. */
export function sendWithRawJson(
  res: { type(t: string): unknown; send(body: string): unknown },
  body: unknown,
): void {
  res.type('application/json');
  res.send(stringifyWithRawJson(body));
}
