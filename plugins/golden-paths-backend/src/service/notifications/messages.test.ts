import { databaseExpiryNotice, deprecationNotice } from './messages';

describe('golden-path notifications', () => {
  it.each([
    [7, 'soon', 'Database cart-db-dev expires on 2026-11-30 (in 7 days)'],
    [1, 'soon', 'Database cart-db-dev expires on 2026-11-30 (in 1 day)'],
    [0, 'expired', 'Database cart-db-dev expired on 2026-11-30'],
  ] as const)(
    'database expiry, %s day(s) left: %s',
    (daysLeft, phase, title) => {
      const notice = databaseExpiryNotice({
        requestKey: 'postgres-database:cart-db:dev',
        entityRef: 'resource:default/cart-db-dev',
        expiresOn: '2026-11-30',
        phase,
        daysLeft,
      });
      expect(notice.payload.title).toBe(title);
      expect(notice.recipients).toEqual({
        type: 'entity',
        entityRef: 'resource:default/cart-db-dev',
      });
    },
  );

  it('a deprecation names its sunset and replacement and leaves archived dependents out', () => {
    const notice = deprecationNotice(
      {
        entityRef: 'component:team-a/pricing-service',
        sunsetOn: '2027-03-01',
        replacement: 'component:team-a/pricing-v2',
      },
      [
        {
          ref: 'component:default/web-storefront',
          relation: 'dependsOn',
          lifecycle: 'production',
        },
        {
          ref: 'component:default/old-shop',
          relation: 'dependsOn',
          lifecycle: 'archived',
        },
        {
          ref: 'component:default/checkout',
          relation: 'consumesApi',
          lifecycle: 'experimental',
        },
      ],
    );
    expect(notice).toEqual({
      recipients: {
        type: 'entity',
        entityRef: [
          'component:default/web-storefront',
          'component:default/checkout',
        ],
      },
      payload: {
        title:
          'component:team-a/pricing-service is deprecated (sunset 2027-03-01)',
        description:
          '2 entities depend on it, one of yours among them. Its replacement is component:team-a/pricing-v2. Move off it before the sunset date: it can be archived from then on.',
        link: '/catalog/team-a/component/pricing-service',
        severity: 'normal',
        topic: 'golden-paths',
        scope: 'golden-paths:deprecation:component:team-a/pricing-service',
      },
    });
  });

  it('a deprecation without live dependents tells nobody', () => {
    expect(
      deprecationNotice(
        { entityRef: 'component:default/x', replacement: 'none' },
        [
          {
            ref: 'component:default/y',
            relation: 'partOf',
            lifecycle: 'archived',
          },
        ],
      ),
    ).toBeUndefined();
  });
});
