import { redactCredentials } from '../redaction/credentials';

/**
 * Renders a received value for `(got …)`: JSON text, shortened so messages stay one line. Any
 * credential it quotes is masked before the cut (`redactCredentials`), as a cut before the
 * userinfo's `@` would leave it unrecognisable: a route that validates the body as received
 * (`PUT /changes/:id/risk`) quotes the sender's value, which its answer and logs must not echo.
 *
 * Never throws: describing a refusal must not become the failure. A value JSON text cannot
 * render (nested past the engine's stack, as a posted `[[[…]]]` 5,000 deep is; cyclic) is shown
 * by its type, since `String()` of nested arrays recurses just as deep.
 */
export function shownValue(value: unknown): string {
  const text = redactCredentials(jsonText(value) ?? typeText(value));
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function jsonText(value: unknown): string | undefined {
  try {
    return JSON.stringify(value);
  } catch {
    return undefined;
  }
}

/** `array` or `object` for containers; a primitive's own text, which never recurses. */
function typeText(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'object' && value !== null) return 'object';
  return String(value);
}
