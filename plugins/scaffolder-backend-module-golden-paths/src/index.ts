/**
 * Golden-path scaffolder actions (design note golden-paths.md §4).
 *
 * @packageDocumentation
 */
export { scaffolderModuleGoldenPaths as default } from './module';
export {
  createGoldenPathValidateAction,
  VALIDATE_ACTION_ID,
} from './actions/validate/validate';
export type { GoldenPathValidateActionOptions } from './actions/validate/validate';
