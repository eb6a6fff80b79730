import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import { ResourcePermission } from '@backstage/plugin-permission-common';
import { Request, Router } from 'express';
import { z } from 'zod';
import {
  fullRef,
  isIsoDate,
  isIsoInstant,
  oneOf,
  parseQuery,
  shown,
} from '@internal/suite-node';
import { RollupSnapshotStore } from './RollupSnapshotStore';

/** A UTC date `YYYY-MM-DD`, or an ISO-8601 instant with a zone (its UTC date is used). */
const day = (field: string) =>
  z
    .string({ error: `${field} must be one date` })
    .refine(v => isIsoDate(v) || isIsoInstant(v), {
      error: iss =>
        `${field} must be a date YYYY-MM-DD or an ISO-8601 UTC timestamp (got ${shown(
          iss.input,
        )})`,
    })
    .transform(v =>
      isIsoDate(v) ? v : new Date(v).toISOString().slice(0, 10),
    );

/** Kinds a key may have for each grouping (owners are groups, or users that own entities). */
const KEY_KINDS = {
  owner: ['group', 'user'],
  system: ['system'],
  domain: ['domain'],
} as const;

const historyQuery = z
  .object({
    groupBy: oneOf('groupBy', ['owner', 'system', 'domain']),
    key: fullRef('key'),
    from: day('from').optional(),
    to: day('to').optional(),
  })
  .superRefine((q, ctx) => {
    const kind = q.key.slice(0, q.key.indexOf(':'));
    const kinds: readonly string[] = KEY_KINDS[q.groupBy];
    if (!kinds.includes(kind)) {
      ctx.addIssue({
        code: 'custom',
        path: ['key'],
        message: `key must be a ${kinds.join(' or ')} ref for groupBy=${
          q.groupBy
        } (got "${q.key}")`,
      });
    }
    if (q.from && q.to && q.from > q.to) {
      ctx.addIssue({
        code: 'custom',
        path: ['from'],
        message: `from must not be after to (got from=${q.from}, to=${q.to})`,
      });
    }
  });

/**
 * `GET /rollups/history?groupBy=owner|system|domain&key=&from=&to=` (scorecards §2.10): the
 * daily rollup snapshots of one owner, System or Domain, `{ points: { date, row,
 * waiversExpiringWithinDays? }[] }` oldest first (the window is absent for snapshots taken
 * before it was recorded). Snapshot rows are aggregates computed with the plugin's own credentials over every
 * stored result, so they are served only for a key the caller may read as a catalog entity
 * (`catalog.entity.read` on the key; 403 otherwise).
 */
export function addRollupHistoryRoute(
  router: Router,
  options: {
    snapshots: RollupSnapshotStore;
    /** The router's httpAuth credentials of the request (401 without valid ones). */
    credentials: (req: Request) => Promise<BackstageCredentials>;
    /** The router's permission check; throws NotAllowedError (403) on deny. */
    authorize: (
      credentials: BackstageCredentials,
      permission: ResourcePermission,
      resourceRef: string,
    ) => Promise<BackstageCredentials>;
  },
): void {
  router.get('/rollups/history', async (req, res) => {
    const creds = await options.credentials(req);
    const query = parseQuery(historyQuery, req.query);
    await options.authorize(creds, catalogEntityReadPermission, query.key);
    const points = await options.snapshots.history(query);
    res.json({ points });
  });
}
