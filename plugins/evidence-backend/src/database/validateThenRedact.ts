import {
  ValidationResult,
  redactCredentialsDeep,
  validateInput,
} from '@internal/plugin-evidence-common';
import { z } from 'zod';
import { redactCredentialsWithinLength } from './redactWithinLength';

/**
 * Validates a body as the caller sent it, then redacts it (evidence-common `redactCredentials`
 * of every string): for a body whose limits the caller must be told about in their own terms,
 * such as `PUT /changes/:id/risk`. Redacting first would refuse a field at its maximum length
 * because the mask made it longer (`https://a@h` → `https://***@h`), and the message would
 * count the mask's characters rather than theirs.
 *
 * - a body refused as received answers its own messages, with any credential they quote
 *   masked (they quote values, and object keys in `is not a known field`);
 * - a valid body is redacted; when redaction pushed a string past its limit, strings are cut
 *   back to their received length (what the ingestion routes store when the redacted body is
 *   refused), so the caller's valid body is never refused for the mask.
 */
export function validateThenRedact<T>(
  schema: z.ZodType<T>,
  body: unknown,
): ValidationResult<T> {
  const received = validateInput(schema, body);
  if (!received.success) return redactCredentialsDeep(received);
  const redacted = validateInput(schema, redactCredentialsDeep(received.data));
  if (redacted.success) return redacted;
  return validateInput(schema, redactCredentialsWithinLength(received.data));
}
