/**
 * What the suite's backend plugins share at their HTTP boundary.
 *
 * @packageDocumentation
 */
export {
  FULL_REF,
  MAX_REF_LENGTH,
  fullRef,
  hasNul,
  isIsoDate,
  isIsoInstant,
  isoTime,
  oneOf,
  parse,
  shown,
  stringError,
  withoutNul,
  storableText,
} from './fieldSchemas';
export { NO_QUERY, parseQuery } from './queryParams';
export {
  readConfigDuration,
  readConfigDurationMs,
  readConfigNumber,
} from './configValues';
export type { ConfigDurationOptions, ConfigNumberRange } from './configValues';
export { untilAborted } from './untilAborted';
export { FailureLog } from './failureLog';
export type { FailureLogOptions } from './failureLog';
export { isUniqueViolation } from './uniqueViolation';
export { isPostgres, keyDigest, lockKeys } from './keyLocks';
export { decodePairCursor, encodePairCursor } from './pairCursor';
export { jsonErrorHandler } from './jsonErrorHandler';
export {
  MAX_JSON_DEPTH,
  bodyShown,
  UnsupportedMediaTypeError,
  jsonBody,
  jsonObjectBody,
  notAnObjectBody,
  jsonShapeProblem,
  withinJsonDepth,
} from './jsonBody';
