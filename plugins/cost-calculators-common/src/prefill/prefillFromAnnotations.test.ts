import {
  connectionClientFromComponent,
  mergePrefills,
  prefillFromAnnotations,
} from './prefillFromAnnotations';
import { shouldRenderCard } from './shouldRenderCard';
import { resolveEnvironment } from './entityFacts';
import { CARDS } from '../registry';
import { rightsizeP95 } from '../calculators/rightsizeP95';
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
    ['failover', resource({}), false],
    ['cache-memory', resource({ 'cache-keys': '10' }, 'cache'), true],
  ])('%s card for %j → %s', (id, entity, expected) => {
    expect(shouldRenderCard(card(id), entity)).toBe(expected);
  });
});
