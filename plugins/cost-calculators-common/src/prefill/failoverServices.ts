/*
 * C11's services and which of them bring the Failover card. Kept apart from the
 * calculator so that `shouldRenderCard` (imported by the app's card filters on
 * every page) does not pull in the calculators and decimal.js.
 */

/** Failover services C11 knows (§2 C11); `custom` has no documented figures. */
export const FAILOVER_SERVICES = [
  'aurora',
  'rds-multi-az',
  'cloud-sql-ha',
  'azure-sql-bc',
  'custom',
] as const;

/** One C11 service. */
export type FailoverService = (typeof FAILOVER_SERVICES)[number];

/**
 * Services with documented failover facts in the price book (18). They alone
 * bring the Failover card (§1: "service has failover facts, or rto-seconds
 * present"); `rds-multi-az` and `custom` have no documented time, so their card
 * needs a target RTO and the user enters a measured failover time.
 */
export const SERVICES_WITH_FAILOVER_FACTS = [
  'aurora',
  'cloud-sql-ha',
  'azure-sql-bc',
] as const satisfies readonly FailoverService[];

/** A service with documented failover facts. */
export type ServiceWithFailoverFacts =
  (typeof SERVICES_WITH_FAILOVER_FACTS)[number];

/** True when `value` is one of C11's services. */
export function isFailoverService(value: unknown): value is FailoverService {
  return (FAILOVER_SERVICES as readonly unknown[]).includes(value);
}

/** True when `value` names a service with documented failover facts. */
export function hasFailoverFacts(
  value: unknown,
): value is ServiceWithFailoverFacts {
  return (SERVICES_WITH_FAILOVER_FACTS as readonly unknown[]).includes(value);
}
