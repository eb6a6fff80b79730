import { InputError } from '@backstage/errors';
import { z } from 'zod';

/** `kind:namespace/name`, the only ref form the suite's APIs accept in queries and bodies. */
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

/**
 * Parses with `schema` or throws an InputError whose message names the field (the first
 * issue's): a field of a strict object the schema does not know is `unknown field x; remove it`.
 */
export function parse<T extends z.ZodType>(
  schema: T,
  value: unknown,
): z.output<T> {
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = issue.path.join('.');
  if (issue.code === 'unrecognized_keys') {
    const keys = (issue as { keys: string[] }).keys
      .map(k => (path ? `${path}.${k}` : k))
      .join(', ');
    throw new InputError(`unknown field ${keys}; remove it`);
  }
  // Messages built above already name the field; zod's own ones get the path prefixed.
  const message =
    path && !issue.message.startsWith(path.split('.')[0])
      ? `${path}: ${issue.message}`
      : issue.message;
  throw new InputError(message);
}
