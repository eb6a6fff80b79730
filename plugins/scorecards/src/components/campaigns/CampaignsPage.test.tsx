import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { Route, Routes, useParams } from 'react-router-dom';
import {
  FakeScorecardsApi,
  campaign,
  responseError,
} from '../../__testUtils__/fixtures';
import { scorecardsApiRef } from '../../api';
import { ScorecardsLinksProvider } from '../ScorecardsLinks';
import { CampaignsPageContent } from './CampaignsPage';

jest.setTimeout(30_000);

function Opened() {
  return <p>Opened campaign {useParams().id}</p>;
}

async function renderPage(api: FakeScorecardsApi) {
  await renderInTestApp(
    <ScorecardsLinksProvider
      value={{
        rollups: '/scorecards',
        checks: '/scorecards/checks',
        campaigns: '/scorecards/campaigns',
        campaign: id => `/scorecards/campaigns/${id}`,
      }}
    >
      <Routes>
        <Route path="/scorecards/campaigns/:id" element={<Opened />} />
        <Route path="*" element={<CampaignsPageContent />} />
      </Routes>
    </ScorecardsLinksProvider>,
    { apis: [[scorecardsApiRef, api], mockApis.permission()] },
  );
}

/** "New campaign", once the permission framework has answered (disabled until then). */
async function newCampaignButton() {
  const button = screen.getByRole('button', { name: 'New campaign' });
  await waitFor(() => expect(button).toBeEnabled());
  return button;
}

describe('CampaignsPageContent', () => {
  it('lists campaigns (active first, then by due date) and links to each', async () => {
    const api = new FakeScorecardsApi();
    api.campaigns = [
      campaign({ id: 'old', title: 'Old push', state: 'ended' }),
      campaign(),
      campaign({
        id: 'owners-first',
        title: 'Owners everywhere',
        dueAt: '2026-04-01T00:00:00Z',
      }),
    ];
    await renderPage(api);
    const table = await screen.findByRole('table', {
      name: 'Scorecard campaigns',
    });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(
      rows.map(r => within(r).getByRole('link').getAttribute('href')),
    ).toEqual([
      '/scorecards/campaigns/owners-first',
      '/scorecards/campaigns/q2-production-ready',
      '/scorecards/campaigns/old',
    ]);
    expect(
      within(rows[1])
        .getAllByRole('cell')
        .map(c => c.textContent),
    ).toEqual([
      'active',
      'group:default/platform-team',
      'Reach L2 · Production-ready',
      '2026-03-01',
      '2026-06-30',
      '3 of 9 (33 %)',
      '5',
      '1',
      '0',
    ]);
    // the totals alone: each campaign's full progress lists every entity in scope
    expect(api.calls.map(c => c.method)).toContain('getCampaignSummaries');
    expect(api.calls.map(c => c.method)).not.toContain('getCampaigns');
    // The heading links to the other pages, not to this one.
    expect(
      within(screen.getByRole('navigation', { name: 'Scorecards pages' }))
        .getAllByRole('link')
        .map(l => l.textContent),
    ).toEqual(['Rollups', 'Checks']);
  });

  it('has an empty state and an error state with Retry', async () => {
    const api = new FakeScorecardsApi();
    api.campaignError = await responseError(
      500,
      'campaigns table missing',
      'Error',
    );
    await renderPage(api);
    expect(
      await screen.findByText(/campaigns table missing/),
    ).toBeInTheDocument();
    api.campaignError = undefined;
    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(await screen.findByText('No campaigns yet')).toBeInTheDocument();
  });

  // Loading and DENY: permissionGates.test.tsx (usePermission caches a decision per file).
  it('enables "New campaign" when scorecards.campaign.manage is allowed', async () => {
    const api = new FakeScorecardsApi();
    api.campaigns = [campaign()];
    await renderPage(api);
    await screen.findByRole('table', { name: 'Scorecard campaigns' });
    await waitFor(() =>
      expect(
        screen.getByRole('button', { name: 'New campaign' }),
      ).toBeEnabled(),
    );
    expect(screen.queryByTestId('permission-denied-note')).toBeNull();
  });

  it('creates a campaign from the form and opens its page', async () => {
    const api = new FakeScorecardsApi();
    await renderPage(api);
    expect(await screen.findByText('No campaigns yet')).toBeInTheDocument();
    await userEvent.click(await newCampaignButton());
    const form = screen.getByRole('form', { name: 'New campaign' });

    // Sent empty: the fields say what is missing, nothing is posted.
    await userEvent.click(
      within(form).getByRole('button', { name: 'Create campaign' }),
    );
    expect(within(form).getByText('A title is required.')).toBeInTheDocument();
    expect(
      within(form).getByText('A due date is required.'),
    ).toBeInTheDocument();
    expect(api.calls.map(c => c.method)).not.toContain('createCampaign');

    await userEvent.type(within(form).getByLabelText(/^Title/), 'Tier 1 to L3');
    await userEvent.type(within(form).getByLabelText(/^Id/), 'tier-1-l3');
    await userEvent.type(
      within(form).getByLabelText(/^Owner/),
      'group:default/platform-team',
    );
    await userEvent.click(within(form).getByLabelText('Goal: reach level'));
    await userEvent.click(screen.getByRole('option', { name: /^L3/ }));
    await userEvent.click(within(form).getByLabelText('Tier 1'));
    const starts = within(form).getByLabelText(/^Starts on/);
    await userEvent.clear(starts);
    await userEvent.type(starts, '2026-12-01');
    await userEvent.type(within(form).getByLabelText(/^Due on/), '2027-03-31');
    await userEvent.click(
      within(form).getByRole('button', { name: 'Create campaign' }),
    );

    expect(
      await screen.findByText('Opened campaign tier-1-l3'),
    ).toBeInTheDocument();
    const sent = api.calls.find(c => c.method === 'createCampaign');
    expect(JSON.parse(sent!.arg)).toEqual({
      id: 'tier-1-l3',
      title: 'Tier 1 to L3',
      owner: 'group:default/platform-team',
      selector: { kinds: ['Component'], tiers: [1] },
      goal: { level: 'L3' },
      startsAt: '2026-12-01T00:00:00.000Z',
      dueAt: '2027-03-31T00:00:00.000Z',
    });
  });

  it("shows the backend's refusal verbatim and keeps the form", async () => {
    const api = new FakeScorecardsApi();
    api.campaigns = [campaign()];
    api.createCampaignError = await responseError(
      409,
      'campaign q2-production-ready already exists with different content',
      'ConflictError',
    );
    await renderPage(api);
    await userEvent.click(await newCampaignButton());
    const form = screen.getByRole('form', { name: 'New campaign' });
    await userEvent.type(within(form).getByLabelText(/^Title/), 'Again');
    await userEvent.type(
      within(form).getByLabelText(/^Id/),
      'q2-production-ready',
    );
    await userEvent.type(
      within(form).getByLabelText(/^Owner/),
      'group:default/platform-team',
    );
    await userEvent.type(within(form).getByLabelText(/^Due on/), '2027-03-31');
    await userEvent.click(
      within(form).getByRole('button', { name: 'Create campaign' }),
    );
    expect(await within(form).findByRole('alert')).toHaveTextContent(
      'campaign q2-production-ready already exists with different content',
    );
    expect(within(form).getByLabelText(/^Title/)).toHaveValue('Again');
  });
});
