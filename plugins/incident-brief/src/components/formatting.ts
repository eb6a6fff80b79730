import { displayRef } from '@internal/plugin-incident-brief-common';
import type { PathStep } from '@internal/plugin-incident-brief-common';

/** `25 min ago`, `3 h ago`, `2 d ago`; `in 5 min` for a time after `now` (a skewed record). */
export function timeAgo(iso: string, now: Date): string {
  const diff = now.getTime() - Date.parse(iso);
  if (Number.isNaN(diff)) return iso;
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
  return diff >= 0 ? `${text} ago` : `in ${text}`;
}

/** `1,000` — counts are shown with grouping so "showing 1,000 of 10,000" reads at a glance. */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** A short display name of a ref: `checkout-service`, `resource:checkout-db`. */
export function shortRef(ref: string): string {
  return displayRef(ref);
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
