import fc from 'fast-check';
import { dbLicensing } from './dbLicensing';
import { prefillFromAnnotations } from '../prefill/prefillFromAnnotations';
import { findLicenceRule, licenceUnits } from './licenceUnits';
import { DEFAULT_PRICE_BOOK } from '../priceBook/defaultPriceBook';
import type { Counting, EngineEdition } from '../priceBook/priceBookSchema';
import {
  displays,
  expectErrors,
  expectOk,
  output,
  ruleStatus,
  vectorContext,
} from '../testing/vectorContext';
import { dec } from '../money';

const run = (input: object) => dbLicensing.compute(input, vectorContext());
const T26 = {
  engineEdition: 'sqlserver-enterprise',
  offerId: 'azure.vm.sqlserver',
  vcpus: 8,
  ownedLicenceUnits: 8,
  sku: 'example.sqlserver-ent',
};
const units = (
  edition: EngineEdition,
  counting: Counting,
  vcpus: number,
  hyperThreading = true,
  physicalCores?: number,
) =>
  licenceUnits(
    findLicenceRule(DEFAULT_PRICE_BOOK.licenceRules, edition, counting)!,
    { vcpus, hyperThreading, physicalCores },
  );

describe('C6 db-licensing vectors (§4)', () => {
  it('T26 SQL Server Enterprise on an Azure VM with default-book illustrative prices', () => {
    const r = expectOk(run(T26));
    expect(
      displays(r, [
        'units',
        'licenseIncludedMonthly',
        'byolMonthly',
        'monthlySaving',
        'savingPercent',
      ]),
    ).toEqual({
      units: '8',
      licenseIncludedMonthly: '2,336.00',
      byolMonthly: '1,711.00',
      monthlySaving: '625.00',
      savingPercent: '26.8',
    });
    expect(r.recommendation).toMatchObject({
      code: 'R-LIC-BYOL',
      severity: 'do',
    });
    expect(r.recommendation.sentence).toBe(
      'Indicative: BYOL saves $625.00/month (26.8%) — only with licence tracking in place.',
    );
    expect(
      r.warnings
        .filter(w => w.kind === 'illustrative-price')
        .map(w => w.subject)
        .sort(),
    ).toEqual([
      'example.sqlserver-ent.compute-hour',
      'example.sqlserver-ent.li-hour',
      'example.sqlserver.sa-per-core-year',
    ]);
  });

  it.each([
    [
      'SQL Server vCPU 2',
      'sqlserver-enterprise',
      'vcpu',
      2,
      true,
      undefined,
      4,
    ],
    ['SQL Server vCPU 5', 'sqlserver-standard', 'vcpu', 5, true, undefined, 6],
    [
      'SQL Server vCPU 9',
      'sqlserver-enterprise',
      'vcpu',
      9,
      true,
      undefined,
      10,
    ],
    ['Oracle EE 16 vCPU HT', 'oracle-ee', 'vcpu', 16, true, undefined, 8],
    ['Oracle EE 16 vCPU no HT', 'oracle-ee', 'vcpu', 16, false, undefined, 16],
    ['SE2 6 vCPU', 'oracle-se2', 'vcpu', 6, true, undefined, 2],
    ['physical 24 cores × 0.5', 'oracle-ee', 'physical-cores', 1, true, 24, 12],
    [
      'AHB Enterprise 8 GP vCores',
      'sqlserver-enterprise',
      'vcore-gp',
      8,
      true,
      undefined,
      2,
    ],
  ] as const)('T27 %s', (_n, edition, counting, vcpus, ht, cores, expected) => {
    expect(units(edition, counting, vcpus, ht, cores)).toBe(expected);
  });

  it('T28 SE2 above 8 vCPUs', () => {
    expect(
      expectErrors(
        run({
          engineEdition: 'oracle-se2',
          offerId: 'aws.rds.oracle',
          vcpus: 10,
          computeOnlyHourly: 1,
          licenseIncludedHourly: 2,
          annualSupportPerUnit: 100,
        }),
      ),
    ).toContainEqual({
      input: 'vcpus',
      code: 'out_of_range',
      message:
        'oracle-se2 is limited to 8 vCPUs per instance under the cloud policy; choose oracle-ee or fewer vCPUs.',
    });
  });

  it('T29 shortfall blocks', () => {
    const r = expectOk(run({ ...T26, ownedLicenceUnits: 4 }));
    expect(displays(r, ['shortfall'])).toEqual({ shortfall: '4' });
    expect(r.recommendation).toMatchObject({
      code: 'R-LIC-SHORT',
      severity: 'blocked',
      sentence:
        'BYOL needs 8 licences and 4 are owned: buy 4 more or right-size first.',
    });
  });

  it('T30 Azure SQL DB GP under AHB: 60 % saving warns twice', () => {
    const r = expectOk(
      run({
        engineEdition: 'sqlserver-enterprise',
        offerId: 'azure.sqldb.vcore-gp',
        vcpus: 4,
        ownedLicenceUnits: 1,
        licenseIncludedHourly: 2,
        computeOnlyHourly: 0.8,
        annualSupportPerUnit: 0,
      }),
    );
    expect(
      displays(r, [
        'units',
        'licenseIncludedMonthly',
        'byolMonthly',
        'monthlySaving',
        'savingPercent',
      ]),
    ).toEqual({
      units: '1',
      licenseIncludedMonthly: '1,460.00',
      byolMonthly: '584.00',
      monthlySaving: '876.00',
      savingPercent: '60.0',
    });
    expect(ruleStatus(r, 'R-LIC-AHB55')).toBe('fired');
    expect(ruleStatus(r, 'R-LIC-SA0')).toBe('fired');
    expect(r.warnings.map(w => w.subject)).toEqual(
      expect.arrayContaining(['R-LIC-AHB55', 'R-LIC-SA0']),
    );
  });

  it('decides on the saving as displayed: a saving under half a cent is no "BYOL saves $0.00/month"', () => {
    // T30 with support bringing BYOL to 1,459.996: an exact saving of 0.004
    const r = expectOk(
      run({
        engineEdition: 'sqlserver-enterprise',
        offerId: 'azure.sqldb.vcore-gp',
        vcpus: 4,
        ownedLicenceUnits: 1,
        licenseIncludedHourly: 2,
        computeOnlyHourly: 0.8,
        annualSupportPerUnit: 10511.952,
      }),
    );
    expect(displays(r, ['monthlySaving'])).toEqual({ monthlySaving: '0.00' });
    expect(ruleStatus(r, 'R-LIC-BYOL')).toBe('passed');
    expect(r.recommendation).toMatchObject({
      code: 'R-LIC-LI',
      severity: 'info',
      sentence: 'Licence-included is cheaper once support is counted.',
    });
  });

  it('R-LIC-BC: Standard cannot use Business Critical AHB', () => {
    expect(
      expectErrors(
        run({
          engineEdition: 'sqlserver-standard',
          offerId: 'azure.sqldb.vcore-bc',
          vcpus: 4,
          licenseIncludedHourly: 1,
          computeOnlyHourly: 1,
        }),
      ),
    ).toContainEqual({
      input: 'engineEdition',
      code: 'inconsistent',
      message:
        'Business Critical under Azure Hybrid Benefit needs Enterprise core licences.',
    });
  });

  it('an offer without BYOL names the alternative', () => {
    const r = expectOk(
      run({
        engineEdition: 'sqlserver-enterprise',
        offerId: 'aws.rds.sqlserver',
        vcpus: 8,
        licenseIncludedHourly: 3,
      }),
    );
    expect(displays(r, ['byolMonthly'])).toEqual({
      byolMonthly:
        'not offered on aws.rds.sqlserver; needs aws.ec2.dedicated-host',
    });
  });

  it('unknown licences owned blocks the BYOL recommendation', () => {
    const { ownedLicenceUnits, ...rest } = T26;
    const r = expectOk(run(rest));
    expect(ruleStatus(r, 'R-LIC-SHORT')).toBe('unknown');
    expect(r.recommendation.severity).toBe('blocked');
  });
});

describe('C6 properties', () => {
  it('units non-decreasing in vcpus; no hyper-threading never lowers units; BYOL non-decreasing in support', () => {
    const combos: [EngineEdition, Counting][] = [
      ['oracle-ee', 'vcpu'],
      ['oracle-ee', 'ocpu'],
      ['sqlserver-enterprise', 'vcpu'],
      ['sqlserver-enterprise', 'vcore-gp'],
      ['sqlserver-standard', 'vcore-gp'],
      ['sqlserver-enterprise', 'vcore-bc'],
    ];
    fc.assert(
      fc.property(
        fc.constantFrom(...combos),
        fc.integer({ min: 1, max: 1024 }),
        fc.integer({ min: 0, max: 100 }),
        fc.integer({ min: 0, max: 1e6 }),
        fc.integer({ min: 0, max: 1e6 }),
        ([edition, counting], v, extra, s1, s2) => {
          expect(units(edition, counting, v + extra)).toBeGreaterThanOrEqual(
            units(edition, counting, v),
          );
          expect(units(edition, counting, v, false)).toBeGreaterThanOrEqual(
            units(edition, counting, v, true),
          );
          const byol = (s: number) =>
            dec(
              expectOk(run({ ...T26, annualSupportPerUnit: s })).outputs.find(
                o => o.id === 'byolMonthly',
              )!.exact!,
            );
          expect(byol(Math.max(s1, s2)).gte(byol(Math.min(s1, s2)))).toBe(true);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('C6 price-book-sku and offer prefill (§1)', () => {
  const { sku: _sku, ...withoutSku } = T26;
  it.each([
    // §1: price-book-sku is the entry id of the instance; either hourly id of the pair works.
    ['the licence-included entry id', 'example.sqlserver-ent.li-hour'],
    ['the compute-only entry id', 'example.sqlserver-ent.compute-hour'],
    // The prefix form the tests have used keeps working.
    ['the bare prefix', 'example.sqlserver-ent'],
  ])('sku given as %s prices T26', (_case, sku) => {
    const r = expectOk(run({ ...withoutSku, sku }));
    expect(
      displays(r, ['licenseIncludedMonthly', 'byolMonthly', 'monthlySaving']),
    ).toEqual({
      licenseIncludedMonthly: '2,336.00',
      byolMonthly: '1,711.00',
      monthlySaving: '625.00',
    });
    expect(r.priceBook.entriesUsed).toEqual(
      expect.arrayContaining([
        'example.sqlserver-ent.li-hour',
        'example.sqlserver-ent.compute-hour',
      ]),
    );
  });

  it.each([
    [
      'no.such.li-hour',
      'sku no.such.li-hour has no sibling price-book entry no.such.compute-hour.',
    ],
    ['no.such', 'sku no.such has no price-book entry no.such.compute-hour.'],
    ['no.such.li-hour', 'sku no.such.li-hour is not in price book 2026.11.0.'],
  ])('sku %s that the book lacks is a field error', (sku, message) => {
    expect(expectErrors(run({ ...withoutSku, sku }))).toContainEqual({
      input: 'sku',
      code: 'out_of_range',
      message,
    });
  });

  const resource = (annotations: Record<string, string>) => ({
    kind: 'Resource',
    metadata: {
      annotations: Object.fromEntries(
        Object.entries(annotations).map(([k, v]) => [
          `ops.example.com/${k}`,
          v,
        ]),
      ),
    },
    spec: { type: 'database' },
  });

  it.each([
    // [provider, service, engine, offerId prefilled]
    ['azure', 'azure-vm', 'sqlserver-enterprise', 'azure.vm.sqlserver'],
    ['aws', 'rds', 'sqlserver-standard', 'aws.rds.sqlserver'],
    ['aws', 'rds', 'oracle-ee', 'aws.rds.oracle'],
    ['oci', 'oci-dbcs', 'oracle-se2', 'oci.dbcs'],
    ['gcp', 'cloud-sql', 'sqlserver-enterprise', 'gcp.cloudsql.sqlserver'],
    // Two offers match (General Purpose and Business Critical): left for the user.
    ['azure', 'azure-sql-db', 'sqlserver-enterprise', undefined],
    // Provider and service disagree with every offer: nothing to prefill.
    ['gcp', 'rds', 'sqlserver-enterprise', undefined],
  ])(
    'provider %s, service %s, engine %s prefills offerId %s',
    (provider, service, engine, offerId) => {
      const p = prefillFromAnnotations(
        'db-licensing',
        resource({ provider, service, engine }),
        { asOf: '2026-11-23' },
      );
      expect(p.values.offerId).toBe(offerId);
      expect(p.sources.offerId).toEqual(
        offerId
          ? { kind: 'annotation', key: 'ops.example.com/service' }
          : undefined,
      );
    },
  );

  it('a Licensing card prefilled from annotations alone computes (T26 entity)', () => {
    const p = prefillFromAnnotations(
      'db-licensing',
      resource({
        provider: 'azure',
        service: 'azure-vm',
        engine: 'sqlserver-enterprise',
        vcpus: '8',
        'licences-owned': '8',
        'price-book-sku': 'example.sqlserver-ent.li-hour',
      }),
      { asOf: '2026-11-23' },
    );
    const r = expectOk(run(p.values));
    expect(displays(r, ['monthlySaving'])).toEqual({ monthlySaving: '625.00' });
  });
});

describe('C6 without a licence rule for the edition and counting', () => {
  // The default book offers SE2 on OCI (counting ocpu); §4's eight rules have no row for it.
  const se2OnOci = {
    offerId: 'oci.dbcs',
    engineEdition: 'oracle-se2',
    vcpus: 4,
    licenseIncludedHourly: '1.00',
    computeOnlyHourly: '0.40',
    annualSupportPerUnit: '10450',
    ownedLicenceUnits: 4,
  };
  it('still prices licence-included, and says BYOL cannot be compared', () => {
    const r = expectOk(dbLicensing.compute(se2OnOci, vectorContext()));
    expect(output(r, 'licenseIncludedMonthly').display).toBe('730.00');
    expect(output(r, 'byolMonthly').display).toBe(
      'not comparable: the price book has no licence rule for oracle-se2 counted by ocpu',
    );
    expect(output(r, 'units').exact).toBeNull();
    expect(r.recommendation).toMatchObject({
      code: 'R-LIC-OFFER',
      severity: 'info',
      sentence:
        'BYOL cannot be compared on oci.dbcs: the price book has no licence rule for oracle-se2 counted by ocpu, so the licences it needs are unknown; licence-included costs $730.00/month.',
    });
  });
  it('is an error when licence-included is not offered either', () => {
    const book = vectorContext().priceBook;
    const ctx = vectorContext({
      priceBook: {
        ...book,
        offers: book.offers.map(o =>
          o.id === 'oci.dbcs' ? { ...o, licenseIncluded: ['oracle-ee'] } : o,
        ),
      } as typeof book,
    });
    expect(expectErrors(dbLicensing.compute(se2OnOci, ctx))).toEqual([
      {
        input: 'engineEdition',
        code: 'inconsistent',
        message:
          'The price book has no licence rule for oracle-se2 counted by ocpu.',
      },
    ]);
  });
});
