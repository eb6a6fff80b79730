import { CALCULATORS } from '../calculators';
import type { InputLabel } from '../calculators/defineCalculator';
import { dec, formatFixed } from '../money';
import type { CalcResult, NormalizedInput } from '../types';
import { describeSource } from './describeSource';
import { formatOutputValue } from './outputValue';

/** Optional context for the markdown export. */
export interface MarkdownOptions {
  /** Entity ref shown in the heading, e.g. `resource:default/orders-db`. */
  entityRef?: string;
  /** Share link for "Open in the portal". */
  link?: string;
  /** Column titles for option outputs (defaults: the option ids). */
  optionLabels?: Record<string, string>;
}

const NUMBER = /^-?\d+(\.\d+)?$/;

/**
 * Money as typed, with its currency and at least cents: "$10,000.00", "$0.048". An input
 * is exact (a price per slot-hour has three decimals), so it is padded, never rounded.
 */
function exactMoney(value: string, currency: string): string {
  const d = dec(value);
  const body = formatFixed(d.abs(), Math.max(2, d.decimalPlaces()));
  const sign = d.isNegative() && !d.isZero() ? '-' : '';
  return currency === 'USD' ? `${sign}$${body}` : `${sign}${body} ${currency}`;
}

/** An input's value with its unit: "$10,000.00/month", "22 %", "90 days"; text and yes/no as they are. */
function inputValue(
  input: NormalizedInput,
  meta: InputLabel | undefined,
  currency: string,
): string {
  if (Array.isArray(input.value)) {
    return input.value
      .map(
        c =>
          `${c.name}: ${c.maxInstances} × ${c.poolSize} (+${c.rolloutSurgePercent}%)`,
      )
      .join('; ');
  }
  if (input.value === null) return '—';
  const value = String(input.value);
  const unit = meta?.unit;
  if (typeof input.value === 'boolean' || !unit || !NUMBER.test(value))
    return value;
  // Money units are written in USD in the note; the numbers are in the book's currency
  // ("10,000.00 EUR/month" when the book is in euros).
  if (unit.startsWith('USD'))
    return `${exactMoney(value, currency)}${unit.slice('USD'.length)}`;
  return `${value} ${unit}`;
}

/** Line breaks and other control characters: inside a cell or a sentence they would end the line. */
// eslint-disable-next-line no-control-regex
const LINE_BREAKS = /[\u0000-\u001f\u007f\u2028\u2029]+/g;
/**
 * Punctuation that can open inline markup (emphasis, code, links, strikethrough),
 * HTML or an entity, or end a table cell. CommonMark lets any ASCII punctuation be
 * backslash-escaped, so the text renders as typed. Block markers (`#`, `>`, `-`)
 * only act at the start of a line, which a text without line breaks never reaches.
 */
const INLINE_MARKUP = /[\\`*_[\]<>|~&]/g;

/**
 * Escapes free text (client names, SKUs, annotation values quoted in warnings,
 * entity refs) for one line of markdown, in a table cell or not: a name such as
 * `web\n### x` or `<img …>` must not add a heading, break a table or inject HTML.
 */
export function escapeMarkdownInline(text: string): string {
  return text.replace(LINE_BREAKS, ' ').replace(INLINE_MARKUP, c => `\\${c}`);
}

const escape = escapeMarkdownInline;

/** The source column; a value derived from another input names that input by its label ("from Current on-demand cost"). */
function sourceText(
  input: NormalizedInput,
  labels: Readonly<Record<string, InputLabel>>,
): string {
  const { source } = input;
  if (source.kind === 'derived' && labels[source.from])
    return describeSource({ ...source, from: labels[source.from].label });
  return describeSource(source);
}

/** Renders a result as the "Copy as markdown" text of §5. */
export function renderMarkdown(
  result: CalcResult,
  options: MarkdownOptions = {},
): string {
  const calc = CALCULATORS[result.calculatorId];
  const pb = result.priceBook;
  const used = pb.entriesUsed.join(', ');
  const age = pb.ageDays === null ? 'age unknown' : `${pb.ageDays} d`;
  const provenance = pb.factsOnly
    ? `facts only${used ? `: ${used}` : ''}`
    : `oldest verified ${pb.oldestVerifiedOn}, ${age}: ${used}`;
  const lines: string[] = [
    `### ${calc.title}${
      options.entityRef ? ` — ${escape(options.entityRef)}` : ''
    }`,
    `_Computed ${result.asOf} · price book ${pb.version} (${provenance}) · ${result.calculatorId} v${result.calculatorVersion}_`,
    '',
    '| Input | Value | Source |',
    '|---|---|---|',
    ...Object.entries(result.inputs).map(([id, input]) => {
      const meta = calc.inputs[id] as InputLabel | undefined;
      return `| ${escape(meta?.label ?? id)} | ${escape(
        inputValue(input, meta, result.currency),
      )} | ${escape(sourceText(input, calc.inputs))} |`;
    }),
    '',
  ];
  const optionIds = [
    ...new Set(result.outputs.filter(o => o.option).map(o => o.option!)),
  ];
  if (optionIds.length > 0) {
    const labels = optionIds.map(
      id =>
        options.optionLabels?.[id] ??
        result.options?.find(s => s.id === id)?.label ??
        id,
    );
    lines.push(
      `| Output | ${labels.map(escape).join(' | ')} |`,
      `|---|${optionIds.map(() => '---|').join('')}`,
    );
    const rowLabels = [
      ...new Set(result.outputs.filter(o => o.option).map(o => o.label)),
    ];
    for (const label of rowLabels) {
      const cells = optionIds.map(id => {
        const o = result.outputs.find(
          x => x.label === label && x.option === id,
        );
        return o ? escape(formatOutputValue(o, result.currency)) : '';
      });
      lines.push(`| ${escape(label)} | ${cells.join(' | ')} |`);
    }
    lines.push('');
  }
  const single = result.outputs.filter(o => !o.option);
  if (single.length > 0) {
    lines.push('| Output | Value |', '|---|---|');
    for (const o of single)
      lines.push(
        `| ${escape(o.label)} | ${escape(
          formatOutputValue(o, result.currency),
        )} |`,
      );
    lines.push('');
  }
  // Sentences and warnings quote free text too (C10 names a client, warnings quote annotation values).
  lines.push(
    `**Recommendation:** ${escape(result.recommendation.sentence)}`,
    '',
  );
  for (const w of result.warnings)
    lines.push(`> Warning (${w.kind}): ${escape(w.message)}`);
  if (result.warnings.length > 0) lines.push('');
  lines.push(
    `Rules: ${result.rules
      .map(r => `${r.id} ${r.status} (${r.sources.join(', ')})`)
      .join(' · ')}`,
    `Caveats: ${result.caveats.join(' ')}`,
    `Amounts are rounded to cents individually; totals may differ from the sum of rounded parts by ${
      result.currency === 'USD' ? '$' : ''
    }0.01${result.currency === 'USD' ? '' : ` ${result.currency}`}.`,
  );
  if (options.link) lines.push(`[Open in the portal](${options.link})`);
  return `${lines.join('\n')}\n`;
}
