/**
 * What the suite's backend plugins share at their HTTP boundary.
 *
 * @packageDocumentation
 */
export { FULL_REF, fullRef, isoTime, oneOf, parse } from './fieldSchemas';
export { jsonErrorHandler } from './jsonErrorHandler';
