import { AliasResolver, resolveChangeSubject } from './resolveChangeSubject';
import { ChangeRecord } from './types';

const cmpDesc = (a: string | undefined, b: string | undefined) => {
  if (a === b) return 0;
  if (a === undefined) return 1;
  if (b === undefined) return -1;
  return a < b ? 1 : -1;
};

/**
 * Ledger order everywhere (§4.3): effectiveAt desc, in-progress before finished, finishedAt
 * desc, receivedAt desc, id desc. Timestamps are ISO-8601 UTC, so string order is time order.
 */
export function compareChanges(a: ChangeRecord, b: ChangeRecord): number {
  const t = Date.parse(b.effectiveAt) - Date.parse(a.effectiveAt);
  if (t !== 0) return t;
  const running = (r: ChangeRecord) => (r.status === 'started' ? 0 : 1);
  if (running(a) !== running(b)) return running(a) - running(b);
  return (
    cmpDesc(a.finishedAt, b.finishedAt) ||
    cmpDesc(a.receivedAt, b.receivedAt) ||
    cmpDesc(a.id, b.id)
  );
}

/** Returns a new array in ledger order. */
export function orderChanges(records: ChangeRecord[]): ChangeRecord[] {
  return [...records].sort(compareChanges);
}

/**
 * Last change of an entity in an environment: the first record in ledger order that is not
 * cancelled (§4.4). Records posted by alias count when `resolveAlias` maps the alias to the entity.
 */
export function findLastChange(
  records: ChangeRecord[],
  entityRef: string,
  environment = 'production',
  resolveAlias?: AliasResolver,
): ChangeRecord | null {
  return (
    orderChanges(records).find(
      r =>
        resolveChangeSubject(r, resolveAlias) === entityRef &&
        r.environment === environment &&
        r.status !== 'cancelled',
    ) ?? null
  );
}

/** Latest `deploy` with status `succeeded` (§4.4); aliases as in {@link findLastChange}. */
export function findLastSuccessfulDeploy(
  records: ChangeRecord[],
  entityRef: string,
  environment = 'production',
  resolveAlias?: AliasResolver,
): ChangeRecord | null {
  return (
    orderChanges(records).find(
      r =>
        resolveChangeSubject(r, resolveAlias) === entityRef &&
        r.environment === environment &&
        r.kind === 'deploy' &&
        r.status === 'succeeded',
    ) ?? null
  );
}
