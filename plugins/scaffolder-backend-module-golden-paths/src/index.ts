/**
 * Golden-path scaffolder actions (design note golden-paths.md §4).
 *
 * @packageDocumentation
 */
export { scaffolderModuleGoldenPaths as default } from './module';
