/**
 * Scorecards on entity pages (card and "Scorecard" tab), the `/scorecards` rollups page with the
 * waiver queue, and the catalog filter by scorecard level.
 *
 * The new-frontend-system plugin is the default export of `./alpha`; this entry point holds
 * the legacy exports and the API.
 *
 * @packageDocumentation
 */
export {
  scorecardsPlugin,
  EntityScorecardCard,
  EntityScorecardContent,
  ScorecardsPage,
} from './plugin';
export * from './api';
export { isScorecardAvailable } from './isScorecardAvailable';
export {
  EntityScorecardLevelFilter,
  SCORECARD_LEVEL_FIELD,
  SCORECARD_LEVEL_VALUES,
} from './filters/EntityScorecardLevelFilter';
export type { ScorecardLevelFilters } from './filters/EntityScorecardLevelFilter';
export { EntityScorecardLevelPicker } from './filters/EntityScorecardLevelPicker';
export type { EntityScorecardLevelPickerProps } from './filters/EntityScorecardLevelPicker';
