import { CALCULATOR_REGISTRY, CARDS } from './registry';
import { CALCULATOR_IDS } from './types';
import { prefillFromAnnotations } from './prefill/prefillFromAnnotations';

describe('registry', () => {
  it('lists all fifteen calculators once, each on exactly one card', () => {
    expect(CALCULATOR_REGISTRY.map(e => e.id)).toEqual([...CALCULATOR_IDS]);
    expect(CARDS.flatMap(c => c.calculators).sort()).toEqual(
      [...CALCULATOR_IDS].sort(),
    );
    for (const e of CALCULATOR_REGISTRY) {
      expect(e.title.length).toBeGreaterThan(0);
      expect(e.question.endsWith('?')).toBe(true);
      expect(e.sources.length).toBeGreaterThan(0);
    }
  });

  it('names the C1 prefill annotations', () => {
    expect(
      CALCULATOR_REGISTRY.find(e => e.id === 'rightsize-p95')
        ?.prefillAnnotations,
    ).toEqual(['monthly-spend', 'p95-cpu', 'p95-memory', 'profile-days']);
  });

  it("names every annotation the prefill reads, C15's storage-gib included", () => {
    // One valid value per key the calculators read: each filled input's source names its key.
    const annotations = Object.fromEntries(
      Object.entries({
        'monthly-spend': '1000',
        'p95-cpu': '20',
        'p95-memory': '30',
        'profile-days': '90',
        'bigquery-etl-tib-month': '10',
        'bigquery-adhoc-tib-month': '5',
        'bigquery-slots': '100',
        provider: 'aws',
        engine: 'sqlserver-enterprise',
        vcpus: '4',
        'licences-owned': '2',
        'price-book-sku': 'example.rds-postgres.l',
        'stored-procedures': '10',
        'commitment-ends-on': '2027-06-30',
        'storage-gib': '500',
        'cold-percent': '40',
        'max-connections': '500',
        'rto-seconds': '120',
        'rpo-seconds': '60',
        'data-classification': 'internal',
        'crypto-ops-per-second': '10',
        'cache-keys': '1000',
        'cache-avg-value-bytes': '100',
        'database-tier': 'production-critical',
      }).map(([key, value]) => [`ops.example.com/${key}`, value]),
    );
    for (const entry of CALCULATOR_REGISTRY) {
      const { sources } = prefillFromAnnotations(
        entry.id,
        { kind: 'Resource', metadata: { annotations } },
        { asOf: '2026-11-23' },
      );
      const read = Object.values(sources).flatMap(s =>
        s.kind === 'annotation' ? [s.key.replace('ops.example.com/', '')] : [],
      );
      expect({
        id: entry.id,
        missing: read.filter(k => !entry.prefillAnnotations.includes(k)),
      }).toEqual({ id: entry.id, missing: [] });
    }
    expect(
      CALCULATOR_REGISTRY.find(e => e.id === 'provisioning-estimate')
        ?.prefillAnnotations,
    ).toContain('storage-gib');
  });
});
