import { render } from '@testing-library/react';
import {
  DEFAULT_PRICE_BOOK,
  applyPriceBookOverrides,
  bigqueryCapacity,
} from '@internal/plugin-cost-calculators-common';
import type UPlot from 'uplot';
import { EtlCostChart } from './EtlCostChart';
import { money } from './chartParts';

// jsdom has no canvas: pretend it draws and keep the options the chart hands to uPlot.
const plotted: UPlot.Options[] = [];
jest.mock('uplot', () =>
  jest.fn().mockImplementation((options: UPlot.Options) => {
    plotted.push(options);
    return { setSize: jest.fn(), destroy: jest.fn() };
  }),
);
jest.mock('./chartParts', () => ({
  ...jest.requireActual('./chartParts'),
  canDraw: () => true,
}));

const priceBook = applyPriceBookOverrides(DEFAULT_PRICE_BOOK);

describe('EtlCostChart legend', () => {
  it("shows the result's own volume and amounts while the cursor is off the plot, instead of dashes (or throwing)", () => {
    const outcome = bigqueryCapacity.compute(
      { etlTiBPerMonth: 400, adhocTiBPerMonth: 50, baselineSlots: 500 },
      { asOf: '2026-11-23', priceBook },
    );
    if (!outcome.ok) throw new Error(JSON.stringify(outcome.errors));
    render(<EtlCostChart result={outcome.result} priceBook={priceBook} />);

    expect(plotted).toHaveLength(1);
    const series = plotted[0].series;
    // uPlot calls each series' value with null for the legend's resting state; the volume's
    // formatter threw on it in the portal ("reading 'toLocaleString'") and the chart stopped
    // following the page's width.
    const resting = series.map(s =>
      typeof s.value === 'function'
        ? s.value({} as UPlot, null as unknown as number, 0, null)
        : undefined,
    );
    const format = money(outcome.result.currency);
    const amount = (id: string) =>
      format(Number(outcome.result.outputs.find(o => o.id === id)!.exact));
    expect(resting[0]).toBe('400 (this result)');
    expect(resting.slice(1)).toEqual([amount('onDemandAll'), amount('hybrid')]);
    expect(resting.slice(1)).not.toContain('—');
    // on the plot: the hovered volume, and a dash where a series has no value
    const volume = series[0].value as (
      u: UPlot,
      v: number | null,
      s: number,
      idx: number | null,
    ) => string;
    expect(volume({} as UPlot, 1401.6, 0, 3)).toBe('1,401.6');
    expect(volume({} as UPlot, null, 0, 3)).toBe('—');
  });

  it('labels the cost axis compactly and sizes it to its longest label', () => {
    plotted.length = 0;
    const outcome = bigqueryCapacity.compute(
      { etlTiBPerMonth: 400, adhocTiBPerMonth: 50, baselineSlots: 500 },
      { asOf: '2026-11-23', priceBook },
    );
    if (!outcome.ok) throw new Error(JSON.stringify(outcome.errors));
    render(<EtlCostChart result={outcome.result} priceBook={priceBook} />);
    const axis = plotted[0].axes![1];
    const ctx = {
      font: '',
      save: jest.fn(),
      restore: jest.fn(),
      measureText: (text: string) => ({ width: text.length * 7 }),
    };
    const u = {
      axes: [{}, { ...axis, font: ['12px system-ui', 12, 12] }],
      ctx,
    } as unknown as UPlot;
    const labels = (axis.values as (u: UPlot, t: number[]) => string[])(
      u,
      [0, 1.25e9, 2.5e9],
    );
    expect(labels).toEqual(['$0', '$1.25B', '$2.5B']);
    const size =
      typeof axis.size === 'function' ? axis.size(u, labels, 1, 0) : axis.size;
    expect(size).toBeGreaterThanOrEqual('$1.25B'.length * 7 + 15);
    // a label of a whole billion in dollars would need more than the 90 px the axis had
    expect(
      typeof axis.size === 'function'
        ? axis.size(u, ['$1,000,000,000'], 1, 0)
        : axis.size,
    ).toBeGreaterThanOrEqual('$1,000,000,000'.length * 7 + 15);
  });
});
