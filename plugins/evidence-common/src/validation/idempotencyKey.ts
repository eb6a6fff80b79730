import { EvidenceError, evidenceError } from '../errors/errorBody';
import { evidenceMessages } from '../errors/errorMessages';
import { shownValue } from './shownValue';

/**
 * Format of an idempotency key: 1–256 characters from `A-Z a-z 0-9 . _ : / -` (§3.4, R-1).
 *
 * @public
 */
export const IDEMPOTENCY_KEY_PATTERN = /^[A-Za-z0-9._:/-]{1,256}$/;

/**
 * Checks an idempotency key from the header (no `field`) or a batch item (`items[3].idempotencyKey`);
 * returns the §3.9 error or undefined when the key is acceptable.
 *
 * @public
 */
export function checkIdempotencyKey(
  key: unknown,
  field?: string,
): EvidenceError | undefined {
  if (key === undefined || key === null || key === '') {
    return evidenceError(
      'IDEMPOTENCY_KEY_REQUIRED',
      evidenceMessages.idempotencyKeyRequired(field),
      field === undefined ? {} : { field },
    );
  }
  if (typeof key !== 'string' || !IDEMPOTENCY_KEY_PATTERN.test(key)) {
    // a batch item's key is any JSON value, one nested 50,000 deep included: shown bounded
    const text = typeof key === 'string' ? key : shownValue(key);
    return evidenceError(
      'IDEMPOTENCY_KEY_INVALID',
      evidenceMessages.idempotencyKeyInvalid(text, field),
      field === undefined ? {} : { field },
    );
  }
  return undefined;
}
