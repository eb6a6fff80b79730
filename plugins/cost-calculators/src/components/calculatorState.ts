import {
  CALCULATORS,
  CalcContext,
  CalcOutcome,
  CalcResult,
  CalculatorId,
  InputSource,
  Prefill,
  ResolvedPriceBook,
  connectionClientInputs,
  describeSource,
} from '@internal/plugin-cost-calculators-common';

/** One C10 client row as the form holds it (strings until validated). */
export interface ClientRowDraft {
  name: string;
  maxInstances: string;
  poolSize: string;
  rolloutSurgePercent: string;
}

/** The columns of a C10 client row with their visible labels (the form's and its messages'); a column has no range hint, so its label carries the unit ("Rollout surge %"). */
export const CLIENT_COLUMNS: readonly (readonly [
  keyof ClientRowDraft,
  string,
])[] = (
  ['name', 'maxInstances', 'poolSize', 'rolloutSurgePercent'] as const
).map(key => {
  const { label, unit } = connectionClientInputs[key];
  return [key, unit ? `${label} ${unit}` : label] as const;
});

/** A form value: text as typed, a boolean, a client list, or unset. */
export type DraftValue = string | boolean | ClientRowDraft[] | undefined;

/** The form's values by input id. */
export type Draft = Record<string, DraftValue>;

function str(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'object' && 'toFixed' in (value as object)) {
    return (value as { toFixed(): string }).toFixed();
  }
  // A number from a cost fact: String(1e-7) is "1e-7", which the form refuses as "not a plain
  // number" on a field nobody typed. Plain decimals, every digit kept.
  if (typeof value === 'number' && Number.isFinite(value)) {
    return value.toLocaleString('en-US', {
      useGrouping: false,
      maximumFractionDigits: 20,
    });
  }
  return String(value);
}

/** Turns prefilled or linked values into form values. */
export function toDraft(values: Record<string, unknown>): Draft {
  const draft: Draft = {};
  for (const [id, value] of Object.entries(values)) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) {
      draft[id] = value.map((row: Record<string, unknown>) => ({
        name: str(row.name),
        maxInstances: str(row.maxInstances),
        poolSize: str(row.poolSize),
        rolloutSurgePercent: str(row.rolloutSurgePercent),
      }));
    } else if (typeof value === 'boolean') {
      draft[id] = value;
    } else {
      draft[id] = str(value);
    }
  }
  return draft;
}

/** Turns form values into calculator input: blanks are "not given", text stays text for the schema to validate. */
export function toInput(draft: Draft): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const [id, value] of Object.entries(draft)) {
    if (value === undefined) continue;
    if (typeof value === 'string') {
      if (value.trim() !== '') input[id] = value.trim();
    } else if (Array.isArray(value)) {
      input[id] = value.map(row => ({
        name: row.name,
        maxInstances: row.maxInstances.trim(),
        poolSize: row.poolSize.trim(),
        rolloutSurgePercent: row.rolloutSurgePercent.trim() || undefined,
      }));
    } else {
      input[id] = value;
    }
  }
  return input;
}

/**
 * The inputs a result took from another calculator of the card (C2's right-sized cost from
 * C1): a link carries them, since whoever opens it has no such result to take them from.
 */
export function linkedInputs(
  result: CalcResult | undefined,
): Record<string, unknown> {
  const linked: Record<string, unknown> = {};
  for (const [id, input] of Object.entries(result?.inputs ?? {})) {
    if (input.source.kind === 'derived' && input.source.calculator)
      linked[id] = input.value;
  }
  return linked;
}

/** Runs a calculator; anything it throws (e.g. an unknown price-book SKU) becomes an error message, never a crash. */
export function computeSafely(
  calculatorId: CalculatorId,
  draft: Draft,
  options: {
    asOf: string;
    priceBook: ResolvedPriceBook;
    prefill: Prefill;
    edited: ReadonlySet<string>;
    /** Results of the card's other calculators for the same entity (C2 reads C1's). */
    linkedResults?: CalcContext['linkedResults'];
  },
): CalcOutcome {
  const { prefill, edited } = options;
  const sources: Record<string, InputSource> = {};
  const editedKeys = new Set<string>();
  for (const [id, source] of Object.entries(prefill.sources)) {
    if (edited.has(id)) {
      if (source.kind === 'annotation') editedKeys.add(source.key);
    } else {
      sources[id] = source;
    }
  }
  // A warning about an annotation or a cost fact the user has overwritten no longer applies.
  const prefillWarnings = prefill.warnings.filter(
    w =>
      !(w.kind === 'stale-annotation' && editedKeys.has(w.subject ?? '')) &&
      !(w.kind === 'stale-cost-fact' && edited.has(w.subject ?? '')),
  );
  try {
    return CALCULATORS[calculatorId].compute(toInput(draft), {
      asOf: options.asOf,
      priceBook: options.priceBook,
      sources,
      prefillWarnings,
      linkedResults: options.linkedResults,
    });
  } catch (e) {
    return {
      ok: false,
      errors: [
        {
          input: '',
          code: 'inconsistent',
          message: `These inputs cannot be computed: ${
            e instanceof Error ? e.message : String(e)
          }.`,
        },
      ],
    };
  }
}

function ageOf(source: { ageDays?: number }): string {
  return source.ageDays === undefined
    ? 'age unknown'
    : `${source.ageDays} d old`;
}

/** The source chip text of §5: "annotation ops.example.com/monthly-spend · 69 d old", "cost facts · billing export · 3 d old", "price book aws.kms.requests", "you". */
export function sourceChipLabel(source: InputSource): string {
  if (source.kind === 'annotation')
    return `annotation ${source.key} · ${ageOf(source)}`;
  if (source.kind === 'cost-facts') {
    const from = source.label ? ` · ${source.label}` : '';
    return `cost facts${from} · ${ageOf(source)}`;
  }
  return describeSource(source);
}
