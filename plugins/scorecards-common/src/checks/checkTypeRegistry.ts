import { z } from 'zod';
import { CheckCallSpec, CheckType, CompiledCall } from './checkType';

/** Thrown while compiling a `{ type, params }` call; `path` names the offending field. */
export class CheckCompileError extends Error {
  constructor(readonly path: string, readonly detail: string) {
    super(`${path}: ${detail}`);
    this.name = 'CheckCompileError';
  }
}

/** The set of check types a standard may use: the built-ins plus any extension types. */
export interface CheckTypeRegistry {
  get(id: string): CheckType<any, any> | undefined;
  ids(): string[];
  /** Validates params against the type's schema and compiles them; throws CheckCompileError. */
  compileCall(spec: CheckCallSpec, path: string): CompiledCall;
}

/** Formats a zod issue path relative to a base path, e.g. `params.of[1].params.paths`. */
export function formatIssuePath(
  base: string,
  path: readonly PropertyKey[],
): string {
  let out = base;
  for (const segment of path) {
    out += typeof segment === 'number' ? `[${segment}]` : `.${String(segment)}`;
  }
  return out;
}

/**
 * Creates a registry from check types. A type id registered twice fails at once, like a
 * backend module registering an existing id fails at startup (scorecards §3).
 */
export function createCheckTypeRegistry(
  types: readonly CheckType<any, any>[],
): CheckTypeRegistry {
  const byId = new Map<string, CheckType<any, any>>();
  for (const type of types) {
    if (byId.has(type.id)) {
      throw new Error(`check type "${type.id}" is already registered`);
    }
    byId.set(type.id, type);
  }
  const registry: CheckTypeRegistry = {
    get: id => byId.get(id),
    ids: () => [...byId.keys()].sort(),
    compileCall(spec, path) {
      const type = byId.get(spec.type);
      if (!type) {
        throw new CheckCompileError(
          `${path}type`,
          `unknown check type "${spec.type}" (known: ${registry
            .ids()
            .join(', ')})`,
        );
      }
      const parsed = type.paramsSchema.safeParse(spec.params ?? {});
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        if (issue.code === 'unrecognized_keys') {
          throw new CheckCompileError(
            formatIssuePath(`${path}params`, [...issue.path, issue.keys[0]]),
            `is an unknown key of the "${type.id}" parameters (misspelt?)`,
          );
        }
        throw new CheckCompileError(
          formatIssuePath(`${path}params`, issue.path),
          issue.message,
        );
      }
      const params = type.compile
        ? type.compile(parsed.data, (child, childPath) =>
            registry.compileCall(child, `${path}params.${childPath}`),
          )
        : parsed.data;
      return { type, params };
    },
  };
  return registry;
}

/** Schema of a nested `{ type, params }` call, used by combinators; strict, so `param:` is refused. */
export const checkCallSpecSchema = z.strictObject({
  type: z.string().min(1),
  params: z.unknown().optional(),
});
