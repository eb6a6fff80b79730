import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { FakeScorecardsApi } from '../__testUtils__/fixtures';
import { scorecardsApiRef } from '../api';
import { ScorecardsPageContent } from './ScorecardsPage';

jest.setTimeout(30_000);

function renderPage(api = new FakeScorecardsApi()) {
  return renderInTestApp(<ScorecardsPageContent />, {
    apis: [[scorecardsApiRef, api]],
  });
}

function csvOf(link: HTMLElement): string {
  const href = link.getAttribute('href') ?? '';
  const prefix = 'data:text/csv;charset=utf-8,';
  expect(href.startsWith(prefix)).toBe(true);
  return decodeURIComponent(href.slice(prefix.length));
}

const HEADER =
  'key,kind,entities,L0,L1,L2,L3,none,not_rated,at_or_above_expected,below_expected,failing_service_owned,platform_blocked,unknown,waivers_active,waivers_expiring_14d,regressions_7d';

describe('ScorecardsPageContent', () => {
  it('renders one row per owner and exports the same rows as CSV', async () => {
    await renderPage();
    const table = await screen.findByRole('table', {
      name: 'Scorecard rollups by owner',
    });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map(r => r.querySelector('th')?.textContent)).toEqual([
      'group:default/checkout-team',
      'group:default/payments-team',
      'group:default/fulfillment-team',
    ]);
    expect(
      within(rows[1])
        .getAllByRole('cell')
        .map(c => c.textContent)
        .slice(1),
    ).toEqual([
      '2',
      '0',
      '1',
      '0',
      '1',
      '0',
      '0',
      '1',
      '1',
      '1',
      '1',
      '0',
      '0',
      '0',
      '0',
    ]);
    expect(screen.getByTestId('rollup-headline')).toHaveTextContent(
      '4 of 8 rated entities at or above their expected level',
    );

    const link = screen.getByRole('link', { name: /Export CSV/ });
    expect(link).toHaveAttribute('download', 'scorecards-rollup-owner.csv');
    expect(csvOf(link).split('\n')).toEqual([
      HEADER,
      'group:default/checkout-team,owner,3,0,2,1,0,0,0,1,2,2,0,0,0,0,0',
      'group:default/payments-team,owner,2,0,1,0,1,0,0,1,1,1,1,0,0,0,0',
      'group:default/fulfillment-team,owner,3,0,0,2,0,1,0,2,1,0,0,0,0,0,0',
      '',
    ]);
  });

  it('filters by level and text, and the export follows the filters', async () => {
    await renderPage();
    const user = userEvent.setup();
    await screen.findByRole('table');
    await user.type(screen.getByLabelText('Filter by owner'), 'team');
    await user.click(screen.getByLabelText('Level'));
    await user.click(screen.getByRole('option', { name: 'Has L3' }));
    const rows = within(screen.getByRole('table')).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toHaveTextContent('group:default/payments-team');
    expect(
      csvOf(screen.getByRole('link', { name: /Export CSV/ })).split('\n'),
    ).toEqual([
      HEADER,
      'group:default/payments-team,owner,2,0,1,0,1,0,0,1,1,1,1,0,0,0,0',
      '',
    ]);
    await user.clear(screen.getByLabelText('Filter by owner'));
    await user.type(screen.getByLabelText('Filter by owner'), 'nobody');
    expect(screen.getByText('No rows match the filters.')).toBeInTheDocument();
  });

  it('switches to rollups by system', async () => {
    const api = new FakeScorecardsApi();
    await renderPage(api);
    await screen.findByRole('table', { name: 'Scorecard rollups by owner' });
    await userEvent.click(screen.getByRole('button', { name: 'By system' }));
    const table = await screen.findByRole('table', {
      name: 'Scorecard rollups by system',
    });
    expect(table).toHaveTextContent('system:default/checkout');
    expect(screen.getByRole('link', { name: /Export CSV/ })).toHaveAttribute(
      'download',
      'scorecards-rollup-system.csv',
    );
    expect(api.calls.map(c => c.arg)).toEqual(['owner', 'system']);
  });

  it('shows the empty state when nothing is scored', async () => {
    const api = new FakeScorecardsApi();
    api.rollups.owner = [];
    await renderPage(api);
    expect(
      await screen.findByText('No scored entities yet'),
    ).toBeInTheDocument();
  });

  it('shows the error and retries', async () => {
    const api = new FakeScorecardsApi();
    api.error = new Error('scorecards backend unavailable');
    await renderPage(api);
    expect(
      (await screen.findAllByText(/scorecards backend unavailable/)).length,
    ).toBeGreaterThan(0);
    api.error = undefined;
    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(
      await screen.findByRole('table', { name: 'Scorecard rollups by owner' }),
    ).toBeInTheDocument();
  });
});
