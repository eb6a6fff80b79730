/* eslint-disable no-console */
/*
 * Recompute time of every calculator: what one keystroke in a card costs.
 * Run from the repository root:
 *   node -r @backstage/cli/config/nodeTransform.cjs bench/cost-calculators/computeTimes.ts [iterations]
 * Inputs are the design note's §4 vectors (one per calculator); the context is
 * the default book at the note's asOf, as the card computes it.
 */
import {
  CALCULATORS,
  CalculatorId,
  DEFAULT_PRICE_BOOK,
  applyPriceBookOverrides,
} from '@internal/plugin-cost-calculators-common';

const VECTORS: Record<CalculatorId, Record<string, unknown>> = {
  'rightsize-p95': {
    currentMonthly: '10000',
    p95CpuPercent: '18',
    p95MemoryPercent: '22',
    targetPeakPercent: '70',
    stepsAvailable: '3',
    profileDays: '90',
  },
  'ri-vs-rightsize': {
    currentMonthly: '10000',
    discountNowPercent: '50',
    termNowMonths: '36',
    rightSizedMonthly: '4000',
    discountLaterPercent: '30',
    termLaterMonths: '12',
    daysSinceMigration: '120',
    profileDays: '90',
    horizonMonths: '36',
  },
  'commitment-break-even': {
    onDemandMonthly: '4000',
    upfront: '33600',
    recurringMonthly: '0',
    termMonths: '12',
    expectedUsageMonths: '12',
  },
  'bigquery-capacity': {
    etlTiBPerMonth: '3200',
    adhocTiBPerMonth: '400',
    onDemandPerTiB: '6.25',
    baselineSlots: '500',
    slotHourPrice: '0.048',
  },
  'bigquery-query-guard': {
    tableTiB: '80',
    totalPartitions: '365',
    partitionsScanned: '7',
    columnSharePercent: '25',
    onDemandPerTiB: '6.25',
    perQueryBudget: '50',
  },
  'db-licensing': {
    engineEdition: 'sqlserver-enterprise',
    offerId: 'azure.vm.sqlserver',
    vcpus: '8',
    ownedLicenceUnits: '8',
    sku: 'example.sqlserver-ent',
  },
  'oss-migration-payback': {
    currentMonthly: '20000',
    targetMonthly: '6000',
    storedProcedures: '400',
    hoursPerProcedure: '16',
    schemaConversionHours: '300',
    testingHours: '800',
    engineeringRatePerHour: '120',
    otherOneTime: '50000',
    dualRunMonths: '3',
    horizonMonths: '60',
  },
  'nonprod-schedule': {
    environment: 'dev',
    computeHourly: '2',
    alwaysOnMonthly: '100',
    onHoursPerWeek: '60',
  },
  'storage-tiering': {
    totalGiB: '10000',
    coldPercent: '70',
    hotPricePerGiBMonth: '0.023',
    coldPricePerGiBMonth: '0.004',
    retrievalPricePerGiB: '0.03',
    retrievalGiBPerMonth: '200',
    transitionOneTime: '35',
  },
  'connection-budget': {
    maxConnections: '500',
    headroomPercent: '20',
    superuserReserved: '3',
    operationalReserve: '10',
    clients: [
      { name: 'web', maxInstances: '50', poolSize: '5' },
      { name: 'worker', maxInstances: '10', poolSize: '5' },
    ],
  },
  'failover-rto': {
    service: 'aurora',
    providerFailoverSeconds: '30',
    dnsTtlSeconds: '5',
    clientDnsCacheSeconds: '30',
    poolValidatesOnBorrow: false,
    staleConnectionTimeoutSeconds: '60',
    reconnectSeconds: '2',
    targetRtoSeconds: '60',
  },
  'encryption-tier': {
    dataClass: 'critical-pii',
    cryptoOpsPerSecond: '2000',
    appInstances: '20',
    deksPerInstance: '1',
    dekCacheTtlSeconds: '300',
    kmsKeys: '1',
  },
  'cross-region-replica': {
    primaryInstanceMonthly: '2000',
    replicaSizeFactor: '1',
    storageGiB: '1000',
    storagePricePerGiBMonth: '0.1',
    changeGiBPerMonth: '3000',
    transferPricePerGiB: '0.02',
    replicas: '1',
  },
  'cache-memory-budget': {
    keyCount: '50000000',
    avgKeyBytes: '40',
    avgValueBytes: '400',
    perKeyOverheadBytes: '64',
    headroomPercent: '25',
    provisionedGiB: '26',
    pricePerGiBHour: '0.03',
    keysWithTtlPercent: '60',
  },
  'provisioning-estimate': {
    databaseTier: 'production-standard',
    instanceHourly: '0.5',
    ha: true,
    haInstanceMultiplier: '2',
    haStorageMultiplier: '2',
    readReplicas: '1',
    storageGiB: '500',
    storagePricePerGiBMonth: '0.115',
    backupGiBBeyondFree: '200',
    backupPricePerGiBMonth: '0.095',
    approvalThresholdMonthly: '1000',
  },
};

const iterations = Number(process.argv[2] ?? 10_000);
const ctx = {
  asOf: '2026-11-23',
  priceBook: applyPriceBookOverrides(DEFAULT_PRICE_BOOK),
};

console.log(
  `calculator | µs/call (mean of ${iterations}) | recommendation code`,
);
console.log('---|---|---');
for (const [id, input] of Object.entries(VECTORS) as [
  CalculatorId,
  Record<string, unknown>,
][]) {
  const calc = CALCULATORS[id];
  const first = calc.compute(input, ctx);
  if (!first.ok) {
    throw new Error(`${id}: ${first.errors.map(e => e.message).join(' ')}`);
  }
  for (let i = 0; i < 200; i++) calc.compute(input, ctx); // warm-up
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) calc.compute(input, ctx);
  const micros = Number(process.hrtime.bigint() - start) / 1000 / iterations;
  console.log(
    `${id} | ${micros.toFixed(1)} | ${first.result.recommendation.code}`,
  );
}
