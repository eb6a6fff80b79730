import type { Transition } from '@internal/plugin-scorecards-common';
import type { LevelPoint, ScorecardHistory } from '../api';
import { TREND_RANK } from './trendRank';

/**
 * A level drop caused by a source outage (§2.10: never the team's regression) and the days of
 * the trend it held: from the day of the drop up to the day the level was back at or above the
 * level before it.
 */
export interface OutageSpan {
  drop: Transition;
  /** Index in the trend of the day of the drop; 0 for a drop before the trend's first day. */
  start: number;
  /** The drop is older than the trend (its `levelInEffect`) and still held on the first day. */
  beganBefore?: boolean;
  /** Index of the first day at or above the level before the drop; absent while still lower. */
  recoveredAt?: number;
}

function isLevelDrop(t: Transition): boolean {
  const from = t.from === null ? undefined : TREND_RANK[t.from];
  const to = TREND_RANK[t.to];
  return from !== undefined && to !== undefined && to < from;
}

/**
 * The level rows of `transitions` (`checkId: null`) that lowered the level because a source was
 * unavailable, oldest first. The history route answers every row in its range, check rows and
 * team regressions too; only these are drawn hatched.
 */
export function outageDrops(transitions: readonly Transition[]): Transition[] {
  return transitions
    .filter(
      t => t.checkId === null && t.cause === 'source-outage' && isLevelDrop(t),
    )
    .sort((a, b) => a.at.localeCompare(b.at));
}

/**
 * The outage drops of a history answer for a trend that starts at its `from`: those in the range,
 * and the one in effect at `from` — `outageInEffect` (an older outage drop whose level was not
 * regained, even when a partial recovery of another cause came after it), or, from a backend
 * that does not answer it, the last level row before `from` (`levelInEffect`) when that is one.
 */
export function historyOutageDrops(
  history: Pick<
    ScorecardHistory,
    'transitions' | 'levelInEffect' | 'outageInEffect'
  >,
): Transition[] {
  const inEffect =
    history.outageInEffect !== undefined
      ? history.outageInEffect
      : history.levelInEffect;
  return outageDrops(
    inEffect ? [inEffect, ...history.transitions] : history.transitions,
  );
}

/**
 * Where each outage drop sits in the daily trend. The trend holds the level at the end of each
 * UTC day, so a drop that recovered the same day is `recoveredAt === start` (nothing to hatch).
 * A drop before the trend's first day starts the span there (`beganBefore`) while the level is
 * still lower on that day, and is left out when it is not: the trend cannot tell whether it held
 * into the window at all. A drop after the last day is left out. A `not-rated` day ends the
 * span: the entity has no level there, so it is not lower because of the outage.
 */
export function outageSpans(
  points: readonly LevelPoint[],
  drops: readonly Transition[],
): OutageSpan[] {
  const spans: OutageSpan[] = [];
  if (points.length === 0) return spans;
  for (const drop of drops) {
    const day = drop.at.slice(0, 10);
    const beganBefore = day < points[0].date;
    const start = beganBefore ? 0 : points.findIndex(p => p.date === day);
    if (start < 0) continue;
    const before = TREND_RANK[drop.from ?? ''];
    const recovered = points.findIndex((p, i) => {
      if (i < start) return false;
      const rank = TREND_RANK[p.level];
      return rank === undefined || rank >= before;
    });
    if (beganBefore && recovered === 0) continue;
    spans.push({
      drop,
      start,
      ...(beganBefore && { beganBefore }),
      ...(recovered >= 0 && { recoveredAt: recovered }),
    });
  }
  return spans;
}

/**
 * `dropped to L1 on 2026-11-20: source outage (recovered on 2026-11-23)`, for the text
 * alternative; a drop older than the trend says so (`…on 2026-08-02, before the first day shown:`).
 */
export function describeOutage(
  span: OutageSpan,
  points: readonly LevelPoint[],
): string {
  const { drop, start, recoveredAt } = span;
  const day = drop.at.slice(0, 10);
  const when = span.beganBefore ? `${day}, before the first day shown` : day;
  let after = ' (still lower)';
  if (recoveredAt === start) after = ' (recovered the same day)';
  else if (recoveredAt !== undefined)
    after = ` (recovered on ${points[recoveredAt].date})`;
  return `dropped to ${drop.to} on ${when}: source outage${after}`;
}
