import { LoggerService } from '@backstage/backend-plugin-api';
import { EventsService } from '@backstage/plugin-events-node';
import { Knex } from 'knex';

/** The topic of committed ledger writes; incident-brief scores risk from it (§3.5, R-13). */
export const EVIDENCE_CHANGES_TOPIC = 'evidence.changes';

const SECOND_MS = 1000;
const HOUR_MS = 3600 * SECOND_MS;

/** Changes received longer ago than this are no longer re-published (§3.5: the last 24 h). */
export const RISK_SWEEP_LOOKBACK_MS = 24 * HOUR_MS;
/**
 * Changes younger than this are left to their own ingestion event, which is normally still being
 * handled; the sweep is for events that were lost.
 */
export const RISK_SWEEP_MIN_AGE_MS = 60 * SECOND_MS;
/** Ids per pass, published as one event (an ingestion batch publishes up to 500 ids too). */
export const RISK_SWEEP_BATCH_SIZE = 500;

/** The event every ledger write publishes, and the sweep publishes again. */
export function changesEvent(ids: string[]): {
  topic: string;
  eventPayload: { ids: string[] };
} {
  return { topic: EVIDENCE_CHANGES_TOPIC, eventPayload: { ids } };
}

/** What {@link RiskSweep} needs. */
export interface RiskSweepOptions {
  db: Knex;
  events: Pick<EventsService, 'publish'>;
  logger: LoggerService;
  clock?: () => Date;
  batchSize?: number;
  lookbackMs?: number;
  minAgeMs?: number;
}

/**
 * The `evidence-risk-sweep` pass (§3.5, §4.1): changes whose `risk` is still null and that were
 * received in the last 24 h are published again on `evidence.changes` with the payload of an
 * ingestion (`{ ids }`), so a lost event does not leave a risk null for good. incident-brief's
 * subscriber skips ids it already holds and treats an already-set risk as done, so a repeated id
 * costs a lookup and never a second risk.
 *
 * Each pass publishes at most one batch, oldest receipt first. A pass that fills its batch
 * leaves a cursor after its last change, so the next pass continues there and a head of changes
 * that can never be scored (an entity not in the catalog) does not starve the others; a pass
 * that reaches the end starts again from the oldest.
 */
export class RiskSweep {
  /** Where the next pass continues: after this (receipt, id); undefined = from the oldest. */
  private cursor: { receivedMs: number; id: string } | undefined;

  constructor(private readonly options: RiskSweepOptions) {}

  /** Publishes the next batch of pending ids; returns how many were published. */
  async run(): Promise<{ published: number }> {
    const now = (this.options.clock?.() ?? new Date()).getTime();
    const batchSize = this.options.batchSize ?? RISK_SWEEP_BATCH_SIZE;
    const from = now - (this.options.lookbackMs ?? RISK_SWEEP_LOOKBACK_MS);
    const to = now - (this.options.minAgeMs ?? RISK_SWEEP_MIN_AGE_MS);
    let rows = await this.pending(from, to, batchSize, this.cursor);
    if (rows.length === 0 && this.cursor) {
      // The previous pass ended on a full batch that was the last one: wrap around now.
      rows = await this.pending(from, to, batchSize, undefined);
    }
    if (rows.length < batchSize) {
      this.cursor = undefined;
    } else {
      const last = rows[rows.length - 1];
      this.cursor = { receivedMs: Number(last.received_ms), id: last.id };
    }
    if (rows.length === 0) return { published: 0 };
    const ids = rows.map(r => r.id);
    await this.options.events.publish(changesEvent(ids));
    this.options.logger.debug(
      `evidence risk sweep re-published ${ids.length} change${
        ids.length === 1 ? '' : 's'
      } without risk on ${EVIDENCE_CHANGES_TOPIC}`,
    );
    return { published: ids.length };
  }

  /** Changes without risk received in `[from, to]`, oldest first, after the cursor. */
  private async pending(
    from: number,
    to: number,
    limit: number,
    cursor: { receivedMs: number; id: string } | undefined,
  ): Promise<{ id: string; received_ms: unknown }[]> {
    // The partial index `evidence_changes_risk_pending (received_ms) WHERE risk_json IS NULL`
    // serves this query.
    return (
      this.options
        .db('evidence_changes')
        .select('id', 'received_ms')
        .whereNull('risk_json')
        // A change no entity claims (R7) has nothing to score it against until one does, and each
        // re-published id makes incident-brief re-read its ledger window: re-publishing it every
        // minute for a day would be load without a result. Re-resolution publishes nothing either,
        // so such a change is scored by the next sweep after it resolves.
        .whereNot('resolution', 'unresolved')
        .where('received_ms', '>=', from)
        .where('received_ms', '<=', to)
        .modify(q => {
          if (cursor) {
            q.where(w =>
              w
                .where('received_ms', '>', cursor.receivedMs)
                .orWhere(e =>
                  e
                    .where('received_ms', cursor.receivedMs)
                    .where('id', '>', cursor.id),
                ),
            );
          }
        })
        .orderBy([
          { column: 'received_ms', order: 'asc' },
          { column: 'id', order: 'asc' },
        ])
        .limit(limit)
    );
  }
}
