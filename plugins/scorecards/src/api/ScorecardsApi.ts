import { createApiRef } from '@backstage/frontend-plugin-api';
import type {
  EntityEvaluation,
  LevelValue,
  RollupRow,
  Transition,
  UnscoredEvaluation,
  Waiver,
} from '@internal/plugin-scorecards-common';

/** One daily point of the level trend (§2.10). */
export interface LevelPoint {
  date: string;
  level: LevelValue;
}

/** `GET /entities/:kind/:ns/:name` for a scored entity: the evaluation plus waivers, trend and regressions (§7.4). */
export type EntityScorecard = EntityEvaluation & {
  /** Pending and active waivers, plus those that ended in the last 30 days. */
  waivers: Waiver[];
  /** 90 daily points, oldest first. */
  trend: LevelPoint[];
  /** Team regressions of the last 14 days. */
  regressions: Transition[];
  /** What the catalog label currently carries, `null` before the first stamp. */
  catalogLabel: string | null;
};

/** What the entity route answers: a scorecard, or `scored: false` for kinds that are never scored. */
export type EntityScorecardResponse = EntityScorecard | UnscoredEvaluation;

/** `GET /entities/…/history`: level per day and the transitions (optionally of one check). */
export interface ScorecardHistory {
  levels: LevelPoint[];
  transitions: Transition[];
}

/** Query of the history route; times are ISO-8601 UTC. */
export interface ScorecardHistoryQuery {
  from?: string;
  to?: string;
  checkId?: string;
}

/** How rollup rows are grouped. */
export type RollupGroupBy = RollupRow['kind'];

/** Reads scorecards, history and rollups from `scorecards-backend`. */
export interface ScorecardsApi {
  /** The scorecard of an entity (`kind:namespace/name`). */
  getEntityScorecard(entityRef: string): Promise<EntityScorecardResponse>;
  /** Level history and transitions of an entity. */
  getHistory(
    entityRef: string,
    query?: ScorecardHistoryQuery,
  ): Promise<ScorecardHistory>;
  /** Rollup rows grouped by owner, system or domain (rows limited to readable entities). */
  getRollups(groupBy: RollupGroupBy): Promise<RollupRow[]>;
  /** The same rollups as the backend's CSV export. */
  getRollupsCsv(groupBy: RollupGroupBy): Promise<string>;
}

/** API reference of {@link ScorecardsApi}. */
export const scorecardsApiRef = createApiRef<ScorecardsApi>({
  id: 'plugin.scorecards.service',
});
