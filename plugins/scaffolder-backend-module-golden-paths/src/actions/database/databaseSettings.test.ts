import { ConfigReader } from '@backstage/config';
import {
  DEFAULT_DATABASE_PRICES,
  readDatabasePrices,
} from './databaseSettings';

const withPriceBook = (priceBook: unknown) =>
  new ConfigReader({ goldenPaths: { database: { priceBook } } } as any);

describe('readDatabasePrices (goldenPaths.database.priceBook, §9)', () => {
  it('is the default price book without config', () => {
    expect(readDatabasePrices(new ConfigReader({}))).toEqual(
      DEFAULT_DATABASE_PRICES,
    );
  });

  it('reads hourly prices keyed by dotted price-book skus (a sku is one key, not a path)', () => {
    const prices = readDatabasePrices(
      withPriceBook({
        version: '2027.01.0',
        hourly: {
          'example.rds-postgres.s': 0.12,
          'example.rds-postgres.m': '0.25',
          'acme.aurora-postgres.xl': '1.10',
        },
        storagePerGiBMonth: 0.1,
        tiers: { dev: { approvalThresholdMonthly: 400 } },
      }),
    );
    expect(prices.version).toBe('2027.01.0');
    expect(prices.hourly).toEqual({
      ...DEFAULT_DATABASE_PRICES.hourly,
      'example.rds-postgres.s': '0.12',
      'example.rds-postgres.m': '0.25',
      'acme.aurora-postgres.xl': '1.10',
    });
    expect(prices.storagePerGiBMonth).toBe('0.1');
    expect(prices.tiers.dev).toEqual({
      ha: false,
      readReplicas: 0,
      approvalThresholdMonthly: '400',
    });
  });

  it('refuses a malformed price naming the key, so a typo fails at startup rather than in an estimate', () => {
    const cases: [unknown, string][] = [
      [
        { hourly: { 'example.rds-postgres.s': 'ten cents' } },
        'goldenPaths.database.priceBook.hourly["example.rds-postgres.s"] must be a non-negative price in USD (a number or a decimal string such as "0.20"), got "ten cents"',
      ],
      [
        { hourly: { 'example.rds-postgres.m': { usd: 0.2 } } },
        'goldenPaths.database.priceBook.hourly["example.rds-postgres.m"] must be a non-negative price in USD (a number or a decimal string such as "0.20"), got an object',
      ],
      [
        { hourly: ['example.rds-postgres.s'] },
        'goldenPaths.database.priceBook.hourly must map price-book skus to hourly prices (for example "example.rds-postgres.m": 0.20), got a list',
      ],
      [
        { storagePerGiBMonth: '-1' },
        'goldenPaths.database.priceBook.storagePerGiBMonth must be a non-negative price in USD (a number or a decimal string such as "0.20"), got "-1"',
      ],
      [
        { tiers: { staging: { approvalThresholdMonthly: 'lots' } } },
        'goldenPaths.database.priceBook.tiers.staging.approvalThresholdMonthly must be a non-negative price in USD (a number or a decimal string such as "0.20"), got "lots"',
      ],
      // Multipliers of every price: 0 hours or -1 replicas took an estimate under the
      // threshold and the hard limit (GP-D06) whatever size was asked for.
      [
        { hoursPerMonth: 0 },
        'goldenPaths.database.priceBook.hoursPerMonth must be a number above 0 (got 0)',
      ],
      [
        { tiers: { 'production-critical': { readReplicas: -1 } } },
        'goldenPaths.database.priceBook.tiers.production-critical.readReplicas must be a whole number of at least 0 (got -1)',
      ],
    ];
    for (const [priceBook, message] of cases) {
      expect(() => readDatabasePrices(withPriceBook(priceBook))).toThrow(
        message,
      );
    }
  });
});
