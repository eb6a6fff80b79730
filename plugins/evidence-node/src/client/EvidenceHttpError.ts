import type { EvidenceUnavailableCause } from '../EvidenceService';

/** A failed call to the evidence backend, classified the way the breaker counts it. */
export class EvidenceHttpError extends Error {
  constructor(
    readonly cause: EvidenceUnavailableCause,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'EvidenceHttpError';
  }

  /** Timeouts, network errors, 5xx and 429 mean the backend is unwell; other 4xx mean we are wrong. */
  get countsAsOutage(): boolean {
    return this.cause !== 'client-error';
  }
}
