import {
  mapStringsDeep,
  redactCredentials,
} from '@internal/plugin-evidence-common';

/**
 * evidence-common's `redactCredentials` (or another `redact`) of one string, cut to `maxLength` when redaction made it
 * longer than that (a userinfo of one or two characters becomes `***`): the received length for
 * a body, a column's width for a stored row.
 */
export function redactWithin(
  text: string,
  maxLength: number,
  redact: (text: string) => string = redactCredentials,
): string {
  const redacted = redact(text);
  if (redacted.length <= maxLength) return redacted;
  // Never between the two halves of a surrogate pair (an emoji): the lone half left would be
  // refused on re-validation (`storableString`) as a body the sender never sent.
  const end = isHighSurrogate(redacted.charCodeAt(maxLength - 1))
    ? maxLength - 1
    : maxLength;
  return redacted.slice(0, end);
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/**
 * `redactWithin` the string's own length: what ingestion stores for a string of a body refused
 * once redacted (its received length), and what the start-up pass stores for a stored row's
 * string in the same case (a row stored before redaction holds the text as it was received).
 */
export function redactWithinLength(
  text: string,
  redact: (text: string) => string = redactCredentials,
): string {
  return redactWithin(text, text.length, redact);
}

/**
 * A parsed JSON body with every string redacted and no string longer than it was received,
 * object keys included: evidence-common's `redactCredentialsDeep` with each string cut back to
 * its own length (the same value when nothing holds a credential).
 */
export function redactCredentialsWithinLength<T>(value: T): T {
  return mapStringsDeep(value, redactWithinLength);
}
