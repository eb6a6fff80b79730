import { render } from '@testing-library/react';
import {
  DEFAULT_PRICE_BOOK,
  applyPriceBookOverrides,
  bigqueryCapacity,
} from '@internal/plugin-cost-calculators-common';
import type UPlot from 'uplot';
import { EtlCostChart } from './EtlCostChart';

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
  it('reads a dash for every series while the cursor is off the plot, instead of throwing', () => {
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
    expect(resting).toEqual(['—', '—', '—']);
    const volume = series[0].value as (u: UPlot, v: number) => string;
    expect(volume({} as UPlot, 1401.6)).toBe('1,401.6');
  });
});
