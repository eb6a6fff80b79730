/**
 * How a rule ends when it does not pass.
 *
 * @public
 */
export type RuleOutcome =
  | 'pass'
  | 'deny'
  | 'warn'
  | 'approval'
  | 'unknown'
  | 'skipped';

/**
 * One evaluated rule (the `rules[]` of the audit record, §4.5). `message` is the exact §5 text
 * for deny and warn outcomes; it never contains a secret value (GP-X01).
 *
 * @public
 */
export interface RuleResult {
  id: string;
  outcome: RuleOutcome;
  field?: string;
  message?: string;
}

/**
 * The rule ids of §5, §6 and §7 in table order. A refusal lists its lines in this order
 * ("Error text = the deny lines joined by `\n` in the order of this table").
 *
 * @public
 */
export const GP_RULE_ORDER = [
  'GP-K01',
  'GP-K02',
  'GP-K03',
  'GP-X01',
  'GP-X02',
  'GP-X03',
  'GP-V01',
  'GP-V02',
  'GP-V03',
  'GP-V04',
  'GP-I01',
  'GP-I02',
  'GP-I03',
  'GP-I04',
  'GP-I05',
  'GP-N01',
  'GP-N02',
  'GP-N03',
  'GP-N04',
  'GP-O01',
  'GP-O02',
  'GP-O03',
  'GP-O04',
  'GP-S01',
  'GP-S02',
  'GP-T01',
  'GP-T02',
  'GP-T03',
  'GP-T04',
  'GP-T05',
  'GP-W01',
  'GP-W02',
  'GP-W03',
  'GP-D01',
  'GP-D02',
  'GP-D03',
  'GP-D04',
  'GP-D05',
  'GP-D06',
  'GP-D07',
  'GP-D08',
  'GP-D09',
  'GP-D10',
  'GP-D11',
  'GP-R01',
  'GP-R02',
  'GP-R03',
  'GP-U01',
  'GP-U02',
  'GP-P01',
  'GP-P02',
  'GP-P03',
  'GP-P04',
  'GP-P05',
  'GP-P06',
  'GP-P07',
  'GP-P08',
  'GP-E01',
  'GP-E02',
  'GP-A01',
  'GP-A02',
  'GP-A03',
  'GP-A04',
  'GP-A05',
  'GP-A06',
  'GP-L01',
  'GP-L02',
  'GP-L03',
  'GP-L04',
  'GP-L05',
  'GP-L06',
  'GP-L07',
  'GP-L08',
  'GP-L09',
  'GP-L10',
  'GP-L11',
  'GP-L12',
  'GP-L13',
] as const;

/** @public */
export type GpRuleId = (typeof GP_RULE_ORDER)[number];

const rank = new Map<string, number>(GP_RULE_ORDER.map((id, i) => [id, i]));

/**
 * Sorts results into table order; results of one rule keep their relative order (stable sort).
 *
 * @public
 */
export function sortByRuleOrder<T extends { id: string }>(
  results: readonly T[],
): T[] {
  return [...results].sort(
    (a, b) => (rank.get(a.id) ?? 1e6) - (rank.get(b.id) ?? 1e6),
  );
}

/**
 * The error text of a refusal: deny lines joined by `\n` in table order (§5).
 *
 * @public
 */
export function refusalText(results: readonly RuleResult[]): string {
  return sortByRuleOrder(results.filter(r => r.outcome === 'deny'))
    .map(r => r.message)
    .join('\n');
}

/** @internal shorthand for building results inside rules. */
export const deny = (
  id: GpRuleId,
  message: string,
  field?: string,
): RuleResult => ({
  id,
  outcome: 'deny',
  message,
  ...(field ? { field } : {}),
});

/** @internal */
export const warn = (
  id: GpRuleId,
  message: string,
  field?: string,
): RuleResult => ({
  id,
  outcome: 'warn',
  message,
  ...(field ? { field } : {}),
});

/** @internal */
export const pass = (id: GpRuleId): RuleResult => ({ id, outcome: 'pass' });
