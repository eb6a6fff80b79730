import {
  OBSERVED_EDGES_AGE_SHOWN_AFTER_MS,
  ONCALL_AGE_SHOWN_AFTER_MS,
  displayRef,
} from '@internal/plugin-incident-brief-common';
import type { PathStep } from '@internal/plugin-incident-brief-common';

/**
 * What the backend names an entity the caller may not read (IB §6.5: counted, never named): as an
 * impacted entity, in a path step, as an API or system. It is no entity ref: never link it.
 */
export const RESTRICTED = 'restricted';

/** `25 min`, `3 h 5 min`, `2 d`: how far apart two times are, or null for an unreadable time. */
function distance(
  iso: string,
  from: Date,
): { text: string; before: boolean } | null {
  const diff = from.getTime() - Date.parse(iso);
  if (Number.isNaN(diff)) return null;
  const abs = Math.abs(diff);
  const minutes = Math.round(abs / 60_000);
  let text: string;
  if (minutes < 1) text = 'less than a minute';
  else if (minutes < 60) text = `${minutes} min`;
  else if (minutes < 48 * 60) {
    const h = Math.floor(minutes / 60);
    const m = minutes % 60;
    text = m && h < 10 ? `${h} h ${m} min` : `${h} h`;
  } else text = `${Math.round(minutes / 1440)} d`;
  return { text, before: diff >= 0 };
}

/**
 * `2026-03-14 02:05 UTC`: an instant as a person reads it, in UTC because the brief's incident
 * time is entered and printed in UTC; the text as given for an unreadable time.
 */
export function formatUtc(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  const text = new Date(ms).toISOString();
  return `${text.slice(0, 10)} ${text.slice(11, 16)} UTC`;
}

/** `2026-03-13 02:05 → 2026-03-14 02:05 UTC`: a window of time, the zone said once. */
export function formatUtcRange(fromIso: string, toIso: string): string {
  const from = formatUtc(fromIso);
  return `${from.replace(/ UTC$/, '')} → ${formatUtc(toIso)}`;
}

/** `25 min ago`, `3 h ago`, `2 d ago`; `in 5 min` for a time after `now` (a skewed record). */
export function timeAgo(iso: string, now: Date): string {
  const d = distance(iso, now);
  if (!d) return iso;
  return d.before ? `${d.text} ago` : `in ${d.text}`;
}

/**
 * A time in a brief, relative to its incident time T (IB §6.1): `25 min before T`, `5 min after T`
 * — the brief may be read long after T, or asked for a past T, so "ago" would mislead.
 */
export function timeFromT(iso: string, incidentTime: Date): string {
  const d = distance(iso, incidentTime);
  if (!d) return iso;
  return `${d.text} ${d.before ? 'before' : 'after'} T`;
}

/**
 * A time relative to the incident time T when one is given (the brief tab), else to now (the
 * entity cards); `now` defaults to the present.
 */
export function relativeTime(
  iso: string,
  anchor: { now?: Date; incidentTime?: Date },
): string {
  return anchor.incidentTime
    ? timeFromT(iso, anchor.incidentTime)
    : timeAgo(iso, anchor.now ?? new Date());
}

/**
 * "Observed edges last collected 3 h ago" when the last collection of observed edges is older
 * than the markdown's threshold at `now`, or "never collected" (R17: when the evidence source is
 * down, confirmations silently age into "stale" — the responder must see why); null when fresh.
 * Same rule as `renderBriefMarkdown`, so the tab and its copy agree.
 */
export function observedEdgesAge(
  collectedAt: string,
  now: Date,
): string | null {
  const collected = Date.parse(collectedAt);
  if (Number.isNaN(collected)) return 'Observed edges never collected';
  if (now.getTime() - collected <= OBSERVED_EDGES_AGE_SHOWN_AFTER_MS)
    return null;
  return `Observed edges last collected ${timeAgo(collectedAt, now)}`;
}

/**
 * `fetched 20 min ago` for an on-call answer older than the live cache at `now` (IB §0: live facts
 * are shown with their age; a cached answer may name someone whose shift has ended), else null.
 */
export function onCallAge(
  fetchedAt: string | null | undefined,
  now: Date,
): string | null {
  if (!fetchedAt) return null;
  const fetched = Date.parse(fetchedAt);
  if (Number.isNaN(fetched)) return null;
  if (now.getTime() - fetched < ONCALL_AGE_SHOWN_AFTER_MS) return null;
  return `fetched ${timeAgo(fetchedAt, now)}`;
}

/** `1,000` — counts are shown with grouping so "showing 1,000 of 10,000" reads at a glance. */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** `1 hop`, `3 hops`: a hop count as section titles and notes name it. */
export function hopCount(n: number): string {
  return `${formatCount(n)} hop${n === 1 ? '' : 's'}`;
}

/** A short display name of a ref: `checkout-service`, `resource:checkout-db`. */
export function shortRef(ref: string): string {
  return displayRef(ref);
}

/**
 * The subject of a missing-evidence item as the card shows it: each ref short, joined by `, `. A
 * `LEDGER_NO_RECENT` item names every dependency without a recent record in one subject, its refs
 * joined by bare commas (the brief's JSON, which the backend's redaction splits so; entity refs
 * hold no commas). Shortened whole, only the first ref lost its `default/`, and the cell had
 * nowhere to wrap but inside a ref.
 */
export function subjectText(subject: string): string {
  return subject.split(',').map(shortRef).join(', ');
}

/** `declared`, `observed`, `declared + observed` — how an edge is known. */
export function evidenceLabel(step: PathStep): string {
  const evidence =
    step.evidence === 'both' ? 'declared + observed' : step.evidence;
  const parts = [evidence];
  if (step.observation === 'stale') parts.push('stale');
  if (step.observation === 'unverifiable') parts.push('unverifiable');
  if (step.observation === 'none') parts.push('not observed');
  if (step.interaction === 'async') parts.push('async');
  return parts.join(', ');
}

/** The drift of an edge in words, or null. */
export function driftLabel(step: PathStep): string | null {
  if (step.drift === 'undeclared') return 'drift: observed, not declared';
  if (step.drift === 'unobserved') return 'drift: declared, not observed';
  return null;
}

/** The API a consumesApi edge rides on, if any (`checkout-api`). */
export function apiOfStep(step: PathStep): string | null {
  const reason = step.reasons.find(r => r.startsWith('consumesApi:'));
  return reason
    ? displayRef(reason.slice('consumesApi:'.length)).replace(/^api:/, '')
    : null;
}

/** Entity refs of a path, root first (steps are in dependency direction). */
export function pathRefs(root: string, path: PathStep[]): string[] {
  const refs = [root];
  for (const step of path) {
    const last = refs[refs.length - 1];
    refs.push(step.from === last ? step.to : step.from);
  }
  return refs;
}
