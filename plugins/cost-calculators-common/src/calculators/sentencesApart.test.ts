import { cacheMemoryBudget } from './cacheMemoryBudget';
import { failoverRto } from './failoverRto';
import { provisioningEstimate } from './provisioningEstimate';
import { rightsizeP95 } from './rightsizeP95';
import { expectOk, vectorContext } from '../testing/vectorContext';

/**
 * Rules decide on exact values; a sentence that says one value is above another prints them
 * with as many decimals as it takes to differ, never "70.0% is above the 70.0% target".
 */
const sentenceOf = (
  calculator: { compute: typeof rightsizeP95.compute },
  input: object,
  ruleId: string,
) => {
  const result = expectOk(calculator.compute(input, vectorContext()));
  const rule = result.rules.find(r => r.id === ruleId);
  if (rule?.status !== 'fired') {
    throw new Error(`${ruleId} did not fire: ${JSON.stringify(rule)}`);
  }
  // A fired rule's sentence is the recommendation or a warning beside it.
  return [
    result.recommendation.sentence,
    ...result.warnings.map(w => w.message),
  ].join('\n');
};

/** C14's vector T53 (cacheMemoryBudget.test.ts) without its TTL share. */
const CACHE_T53 = {
  keyCount: 50_000_000,
  avgKeyBytes: 40,
  avgValueBytes: 400,
  perKeyOverheadBytes: 64,
  headroomPercent: 25,
  provisionedGiB: 26,
  pricePerGiBHour: 0.03,
};

describe('sentences print compared values apart', () => {
  it.each([
    [
      'rightsize-p95: a peak just above the target',
      rightsizeP95,
      {
        currentMonthly: 10000,
        p95CpuPercent: 70.04,
        p95MemoryPercent: 22,
        targetPeakPercent: 70,
        stepsAvailable: 3,
        profileDays: 90,
      },
      'R-RS-UP',
      'P95 70.04% is above the 70.00% target',
    ],
    [
      'provisioning-estimate: a total a fraction of a cent over the threshold',
      provisioningEstimate,
      {
        databaseTier: 'dev',
        instanceHourly: 0.5,
        ha: false,
        readReplicas: 0,
        storageGiB: 500,
        storagePricePerGiBMonth: 0.115,
        backupGiBBeyondFree: 0,
        backupPricePerGiBMonth: 0.095,
        // 365 + 57.50 = 422.50 exactly; the threshold a fraction of a cent below.
        approvalThresholdMonthly: 422.496,
      },
      'R-PROV-APPROVAL',
      'Estimated $422.500/month is above the dev threshold of $422.496',
    ],
    [
      'failover-rto: a recovery a few milliseconds over the target',
      failoverRto,
      {
        service: 'aurora',
        providerFailoverSeconds: 30,
        dnsTtlSeconds: 5,
        clientDnsCacheSeconds: 30,
        poolValidatesOnBorrow: false,
        staleConnectionTimeoutSeconds: 60,
        reconnectSeconds: 2,
        // T43's estimate is 120 s.
        targetRtoSeconds: 119.996,
      },
      'R-FO-RTO',
      'Estimated client recovery 120 s misses the 119.996 s target',
    ],
    [
      'cache-memory-budget: a share of keys without a TTL below the display',
      cacheMemoryBudget,
      { ...CACHE_T53, keysWithTtlPercent: 99.99 },
      'R-CACHE-TTL',
      '0.01% of keys never expire',
    ],
  ])('%s', (_name, calculator, input, ruleId, expected) => {
    expect(sentenceOf(calculator, input, ruleId)).toContain(expected);
  });

  it('prints two values closer than six more decimals exactly', () => {
    expect(
      sentenceOf(
        cacheMemoryBudget,
        { ...CACHE_T53, keysWithTtlPercent: 99.999999999 },
        'R-CACHE-TTL',
      ),
    ).toContain('0.000000001% of keys never expire');
  });

  it('keeps the display when the values print apart anyway', () => {
    expect(
      sentenceOf(
        rightsizeP95,
        {
          currentMonthly: 10000,
          p95CpuPercent: 85,
          p95MemoryPercent: 40,
          targetPeakPercent: 70,
          stepsAvailable: 3,
          profileDays: 90,
        },
        'R-RS-UP',
      ),
    ).toContain('P95 85.0% is above the 70.0% target');
  });
});
