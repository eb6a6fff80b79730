/**
 * Golden paths: request schemas, canonical fingerprints, the policy engine, approval triggers
 * and the lifecycle state machine — pure functions shared by the backend, the scaffolder module
 * and the frontend (design note golden-paths.md).
 *
 * @packageDocumentation
 */
export {};
