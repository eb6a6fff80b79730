import { CheckResult, Score } from '../model/resultModel';

/**
 * Score (navigation only): passed / counted, where counted = applicable results outside
 * `observe` in pass, fail, unknown or waived; waived count in the denominator only (§2.7).
 */
export function computeScore(results: readonly CheckResult[]): Score {
  const score: Score = {
    passed: 0,
    counted: 0,
    waived: 0,
    unknown: 0,
    failed: 0,
  };
  for (let i = 0; i < results.length; i++) {
    const r = results[i];
    if (r.state === 'not-applicable' || r.phase === 'observe') continue;
    score.counted++;
    if (r.state === 'pass') score.passed++;
    else if (r.state === 'waived') score.waived++;
    else if (r.state === 'unknown') score.unknown++;
    else score.failed++;
  }
  return score;
}

/** The stamped form of a score: `"40/41"`, never a percentage (§7.5). */
export function formatScore(score: Score): string {
  return `${score.passed}/${score.counted}`;
}
