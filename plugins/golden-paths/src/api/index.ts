export * from './GoldenPathsApi';
export {
  GoldenPathsClient,
  errorMessage,
  refusalMessage,
} from './GoldenPathsClient';
