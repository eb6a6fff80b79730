import { applyPriceBookOverrides } from './applyPriceBookOverrides';
import { PriceBookReader } from './priceBookUsage';
import { DEFAULT_PRICE_BOOK } from './defaultPriceBook';
import { bigqueryQueryGuard } from '../calculators/bigqueryQueryGuard';
import { bigqueryCapacity } from '../calculators/bigqueryCapacity';
import { expectOk, output, VECTOR_AS_OF } from '../testing/vectorContext';
import { renderMarkdown } from '../presentation/renderMarkdown';

const T21 = {
  tableTiB: 80,
  totalPartitions: 365,
  partitionsScanned: 365,
  columnSharePercent: 100,
};
const compute = (config?: Parameters<typeof applyPriceBookOverrides>[1]) =>
  expectOk(
    bigqueryQueryGuard.compute(T21, {
      asOf: VECTOR_AS_OF,
      priceBook: applyPriceBookOverrides(DEFAULT_PRICE_BOOK, config),
    }),
  );

describe('price book vectors (§4)', () => {
  it('T56 default book: 250 days old, stale', () => {
    const r = compute();
    expect(output(r, 'queryCost').display).toBe('500.00');
    expect(r.priceBook).toMatchObject({
      version: '2026.11.0',
      oldestVerifiedOn: '2026-03-18',
      ageDays: 250,
      stale: true,
      factsOnly: false,
    });
    expect(r.priceBook.entriesUsed).toContain(
      'gcp.bigquery.on-demand-analysis',
    );
    expect(r.warnings).toContainEqual({
      kind: 'stale-prices',
      subject: 'gcp.bigquery.on-demand-analysis',
      message:
        'Prices used are up to 250 days old (oldest: gcp.bigquery.on-demand-analysis, verified 2026-03-18); the limit is 180 days.',
    });
  });

  it('T57 override with label acme-ea', () => {
    const r = compute({
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
    });
    expect(output(r, 'queryCost').display).toBe('400.00');
    expect(r.priceBook).toMatchObject({
      version: '2026.11.0+acme-ea',
      ageDays: 22,
      stale: false,
    });
    expect(r.warnings.filter(w => w.kind === 'stale-prices')).toEqual([]);
  });

  it('T58 an invalid decimal is not applied and every result names the config path', () => {
    const r = compute({
      overrideLabel: 'acme-ea',
      overrides: [{ id: 'gcp.bigquery.on-demand-analysis', price: '5,00' }],
    });
    expect(output(r, 'queryCost').display).toBe('500.00');
    expect(r.priceBook.version).toBe('2026.11.0');
    expect(r.warnings).toContainEqual({
      kind: 'override-invalid',
      subject: 'costCalculators.priceBook.overrides[0].price',
      message:
        'costCalculators.priceBook.overrides[0].price must be a decimal string like "5.00" (got "5,00").',
    });
  });

  it.each([
    [
      'missing label',
      { overrides: [{ id: 'aws.kms.requests', price: '0.02' }] },
      'costCalculators.priceBook.overrideLabel',
    ],
    [
      'wrong currency',
      {
        overrideLabel: 'x',
        overrides: [{ id: 'aws.kms.requests', price: '0.02', currency: 'EUR' }],
      },
      'costCalculators.priceBook.overrides[0].currency',
    ],
    [
      'unknown field',
      {
        overrideLabel: 'x',
        overrides: [{ id: 'aws.kms.requests', price: '0.02', discount: 3 }],
      },
      'costCalculators.priceBook.overrides[0].discount',
    ],
    [
      'incomplete new entry',
      { overrideLabel: 'x', overrides: [{ id: 'acme.new', price: '1' }] },
      'costCalculators.priceBook.overrides[0].provider',
    ],
    // An override of an existing id is checked as a whole entry too, like a new one.
    [
      'empty source on an existing entry',
      {
        overrideLabel: 'x',
        overrides: [{ id: 'aws.kms.requests', price: '0.02', source: '' }],
      },
      'costCalculators.priceBook.overrides[0].source',
    ],
    [
      'non-text source on an existing entry',
      {
        overrideLabel: 'x',
        overrides: [{ id: 'aws.kms.requests', price: '0.02', source: 42 }],
      },
      'costCalculators.priceBook.overrides[0].source',
    ],
    [
      'null source on an existing entry',
      {
        overrideLabel: 'x',
        overrides: [{ id: 'aws.kms.requests', price: '0.02', source: null }],
      },
      'costCalculators.priceBook.overrides[0].source',
    ],
    [
      'bad maxAgeDays',
      { maxAgeDays: -3 },
      'costCalculators.priceBook.maxAgeDays',
    ],
  ])('%s is reported and not applied', (_n, config, path) => {
    const book = applyPriceBookOverrides(DEFAULT_PRICE_BOOK, config);
    expect(book.overrideErrors.map(e => e.path)).toContain(path);
    expect(book.resolvedVersion).toBe('2026.11.0');
    expect(book.entries.find(e => e.id === 'aws.kms.requests')!.price).toBe(
      '0.03',
    );
  });

  it.each([
    // [override of an existing id, message]: the same messages as for a new entry.
    [
      { source: '' },
      'costCalculators.priceBook.overrides[0].source must not be empty (got "").',
    ],
    [
      { source: 42 },
      'costCalculators.priceBook.overrides[0].source must be text (got 42).',
    ],
  ])('an existing-id override %j is refused: %s', (fields, message) => {
    const book = applyPriceBookOverrides(DEFAULT_PRICE_BOOK, {
      overrideLabel: 'x',
      overrides: [{ id: 'aws.kms.requests', price: '0.02', ...fields }],
    });
    expect(book.overrideErrors).toEqual([
      { path: 'costCalculators.priceBook.overrides[0].source', message },
    ]);
    expect(book.overriddenIds).toEqual([]);
  });

  it('adds a complete new entry and honours a lower maxAgeDays', () => {
    const book = applyPriceBookOverrides(DEFAULT_PRICE_BOOK, {
      maxAgeDays: 120,
      overrideLabel: 'acme-ea',
      overrides: [
        {
          id: 'acme.oracle.support-per-processor',
          provider: 'oci',
          service: 'oracle-db',
          sku: 'support',
          unit: 'licence-year',
          price: '10450',
          currency: 'USD',
          effectiveDate: '2026-01-01',
          verifiedOn: '2026-10-01',
          origin: 'vendor-list',
          source: 'ACME Oracle support invoice 2026',
        },
      ],
    });
    expect(book.overrideErrors).toEqual([]);
    expect(book.maxAgeDays).toBe(120);
    expect(book.resolvedVersion).toBe('2026.11.0+acme-ea');
    expect(
      book.entries.find(e => e.id === 'acme.oracle.support-per-processor')
        ?.price,
    ).toBe('10450');
  });

  it('ships every default entry of §3 with its value', () => {
    const price = (id: string) =>
      DEFAULT_PRICE_BOOK.entries.find(e => e.id === id)?.price;
    expect([
      price('gcp.bigquery.on-demand-analysis'),
      price('aws.cloudhsm.hsm-hour'),
      price('aws.s3.glacier-ir'),
      price('gcp.memorystore.gib-hour'),
      price('example.rds-postgres.2xl'),
    ]).toEqual(['6.25', '1.50', '0.004', '0.03', '1.60']);
    expect(DEFAULT_PRICE_BOOK.licenceRules).toHaveLength(8);
    expect(
      DEFAULT_PRICE_BOOK.tiers.map(t => [
        t.id,
        t.ha,
        t.readReplicas,
        t.approvalThresholdMonthly,
      ]),
    ).toEqual([
      ['dev', false, 0, '500'],
      ['staging', false, 0, '1000'],
      ['production-standard', true, 1, '2000'],
      ['production-critical', true, 2, '5000'],
    ]);
  });
});

describe('override dates and duplicate ids (§3)', () => {
  const bigquery = (
    price: string,
    effectiveDate: string,
    verifiedOn: string,
  ) => ({
    id: 'gcp.bigquery.on-demand-analysis',
    price,
    effectiveDate,
    verifiedOn,
    source: 'ACME enterprise agreement, schedule B',
  });

  it.each([
    // [case, effectiveDate, verifiedOn, cost, oldestVerifiedOn, ageDays, not-yet-effective warning?]
    [
      'effective before asOf',
      '2026-11-01',
      '2026-11-01',
      '400.00',
      '2026-11-01',
      22,
      false,
    ],
    [
      'effective on asOf',
      '2026-11-23',
      '2026-11-23',
      '400.00',
      '2026-11-23',
      0,
      false,
    ],
    // Announced and confirmed early, takes effect later: the book's price is the one in force at asOf.
    [
      'effective after asOf',
      '2027-01-01',
      '2026-12-15',
      '500.00',
      '2026-03-18',
      250,
      true,
    ],
    // verifiedOn before effectiveDate is allowed: a price is confirmed before it applies; staleness counts from verifiedOn.
    [
      'verified before it took effect',
      '2026-11-20',
      '2026-11-10',
      '400.00',
      '2026-11-10',
      13,
      false,
    ],
  ] as const)(
    '%s',
    (_case, effectiveDate, verifiedOn, cost, oldest, ageDays, warned) => {
      const r = compute({
        overrideLabel: 'acme-ea',
        overrides: [bigquery('5.00', effectiveDate, verifiedOn)],
      });
      expect(output(r, 'queryCost').display).toBe(cost);
      expect(r.priceBook).toMatchObject({
        oldestVerifiedOn: oldest,
        ageDays,
      });
      const notEffective = r.warnings.filter(
        w => w.kind === 'override-not-effective',
      );
      expect(notEffective).toEqual(
        warned
          ? [
              {
                kind: 'override-not-effective',
                subject: 'gcp.bigquery.on-demand-analysis',
                message: `The override of gcp.bigquery.on-demand-analysis (5.00) takes effect on ${effectiveDate}, after 2026-11-23: the book's price 6.25 (verified 2026-03-18) was used.`,
              },
            ]
          : [],
      );
    },
  );

  it.each([
    ['effective before asOf', '2026-11-01', '2026.11.0+acme-ea', '400.00'],
    ['effective on asOf', '2026-11-23', '2026.11.0+acme-ea', '400.00'],
    ['effective after asOf', '2027-01-01', '2026.11.0', '500.00'],
  ])(
    'names the override label in the version only when the override applies (§3 rule 1): %s',
    (_case, effectiveDate, version, cost) => {
      const r = compute({
        overrideLabel: 'acme-ea',
        overrides: [bigquery('5.00', effectiveDate, '2026-11-01')],
      });
      expect(output(r, 'queryCost').display).toBe(cost);
      expect(r.priceBook.version).toBe(version);
      expect(renderMarkdown(r)).toContain(` · price book ${version} (`);
    },
  );

  it('a new entry not yet effective is used with a warning (no earlier price exists)', () => {
    const book = applyPriceBookOverrides(DEFAULT_PRICE_BOOK, {
      overrideLabel: 'acme-ea',
      overrides: [
        {
          id: 'acme.bigquery.on-demand-analysis',
          provider: 'gcp',
          service: 'bigquery',
          sku: 'on-demand-analysis',
          unit: 'TiB',
          price: '4.00',
          currency: 'USD',
          effectiveDate: '2027-01-01',
          verifiedOn: '2026-11-01',
          origin: 'vendor-list',
          source: 'ACME',
        },
      ],
    });
    const reader = new PriceBookReader(book, VECTOR_AS_OF);
    expect(reader.price('acme.bigquery.on-demand-analysis').toFixed()).toBe(
      '4',
    );
    // used, so applied: the version names the label
    expect(reader.summarize(VECTOR_AS_OF).usage.version).toBe(
      '2026.11.0+acme-ea',
    );
    expect(reader.summarize(VECTOR_AS_OF).warnings).toEqual([
      {
        kind: 'override-not-effective',
        subject: 'acme.bigquery.on-demand-analysis',
        message:
          'acme.bigquery.on-demand-analysis takes effect on 2027-01-01, after 2026-11-23; it is used because the book has no earlier price for it.',
      },
    ]);
  });

  it('refuses every override of an id given twice and names the id', () => {
    const r = compute({
      overrideLabel: 'acme-ea',
      overrides: [
        bigquery('5.00', '2026-11-01', '2026-11-01'),
        bigquery('4.00', '2026-11-01', '2026-11-01'),
      ],
    });
    expect(output(r, 'queryCost').display).toBe('500.00');
    expect(r.priceBook.version).toBe('2026.11.0');
    expect(r.warnings.filter(w => w.kind === 'override-invalid')).toEqual([
      {
        kind: 'override-invalid',
        subject: 'costCalculators.priceBook.overrides[0].id',
        message:
          'costCalculators.priceBook.overrides[0].id gcp.bigquery.on-demand-analysis is also overridden by costCalculators.priceBook.overrides[1]; none of them is applied.',
      },
      {
        kind: 'override-invalid',
        subject: 'costCalculators.priceBook.overrides[1].id',
        message:
          'costCalculators.priceBook.overrides[1].id gcp.bigquery.on-demand-analysis is also overridden by costCalculators.priceBook.overrides[0]; none of them is applied.',
      },
    ]);
  });
});

describe('book entries dated after asOf (§3: effectiveDate is when a price took effect)', () => {
  const T16 = {
    etlTiBPerMonth: 3200,
    adhocTiBPerMonth: 400,
    baselineSlots: 500,
  };
  const book = applyPriceBookOverrides(DEFAULT_PRICE_BOOK);
  const ageUnknown = (asOf: string) => ({
    kind: 'price-age-unknown',
    subject: 'gcp.bigquery.on-demand-analysis',
    message: `Prices used were verified after ${asOf} (oldest: gcp.bigquery.on-demand-analysis, verified 2026-03-18), so their age on ${asOf} is unknown.`,
  });
  const notEffective = (asOf: string) => ({
    kind: 'price-not-effective',
    subject: 'gcp.bigquery.slot-hour.enterprise-commit-1y',
    message: `gcp.bigquery.slot-hour.enterprise-commit-1y takes effect on 2026-11-23, after ${asOf}; it is used because the book has no earlier price for it.`,
  });

  it.each([
    // [case, calculator, input, asOf, ageDays (null = unknown), stale, warnings]
    [
      'C5 on the vector date',
      bigqueryQueryGuard,
      T21,
      VECTOR_AS_OF,
      250,
      true,
      [],
    ],
    // A negative age would read as fresh: it is unknown instead, like an annotation dated after asOf.
    [
      'C5 before the price was verified',
      bigqueryQueryGuard,
      T21,
      '2026-01-01',
      null,
      false,
      [ageUnknown('2026-01-01')],
    ],
    [
      'C4 before a used price took effect',
      bigqueryCapacity,
      T16,
      '2026-06-01',
      75,
      false,
      [notEffective('2026-06-01')],
    ],
    [
      'C4 before both dates',
      bigqueryCapacity,
      T16,
      '2026-01-01',
      null,
      false,
      [ageUnknown('2026-01-01'), notEffective('2026-01-01')],
    ],
    [
      'C4 on the vector date',
      bigqueryCapacity,
      T16,
      VECTOR_AS_OF,
      250,
      true,
      [],
    ],
  ] as const)(
    '%s',
    (_case, calculator, input, asOf, ageDays, stale, warnings) => {
      const r = expectOk(calculator.compute(input, { asOf, priceBook: book }));
      expect(r.priceBook).toMatchObject({
        oldestVerifiedOn: '2026-03-18',
        ageDays,
        stale,
      });
      expect(
        r.warnings.filter(
          w =>
            w.kind === 'price-age-unknown' || w.kind === 'price-not-effective',
        ),
      ).toEqual(warnings);
    },
  );
});
