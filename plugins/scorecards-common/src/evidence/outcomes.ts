import {
  EvidenceUsed,
  MissingEvidence,
  RawOutcome,
  RawState,
} from '../model/resultModel';
import { formatAge } from './formatAge';
import { EvidenceRead } from './readEvidence';

/** Builds an outcome; evidence and missing lists default to empty. */
export function outcome(
  state: RawState,
  reason: string,
  message: string,
  expected: string,
  found: string,
  evidence: EvidenceUsed[] = [],
  missing: MissingEvidence[] = [],
  notes?: string[],
): RawOutcome {
  return notes && notes.length > 0
    ? { state, reason, message, expected, found, evidence, missing, notes }
    : { state, reason, message, expected, found, evidence, missing };
}

/** The evidence entry of a read that has a record. */
export function evidenceEntry(
  read: EvidenceRead,
  summary: string,
  url?: string,
): EvidenceUsed {
  const entry: EvidenceUsed = {
    source: read.source,
    kind: read.kind,
    observedAt: read.observedAt ?? '',
    ageSeconds: read.ageSeconds ?? 0,
    fresh: read.state === 'fresh',
    freshForSeconds: read.windowSeconds ?? 0,
    summary,
  };
  if (url) entry.url = url;
  return entry;
}

/** One-sentence hint naming the source, its age, the window and the source status. */
export function missingHint(read: EvidenceRead): string {
  const what = read.key ? `${read.kind} (${read.key})` : read.kind;
  const parts: string[] = [];
  if (read.cause === 'join-key-missing') {
    parts.push(
      `${what} cannot be joined to this entity (no join key such as backstage.io/source-location)`,
    );
  } else if (read.observedAt !== null && read.ageSeconds !== null) {
    parts.push(
      `${what} from ${read.source} was last collected ${formatAge(
        read.ageSeconds,
      )} ago; window ${formatAge(read.windowSeconds ?? 0)}`,
    );
  } else {
    parts.push(
      `${what} from ${read.source} was never collected for this entity`,
    );
  }
  if (read.sourceStatus === 'unavailable' || read.sourceStatus === 'disabled') {
    parts.push(`source ${read.sourceStatus} since ${read.sourceSince}`);
  }
  if (read.collectionError)
    parts.push(`last collection error: ${read.collectionError}`);
  return parts.join('; ');
}

/** The missing entry of a read that is not fresh. */
export function missingEntry(read: EvidenceRead): MissingEvidence {
  const entry: MissingEvidence = {
    source: read.source,
    kind: read.kind,
    cause: read.cause ?? 'missing',
    hint: missingHint(read),
  };
  if (read.ageSeconds !== null) entry.ageSeconds = read.ageSeconds;
  if (read.windowSeconds !== null) entry.freshForSeconds = read.windowSeconds;
  if (read.collectionError) entry.collectionError = read.collectionError;
  return entry;
}

/** The unknown reason code of a non-fresh read. */
export function unknownReason(read: EvidenceRead): string {
  return unknownReasonForCause(read.cause);
}

/** The unknown reason code for a missing-evidence cause. */
export function unknownReasonForCause(
  cause: string | null | undefined,
): string {
  switch (cause) {
    case 'not-collected':
    case 'source-unavailable':
      return 'SOURCE_UNAVAILABLE';
    case 'join-key-missing':
      return 'JOIN_KEY_MISSING';
    case 'stale':
      return 'EVIDENCE_STALE';
    default:
      return 'EVIDENCE_MISSING';
  }
}

/** An unknown outcome for reads that are not fresh; the first read names the reason. */
export function unknownFromReads(
  reads: EvidenceRead[],
  expected: string,
  evidence: EvidenceUsed[] = [],
): RawOutcome {
  const first = reads[0];
  const missing = reads.map(missingEntry);
  return outcome(
    'unknown',
    unknownReason(first),
    `Cannot decide: ${missing
      .map(m => m.hint)
      .join('; ')}; expected ${expected}.`,
    expected,
    'no fresh evidence',
    evidence,
    missing,
  );
}
