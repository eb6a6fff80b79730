import type {
  CheckDefinition,
  Severity,
  WaiverKind,
} from '@internal/plugin-scorecards-common';
import { DEFAULT_SCORECARDS_CONFIG } from '@internal/plugin-scorecards-common';

const DAY_MS = 86400000;

/** Minimum reason length, trimmed (§2.8; the backend answers 400 below it). */
export const MIN_REASON_LENGTH = 20;
/** Length of a reject or revoke reason (optional approve note), trimmed (§7.4; 400 outside). */
export const MIN_DECISION_REASON_LENGTH = 10;
export const MAX_DECISION_REASON_LENGTH = 1000;

/**
 * What is wrong with a reject, revoke or withdrawal reason, undefined when it may be sent. `why`
 * says whom the reason is for (a withdrawal is written by the requester).
 */
export function decisionReasonError(
  reason: string,
  why = 'so the requester knows what to change',
): string | undefined {
  const length = reason.trim().length;
  if (length < MIN_DECISION_REASON_LENGTH) {
    return `Say why, ${why}: at least ${MIN_DECISION_REASON_LENGTH} characters (${length} so far).`;
  }
  if (length > MAX_DECISION_REASON_LENGTH) {
    return `At most ${MAX_DECISION_REASON_LENGTH} characters (${length} now).`;
  }
  return undefined;
}

/** Longest ticket link the backend accepts. */
export const MAX_TICKET_LENGTH = 2048;

/** The kinds of §2.8, in the order the dialog offers them, with what each one means. */
export const WAIVER_KINDS: { kind: WaiverKind; title: string; help: string }[] =
  [
    {
      kind: 'exception',
      title: 'Exception',
      help: 'Accepted risk for a bounded time while the fix is planned.',
    },
    {
      kind: 'platform-blocked',
      title: 'Blocked by platform',
      help: 'The paved road cannot give the capability or the evidence yet; counted against the capability owner.',
    },
    {
      kind: 'decommissioning',
      title: 'Decommissioning',
      help: 'The entity is being retired; fixing it is not worth it.',
    },
    {
      kind: 'frozen',
      title: 'Frozen',
      help: 'The service is frozen: no changes are planned in this period.',
    },
    {
      kind: 'false-positive',
      title: 'False positive',
      help: 'The evidence is wrong; routed to the check owner, who upholds or dismisses the dispute.',
    },
  ];

/** What the standard allows for waivers of one check. */
export interface CheckWaiverRules {
  allowed: boolean;
  /** `waiver.maxDays` of the check. */
  maxDays: number;
  /** True when read from the standard (`GET /checks`), false when only the default by severity is known. */
  fromStandard: boolean;
  /** `scorecards.waivers.falsePositiveMaxDays` as the backend answered it; default 14. */
  falsePositiveMaxDays?: number;
}

/**
 * The check's waiver rules as the standard loader resolves them: `waiver.allowed` defaults to
 * true, `waiver.maxDays` to 30 days for `critical` checks and 90 for the others (§2.2).
 */
export function waiverRulesOf(
  definition: Pick<CheckDefinition, 'severity' | 'waiver'> | undefined,
  severity?: Severity,
): CheckWaiverRules {
  const sev = definition?.severity ?? severity;
  return {
    allowed: definition?.waiver?.allowed ?? true,
    maxDays: definition?.waiver?.maxDays ?? (sev === 'critical' ? 30 : 90),
    fromStandard: definition !== undefined,
  };
}

/**
 * Longest waiver of `kind`: the check's `maxDays`, capped for `false-positive` at
 * `scorecards.waivers.falsePositiveMaxDays` as the backend answered it (default 14 from a
 * backend that does not say; its message then tells a different limit).
 */
export function maxDaysFor(rules: CheckWaiverRules, kind: WaiverKind): number {
  return kind === 'false-positive'
    ? Math.min(
        rules.maxDays,
        rules.falsePositiveMaxDays ??
          DEFAULT_SCORECARDS_CONFIG.waivers.falsePositiveMaxDays,
      )
    : rules.maxDays;
}

/** `YYYY-MM-DD` (UTC) of an instant. */
export function utcDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** The instant a waiver picked for `date` expires: 00:00 UTC of that day. */
export function expiryOf(date: string): string {
  return `${date}T00:00:00.000Z`;
}

/** Earliest and latest expiry dates the dialog offers (00:00 UTC must be after now and ≤ now + maxDays). */
export function expiryRange(
  nowMs: number,
  maxDays: number,
): { min: string; max: string } {
  return {
    min: utcDate(nowMs + DAY_MS),
    max: utcDate(nowMs + maxDays * DAY_MS),
  };
}

/** What the user typed in the request dialog. */
export interface WaiverForm {
  kind: WaiverKind;
  reason: string;
  /** `YYYY-MM-DD`. */
  expiresOn: string;
  ticket: string;
}

/** Field errors of a waiver form; empty when it may be sent. */
export type WaiverFormErrors = Partial<Record<keyof WaiverForm, string>>;

/** Client-side checks with the backend's limits (§2.8), so most 400s never leave the browser. */
export function validateWaiverForm(
  form: WaiverForm,
  rules: CheckWaiverRules,
  nowMs: number,
): WaiverFormErrors {
  const errors: WaiverFormErrors = {};
  const reason = form.reason.trim().length;
  if (reason < MIN_REASON_LENGTH) {
    errors.reason = `Give a reason of at least ${MIN_REASON_LENGTH} characters (${reason} so far).`;
  }
  const maxDays = maxDaysFor(rules, form.kind);
  const { min, max } = expiryRange(nowMs, maxDays);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(form.expiresOn)) {
    errors.expiresOn = 'Pick the date the waiver expires.';
  } else {
    const expiresMs = Date.parse(expiryOf(form.expiresOn));
    if (Number.isNaN(expiresMs)) {
      errors.expiresOn = 'Pick a valid date.';
    } else if (expiresMs <= nowMs) {
      errors.expiresOn = `The expiry must be in the future (${min} or later).`;
    } else if (expiresMs - nowMs > maxDays * DAY_MS) {
      errors.expiresOn = `At most ${maxDays} days${
        form.kind === 'false-positive' ? ' for a false positive' : ''
      }: pick ${max} or earlier.`;
    }
  }
  if (form.ticket.trim().length > MAX_TICKET_LENGTH) {
    errors.ticket = `At most ${MAX_TICKET_LENGTH} characters.`;
  }
  return errors;
}

/** Days between two instants, rounded (the requested duration shown to approvers). */
export function daysBetween(fromIso: string, toIso: string): number {
  return Math.round((Date.parse(toIso) - Date.parse(fromIso)) / DAY_MS);
}
