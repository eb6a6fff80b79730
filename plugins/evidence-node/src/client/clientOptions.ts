/** Tunables of the evidence client (config `evidence.client.*`, evidence §10). */
export interface EvidenceClientOptions {
  batchWindowMs: number;
  maxRefsPerCall: number;
  maxInFlight: number;
  cacheTtlMs: number;
  /** Ledger reads are never cached longer than this (a POST is visible within 5 s). */
  ledgerCacheTtlMs: number;
  timeoutMs: number;
  breakerFailures: number;
  breakerOpenForMs: number;
}

/** Upper bound for ledger caching: incident responders must see a new deploy within 5 s. */
export const MAX_LEDGER_CACHE_TTL_MS = 5_000;

/** Defaults from evidence §5.4. */
export const DEFAULT_EVIDENCE_CLIENT_OPTIONS: EvidenceClientOptions = {
  batchWindowMs: 5,
  maxRefsPerCall: 200,
  maxInFlight: 4,
  cacheTtlMs: 60_000,
  ledgerCacheTtlMs: MAX_LEDGER_CACHE_TTL_MS,
  timeoutMs: 2_000,
  breakerFailures: 3,
  breakerOpenForMs: 30_000,
};
