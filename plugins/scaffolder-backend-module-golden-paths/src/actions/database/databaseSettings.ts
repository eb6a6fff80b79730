import type { Config } from '@backstage/config';
import type {
  DatabasePriceFacts,
  DatabaseTier,
} from '@internal/plugin-golden-paths-common';

// Settings of the database actions (golden-paths.md §9), read on every invocation with the
// note's defaults, so the module works without any `goldenPaths.database` block.

/**
 * The price-book slice of C15 (cost-calculators price book v2026.11.0, illustrative prices of
 * §9): hourly instance prices per sku, storage per GiB-month, tier shape and approval thresholds.
 * `goldenPaths.database.priceBook` overrides it key by key.
 */
export const DEFAULT_DATABASE_PRICES: DatabasePriceFacts = {
  version: '2026.11.0',
  hourly: {
    'example.rds-postgres.s': '0.10',
    'example.rds-postgres.m': '0.20',
    'example.rds-postgres.l': '0.40',
    'example.rds-postgres.xl': '0.80',
    'example.rds-postgres.2xl': '1.60',
  },
  storagePerGiBMonth: '0.115',
  tiers: {
    dev: { ha: false, readReplicas: 0, approvalThresholdMonthly: '500' },
    staging: { ha: false, readReplicas: 0, approvalThresholdMonthly: '1000' },
    'production-standard': {
      ha: true,
      readReplicas: 1,
      approvalThresholdMonthly: '2000',
    },
    'production-critical': {
      ha: true,
      readReplicas: 2,
      approvalThresholdMonthly: '5000',
    },
  },
  hoursPerMonth: 730,
};

const TIERS: DatabaseTier[] = [
  'dev',
  'staging',
  'production-standard',
  'production-critical',
];

/** `goldenPaths.database.priceBook` over {@link DEFAULT_DATABASE_PRICES}. */
export function readDatabasePrices(config: Config): DatabasePriceFacts {
  const d = DEFAULT_DATABASE_PRICES;
  const pb = config.getOptionalConfig('goldenPaths.database.priceBook');
  if (!pb) return d;
  const hourly = { ...d.hourly };
  const hourlyCfg = pb.getOptionalConfig('hourly');
  for (const sku of hourlyCfg?.keys() ?? []) {
    hourly[sku] = String(hourlyCfg!.get(sku));
  }
  const tiers = { ...d.tiers };
  for (const tier of TIERS) {
    const t = pb.getOptionalConfig(`tiers.${tier}`);
    if (!t) continue;
    tiers[tier] = {
      ha: t.getOptionalBoolean('ha') ?? d.tiers[tier].ha,
      readReplicas:
        t.getOptionalNumber('readReplicas') ?? d.tiers[tier].readReplicas,
      approvalThresholdMonthly: String(
        t.getOptional('approvalThresholdMonthly') ??
          d.tiers[tier].approvalThresholdMonthly,
      ),
    };
  }
  const storage = pb.getOptional('storagePerGiBMonth');
  return {
    version: pb.getOptionalString('version') ?? d.version,
    hourly,
    storagePerGiBMonth:
      storage === undefined ? d.storagePerGiBMonth : String(storage),
    tiers,
    hoursPerMonth: pb.getOptionalNumber('hoursPerMonth') ?? d.hoursPerMonth,
  };
}

/** Where the local infrastructure repository lives (§3.3 publish, §9 `publish.local.infraRepo`). */
export function readInfraRepo(config: Config): string {
  return (
    config.getOptionalString('goldenPaths.publish.local.infraRepo') ??
    'platform-infra'
  );
}
