import { Entity } from '@backstage/catalog-model';
import { DEFAULT_SCORECARDS_CONFIG } from '../config/scorecardsConfig';
import { deriveSubject } from './entitySubject';

const service = (aliases?: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'Checkout-Service',
    ...(aliases !== undefined
      ? { annotations: { 'ops.example.com/aliases': aliases } }
      : {}),
  },
  spec: { type: 'service', lifecycle: 'production', owner: 'group:default/x' },
});

describe('deriveSubject aliases', () => {
  it.each([
    [undefined, ['checkout-service']],
    [
      'checkout, CHECKOUT-API',
      ['checkout-service', 'checkout', 'checkout-api'],
    ],
    // the name and repeats count once, in first-seen order
    [
      'Checkout-Service, checkout, Checkout, api',
      ['checkout-service', 'checkout', 'api'],
    ],
  ])('%j → %j', (aliases, expected) => {
    expect(
      deriveSubject(service(aliases), DEFAULT_SCORECARDS_CONFIG).aliases,
    ).toEqual(expected);
  });

  it('keeps 50,000 aliases with repeats once each (one pass, not a scan per alias)', () => {
    const names = Array.from({ length: 50_000 }, (_, i) => `svc-${i % 25_000}`);
    const { aliases } = deriveSubject(
      service(names.join(',')),
      DEFAULT_SCORECARDS_CONFIG,
    );
    expect(aliases).toHaveLength(25_001);
    expect(aliases.slice(0, 3)).toEqual(['checkout-service', 'svc-0', 'svc-1']);
  });
});
