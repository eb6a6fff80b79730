/** Codes of missing or contradicting evidence (§6.2). */
export type MissingEvidenceCode =
  | 'OWNER_UNRESOLVED'
  | 'OWNER_IS_USER'
  | 'OWNER_GROUP_EMPTY'
  | 'NO_ONCALL'
  | 'ONCALL_PROVIDER_UNAVAILABLE'
  | 'NO_ESCALATION'
  | 'NO_CHAT_CHANNEL'
  | 'NO_RUNBOOK'
  | 'TIER_MISSING'
  | 'CUSTOMER_FACING_MISSING'
  | 'NO_TELEMETRY'
  | 'EDGE_UNVERIFIABLE'
  | 'EDGE_STALE'
  | 'EDGE_UNDECLARED'
  | 'EDGE_DECLARED_NOT_OBSERVED'
  | 'UNRESOLVED_REF'
  | 'UNMAPPED_TELEMETRY'
  | 'ALIAS_CONFLICT'
  | 'LEDGER_NO_COVERAGE'
  | 'LEDGER_NO_RECENT'
  | 'LEDGER_SKEWED'
  | 'SLO_EVIDENCE_MISSING'
  | 'BLAST_RADIUS_TRUNCATED';

/** One missing-evidence item: data on the brief, never a catalog processing error (R26). */
export interface MissingEvidence {
  code: MissingEvidenceCode;
  severity: 'blocking' | 'warn' | 'info';
  subject: string;
  /**
   * Plain text, not markdown: data in it is not escaped. Literal names may be marked as code
   * spans built with `codeSpan`; renderers escape the rest (`markedText`).
   */
  message: string;
  /** as `message` */
  fix: string | null;
}

/** Rendering order of codes in the brief (owner first, ledger last). */
export const MISSING_EVIDENCE_ORDER: MissingEvidenceCode[] = [
  'OWNER_UNRESOLVED',
  'OWNER_IS_USER',
  'OWNER_GROUP_EMPTY',
  'NO_ONCALL',
  'ONCALL_PROVIDER_UNAVAILABLE',
  'NO_ESCALATION',
  'NO_CHAT_CHANNEL',
  'NO_RUNBOOK',
  'TIER_MISSING',
  'CUSTOMER_FACING_MISSING',
  'NO_TELEMETRY',
  'ALIAS_CONFLICT',
  'EDGE_UNDECLARED',
  'UNMAPPED_TELEMETRY',
  'EDGE_DECLARED_NOT_OBSERVED',
  'EDGE_UNVERIFIABLE',
  'EDGE_STALE',
  'UNRESOLVED_REF',
  'BLAST_RADIUS_TRUNCATED',
  'SLO_EVIDENCE_MISSING',
  'LEDGER_NO_COVERAGE',
  'LEDGER_NO_RECENT',
  'LEDGER_SKEWED',
];
