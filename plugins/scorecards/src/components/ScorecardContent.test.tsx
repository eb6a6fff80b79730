import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { FakeScorecardsApi, renderWithEntity } from '../__testUtils__/fixtures';
import { inventoryScorecardBase } from '../__testUtils__/demoScorecards';
import { EntityScorecardContent } from './ScorecardContent';

jest.setTimeout(30_000);

describe('EntityScorecardContent', () => {
  it('groups every check by theme with its state, explanation, evidence age and fix', async () => {
    await renderWithEntity(<EntityScorecardContent />);
    const headings = (await screen.findAllByRole('heading', { level: 2 })).map(
      h => h.textContent,
    );
    // Theme order of §4: ownership, incident, …, delivery, …, dependencies.
    expect(headings).toEqual([
      'Ownership',
      'Incident',
      'Delivery',
      'Dependencies',
    ]);
    const deps = screen.getByTestId('result-dependencies-match-observed');
    expect(within(deps).getByTestId('state-chip')).toHaveTextContent('fail');
    expect(deps).toHaveTextContent(
      'Expected: every fresh observed outgoing call is declared',
    );
    expect(deps).toHaveTextContent('Found: component:default/pricing-service');
    expect(deps).toHaveTextContent('prometheus · observed.edges · 60 s old');
    expect(deps).toHaveTextContent('Note: unmapped callee tax-svc');
    expect(deps).toHaveTextContent('Fix: Declare the dependency');
    expect(
      within(screen.getByTestId('result-backup-restore-tested')).getByTestId(
        'state-chip',
      ),
    ).toHaveTextContent('not-applicable');
  });

  it('shows an unknown result as unknown with the missing evidence, and filters by state', async () => {
    const api = new FakeScorecardsApi();
    api.scorecard = inventoryScorecardBase;
    await renderWithEntity(<EntityScorecardContent />, api);
    const row = await screen.findByTestId('result-deploy-immutable-artifact');
    const chip = within(row).getByTestId('state-chip');
    expect(chip).toHaveAttribute('data-state', 'unknown');
    expect(chip).toHaveTextContent('unknown · missing');
    expect(
      within(row).getByRole('list', { name: 'Missing evidence' }),
    ).toHaveTextContent('ledger · missing');

    const user = userEvent.setup();
    await user.click(screen.getByLabelText('State'));
    await user.click(screen.getByRole('option', { name: 'unknown (1)' }));
    expect(
      screen.getByTestId('result-deploy-immutable-artifact'),
    ).toBeInTheDocument();
    expect(screen.queryByTestId('result-owner-resolves')).toBeNull();
  });

  it('shows an error', async () => {
    const api = new FakeScorecardsApi();
    api.error = new Error('boom from the backend');
    await renderWithEntity(<EntityScorecardContent />, api);
    expect(
      (await screen.findAllByText(/boom from the backend/)).length,
    ).toBeGreaterThan(0);
  });
});
