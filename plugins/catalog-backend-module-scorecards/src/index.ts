/**
 * Catalog module of scorecards: evaluates entities during processing and stamps their level.
 *
 * @packageDocumentation
 */
export { catalogModuleScorecards as default } from './module';
export { ScorecardsProcessor } from './processor/ScorecardsProcessor';
export type { ScorecardsProcessorOptions } from './processor/ScorecardsProcessor';
