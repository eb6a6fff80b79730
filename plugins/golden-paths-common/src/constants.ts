import { OPS_ANNOTATION_PREFIX } from '@internal/plugin-incident-brief-common';

/**
 * Entity and repository names (GP-N01). The template YAML `pattern`s must equal this source so
 * the form's early feedback and the authoritative rule never disagree (§3).
 *
 * @public
 */
export const NAME_PATTERN = '^[a-z][a-z0-9]*(-[a-z0-9]+)*$';

/**
 * Request (idempotency) keys: 3–128 characters, starting with a letter or digit (GP-I01, §4.2).
 *
 * @public
 */
export const REQUEST_KEY_PATTERN = '^[a-z0-9][a-z0-9._:/-]{2,127}$';

/**
 * On-call rotation formats accepted on a request (GP-T05; incident-brief §2.2).
 *
 * @public
 */
export const ONCALL_PATTERN =
  '^(pagerduty:schedule/[A-Za-z0-9_-]+|opsgenie:schedule/[A-Za-z0-9._ -]+|static:[a-z0-9][a-z0-9._-]*)$';

/**
 * Cost centres (`ours`, §3.3).
 *
 * @public
 */
export const COST_CENTER_PATTERN = '^CC-[0-9]{4}$';

/**
 * Name length limits per request kind (GP-N01): databases are shorter because the Resource name
 * `<name>-<environment>` and the PostgreSQL identifier must still fit.
 *
 * @public
 */
export const NAME_LENGTH = {
  service: { min: 3, max: 40 },
  worker: { min: 3, max: 40 },
  database: { min: 3, max: 30 },
} as const;

/**
 * The `ops.example.com/*` keys golden paths read and write (shared conventions, README of the
 * design notes). Built from the one suite-wide prefix, never spelled out.
 *
 * @public
 */
export const GP_KEYS = {
  tier: `${OPS_ANNOTATION_PREFIX}tier`,
  customerFacing: `${OPS_ANNOTATION_PREFIX}customer-facing`,
  oncall: `${OPS_ANNOTATION_PREFIX}oncall`,
  regions: `${OPS_ANNOTATION_PREFIX}regions`,
  dataClassification: `${OPS_ANNOTATION_PREFIX}data-classification`,
  lifecycle: `${OPS_ANNOTATION_PREFIX}lifecycle`,
  costCenter: `${OPS_ANNOTATION_PREFIX}cost-center`,
  template: `${OPS_ANNOTATION_PREFIX}template`,
  templateVersion: `${OPS_ANNOTATION_PREFIX}template-version`,
  requestKey: `${OPS_ANNOTATION_PREFIX}request-key`,
  createdAt: `${OPS_ANNOTATION_PREFIX}created-at`,
  archivedOn: `${OPS_ANNOTATION_PREFIX}archived-on`,
  retireBy: `${OPS_ANNOTATION_PREFIX}retire-by`,
  replacedBy: `${OPS_ANNOTATION_PREFIX}replaced-by`,
  deprecatedReason: `${OPS_ANNOTATION_PREFIX}deprecated-reason`,
  sloIds: `${OPS_ANNOTATION_PREFIX}slo-ids`,
  offPath: `${OPS_ANNOTATION_PREFIX}off-path`,
  /** `"true"` on an archived worker: the reusable deploy workflow scales it to zero (§7.3). */
  paused: `${OPS_ANNOTATION_PREFIX}paused`,
} as const;

/**
 * Data classifications (same values as cost calculator C12).
 *
 * @public
 */
export const DATA_CLASSIFICATIONS = [
  'low',
  'critical-pii',
  'pci-regulated',
] as const;

/** @public */
export type DataClassification = (typeof DATA_CLASSIFICATIONS)[number];

/**
 * Classifications that fire `production-data` and residency (GP-R03).
 *
 * @public
 */
export const RESTRICTED_CLASSIFICATIONS: readonly DataClassification[] = [
  'critical-pii',
  'pci-regulated',
];

/**
 * Database tiers (a scale separate from the 1–3 service tier).
 *
 * @public
 */
export const DATABASE_TIERS = [
  'dev',
  'staging',
  'production-standard',
  'production-critical',
] as const;

/** @public */
export type DatabaseTier = (typeof DATABASE_TIERS)[number];

/** @public */
export const ENVIRONMENTS = ['dev', 'staging', 'prod'] as const;

/** @public */
export type Environment = (typeof ENVIRONMENTS)[number];

/**
 * Which database tiers an environment offers (GP-D03), in menu order.
 *
 * @public
 */
export const TIERS_BY_ENVIRONMENT: Record<
  Environment,
  readonly DatabaseTier[]
> = {
  dev: ['dev'],
  staging: ['staging'],
  prod: ['production-standard', 'production-critical'],
};
