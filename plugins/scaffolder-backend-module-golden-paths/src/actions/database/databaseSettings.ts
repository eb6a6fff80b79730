import type { Config } from '@backstage/config';
import { readConfigNumber } from '@internal/suite-node';
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

const PRICE = /^\d+(\.\d+)?$/;
const PB = 'goldenPaths.database.priceBook';

/** How a config value is named in a refusal: short values as JSON, others by type. */
function shown(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value !== null && typeof value === 'object') return 'an object';
  const json = JSON.stringify(value) ?? String(value);
  return json.length > 40 ? `${json.slice(0, 40)}…` : json;
}

/**
 * A price of the price book as the estimate reads it (a decimal string). Config gives numbers or
 * strings (an environment substitution is a string); anything else, or a negative or non-numeric
 * value, is refused here naming the key, instead of surfacing later as a Decimal error inside an
 * estimate or as a price of `[object Object]`.
 */
function price(key: string, value: unknown): string {
  const text =
    typeof value === 'number' && Number.isFinite(value) ? String(value) : value;
  if (typeof text !== 'string' || !PRICE.test(text.trim())) {
    throw new Error(
      `${key} must be a non-negative price in USD (a number or a decimal string such as "0.20"), got ${shown(
        value,
      )}`,
    );
  }
  return text.trim();
}

/**
 * `goldenPaths.database.priceBook.hourly`. Its keys are price-book skus, which contain dots
 * (`example.rds-postgres.m`): read as one plain object, since `Config#get('a.b.c')` would take
 * each dot as a path step and find nothing.
 */
function readHourly(value: unknown): Record<string, string> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(
      `${PB}.hourly must map price-book skus to hourly prices (for example "example.rds-postgres.m": 0.20), got ${shown(
        value,
      )}`,
    );
  }
  return Object.fromEntries(
    Object.entries(value).map(([sku, v]) => [
      sku,
      price(`${PB}.hourly[${JSON.stringify(sku)}]`, v),
    ]),
  );
}

/**
 * `goldenPaths.database.priceBook` over {@link DEFAULT_DATABASE_PRICES}. Throws, naming the key,
 * on a price that is not one; the module reads it once at startup (`checkGoldenPathsConfig`), so
 * a malformed price book stops the backend rather than the first database request.
 */
export function readDatabasePrices(config: Config): DatabasePriceFacts {
  const d = DEFAULT_DATABASE_PRICES;
  const pb = config.getOptionalConfig(PB);
  if (!pb) return d;
  const hourly = { ...d.hourly, ...readHourly(pb.getOptional('hourly')) };
  const tiers = { ...d.tiers };
  for (const tier of TIERS) {
    const t = pb.getOptionalConfig(`tiers.${tier}`);
    if (!t) continue;
    const threshold = t.getOptional('approvalThresholdMonthly');
    tiers[tier] = {
      ha: t.getOptionalBoolean('ha') ?? d.tiers[tier].ha,
      // Counts and hours multiply every price: a negative one made the estimate fall below the
      // approval threshold and the hard limit (GP-D06) whatever was asked for.
      readReplicas: readConfigNumber(
        config,
        `${PB}.tiers.${tier}.readReplicas`,
        d.tiers[tier].readReplicas,
        { integer: true, min: 0 },
      ),
      approvalThresholdMonthly:
        threshold === undefined
          ? d.tiers[tier].approvalThresholdMonthly
          : price(`${PB}.tiers.${tier}.approvalThresholdMonthly`, threshold),
    };
  }
  const storage = pb.getOptional('storagePerGiBMonth');
  return {
    version: pb.getOptionalString('version') ?? d.version,
    hourly,
    storagePerGiBMonth:
      storage === undefined
        ? d.storagePerGiBMonth
        : price(`${PB}.storagePerGiBMonth`, storage),
    tiers,
    hoursPerMonth: readConfigNumber(
      config,
      `${PB}.hoursPerMonth`,
      d.hoursPerMonth ?? 730,
      { above: 0 },
    ),
  };
}

/** Where the local infrastructure repository lives (§3.3 publish, §9 `publish.local.infraRepo`). */
export function readInfraRepo(config: Config): string {
  return (
    config.getOptionalString('goldenPaths.publish.local.infraRepo') ??
    'platform-infra'
  );
}
