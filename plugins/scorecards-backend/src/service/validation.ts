import { InputError } from '@backstage/errors';
import { z } from 'zod';

/** `kind:namespace/name`, the only ref form the API accepts in queries and bodies. */
export const FULL_REF = /^[a-z0-9][\w.-]*:[\w.-]+\/[\w.-]+$/i;

/** A full entity ref, lower-cased; 400 `entityRef "x" is not a full ref (kind:namespace/name)`. */
export const fullRef = (field: string) =>
  z
    .string({ error: `${field} is required` })
    .refine(v => FULL_REF.test(v), {
      error: iss =>
        `${field} "${iss.input}" is not a full ref (kind:namespace/name)`,
    })
    .transform(v => v.toLowerCase());

/** An ISO-8601 instant with a zone, normalized with `toISOString`. */
export const isoTime = (field: string) =>
  z
    .string({ error: `${field} is required` })
    .refine(
      v => !Number.isNaN(Date.parse(v)) && /T.*(Z|[+-]\d\d:?\d\d)$/.test(v),
      {
        error: iss =>
          `${field} must be an ISO-8601 UTC timestamp (got ${JSON.stringify(
            iss.input,
          )})`,
      },
    )
    .transform(v => new Date(v).toISOString());

/** One of a closed list; 400 `stage must be one of deploy, create (got "prod")`. */
export const oneOf = <T extends string>(
  field: string,
  values: readonly [T, ...T[]],
) =>
  z.enum(values, {
    error: iss =>
      iss.input === undefined
        ? `${field} is required`
        : `${field} must be one of ${values.join(', ')} (got ${JSON.stringify(
            iss.input,
          )})`,
  });

/** Parses with `schema` or throws an InputError whose message names the field. */
export function parse<T extends z.ZodType>(
  schema: T,
  value: unknown,
): z.output<T> {
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = issue.path.join('.');
  // Messages built above already name the field; zod's own ones get the path prefixed.
  const message =
    path && !issue.message.startsWith(path.split('.')[0])
      ? `${path}: ${issue.message}`
      : issue.message;
  throw new InputError(message);
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
  return z.object(
    { reason: decision === 'approve' ? reason.optional() : reason },
    {
      error: iss =>
        `body must be a JSON object such as {"reason": "…"} (got ${
          Array.isArray(iss.input) ? 'an array' : typeof iss.input
        })`,
    },
  );
}
