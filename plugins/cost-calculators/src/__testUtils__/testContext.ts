import { mockApis } from '@backstage/frontend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { CostCalculatorsClient, costCalculatorsApiRef } from '../api';

/** The calculators' reference date in the design note (CC asOf). */
export const NOTE_AS_OF = new Date('2026-11-23T12:00:00Z');

/** The demo catalog's orders-db (catalog/demo/resources.yaml), the worked example of §5. */
export const ordersDb: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: {
    name: 'orders-db',
    namespace: 'default',
    annotations: {
      'ops.example.com/lifecycle': 'production',
      'ops.example.com/provider': 'azure',
      'ops.example.com/service': 'azure-sql-db',
      'ops.example.com/engine': 'sqlserver-enterprise',
      'ops.example.com/environment': 'prod',
      'ops.example.com/monthly-spend': '10000',
      'ops.example.com/monthly-spend-as-of': '2026-09-15',
      'ops.example.com/profile-days': '90',
    },
  },
  spec: {
    type: 'database',
    owner: 'group:default/fulfillment-team',
    system: 'system:default/fulfillment',
  },
};

/**
 * orders-db with a 400-connection limit and two dependents, order-service and report-job: the
 * connection budget worked in the card, the Component card and the page. Each test gives the
 * dependents their pools with {@link dependentComponent}, so what it asserts is beside the numbers.
 */
export const budgetedOrdersDb: Entity = {
  ...ordersDb,
  metadata: {
    ...ordersDb.metadata,
    annotations: {
      ...ordersDb.metadata.annotations,
      'ops.example.com/max-connections': '400',
    },
  },
  relations: [
    { type: 'dependencyOf', targetRef: 'component:default/order-service' },
    { type: 'dependencyOf', targetRef: 'component:default/report-job' },
  ],
};

/**
 * A Component in the default namespace that depends on orders-db, its pool declared by
 * `annotations` (`ops.example.com/db-pool-size`, `max-instances`, …; none = undeclared).
 */
export function dependentComponent(
  name: string,
  annotations: Record<string, string> = {},
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default', annotations },
    spec: { type: 'service', owner: 'group:default/fulfillment-team' },
    relations: [{ type: 'dependsOn', targetRef: 'resource:default/orders-db' }],
  };
}

/** A real client over mock config, pinned to the note's date. */
export function calculatorsApi(data: Record<string, unknown> = {}) {
  return [
    costCalculatorsApiRef,
    new CostCalculatorsClient({
      configApi: mockApis.config({ data: data as any }),
      now: () => NOTE_AS_OF,
    }),
  ] as const;
}

/** Replaces the clipboard and returns what was written to it. */
export function captureClipboard(): { texts: string[] } {
  const captured = { texts: [] as string[] };
  Object.defineProperty(navigator, 'clipboard', {
    configurable: true,
    value: {
      writeText: async (text: string) => {
        captured.texts.push(text);
      },
    },
  });
  return captured;
}
