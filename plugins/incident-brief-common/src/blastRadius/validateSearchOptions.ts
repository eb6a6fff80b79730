import { BlastRadiusInputError } from './BlastRadiusInputError';
import { parseInstant } from '../time/parseInstant';
import { EdgeFilter, SearchDirection } from './types';

/**
 * Largest hop count a request may ask for, and the largest `incidentBrief.blastRadius.maxHops`
 * an operator may configure (the default).
 */
export const MAX_HOPS = 10;
/** Largest page of impacted entities. */
export const MAX_LIMIT = 5000;

/**
 * Parses `hops` as given by a caller (number or query string); throws the exact R12 message.
 * `max` is the configured `incidentBrief.blastRadius.maxHops` (at most {@link MAX_HOPS}).
 */
export function parseHops(
  raw: unknown,
  fallback = 3,
  max: number = MAX_HOPS,
): number {
  if (raw === undefined || raw === null || raw === '') return fallback;
  let value = Number.NaN;
  if (typeof raw === 'number') value = raw;
  else if (typeof raw === 'string' && /^-?\d+(\.\d+)?$/.test(raw.trim())) {
    value = Number(raw);
  }
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new BlastRadiusInputError(
      400,
      `hops must be an integer between 0 and ${max} (got ${String(raw)})`,
    );
  }
  return value;
}

/**
 * Parses the `now` a search evaluates freshness against. An unreadable time would make every
 * observation `none` and still answer with a confidence, and a time without a zone would be read in
 * the server's own zone, so both are refused (`parseInstant`).
 */
export function parseNow(raw: string): number {
  return parseInstant('now', raw);
}

/** Validates the page size (1–5,000). */
export function parseLimit(raw: unknown, fallback = 200): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > MAX_LIMIT) {
    throw new BlastRadiusInputError(
      400,
      `limit must be an integer between 1 and ${MAX_LIMIT} (got ${String(
        raw,
      )})`,
    );
  }
  return value;
}

/** Validates the edge filter. */
export function parseEdgeFilter(raw: unknown): EdgeFilter {
  if (raw === undefined) return 'all';
  if (raw === 'all' || raw === 'declared' || raw === 'observed') return raw;
  throw new BlastRadiusInputError(
    400,
    `edges must be one of all, declared, observed (got ${String(raw)})`,
  );
}

/** Validates the search direction. */
export function parseDirection(raw: unknown): SearchDirection {
  if (raw === undefined) return 'dependents';
  if (raw === 'dependents' || raw === 'dependencies') return raw;
  throw new BlastRadiusInputError(
    400,
    `direction must be dependents or dependencies (got ${String(raw)})`,
  );
}
