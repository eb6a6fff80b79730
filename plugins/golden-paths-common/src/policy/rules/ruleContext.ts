import type { CatalogView } from '../../catalog/catalogView';
import type { GoldenPathsConfig } from '../../config';
import type {
  DatabaseEstimate,
  DatabasePriceFacts,
} from '../../estimate/databaseEstimate';
import type { RuleResult } from '../../errors/catalogue';
import type { RequestOf } from '../../request/types';
import type { LedgerRequestFact } from '../facts';

/** A request the fact rules evaluate (T1–T3). */
export type CreateRequest =
  | RequestOf<'service'>
  | RequestOf<'worker'>
  | RequestOf<'database'>;

/** What every fact rule sees. */
export interface RuleContext {
  request: CreateRequest;
  /** The name as typed (trimmed, not lower-cased): GP-N01 shows it back. */
  rawName: string;
  requestKey: string;
  /** This request's fingerprint (§4.2). */
  fingerprint: string;
  /** The ledger row found for `requestKey` (read-only lookup at validate), if any. */
  ledger?: LedgerRequestFact;
  /** The ledger did not answer: whether a row exists is unknown (GP-U01 on GP-I02). */
  ledgerUnknown?: boolean;
  catalog: CatalogView;
  requester: string;
  config: GoldenPathsConfig;
  now: string;
  prices?: DatabasePriceFacts;
  /** Filled by the database rules for the trigger classification. */
  estimate?: DatabaseEstimate;
}

/** A group of fact rules; `ids` lets a missing fact (GP-U01) skip exactly the rules that need it. */
export interface FactRule {
  ids: readonly string[];
  evaluate(ctx: RuleContext): RuleResult[];
}

/** The word a message uses for the request kind ("a tier 1 service"). */
export function kindWord(request: CreateRequest): string {
  return request.kind;
}
