import {
  Counting,
  EngineEdition,
  LicenceRule,
  licenceRuleSchema,
} from '../priceBook/priceBookSchema';

/** The numeric fields of a licence rule, with the book schema's constraint in words. */
const RULE_NUMBERS = {
  divisor: 'a number above 0',
  divisorWithoutHyperThreading: 'a number above 0',
  coreFactor: 'a number above 0',
  pack: 'a whole number above 0',
  minimum: 'a whole number of 0 or more',
  maxVcpus: 'a whole number above 0',
} as const;

/**
 * The first numeric field of `rule` that the book's schema refuses (a hand-built book that
 * skipped it: a divisor or pack of 0 divides by zero), or undefined when the rule is usable.
 */
export function unusableRuleField(
  rule: LicenceRule,
): { field: string; value: unknown; expected: string } | undefined {
  for (const [field, expected] of Object.entries(RULE_NUMBERS)) {
    const value = rule[field as keyof typeof RULE_NUMBERS];
    if (value === undefined) continue;
    const check = licenceRuleSchema.shape[field as keyof typeof RULE_NUMBERS];
    if (!check.safeParse(value).success) return { field, value, expected };
  }
  return undefined;
}

/** What licence counting needs to know about the deployment. */
export interface LicenceCountInput {
  vcpus: number;
  hyperThreading: boolean;
  physicalCores?: number;
}

/** Finds the book's licence rule for an edition and counting method (`oracle-*` matches any Oracle edition). */
export function findLicenceRule(
  rules: LicenceRule[],
  edition: EngineEdition,
  counting: Counting,
): LicenceRule | undefined {
  const matches = (pattern: string) =>
    pattern === edition ||
    (pattern.endsWith('*') && edition.startsWith(pattern.slice(0, -1)));
  // An exact edition row wins over a wildcard row.
  return (
    rules.find(r => r.counting === counting && r.engineEdition === edition) ??
    rules.find(r => r.counting === counting && matches(r.engineEdition))
  );
}

/**
 * Licence units a rule requires (processor licences, sockets or core licences). A rule the
 * book's schema refuses ({@link unusableRuleField}) throws a `RangeError` rather than
 * dividing by zero (C6 checks the rule before calling this).
 */
export function licenceUnits(
  rule: LicenceRule,
  input: LicenceCountInput,
): number {
  const unusable = unusableRuleField(rule);
  if (unusable)
    throw new RangeError(
      `Licence rule ${rule.engineEdition}/${rule.counting}: ${
        unusable.field
      } must be ${unusable.expected} (got ${String(unusable.value)}).`,
    );
  let units: number;
  if (rule.counting === 'physical-cores') {
    units = Math.ceil((input.physicalCores ?? 0) * (rule.coreFactor ?? 1));
  } else {
    const divisor = input.hyperThreading
      ? rule.divisor ?? 1
      : rule.divisorWithoutHyperThreading ?? rule.divisor ?? 1;
    units = Math.ceil(input.vcpus / divisor);
  }
  if (rule.pack) units = Math.ceil(units / rule.pack) * rule.pack;
  return Math.max(rule.minimum ?? 0, units);
}
