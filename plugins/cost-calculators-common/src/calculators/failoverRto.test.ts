import fc from 'fast-check';
import { failoverRto } from './failoverRto';
import {
  displays,
  expectErrors,
  expectOk,
  output,
  ruleStatus,
  vectorContext,
} from '../testing/vectorContext';
import { dec } from '../money';

const run = (input: object) => failoverRto.compute(input, vectorContext());
const T43 = {
  service: 'aurora',
  providerFailoverSeconds: 30,
  dnsTtlSeconds: 5,
  clientDnsCacheSeconds: 30,
  poolValidatesOnBorrow: false,
  staleConnectionTimeoutSeconds: 60,
  reconnectSeconds: 2,
  targetRtoSeconds: 60,
};
const VERIFY =
  "Verify by killing the primary and timing the application's recovery end to end.";

describe('C11 failover-rto vectors (§4)', () => {
  it('T43 Aurora with a stale pool takes 120 s', () => {
    const r = expectOk(run(T43));
    expect(displays(r, ['estimatedRto', 'rtoGap'])).toEqual({
      estimatedRto: '120',
      rtoGap: '60',
    });
    expect(r.recommendation).toMatchObject({
      code: 'R-FO-RTO',
      severity: 'avoid',
    });
    expect(r.recommendation.sentence).toBe(
      `Estimated client recovery 120 s misses the 60 s target; the largest term is pool (60 s): validate connections on borrow / enable keepalive. ${VERIFY}`,
    );
  });

  it('T44 capped DNS cache and validation on borrow: 37 s passes', () => {
    const r = expectOk(
      run({ ...T43, clientDnsCacheSeconds: 5, poolValidatesOnBorrow: true }),
    );
    expect(output(r, 'estimatedRto').display).toBe('37');
    expect(ruleStatus(r, 'R-FO-RTO')).toBe('passed');
    expect(r.recommendation.severity).toBe('do');
  });

  it('T45 Cloud SQL HA same-IP: 62 s passes', () => {
    const r = expectOk(
      run({
        service: 'cloud-sql-ha',
        providerFailoverSeconds: 60,
        sameIpFailover: true,
        poolValidatesOnBorrow: true,
        reconnectSeconds: 2,
        targetRtoSeconds: 90,
      }),
    );
    expect(output(r, 'estimatedRto').display).toBe('62');
    expect(ruleStatus(r, 'R-FO-RTO')).toBe('passed');
  });

  it('T46 cross-region lag misses RPO 0; one outage costs 1,000.00', () => {
    const r = expectOk(
      run({
        ...T43,
        crossRegion: true,
        replicationLagP99Seconds: 8,
        targetRpoSeconds: 0,
        costPerMinuteDown: 500,
      }),
    );
    expect(displays(r, ['estimatedRpo', 'outageCost'])).toEqual({
      estimatedRpo: '8',
      outageCost: '1,000.00',
    });
    expect(ruleStatus(r, 'R-FO-RPO')).toBe('fired');
    expect(r.recommendation.severity).toBe('avoid');
    expect(r.warnings).toContainEqual({
      kind: 'rule',
      subject: 'R-FO-RPO',
      message:
        'Asynchronous cross-region replication cannot promise RPO 0 s; p99 lag is 8 s.',
    });
  });

  it('misses an RPO target of 0 across regions when the lag is not known, instead of leaving it unknown', () => {
    const r = expectOk(run({ ...T43, crossRegion: true, targetRpoSeconds: 0 }));
    expect(ruleStatus(r, 'R-FO-RPO')).toBe('fired');
    expect(r.recommendation.severity).toBe('avoid');
    expect(r.warnings).toContainEqual({
      kind: 'rule',
      subject: 'R-FO-RPO',
      message:
        'Asynchronous cross-region replication cannot promise RPO 0 s; its p99 lag is not known.',
    });
    // A target above 0 s may or may not be met by a lag nobody measured.
    const later = expectOk(
      run({ ...T43, crossRegion: true, targetRpoSeconds: 30 }),
    );
    expect(ruleStatus(later, 'R-FO-RPO')).toBe('unknown');
  });

  it('Aurora facts prefill the provider and DNS terms from the book', () => {
    const r = expectOk(run({ service: 'aurora', targetRtoSeconds: 60 }));
    expect(output(r, 'estimatedRto').display).toBe('120');
    expect(r.priceBook.entriesUsed).toEqual(
      expect.arrayContaining([
        'aws.aurora.failover-seconds',
        'aws.aurora.endpoint-dns-ttl-seconds',
        'client.jvm-dns-cache-seconds',
      ]),
    );
  });

  it('rds-multi-az needs a measured failover time', () => {
    expect(expectErrors(run({ service: 'rds-multi-az' }))).toEqual([
      {
        input: 'providerFailoverSeconds',
        code: 'required',
        message:
          'providerFailoverSeconds is required for rds-multi-az: enter a measured value.',
      },
    ]);
  });
});

describe('C11 properties', () => {
  const s = fc.integer({ min: 0, max: 3600 });
  it('RTO non-decreasing in each term; validation and same-IP never increase it', () => {
    fc.assert(
      fc.property(
        s,
        s,
        s,
        s,
        s,
        s,
        fc.integer({ min: 0, max: 600 }),
        fc.integer({ min: 0, max: 100 }),
        fc.boolean(),
        fc.boolean(),
        (det, prov, ttl, cache, stale, bump, rec, _x, validates, sameIp) => {
          const base = {
            service: 'custom',
            detectionSeconds: det,
            providerFailoverSeconds: prov,
            dnsTtlSeconds: ttl,
            clientDnsCacheSeconds: cache,
            staleConnectionTimeoutSeconds: stale,
            reconnectSeconds: rec,
            poolValidatesOnBorrow: validates,
            sameIpFailover: sameIp,
          };
          const rto = (i: object) =>
            dec(
              output(expectOk(run({ ...base, ...i })), 'estimatedRto').exact!,
            );
          const r0 = rto({});
          for (const key of [
            'detectionSeconds',
            'providerFailoverSeconds',
            'staleConnectionTimeoutSeconds',
          ] as const) {
            expect(
              rto({ [key]: Math.min(3600, base[key] + bump) }).gte(r0),
            ).toBe(true);
          }
          expect(
            rto({ poolValidatesOnBorrow: true }).lte(
              rto({ poolValidatesOnBorrow: false }),
            ),
          ).toBe(true);
          expect(
            rto({ sameIpFailover: true }).lte(rto({ sameIpFailover: false })),
          ).toBe(true);
        },
      ),
      { numRuns: 60 },
    );
  });
});
