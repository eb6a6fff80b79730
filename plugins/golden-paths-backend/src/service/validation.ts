import { storableText } from '@internal/suite-node';
import { z } from 'zod';

// The field schemas both write APIs share (fullRef, isoTime, oneOf, storableText, parse) are in
// @internal/suite-node; these are the golden paths' own.

/**
 * A required non-empty string without U+0000 or a lone surrogate (`storableText`: keys, task
 * ids, versions and fingerprints are compared with what was stored on a retry); 400
 * `{field} is required`.
 */
export const text = (field: string, max = 512) =>
  storableText(
    field,
    z
      .string({ error: `${field} is required` })
      .trim()
      .min(1, `${field} is required`)
      .max(max, `${field} must be at most ${max} characters`),
  );

/**
 * A reason for the audit trail (decisions, kill switches, compensation, repair): 10–4000
 * characters after trimming, storable text (`storableText`: a repeated kill-switch PUT compares
 * it); `missing` when it is absent or not text.
 */
export const reasonText = (missing = 'reason is required') =>
  storableText(
    'reason',
    z
      .string({ error: missing })
      .trim()
      .min(10, 'reason must be at least 10 characters')
      .max(4000, 'reason must be at most 4000 characters'),
  );

/** `sha256:` + 64 lowercase hex characters. */
export const digest = (field: string) =>
  z.string({ error: `${field} is required` }).regex(/^sha256:[0-9a-f]{64}$/, {
    error: iss =>
      `${field} must be "sha256:" followed by 64 lowercase hex characters (got ${JSON.stringify(
        iss.input,
      )})`,
  });

/** A JSON object. */
export const object = (field: string) =>
  z.record(z.string(), z.unknown(), { error: `${field} must be an object` });
