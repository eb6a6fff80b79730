import {
  connectionClientFromComponent,
  mergePrefills,
  prefillFromAnnotations,
  readConnectionClient,
  withoutContradictedOffer,
} from './prefillFromAnnotations';
import { shouldRenderCard } from './shouldRenderCard';
import { resolveEnvironment } from './entityFacts';
import { CARDS } from '../registry';
import { CALCULATORS } from '../calculators';
import { rightsizeP95 } from '../calculators/rightsizeP95';
import { failoverRto } from '../calculators/failoverRto';
import { nonprodSchedule } from '../calculators/nonprodSchedule';
import { expectOk, vectorContext } from '../testing/vectorContext';

const resource = (annotations: Record<string, string>, type = 'database') => ({
  kind: 'Resource',
  metadata: {
    annotations: Object.fromEntries(
      Object.entries(annotations).map(([k, v]) => [`ops.example.com/${k}`, v]),
    ),
  },
  spec: { type },
});
const asOf = '2026-11-23';

describe('prefillFromAnnotations', () => {
  it('maps C1 annotations with their age and warns on stale and invalid ones', () => {
    const p = prefillFromAnnotations(
      'rightsize-p95',
      resource({
        'monthly-spend': '10000',
        'monthly-spend-as-of': '2026-09-15',
        'p95-cpu': '18',
        'p95-memory': 'lots',
        'p95-memory-as-of': '2026-01-01',
        'profile-days': '90',
      }),
      { asOf },
    );
    expect(p.values).toEqual({
      currentMonthly: '10000',
      p95CpuPercent: '18',
      profileDays: 90,
    });
    expect(p.sources.currentMonthly).toEqual({
      kind: 'annotation',
      key: 'ops.example.com/monthly-spend',
      asOf: '2026-09-15',
      ageDays: 69,
    });
    expect(p.warnings).toEqual([
      {
        kind: 'invalid-annotation',
        subject: 'ops.example.com/p95-memory',
        message:
          'Ignored ops.example.com/p95-memory: "lots" is not a decimal number.',
      },
    ]);
  });

  it('flags annotations older than annotationMaxAgeDays', () => {
    const p = prefillFromAnnotations(
      'rightsize-p95',
      resource({
        'monthly-spend': '10000',
        'monthly-spend-as-of': '2026-01-01',
      }),
      { asOf },
    );
    expect(p.warnings).toEqual([
      {
        kind: 'stale-annotation',
        subject: 'ops.example.com/monthly-spend',
        message:
          'ops.example.com/monthly-spend is 326 days old (as of 2026-01-01); the limit is 90 days.',
      },
    ]);
  });

  it('carries prefill sources and warnings into the result', () => {
    const p = prefillFromAnnotations(
      'rightsize-p95',
      resource({
        'monthly-spend': '10000',
        'monthly-spend-as-of': '2026-01-01',
        'p95-cpu': '18',
        'p95-memory': '22',
        'profile-days': '90',
      }),
      { asOf },
    );
    const r = expectOk(
      rightsizeP95.compute(
        p.values,
        vectorContext({ sources: p.sources, prefillWarnings: p.warnings }),
      ),
    );
    expect(r.inputs.currentMonthly.source).toMatchObject({
      kind: 'annotation',
      ageDays: 326,
    });
    expect(r.warnings.map(w => w.kind)).toContain('stale-annotation');
    expect(r.inputs.targetPeakPercent.source).toEqual({
      kind: 'price-book',
      id: 'rightsize.target-peak-percent',
    });
  });

  it('derives months to a planned change and the environment from lifecycle', () => {
    expect(
      prefillFromAnnotations(
        'ri-vs-rightsize',
        resource({ 'planned-change-on': '2028-05-23' }),
        { asOf },
      ).values.plannedChangeInMonths,
    ).toBe(18);
    expect(resolveEnvironment(resource({ lifecycle: 'production' }))).toBe(
      'prod',
    );
    expect(resolveEnvironment(resource({}))).toBe('unknown');
    expect(
      resolveEnvironment({
        kind: 'Component',
        metadata: {},
        spec: { lifecycle: 'production' },
      }),
    ).toBe('prod');
    expect(
      prefillFromAnnotations(
        'nonprod-schedule',
        resource({ environment: 'dev' }),
        { asOf },
      ).values.environment,
    ).toBe('dev');
  });

  it.each([
    // [case, -as-of date, ageDays on the chip (undefined = age unknown), warning]
    ['measured 69 days before asOf', '2026-09-15', 69, undefined],
    ['measured on asOf', '2026-11-23', 0, undefined],
    [
      'dated after asOf',
      '2027-06-01',
      undefined,
      'Ignored ops.example.com/monthly-spend-as-of: "2027-06-01" is after asOf 2026-11-23, so the age of ops.example.com/monthly-spend is unknown.',
    ],
  ] as const)('an -as-of date %s', (_case, measured, ageDays, warning) => {
    const p = prefillFromAnnotations(
      'rightsize-p95',
      resource({ 'monthly-spend': '100', 'monthly-spend-as-of': measured }),
      { asOf },
    );
    // The value stays a hint either way; only its age is in question.
    expect(p.values.currentMonthly).toBe('100');
    expect(p.sources.currentMonthly).toEqual({
      kind: 'annotation',
      key: 'ops.example.com/monthly-spend',
      ...(ageDays === undefined ? {} : { asOf: measured, ageDays }),
    });
    expect(p.warnings).toEqual(
      warning
        ? [
            {
              kind: 'invalid-annotation',
              subject: 'ops.example.com/monthly-spend-as-of',
              message: warning,
            },
          ]
        : [],
    );
  });

  it.each([
    // [annotationMaxAgeDays, limit used]: out of range falls back to the default 90.
    [undefined, 90],
    [60, 60],
    [0, 90],
    [-1, 90],
    [NaN, 90],
    [1.5, 90],
    [1e9, 90],
  ])(
    'annotationMaxAgeDays %s holds a 120-day-old value to %s days',
    (annotationMaxAgeDays, limit) => {
      const p = prefillFromAnnotations(
        'rightsize-p95',
        resource({
          'monthly-spend': '100',
          'monthly-spend-as-of': '2026-07-26',
        }),
        { asOf, annotationMaxAgeDays },
      );
      expect(p.warnings).toEqual([
        {
          kind: 'stale-annotation',
          subject: 'ops.example.com/monthly-spend',
          message: `ops.example.com/monthly-spend is 120 days old (as of 2026-07-26); the limit is ${limit} days.`,
        },
      ]);
    },
  );

  it.each([
    // [calculator, input, planned-change-on, months (undefined = left for the user)]
    ['ri-vs-rightsize', 'plannedChangeInMonths', '2028-05-23', 18],
    ['ri-vs-rightsize', 'plannedChangeInMonths', '2026-11-23', 0],
    ['ri-vs-rightsize', 'plannedChangeInMonths', '2026-05-01', undefined],
    ['commitment-break-even', 'expectedUsageMonths', '2028-05-23', 18],
    ['commitment-break-even', 'expectedUsageMonths', '2026-11-22', undefined],
  ] as const)(
    '%s: %s from planned-change-on %s is %s',
    (calculatorId, input, date, months) => {
      const p = prefillFromAnnotations(
        calculatorId,
        resource({ 'planned-change-on': date }),
        { asOf },
      );
      expect(p.values[input]).toBe(months);
      expect(p.warnings).toEqual(
        months === undefined
          ? [
              {
                kind: 'invalid-annotation',
                subject: 'ops.example.com/planned-change-on',
                message: `Ignored ops.example.com/planned-change-on: "${date}" is before asOf 2026-11-23, so the change is no longer planned; ${input} is left for you to enter.`,
              },
            ]
          : [],
      );
    },
  );

  it.each([
    // [migrated-on, daysSinceMigration (undefined = left for the user)]
    ['2026-09-01', 83],
    ['2026-11-23', 0],
    ['2026-11-24', undefined],
    ['2027-06-01', undefined],
  ] as const)(
    'ri-vs-rightsize: daysSinceMigration from migrated-on %s is %s',
    (date, days) => {
      const p = prefillFromAnnotations(
        'ri-vs-rightsize',
        resource({ 'migrated-on': date }),
        { asOf },
      );
      expect(p.values.daysSinceMigration).toBe(days);
      expect(p.sources.daysSinceMigration).toEqual(
        days === undefined
          ? undefined
          : { kind: 'annotation', key: 'ops.example.com/migrated-on' },
      );
      expect(p.warnings).toEqual(
        days === undefined
          ? [
              {
                kind: 'invalid-annotation',
                subject: 'ops.example.com/migrated-on',
                message: `Ignored ops.example.com/migrated-on: "${date}" is after asOf 2026-11-23, so it is not a migration date yet; daysSinceMigration is left for you to enter.`,
              },
            ]
          : [],
      );
    },
  );

  it.each([
    // [migrated-on, days before asOf, daysSinceMigration]: §2 C2 accepts 0–36,500 days.
    ['1926-12-18', 36500, 36500],
    ['1926-12-17', 36501, 36500],
    ['1900-01-01', 46347, 36500],
  ] as const)(
    'ri-vs-rightsize: a migrated-on of %s (%s days ago) is clamped to %s',
    (date, days, clamped) => {
      const p = prefillFromAnnotations(
        'ri-vs-rightsize',
        resource({ 'migrated-on': date }),
        { asOf },
      );
      expect(p.values.daysSinceMigration).toBe(clamped);
      expect(p.sources.daysSinceMigration).toEqual({
        kind: 'annotation',
        key: 'ops.example.com/migrated-on',
      });
      expect(p.warnings).toEqual(
        days === clamped
          ? []
          : [
              {
                kind: 'clamped-annotation',
                subject: 'ops.example.com/migrated-on',
                message: `ops.example.com/migrated-on "${date}" is ${days} days before asOf 2026-11-23; daysSinceMigration is set to 36500, the most it accepts (the 90-day window is long past either way, so the result is the same).`,
              },
            ],
      );
      // The prefilled value computes C2 rather than failing on a field nobody typed.
      expect(
        CALCULATORS['ri-vs-rightsize'].compute(
          { ...p.values, currentMonthly: 10000, profileDays: 90 },
          vectorContext({ sources: p.sources, prefillWarnings: p.warnings }),
        ).ok,
      ).toBe(true);
    },
  );

  it.each([
    // [calculator, input, planned-change-on, months]: §2 C2/C3 accept 0–120 months; terms are at most 60.
    ['ri-vs-rightsize', 'plannedChangeInMonths', '2036-11-23', 120, 120],
    ['ri-vs-rightsize', 'plannedChangeInMonths', '2040-01-01', 157, 120],
    ['commitment-break-even', 'expectedUsageMonths', '2040-01-01', 157, 120],
  ] as const)(
    '%s: %s from a far-future planned-change-on %s (%s months) is %s',
    (calculatorId, input, date, months, clamped) => {
      const p = prefillFromAnnotations(
        calculatorId,
        resource({ 'planned-change-on': date }),
        { asOf },
      );
      expect(p.values[input]).toBe(clamped);
      expect(p.warnings).toEqual(
        months === clamped
          ? []
          : [
              {
                kind: 'clamped-annotation',
                subject: 'ops.example.com/planned-change-on',
                message: `ops.example.com/planned-change-on "${date}" is ${months} months after asOf 2026-11-23; ${input} is set to ${clamped}, the most it accepts (commitment terms are shorter, so the result is the same).`,
              },
            ],
      );
    },
  );

  it('a far-future planned change still computes C2', () => {
    const p = prefillFromAnnotations(
      'ri-vs-rightsize',
      resource({ 'monthly-spend': '10000', 'planned-change-on': '2040-01-01' }),
      { asOf },
    );
    expect(
      CALCULATORS['ri-vs-rightsize'].compute(
        { ...p.values, profileDays: 90 },
        vectorContext({ sources: p.sources, prefillWarnings: p.warnings }),
      ).ok,
    ).toBe(true);
  });

  it('link values win over annotations', () => {
    const annotation = prefillFromAnnotations(
      'rightsize-p95',
      resource({ 'monthly-spend': '10000' }),
      { asOf },
    );
    const link = {
      values: { currentMonthly: '8000' },
      sources: { currentMonthly: { kind: 'link' as const } },
      warnings: [],
    };
    expect(mergePrefills(link, annotation).values.currentMonthly).toBe('8000');
  });

  describe('withoutContradictedOffer', () => {
    const annotations = prefillFromAnnotations(
      'db-licensing',
      resource({
        provider: 'azure',
        service: 'azure-vm',
        engine: 'sqlserver-enterprise',
      }),
      { asOf },
    );
    const higher = (values: Record<string, unknown>) => ({
      values,
      sources: {},
      warnings: [],
    });

    it('the annotations choose an offer by provider, service and engine', () => {
      expect(annotations.values.offerId).toEqual(expect.any(String));
      expect(annotations.sources.offerId).toEqual({
        kind: 'annotation',
        key: 'ops.example.com/service',
      });
    });

    it.each([
      ['another provider', { provider: 'gcp' }],
      ['another engine', { engineEdition: 'postgres' }],
    ])('drops that offer under %s', (_, values) => {
      const kept = withoutContradictedOffer(higher(values), annotations);
      expect(kept.values).not.toHaveProperty('offerId');
      expect(kept.sources).not.toHaveProperty('offerId');
      expect(kept.values.provider).toBe('azure');
    });

    it.each([
      ['nothing of its own', {}],
      [
        'the same provider and engine',
        { provider: 'azure', engineEdition: 'sqlserver-enterprise' },
      ],
      ['another spend', { currentMonthly: '5' }],
    ])('keeps it under %s', (_, values) => {
      expect(withoutContradictedOffer(higher(values), annotations)).toBe(
        annotations,
      );
    });

    it('keeps an offer that was not chosen by the annotations', () => {
      const linked = {
        values: { provider: 'azure', offerId: 'x' },
        sources: { offerId: { kind: 'link' as const } },
        warnings: [],
      };
      expect(
        withoutContradictedOffer(higher({ provider: 'gcp' }), linked),
      ).toBe(linked);
    });
  });

  it('reads a Component as a connection client', () => {
    expect(
      connectionClientFromComponent({
        kind: 'Component',
        metadata: {
          name: 'web',
          annotations: {
            'ops.example.com/max-instances': '50',
            'ops.example.com/db-pool-size': '5',
          },
        },
      }),
    ).toEqual({
      name: 'web',
      maxInstances: 50,
      poolSize: 5,
      rolloutSurgePercent: 0,
    });
  });
});

describe('prefillFromAnnotations with an asOf that is not a date', () => {
  // A hand-edited share link (?asOf=2026-02-30) reaches prefill before any validation.
  it.each([
    [
      'ri-vs-rightsize',
      { 'monthly-spend': '100', 'migrated-on': '2026-01-01' },
      '2026-02-30',
      'daysSinceMigration (from ops.example.com/migrated-on)',
    ],
    [
      'ri-vs-rightsize',
      { 'planned-change-on': '2028-05-23' },
      'garbage',
      'plannedChangeInMonths (from ops.example.com/planned-change-on)',
    ],
    [
      'commitment-break-even',
      { 'planned-change-on': '2028-05-23' },
      '2026-13-01',
      'expectedUsageMonths (from ops.example.com/planned-change-on)',
    ],
    [
      'rightsize-p95',
      { 'monthly-spend': '100', 'monthly-spend-as-of': '2026-01-01' },
      'garbage',
      'the age of ops.example.com/monthly-spend',
    ],
  ] as const)(
    '%s %j with asOf %s skips %s and says why',
    (calculatorId, annotations, badAsOf, skipped) => {
      const p = prefillFromAnnotations(calculatorId, resource(annotations), {
        asOf: badAsOf,
      });
      expect(p.warnings).toEqual([
        {
          kind: 'invalid-as-of',
          subject: 'asOf',
          message: `Not prefilled because asOf "${badAsOf}" is not a date YYYY-MM-DD: ${skipped}.`,
        },
      ]);
    },
  );

  it('keeps the values that need no date arithmetic', () => {
    const p = prefillFromAnnotations(
      'ri-vs-rightsize',
      resource({
        'monthly-spend': '100',
        'monthly-spend-as-of': '2026-01-01',
        'migrated-on': '2026-01-01',
      }),
      { asOf: '2026-02-30' },
    );
    expect(p.values).toEqual({ currentMonthly: '100' });
    // No age can be computed: the chip says "age unknown" instead of a wrong age.
    expect(p.sources.currentMonthly).toEqual({
      kind: 'annotation',
      key: 'ops.example.com/monthly-spend',
      asOf: '2026-01-01',
    });
  });

  it('raises no asOf warning when nothing depended on the date', () => {
    expect(
      prefillFromAnnotations(
        'rightsize-p95',
        resource({ 'monthly-spend': '100' }),
        { asOf: '2026-02-30' },
      ).warnings,
    ).toEqual([]);
  });
});

describe('prefillFromAnnotations with enum annotations', () => {
  it.each([
    [
      'encryption-tier',
      'data-classification',
      'confidential',
      'one of low, critical-pii, pci-regulated',
    ],
    [
      'provisioning-estimate',
      'database-tier',
      'prod',
      'one of dev, staging, production-standard, production-critical',
    ],
    ['db-licensing', 'provider', 'aliyun', 'one of aws, azure, gcp, oci'],
    [
      'db-licensing',
      'engine',
      'oracle',
      'one of oracle-ee, oracle-se2, sqlserver-enterprise, sqlserver-standard',
    ],
  ] as const)(
    '%s ignores %s: %s with an invalid-annotation warning',
    (calculatorId, key, raw, expected) => {
      const p = prefillFromAnnotations(calculatorId, resource({ [key]: raw }), {
        asOf,
      });
      expect(p.values).toEqual({});
      expect(p.warnings).toEqual([
        {
          kind: 'invalid-annotation',
          subject: `ops.example.com/${key}`,
          message: `Ignored ops.example.com/${key}: "${raw}" is not ${expected}.`,
        },
      ]);
    },
  );

  it.each([
    ['encryption-tier', 'data-classification', 'critical-pii', 'dataClass'],
    [
      'provisioning-estimate',
      'database-tier',
      'production-standard',
      'databaseTier',
    ],
  ] as const)('%s prefills a valid %s', (calculatorId, key, raw, input) => {
    const p = prefillFromAnnotations(calculatorId, resource({ [key]: raw }), {
      asOf,
    });
    expect(p.values).toEqual({ [input]: raw });
    expect(p.warnings).toEqual([]);
  });
});

describe('C15 prefill of a golden-path database Resource', () => {
  it('reads storage-gib as the storage, as C9 and C13 do (checkout-db: 500 GiB)', () => {
    const p = prefillFromAnnotations(
      'provisioning-estimate',
      resource({
        'database-tier': 'production-critical',
        'price-book-sku': 'example.rds-postgres.l',
        'storage-gib': '500',
      }),
      { asOf },
    );
    expect(p.values).toEqual({
      databaseTier: 'production-critical',
      priceBookSku: 'example.rds-postgres.l',
      storageGiB: '500',
    });
    expect(p.sources.storageGiB).toEqual({
      kind: 'annotation',
      key: 'ops.example.com/storage-gib',
    });
  });
});

describe('readConnectionClient', () => {
  const component = (annotations: Record<string, string>) => ({
    kind: 'Component',
    metadata: {
      name: 'web',
      annotations: Object.fromEntries(
        Object.entries(annotations).map(([k, v]) => [
          `ops.example.com/${k}`,
          v,
        ]),
      ),
    },
  });

  it.each([
    [
      {
        'max-instances': '50',
        'db-pool-size': '5',
        'rollout-surge-percent': '100%',
      },
      { name: 'web', maxInstances: 50, poolSize: 5, rolloutSurgePercent: 0 },
      'Ignored ops.example.com/rollout-surge-percent on web: "100%" is not a decimal number (percent, without "%"); a surge of 0 % is assumed.',
    ],
    [
      { 'max-instances': 'ten', 'db-pool-size': '5' },
      null,
      'Ignored ops.example.com/max-instances on web: "ten" is not a whole number; web is not counted as a client.',
    ],
    [
      { 'max-instances': '10', 'db-pool-size': '5.5' },
      null,
      'Ignored ops.example.com/db-pool-size on web: "5.5" is not a whole number; web is not counted as a client.',
    ],
  ])('%j → %j with a warning', (annotations, row, message) => {
    expect(readConnectionClient(component(annotations))).toEqual({
      row,
      missing: [],
      warnings: [
        expect.objectContaining({ kind: 'invalid-annotation', message }),
      ],
    });
  });

  it('reads valid annotations without warnings, and missing ones as no row', () => {
    expect(
      readConnectionClient(
        component({
          'max-instances': '50',
          'db-pool-size': '5',
          'rollout-surge-percent': '25',
        }),
      ),
    ).toEqual({
      row: {
        name: 'web',
        maxInstances: 50,
        poolSize: 5,
        rolloutSurgePercent: 25,
      },
      missing: [],
      warnings: [],
    });
    expect(readConnectionClient(component({ 'db-pool-size': '5' }))).toEqual({
      row: null,
      missing: ['max-instances'],
      warnings: [],
    });
  });
});

describe('shouldRenderCard', () => {
  const card = (id: string) => CARDS.find(c => c.id === id)!;
  it.each([
    ['commitment', resource({ 'monthly-spend': '1' }), true],
    ['commitment', resource({}), false],
    ['licensing', resource({ engine: 'oracle-ee' }), true],
    ['licensing', resource({ engine: 'postgres' }), false],
    ['schedule', resource({ environment: 'dev', 'monthly-spend': '1' }), true],
    [
      'schedule',
      resource({ lifecycle: 'production', 'monthly-spend': '1' }),
      false,
    ],
    ['schedule', resource({ 'monthly-spend': '1' }), false],
    ['bigquery', resource({ service: 'bigquery' }, 'dataset'), true],
    ['failover', resource({ service: 'aurora' }), true],
    ['failover', resource({ service: 'cloud-sql-ha' }), true],
    ['failover', resource({ service: 'azure-sql-bc' }), true],
    // §2 C11: rds-multi-az has no documented failover time, so no facts: only a target RTO brings the card.
    ['failover', resource({ service: 'rds-multi-az' }), false],
    [
      'failover',
      resource({ service: 'rds-multi-az', 'rto-seconds': '60' }),
      true,
    ],
    ['failover', resource({ service: 'rds' }), false],
    ['failover', resource({ 'rto-seconds': '60' }), true],
    ['failover', resource({}), false],
    [
      'schedule',
      resource({
        environment: 'production',
        lifecycle: 'production',
        'monthly-spend': '1',
      }),
      false,
    ],
    [
      'schedule',
      resource({ environment: 'development', 'monthly-spend': '1' }),
      false,
    ],
    ['cache-memory', resource({ 'cache-keys': '10' }, 'cache'), true],
  ])('%s card for %j → %s', (id, entity, expected) => {
    expect(shouldRenderCard(card(id), entity)).toBe(expected);
  });
});

describe('failover card and C11 prefill agree (§1, §2 C11)', () => {
  const failoverCard = CARDS.find(c => c.id === 'failover')!;

  it.each([
    // [service annotation, prefilled service (undefined = left at custom), card without rto-seconds]
    ['aurora', 'aurora', true],
    ['cloud-sql-ha', 'cloud-sql-ha', true],
    ['azure-sql-bc', 'azure-sql-bc', true],
    ['rds-multi-az', 'rds-multi-az', false],
    ['custom', 'custom', false],
    // §1 service values that are not C11 services: no guess, and no warning (they serve other cards).
    ['rds', undefined, false],
    ['cloud-sql', undefined, false],
  ] as const)(
    'service %s → C11 service %s, card %s',
    (service, prefilled, card) => {
      const entity = resource({ service });
      const p = prefillFromAnnotations('failover-rto', entity, { asOf });
      expect(p.values.service).toBe(prefilled);
      expect(p.warnings).toEqual([]);
      expect(shouldRenderCard(failoverCard, entity)).toBe(card);
    },
  );

  it.each(['aurora', 'cloud-sql-ha', 'azure-sql-bc'])(
    'a card shown for service %s computes from its prefill alone',
    service => {
      const entity = resource({ service, 'rto-seconds': '120' });
      const p = prefillFromAnnotations('failover-rto', entity, { asOf });
      expect(shouldRenderCard(failoverCard, entity)).toBe(true);
      expect(
        expectOk(
          failoverRto.compute(p.values, vectorContext({ sources: p.sources })),
        ).inputs.service,
      ).toEqual({
        value: service,
        source: { kind: 'annotation', key: 'ops.example.com/service' },
      });
    },
  );

  it('rds-multi-az asks for the measured failover time, naming the service', () => {
    const p = prefillFromAnnotations(
      'failover-rto',
      resource({ service: 'rds-multi-az', 'rto-seconds': '120' }),
      { asOf },
    );
    const outcome = failoverRto.compute(p.values, vectorContext());
    expect(outcome.ok ? [] : outcome.errors).toEqual([
      {
        input: 'providerFailoverSeconds',
        code: 'required',
        message:
          'providerFailoverSeconds is required for rds-multi-az: enter a measured value.',
      },
    ]);
  });
});

describe('C8 environment prefill (§1: annotation, else lifecycle production ⇒ prod)', () => {
  const invalidEnvironment = (raw: string) => ({
    kind: 'invalid-annotation',
    subject: 'ops.example.com/environment',
    message: `Ignored ops.example.com/environment: "${raw}" is not one of prod, staging, test, dev.`,
  });
  const lifecycleAnnotation = {
    kind: 'annotation',
    key: 'ops.example.com/lifecycle',
  };

  it.each([
    // [case, entity, environment, source, warnings]
    [
      'valid annotation',
      resource({ environment: 'dev', lifecycle: 'production' }),
      'dev',
      { kind: 'annotation', key: 'ops.example.com/environment' },
      [],
    ],
    [
      'invalid annotation, lifecycle production',
      resource({ environment: 'production', lifecycle: 'production' }),
      'prod',
      lifecycleAnnotation,
      [invalidEnvironment('production')],
    ],
    [
      'invalid annotation, no lifecycle',
      resource({ environment: 'development' }),
      'unknown',
      { kind: 'default' },
      [invalidEnvironment('development')],
    ],
    [
      'lifecycle production only',
      resource({ lifecycle: 'production' }),
      'prod',
      lifecycleAnnotation,
      [],
    ],
    [
      'lifecycle experimental only',
      resource({ lifecycle: 'experimental' }),
      'unknown',
      lifecycleAnnotation,
      [],
    ],
    ['nothing to go on', resource({}), 'unknown', { kind: 'default' }, []],
    [
      'a Component in production',
      { kind: 'Component', metadata: {}, spec: { lifecycle: 'production' } },
      'prod',
      { kind: 'derived', from: 'spec.lifecycle' },
      [],
    ],
  ] as const)('%s', (_case, entity, environment, source, warnings) => {
    const p = prefillFromAnnotations('nonprod-schedule', entity, { asOf });
    expect(p.values.environment).toBe(environment);
    expect(p.sources.environment).toEqual(source);
    expect(p.warnings).toEqual(warnings);
    expect(resolveEnvironment(entity)).toBe(environment);
  });

  it('the result names the lifecycle annotation as the source of prod', () => {
    const p = prefillFromAnnotations(
      'nonprod-schedule',
      resource({ environment: 'production', lifecycle: 'production' }),
      { asOf },
    );
    const r = expectOk(
      nonprodSchedule.compute(
        { ...p.values, computeHourly: 2 },
        vectorContext({ sources: p.sources, prefillWarnings: p.warnings }),
      ),
    );
    expect(r.inputs.environment.source).toEqual(lifecycleAnnotation);
    expect(r.warnings).toContainEqual(invalidEnvironment('production'));
  });
});
