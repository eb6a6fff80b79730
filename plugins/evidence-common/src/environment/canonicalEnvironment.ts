/**
 * The environment a change gets when its sender names none.
 *
 * @public
 */
export const DEFAULT_CHANGE_ENVIRONMENT = 'production';

// A Map, not an object literal: the environment is sender text, and a plain object answers
// `constructor` or `__proto__` from its prototype (a function reached SQL as the environment).
const SYNONYMS: ReadonlyMap<string, string> = new Map([
  ['prod', 'production'],
  ['prd', 'production'],
  ['production', 'production'],
  ['stage', 'staging'],
  ['stg', 'staging'],
  ['staging', 'staging'],
]);

/**
 * Canonical ledger environment: lower-case, `prod`/`prd` → `production`, `stage`/`stg` →
 * `staging`, others kept (§3.5). Use it on query parameters as well as on writes.
 *
 * @public
 */
export function canonicalEnvironment(environment: string): string {
  const lower = environment.toLowerCase();
  return SYNONYMS.get(lower) ?? lower;
}

/**
 * The stored environment of a change plus the raw value when canonicalization changed it, which
 * the backend reports as warning `ENVIRONMENT_CANONICALIZED`.
 *
 * @public
 */
export function resolveChangeEnvironment(environment: string | undefined): {
  environment: string;
  environmentRaw?: string;
} {
  if (environment === undefined)
    return { environment: DEFAULT_CHANGE_ENVIRONMENT };
  const canonical = canonicalEnvironment(environment);
  return canonical === environment
    ? { environment: canonical }
    : { environment: canonical, environmentRaw: environment };
}
