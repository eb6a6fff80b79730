import { render, screen, within } from '@testing-library/react';
import type { CalcResult } from '@internal/plugin-cost-calculators-common';
import { CostChart } from './CostChart';

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

  it('draws nothing without option series', () => {
    const { container } = render(
      <CostChart result={{ ...result(), options: [] }} currency="USD" />,
    );
    expect(container).toBeEmptyDOMElement();
  });
});
