import { redactCredentials } from '@internal/plugin-evidence-common';

/**
 * evidence-common's `redactCredentials` of one string, cut to the string's own length when
 * redaction lengthened it (a userinfo of one or two characters becomes `***`).
 */
function redactWithinLength(text: string): string {
  const redacted = redactCredentials(text);
  return redacted.length > text.length
    ? redacted.slice(0, text.length)
    : redacted;
}

type Container = Record<string, unknown> | unknown[];

/** Arrays and plain objects (what JSON.parse makes); anything else is kept as it is. */
function isContainer(value: unknown): value is Container {
  if (Array.isArray(value)) return true;
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * A parsed JSON body with every string redacted and no string longer than it was received,
 * object keys included (as evidence-common's `redactCredentialsDeep`, which it follows when
 * nothing grows). Walks with its own stack, not recursion: bodies may nest deeply.
 */
export function redactCredentialsWithinLength<T>(value: T): T {
  if (typeof value === 'string') return redactWithinLength(value) as T;
  if (!isContainer(value)) return value;
  const copies = new Map<Container, Container>();
  const stack: Container[] = [];
  const copyOf = (source: Container): Container => {
    let copy = copies.get(source);
    if (!copy) {
      copy = Array.isArray(source) ? [] : {};
      copies.set(source, copy);
      stack.push(source);
    }
    return copy;
  };
  const member = (item: unknown): unknown => {
    if (typeof item === 'string') return redactWithinLength(item);
    return isContainer(item) ? copyOf(item) : item;
  };
  const root = copyOf(value);
  while (stack.length > 0) {
    const source = stack.pop()!;
    const target = copies.get(source)!;
    if (Array.isArray(source)) {
      const list = target as unknown[];
      for (let i = 0; i < source.length; i++) list[i] = member(source[i]);
    } else {
      for (const [key, item] of Object.entries(source)) {
        // defineProperty: a key such as `__proto__` stays an own member, as JSON.parse made it.
        Object.defineProperty(target, redactWithinLength(key), {
          value: member(item),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
    }
  }
  return root as T;
}
