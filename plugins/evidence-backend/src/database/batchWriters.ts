import { ChangeInput } from '@internal/plugin-evidence-common';
import { Knex } from 'knex';
import {
  addChangeCoverage,
  changeLock,
  changeNaturalKeyRef,
  newChangeRow,
} from './ChangeWriter';
import {
  FactWrite,
  factLock,
  factNaturalKey,
  planFactWrite,
} from './FactWriter';
import { lockNaturalKeys } from './naturalKeyLocks';
import { chunkRows } from './chunkRows';
import { existingKeys } from './existingKeys';
import { ChangeRow, FactRow } from './rows';
import { RowContext, WriteResult } from './writeContext';

/** A batch item that set-based statements can write: its row and its response. */
export interface BulkRow<R> {
  row: R;
  result: WriteResult;
}

/**
 * Set-based writes of one record type for batches (§3.6). `plan` reads what exists with bulk
 * statements and builds the rows of items that are plain inserts (undefined: the item goes
 * one by one); `insert` writes them with `ON CONFLICT DO NOTHING` and returns the ids that
 * landed (the others lost a concurrent race); `complete` writes what depends on the landed rows.
 */
export interface BulkWriter<I, R extends { id: string }> {
  plan(
    trx: Knex.Transaction,
    items: { ctx: RowContext; input: I }[],
  ): Promise<(BulkRow<R> | undefined)[]>;
  insert(trx: Knex.Transaction, rows: R[]): Promise<Set<string>>;
  complete(trx: Knex.Transaction, rows: R[]): Promise<void>;
}

const CHANGE_COLUMNS = 35;
const FACT_COLUMNS = 18;

async function insertIgnoring<R extends { id: string }>(
  trx: Knex.Transaction,
  table: string,
  conflictColumns: string[],
  rows: R[],
  columnsPerRow: number,
): Promise<Set<string>> {
  const landed = new Set<string>();
  for (const chunk of chunkRows(trx, rows, columnsPerRow)) {
    const inserted: { id: string }[] = await trx(table)
      .insert(chunk)
      .onConflict(conflictColumns)
      .ignore()
      .returning('id');
    for (const { id } of inserted) landed.add(id);
  }
  return landed;
}

/** Compares natural-key tuples so concurrent batches take unique-index locks in one order. */
function byTuple(a: string[], b: string[]): number {
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  }
  return 0;
}

/** New changes: no row with the natural key yet and no waiting rollback naming it. */
export const changeBulkWriter: BulkWriter<ChangeInput, ChangeRow> = {
  async plan(trx, items) {
    // Before reading: a rollback of one of them being written alone is linked by one side.
    await lockNaturalKeys(
      trx,
      items.map(({ input }) => changeLock(input.source)),
    );
    const pairs = items.map(({ input }) => [
      input.source.system,
      input.source.externalId,
    ]);
    const existing = await existingKeys(
      trx,
      'evidence_changes',
      ['source_system', 'external_id'],
      pairs,
    );
    const waiting = new Set<string>();
    const refs = items.map(({ input }) => changeNaturalKeyRef(input.source));
    for (const chunk of chunkRows(trx, refs, 1)) {
      const rows = await trx<ChangeRow>('evidence_changes')
        .select('rollback_of_ref')
        .whereIn('rollback_of_ref', chunk)
        .whereNull('rollback_of');
      for (const row of rows) waiting.add(row.rollback_of_ref!);
    }
    return items.map(({ ctx, input }, i) =>
      existing.has(JSON.stringify(pairs[i])) || waiting.has(refs[i])
        ? undefined
        : newChangeRow(ctx, input),
    );
  },
  insert(trx, rows) {
    const sorted = [...rows].sort((a, b) =>
      byTuple(
        [a.source_system, a.external_id],
        [b.source_system, b.external_id],
      ),
    );
    return insertIgnoring(
      trx,
      'evidence_changes',
      ['source_system', 'external_id'],
      sorted,
      CHANGE_COLUMNS,
    );
  },
  complete(trx, rows) {
    return addChangeCoverage(trx, rows);
  },
};

/** First values of facts: no latest row for `(subject, source, kind, key)` yet. */
export const factBulkWriter: BulkWriter<FactWrite, FactRow> = {
  async plan(trx, items) {
    const keys = items.map(({ input }) => factNaturalKey(input));
    await lockNaturalKeys(trx, keys.map(factLock));
    const existing = await existingKeys(
      trx,
      'evidence_facts',
      ['subject', 'source', 'kind', 'fact_key'],
      keys,
    );
    return items.map(({ ctx, input }, i) => {
      if (existing.has(JSON.stringify(keys[i]))) return undefined;
      const plan = planFactWrite(ctx, input, undefined);
      return { row: plan.row, result: plan.result };
    });
  },
  insert(trx, rows) {
    const sorted = [...rows].sort((a, b) =>
      byTuple(
        [a.subject, a.source, a.kind, a.fact_key],
        [b.subject, b.source, b.kind, b.fact_key],
      ),
    );
    return insertIgnoring(
      trx,
      'evidence_facts',
      ['subject', 'source', 'kind', 'fact_key'],
      sorted,
      FACT_COLUMNS,
    );
  },
  async complete(trx, rows) {
    // A first value is also its first history row (decideFactWrite: created → historyRow).
    const history = rows.map(row => ({ ...row, granularity: 'raw' }));
    for (const chunk of chunkRows(trx, history, FACT_COLUMNS + 1)) {
      await trx('evidence_fact_history').insert(chunk);
    }
  },
};
