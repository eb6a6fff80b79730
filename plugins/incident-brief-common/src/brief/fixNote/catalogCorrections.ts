import { displayRef } from '../../refs/entityRefs';
import { markedText, splitCodeSpans } from '../markdownText';
import { MissingEvidence, MissingEvidenceCode } from '../missingEvidenceTypes';
import { isRestricted, text } from './words';

/**
 * Missing-evidence codes that ask for a correction of catalog metadata (34): ownership and
 * routing, classification, declared edges and aliases. Gaps of the evidence pipelines —
 * telemetry (`NO_TELEMETRY`, `EDGE_UNVERIFIABLE`, `EDGE_STALE`), the on-call provider, SLOs, the
 * ledger — and a truncated list are not catalog corrections.
 */
export const CATALOG_CORRECTION_CODES: ReadonlySet<MissingEvidenceCode> =
  new Set<MissingEvidenceCode>([
    'OWNER_UNRESOLVED',
    'OWNER_IS_USER',
    'OWNER_GROUP_EMPTY',
    'NO_ONCALL',
    'NO_ESCALATION',
    'NO_CHAT_CHANNEL',
    'NO_RUNBOOK',
    'TIER_MISSING',
    'CUSTOMER_FACING_MISSING',
    'ALIAS_CONFLICT',
    'EDGE_UNDECLARED',
    'UNMAPPED_TELEMETRY',
    'EDGE_DECLARED_NOT_OBSERVED',
    'UNRESOLVED_REF',
  ]);

/** The `a → b` pair an edge item's message starts with (`collectEdgeEvidenceGaps`). */
const edgePair = (message: string) => /^(\S+ → \S+)/.exec(message)?.[1];
/** The first code span of a message: the telemetry name or alias. */
const quoted = (message: string) =>
  splitCodeSpans(message).find(p => p.code)?.text;
const withoutStop = (s: string) => s.replace(/\.$/, '');

/** One correction as a short imperative: `declare a → b`, `alias tax-svc`, `review a → b`. */
function correctionText(item: MissingEvidence): string {
  const pair = edgePair(item.message);
  const name = quoted(item.message);
  if (item.code === 'EDGE_UNDECLARED' && pair) return `declare ${text(pair)}`;
  if (item.code === 'EDGE_DECLARED_NOT_OBSERVED' && pair)
    return `review ${text(pair)}`;
  if (item.code === 'UNMAPPED_TELEMETRY' && name) return `alias ${text(name)}`;
  const subject = text(displayRef(item.subject));
  const what = markedText(withoutStop(item.message));
  return item.fix
    ? `${subject}: ${markedText(withoutStop(item.fix))} (${what})`
    : `${subject}: ${what}`;
}

/**
 * The catalog corrections of the note (IB §6.4), one markdown checkbox each, in the brief's
 * missing-evidence order. Items about entities the caller may not read are counted, not named.
 */
export function catalogCorrections(missing: MissingEvidence[]): string[] {
  const items = missing.filter(m => CATALOG_CORRECTION_CODES.has(m.code));
  const lines: string[] = [];
  let hidden = 0;
  for (const item of items) {
    if (isRestricted(item.subject)) hidden++;
    else {
      const line = `- [ ] ${correctionText(item)}`;
      if (!lines.includes(line)) lines.push(line);
    }
  }
  if (hidden) {
    lines.push(
      `- [ ] ${hidden} correction${hidden === 1 ? '' : 's'} about ${
        hidden === 1 ? 'an entity' : 'entities'
      } you may not read (not named; ask the owning team)`,
    );
  }
  return lines;
}
