import fc from 'fast-check';
import { cacheMemoryBudget } from './cacheMemoryBudget';
import {
  displays,
  expectOk,
  output,
  vectorContext,
} from '../testing/vectorContext';
import { dec } from '../money';

const run = (input: object) =>
  cacheMemoryBudget.compute(input, vectorContext());
const T53 = {
  keyCount: 50_000_000,
  avgKeyBytes: 40,
  avgValueBytes: 400,
  perKeyOverheadBytes: 64,
  headroomPercent: 25,
  provisionedGiB: 26,
  pricePerGiBHour: 0.03,
  keysWithTtlPercent: 60,
};

describe('C14 cache-memory-budget vectors (§4)', () => {
  it('T53 needs 31.29 GiB against 26 provisioned', () => {
    const r = expectOk(run(T53));
    expect(
      displays(r, [
        'requiredGiB',
        'fits',
        'provisionedMonthly',
        'rightSizedGiB',
        'rightSizedMonthly',
      ]),
    ).toEqual({
      requiredGiB: '31.29',
      fits: 'false',
      provisionedMonthly: '569.40',
      rightSizedGiB: '32.00',
      rightSizedMonthly: '700.80',
    });
    expect(r.recommendation).toMatchObject({
      code: 'R-CACHE-FIT',
      severity: 'avoid',
      sentence:
        'Needs 31.29 GiB but 26.00 GiB are provisioned: evictions push reads to the database.',
    });
    expect(r.warnings).toContainEqual({
      kind: 'rule',
      subject: 'R-CACHE-TTL',
      message:
        '40% of keys never expire: the cache is becoming memory-priced permanent storage.',
    });
  });

  it('an oversized cache can shrink', () => {
    const r = expectOk(run({ ...T53, provisionedGiB: 64 }));
    expect(r.recommendation).toMatchObject({
      code: 'R-CACHE-SHRINK',
      severity: 'do',
      sentence: '32 GiB would do: $700.80/month less.',
    });
  });

  it('the default Memorystore price is illustrative', () => {
    const { pricePerGiBHour, ...rest } = T53;
    const r = expectOk(run({ ...rest, provisionedGiB: 64 }));
    expect(r.recommendation.sentence.startsWith('Indicative: ')).toBe(true);
    expect(r.warnings).toContainEqual({
      kind: 'illustrative-price',
      subject: 'gcp.memorystore.gib-hour',
      message:
        'gcp.memorystore.gib-hour is an illustrative price; set your own before deciding.',
    });
  });
});

describe('C14 right-sized minimum', () => {
  // A cache is never recommended below 1 GiB (MIN_CACHE_GIB): 0 GiB is not a size anyone can provision.
  it.each([
    // [case, keyCount, provisionedGiB, requiredGiB, rightSizedGiB, rightSizedMonthly, code, sentence]
    [
      'no keys, nothing provisioned',
      0,
      undefined,
      '0.00',
      '1.00',
      '21.90',
      'R-CACHE-SIZE',
      'Needs 0.00 GiB; 1 GiB (the smallest size recommended) cost $21.90/month.',
    ],
    [
      'no keys, 26 GiB provisioned',
      0,
      26,
      '0.00',
      '1.00',
      '21.90',
      'R-CACHE-SHRINK',
      '1 GiB would do: $547.50/month less.',
    ],
    [
      'a few keys, 0.5 GiB provisioned',
      1000,
      0.5,
      '0.00',
      '1.00',
      '21.90',
      'R-CACHE-SIZE',
      'The provisioned 0.50 GiB fit the keys with 25% headroom.',
    ],
    [
      'above the minimum the ceiling applies',
      50_000_000,
      undefined,
      '31.29',
      '32.00',
      '700.80',
      'R-CACHE-SIZE',
      'Needs 31.29 GiB; 32 GiB cost $700.80/month.',
    ],
  ] as const)(
    '%s',
    (
      _case,
      keyCount,
      provisionedGiB,
      requiredGiB,
      rightSizedGiB,
      rightSizedMonthly,
      code,
      sentence,
    ) => {
      const r = expectOk(run({ ...T53, keyCount, provisionedGiB }));
      expect(
        displays(r, ['requiredGiB', 'rightSizedGiB', 'rightSizedMonthly']),
      ).toEqual({ requiredGiB, rightSizedGiB, rightSizedMonthly });
      expect(r.recommendation).toMatchObject({ code, sentence });
    },
  );
});

describe('C14 properties', () => {
  it('requiredGiB non-decreasing in keys, sizes and headroom', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1e9 }),
        fc.integer({ min: 1, max: 1e4 }),
        fc.integer({ min: 0, max: 1e5 }),
        fc.integer({ min: 0, max: 90 }),
        fc.integer({ min: 0, max: 1000 }),
        (keys, k, v, h, bump) => {
          const base = {
            ...T53,
            keyCount: keys,
            avgKeyBytes: k,
            avgValueBytes: v,
            headroomPercent: h,
          };
          const req = (i: object) =>
            dec(output(expectOk(run({ ...base, ...i })), 'requiredGiB').exact!);
          const r0 = req({});
          expect(req({ keyCount: keys + bump }).gte(r0)).toBe(true);
          expect(req({ avgKeyBytes: k + bump }).gte(r0)).toBe(true);
          expect(req({ avgValueBytes: v + bump }).gte(r0)).toBe(true);
          expect(req({ headroomPercent: Math.min(90, h + bump) }).gte(r0)).toBe(
            true,
          );
        },
      ),
      { numRuns: 60 },
    );
  });
});
