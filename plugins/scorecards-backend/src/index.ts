/**
 * Scorecards backend: results, history, rollups, waivers and campaigns API.
 *
 * @packageDocumentation
 */
export { scorecardsPlugin as default } from './plugin';
export {
  scorecardsCheckRules,
  scorecardsCheckResourceRef,
} from './permissions/checkRules';
