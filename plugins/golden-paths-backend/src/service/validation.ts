import { InputError } from '@backstage/errors';
import { z } from 'zod';

/** `kind:namespace/name`, the only ref form the API accepts. */
export const FULL_REF = /^[a-z0-9][\w.-]*:[\w.-]+\/[\w.-]+$/i;

/** A required non-empty string; 400 `{field} is required`. */
export const text = (field: string, max = 512) =>
  z
    .string({ error: `${field} is required` })
    .trim()
    .min(1, `${field} is required`)
    .max(max, `${field} must be at most ${max} characters`);

/** A full entity ref, lower-cased. */
export const fullRef = (field: string) =>
  z
    .string({ error: `${field} is required` })
    .refine(v => FULL_REF.test(v), {
      error: iss =>
        `${field} "${iss.input}" is not a full ref (kind:namespace/name)`,
    })
    .transform(v => v.toLowerCase());

/** `sha256:` + 64 lowercase hex characters. */
export const digest = (field: string) =>
  z.string({ error: `${field} is required` }).regex(/^sha256:[0-9a-f]{64}$/, {
    error: iss =>
      `${field} must be "sha256:" followed by 64 lowercase hex characters (got ${JSON.stringify(
        iss.input,
      )})`,
  });

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

/** One of a closed list; 400 `{field} must be one of a, b (got "c")`. */
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

/** A JSON object. */
export const object = (field: string) =>
  z.record(z.string(), z.unknown(), { error: `${field} must be an object` });

/** Parses with `schema` or throws an InputError whose message names the field. */
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
