import { ChangeRecord } from './types';

/** Maps an alias to the ref of the entity that holds it now, or null (the index's alias map). */
export type AliasResolver = (alias: string) => string | null;

/**
 * The record's entity at read time: its ref, else its alias through the current alias map. Every
 * ledger read that selects an entity's records goes through this, so a record posted by alias
 * counts for that entity once the alias exists (R7).
 */
export function resolveChangeSubject(
  record: ChangeRecord,
  resolveAlias?: AliasResolver,
): string | null {
  if (record.entityRef) return record.entityRef.toLocaleLowerCase('en-US');
  if (record.alias && resolveAlias) return resolveAlias(record.alias);
  return null;
}
