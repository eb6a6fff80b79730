import { LevelId } from '../model/levels';
import { EvaluationSummary } from '../model/evaluationSummary';
import { isWaiverActive } from '../waivers/activeWaivers';
import { Waiver } from '../waivers/waiverTypes';
import { compareText } from '../model/compareText';

/** One rollup row (scorecards §7.4). */
export interface RollupRow {
  key: string;
  kind: 'owner' | 'system' | 'domain';
  entities: number;
  byLevel: Record<LevelId | 'none', number>;
  notRated: number;
  atOrAboveExpected: number;
  belowExpected: number;
  failingServiceOwned: number;
  platformBlocked: number;
  unknown: number;
  waiversActive: number;
  waiversExpiring14d: number;
  regressions7d: number;
  checks: Record<
    string,
    {
      pass: number;
      fail: number;
      unknown: number;
      waived: number;
      notApplicable: number;
    }
  >;
}

/** One entity's contribution to rollups. */
export interface RollupEntry {
  evaluation: EvaluationSummary;
  owner: string | null;
  system: string | null;
  domain: string | null;
  waivers?: readonly Waiver[];
  regressions7d?: number;
}

function emptyRow(key: string, kind: RollupRow['kind']): RollupRow {
  return {
    key,
    kind,
    entities: 0,
    byLevel: { L0: 0, L1: 0, L2: 0, L3: 0, none: 0 },
    notRated: 0,
    atOrAboveExpected: 0,
    belowExpected: 0,
    failingServiceOwned: 0,
    platformBlocked: 0,
    unknown: 0,
    waiversActive: 0,
    waiversExpiring14d: 0,
    regressions7d: 0,
    checks: {},
  };
}

const STATE_KEY = {
  pass: 'pass',
  fail: 'fail',
  unknown: 'unknown',
  waived: 'waived',
  'not-applicable': 'notApplicable',
} as const;

/** Days before expiry a waiver counts as expiring when no window is given (`waiversExpiring14d`). */
export const DEFAULT_ROLLUP_EXPIRING_WITHIN_DAYS = 14;

/**
 * Rollups by owner, System or Domain (§2.11, SR36): each entity counted once per key; platform
 * blockers of a capability counted on the capability owner's row when grouping by owner;
 * not-rated entities only in their own column.
 *
 * `ancestorsOf` (owner rollups only) includes child groups: an entity also counts on the row of
 * every group above its owner, so a department's row holds its teams' entities (and a platform
 * blocker the rows above its capability owner). An entity is counted once per row, but then
 * appears on several rows: sum rows of such a rollup (`shareAtExpected`) only over rows that do
 * not contain one another.
 */
export function computeRollups(
  entries: readonly RollupEntry[],
  options: {
    groupBy: 'owner' | 'system' | 'domain';
    now: string;
    expiringWithinDays?: number;
    /** The groups above an owner group, nearest first (owner rollups including child groups). */
    ancestorsOf?: (groupRef: string) => readonly string[];
  },
): RollupRow[] {
  const rows = new Map<string, RollupRow>();
  const row = (key: string) => {
    let r = rows.get(key);
    if (!r) rows.set(key, (r = emptyRow(key, options.groupBy)));
    return r;
  };
  const nowMs = Date.parse(options.now);
  const expiringMs =
    (options.expiringWithinDays ?? DEFAULT_ROLLUP_EXPIRING_WITHIN_DAYS) *
    86400000;
  const withAncestors = (key: string): string[] =>
    options.groupBy === 'owner' && options.ancestorsOf && key !== '(none)'
      ? [...new Set([key, ...options.ancestorsOf(key)])]
      : [key];
  for (const entry of entries) {
    withAncestors(entry[options.groupBy] ?? '(none)').forEach((key, i) =>
      countEntry(entry, row(key), i === 0),
    );
  }
  return [...rows.values()].sort((a, b) => compareText(a.key, b.key));

  /**
   * Adds one entity to one row. Its platform blockers go to the capability owner's row (and the
   * rows above it) once per entity, on its `own` row's pass, not once per row it appears on.
   */
  function countEntry(entry: RollupEntry, r: RollupRow, own: boolean) {
    const e = entry.evaluation;
    r.entities++;
    if (e.rated) {
      if (e.level !== 'not-rated') r.byLevel[e.level]++;
      if (e.expectedLevel) {
        if (e.belowExpected) r.belowExpected++;
        else r.atOrAboveExpected++;
      }
    } else r.notRated++;
    for (const result of e.results) {
      const counts = (r.checks[result.checkId] ??= {
        pass: 0,
        fail: 0,
        unknown: 0,
        waived: 0,
        notApplicable: 0,
      });
      counts[STATE_KEY[result.state]]++;
      if (result.state === 'unknown') r.unknown++;
      if (
        !result.gating ||
        (result.state !== 'fail' && result.state !== 'unknown')
      )
        continue;
      if (result.attribution === 'platform') {
        const capabilityOwner = result.platformCapability?.owner;
        if (options.groupBy === 'owner' && capabilityOwner) {
          if (own) {
            for (const key of withAncestors(capabilityOwner))
              row(key).platformBlocked++;
          }
        } else r.platformBlocked++;
      } else if (result.state === 'fail') r.failingServiceOwned++;
    }
    for (const w of entry.waivers ?? []) {
      if (!isWaiverActive(w, nowMs)) continue;
      r.waiversActive++;
      if (Date.parse(w.expiresAt) - nowMs <= expiringMs) r.waiversExpiring14d++;
    }
    r.regressions7d += entry.regressions7d ?? 0;
  }
}

/** The leadership headline: share of rated entities at or above their expected level, a count, never a weighted index. */
export function shareAtExpected(rows: readonly RollupRow[]): {
  atOrAbove: number;
  rated: number;
  share: number;
} {
  let atOrAbove = 0;
  let rated = 0;
  for (const r of rows) {
    atOrAbove += r.atOrAboveExpected;
    rated += r.atOrAboveExpected + r.belowExpected;
  }
  return { atOrAbove, rated, share: rated === 0 ? 0 : atOrAbove / rated };
}
