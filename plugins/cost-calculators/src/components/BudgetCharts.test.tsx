import { render, screen, within } from '@testing-library/react';
import {
  DEFAULT_PRICE_BOOK,
  applyPriceBookOverrides,
  bigqueryCapacity,
  connectionBudget,
  failoverRto,
} from '@internal/plugin-cost-calculators-common';
import type {
  CalcOutcome,
  CalcResult,
} from '@internal/plugin-cost-calculators-common';
import { ConnectionBudgetChart, RtoChart } from './BudgetCharts';
import { EtlCostChart } from './EtlCostChart';

const priceBook = applyPriceBookOverrides(DEFAULT_PRICE_BOOK);
const ctx = { asOf: '2026-11-23', priceBook };

function ok(outcome: CalcOutcome): CalcResult {
  if (!outcome.ok) throw new Error(JSON.stringify(outcome.errors));
  return outcome.result;
}

/** Each row of a table as [header cell, …data cells] texts. */
function rowsOf(name: string): string[][] {
  const table = screen.getByRole('table', { name });
  return within(table)
    .getAllByRole('row')
    .map(r =>
      Array.from(r.querySelectorAll('th, td')).map(c => c.textContent ?? ''),
    );
}

/**
 * The data table is clipped by a box of its own, not by styles on the table: a table grows to
 * its content whatever its width and overflow say, so on a phone a clipped table still
 * widened the page and it scrolled sideways (screenshot tour, orders-db at 390 px).
 */
function expectClippedByItsOwnBox(name: string) {
  const table = screen.getByRole('table', { name });
  const box = table.parentElement!;
  expect(box.tagName).toBe('DIV');
  expect(getComputedStyle(box).position).toBe('absolute');
  expect(getComputedStyle(box).overflow).toBe('hidden');
  expect(getComputedStyle(table).position).not.toBe('absolute');
}

// §4 T40: web 50 × 5 and worker 10 × 5 under max 500, usable 387.
const T40 = {
  maxConnections: 500,
  headroomPercent: 20,
  superuserReserved: 3,
  operationalReserve: 10,
  clients: [
    { name: 'web', maxInstances: 50, poolSize: 5 },
    { name: 'worker', maxInstances: 10, poolSize: 5 },
  ],
};

describe('ConnectionBudgetChart (C10)', () => {
  it('stacks each client against usable and max_connections, in words and in a table', () => {
    const { container } = render(
      <ConnectionBudgetChart result={ok(connectionBudget.compute(T40, ctx))} />,
    );
    expect(
      screen.getByText(
        'Connections at full scale per client (peak instances × pool): 300 of 387 usable; max_connections 500',
      ),
    ).toBeInTheDocument();
    expect(rowsOf('Connections at full scale per client')).toEqual([
      ['Client', 'Connections at full scale'],
      ['web', '250 connections'],
      ['worker', '50 connections'],
      ['Demand at full scale', '300 connections'],
      ['Usable', '387 connections'],
      ['max_connections', '500 connections'],
    ]);
    // The drawing: segments sized on the 500-connection scale, limits at 387 and 500.
    const widths = Array.from(container.querySelectorAll('rect')).map(r =>
      r.getAttribute('width'),
    );
    expect(widths).toEqual(['50.000%', '10.000%']);
    const limits = Array.from(
      container.querySelectorAll('[data-reference] line'),
    ).map(l => l.getAttribute('x1'));
    expect(limits).toEqual(['77.400%', '100.000%']);
    // Decorative for screen readers, and nothing in it takes focus.
    expect(
      container.querySelector('svg')!.closest('[aria-hidden="true"]'),
    ).not.toBeNull();
    expect(container.querySelectorAll('[tabindex]')).toHaveLength(0);
  });

  it("brings the focused client's segment forward and names it in the table", () => {
    const { container } = render(
      <ConnectionBudgetChart
        result={ok(connectionBudget.compute(T40, ctx))}
        focusClient="worker"
      />,
    );
    expect(rowsOf('Connections at full scale per client')[2]).toEqual([
      'worker (this component)',
      '50 connections',
    ]);
    const opacity = Array.from(container.querySelectorAll('rect')).map(r =>
      r.getAttribute('fill-opacity'),
    );
    expect(opacity).toEqual(['0.3', '1']);
  });
});

describe('RtoChart (C11)', () => {
  // §4 T43: Aurora 30 s + DNS max(5, 30) + pool max(2, 60) = 120 s against a 60 s target.
  const T43 = {
    service: 'aurora',
    providerFailoverSeconds: 30,
    dnsTtlSeconds: 5,
    clientDnsCacheSeconds: 30,
    poolValidatesOnBorrow: false,
    staleConnectionTimeoutSeconds: 60,
    reconnectSeconds: 2,
    targetRtoSeconds: 60,
  };

  it('stacks detection, provider, DNS and pool against the target', () => {
    const { container } = render(
      <RtoChart result={ok(failoverRto.compute(T43, ctx))} />,
    );
    expect(
      screen.getByText(
        'Client-visible recovery time by term: 120 s against a 60 s target',
      ),
    ).toBeInTheDocument();
    expect(rowsOf('Client-visible recovery time by term')).toEqual([
      ['Term', 'Seconds'],
      ['Detection', '0 s'],
      ['Provider failover', '30 s'],
      ['DNS delay', '30 s'],
      ['Pool delay', '60 s'],
      ['Estimated client RTO', '120 s'],
      ['Target RTO', '60 s'],
    ]);
    expect(
      Array.from(container.querySelectorAll('rect')).map(r => [
        r.getAttribute('x'),
        r.getAttribute('width'),
      ]),
    ).toEqual([
      ['0.000%', '0.000%'],
      ['0.000%', '25.000%'],
      ['25.000%', '25.000%'],
      ['50.000%', '50.000%'],
    ]);
    expect(
      container
        .querySelector('[data-reference="target"] line')!
        .getAttribute('x1'),
    ).toBe('50.000%');
  });

  it('says when there is no target to draw', () => {
    const { targetRtoSeconds, ...noTarget } = T43;
    const { container } = render(
      <RtoChart result={ok(failoverRto.compute(noTarget, ctx))} />,
    );
    expect(
      screen.getByText(
        'Client-visible recovery time by term: 120 s (no target RTO entered)',
      ),
    ).toBeInTheDocument();
    expect(container.querySelector('[data-reference]')).toBeNull();
  });
});

describe('EtlCostChart (C4)', () => {
  // §4 T16: slots 17,520 + ad-hoc 2,500 = hybrid 20,020; break-even 2,803.2 TiB.
  const T16 = {
    etlTiBPerMonth: 3200,
    adhocTiBPerMonth: 400,
    onDemandPerTiB: 6.25,
    baselineSlots: 500,
    slotHourPrice: 0.048,
  };

  it('names the crossing and the current volume, and tables cost by volume', () => {
    render(
      <EtlCostChart
        result={ok(bigqueryCapacity.compute(T16, ctx))}
        priceBook={priceBook}
      />,
    );
    expect(
      screen.getByText(
        'Monthly cost (USD/month) against steady ETL volume (TiB/month); they cross at 2,803.2 TiB (dashed line); this result is for 3,200 TiB (dotted line)',
      ),
    ).toBeInTheDocument();
    const rows = rowsOf('Monthly cost by steady ETL volume');
    expect(rows[0]).toEqual([
      'Steady ETL (TiB/month)',
      'All on demand (USD/month)',
      'Hybrid (slots + ad-hoc on demand) (USD/month)',
    ]);
    expect(rows.slice(1).map(r => r[0])).toEqual([
      '0',
      '700.8',
      '1,401.6',
      '2,102.4',
      '2,803.2',
      '3,504',
      '4,204.8',
      '4,905.6',
      '5,606.4',
    ]);
    expect(rows[1]).toEqual(['0', '$2,500', '$20,020']);
    expect(rows[5]).toEqual(['2,803.2', '$20,020', '$20,020']);
    expect(rows[9]).toEqual(['5,606.4', '$37,540', '$20,020']);
  });

  it('draws nothing when nothing is scanned and no slots are bought', () => {
    const { container } = render(
      <EtlCostChart
        result={ok(
          bigqueryCapacity.compute(
            { etlTiBPerMonth: 0, adhocTiBPerMonth: 0, baselineSlots: 0 },
            ctx,
          ),
        )}
        priceBook={priceBook}
      />,
    );
    expect(container).toBeEmptyDOMElement();
  });
});

describe("the charts' hidden data tables", () => {
  it('clip each table in a box of its own, so a wide table cannot widen the page', () => {
    render(
      <>
        <ConnectionBudgetChart
          result={ok(connectionBudget.compute(T40, ctx))}
        />
        <EtlCostChart
          result={ok(
            bigqueryCapacity.compute(
              {
                etlTiBPerMonth: 3200,
                adhocTiBPerMonth: 400,
                baselineSlots: 2000,
              },
              ctx,
            ),
          )}
          priceBook={priceBook}
        />
      </>,
    );
    expect(screen.getAllByRole('table')).toHaveLength(2);
    expectClippedByItsOwnBox('Connections at full scale per client');
    expectClippedByItsOwnBox('Monthly cost by steady ETL volume');
  });
});
