import { createApiRef } from '@backstage/frontend-plugin-api';
import type {
  CompiledStandard,
  Campaign,
  CampaignProgress,
  CampaignStatus,
  CheckDefinition,
  EntityEvaluation,
  LevelValue,
  RolloutGuidanceWarning,
  RolloutPhase,
  RollupRow,
  Transition,
  RestrictedWaiver,
  UnscoredEvaluation,
  Waiver,
  WaiverKind,
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
  /** Active campaigns whose scope takes the entity, with its status in each, soonest due first. */
  campaigns?: EntityCampaign[];
  /** Health of every evidence source the results used or missed (§7.4). */
  evidenceHealth?: EvidenceHealthEntry[];
  /**
   * Days before expiry an active waiver is flagged, largest first (`[14, 3]`: amber from 14,
   * red from 3; `scorecards.waivers.expiryWarningDays`). Current backends answer both; a single
   * value (from an older backend that passed the configuration on) is the amber window, red
   * staying at 3 days. Absent from backends older than the field, which warn at `[14, 3]`.
   */
  waiverExpiryWarningDays?: number[];
  /**
   * Longest `false-positive` waiver in days (`scorecards.waivers.falsePositiveMaxDays`), which
   * caps the check's own `maxDays` for that kind. Absent from backends older than the field: the
   * dialog then uses the default 14 and the backend's message tells a different limit.
   */
  waiverFalsePositiveMaxDays?: number;
};

/** One source of `EntityScorecard.evidenceHealth`. */
export interface EvidenceHealthEntry {
  source: string;
  status: string;
  /** the source's last successful collection; null when it never succeeded or is unknown */
  lastSuccessAt: string | null;
  usedBy: string[];
}

/** A campaign an entity is in (`EntityScorecard.campaigns`, §7.4). */
export interface EntityCampaign {
  id: string;
  title: string;
  dueAt: string;
  status: CampaignStatus;
}

/** What the entity route answers: a scorecard, or `scored: false` for kinds that are never scored. */
export type EntityScorecardResponse = EntityScorecard | UnscoredEvaluation;

/** `GET /entities/…/history`: level per day and the transitions (optionally of one check). */
export interface ScorecardHistory {
  levels: LevelPoint[];
  transitions: Transition[];
  /**
   * With `from`: the last level row before it (the change that set the level the range starts
   * with, e.g. an outage drop that still holds), `null` when there is none. Absent without
   * `from`, and from a backend that does not answer it yet.
   */
  levelInEffect?: Transition | null;
  /**
   * With `from`: the `source-outage` level drop before it whose level no later row before `from`
   * reached again — still lowering the level the range starts with, also after a partial
   * recovery of another cause (then it is not `levelInEffect`). `null` when there is none.
   * Absent without `from`, and from a backend that does not answer it yet.
   */
  outageInEffect?: Transition | null;
}

/** Query of the history route; times are ISO-8601 UTC. */
export interface ScorecardHistoryQuery {
  from?: string;
  to?: string;
  checkId?: string;
}

/** How rollup rows are grouped. */
export type RollupGroupBy = RollupRow['kind'];

/** One daily rollup snapshot of a key (`GET /rollups/history`, §2.10): the row at the end of `date`. */
export interface RollupHistoryPoint {
  /** UTC date `YYYY-MM-DD`. */
  date: string;
  row: RollupRow;
  /**
   * The window the row's `waiversExpiring14d` counted in when the snapshot was taken; absent
   * for snapshots taken before the backend recorded it, and from older backends.
   */
  waiversExpiringWithinDays?: number;
}

/**
 * Which entities a rollup counts (§7.3), each one value; together an entity must match all.
 * `check`: entities the check applies to; `campaign`: entities in the campaign's scope.
 */
export interface RollupEntityFilter {
  kind?: string;
  lifecycle?: string;
  tier?: string;
  check?: string;
  campaign?: string;
}

/** Options of `GET /rollups` besides the grouping. */
export interface RollupOptions {
  /** Owner rollups only: count entities on their owner's ancestor groups too (§2.11). */
  includeChildGroups?: boolean;
  /** The entities the rows count (§7.3). */
  filter?: RollupEntityFilter;
  /**
   * `false`: rows without their per-check counts (`checks` is `{}`), most of the answer's size;
   * what the rollups page asks. Default: with them.
   */
  checkCounts?: boolean;
}

/** Range of `GET /rollups/history`: UTC dates `YYYY-MM-DD`, inclusive. */
export interface RollupHistoryQuery {
  from?: string;
  to?: string;
}

/** `GET /rollups` (JSON): the rows and the window their expiring-waiver count uses. */
export interface RollupList {
  items: RollupRow[];
  /**
   * Days within which `waiversExpiring14d` counts a waiver as expiring (the largest of
   * `scorecards.waivers.expiryWarningDays`); absent from backends older than the field (14).
   */
  waiversExpiringWithinDays?: number;
}

/** `GET /waivers`: the waivers, and the expiry warnings the backend counts with. */
export interface WaiverList {
  items: Waiver[];
  /**
   * Of a paged read ({@link WaiverQuery.limit} or `cursor` given): the `cursor` of the next
   * page, absent once no more waivers match. The backend answers no total.
   */
  nextCursor?: string;
  /**
   * As {@link EntityScorecard.waiverExpiryWarningDays}: days before expiry an active waiver is
   * flagged, largest first; absent from backends older than the field.
   */
  waiverExpiryWarningDays?: number[];
}

/** Query of `GET /waivers`; the status is the one derived at request time (`expired` included). */
export interface WaiverQuery {
  entityRef?: string;
  checkId?: string;
  status?: Waiver['status'];
  /**
   * Pages the answer: at most this many waivers (1–500), oldest first, with `nextCursor` while
   * more match. Without `limit` and `cursor` the whole list is answered.
   */
  limit?: number;
  /** `nextCursor` of the previous page, unchanged (100 waivers when `limit` is not given). */
  cursor?: string;
}

/**
 * Body of `POST /waivers` (§2.8): the backend checks the permission `scorecards.waiver.create` on
 * the entity, reason ≥ 20 characters, expiry in the future and within the check's `maxDays`
 * (`falsePositiveMaxDays` for `false-positive`), and one pending or active waiver per check.
 */
export interface WaiverRequestBody {
  entityRef: string;
  checkId: string;
  kind: WaiverKind;
  reason: string;
  /** ISO-8601 UTC instant. */
  expiresAt: string;
  /** Group ref that retires the waiver; the backend defaults to the entity's owner. */
  owner?: string;
  /** Tracking link or id, at most 2048 characters. */
  ticket?: string;
}

/** `GET /standard`: the standard's identity and its changelog, newest version first. */
export type StandardSummary = Pick<
  CompiledStandard,
  'id' | 'version' | 'owner' | 'changelog'
>;

/** One row of `GET /checks` (§7.4 `CheckSummary`; scorecards-common does not export the type). */
export interface CheckSummary {
  definition: CheckDefinition;
  phaseNow: RolloutPhase | 'inactive' | 'retired';
  next?: { phase: RolloutPhase; from: string };
  counts: RollupRow['checks'][string];
  unknownRate: number;
  disputesUpheld30d: number;
  gateReady: boolean;
  gateReadyReasons: string[];
  /**
   * Warnings of the §2.4 rollout guidance as the backend computed them at its `now`
   * (`rolloutGuidance` of scorecards-common); absent from backends older than the field.
   */
  guidance?: RolloutGuidanceWarning[];
}

/**
 * A campaign with its progress, as `GET /campaigns` (in `items`) and `GET /campaigns/:id`
 * answer it (§2.11, §7.4): the campaign's fields, then `progress` with totals, per-owner counts
 * and done per day over every entity in scope, and the status of each entity the caller may
 * read (`restrictedEntities` counts the rest).
 */
export type CampaignWithProgress = Campaign & {
  progress: CampaignProgress & { restrictedEntities: number };
};

/** `GET /campaigns`: every campaign, and whether the caller may create one. */
export interface CampaignList {
  items: CampaignWithProgress[];
  /** The caller holds `scorecards.campaign.manage`. */
  canCreate: boolean;
}

/** A campaign with its totals alone (`GET /campaigns?fields=summary`). */
export type CampaignWithTotals = Campaign & {
  progress: Pick<CampaignProgress, 'campaignId' | 'asOf' | 'totals'>;
};

/** `GET /campaigns?fields=summary`: every campaign with its totals, and whether the caller may create one. */
export interface CampaignSummaryList {
  items: CampaignWithTotals[];
  canCreate: boolean;
}

/** `POST /campaigns`: a campaign without its id (the backend makes one) or with a kebab-case id. */
export type NewCampaignBody = Omit<Campaign, 'id' | 'brief' | 'state'> & {
  id?: string;
  brief?: string;
  state?: Campaign['state'];
};

/** Reads scorecards, history, rollups and checks from `scorecards-backend`; requests and decides waivers. */
export interface ScorecardsApi {
  /** The scorecard of an entity (`kind:namespace/name`). */
  getEntityScorecard(entityRef: string): Promise<EntityScorecardResponse>;
  /** Level history and transitions of an entity. */
  getHistory(
    entityRef: string,
    query?: ScorecardHistoryQuery,
  ): Promise<ScorecardHistory>;
  /**
   * Rollup rows grouped by owner, system or domain (rows limited to readable entities);
   * `includeChildGroups` (owner only, §2.11) also counts each entity on every group above its
   * owner, so rows overlap.
   */
  getRollups(
    groupBy: RollupGroupBy,
    options?: RollupOptions,
  ): Promise<RollupList>;
  /** The same rollups as the backend's CSV export. */
  getRollupsCsv(
    groupBy: RollupGroupBy,
    options?: RollupOptions,
  ): Promise<string>;
  /**
   * Daily snapshots of one rollup row, oldest first. `key` is the owner, System or Domain ref;
   * the backend answers 403 when the caller may not read it as a catalog entity.
   */
  getRollupHistory(
    groupBy: RollupGroupBy,
    key: string,
    query?: RollupHistoryQuery,
  ): Promise<RollupHistoryPoint[]>;
  /** Every check of the standard with its counts and waiver rules. */
  getChecks(): Promise<CheckSummary[]>;
  /**
   * Every check's definition (waiver rules, theme, fix), in standard order: `getChecks` without
   * the counts, which the backend computes from every entity's latest results. Optional: without
   * it the plugin reads the definitions from `getChecks` ({@link readCheckDefinitions}).
   */
  getCheckDefinitions?(): Promise<CheckDefinition[]>;
  /**
   * The standard's identity and changelog, newest version first (§2.2). Optional: an
   * implementation without it shows no changelog.
   */
  getStandard?(): Promise<StandardSummary>;
  /** Every campaign (draft, active and ended) with its progress as of now. */
  getCampaigns(): Promise<CampaignList>;
  /**
   * Every campaign with its totals alone: `getCampaigns` without each campaign's entity list and
   * burn-up (megabytes at an organisation's size). Optional: without it the plugin reads
   * `getCampaigns` ({@link readCampaignSummaries}).
   */
  getCampaignSummaries?(): Promise<CampaignSummaryList>;
  /**
   * Creates a campaign (`scorecards.campaign.manage`); posting the same body with the same id
   * again answers the stored campaign, another body with a taken id a 409.
   */
  createCampaign(body: NewCampaignBody): Promise<CampaignWithProgress>;
  /** One campaign with its progress; rejects with a `ResponseError` of status 404 for an unknown id. */
  getCampaign(id: string): Promise<CampaignWithProgress>;
  /** Waivers, with their status as of now, and the expiry warnings in effect. */
  listWaivers(query?: WaiverQuery): Promise<WaiverList>;
  /** Requests a waiver; it is `pending` until someone other than the requester approves it. */
  requestWaiver(request: WaiverRequestBody): Promise<Waiver>;
  /**
   * Approves a pending waiver (`scorecards.waiver.approve` on the check); the reason is
   * optional (10–1000 characters when given) and is stored as the waiver's `decisionReason`.
   * Like reject and revoke, it answers a {@link RestrictedWaiver} to a caller who may not read
   * the waiver's entity.
   */
  approveWaiver(
    id: string,
    options?: { reason?: string },
  ): Promise<Waiver | RestrictedWaiver>;
  /**
   * Rejects a pending waiver (`scorecards.waiver.approve` on the check). The reason is required
   * (10–1000 characters, trimmed; 400 otherwise) and stored as `decisionReason`.
   */
  rejectWaiver(
    id: string,
    options: { reason: string },
  ): Promise<Waiver | RestrictedWaiver>;
  /**
   * Revokes a pending or active waiver (`scorecards.waiver.revoke`). The reason is required
   * (10–1000 characters, trimmed); the answer carries `revokedBy` and `decisionReason`.
   * Idempotent: revoking again answers the waiver with its first revoker and reason.
   */
  revokeWaiver(
    id: string,
    options: { reason: string },
  ): Promise<Waiver | RestrictedWaiver>;
}

/** API reference of {@link ScorecardsApi}. */
export const scorecardsApiRef = createApiRef<ScorecardsApi>().with({
  id: 'plugin.scorecards.service',
});

/**
 * The checks' definitions from `api`: its `getCheckDefinitions` when it has one, else the
 * definitions of its `getChecks` (an implementation of this interface from before the method).
 */
export async function readCheckDefinitions(
  api: Pick<ScorecardsApi, 'getChecks' | 'getCheckDefinitions'>,
): Promise<CheckDefinition[]> {
  if (api.getCheckDefinitions) return api.getCheckDefinitions();
  return (await api.getChecks()).map(c => c.definition);
}

/**
 * The campaigns with their totals from `api`: its `getCampaignSummaries` when it has one, else
 * `getCampaigns` (an implementation of this interface from before the method).
 */
export async function readCampaignSummaries(
  api: Pick<ScorecardsApi, 'getCampaigns' | 'getCampaignSummaries'>,
): Promise<CampaignSummaryList> {
  if (api.getCampaignSummaries) return api.getCampaignSummaries();
  return api.getCampaigns();
}
