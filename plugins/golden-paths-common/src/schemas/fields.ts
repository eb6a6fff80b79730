import { z } from 'zod';
import { normalizeEntityRef } from '../catalog/refs';
import { DATA_CLASSIFICATIONS } from '../constants';
import { isIsoDate } from '../format';

// Field schemas shared by the request kinds. They check shape only (type, enum, range): the
// rules with their own id (name pattern N01, on-call format T05, runbook URL T04, regions R01–R03,
// cron W01/W02, key format I01) run later with their own message, so the form's JSON-schema
// pattern and the authoritative rule stay one rule each (§3: "validate early, enforce again").

/**
 * C0 control characters and DEL other than tab, line feed and carriage return: nothing a person
 * types into a description or a reason, and none is printable in the YAML the request becomes
 * (descriptors, `.goldenpath.yaml`). U+0000 among them is refused by PostgreSQL text as well, so a
 * backend storing it failed with a 500 instead of the form naming the field.
 */
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/** A trimmed string of min–max characters, without control characters but tab and line breaks. */
export const text = (min: number, max: number) =>
  z
    .string()
    .trim()
    .min(min)
    .max(max)
    .refine(v => !CONTROL_CHARACTERS.test(v), {
      error: iss =>
        String(iss.input).includes('\u0000')
          ? 'must not contain NUL characters (U+0000)'
          : 'must not contain control characters other than tab and line breaks (U+0001–U+001F, U+007F)',
    });

/** An entity ref; the kind may be omitted when the field implies it. */
export const entityRef = (defaultKind: string) =>
  z
    .string()
    .trim()
    .refine(v => normalizeEntityRef(v, defaultKind) !== undefined, {
      error: `must be an entity ref like ${defaultKind}:default/<name>`,
    });

/** Integer within [min, max]; numeric strings from form widgets are accepted. */
export const intBetween = (min: number, max: number) =>
  z.preprocess(
    v => (typeof v === 'string' && /^\s*-?\d+\s*$/.test(v) ? Number(v) : v),
    z.number().int().min(min).max(max),
  );

/** The 1–3 service tier; `'2'` and `2` are the same answer. */
export const serviceTier = z.preprocess(
  v => (typeof v === 'string' && /^\s*[123]\s*$/.test(v) ? Number(v) : v),
  z.literal([1, 2, 3]),
);

/** An enum whose options are strings of numbers (`'99.5'`); a number answer is matched by value. */
export const numericStringEnum = <T extends readonly [string, ...string[]]>(
  options: T,
) =>
  z.preprocess(
    v => (typeof v === 'number' ? options.find(o => Number(o) === v) ?? v : v),
    z.enum(options),
  );

/** A calendar date `YYYY-MM-DD`. */
export const isoDate = z
  .string()
  .trim()
  .refine(isIsoDate, { error: 'must be a date written YYYY-MM-DD' });

/** Boolean; `'true'`/`'false'` from form widgets are accepted. */
export const bool = z.preprocess(v => {
  if (v === 'true') return true;
  if (v === 'false') return false;
  return v;
}, z.boolean());

export const dataClassification = z.enum(DATA_CLASSIFICATIONS);

/** Advanced fields every template carries; excluded from the fingerprint (§4.2). */
export const advancedFields = {
  idempotencyKey: z.string().trim().optional(),
  waitMinutes: intBetween(0, 60).optional(),
};
