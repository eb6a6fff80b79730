import { FactRecord } from '../records/factRecord';

/** Builds a fact record for tests with only the fields a case cares about. */
export function makeFact(overrides: Partial<FactRecord> = {}): FactRecord {
  return {
    id: '01JQ0000000000000000000000',
    entityRef: 'component:default/checkout-service',
    subject: 'component:default/checkout-service',
    resolution: 'resolved',
    source: 'repo',
    kind: 'repo.files',
    key: '',
    value: { paths: [] },
    valueFingerprint: 'sha256:x',
    observedAt: '2026-03-14T00:00:00.000Z',
    collectedAt: '2026-03-14T00:00:00.000Z',
    freshForSeconds: 3600,
    expiresAt: '2026-03-14T01:00:00.000Z',
    provenance: {},
    flags: [],
    demo: false,
    ...overrides,
  };
}
