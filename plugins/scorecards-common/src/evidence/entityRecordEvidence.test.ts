import {
  entityRecordEvidence,
  isEntityRecordEvidence,
} from './entityRecordEvidence';

describe('isEntityRecordEvidence', () => {
  const own = entityRecordEvidence(
    'component:default/checkout-service',
    '2026-03-14T02:05:00Z',
  );
  it.each([
    ['the entity record', own, true],
    [
      'the catalog snapshot (it has a window)',
      { ...own, freshForSeconds: 600, summary: 'catalog snapshot' },
      false,
    ],
    [
      'a fact with no window',
      { ...own, source: 'repo', kind: 'repo.settings' },
      false,
    ],
  ])('%s: %s', (_name, used, expected) => {
    expect(isEntityRecordEvidence(used)).toBe(expected);
  });
});
