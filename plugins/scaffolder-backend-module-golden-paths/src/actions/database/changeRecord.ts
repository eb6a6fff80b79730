import type { LoggerService } from '@backstage/backend-plugin-api';
import type { BatchItemResult } from '@internal/plugin-evidence-node';
import type {
  DatabaseChangeWriter,
  DatabaseInfraChange,
} from './databaseApply';

/**
 * Posts one change record of a database effect (apply's creation record, the destroy's tombstone)
 * to the change ledger. Never throws: the effect already happened, so a lost record is a gap in
 * evidence, not a failed step. Every loss is a warning naming the key and why: a call that
 * failed, and an item the batch answer reports failed (the evidence service answers a batch with
 * 200 and per-item outcomes, e.g. 400 for a record its schema refuses, 409 for a key already used
 * with another body), which a resolved call alone does not show.
 */
export async function postChangeRecord(
  changes: DatabaseChangeWriter | undefined,
  change: DatabaseInfraChange,
  logger: Pick<LoggerService, 'info' | 'warn'>,
): Promise<void> {
  const key = change.idempotencyKey;
  if (!changes) {
    logger.info(
      `change ${key} (infra, ${change.environment}) not posted: no change ledger configured`,
    );
    return;
  }
  let answer: unknown;
  try {
    answer = await changes.writeChanges([change]);
  } catch (e) {
    logger.warn(`change ${key} could not be posted: ${(e as Error).message}`);
    return;
  }
  const results = (answer as { results?: unknown } | undefined)?.results;
  for (const r of Array.isArray(results)
    ? (results as Partial<BatchItemResult>[])
    : []) {
    if (!r.error && (r.status ?? 200) < 400) continue;
    logger.warn(
      `change ${
        r.idempotencyKey ?? key
      } was not recorded by the change ledger (${r.status ?? 'failed'}${
        r.error ? ` ${r.error.code}: ${r.error.message}` : ''
      })`,
    );
  }
}
