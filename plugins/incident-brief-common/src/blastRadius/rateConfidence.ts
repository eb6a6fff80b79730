import { Confidence, EdgeStats } from './types';

/** Level thresholds of §3.3 (`ours`). */
export const CONFIDENCE_THRESHOLDS = { high: 0.8, medium: 0.5 };

/** Maps a confirmed ratio to a level: high ≥ 0.8, medium ≥ 0.5, low otherwise, unknown for null. */
export function confidenceLevel(ratio: number | null): Confidence['level'] {
  if (ratio === null) return 'unknown';
  if (ratio >= CONFIDENCE_THRESHOLDS.high) return 'high';
  if (ratio >= CONFIDENCE_THRESHOLDS.medium) return 'medium';
  return 'low';
}

/**
 * Confidence of a search (§3.3): confirmed / examined. With no examined edge, an instrumented
 * root proves that nobody calls it (1.0, high); an uninstrumented one proves nothing (unknown).
 */
export function rateConfidence(
  stats: EdgeStats,
  rootHasTelemetry: boolean,
): Confidence {
  if (stats.examined === 0) {
    return rootHasTelemetry
      ? { ratio: 1, level: 'high' }
      : { ratio: null, level: 'unknown' };
  }
  const ratio = stats.confirmed / stats.examined;
  return { ratio, level: confidenceLevel(ratio) };
}
