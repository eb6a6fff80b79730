import {
  WAIVER_KINDS,
  WAIVER_STATUSES,
  type Waiver,
} from '@internal/plugin-scorecards-common';

const KINDS: ReadonlySet<string> = new Set(WAIVER_KINDS);
const STATUSES: ReadonlySet<string> = new Set(WAIVER_STATUSES);

/** Whether `item` has the fields the engine reads, of the types it reads them as. */
function isWaiver(item: unknown): item is Waiver {
  if (typeof item !== 'object' || item === null) return false;
  const w = item as Record<string, unknown>;
  const text = (key: string) => typeof w[key] === 'string';
  const optionalText = (key: string) => w[key] === undefined || text(key);
  return (
    text('id') &&
    text('entityRef') &&
    text('checkId') &&
    text('expiresAt') &&
    KINDS.has(w.kind as string) &&
    STATUSES.has(w.status as string) &&
    optionalText('approvedAt') &&
    optionalText('revokedAt')
  );
}

/**
 * The body of `GET /waivers?status=active`, held to the shape the engine reads. A body without
 * an `items` list is a failed read (the cache keeps its previous list). A single malformed
 * waiver is left out rather than failing the read: the engine would otherwise throw on every
 * evaluation, and a missing waiver can only make a level lower, never higher.
 */
export function parseActiveWaivers(body: unknown): {
  waivers: Waiver[];
  dropped: number;
} {
  const items = (body as { items?: unknown } | null)?.items;
  if (!Array.isArray(items)) {
    throw new Error(
      `the waiver list has no items array (got ${
        items === undefined ? 'none' : typeof items
      })`,
    );
  }
  const waivers: Waiver[] = [];
  for (const item of items) if (isWaiver(item)) waivers.push(item);
  return { waivers, dropped: items.length - waivers.length };
}
