import { render, screen, within } from '@testing-library/react';
import type { CalcResult } from '@internal/plugin-cost-calculators-common';
import type UPlot from 'uplot';
import { CostChart } from './CostChart';

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

/** A drawn chart's axis, measuring 7 px per character of the axis' 12 px font. */
function measuringPlot(axis: UPlot.Axis): UPlot {
  const ctx = {
    font: '',
    save: jest.fn(),
    restore: jest.fn(),
    measureText: (text: string) => ({ width: text.length * 7 }),
  };
  return {
    axes: [{}, { ...axis, font: ['12px system-ui', 12, 12] }],
    ctx,
  } as unknown as UPlot;
}

/** The y axis' labels for `ticks`, and whether the axis is wide enough for the longest. */
function yAxis(options: UPlot.Options, ticks: number[]) {
  const axis = options.axes![1];
  const values = axis.values as (u: UPlot, splits: number[]) => string[];
  const u = measuringPlot(axis);
  const labels = values(u, ticks);
  const size =
    typeof axis.size === 'function' ? axis.size(u, labels, 1, 0) : axis.size!;
  const longest = Math.max(...labels.map(l => l.length * 7));
  // the tick (10 px) and the gap to the label (5 px) are inside the axis too
  return { labels, fits: size >= longest + 15 };
}

/** Two options over 36 months: commit costs 1,000 up front and 100/month, stay costs 150/month. */
function result(): CalcResult {
  const months = Array.from({ length: 37 }, (_, m) => m);
  return {
    options: [
      {
        id: 'stay',
        label: 'Stay on demand',
        monthly: '150',
        cumulative: months.map(m => String(150 * m)),
      },
      {
        id: 'commit',
        label: 'Commit for 3 years',
        monthly: '100',
        cumulative: months.map(m => String(1000 + 100 * m)),
      },
    ],
    breakEven: { month: '20', optionA: 'stay', optionB: 'commit' },
  } as unknown as CalcResult;
}

describe('CostChart', () => {
  it('names the break-even month and gives screen readers the yearly values', () => {
    render(<CostChart result={result()} currency="USD" />);
    expect(
      screen.getByText(
        'Cumulative cost per option over 36 months; break-even at month 20',
      ),
    ).toBeInTheDocument();
    const table = screen.getByRole('table', {
      name: 'Cumulative cost per option',
    });
    const rows = within(table).getAllByRole('row');
    // Header plus months 0, 12, 24 and 36.
    expect(rows.map(r => r.querySelector('th')?.textContent)).toEqual([
      'Month',
      '0',
      '12',
      '24',
      '36',
    ]);
    expect(
      within(rows[4])
        .getAllByRole('cell')
        .map(c => c.textContent),
    ).toEqual(['$5,400', '$4,600']);
  });

  it('labels a billion-dollar axis compactly and sizes the axis to its longest label', () => {
    plotted.length = 0;
    render(<CostChart result={result()} currency="USD" />);
    expect(plotted).toHaveLength(1);
    const billions = yAxis(plotted[0], [0, 5e8, 1e9, 1.5e9]);
    expect(billions.labels).toEqual(['$0', '$500M', '$1B', '$1.5B']);
    expect(billions.fits).toBe(true);
    // Ticks a compact label would round stay whole, and the axis widens to them.
    const close = yAxis(plotted[0], [1_000_000_100, 1_000_000_200]);
    expect(close.labels).toEqual(['$1,000,000,100', '$1,000,000,200']);
    expect(close.fits).toBe(true);
  });

  it('labels another currency compactly after the amount', () => {
    plotted.length = 0;
    render(<CostChart result={result()} currency="EUR" />);
    const axis = yAxis(plotted[0], [0, 2.5e6, 5e6]);
    expect(axis.labels).toEqual(['0 EUR', '2.5M EUR', '5M EUR']);
    expect(axis.fits).toBe(true);
  });

  it("shows the last month's values in the legend until the cursor is on the plot", () => {
    plotted.length = 0;
    render(<CostChart result={result()} currency="USD" />);
    const series = plotted[0].series;
    const u = {} as UPlot;
    const legend = (i: number, raw: number | null, idx: number | null) =>
      (
        series[i].value as (
          u: UPlot,
          v: number | null,
          s: number,
          idx: number | null,
        ) => string
      )(u, raw, i, idx);
    // No cursor (idx null): month 36 and each option's 36-month total, not "--" and "—".
    expect([
      legend(0, null, null),
      legend(1, null, null),
      legend(2, null, null),
    ]).toEqual(['36 (end)', '$5,400', '$4,600']);
    // On the plot: the hovered month.
    expect([
      legend(0, 12, 12),
      legend(1, 1800, 12),
      legend(2, 2200, 12),
    ]).toEqual(['12', '$1,800', '$2,200']);
  });

  it('draws nothing without option series', () => {
    const { container } = render(
      <CostChart result={{ ...result(), options: [] }} currency="USD" />,
    );
    expect(container).toBeEmptyDOMElement();
  });
});
