import { z } from 'zod';
import { isIsoDate } from '../dates';
import {
  Dec,
  exactString,
  MONEY_DP,
  decimalsApart,
  formatCurrency,
  formatFixed,
  formatMoney,
  formatPercent,
  formatTrimmed,
} from '../money';
import {
  BookItemKind,
  MissingPriceBookItem,
  PriceBookReader,
  UnusableBookValue,
  missingItemError,
  unusableValueError,
} from '../priceBook/priceBookUsage';
import {
  CalcContext,
  CalcOutcome,
  CalcResult,
  CalculatorId,
  InputError,
  InputSource,
  NormalizedInput,
  NormalizedInputs,
  OptionSeries,
  Output,
  OutputUnit,
  RuleStatus,
  SEVERITY_ORDER,
  Severity,
  Warning,
} from '../types';
import {
  NumberSpec,
  describeRange,
  inRange,
  rangeOf,
  toInputErrors,
} from '../validation/fields';

/** A rule after evaluation, before the recommendation is chosen. */
export interface RuleEvaluation {
  id: string;
  status: RuleStatus;
  /** `warning` rules never give the sentence; they add a warning when fired. */
  severity: Severity | 'warning';
  sentence?: string;
  /** Recommendation code when it differs from the rule id. */
  code?: string;
  sources: string[];
  /** An unknown gating rule blocks the positive recommendation (§0). */
  gating?: boolean;
}

/** Rule status from a condition: undefined = unknown (a missing input), true = fired, false = passed. */
export function statusOf(fired: boolean | undefined): RuleStatus {
  if (fired === undefined) return 'unknown';
  return fired ? 'fired' : 'passed';
}

/** What a calculator's `evaluate` returns. */
export interface Evaluation {
  outputs: Output[];
  options?: OptionSeries[];
  breakEven?: CalcResult['breakEven'];
  rules: RuleEvaluation[];
  extraCaveats?: string[];
  qualifier?: 'provisional' | 'unverified';
  /** Appended to whichever sentence is chosen (C11's "Verify by killing the primary…"). */
  sentenceSuffix?: string;
  /** Do not prefix "Indicative:" (the sentence does not rest on prices). */
  pricesNotDecisive?: boolean;
}

/**
 * The range of `calendar.hours-per-month` where it is a constant (it divides monthly spend
 * in C8 and slot-hours in C4): the hours of a 28- to 31-day month. C6, which takes it as the
 * default of its `hoursPerMonth` input, holds it to that input's 0–744 h instead.
 */
export const HOURS_PER_MONTH: NumberSpec = { min: 672, max: 744, unit: 'h' };

/** Helpers handed to `evaluate`: price-book access with source tracking and output builders. */
export class EvalHelpers {
  readonly inputs: NormalizedInputs = {};

  constructor(
    readonly ctx: CalcContext,
    readonly pb: PriceBookReader,
    /** The calculator's input schema: book defaults are held to its fields' ranges. */
    private readonly schema?: z.ZodType,
  ) {}

  get asOf(): string {
    return this.ctx.asOf;
  }

  /**
   * Formats money for a sentence in the book's currency ("$5,000.00"); with `against`, with as
   * many more decimals as it takes to print apart from it (`decimalsApart`), for a sentence
   * that says one is above the other.
   */
  money(value: Dec, against?: Dec): string {
    return formatCurrency(
      value,
      this.pb.book.currency,
      against ? decimalsApart(value, against, MONEY_DP) : MONEY_DP,
    );
  }

  /** Records an input the caller supplied (source from prefill, else `user`). */
  given(id: string, value: NormalizedInput['value']): void {
    this.inputs[id] = {
      value,
      source: this.ctx.sources?.[id] ?? { kind: 'user' },
    };
  }

  private record(
    id: string,
    value: NormalizedInput['value'],
    source: InputSource,
  ) {
    this.inputs[id] = { value, source };
  }

  /**
   * The typed value, else the price-book entry's price (recorded as used only then, §3 rule 6).
   * A price outside the input's declared range is refused like a typed one ({@link bookDefault}).
   */
  price(id: string, value: Dec | undefined, entryId: string): Dec {
    if (value !== undefined) return value;
    const price = defaulting(id, () => this.pb.price(entryId));
    this.bookDefault(id, price, 'entry', entryId);
    this.record(id, exactString(price), { kind: 'price-book', id: entryId });
    return price;
  }

  /** The typed value, else a numeric fact of the book, held to the input's declared range. */
  fact(id: string, value: Dec | undefined, factId: string): Dec {
    if (value !== undefined) return value;
    const fact = defaulting(id, () => this.pb.factNumber(factId));
    this.bookDefault(id, fact, 'fact', factId);
    this.record(id, exactString(fact), { kind: 'price-book', id: factId });
    return fact;
  }

  /**
   * Holds a book value that fills input `id` to the range the input declares (its schema
   * field): the schema checks typed values only, and a hand-built or damaged book (or an
   * override priced beyond the range) would otherwise surface as a confusing error or a
   * nonsense result. Outside it, throws {@link UnusableBookValue}: an `out_of_range` error
   * on the input naming the book's item, which a typed value replaces.
   */
  bookDefault(
    id: string,
    value: Dec,
    kind: BookItemKind,
    itemId: string,
    /** The value as the book writes it, when `value` could not represent it (NaN). */
    written = value.toFixed(),
  ) {
    const shape = (this.schema as { shape?: Record<string, unknown> })?.shape;
    const range = rangeOf(shape?.[id]);
    if (range && !inRange(value, range)) {
      throw new UnusableBookValue(
        this.pb.book.resolvedVersion,
        kind,
        itemId,
        written,
        describeRange(range),
        id,
      );
    }
  }

  /**
   * A numeric fact that is no input (a constant, step or divisor), held to `range`:
   * outside it, an `inconsistent` error on `priceBook` naming the fact and the range.
   */
  bookNumber(factId: string, range: NumberSpec): Dec {
    const value = this.pb.factNumber(factId);
    if (!inRange(value, range)) {
      throw new UnusableBookValue(
        this.pb.book.resolvedVersion,
        'fact',
        factId,
        value.toFixed(),
        describeRange(range),
      );
    }
    return value;
  }

  /**
   * The typed value, else a documented default of the calculator, recorded with the source
   * `default` so the form and the markdown export show the figure assumed. `value` is the
   * parsed input, undefined when not given: passing the fallback there records nothing.
   */
  orDefault<T extends NormalizedInput['value']>(
    id: string,
    value: T | undefined,
    fallback: T,
  ): T {
    if (value !== undefined) return value;
    this.record(id, fallback, { kind: 'default' });
    return fallback;
  }

  /** Records a value derived from other inputs (e.g. rightSizedMonthly = currentMonthly). */
  derived<T extends NormalizedInput['value']>(
    id: string,
    value: T,
    from: string,
    /**
     * When the value comes from another calculator's result on the same card (C2's
     * right-sized cost from C1): that calculator; `from` then says which result in words.
     */
    calculator?: CalculatorId,
  ): T {
    this.record(
      id,
      value,
      calculator
        ? { kind: 'derived', from, calculator }
        : { kind: 'derived', from },
    );
    return value;
  }

  /** Hours per month (`calendar.hours-per-month`, 730), a multiplier and a divisor: 672–744 h. */
  hoursPerMonth(): Dec {
    return this.bookNumber('calendar.hours-per-month', HOURS_PER_MONTH);
  }
}

/** Reads a book default for `input`; a missing item names the input, which the user can type instead. */
function defaulting<T>(input: string, read: () => T): T {
  try {
    return read();
  } catch (e) {
    if (e instanceof MissingPriceBookItem) e.input ??= input;
    throw e;
  }
}

function display(unit: OutputUnit, value: Dec): string {
  switch (unit) {
    case 'money':
    case 'money/month':
      return formatMoney(value);
    case 'percent':
      return formatPercent(value);
    case 'months':
    case 'TiB':
    case 'GiB':
      return formatFixed(value, 2);
    case 'seconds':
      return formatTrimmed(value, 2);
    default:
      return formatTrimmed(value, 0);
  }
}

/** Builds a numeric output: exact string plus its display rounding. */
export function out(
  id: string,
  label: string,
  unit: OutputUnit,
  value: Dec | null,
  option?: string,
): Output {
  return {
    id,
    label,
    unit,
    exact: value === null ? null : exactString(value),
    display: value === null ? 'none' : display(unit, value),
    ...(option ? { option } : {}),
  };
}

/** Builds a text or boolean output. */
export function textOut(
  id: string,
  label: string,
  value: string | boolean,
): Output {
  return {
    id,
    label,
    unit: typeof value === 'boolean' ? 'bool' : 'text',
    exact: String(value),
    display: String(value),
  };
}

/** How an input is named to people: the form's label, the field messages' and the markdown export's row. */
export interface InputLabel {
  /** Words, not the id ("Current on-demand cost" for `currentMonthly`). */
  label: string;
  /** The unit the note's input table gives ("USD/month", "%", "days"); absent for counts, enums, booleans, text. */
  unit?: string;
}

/** One label per input of a schema: a schema key without a label is a type error. */
export type InputLabels<S extends z.ZodType> = {
  readonly [K in keyof z.input<S> & string]-?: InputLabel;
};

/** Static description of a calculator (also the registry's source). */
export interface CalculatorMeta {
  id: CalculatorId;
  version: number;
  title: string;
  question: string;
  sources: string[];
  caveats: string[];
  /** Every input's label and unit, by input id. */
  inputs: Readonly<Record<string, InputLabel>>;
}

/** A calculator: metadata, its zod input schema and a pure `compute`. */
export interface Calculator<S extends z.ZodType = z.ZodType>
  extends CalculatorMeta {
  schema: S;
  /** Validates `input`, applies defaults from the book and evaluates; never throws for bad input. */
  compute(input: unknown, ctx: CalcContext): CalcOutcome;
}

/** Picks the sentence from the most severe fired rule, ties by listed order (§0). */
export function chooseRecommendation(rules: RuleEvaluation[]): {
  chosen?: RuleEvaluation;
  others: RuleEvaluation[];
} {
  const candidates = rules.filter(
    r =>
      r.severity !== 'warning' &&
      (r.status === 'fired' || (r.status === 'unknown' && r.gating)),
  );
  const rank = (r: RuleEvaluation) =>
    SEVERITY_ORDER.indexOf(r.severity as Severity);
  const chosen = candidates.reduce<RuleEvaluation | undefined>(
    (best, r) => (!best || rank(r) < rank(best) ? r : best),
    undefined,
  );
  const others = rules.filter(
    r =>
      r !== chosen &&
      r.sentence !== undefined &&
      (r.status === 'fired' || (r.status === 'unknown' && r.gating)),
  );
  return { chosen, others };
}

/** Declares a calculator from its schema and evaluation; wraps validation, provenance and rule precedence. */
export function defineCalculator<S extends z.ZodType>(
  meta: CalculatorMeta & {
    schema: S;
    inputs: InputLabels<S>;
    evaluate(
      input: z.output<S>,
      h: EvalHelpers,
    ): Evaluation | { errors: InputError[] };
  },
): Calculator<S> {
  const { evaluate, ...rest } = meta;
  return {
    ...rest,
    compute(input: unknown, ctx: CalcContext): CalcOutcome {
      if (!isIsoDate(ctx.asOf)) {
        return {
          ok: false,
          errors: [
            {
              input: 'asOf',
              code: 'out_of_range',
              message: `asOf must be a date YYYY-MM-DD (got ${String(
                ctx.asOf,
              )}).`,
            },
          ],
        };
      }
      const parsed = meta.schema.safeParse(input ?? {});
      if (!parsed.success)
        return { ok: false, errors: toInputErrors(parsed.error) };
      const pb = new PriceBookReader(ctx.priceBook, ctx.asOf);
      const h = new EvalHelpers(ctx, pb, meta.schema);
      let evaluation: ReturnType<typeof evaluate>;
      try {
        evaluation = evaluate(parsed.data, h);
      } catch (e) {
        // A book without an entry the calculator reads, or with a value it cannot use
        // (a hand-built or trimmed book) is a problem to report, not a crash: compute
        // never throws.
        if (e instanceof MissingPriceBookItem)
          return { ok: false, errors: [missingItemError(e, meta.id)] };
        if (e instanceof UnusableBookValue)
          return { ok: false, errors: [unusableValueError(e, meta.id)] };
        throw e;
      }
      if ('errors' in evaluation)
        return { ok: false, errors: evaluation.errors };

      recordGivenInputs(parsed.data, h);
      const { usage, warnings: bookWarnings } = pb.summarize(ctx.asOf);
      const { chosen, others } = chooseRecommendation(evaluation.rules);
      const illustrative = bookWarnings.some(
        w => w.kind === 'illustrative-price',
      );
      const severity: Severity = (chosen?.severity as Severity) ?? 'info';
      let sentence = chosen?.sentence ?? 'No rule applies to these inputs.';
      if (evaluation.sentenceSuffix)
        sentence = `${sentence} ${evaluation.sentenceSuffix}`;
      if (
        illustrative &&
        severity !== 'blocked' &&
        !evaluation.pricesNotDecisive
      ) {
        sentence = `Indicative: ${sentence}`;
      }
      const ruleWarnings: Warning[] = others.map(r => ({
        kind: 'rule',
        subject: r.id,
        message: r.sentence!,
      }));
      const result: CalcResult = {
        calculatorId: meta.id,
        calculatorVersion: meta.version,
        asOf: ctx.asOf,
        currency: ctx.priceBook.currency,
        inputs: h.inputs,
        outputs: evaluation.outputs,
        ...(evaluation.options ? { options: evaluation.options } : {}),
        ...(evaluation.breakEven ? { breakEven: evaluation.breakEven } : {}),
        recommendation: {
          code: chosen?.code ?? chosen?.id ?? 'none',
          severity,
          sentence,
          ...(evaluation.qualifier ? { qualifier: evaluation.qualifier } : {}),
        },
        rules: evaluation.rules.map(r => ({
          id: r.id,
          status: r.status,
          sources: r.sources,
        })),
        caveats: [...meta.caveats, ...(evaluation.extraCaveats ?? [])],
        warnings: [
          ...ruleWarnings,
          ...(ctx.prefillWarnings ?? []),
          ...bookWarnings,
        ],
        priceBook: usage,
      };
      return { ok: true, result };
    },
  };
}

function recordGivenInputs(data: unknown, h: EvalHelpers) {
  if (typeof data !== 'object' || data === null) return;
  for (const [id, value] of Object.entries(data)) {
    if (value === undefined || h.inputs[id]) continue;
    if (typeof value === 'object' && value !== null && 'toFixed' in value) {
      h.given(id, exactString(value as Dec));
    } else if (Array.isArray(value)) {
      h.given(id, value);
    } else {
      h.given(id, value as string | number | boolean);
    }
  }
}
