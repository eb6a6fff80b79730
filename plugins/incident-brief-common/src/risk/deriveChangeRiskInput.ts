import { computeBlastRadius } from '../blastRadius/computeBlastRadius';
import {
  AliasResolver,
  resolveChangeSubject,
} from '../changes/resolveChangeSubject';
import {
  LedgerHistory,
  recordedBefore,
  succeededAsOf,
} from '../changes/ledgerHistory';
import { succeededBy } from '../changes/orderChanges';
import { ChangeRecord } from '../changes/types';
import { GraphIndex } from '../graph/GraphIndex';
import { OwnershipResolution } from '../ownership/types';
import { ChangeRiskInput } from './types';

const DAY = 24 * 3600_000;

/** Evidence a caller gathers around one change before scoring it. */
export interface ChangeRiskContext {
  change: ChangeRecord;
  index: GraphIndex;
  /** the entity's ledger records (any order) */
  ledger: ChangeRecord[];
  /**
   * what the ledger knows of the entity beyond `ledger` (records older than the window read):
   * its first record and last succeeded deploy count as history for D3 and D6
   */
  history?: LedgerHistory;
  ownership: OwnershipResolution;
  /**
   * health of the entity (a Resource without its own SLO: the worst of its direct dependents),
   * passed on as read: the input is stored with the risk, and D5 itself counts an impossible
   * number (a negative burn rate, a budget above 1) as missing and names it in its reason
   */
  health: ChangeRiskInput['health'];
  affectedEntityOwners?: string[];
  /** maps aliases of records posted by alias (the change itself included) to refs (R7) */
  resolveAlias?: AliasResolver;
}

/**
 * Assembles {@link ChangeRiskInput} as of the change's `effectiveAt` (§5): the entity's
 * classification, its 3-hop blast radius, rollback target and history (a rollback does not
 * count the change it reverses), and whether on-call resolved through steps 1–3.
 */
export function deriveChangeRiskInput(ctx: ChangeRiskContext): ChangeRiskInput {
  const { change, index } = ctx;
  const entityRef = resolveChangeSubject(change, ctx.resolveAlias);
  // the entity's records, whether posted by ref or by alias
  const ofEntity = (r: ChangeRecord) =>
    entityRef !== null &&
    resolveChangeSubject(r, ctx.resolveAlias) === entityRef;
  const id = entityRef === null ? -1 : index.idOf(entityRef);
  const node =
    id >= 0 ? index.node(id, Date.parse(change.effectiveAt)) : undefined;
  const effective = Date.parse(change.effectiveAt);
  // A ref only named by a relation (a placeholder node, R4) is no catalog entity the search
  // accepts as a root: its radius is unknown (D2 = 2), never the search's 404.
  const searchable = node !== undefined && index.inCatalog(id);

  let total = 0;
  let anyTier1 = false;
  let anyCustomerFacing = false;
  let anyTier1CustomerFacing = false;
  let confidence: ChangeRiskInput['blastRadius']['confidence'] = 'unknown';
  let ratio: number | null = null;
  if (searchable) {
    let cursor: string | undefined;
    do {
      const page = computeBlastRadius(
        index,
        [entityRef!],
        { hops: 3, limit: 5000, cursor },
        change.effectiveAt,
        { examinedEdges: false },
      );
      total = page.counts.total;
      confidence = page.confidence.level;
      ratio = page.confidence.ratio;
      for (const i of page.impacted) {
        if (!i.resolved) continue;
        anyTier1 ||= i.tier === 1;
        anyCustomerFacing ||= i.customerFacing === true;
        anyTier1CustomerFacing ||= i.tier === 1 && i.customerFacing === true;
      }
      cursor = page.nextCursor;
    } while (cursor);
  }

  const earlier = ctx.ledger.filter(
    r =>
      r.id !== change.id &&
      ofEntity(r) &&
      Date.parse(r.effectiveAt) < effective,
  );
  // The change a rollback reverses is history (D6 is known) but not a failure to count against
  // the rollback: it is rolled back because of this change (IB §5 D6).
  const bad = (r: ChangeRecord) =>
    r.id !== change.rollbackOf &&
    (r.status === 'failed' || r.status === 'rolled-back');
  return {
    change,
    entity: {
      tier: node?.tier ?? null,
      customerFacing: node?.customerFacing ?? null,
    },
    blastRadius: {
      total,
      anyTier1,
      anyCustomerFacing,
      anyTier1CustomerFacing,
      confidence,
      ratio,
    },
    earlierSucceededDeploy:
      ctx.ledger.some(
        r =>
          r.id !== change.id &&
          ofEntity(r) &&
          r.kind === 'deploy' &&
          r.status === 'succeeded' &&
          // a rollback target as of the change: one that had succeeded by then, not one still
          // running when it took effect (§5: as of effectiveAt)
          succeededBy(r, effective - 1),
      ) ||
      (ctx.history?.lastSucceededDeploy?.id !== change.id &&
        succeededAsOf(ctx.history?.lastSucceededDeploy, effective - 1) !==
          null),
    history: {
      known: earlier.length > 0 || recordedBefore(ctx.history, effective),
      failedOrRolledBack7d: earlier.filter(
        r => bad(r) && effective - Date.parse(r.effectiveAt) <= 7 * DAY,
      ).length,
      sameKindFailed24h: earlier.some(
        r =>
          bad(r) &&
          r.kind === change.kind &&
          effective - Date.parse(r.effectiveAt) <= DAY,
      ),
    },
    health: ctx.health,
    ownerOnCallResolved: ctx.ownership.onCallResolvedBySteps1to3,
    ...(ctx.affectedEntityOwners
      ? { affectedEntityOwners: ctx.affectedEntityOwners }
      : {}),
  };
}
