import type {
  EvaluationSummary,
  RollupEntry,
  Transition,
  Waiver,
} from '@internal/plugin-scorecards-common';
import { ScorecardsStore } from '../database/ScorecardsStore';
import { LoadedSnapshot } from '../evaluation/CatalogSnapshot';
import { campaignEntities } from '../evaluation/ScorecardsEvaluator';

const DAY_MS = 86400000;

function groupByRef<T extends { entityRef: string }>(
  items: readonly T[],
): Map<string, T[]> {
  const byRef = new Map<string, T[]>();
  for (const item of items) {
    const list = byRef.get(item.entityRef);
    if (list) list.push(item);
    else byRef.set(item.entityRef, [item]);
  }
  return byRef;
}

/**
 * What `computeRollups` needs per entity (§2.11): its owner, System and Domain from the catalog
 * snapshot, its stored waivers and its level regressions of the last 7 days. Used by
 * `GET /rollups` (over the entities the caller may read) and by the daily rollup snapshots
 * (over every stored latest result).
 */
export async function rollupEntriesOf(options: {
  store: ScorecardsStore;
  evaluations: readonly EvaluationSummary[];
  snapshot: LoadedSnapshot;
  now: string;
  /**
   * The checks of the standard: a kept waiver of a check it does not define (a rename) applies
   * to nothing and is not counted as active or expiring.
   */
  definedChecks: { has(checkId: string): boolean };
}): Promise<RollupEntry[]> {
  const { store, evaluations, snapshot, now, definedChecks } = options;
  const [waivers, regressions] = await Promise.all([
    // Only a stored `active` waiver can count (`isWaiverActive`); expired, revoked and rejected
    // ones pile up for as long as the store keeps them.
    store.listWaivers({ statuses: ['active'] }),
    store.listTransitions({
      from: new Date(Date.parse(now) - 7 * DAY_MS).toISOString(),
      regressionsOnly: true,
    }),
  ]);
  const waiversByRef = groupByRef<Waiver>(
    waivers.filter(w => definedChecks.has(w.checkId)),
  );
  const levelRegressionsByRef = groupByRef<Transition>(
    regressions.filter(t => t.checkId === null),
  );
  return campaignEntities(evaluations, snapshot).map(e => ({
    evaluation: e.evaluation,
    owner: e.owner,
    system: e.system,
    domain: e.domain,
    waivers: waiversByRef.get(e.evaluation.entityRef) ?? [],
    regressions7d:
      levelRegressionsByRef.get(e.evaluation.entityRef)?.length ?? 0,
  }));
}
