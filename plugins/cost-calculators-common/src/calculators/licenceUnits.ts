import type {
  Counting,
  EngineEdition,
  LicenceRule,
} from '../priceBook/priceBookSchema';

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

/** Licence units a rule requires (processor licences, sockets or core licences). */
export function licenceUnits(
  rule: LicenceRule,
  input: LicenceCountInput,
): number {
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
