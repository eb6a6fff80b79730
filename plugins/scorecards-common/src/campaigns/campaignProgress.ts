import { LevelId, levelRank } from '../model/levels';
import { EvaluationSummary } from '../model/evaluationSummary';
import { isSatisfied } from '../levels/computeLevel';

/** A campaign (scorecards §2.11). */
export interface Campaign {
  id: string;
  title: string;
  owner: string;
  brief: string;
  selector: {
    kinds?: string[];
    types?: string[];
    lifecycles?: string[];
    tiers?: (1 | 2 | 3)[];
    owners?: string[];
    systems?: string[];
    domains?: string[];
  };
  goal: { level: LevelId } | { checks: string[] };
  startsAt: string;
  dueAt: string;
  state: 'draft' | 'active' | 'ended';
}

/** One entity as a campaign sees it. */
export interface CampaignEntity {
  evaluation: EvaluationSummary;
  kind: string;
  type?: string;
  owner: string | null;
  system: string | null;
  domain: string | null;
}

/** Status of an entity in a campaign; the four are disjoint. */
export type CampaignStatus =
  | 'done'
  | 'remaining'
  | 'blocked-by-platform'
  | 'overdue';

type Counts = {
  inScope: number;
  done: number;
  remaining: number;
  blockedByPlatform: number;
  overdue: number;
};

/** Campaign progress (scorecards §7.4). */
export interface CampaignProgress {
  campaignId: string;
  asOf: string;
  totals: Counts;
  byOwner: Record<string, Counts>;
  doneOverTime: { date: string; done: number }[];
  /** Every entity in scope with its status and owner (`null`: no owner), by entity ref. */
  entities: {
    entityRef: string;
    status: CampaignStatus;
    owner: string | null;
  }[];
}

function inScope(c: Campaign, e: CampaignEntity): boolean {
  const s = c.selector;
  const ev = e.evaluation;
  if (s.kinds && !s.kinds.includes(e.kind)) return false;
  if (s.types && !(e.type && s.types.includes(e.type))) return false;
  if (s.lifecycles && !s.lifecycles.includes(ev.lifecycle)) return false;
  if (s.tiers && !(ev.tier !== null && s.tiers.includes(ev.tier))) return false;
  if (s.owners && !(e.owner && s.owners.includes(e.owner))) return false;
  if (s.systems && !(e.system && s.systems.includes(e.system))) return false;
  if (s.domains && !(e.domain && s.domains.includes(e.domain))) return false;
  return true;
}

/**
 * Status of one entity (SR38): done when the goal level, capped at the entity's ceiling, is
 * reached or every goal check is satisfied (waived counts; a goal check without a result is
 * not); blocked-by-platform when every
 * unsatisfied goal result is platform-attributed; after dueAt the rest is overdue.
 */
export function campaignStatus(
  campaign: Campaign,
  evaluation: EvaluationSummary,
  asOf: string,
): CampaignStatus {
  let unsatisfied: { attribution: 'service' | 'platform' | null }[];
  if ('level' in campaign.goal) {
    const goal = levelRank(campaign.goal.level);
    if (levelRank(evaluation.level) >= goal) return 'done';
    // The goal is capped at the entity's ceiling, as the expected level is (§2.7): a tier-1
    // Resource whose ladder stops at L2 has nothing left to do for an L3 campaign, and would
    // otherwise be overdue forever. The summary the backend stores carries no ceiling, but a
    // rated entity at its ceiling has no blocker (below it, the next level has an unsatisfied
    // gating check) and is not below its expected level (capped at the same ceiling): a summary
    // that is not both is not taken as done.
    if (
      evaluation.rated &&
      evaluation.blockers.length === 0 &&
      !evaluation.belowExpected
    )
      return 'done';
    unsatisfied = evaluation.blockers.filter(b => levelRank(b.level) <= goal);
  } else {
    // A goal check with no result (not active yet, retired, or newer than the stored set) is
    // not satisfied: §2.6's inactive checks produce no result, not a pass (SR38: done when
    // every goal check is satisfied). Its attribution is unknown, so it is never the
    // platform's.
    const resultOf = new Map(evaluation.results.map(r => [r.checkId, r]));
    unsatisfied = campaign.goal.checks.flatMap((id): typeof unsatisfied => {
      const r = resultOf.get(id);
      if (!r) return [{ attribution: null }];
      return isSatisfied(r) ? [] : [r];
    });
    if (unsatisfied.length === 0) return 'done';
  }
  if (
    unsatisfied.length > 0 &&
    unsatisfied.every(u => u.attribution === 'platform')
  )
    return 'blocked-by-platform';
  return Date.parse(asOf) > Date.parse(campaign.dueAt)
    ? 'overdue'
    : 'remaining';
}

const COUNT_KEY: Record<CampaignStatus, keyof Counts> = {
  done: 'done',
  remaining: 'remaining',
  'blocked-by-platform': 'blockedByPlatform',
  overdue: 'overdue',
};

/** Progress of a campaign over the entities in its selector; `history` carries earlier daily points. */
export function computeCampaignProgress(
  campaign: Campaign,
  entities: readonly CampaignEntity[],
  asOf: string,
  history: readonly { date: string; done: number }[] = [],
): CampaignProgress {
  const zero = (): Counts => ({
    inScope: 0,
    done: 0,
    remaining: 0,
    blockedByPlatform: 0,
    overdue: 0,
  });
  const totals = zero();
  const byOwner: Record<string, Counts> = {};
  const list: CampaignProgress['entities'] = [];
  for (const e of entities) {
    if (!e.evaluation.rated || !inScope(campaign, e)) continue;
    const status = campaignStatus(campaign, e.evaluation, asOf);
    const owner = e.owner ?? '(none)';
    const counts = (byOwner[owner] ??= zero());
    for (const c of [totals, counts]) {
      c.inScope++;
      c[COUNT_KEY[status]]++;
    }
    list.push({ entityRef: e.evaluation.entityRef, status, owner: e.owner });
  }
  const today = asOf.slice(0, 10);
  return {
    campaignId: campaign.id,
    asOf,
    totals,
    byOwner,
    doneOverTime: [
      ...history.filter(h => h.date !== today),
      { date: today, done: totals.done },
    ],
    entities: list.sort((a, b) => (a.entityRef < b.entityRef ? -1 : 1)),
  };
}
