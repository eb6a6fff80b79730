import {
  EvidenceUsed,
  MissingEvidence,
  RawOutcome,
} from '../model/resultModel';
import { redactUrlCredentials } from '../model/urlCredentials';

/**
 * The value with URL credentials redacted when it is text. Lenient: only an outcome's own
 * texts are checked (`outcomeProblem`), and an extension type's odd evidence entry or note
 * must pass as it did before, not turn the result into a CHECK_ERROR.
 */
export function redactText<T>(value: T): T {
  return typeof value === 'string' ? (redactUrlCredentials(value) as T) : value;
}

/** The evidence entry with URL credentials redacted; the same object when it held none. */
function redactEvidence(entry: EvidenceUsed): EvidenceUsed {
  if (entry === null || typeof entry !== 'object') return entry;
  const summary = redactText(entry.summary);
  const url = redactText(entry.url);
  if (summary === entry.summary && url === entry.url) return entry;
  const copy: EvidenceUsed = { ...entry, summary };
  if (url !== undefined) copy.url = url;
  return copy;
}

/** The missing entry with URL credentials redacted; the same object when it held none. */
function redactMissing(entry: MissingEvidence): MissingEvidence {
  if (entry === null || typeof entry !== 'object') return entry;
  const hint = redactText(entry.hint);
  return hint === entry.hint ? entry : { ...entry, hint };
}

/**
 * The list with each item mapped, or the list itself when no item changed. Entries may be
 * shared between results (the entity's own catalog evidence is), so they are copied, never
 * changed in place.
 */
function mapChanged<T>(items: T[], redact: (item: T) => T): T[] {
  let copy: T[] | undefined;
  for (let i = 0; i < items.length; i++) {
    const item = redact(items[i]);
    if (item !== items[i]) {
      copy ??= items.slice();
      copy[i] = item;
    }
  }
  return copy ?? items;
}

/**
 * The outcome with URL credentials redacted from every text a result shows: check types
 * (built-in and extension ones alike) quote links, annotations and the repository as the
 * entity spells them, and results are stored, served and written to the catalog. Applied
 * where every outcome passes, so no check type can forget it; skipped only for built-in types
 * over inputs that hold no credentials (`credentialFreeInputs`). The same object when nothing
 * held credentials (the usual case).
 */
export function redactOutcome(raw: RawOutcome): RawOutcome {
  const reason = redactUrlCredentials(raw.reason);
  const message = redactUrlCredentials(raw.message);
  const expected = redactUrlCredentials(raw.expected);
  const found = redactUrlCredentials(raw.found);
  const evidence = mapChanged(raw.evidence, redactEvidence);
  const missing = mapChanged(raw.missing, redactMissing);
  if (
    reason === raw.reason &&
    message === raw.message &&
    expected === raw.expected &&
    found === raw.found &&
    evidence === raw.evidence &&
    missing === raw.missing
  )
    return raw;
  return { ...raw, reason, message, expected, found, evidence, missing };
}
