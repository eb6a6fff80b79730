import { DEFAULT_GOLDEN_PATHS_CONFIG } from '../config';
import { parseRequest } from './parseRequest';

const deprecate = (replacement: string) => ({
  entity: 'component:default/pricing-service',
  transition: 'deprecate',
  reason: 'moving to pricing-v2',
  replacement,
  sunsetOn: '2027-03-01',
});

describe('parseRequest: a lifecycle replacement (§7.1 G-D1)', () => {
  it.each([
    'none',
    'component:default/pricing-v2',
    'pricing-v2',
    'API:default/pricing',
  ])('takes %j', replacement => {
    const parsed = parseRequest(
      'lifecycle',
      deprecate(replacement),
      DEFAULT_GOLDEN_PATHS_CONFIG,
    );
    expect(parsed.ok).toBe(true);
  });

  // the catalog's own rules, like every other ref field: G-D1 would say "not an entity" later,
  // but the form should say what is wrong with the text first
  it.each([
    'not a ref!!',
    'component:default/pricing v2',
    'component:default/',
  ])('refuses %j as no entity ref (GP-V01)', replacement => {
    const parsed = parseRequest(
      'lifecycle',
      deprecate(replacement),
      DEFAULT_GOLDEN_PATHS_CONFIG,
    );
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? [] : parsed.errors.map(e => [e.id, e.field])).toEqual([
      ['GP-V01', 'replacement'],
    ]);
  });
});
