import { bigqueryCapacity } from '../calculators/bigqueryCapacity';
import { connectionBudget } from '../calculators/connectionBudget';
import { failoverRto } from '../calculators/failoverRto';
import { dec } from '../money';
import { expectOk, vectorContext } from '../testing/vectorContext';
import {
  bigqueryCostByEtlVolume,
  connectionBudgetStack,
  failoverRtoStack,
} from './chartSeries';

const ctx = vectorContext();
const T16 = {
  etlTiBPerMonth: 3200,
  adhocTiBPerMonth: 400,
  onDemandPerTiB: 6.25,
  baselineSlots: 500,
  slotHourPrice: 0.048,
};
const T40 = {
  maxConnections: 500,
  headroomPercent: 20,
  superuserReserved: 3,
  operationalReserve: 10,
  clients: [
    { name: 'web', maxInstances: 50, poolSize: 5 },
    { name: 'worker', maxInstances: 10, poolSize: 5 },
  ],
};
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

describe('bigqueryCostByEtlVolume (C4 chart)', () => {
  it('T16: both lines from 0 to twice the 2,803.20 TiB break-even, crossing there', () => {
    const result = expectOk(bigqueryCapacity.compute(T16, ctx));
    const series = bigqueryCostByEtlVolume(result, ctx)!;
    expect(series.crossingTiB).toBe('2803.2');
    expect(series.currentTiB).toBe('3200');
    expect(series.points.map(p => p.etlTiB)).toEqual([
      '0',
      '700.8',
      '1401.6',
      '2102.4',
      '2803.2',
      '3504',
      '4204.8',
      '4905.6',
      '5606.4',
    ]);
    // Ad-hoc alone on demand (400 × 6.25) at 0 TiB; slots (17,520) + ad-hoc throughout.
    expect(series.points[0]).toEqual({
      etlTiB: '0',
      onDemand: '2500',
      hybrid: '20020',
    });
    expect(new Set(series.points.map(p => p.hybrid))).toEqual(
      new Set(['20020']),
    );
    // The lines meet at the break-even volume, where the saving is zero.
    expect(series.points[4].onDemand).toBe(series.points[4].hybrid);
    expect(series.points[8].onDemand).toBe('37540');
  });

  it('stretches the range to a current volume beyond twice the break-even', () => {
    const result = expectOk(
      bigqueryCapacity.compute({ ...T16, etlTiBPerMonth: 10_000 }, ctx),
    );
    const series = bigqueryCostByEtlVolume(result, ctx, 4)!;
    expect(series.points.map(p => p.etlTiB)).toEqual([
      '0',
      '2500',
      '5000',
      '7500',
      '10000',
    ]);
    expect(series.points[4].onDemand).toBe(dec(10_400).times('6.25').toFixed());
  });

  it('uses the price-book defaults the result resolved', () => {
    const { onDemandPerTiB, slotHourPrice, ...withDefaults } = T16;
    const result = expectOk(bigqueryCapacity.compute(withDefaults, ctx));
    const series = bigqueryCostByEtlVolume(result, ctx)!;
    // The default book's 6.25 USD/TiB and 0.048 USD/slot-hour are T16's prices.
    expect(series.crossingTiB).toBe('2803.2');
    expect(series.points[4].onDemand).toBe('20020');
  });

  it('has nothing to draw without any volume or break-even, or for another calculator', () => {
    const idle = expectOk(
      bigqueryCapacity.compute(
        { etlTiBPerMonth: 0, adhocTiBPerMonth: 0, baselineSlots: 0 },
        ctx,
      ),
    );
    expect(bigqueryCostByEtlVolume(idle, ctx)).toBeNull();
    const other = expectOk(connectionBudget.compute(T40, ctx));
    expect(bigqueryCostByEtlVolume(other, ctx)).toBeNull();
  });
});

describe('connectionBudgetStack (C10 chart)', () => {
  it('T40: one segment per client against usable 387 and max 500', () => {
    const result = expectOk(connectionBudget.compute(T40, ctx));
    expect(connectionBudgetStack(result)).toEqual({
      clients: [
        {
          name: 'web',
          peakInstances: 50,
          poolSize: 5,
          connections: 250,
          maxSafeInstances: 67,
          maxSafePool: 6,
        },
        {
          name: 'worker',
          peakInstances: 10,
          poolSize: 5,
          connections: 50,
          maxSafeInstances: 27,
          maxSafePool: 13,
        },
      ],
      demand: 300,
      usable: 387,
      maxConnections: 500,
    });
  });

  it('T41: the rollout surge is in the segment', () => {
    const result = expectOk(
      connectionBudget.compute(
        {
          ...T40,
          clients: [
            { ...T40.clients[0], rolloutSurgePercent: 100 },
            T40.clients[1],
          ],
        },
        ctx,
      ),
    );
    const stack = connectionBudgetStack(result)!;
    expect(stack.clients.map(c => [c.peakInstances, c.connections])).toEqual([
      [100, 500],
      [10, 50],
    ]);
    expect(stack.demand).toBe(550);
  });

  it('is null for another calculator', () => {
    expect(
      connectionBudgetStack(expectOk(bigqueryCapacity.compute(T16, ctx))),
    ).toBeNull();
  });
});

describe('failoverRtoStack (C11 chart)', () => {
  it('T43: detection 0 + provider 30 + DNS 30 + pool 60 = 120 s against a 60 s target', () => {
    const result = expectOk(failoverRto.compute(T43, ctx));
    expect(failoverRtoStack(result)).toEqual({
      terms: [
        { id: 'detection', label: 'Detection', seconds: '0' },
        { id: 'provider', label: 'Provider failover', seconds: '30' },
        { id: 'dns', label: 'DNS delay', seconds: '30' },
        { id: 'pool', label: 'Pool delay', seconds: '60' },
      ],
      estimatedRto: '120',
      targetRto: '60',
    });
  });

  it('has no target line without a target RTO', () => {
    const { targetRtoSeconds, ...noTarget } = T43;
    const result = expectOk(failoverRto.compute(noTarget, ctx));
    expect(failoverRtoStack(result)?.targetRto).toBeNull();
  });
});
