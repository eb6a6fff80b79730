import {
  CheckResult,
  EvidenceUsed,
  LevelValue,
  MissingEvidence,
  Waiver,
  waiverDaysLeft,
  waiverExpiryWarning,
} from '@internal/plugin-scorecards-common';

/** Level names of the shared maturity scale (design README, "Scales"). */
export const LEVEL_TITLES: Record<string, string> = {
  L0: 'Registered',
  L1: 'Operable',
  L2: 'Production-ready',
  L3: 'Tier-1 ready',
  none: 'L0 not met',
  'not-rated': 'not rated',
};

/** The badge text: the level id and its name, never colour alone ("L1 · Operable"). */
export function levelLabel(level: LevelValue | string): string {
  if (level === 'not-rated') return 'not-rated';
  return `${level} · ${LEVEL_TITLES[level] ?? level}`;
}

/** Human age: `now`, `45 s`, `4 min`, `30 h`, `120 d`. */
export function formatAge(seconds: number | undefined): string {
  if (seconds === undefined || Number.isNaN(seconds)) return 'age unknown';
  const s = Math.max(0, Math.round(seconds));
  if (s < 5) return 'now';
  if (s < 90) return `${s} s`;
  if (s < 90 * 60) return `${Math.round(s / 60)} min`;
  if (s < 48 * 3600) return `${Math.round(s / 3600)} h`;
  return `${Math.round(s / 86400)} d`;
}

/**
 * An evidence age in a sentence: `2 h old`, `just now`, `age unknown` — {@link formatAge} with
 * " old" appended would read "now old" and "age unknown old".
 */
export function formatAgeOld(seconds: number | undefined): string {
  const age = formatAge(seconds);
  if (age === 'now') return 'just now';
  if (age === 'age unknown') return age;
  return `${age} old`;
}

/** When evidence was last read, in a sentence: `2 h ago`, `just now`, `at an unknown time`. */
export function formatAgeAgo(seconds: number | undefined): string {
  const age = formatAge(seconds);
  if (age === 'now') return 'just now';
  if (age === 'age unknown') return 'at an unknown time';
  return `${age} ago`;
}

/** `YYYY-MM-DD` of an ISO instant. */
export function formatDate(iso: string): string {
  return iso.slice(0, 10);
}

/**
 * An instant to the second in UTC, `2026-03-14 02:04:30 UTC`, for raw evidence and transitions
 * (a date alone cannot tell two changes of one day apart); a value that is not a date as given.
 */
export function formatDateTime(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/**
 * An instant to the minute in UTC, `2026-12-07 14:02 UTC`; given `nowMs`, the date is left out
 * on the UTC day of `nowMs` (`14:02 UTC`). Enough to tell an evaluation or a level change before
 * an edit from one after it, which a date alone could not; a value that is not a date as given.
 */
export function formatMinuteUtc(iso: string, nowMs?: number): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  const [date, time] = new Date(ms).toISOString().split('T');
  const minute = `${time.slice(0, 5)} UTC`;
  const today =
    nowMs === undefined
      ? undefined
      : new Date(nowMs).toISOString().slice(0, 10);
  return date === today ? minute : `${date} ${minute}`;
}

/**
 * When the scorecard shown was evaluated: `14:02 UTC · 3 min ago` (`just now` within 5 s, the
 * date added on another UTC day). Relative to `nowMs`, so a card left open says how old what it
 * shows has become.
 */
export function formatEvaluatedAt(iso: string, nowMs: number): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  return `${formatMinuteUtc(iso, nowMs)} · ${formatAgeAgo(
    (nowMs - ms) / 1000,
  )}`;
}

/**
 * An evidence freshness window: `24 h`, `7 d`; `no window` for 0, which the engine gives what it
 * reads at evaluation time (the entity record) and the ledger, whose checks apply their own.
 */
export function formatWindow(seconds: number | undefined): string {
  if (seconds === undefined) return '—';
  return seconds === 0 ? 'no window' : formatAge(seconds);
}

const HOUR_MS = 3600_000;

/**
 * The countdown of an active waiver, floored like {@link waiverDaysLeft}: `in 10 d`; below a
 * day in hours (`in 12 h`), below an hour `in < 1 h` — "in 0 d" would hide how close it is.
 */
export function formatWaiverTimeLeft(waiver: Waiver, now: string): string {
  const msLeft = Date.parse(waiver.expiresAt) - Date.parse(now);
  if (msLeft <= 0) return 'expired';
  if (msLeft < HOUR_MS) return 'in < 1 h';
  if (msLeft < 24 * HOUR_MS) return `in ${Math.floor(msLeft / HOUR_MS)} h`;
  return `in ${waiverDaysLeft(waiver, now)} d`;
}

/** The built-in expiry warnings (§7.1), for a backend that does not say which are in effect. */
export const DEFAULT_WAIVER_EXPIRY_WARNING_DAYS: readonly number[] = [14, 3];

/**
 * The expiry warning of an active waiver and its words, so colour is never the only signal:
 * `expiring soon` (amber, within the largest of `warningDays`), `expiring very soon` (red,
 * within the smallest; one value is the amber window, red staying at 3 days inside it).
 * `warningDays` is the backend's `waiverExpiryWarningDays`
 * (`scorecards.waivers.expiryWarningDays`); without one, the built-in 14 and 3 days.
 */
export function waiverExpiry(
  waiver: Waiver,
  now: string,
  warningDays?: readonly number[],
): { warning: 'none' | 'amber' | 'red'; marker?: string } {
  const warning = waiverExpiryWarning(
    waiver,
    now,
    warningDays?.length ? warningDays : DEFAULT_WAIVER_EXPIRY_WARNING_DAYS,
  );
  if (warning === 'red') return { warning, marker: 'expiring very soon' };
  if (warning === 'amber') return { warning, marker: 'expiring soon' };
  return { warning };
}

/** One evidence item as `repo · repo.files · 2 h old` or `… · just now` (stale when past its window). */
export function describeEvidence(e: EvidenceUsed): string {
  return `${e.source} · ${e.kind} · ${formatAgeOld(e.ageSeconds)}${
    e.fresh ? '' : ' (stale)'
  }`;
}

/** One missing input as `ledger · missing — hint`. */
export function describeMissing(m: MissingEvidence): string {
  const age =
    m.ageSeconds === undefined
      ? ''
      : `, last read ${formatAgeAgo(m.ageSeconds)}`;
  return `${m.source} · ${m.cause}${age} — ${m.hint}`;
}

/** The oldest evidence a result used, for its "evidence age" line. */
export function oldestEvidence(result: CheckResult | undefined) {
  if (!result || result.evidence.length === 0) return undefined;
  return result.evidence.reduce((a, b) =>
    b.ageSeconds > a.ageSeconds ? b : a,
  );
}

/** Per source: the oldest evidence any result read from it, for the card's evidence line. */
export function evidenceAgesBySource(
  results: readonly CheckResult[],
): { source: string; ageSeconds: number; fresh: boolean }[] {
  const bySource = new Map<string, { ageSeconds: number; fresh: boolean }>();
  for (const r of results) {
    for (const e of r.evidence) {
      const prev = bySource.get(e.source);
      bySource.set(e.source, {
        ageSeconds: Math.max(prev?.ageSeconds ?? 0, e.ageSeconds),
        fresh: (prev?.fresh ?? true) && e.fresh,
      });
    }
  }
  return [...bySource.entries()]
    .map(([source, v]) => ({ source, ...v }))
    .sort((a, b) => a.source.localeCompare(b.source));
}
