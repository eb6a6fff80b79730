/**
 * The one annotation and label namespace of the whole suite. Adopters who want their own
 * namespace rename it here; every package reads its keys through this constant.
 *
 * @public
 */
export const OPS_ANNOTATION_PREFIX = 'ops.example.com/';
