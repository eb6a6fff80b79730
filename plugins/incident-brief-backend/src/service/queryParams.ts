import { InputError } from '@backstage/errors';
import { MAX_LIMIT, parseHops } from '@internal/plugin-incident-brief-common';
import { isIsoInstant } from '@internal/suite-node';
import { z } from 'zod';

const WINDOW_UNITS: Record<string, number> = {
  m: 60_000,
  h: 3600_000,
  d: 24 * 3600_000,
};
const MIN_WINDOW_MS = 60_000;
const MAX_WINDOW_MS = 30 * 24 * 3600_000;
/**
 * How far an incident time may lie ahead of the server clock: an alert source's clock may run a
 * little ahead of ours (evidence reads times up to its `clock.maxSkew`, 5 minutes, ahead as sent).
 */
export const FUTURE_TOLERANCE_MS = 5 * 60_000;

/**
 * Refuses an incident time (`at`, `to`) later than now plus {@link FUTURE_TOLERANCE_MS}. Such a
 * brief would read a ledger that has no records yet: "no changes in the window", "never had a
 * ledger record" and edges seen "−1000 d" ago, all false; an alert link passes a past `startsAt`.
 */
export function notInFuture<T extends string | undefined>(
  name: string,
  value: T,
  nowMs: number,
): T {
  if (value !== undefined && Date.parse(value) > nowMs + FUTURE_TOLERANCE_MS) {
    throw new InputError(
      `${name} must not be more than 5 minutes in the future (got ${value}, now ${new Date(
        nowMs,
      ).toISOString()})`,
    );
  }
  return value;
}

/**
 * `hops` with the exact R12 message of incident-brief-common's `parseHops`, up to the
 * configured `incidentBrief.blastRadius.maxHops`.
 */
const hops = (fallback: number, max: number) =>
  z
    .unknown()
    .optional()
    .transform((raw, ctx) => {
      try {
        return parseHops(raw, fallback, max);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
        return z.NEVER;
      }
    });

const oneOf = <T extends string>(name: string, values: readonly [T, ...T[]]) =>
  z.enum(values, {
    error: issue =>
      `${name} must be one of ${values.join(', ')} (got ${String(
        issue.input,
      )})`,
  });

const boolean = (name: string) =>
  z
    .enum(['true', 'false'], {
      error: issue =>
        `${name} must be true or false (got ${String(issue.input)})`,
    })
    .transform(v => v === 'true');

/** A date-time with a zone naming a day that exists (suite-node's `isIsoInstant`), as UTC ISO. */
const instant = (name: string) =>
  z
    .string()
    .refine(isIsoInstant, {
      error: issue =>
        `${name} must be an ISO-8601 timestamp with a zone on a day that exists, like 2026-03-14T02:05:00Z (got ${String(
          issue.input,
        )})`,
    })
    .transform(v => new Date(v).toISOString());
const at = instant('at');

const windowMs = z.string().transform((raw, ctx) => {
  const m = /^(\d+)([mhd])$/.exec(raw.trim());
  const ms = m ? Number(m[1]) * WINDOW_UNITS[m[2]] : Number.NaN;
  if (!(ms > 0 && ms <= MAX_WINDOW_MS)) {
    ctx.addIssue({
      code: 'custom',
      message: `window must be a duration like 90m, 24h or 7d, at most 30d (got ${raw})`,
    });
    return z.NEVER;
  }
  return ms;
});

/** Query of `GET …/blast-radius` (IB §6.5). */
export const blastRadiusQuery = (defaults: {
  hops: number;
  maxHops: number;
  limit: number;
}) =>
  z.object({
    hops: hops(defaults.hops, defaults.maxHops),
    edges: oneOf('edges', ['all', 'declared', 'observed']).default('all'),
    direction: oneOf('direction', ['dependents', 'dependencies']).default(
      'dependents',
    ),
    includeStale: boolean('includeStale').default(true),
    limit: z
      .string()
      .regex(/^\d+$/, {
        error: `limit must be an integer between 1 and ${MAX_LIMIT}`,
      })
      .transform(Number)
      .refine(n => n >= 1 && n <= MAX_LIMIT, {
        error: `limit must be an integer between 1 and ${MAX_LIMIT}`,
      })
      .default(defaults.limit),
    cursor: z.string().optional(),
    // `shared`: each path step once, paths as indices into `pathSteps` (sharePathSteps);
    // `table`: the shared form with rows as arrays of values in named columns (tabulateRows)
    paths: oneOf('paths', ['inline', 'shared', 'table']).default('inline'),
  });

/** Query of `GET …/brief` and `…/brief.md`. */
export const briefQuery = (defaults: { hops: number; maxHops: number }) =>
  z.object({
    at: at.optional(),
    window: windowMs.optional(),
    hops: hops(defaults.hops, defaults.maxHops),
  });

/** Query of `GET …/owner` (ours): the incident time whose on-call is asked, default now. */
export const ownerQuery = z.object({ at: at.optional() });

/**
 * Query of `GET …/changes`: the window as `at`/`window` like the brief's, or as `from`/`to` (IB
 * §6.5; see {@link changesWindow}); `scope` says whose changes besides the entity's own are
 * listed — its dependencies (default), its dependents (callers: load changes) or both; `hops` is
 * the depth of that scope in each direction.
 */
export const changesQuery = (defaults: {
  dependencyHops: number;
  maxHops: number;
}) =>
  z.object({
    at: at.optional(),
    window: windowMs.optional(),
    from: instant('from').optional(),
    to: instant('to').optional(),
    hops: hops(defaults.dependencyHops, defaults.maxHops),
    scope: oneOf('scope', ['dependencies', 'dependents', 'both']).default(
      'dependencies',
    ),
  });

/**
 * The window of `GET …/changes` as `at` (its end; default now) and `windowMs` (its length;
 * default `changes.window`). `from`/`to` are the spec's form of it (IB §6.5): `to` is `at`,
 * `to − from` the length, within the limits of `window` (1 minute to 30 days); `from` alone runs
 * up to `nowMs`, `to` alone ends the default window there. Mixing them with `at`/`window` is a
 * 400, not a guess at which one was meant.
 */
export function changesWindow(
  query: { at?: string; window?: number; from?: string; to?: string },
  nowMs: number,
): { at?: string; windowMs?: number } {
  const range = (['from', 'to'] as const).filter(k => query[k] !== undefined);
  const point = (['at', 'window'] as const).filter(k => query[k] !== undefined);
  if (range.length === 0) {
    return { at: notInFuture('at', query.at, nowMs), windowMs: query.window };
  }
  if (point.length > 0) {
    throw new InputError(
      `give the window either as from/to or as at/window, not both (got ${[
        ...range,
        ...point,
      ].join(', ')})`,
    );
  }
  notInFuture('to', query.to, nowMs);
  if (query.from === undefined) return { at: query.to };
  const to = query.to ?? new Date(nowMs).toISOString();
  const span = Date.parse(to) - Date.parse(query.from);
  const got = `(got from ${query.from}, to ${to})`;
  if (span < 0) throw new InputError(`from must not be after to ${got}`);
  if (span < MIN_WINDOW_MS || span > MAX_WINDOW_MS) {
    throw new InputError(
      `from … to must span at least 1 minute and at most 30 days ${got}`,
    );
  }
  return { at: to, windowMs: span };
}

/**
 * The `:alias` of `GET /by-alias/:alias/…`: a telemetry, alert or CI name (IB §2.1), trimmed,
 * 1–253 characters (a DNS name's limit; `service.name` values are shorter), no control characters.
 */
export const aliasParam = z
  .string()
  .trim()
  .min(1, { error: 'alias must not be empty' })
  .max(253, { error: 'alias must be at most 253 characters' })
  // eslint-disable-next-line no-control-regex
  .regex(/^[^\u0000-\u001f\u007f]*$/, {
    error: 'alias must not contain control characters',
  });
