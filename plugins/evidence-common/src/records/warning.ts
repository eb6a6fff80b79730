/**
 * Codes of warnings returned with accepted writes (§3.3).
 *
 * @public
 */
export type WarningCode =
  | 'UNKNOWN_ENTITY'
  | 'ALIAS_CONFLICT'
  | 'AMBIGUOUS_REPOSITORY'
  | 'SKEWED'
  | 'LATE'
  | 'ROLLBACK_TARGET_UNKNOWN'
  | 'STALE_ON_ARRIVAL'
  | 'OUT_OF_ORDER'
  | 'ENVIRONMENT_CANONICALIZED';

/**
 * A warning on an accepted write; `field` is a dotted path when one field caused it.
 *
 * @public
 */
export interface Warning {
  code: WarningCode;
  message: string;
  field?: string;
}
