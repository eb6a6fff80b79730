import { render, screen } from '@testing-library/react';
import {
  DEFAULT_PRICE_BOOK,
  applyPriceBookOverrides,
  connectionBudget,
} from '@internal/plugin-cost-calculators-common';
import type {
  CalcOutcome,
  CalcResult,
} from '@internal/plugin-cost-calculators-common';
import { ClientShare } from './ClientShare';

const ctx = {
  asOf: '2026-11-23',
  priceBook: applyPriceBookOverrides(DEFAULT_PRICE_BOOK),
};

function ok(outcome: CalcOutcome): CalcResult {
  if (!outcome.ok) throw new Error(JSON.stringify(outcome.errors));
  return outcome.result;
}

/** usable = floor(10,000 × 80 %) − 3 − 10 = 7,987; demand 1 + 300 × 10 = 3,001. */
const budget = ok(
  connectionBudget.compute(
    {
      maxConnections: 10000,
      headroomPercent: 20,
      superuserReserved: 3,
      operationalReserve: 10,
      clients: [
        { name: 'cron-job', maxInstances: 1, poolSize: 1 },
        { name: 'web', maxInstances: 300, poolSize: 10 },
      ],
    },
    ctx,
  ),
);

describe('ClientShare', () => {
  it('counts one connection and one instance in the singular, groups numbers as the chart does, and shows a tiny share as "< 0.1 %"', () => {
    render(
      <ClientShare
        result={budget}
        client={{ label: 'cron-job', row: 'cron-job' }}
        subheading="h3"
      />,
    );
    expect(
      screen.getByRole('region', { name: 'Share of cron-job' }),
    ).toHaveTextContent(
      'At full scale cron-job opens 1 connection (1 peak instance × pool 1): ' +
        '1 of 7,987 usable connections (< 0.1 %), of a demand of 3,001 from all clients (< 0.1 %). ' +
        'With the other clients as they are, it fits up to 4,987 max instances at pool 1, ' +
        'or a pool of up to 4,987 at 1 peak instance.',
    );
  });

  it('keeps the plural and one decimal for a larger share, and never rounds a part up to the whole', () => {
    render(
      <ClientShare
        result={budget}
        client={{ label: 'web', row: 'web' }}
        subheading="h3"
      />,
    );
    expect(
      screen.getByRole('region', { name: 'Share of web' }),
    ).toHaveTextContent(
      'At full scale web opens 3,000 connections (300 peak instances × pool 10): ' +
        '3,000 of 7,987 usable connections (37.6 %), of a demand of 3,001 from all clients (> 99.9 %).',
    );
  });
});
