export * from './ScorecardsApi';
export { ScorecardsClient } from './ScorecardsClient';
