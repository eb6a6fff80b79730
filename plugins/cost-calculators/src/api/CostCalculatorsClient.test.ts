import { mockApis } from '@backstage/frontend-test-utils';
import { CostCalculatorsClient } from './CostCalculatorsClient';

const now = () => new Date('2026-11-23T23:59:00Z');

describe('CostCalculatorsClient', () => {
  it('returns the bundled book, the default annotation age and today', async () => {
    const client = new CostCalculatorsClient({
      configApi: mockApis.config({
        data: { app: { baseUrl: 'https://portal.example.com' } },
      }),
      now,
    });
    const ctx = await client.getContext();
    expect(ctx.asOf).toBe('2026-11-23');
    expect(ctx.priceBook.resolvedVersion).toBe('2026.11.0');
    expect(ctx.priceBook.overrideErrors).toEqual([]);
    expect(ctx.annotationMaxAgeDays).toBe(90);
    expect(ctx.settingErrors).toEqual([]);
    expect(ctx.baseUrl).toBe('https://portal.example.com');
  });

  it("computes for the user's calendar date, not UTC's", async () => {
    const asOfIn = async (timeZone: string, at: string) =>
      (
        await new CostCalculatorsClient({
          configApi: mockApis.config({ data: {} }),
          now: () => new Date(at),
          timeZone,
        }).getContext()
      ).asOf;
    // 20:00 on the 23rd in New York is already the 24th in UTC.
    expect(await asOfIn('America/New_York', '2026-11-24T01:00:00Z')).toBe(
      '2026-11-23',
    );
    // 08:00 on the 24th in Tokyo is still the 23rd in UTC.
    expect(await asOfIn('Asia/Tokyo', '2026-11-23T23:00:00Z')).toBe(
      '2026-11-24',
    );
    expect(await asOfIn('UTC', '2026-11-23T23:00:00Z')).toBe('2026-11-23');
  });

  it('applies app-config overrides through the common package', async () => {
    const client = new CostCalculatorsClient({
      configApi: mockApis.config({
        data: {
          costCalculators: {
            annotationMaxAgeDays: 30,
            priceBook: {
              maxAgeDays: 120,
              overrideLabel: 'acme-ea',
              overrides: [
                {
                  id: 'gcp.bigquery.on-demand-analysis',
                  price: '5.00',
                  effectiveDate: '2026-11-01',
                  verifiedOn: '2026-11-01',
                  source: 'ACME enterprise agreement, schedule B',
                },
              ],
            },
          },
        },
      }),
      now,
    });
    const ctx = await client.getContext();
    expect(ctx.annotationMaxAgeDays).toBe(30);
    expect(ctx.priceBook.resolvedVersion).toBe('2026.11.0+acme-ea');
    expect(ctx.priceBook.maxAgeDays).toBe(120);
    expect(
      ctx.priceBook.entries.find(
        e => e.id === 'gcp.bigquery.on-demand-analysis',
      )?.price,
    ).toBe('5.00');
  });

  it.each([
    // [configured annotationMaxAgeDays, limit used, refused]
    [30, 30, false],
    ['45', 45, false],
    [0, 90, true],
    [-1, 90, true],
    [2.5, 90, true],
    [100000, 90, true],
    ['ninety', 90, true],
  ])(
    'annotationMaxAgeDays %j is used as %s days (refused: %s)',
    async (value, days, refused) => {
      const ctx = await new CostCalculatorsClient({
        configApi: mockApis.config({
          data: { costCalculators: { annotationMaxAgeDays: value } },
        }),
        now,
      }).getContext();
      expect(ctx.annotationMaxAgeDays).toBe(days);
      expect(ctx.settingErrors).toEqual(
        refused
          ? [
              {
                path: 'costCalculators.annotationMaxAgeDays',
                message: `costCalculators.annotationMaxAgeDays must be a whole number of days from 1 to 3650 (got ${JSON.stringify(
                  value,
                )}); the default of 90 days is used.`,
              },
            ]
          : [],
      );
    },
  );

  it('reports an invalid override by config path instead of applying it', async () => {
    const client = new CostCalculatorsClient({
      configApi: mockApis.config({
        data: {
          costCalculators: {
            priceBook: {
              overrideLabel: 'acme-ea',
              overrides: [
                { id: 'gcp.bigquery.on-demand-analysis', price: '5,00' },
              ],
            },
          },
        },
      }),
      now,
    });
    const ctx = await client.getContext();
    expect(ctx.priceBook.resolvedVersion).toBe('2026.11.0');
    expect(ctx.priceBook.overrideErrors.map(e => e.message)).toContain(
      'costCalculators.priceBook.overrides[0].price must be a decimal string like "5.00" (got "5,00").',
    );
  });
});
