import type {
  Campaign,
  CampaignProgress,
} from '@internal/plugin-scorecards-common';
import { formatDate, levelLabel } from '../scorecardFormat';

/** Counts of one owner or of the whole campaign (§7.4 `CampaignProgress`). */
export type CampaignCounts = CampaignProgress['totals'];

/** The goal in words: `Reach L2 · Production-ready` or `Satisfy checks a, b`. */
export function goalText(goal: Campaign['goal']): string {
  return 'level' in goal
    ? `Reach ${levelLabel(goal.level)}`
    : `Satisfy ${
        goal.checks.length === 1 ? 'check' : 'checks'
      } ${goal.checks.join(', ')}`;
}

const SELECTOR_LABELS: [keyof Campaign['selector'], string][] = [
  ['kinds', 'kinds'],
  ['types', 'types'],
  ['lifecycles', 'lifecycles'],
  ['tiers', 'tiers'],
  ['owners', 'owners'],
  ['systems', 'systems'],
  ['domains', 'domains'],
];

/** The selector in words: `kinds Component; tiers 1, 2`, or every scored entity when empty. */
export function selectorText(selector: Campaign['selector']): string {
  const parts = SELECTOR_LABELS.flatMap(([key, label]) => {
    const values = selector[key];
    return values && values.length > 0 ? [`${label} ${values.join(', ')}`] : [];
  });
  return parts.length > 0 ? parts.join('; ') : 'every scored entity';
}

/** Whole percent of entities done, `null` with none in scope. */
export function donePercent(c: CampaignCounts): number | null {
  return c.inScope === 0 ? null : Math.round((100 * c.done) / c.inScope);
}

/** `12 of 40 (30 %)`, or `0 of 0` with nothing in scope. */
export function doneText(c: CampaignCounts): string {
  const percent = donePercent(c);
  return percent === null
    ? `${c.done} of ${c.inScope}`
    : `${c.done} of ${c.inScope} (${percent} %)`;
}

/** Owners with their counts: most entities not done first, then by owner ref. */
export function ownerRows(
  byOwner: CampaignProgress['byOwner'],
): { owner: string; counts: CampaignCounts }[] {
  return Object.entries(byOwner)
    .map(([owner, counts]) => ({ owner, counts }))
    .sort(
      (a, b) =>
        b.counts.inScope - b.counts.done - (a.counts.inScope - a.counts.done) ||
        a.owner.localeCompare(b.owner),
    );
}

/**
 * The burn-up in words, also the SVG's text alternative: first and last point against the
 * entities in scope.
 */
export function describeBurnUp(
  points: CampaignProgress['doneOverTime'],
  inScope: number,
): string {
  if (points.length === 0) return 'No daily points yet';
  const first = points[0];
  const last = points[points.length - 1];
  const days = `${points.length} daily ${
    points.length === 1 ? 'point' : 'points'
  }`;
  if (points.length === 1)
    return `Done: ${last.done} of ${inScope} on ${formatDate(
      last.date,
    )} (${days})`;
  return `Done went from ${first.done} on ${formatDate(first.date)} to ${
    last.done
  } of ${inScope} on ${formatDate(last.date)} (${days})`;
}

/** Entity statuses in the order a campaign owner acts on them: overdue first, done last. */
export const STATUS_ORDER: readonly CampaignEntityRow['status'][] = [
  'overdue',
  'remaining',
  'blocked-by-platform',
  'done',
];

export const STATUS_LABELS: Record<CampaignEntityRow['status'], string> = {
  overdue: 'Overdue',
  remaining: 'Remaining',
  'blocked-by-platform': 'Blocked by platform',
  done: 'Done',
};

export type CampaignEntityRow = CampaignProgress['entities'][number];

/** Entities with `status` (all with `any`), in {@link STATUS_ORDER}, then by entity ref. */
export function entityRows(
  entities: CampaignProgress['entities'],
  status: CampaignEntityRow['status'] | 'any',
): CampaignEntityRow[] {
  return entities
    .filter(e => status === 'any' || e.status === status)
    .sort(
      (a, b) =>
        STATUS_ORDER.indexOf(a.status) - STATUS_ORDER.indexOf(b.status) ||
        a.entityRef.localeCompare(b.entityRef),
    );
}
