/**
 * Scorecards on entity pages (card and "Scorecard" tab) and the `/scorecards` rollups page.
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
