import { ChangeNaturalKey } from '../schemas/changeInput';
import {
  ChangeAttributesByKind,
  ChangeKind,
  ChangeStatus,
} from '../schemas/changeAttributes';
import { ChangeRisk } from '../schemas/changeRisk';
import { Warning } from './warning';

/**
 * Flags the ledger sets on a change.
 *
 * @public
 */
export type ChangeFlag = 'SKEWED' | 'LATE' | 'ROLLBACK_TARGET_UNKNOWN';

/**
 * Fields of a stored change common to every kind (IB §4.1 `ChangeRecord` plus §2.3).
 *
 * @public
 */
export interface StoredChangeBase {
  id: string;
  entityRef: string | null;
  alias?: string;
  subject: string;
  resolution: 'resolved' | 'unresolved';
  environment: string;
  /** Raw environment when canonicalization changed it (§3.5). */
  environmentRaw?: string;
  ref: string;
  version?: string;
  summary: string;
  actor: {
    type: 'user' | 'bot' | 'service-account' | 'scheduler';
    id: string;
  };
  source: { system: string; externalId: string; url?: string };
  startedAt: string;
  finishedAt?: string;
  status: ChangeStatus;
  /** Ledger id of the change this one reverses, once known. */
  rollbackOf?: string;
  /** Natural key of a rollback target that has not (yet) arrived. */
  rollbackOfRef?: ChangeNaturalKey;
  remediationFor?: string;
  correlationId?: string;
  receivedAt: string;
  effectiveAt: string;
  updatedAt: string;
  flags: ChangeFlag[];
  idempotencyKey: string;
  warnings: Warning[];
  demo: boolean;
  /** null until incident-brief sets it; never rewritten. */
  risk: ChangeRisk | null;
}

/**
 * A change as the ledger stores and returns it, attributes typed by kind.
 *
 * @public
 */
export type StoredChange = {
  [K in ChangeKind]: StoredChangeBase & {
    kind: K;
    attributes: ChangeAttributesByKind[K];
  };
}[ChangeKind];
