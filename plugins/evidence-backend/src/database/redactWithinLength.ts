import {
  mapStringsDeep,
  redactCredentials,
} from '@internal/plugin-evidence-common';

/**
 * evidence-common's `redactCredentials` of one string, cut to the string's own length when
 * redaction lengthened it (a userinfo of one or two characters becomes `***`).
 */
function redactWithinLength(text: string): string {
  const redacted = redactCredentials(text);
  return redacted.length > text.length
    ? redacted.slice(0, text.length)
    : redacted;
}

/**
 * A parsed JSON body with every string redacted and no string longer than it was received,
 * object keys included: evidence-common's `redactCredentialsDeep` with each string cut back to
 * its own length (the same value when nothing holds a credential).
 */
export function redactCredentialsWithinLength<T>(value: T): T {
  return mapStringsDeep(value, redactWithinLength);
}
