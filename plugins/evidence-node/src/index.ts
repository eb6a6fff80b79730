/**
 * Node library of the evidence layer: the {@link evidenceServiceRef} other backend plugins
 * and catalog modules use to read and write evidence.
 *
 * @packageDocumentation
 */
export {
  evidenceServiceRef,
  readEvidenceClientOptions,
} from './evidenceServiceRef';
export { DefaultEvidenceService } from './client/DefaultEvidenceService';
export type {
  DefaultEvidenceServiceOptions,
  EvidenceClientTransport,
} from './client/DefaultEvidenceService';
export {
  compileRepoPathCoverage,
  readCollectedRepoPaths,
} from './repo/collectedRepoPaths';
export {
  DEFAULT_EVIDENCE_CLIENT_OPTIONS,
  MAX_LEDGER_CACHE_TTL_MS,
} from './client/clientOptions';
export type { EvidenceClientOptions } from './client/clientOptions';
export type {
  BatchItemResult,
  BatchResult,
  ChangeQuery,
  ChangedEntities,
  EdgeQuery,
  EntityEvidence,
  EvidenceInclude,
  EvidenceRead,
  EvidenceService,
  EvidenceUnavailableCause,
  LedgerSummary,
} from './EvidenceService';
export { StaticOnCallProvider } from './oncall/StaticOnCallProvider';
export {
  AUTHORIZE_BATCH_SIZE,
  blanketEntityRead,
  deniedEachEntityRead,
  deniedEntityReads,
} from './permissions/deniedEntityReads';
export type { StaticSchedule } from './oncall/StaticOnCallProvider';
export type { OnCallAnswer, OnCallProvider } from './oncall/OnCallProvider';
