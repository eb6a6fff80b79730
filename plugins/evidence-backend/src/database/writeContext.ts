import { Knex } from 'knex';
import { Warning } from '@internal/plugin-evidence-common';
import { AliasResolver } from '../service/AliasResolver';
import { EvidenceOptions } from '../service/evidenceConfig';

/** What every writer needs: the transaction, the receipt clock, the principal and the maps. */
export interface WriteContext {
  trx: Knex.Transaction;
  /** Server receipt time (`receivedAt` / `collectedAt`) in epoch ms and ISO form. */
  now: number;
  nowIso: string;
  /**
   * Server clock when the rows are written, stamped as `updated_ms` (the `GET /entities/changed`
   * feed); `now` when absent. Differs from `now` for collector writes, whose `now` is the
   * collector's time (often its run's start) while the write happens later in the run.
   */
  writtenAt?: number;
  principal: string;
  idempotencyKey?: string;
  resolver: AliasResolver;
  options: EvidenceOptions;
  demo: boolean;
}

/** What building a row needs: a {@link WriteContext} without the transaction. */
export type RowContext = Omit<WriteContext, 'trx'>;

/** One accepted write: the status of §3.1 and the single-route response body of §3.3. */
export interface WriteResult {
  status: 200 | 201;
  response: { record: unknown; warnings: Warning[]; unchanged?: true };
  id: string;
  /** Change ids whose risk must be (re)computed (published on `evidence.changes`). */
  changeIds?: string[];
  /** Entity refs whose evidence changed, for cache invalidation and CI summaries. */
  entityRefs?: string[];
}
