import { formatInstant } from '@internal/plugin-golden-paths-common';

export { formatInstant };

/** `3 d`, `5 h`, `20 min` between now and an instant, for expiries. */
export function durationUntil(iso: string, nowMs = Date.now()): string {
  const ms = Date.parse(iso) - nowMs;
  const abs = Math.abs(ms);
  let text: string;
  if (abs >= 2 * 86_400_000) text = `${Math.floor(abs / 86_400_000)} d`;
  else if (abs >= 2 * 3_600_000) text = `${Math.floor(abs / 3_600_000)} h`;
  else text = `${Math.max(1, Math.floor(abs / 60_000))} min`;
  return ms >= 0 ? `in ${text}` : `${text} ago`;
}

/** First 12 hex characters of a `sha256:` digest, as GP-A03 shows them. */
export function shortDigest(digest: string | undefined): string {
  if (!digest) return '—';
  return `${digest.replace(/^sha256:/, '').slice(0, 12)}…`;
}

/** Human words for an approval trigger id (§6.1). */
export const TRIGGER_LABELS: Record<string, string> = {
  'production-data': 'Production data',
  iam: 'IAM',
  network: 'Network',
  cost: 'Cost',
  'tier-1': 'Tier 1',
  destructive: 'Destructive',
  exception: 'Exception',
};
