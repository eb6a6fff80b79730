export * from './GoldenPathsApi';
export { GoldenPathsClient, errorMessage } from './GoldenPathsClient';
