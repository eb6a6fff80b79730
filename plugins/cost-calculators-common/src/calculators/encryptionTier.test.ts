import fc from 'fast-check';
import { encryptionTier } from './encryptionTier';
import {
  displays,
  expectOk,
  output,
  ruleStatus,
  vectorContext,
} from '../testing/vectorContext';
import { dec } from '../money';

const run = (input: object) => encryptionTier.compute(input, vectorContext());
const T47 = {
  dataClass: 'critical-pii',
  cryptoOpsPerSecond: 2000,
  appInstances: 20,
  deksPerInstance: 1,
  dekCacheTtlSeconds: 0,
  kmsKeys: 1,
  kmsPricePer10k: 0.03,
  kmsKeyMonthly: 1,
};

describe('C12 encryption-tier vectors (§4)', () => {
  it('T47 no DEK caching', () => {
    const r = expectOk(run(T47));
    expect(output(r, 'cachedCalls').exact).toBe('5256000000');
    expect(output(r, 'kmsMonthlyUncached').display).toBe('15,769.00');
    expect(r.warnings).toContainEqual({
      kind: 'rule',
      subject: 'R-ENC-NOCACHE',
      message:
        'Every operation becomes a 5–20 ms KMS call costing $15,769.00/month.',
    });
  });

  it('T48 five-minute DEK cache', () => {
    const r = expectOk(run({ ...T47, dekCacheTtlSeconds: 300 }));
    expect(output(r, 'cachedCalls').exact).toBe('175200');
    expect(output(r, 'kmsMonthly')).toMatchObject({
      exact: '1.5256',
      display: '1.53',
    });
    expect(r.recommendation).toMatchObject({
      code: 'R-ENC-CLASS',
      severity: 'do',
      sentence:
        'KMS envelope encryption with DEK caching (TTL ≤ 5 min): $1.53/month.',
    });
  });

  it('T49 PCI with HSMs near capacity, stale HSM price', () => {
    const r = expectOk(
      run({
        dataClass: 'pci-regulated',
        cryptoOpsPerSecond: 0,
        appInstances: 1,
        hsmCount: 2,
        hsmOpsPerSecond: 1800,
        hsmOpsCapacityPerHsm: 1000,
      }),
    );
    expect(displays(r, ['hsmMonthly', 'hsmUtilisationPercent'])).toEqual({
      hsmMonthly: '2,190.00',
      hsmUtilisationPercent: '90.0',
    });
    expect(r.recommendation).toMatchObject({
      code: 'R-ENC-EXH',
      severity: 'avoid',
    });
    expect(r.priceBook).toMatchObject({
      oldestVerifiedOn: '2024-06-10',
      oldestEntryId: 'aws.cloudhsm.hsm-hour',
      ageDays: 896,
      stale: true,
    });
    expect(r.warnings.map(w => w.kind)).toContain('stale-prices');
  });

  it('HSM operations with no HSM (hsmCount 0) are exhaustion: avoid, not an unknown under "do"', () => {
    const r = expectOk(
      run({
        dataClass: 'pci-regulated',
        cryptoOpsPerSecond: 0,
        appInstances: 1,
        hsmCount: 0,
        hsmOpsPerSecond: 1800,
        hsmOpsCapacityPerHsm: 1000,
      }),
    );
    expect(ruleStatus(r, 'R-ENC-EXH')).toBe('fired');
    expect(r.recommendation).toMatchObject({
      code: 'R-ENC-EXH',
      severity: 'avoid',
      sentence:
        'No HSM for 1,800 HSM operations/s (0 HSMs): queueing spreads to every caller.',
    });
    expect(output(r, 'hsmUtilisationPercent').exact).toBeNull();
    expect(output(r, 'hsmMonthly').display).toBe('0.00');
  });

  it('T50 zero ops: only the key charge', () => {
    const r = expectOk(
      run({ ...T47, dekCacheTtlSeconds: 300, cryptoOpsPerSecond: 0 }),
    );
    expect(displays(r, ['cachedCalls', 'kmsMonthly'])).toEqual({
      cachedCalls: '0',
      kmsMonthly: '1.00',
    });
  });

  it('T51 pgcrypto for critical PII is blocked', () => {
    const r = expectOk(run({ ...T47, chosenTier: 'pgcrypto' }));
    expect(r.recommendation).toMatchObject({
      code: 'R-ENC-PGC',
      severity: 'blocked',
      sentence:
        'pgcrypto keys pass through the database engine and can surface in pg_stat_activity and logs.',
    });
  });

  it('HSM for critical PII is over-rotation', () => {
    const r = expectOk(
      run({
        ...T47,
        dekCacheTtlSeconds: 300,
        chosenTier: 'hsm',
        hsmHourly: 1.5,
      }),
    );
    expect(ruleStatus(r, 'R-ENC-OVER')).toBe('fired');
    expect(r.warnings).toContainEqual({
      kind: 'rule',
      subject: 'R-ENC-OVER',
      message:
        'Over-rotation: $2,190.00/month plus HSM throughput risk for data KMS covers.',
    });
  });
});

describe('C12 properties', () => {
  it('cached ≤ uncached; kms non-increasing in TTL; hsm linear in count', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1e6 }),
        fc.integer({ min: 1, max: 10000 }),
        fc.integer({ min: 0, max: 86400 }),
        fc.integer({ min: 0, max: 86400 }),
        fc.integer({ min: 0, max: 32 }),
        (ops, inst, t1, t2, count) => {
          const base = { ...T47, cryptoOpsPerSecond: ops, appInstances: inst };
          const r = (t: number) =>
            expectOk(run({ ...base, dekCacheTtlSeconds: t }));
          const lo = r(Math.min(t1, t2));
          const hi = r(Math.max(t1, t2));
          expect(
            dec(output(lo, 'cachedCalls').exact!).lte(
              output(lo, 'uncachedCalls').exact!,
            ),
          ).toBe(true);
          expect(
            dec(output(hi, 'kmsMonthly').exact!).lte(
              output(lo, 'kmsMonthly').exact!,
            ),
          ).toBe(true);
          const hsm = (n: number) =>
            dec(
              output(
                expectOk(
                  run({
                    ...base,
                    dataClass: 'pci-regulated',
                    hsmCount: n,
                    hsmHourly: 1.5,
                  }),
                ),
                'hsmMonthly',
              ).exact!,
            );
          expect(hsm(count).toFixed()).toBe(hsm(1).times(count).toFixed());
        },
      ),
      { numRuns: 60 },
    );
  });
});
