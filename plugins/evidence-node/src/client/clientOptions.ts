/** Tunables of the evidence client (config `evidence.client.*`, evidence §10). */
export interface EvidenceClientOptions {
  batchWindowMs: number;
  maxRefsPerCall: number;
  maxInFlight: number;
  cacheTtlMs: number;
  /** Ledger reads are never cached longer than this (a POST is visible within 5 s). */
  ledgerCacheTtlMs: number;
  /** Most answers the cache keeps; the oldest written go first. */
  cacheMaxEntries: number;
  timeoutMs: number;
  breakerFailures: number;
  breakerOpenForMs: number;
}

/** Upper bound for ledger caching: incident responders must see a new deploy within 5 s. */
export const MAX_LEDGER_CACHE_TTL_MS = 5_000;

/** The backend refuses a `POST /read` of more refs (evidence-backend `readRequests.ts`). */
export const MAX_REFS_PER_CALL = 5_000;

/** Node fires a longer timer at once (with a warning): every call would time out immediately. */
const MAX_TIMER_MS = 2_147_483_647;

/** Defaults from evidence §5.4. */
export const DEFAULT_EVIDENCE_CLIENT_OPTIONS: EvidenceClientOptions = {
  batchWindowMs: 5,
  maxRefsPerCall: 200,
  maxInFlight: 4,
  cacheTtlMs: 60_000,
  ledgerCacheTtlMs: MAX_LEDGER_CACHE_TTL_MS,
  // Bounds memory: ledger and edge keys carry moving time windows, so keys keep coming.
  cacheMaxEntries: 10_000,
  timeoutMs: 2_000,
  breakerFailures: 3,
  breakerOpenForMs: 30_000,
};

interface Range {
  min: number;
  max?: number;
  integer?: boolean;
}

/**
 * What each option accepts. Outside these the client misbehaves rather than fails: 0 refs per
 * call loops forever, 0 calls in flight waits forever, a timeout ≤ 0 aborts every call, more
 * refs than the backend's limit makes every full batch a 400. Ledger TTLs above 5 s are
 * accepted and clamped (with a warning from the default factory).
 */
const RANGES: Record<keyof EvidenceClientOptions, Range> = {
  batchWindowMs: { min: 0, max: MAX_TIMER_MS },
  maxRefsPerCall: { min: 1, max: MAX_REFS_PER_CALL, integer: true },
  maxInFlight: { min: 1, integer: true },
  cacheTtlMs: { min: 0 },
  ledgerCacheTtlMs: { min: 0 },
  cacheMaxEntries: { min: 1, integer: true },
  // AbortSignal.timeout takes integers only
  timeoutMs: { min: 1, max: MAX_TIMER_MS, integer: true },
  breakerFailures: { min: 1, integer: true },
  breakerOpenForMs: { min: 0 },
};

/** The option keys, in the order config documents them. */
export const EVIDENCE_CLIENT_OPTION_KEYS = Object.keys(
  RANGES,
) as (keyof EvidenceClientOptions)[];

/**
 * Throws a RangeError naming the first option outside its range; `prefix` names where the
 * options came from (`evidence.client.` for config).
 */
export function checkEvidenceClientOptions(
  options: Partial<EvidenceClientOptions>,
  prefix: string,
): void {
  for (const key of EVIDENCE_CLIENT_OPTION_KEYS) {
    const value = options[key];
    if (value === undefined) continue;
    const { min, max, integer } = RANGES[key];
    const fits =
      Number.isFinite(value) &&
      value >= min &&
      (max === undefined || value <= max) &&
      (!integer || Number.isInteger(value));
    if (!fits) {
      const kind = integer ? 'an integer' : 'a number';
      const range =
        max === undefined ? `of at least ${min}` : `from ${min} to ${max}`;
      throw new RangeError(
        `${prefix}${key} must be ${kind} ${range} (got ${value})`,
      );
    }
  }
}
