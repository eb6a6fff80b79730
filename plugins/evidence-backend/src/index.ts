/**
 * Evidence backend: evidence store, change ledger, ingestion and read API (plugin id `evidence`).
 *
 * @packageDocumentation
 */

export { evidencePlugin as default } from './plugin';
export { EvidenceStore } from './database/EvidenceStore';
export type { IngestOutcome, IngestScope } from './database/EvidenceStore';
