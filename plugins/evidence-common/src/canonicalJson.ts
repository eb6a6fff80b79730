/**
 * Thrown when a value cannot be written as canonical JSON; `path` is the JSON path of the
 * offending member, e.g. `$.items[2].at`.
 *
 * @public
 */
export class CanonicalJsonError extends Error {
  readonly path: string;

  constructor(path: string, reason: string) {
    super(`cannot write canonical JSON at ${path}: ${reason}`);
    this.name = 'CanonicalJsonError';
    this.path = path;
  }
}

function isPlainObject(value: object): value is Record<string, unknown> {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function memberPath(parent: string, key: string): string {
  // Identifier-like keys read best as `.key`; anything else is quoted so the path stays unambiguous.
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key)
    ? `${parent}.${key}`
    : `${parent}[${JSON.stringify(key)}]`;
}

function write(value: unknown, path: string, ancestors: Set<object>): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'string':
      // JSON.stringify escapes exactly what §6 asks for, including lone surrogates as \udxxx.
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) {
        throw new CanonicalJsonError(path, `${value} is not a finite number`);
      }
      // Number#toString gives the ECMAScript shortest form (1e+21, 1e-7); -0 becomes 0.
      return Object.is(value, -0) ? '0' : String(value);
    case 'undefined':
      throw new CanonicalJsonError(path, 'undefined is not a JSON value');
    case 'bigint':
      throw new CanonicalJsonError(
        path,
        'BigInt is not a JSON value; send it as a string',
      );
    case 'function':
    case 'symbol':
      throw new CanonicalJsonError(
        path,
        `a ${typeof value} is not a JSON value`,
      );
    default:
      break;
  }
  const obj = value as object;
  if (ancestors.has(obj)) {
    throw new CanonicalJsonError(path, 'cyclic reference');
  }
  ancestors.add(obj);
  try {
    if (Array.isArray(obj)) {
      const parts = obj.map((item, index) =>
        write(item, `${path}[${index}]`, ancestors),
      );
      return `[${parts.join(',')}]`;
    }
    if (!isPlainObject(obj)) {
      const name = (obj as { constructor?: { name?: string } }).constructor
        ?.name;
      throw new CanonicalJsonError(
        path,
        `${name ?? 'object'} is not a plain object; convert it first`,
      );
    }
    if ('toJSON' in obj) {
      // toJSON would let a value serialize differently from what was hashed; callers convert first.
      throw new CanonicalJsonError(
        path,
        'objects with toJSON are not accepted',
      );
    }
    const parts: string[] = [];
    // Default sort compares UTF-16 code units, which is what RFC 8785 (JCS) prescribes.
    for (const key of Object.keys(obj).sort()) {
      const member = (obj as Record<string, unknown>)[key];
      if (member === undefined) continue;
      parts.push(
        `${JSON.stringify(key)}:${write(
          member,
          memberPath(path, key),
          ancestors,
        )}`,
      );
    }
    return `{${parts.join(',')}}`;
  } finally {
    ancestors.delete(obj);
  }
}

/**
 * Serializes a JSON value canonically (sorted keys, no whitespace, ECMAScript numbers; RFC 8785).
 *
 * @public
 */
export function canonicalJson(value: unknown): string {
  return write(value, '$', new Set());
}
