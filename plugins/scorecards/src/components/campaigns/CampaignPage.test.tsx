import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import {
  FakeScorecardsApi,
  campaign,
  responseError,
} from '../../__testUtils__/fixtures';
import { catalogApiRef, entityRouteRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { scorecardsApiRef } from '../../api';
import { ScorecardsLinksProvider } from '../ScorecardsLinks';
import { CampaignPageContent } from './CampaignPage';

jest.setTimeout(30_000);

async function renderPage(id: string, api = new FakeScorecardsApi()) {
  await renderInTestApp(
    <ScorecardsLinksProvider
      value={{
        campaigns: '/scorecards/campaigns',
        campaign: c => `/scorecards/campaigns/${c}`,
      }}
    >
      <CampaignPageContent id={id} />
    </ScorecardsLinksProvider>,
    {
      apis: [
        [scorecardsApiRef, api],
        [catalogApiRef, catalogApiMock()],
      ],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    },
  );
  return api;
}

function totals() {
  const dl = screen.getByTestId('campaign-totals');
  return Object.fromEntries(
    [...dl.querySelectorAll('div')].map(d => [
      d.querySelector('dt')?.textContent,
      d.querySelector('dd')?.textContent,
    ]),
  );
}

describe('CampaignPageContent', () => {
  it('shows goal, scope, dates, totals, per-owner rows and the burn-up', async () => {
    const api = new FakeScorecardsApi();
    api.campaigns = [campaign()];
    await renderPage('q2-production-ready', api);
    expect(
      await screen.findByRole('heading', {
        level: 2,
        name: 'Campaign: Everyone to L2 by June',
      }),
    ).toBeInTheDocument();
    expect(api.calls).toContainEqual({
      method: 'getCampaign',
      arg: 'q2-production-ready',
    });
    expect(
      screen.getByText('Tier 1 and 2 services reach Production-ready.'),
    ).toBeInTheDocument();
    const facts = screen.getByLabelText('Campaign');
    expect(facts).toHaveTextContent('GoalReach L2 · Production-ready');
    expect(facts).toHaveTextContent('Scopekinds Component; tiers 1, 2');
    expect(facts).toHaveTextContent('Starts2026-03-01');
    expect(facts).toHaveTextContent('Due2026-06-30');

    expect(
      screen.getByRole('heading', { name: 'Progress — 3 of 9 (33 %) done' }),
    ).toBeInTheDocument();
    expect(totals()).toEqual({
      'In scope': '9',
      Done: '3',
      Remaining: '5',
      'Blocked by platform': '1',
      Overdue: '0',
    });

    const table = screen.getByRole('table', {
      name: 'Campaign progress by owner',
    });
    const rows = within(table).getAllByRole('row').slice(1);
    // Most entities not done first; the footer sums every owner.
    expect(
      rows.map(r => [
        within(r).getByRole('rowheader').textContent,
        ...within(r)
          .getAllByRole('cell')
          .map(c => c.textContent),
      ]),
    ).toEqual([
      ['group:default/fulfillment-team', '4', '0', '4', '0', '0', '0 %'],
      ['group:default/checkout-team', '3', '1', '1', '1', '0', '33 %'],
      ['group:default/payments-team', '2', '2', '0', '0', '0', '100 %'],
      ['All owners', '9', '3', '5', '1', '0', '33 %'],
    ]);

    const text =
      'Done went from 1 on 2026-03-12 to 3 of 9 on 2026-03-14 (3 daily points)';
    expect(screen.getByTestId('campaign-burn-up-summary')).toHaveTextContent(
      text,
    );
    expect(screen.getByRole('img', { name: text })).toBeInTheDocument();
    const perDay = screen.getByRole('table', {
      name: 'Entities done per day',
    });
    expect(
      within(perDay)
        .getAllByRole('row')
        .slice(1)
        .map(r => r.textContent),
    ).toEqual(['2026-03-121', '2026-03-132', '2026-03-143']);
  });

  it('lists the entities to act on first, filterable by status, with owner links', async () => {
    const api = new FakeScorecardsApi();
    api.campaigns = [campaign()];
    await renderPage('q2-production-ready', api);
    const table = await screen.findByRole('table', {
      name: 'Campaign entities',
    });
    const rows = () =>
      within(table)
        .getAllByRole('row')
        .slice(1)
        .map(r => [...r.children].map(c => c.textContent));
    expect(rows()).toEqual([
      ['checkout-team-remaining-0', 'checkout-team', 'Remaining'],
      ['fulfillment-team-remaining-0', 'fulfillment-team', 'Remaining'],
      ['fulfillment-team-remaining-1', 'fulfillment-team', 'Remaining'],
      ['fulfillment-team-remaining-2', 'fulfillment-team', 'Remaining'],
      ['fulfillment-team-remaining-3', 'fulfillment-team', 'Remaining'],
      [
        'checkout-team-blocked-by-platform-0',
        'checkout-team',
        'Blocked by platform',
      ],
      ['checkout-team-done-0', 'checkout-team', 'Done'],
      ['payments-team-done-0', 'payments-team', 'Done'],
      ['payments-team-done-1', 'payments-team', 'Done'],
    ]);
    expect(
      within(table).getByRole('link', { name: 'checkout-team-done-0' }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/component/checkout-team-done-0',
    );
    expect(screen.queryByTestId('campaign-restricted')).toBeNull();

    await userEvent.click(screen.getByLabelText('Status'));
    await userEvent.click(screen.getByRole('option', { name: 'Done' }));
    expect(rows().map(r => r[0])).toEqual([
      'checkout-team-done-0',
      'payments-team-done-0',
      'payments-team-done-1',
    ]);
    await userEvent.click(screen.getByLabelText('Status'));
    await userEvent.click(screen.getByRole('option', { name: 'Overdue' }));
    expect(rows()).toEqual([['No entity has this status.']]);
  });

  it('pages a long entity list and says how many entities it may not name', async () => {
    const api = new FakeScorecardsApi();
    const base = campaign();
    const entities = Array.from({ length: 30 }, (_, i) => ({
      entityRef: `component:default/svc-${String(i).padStart(2, '0')}`,
      status: 'remaining' as const,
      owner: null,
    }));
    api.campaigns = [
      campaign({
        progress: { ...base.progress, entities, restrictedEntities: 2 },
      }),
    ];
    await renderPage('q2-production-ready', api);
    const table = await screen.findByRole('table', {
      name: 'Campaign entities',
    });
    expect(screen.getByTestId('campaign-restricted')).toHaveTextContent(
      '2 entities in scope that you may not read are counted above but not listed.',
    );
    expect(within(table).getAllByRole('row')).toHaveLength(26);
    expect(within(table).getAllByRole('row')[1]).toHaveTextContent(
      'svc-00—Remaining',
    );
    await userEvent.click(screen.getByRole('button', { name: 'Next page' }));
    expect(
      within(table)
        .getAllByRole('row')
        .slice(1)
        .map(r => r.querySelector('th')?.textContent),
    ).toEqual(['svc-25', 'svc-26', 'svc-27', 'svc-28', 'svc-29']);
  });

  it('counts overdue entities and a goal of checks', async () => {
    const api = new FakeScorecardsApi();
    const base = campaign();
    api.campaigns = [
      campaign({
        id: 'slo-alerts',
        goal: { checks: ['slo-burn-alert', 'slo-defined'] },
        selector: {},
        dueAt: '2026-03-10T00:00:00Z',
        progress: {
          ...base.progress,
          campaignId: 'slo-alerts',
          totals: {
            inScope: 4,
            done: 1,
            remaining: 0,
            blockedByPlatform: 1,
            overdue: 2,
          },
          byOwner: {
            'group:default/checkout-team': {
              inScope: 4,
              done: 1,
              remaining: 0,
              blockedByPlatform: 1,
              overdue: 2,
            },
          },
          doneOverTime: [],
        },
      }),
    ];
    await renderPage('slo-alerts', api);
    await screen.findByTestId('campaign-totals');
    expect(totals()).toMatchObject({ Overdue: '2', Remaining: '0' });
    expect(screen.getByLabelText('Campaign')).toHaveTextContent(
      'GoalSatisfy checks slo-burn-alert, slo-defined',
    );
    expect(screen.getByLabelText('Campaign')).toHaveTextContent(
      'Scopeevery scored entity',
    );
    expect(screen.getByText(/No daily points yet/)).toBeInTheDocument();
    expect(screen.queryByTestId('campaign-burn-up')).not.toBeInTheDocument();
  });

  it('says there is no such campaign on a 404, with a link to the list', async () => {
    const api = new FakeScorecardsApi();
    api.campaigns = [campaign()];
    await renderPage('nope', api);
    expect(await screen.findByText('No such campaign')).toBeInTheDocument();
    expect(
      screen.getByText(/There is no campaign with the id "nope"/),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: 'See all campaigns' }),
    ).toHaveAttribute('href', '/scorecards/campaigns');
    expect(screen.queryByRole('button', { name: 'Retry' })).toBeNull();
  });

  it('shows another error with the backend message and Retry', async () => {
    const api = new FakeScorecardsApi();
    api.campaigns = [campaign()];
    api.campaignError = await responseError(
      503,
      'catalog snapshot unavailable',
      'ServiceUnavailableError',
    );
    await renderPage('q2-production-ready', api);
    expect(
      await screen.findByText(/catalog snapshot unavailable/),
    ).toBeInTheDocument();
    expect(screen.queryByText('No such campaign')).toBeNull();
    api.campaignError = undefined;
    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(await screen.findByTestId('campaign-totals')).toBeInTheDocument();
  });
});
