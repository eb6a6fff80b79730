import { InputError } from '@backstage/errors';
import {
  Campaign,
  CampaignEntity,
  CompiledStandard,
  SCORED_KINDS,
  computeCampaignProgress,
} from '@internal/plugin-scorecards-common';
import { oneOf, withoutNul } from '@internal/suite-node';
import { z } from 'zod';

/**
 * The filters of `GET /rollups` (§7.3: kind, lifecycle, tier, level, check, campaign), each one
 * value; given together, an entity must match all of them. They select the entities a rollup
 * counts; rows, columns and numbers are computed as without filters.
 */
export const rollupFilterFields = {
  kind: oneOf('kind', SCORED_KINDS).optional(),
  // As declared on the entity (a value outside `scorecards.lifecycles` is kept as written).
  lifecycle: withoutNul(
    'lifecycle',
    z
      .string()
      .min(1, 'lifecycle must not be empty')
      .max(100, 'lifecycle must be at most 100 characters'),
  ).optional(),
  tier: oneOf('tier', ['1', '2', '3', 'unknown']).optional(),
  level: oneOf('level', [
    'L0',
    'L1',
    'L2',
    'L3',
    'none',
    'not-rated',
  ]).optional(),
  // U+0000 is in no check id or campaign id, and PostgreSQL refuses it in the campaign lookup.
  check: withoutNul('check', z.string()).optional(),
  campaign: withoutNul('campaign', z.string()).optional(),
};

export type RollupFilters = {
  [K in keyof typeof rollupFilterFields]?: z.output<
    (typeof rollupFilterFields)[K]
  >;
};

/**
 * Which entities a rollup with `filters` counts. `check`: entities the check applies to (a
 * result other than `not-applicable`; its row in `checks` then says how they fare). `campaign`:
 * entities in the campaign's scope (rated entities its selector picks, as its progress counts
 * them). 400 for a check not in the standard or a campaign that does not exist.
 */
export function rollupEntityFilter(
  filters: RollupFilters,
  context: {
    standard: CompiledStandard;
    /** The campaign `filters.campaign` names, if it exists. */
    campaign: Campaign | undefined;
    entities: readonly CampaignEntity[];
    now: string;
  },
): (entity: CampaignEntity) => boolean {
  const { standard } = context;
  if (filters.check !== undefined && !standard.byId.has(filters.check)) {
    throw new InputError(
      `check "${filters.check}" is not in the standard ${standard.id}@${standard.version}`,
    );
  }
  if (filters.campaign !== undefined && !context.campaign) {
    throw new InputError(`campaign "${filters.campaign}" does not exist`);
  }
  const inCampaign = context.campaign
    ? new Set(
        computeCampaignProgress(
          context.campaign,
          context.entities,
          context.now,
        ).entities.map(e => e.entityRef),
      )
    : undefined;
  return ({ kind, evaluation: e }) =>
    (filters.kind === undefined || kind === filters.kind) &&
    (filters.lifecycle === undefined || e.lifecycle === filters.lifecycle) &&
    (filters.tier === undefined ||
      String(e.tier ?? 'unknown') === filters.tier) &&
    (filters.level === undefined || e.level === filters.level) &&
    (filters.check === undefined ||
      e.results.some(
        r => r.checkId === filters.check && r.state !== 'not-applicable',
      )) &&
    (inCampaign === undefined || inCampaign.has(e.entityRef));
}
