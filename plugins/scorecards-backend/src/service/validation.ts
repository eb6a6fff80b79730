import { bodyShown, storableText } from '@internal/suite-node';
import { z } from 'zod';

// The field schemas both write APIs share (fullRef, isoTime, oneOf, parse) are in
// @internal/suite-node; these are the scorecards' own.

/**
 * A request body: a JSON object with exactly these fields. A misspelt optional field
 * (`"tikcet"`, `"stat"`) is refused with `unknown field tikcet; remove it` (suite-node's
 * `parse`) instead of being dropped and the default answered; anything but an object is
 * `body must be a JSON object (got an array)`.
 */
export function strictBody<T extends z.core.$ZodLooseShape>(shape: T) {
  return z.strictObject(shape, {
    error: iss =>
      iss.code === 'invalid_type'
        ? `body must be a JSON object (got ${bodyShown(iss.input)})`
        : undefined,
  });
}

/** Length of a waiver decision reason, counted after trimming (§7.4). */
export const DECISION_REASON_MIN = 10;
export const DECISION_REASON_MAX = 1000;

/** What a decision does, for the "reason is required" message. */
const DECIDED: Record<'approve' | 'reject' | 'revoke', string> = {
  approve: 'approved',
  reject: 'rejected',
  revoke: 'revoked',
};

/**
 * The body of `POST /waivers/:id/approve|reject|revoke`: `{ reason }`, trimmed, 10–1000
 * characters; required to reject or revoke, optional to approve (checked the same when given).
 * 400 `reason is required to reject a waiver: say why it is rejected (10 to 1000 characters)`,
 * `reason must be at least 10 characters after trimming (got 4)`.
 */
export function decisionBody(decision: 'approve' | 'reject' | 'revoke') {
  const reason = z
    .string({
      error: iss =>
        iss.input === undefined
          ? `reason is required to ${decision} a waiver: say why it is ${DECIDED[decision]} (${DECISION_REASON_MIN} to ${DECISION_REASON_MAX} characters)`
          : `reason must be a string (got ${
              iss.input === null ? 'null' : typeof iss.input
            })`,
    })
    .trim()
    .min(DECISION_REASON_MIN, {
      error: iss =>
        `reason must be at least ${DECISION_REASON_MIN} characters after trimming (got ${
          String(iss.input).length
        })`,
    })
    .max(DECISION_REASON_MAX, {
      error: iss =>
        `reason must be at most ${DECISION_REASON_MAX} characters after trimming (got ${
          String(iss.input).length
        })`,
    });
  // Stored with the decision and compared when the same decision is retried.
  const storable = storableText('reason', reason);
  // Strict: a misspelt `reasn` would otherwise approve without the reason the caller meant.
  return z.strictObject(
    { reason: decision === 'approve' ? storable.optional() : storable },
    {
      error: iss =>
        iss.code === 'invalid_type'
          ? `body must be a JSON object such as {"reason": "…"} (got ${
              Array.isArray(iss.input) ? 'an array' : typeof iss.input
            })`
          : undefined,
    },
  );
}
