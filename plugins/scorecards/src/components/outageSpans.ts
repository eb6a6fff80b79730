import type { Transition } from '@internal/plugin-scorecards-common';
import type { LevelPoint } from '../api';
import { TREND_RANK } from './trendRank';

/**
 * A level drop caused by a source outage (§2.10: never the team's regression) and the days of
 * the trend it held: from the day of the drop up to the day the level was back at or above the
 * level before it.
 */
export interface OutageSpan {
  drop: Transition;
  /** Index in the trend of the day of the drop. */
  start: number;
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
 * Where each outage drop sits in the daily trend. The trend holds the level at the end of each
 * UTC day, so a drop that recovered the same day is `recoveredAt === start` (nothing to hatch);
 * a drop whose day is outside the trend is left out. A `not-rated` day ends the span: the entity
 * has no level there, so it is not lower because of the outage.
 */
export function outageSpans(
  points: readonly LevelPoint[],
  drops: readonly Transition[],
): OutageSpan[] {
  const spans: OutageSpan[] = [];
  for (const drop of drops) {
    const start = points.findIndex(p => p.date === drop.at.slice(0, 10));
    if (start < 0) continue;
    const before = TREND_RANK[drop.from ?? ''];
    const recovered = points.findIndex((p, i) => {
      if (i < start) return false;
      const rank = TREND_RANK[p.level];
      return rank === undefined || rank >= before;
    });
    spans.push(
      recovered < 0 ? { drop, start } : { drop, start, recoveredAt: recovered },
    );
  }
  return spans;
}

/** `dropped to L1 on 2026-11-20: source outage (recovered on 2026-11-23)`, for the text alternative. */
export function describeOutage(
  span: OutageSpan,
  points: readonly LevelPoint[],
): string {
  const { drop, start, recoveredAt } = span;
  const day = drop.at.slice(0, 10);
  let after = ' (still lower)';
  if (recoveredAt === start) after = ' (recovered the same day)';
  else if (recoveredAt !== undefined)
    after = ` (recovered on ${points[recoveredAt].date})`;
  return `dropped to ${drop.to} on ${day}: source outage${after}`;
}
