export { OPS_ANNOTATION_PREFIX } from './annotations';
