import { mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { componentFacts } from './componentFacts';

describe('componentFacts', () => {
  it("reads a short owner and system in the component's own namespace, as the catalog does", async () => {
    const catalog = catalogServiceMock({
      entities: [
        {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Component',
          metadata: { name: 'orders', namespace: 'payments' },
          spec: { owner: 'orders-team', system: 'checkout', type: 'service' },
        },
      ],
    });
    const facts = await componentFacts(
      catalog,
      mockServices.auth(),
      'component:payments/orders',
    );
    expect(facts).toMatchObject({
      ref: 'component:payments/orders',
      owner: 'group:payments/orders-team',
      system: 'system:payments/checkout',
    });
  });
});
