import { compareStrings } from '../refs/compareStrings';
import { AliasResolver, resolveChangeSubject } from './resolveChangeSubject';
import { ChangeRecord } from './types';

/**
 * The instant of an optional timestamp, or undefined when absent or unreadable. Parsed, never
 * compared as text: `…02:00:00Z` sorts after `…02:00:00.500Z` as a string, and an offset
 * (`…01:00:00-05:00`) sorts by its local clock.
 */
const instant = (iso: string | undefined): number | undefined => {
  if (iso === undefined) return undefined;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? undefined : ms;
};

/** Later first; a missing time after every present one. */
const laterFirst = (a: string | undefined, b: string | undefined) => {
  const x = instant(a);
  const y = instant(b);
  if (x === y) return 0;
  if (x === undefined) return 1;
  if (y === undefined) return -1;
  return y - x;
};

/**
 * Ledger order everywhere (§4.3): effectiveAt desc, in-progress before finished, finishedAt
 * desc, receivedAt desc, id desc. Times are compared as instants.
 */
export function compareChanges(a: ChangeRecord, b: ChangeRecord): number {
  const t = laterFirst(a.effectiveAt, b.effectiveAt);
  if (t !== 0) return t;
  const running = (r: ChangeRecord) => (r.status === 'started' ? 0 : 1);
  if (running(a) !== running(b)) return running(a) - running(b);
  return (
    laterFirst(a.finishedAt, b.finishedAt) ||
    laterFirst(a.receivedAt, b.receivedAt) ||
    compareStrings(b.id, a.id)
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

/**
 * Latest `deploy` with status `succeeded` (§4.4); aliases as in {@link findLastChange}. With
 * `atMs` (a brief at incident time T), only one that had succeeded by T: a deploy still running
 * at T that succeeded after it is the last change, not the version to roll back to.
 */
export function findLastSuccessfulDeploy(
  records: ChangeRecord[],
  entityRef: string,
  environment = 'production',
  resolveAlias?: AliasResolver,
  atMs?: number,
): ChangeRecord | null {
  return (
    orderChanges(records).find(
      r =>
        resolveChangeSubject(r, resolveAlias) === entityRef &&
        r.environment === environment &&
        r.kind === 'deploy' &&
        r.status === 'succeeded' &&
        (atMs === undefined || succeededBy(r, atMs)),
    ) ?? null
  );
}

/** Whether a succeeded record had finished by `ms` (its effective time when it has no end). */
export function succeededBy(record: ChangeRecord, ms: number): boolean {
  return Date.parse(record.finishedAt ?? record.effectiveAt) <= ms;
}
