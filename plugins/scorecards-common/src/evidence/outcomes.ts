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

/** The last `sourceAndAge` asked for: the checks reading one record run one after another. */
let lastSource: string | undefined;
let lastAgeSeconds: number | null = null;
let lastSourceAndAge = '';

/** ` (<source>, <age> ago)`: where and how long ago a read's record was observed. */
export function sourceAndAge(read: EvidenceRead): string {
  if (read.source !== lastSource || read.ageSeconds !== lastAgeSeconds) {
    lastSource = read.source;
    lastAgeSeconds = read.ageSeconds;
    lastSourceAndAge = ` (${read.source}, ${formatAge(
      read.ageSeconds ?? 0,
    )} ago)`;
  }
  return lastSourceAndAge;
}

/** One-sentence hint naming the source, its age, the window and the source status. */
export function missingHint(read: EvidenceRead): string {
  const what = read.key ? `${read.kind} (${read.key})` : read.kind;
  let hint: string;
  if (read.cause === 'join-key-missing') {
    hint = `${what} cannot be joined to this entity (no join key such as backstage.io/source-location)`;
  } else if (read.observedAt !== null && read.ageSeconds !== null) {
    hint = `${what} from ${read.source} was last collected ${formatAge(
      read.ageSeconds,
    )} ago; window ${formatAge(read.windowSeconds ?? 0)}`;
  } else if (read.observedAt !== null) {
    hint = `${what} from ${read.source} has no usable observation time (observedAt "${read.observedAt}" does not parse or lies in the future)`;
  } else {
    hint = `${what} from ${read.source} was never collected for this entity`;
  }
  if (read.sourceStatus === 'unavailable' || read.sourceStatus === 'disabled') {
    hint += `; source ${read.sourceStatus} since ${read.sourceSince}`;
  }
  if (read.collectionError)
    hint += `; last collection error: ${read.collectionError}`;
  return hint;
}

/** The missing entry of a read that is not fresh. */
export function missingEntry(read: EvidenceRead): MissingEvidence {
  const source = read.source;
  const kind = read.kind;
  const cause = read.cause ?? 'missing';
  const hint = missingHint(read);
  // A record's time when it has a usable one (a stale record; not one that does not parse).
  const observedAt = read.ageSeconds !== null ? read.observedAt : null;
  // The two usual shapes are built in one step (none at all, or only ages, without an error).
  if (read.collectionError === undefined && observedAt === null) {
    if (read.ageSeconds !== null && read.windowSeconds !== null) {
      return {
        source,
        kind,
        cause,
        hint,
        ageSeconds: read.ageSeconds,
        freshForSeconds: read.windowSeconds,
      };
    }
    if (read.ageSeconds === null && read.windowSeconds === null)
      return { source, kind, cause, hint };
  }
  const entry: MissingEvidence = { source, kind, cause, hint };
  if (read.ageSeconds !== null) entry.ageSeconds = read.ageSeconds;
  if (read.windowSeconds !== null) entry.freshForSeconds = read.windowSeconds;
  if (observedAt !== null) entry.observedAt = observedAt;
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
  if (reads.length === 1) {
    // The usual case (one read): no list to map and join.
    const only = missingEntry(first);
    return outcome(
      'unknown',
      unknownReason(first),
      `Cannot decide: ${only.hint}; expected ${expected}.`,
      expected,
      'no fresh evidence',
      evidence,
      [only],
    );
  }
  const missing = reads.map(missingEntry);
  let hints = '';
  for (let i = 0; i < missing.length; i++)
    hints = i === 0 ? missing[i].hint : `${hints}; ${missing[i].hint}`;
  return outcome(
    'unknown',
    unknownReason(first),
    `Cannot decide: ${hints}; expected ${expected}.`,
    expected,
    'no fresh evidence',
    evidence,
    missing,
  );
}
