import { InputError } from '@backstage/errors';
import { z } from 'zod';
import { parse } from './fieldSchemas';

/**
 * Parses a request's query string with an object schema, refusing what express's query parser
 * makes of mistakes before the schema sees them: a parameter given twice arrives as an array
 * (`hops must be given once (got 2 values)`), a bracketed one as an object (`?edges[a]=1`; its
 * keys can even shadow `toString`, which would break any message that prints it), and a
 * misspelt one would otherwise be dropped silently and the default answered
 * (`unknown query parameter hop; use one of hops, edges, …`). Every value the schema sees is a
 * string.
 */
export function parseQuery<T extends z.ZodObject>(
  schema: T,
  query: unknown,
): z.output<T> {
  const params = (query ?? {}) as Record<string, unknown>;
  const known = Object.keys(schema.shape);
  const unknown = Object.keys(params).filter(k => !known.includes(k));
  if (unknown.length > 0) {
    let use = `use one of ${known.join(', ')}`;
    if (known.length === 1) use = `use ${known[0]}`;
    if (known.length === 0) use = 'this route takes none';
    throw new InputError(
      `unknown query parameter ${unknown.join(', ')}; ${use}`,
    );
  }
  for (const [name, value] of Object.entries(params)) {
    if (Array.isArray(value)) {
      throw new InputError(
        `${name} must be given once (got ${value.length} values)`,
      );
    }
    if (typeof value !== 'string') {
      throw new InputError(`${name} must be a single value, not ${name}[…]`);
    }
  }
  return parse(schema, params);
}

/** The query of a route that takes no parameters: any one given is refused (`parseQuery`). */
export const NO_QUERY = z.strictObject({});
