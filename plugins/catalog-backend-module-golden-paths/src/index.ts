/**
 * Catalog module of golden paths: entities of locally published repositories.
 *
 * @packageDocumentation
 */
export { catalogModuleGoldenPaths as default } from './module';
export { LocalGitRepositoryProvider } from './provider/LocalGitRepositoryProvider';
