import Decimal from 'decimal.js';
import type { DatabaseTier } from '../constants';
import type { GoldenPathsConfig } from '../config';

/**
 * What the backend reads from the price book (cost-calculators C15) for one estimate. Amounts
 * are decimal strings so no binary float ever touches money.
 *
 * @public
 */
export interface DatabasePriceFacts {
  /** Resolved price-book version, hashed into the plan digest. */
  version: string;
  /** Hourly instance price per price-book sku id (`example.rds-postgres.m` → `'0.20'`). */
  hourly: Record<string, string>;
  /** Storage price per GiB-month (`'0.115'`). */
  storagePerGiBMonth: string;
  /** C15 tier shape and the approval threshold per month. */
  tiers: Record<
    DatabaseTier,
    { ha: boolean; readReplicas: number; approvalThresholdMonthly: string }
  >;
  /** Hours per month (C15: 730). */
  hoursPerMonth?: number;
}

/**
 * A database estimate: C15 arithmetic plus this note's tier limit (GP-D06) and threshold
 * (GP-D10). Decimal amounts are strings with two decimals.
 *
 * @public
 */
export type DatabaseEstimate =
  | {
      ok: true;
      sku: string;
      instances: number;
      computeMonthly: string;
      storageMonthly: string;
      total: string;
      threshold: string;
      maxMonthly: string;
      overThreshold: boolean;
      overLimit: boolean;
      priceBookVersion: string;
    }
  | { ok: false; missingSku: string };

/** The price-book sku of a database size (§9 `database.sizes`), as GP-U02 names it. */
export function priceBookSku(size: string, config: GoldenPathsConfig): string {
  return (
    config.database.sizes.find(s => s.id === size)?.priceBookSku ??
    `(size ${size})`
  );
}

/**
 * `total = hourly × 730 × n + storageGiB × price × n` with `n = (ha ? 2 : 1) + tier replicas +
 * extraReadReplicas` (RDS Multi-AZ multipliers 2/2; backup beyond free = 0) (§9).
 *
 * @public
 */
export function estimateDatabase(
  request: {
    size: string;
    databaseTier: DatabaseTier;
    storageGiB: number;
    extraReadReplicas: number;
  },
  prices: DatabasePriceFacts,
  config: GoldenPathsConfig,
): DatabaseEstimate {
  const sku = priceBookSku(request.size, config);
  const hourly = prices.hourly[sku];
  if (hourly === undefined) return { ok: false, missingSku: sku };
  const tier = prices.tiers[request.databaseTier];
  const instances =
    (tier.ha ? 2 : 1) + tier.readReplicas + request.extraReadReplicas;
  const compute = new Decimal(hourly)
    .times(prices.hoursPerMonth ?? 730)
    .times(instances);
  const storage = new Decimal(request.storageGiB)
    .times(prices.storagePerGiBMonth)
    .times(instances);
  const total = compute.plus(storage).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
  const threshold = new Decimal(tier.approvalThresholdMonthly);
  const max = new Decimal(
    config.database.tiers[request.databaseTier].maxMonthly,
  );
  return {
    ok: true,
    sku,
    instances,
    computeMonthly: compute.toFixed(2),
    storageMonthly: storage.toFixed(2),
    total: total.toFixed(2),
    threshold: threshold.toFixed(2),
    maxMonthly: max.toFixed(2),
    overThreshold: total.greaterThan(threshold),
    overLimit: total.greaterThan(max),
    priceBookVersion: prices.version,
  };
}
