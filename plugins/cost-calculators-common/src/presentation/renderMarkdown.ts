import { CALCULATORS } from '../calculators';
import type { CalcResult, NormalizedInput, Output } from '../types';
import { describeSource } from './describeSource';

/** Optional context for the markdown export. */
export interface MarkdownOptions {
  /** Entity ref shown in the heading, e.g. `resource:default/orders-db`. */
  entityRef?: string;
  /** Share link for "Open in the portal". */
  link?: string;
  /** Column titles for option outputs (defaults: the option ids). */
  optionLabels?: Record<string, string>;
}

function withCurrency(output: Output, currency: string): string {
  if (output.exact === null) return output.display;
  if (output.unit === 'money' || output.unit === 'money/month') {
    const sign = output.display.startsWith('-') ? '-' : '';
    const body = sign ? output.display.slice(1) : output.display;
    return currency === 'USD'
      ? `${sign}$${body}`
      : `${output.display} ${currency}`;
  }
  if (output.unit === 'percent') return `${output.display} %`;
  if (output.unit === 'TiB' || output.unit === 'GiB')
    return `${output.display} ${output.unit}`;
  if (output.unit === 'seconds') return `${output.display} s`;
  return output.display;
}

function inputValue(input: NormalizedInput): string {
  if (Array.isArray(input.value)) {
    return input.value
      .map(
        c =>
          `${c.name}: ${c.maxInstances} × ${c.poolSize} (+${c.rolloutSurgePercent}%)`,
      )
      .join('; ');
  }
  return input.value === null ? '—' : String(input.value);
}

function escape(cell: string): string {
  return cell.replace(/\|/g, '\\|');
}

/** Renders a result as the "Copy as markdown" text of §5. */
export function renderMarkdown(
  result: CalcResult,
  options: MarkdownOptions = {},
): string {
  const calc = CALCULATORS[result.calculatorId];
  const pb = result.priceBook;
  const used = pb.entriesUsed.join(', ');
  const provenance = pb.factsOnly
    ? `facts only${used ? `: ${used}` : ''}`
    : `oldest verified ${pb.oldestVerifiedOn}, ${pb.ageDays} d: ${used}`;
  const lines: string[] = [
    `### ${calc.title}${options.entityRef ? ` — ${options.entityRef}` : ''}`,
    `_Computed ${result.asOf} · price book ${pb.version} (${provenance}) · ${result.calculatorId} v${result.calculatorVersion}_`,
    '',
    '| Input | Value | Source |',
    '|---|---|---|',
    ...Object.entries(result.inputs).map(
      ([id, input]) =>
        `| ${id} | ${escape(inputValue(input))} | ${escape(
          describeSource(input.source),
        )} |`,
    ),
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
      `| Output | ${labels.join(' | ')} |`,
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
        return o ? withCurrency(o, result.currency) : '';
      });
      lines.push(`| ${label} | ${cells.join(' | ')} |`);
    }
    lines.push('');
  }
  const single = result.outputs.filter(o => !o.option);
  if (single.length > 0) {
    lines.push('| Output | Value |', '|---|---|');
    for (const o of single)
      lines.push(
        `| ${o.label} | ${escape(withCurrency(o, result.currency))} |`,
      );
    lines.push('');
  }
  lines.push(`**Recommendation:** ${result.recommendation.sentence}`, '');
  for (const w of result.warnings)
    lines.push(`> Warning (${w.kind}): ${w.message}`);
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
