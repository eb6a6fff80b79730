import { ChangeRecord } from './types';

/** Default tolerated clock skew (`ours`, §4.3). */
export const DEFAULT_MAX_SKEW_MS = 5 * 60_000;
const LATE_MS = 24 * 3600_000;

/**
 * Derives `effectiveAt` and the SKEWED/LATE flags from `receivedAt` (§4.3, R9): a future-dated
 * start is clamped to the receipt time; a record received over 24 h after it ended is late.
 */
export function deriveClockFields(
  record: Pick<ChangeRecord, 'startedAt' | 'finishedAt' | 'receivedAt'>,
  maxSkewMs = DEFAULT_MAX_SKEW_MS,
): { effectiveAt: string; flags: ('SKEWED' | 'LATE')[] } {
  const started = Date.parse(record.startedAt);
  const received = Date.parse(record.receivedAt);
  if (record.finishedAt && Date.parse(record.finishedAt) < started) {
    throw new Error('finishedAt must not be before startedAt');
  }
  const flags: ('SKEWED' | 'LATE')[] = [];
  let effectiveAt = record.startedAt;
  if (started > received + maxSkewMs) {
    effectiveAt = record.receivedAt;
    flags.push('SKEWED');
  }
  const ended = record.finishedAt ? Date.parse(record.finishedAt) : started;
  if (received - ended > LATE_MS) flags.push('LATE');
  return { effectiveAt, flags };
}
