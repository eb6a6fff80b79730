import fc from 'fast-check';
import { crossRegionReplica } from './crossRegionReplica';
import {
  displays,
  expectOk,
  output,
  vectorContext,
} from '../testing/vectorContext';
import { dec } from '../money';

const run = (input: object) =>
  crossRegionReplica.compute(input, vectorContext());
const T52 = {
  primaryInstanceMonthly: 2000,
  replicaSizeFactor: 1,
  storageGiB: 1000,
  storagePricePerGiBMonth: 0.1,
  changeGiBPerMonth: 3000,
  transferPricePerGiB: 0.02,
  replicas: 1,
};

describe('C13 cross-region-replica vectors (§4)', () => {
  it('T52 one replica adds 2,160.00 (+102.9 %)', () => {
    const r = expectOk(run(T52));
    expect(displays(r, ['perReplica', 'total', 'increasePercent'])).toEqual({
      perReplica: '2,160.00',
      total: '2,160.00',
      increasePercent: '102.9',
    });
    expect(r.recommendation.sentence).toBe(
      'Adds $2,160.00/month (+102.9%); promotion, DNS and client retries must be rehearsed together.',
    );
  });

  it('RPO 0 is avoided', () => {
    expect(
      expectOk(run({ ...T52, targetRpoSeconds: 0 })).recommendation,
    ).toMatchObject({ code: 'R-DR-RPO0', severity: 'avoid' });
  });
});

describe('C13 with no primary cost to compare with', () => {
  it.each([
    // [case, inputs, total]: the increase is a share of primary + storage, which is 0 here.
    [
      'no instance, no storage',
      { primaryInstanceMonthly: 0, storageGiB: 0 },
      '$60.00',
    ],
    [
      'nothing at all',
      { primaryInstanceMonthly: 0, storageGiB: 0, changeGiBPerMonth: 0 },
      '$0.00',
    ],
  ])('%s: the sentence names no percentage', (_case, inputs, total) => {
    const r = expectOk(run({ ...T52, ...inputs }));
    expect(output(r, 'increasePercent')).toMatchObject({
      exact: null,
      display: 'none',
    });
    expect(r.recommendation.sentence).toBe(
      `Adds ${total}/month (no primary cost to compare with); promotion, DNS and client retries must be rehearsed together.`,
    );
  });
});

describe('C13 properties', () => {
  it('total linear in replicas; non-decreasing in change volume', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 0, max: 1e6 }),
        fc.integer({ min: 0, max: 1e6 }),
        (n, c1, c2) => {
          const total = (i: object) =>
            dec(output(expectOk(run({ ...T52, ...i })), 'total').exact!);
          expect(total({ replicas: n }).toFixed()).toBe(
            total({ replicas: 1 }).times(n).toFixed(),
          );
          expect(
            total({ changeGiBPerMonth: Math.max(c1, c2) }).gte(
              total({ changeGiBPerMonth: Math.min(c1, c2) }),
            ),
          ).toBe(true);
        },
      ),
      { numRuns: 60 },
    );
  });
});
