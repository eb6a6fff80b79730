import {
  GP_KEYS,
  DATA_CLASSIFICATIONS,
  DataClassification,
  TIERS_BY_ENVIRONMENT,
} from '../../constants';
import {
  lifecycleOf,
  relationTargets,
  specRefs,
} from '../../catalog/catalogView';
import type { CatalogView } from '../../catalog/catalogView';
import type { GoldenPathsConfig } from '../../config';
import { daysBetween } from '../../format';
import { deny, pass, RuleResult } from '../../errors/catalogue';
import { gpMessages } from '../../errors/messages';
import {
  estimateDatabase,
  priceBookSku,
} from '../../estimate/databaseEstimate';
import type { RequestOf } from '../../request/types';
import { FactRule, RuleContext } from './ruleContext';

/** Longest expiry of a development database (GP-D07). @public */
export const DEV_DATABASE_MAX_DAYS = 90;

function costCenterOf(
  catalog: CatalogView,
  groupRef: string | undefined,
): string | undefined {
  const seen = new Set<string>();
  let current = groupRef;
  while (current && !seen.has(current)) {
    seen.add(current);
    const group = catalog.get(current);
    const own = group?.metadata.annotations?.[GP_KEYS.costCenter];
    if (own) return own;
    current = group
      ? specRefs(group, 'parent')[0] ?? relationTargets(group, 'childOf')[0]
      : undefined;
  }
  return undefined;
}

/**
 * Fills the facts-derived defaults of §3.3: region = the component's first region (else the
 * first offered), classification = the component's, cost centre = the owner group's (inherited
 * through parents, as scorecards' `cost-center-set` reads it).
 *
 * @public
 */
export function deriveDatabaseDefaults(
  request: RequestOf<'database'>,
  catalog: CatalogView,
  config: GoldenPathsConfig,
): RequestOf<'database'> {
  const component = catalog.getOfKind(request.component, 'component');
  const annotations = component?.metadata.annotations ?? {};
  const componentRegion = annotations[GP_KEYS.regions]?.split(',')[0]?.trim();
  const componentClass = annotations[GP_KEYS.dataClassification] as
    | DataClassification
    | undefined;
  const costCenter = costCenterOf(
    catalog,
    component ? catalog.ownerOf(component) : undefined,
  );
  return {
    ...request,
    region:
      request.region ?? (componentRegion || config.policy.regions.offered[0]),
    dataClassification:
      request.dataClassification ??
      (componentClass && DATA_CLASSIFICATIONS.includes(componentClass)
        ? componentClass
        : 'low'),
    ...(request.costCenter ?? costCenter
      ? { costCenter: request.costCenter ?? costCenter }
      : {}),
  };
}

/**
 * GP-D06 (tier limit) or GP-U02 (price missing) from the C15 estimate, which the cost trigger
 * (GP-D10) reads from `ctx.estimate`. Without a price book every entry is missing, and unknown is
 * not pass (GP-U01/U02): the request is refused GP-U02 for its size's entry instead of skipping
 * the limit and the cost approval.
 */
function costResults(r: RequestOf<'database'>, ctx: RuleContext): RuleResult[] {
  if (!ctx.prices) {
    const sku = priceBookSku(r.size, ctx.config);
    return [deny('GP-U02', gpMessages.u02({ sku }), 'size')];
  }
  const estimate = estimateDatabase(r, ctx.prices, ctx.config);
  ctx.estimate = estimate;
  if (!estimate.ok) {
    return [
      deny('GP-U02', gpMessages.u02({ sku: estimate.missingSku }), 'size'),
    ];
  }
  if (!estimate.overLimit) return [pass('GP-D06')];
  return [
    deny(
      'GP-D06',
      gpMessages.d06({
        total: estimate.total,
        tier: r.databaseTier,
        max: estimate.maxMonthly,
      }),
    ),
  ];
}

/** GP-D01…D08, D11 and the estimate (GP-D06, GP-U02; GP-D10 is a trigger, §6). */
export const databaseRules: FactRule = {
  ids: [
    'GP-D01',
    'GP-D02',
    'GP-D03',
    'GP-D04',
    'GP-D05',
    'GP-D06',
    'GP-D07',
    'GP-D08',
    'GP-D11',
  ],
  evaluate(ctx) {
    const r = ctx.request;
    if (r.kind !== 'database') return [];
    const out: RuleResult[] = [];
    // A System or Group named as the component is refused like a missing one (GP-D01).
    const component = ctx.catalog.getOfKind(r.component, 'component');
    if (!component)
      out.push(
        deny('GP-D01', gpMessages.d01({ ref: r.component }), 'component'),
      );
    else {
      const lifecycle = lifecycleOf(component);
      out.push(
        lifecycle === 'deprecated' || lifecycle === 'archived'
          ? deny(
              'GP-D02',
              gpMessages.d02({ ref: r.component, lifecycle }),
              'component',
            )
          : pass('GP-D02'),
      );
    }

    const offeredTiers = TIERS_BY_ENVIRONMENT[r.environment];
    const tierOk = offeredTiers.includes(r.databaseTier);
    if (!tierOk) {
      out.push(
        deny(
          'GP-D03',
          gpMessages.d03({
            tier: r.databaseTier,
            env: r.environment,
            offered: offeredTiers,
          }),
          'databaseTier',
        ),
      );
    }
    const tier = ctx.config.database.tiers[r.databaseTier];
    const sizeOk = tier.sizes.includes(r.size);
    if (!sizeOk) {
      out.push(
        deny(
          'GP-D04',
          gpMessages.d04({
            size: r.size,
            tier: r.databaseTier,
            offered: tier.sizes,
          }),
          'size',
        ),
      );
    }
    const [min, max] = tier.storage;
    if (r.storageGiB < min || r.storageGiB > max) {
      out.push(
        deny(
          'GP-D05',
          gpMessages.d05({
            storage: r.storageGiB,
            min,
            max,
            tier: r.databaseTier,
          }),
          'storageGiB',
        ),
      );
    }

    // The estimate needs a size the tier offers; otherwise GP-D04 already says what to change.
    if (sizeOk) out.push(...costResults(r, ctx));

    if (r.environment === 'dev') {
      const days =
        r.expiresOn === undefined
          ? undefined
          : daysBetween(ctx.now, r.expiresOn);
      // At least tomorrow: the reconciler and the Lifecycle card count a database as expired
      // from 00:00 UTC of its date, so one expiring today would be flagged at its first run.
      if (days === undefined || days > DEV_DATABASE_MAX_DAYS || days < 1) {
        out.push(
          deny(
            'GP-D07',
            gpMessages.d07({ date: r.expiresOn, days }),
            'expiresOn',
          ),
        );
      } else out.push(pass('GP-D07'));
    }

    if (!ctx.config.database.engineVersions.includes(r.engineVersion)) {
      out.push(
        deny(
          'GP-D08',
          gpMessages.d08({
            version: r.engineVersion,
            offered: ctx.config.database.engineVersions,
          }),
          'engineVersion',
        ),
      );
    }
    if (
      r.extraReadReplicas > 0 &&
      (r.databaseTier === 'dev' || r.databaseTier === 'staging')
    ) {
      out.push(deny('GP-D11', gpMessages.d11(), 'extraReadReplicas'));
    }
    return out;
  },
};
