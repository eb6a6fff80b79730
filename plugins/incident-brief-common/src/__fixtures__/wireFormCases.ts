import { BlastRadiusOptions } from '../blastRadius/types';

/**
 * Demo roots and options whose answers a wire form must read back unchanged: paths longer than
 * one step, a truncated page, the other direction, a System root and an API root.
 */
export const WIRE_FORM_CASES: [string, BlastRadiusOptions][] = [
  ['resource:default/inventory-db', {}],
  ['resource:default/inventory-db', { limit: 2 }],
  ['component:default/checkout-service', { direction: 'dependencies' }],
  ['system:default/checkout', { hops: 2 }],
  ['api:default/payment-api', {}],
];

/** `answer` as the backend's restricted filter leaves it when the first entry is unreadable. */
export function withFirstRestricted<
  A extends { impacted: { path: unknown[] }[] },
>(answer: A) {
  return {
    ...answer,
    restricted: 1,
    impacted: [
      { ...answer.impacted[0], path: [], restricted: true as const },
      ...answer.impacted.slice(1),
    ],
  };
}
