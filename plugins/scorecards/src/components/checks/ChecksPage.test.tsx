import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import {
  FakeScorecardsApi,
  checkSummary,
  responseError,
} from '../../__testUtils__/fixtures';
import { CheckSummary, scorecardsApiRef } from '../../api';
import { ScorecardsLinksProvider } from '../ScorecardsLinks';
import { ChecksPageContent } from './ChecksPage';

jest.setTimeout(30_000);

const DAY_MS = 86400000;
const day = (offset: number) =>
  new Date(Date.now() + offset * DAY_MS).toISOString().slice(0, 10);

/** Observe for `days` days, then remediate (starting 60 days ago). */
function observedFor(id: string, days: number): CheckSummary {
  return {
    ...checkSummary(id, {
      title: `Observed ${days} days`,
      rollout: [
        { phase: 'observe', from: day(-60) },
        { phase: 'remediate', from: day(-60 + days) },
      ],
    }),
    phaseNow: 'remediate',
  };
}

function checks(): CheckSummary[] {
  const gateNotReady: CheckSummary = {
    ...checkSummary('prod-deploy-protected', {
      title: 'Production deploys are protected',
      owner: 'group:default/security-team',
      class: 'required',
      level: 'L2',
      version: 3,
      rollout: [
        { phase: 'observe', from: '2026-01-01' },
        { phase: 'remediate', from: '2026-02-01' },
        { phase: 'gate', from: '2099-01-01' },
      ],
      retiresAt: '2099-06-30',
    }),
    phaseNow: 'remediate',
    next: { phase: 'gate', from: '2099-01-01' },
    counts: { pass: 3, fail: 1, unknown: 1, waived: 2, notApplicable: 4 },
    unknownRate: 0.2,
    disputesUpheld30d: 1,
    gateReady: false,
    gateReadyReasons: ['unknown rate 20 % (1 of 5 results) is above 5 %'],
  };
  const recommended: CheckSummary = {
    ...checkSummary('dashboard-linked', {
      title: 'Dashboard linked',
      class: 'recommended',
      level: 'L1',
      rollout: [{ phase: 'observe', from: day(-5) }],
    }),
    phaseNow: 'observe',
    next: undefined,
    gateReady: true,
  };
  return [
    gateNotReady,
    observedFor('ten-day-observe', 10),
    observedFor('thirty-day-observe', 30),
    recommended,
  ];
}

async function renderPage(api = new FakeScorecardsApi()) {
  if (api.checks.length === 0) api.checks = checks();
  await renderInTestApp(
    <ScorecardsLinksProvider
      value={{ rollups: '/scorecards', campaigns: '/scorecards/campaigns' }}
    >
      <ChecksPageContent />
    </ScorecardsLinksProvider>,
    { apis: [[scorecardsApiRef, api]] },
  );
  return api;
}

function bodyRows() {
  return within(screen.getByRole('table', { name: 'Scorecard checks' }))
    .getAllByRole('row')
    .slice(1);
}

/** The row of a check, found by the id under its title. */
function rowOf(id: string) {
  const row = bodyRows().find(
    r => r.querySelector('th span')?.textContent === id,
  );
  if (!row) throw new Error(`no row for ${id}`);
  return row;
}

function cellTexts(row: HTMLElement) {
  return within(row)
    .getAllByRole('cell')
    .map(c => c.textContent);
}

describe('ChecksPageContent', () => {
  it('renders one row per check with phase, counts, unknown rate, disputes, gate readiness, version and retirement', async () => {
    await renderPage();
    await screen.findByRole('table', { name: 'Scorecard checks' });
    expect(bodyRows()).toHaveLength(4);
    const row = rowOf('prod-deploy-protected');
    expect(within(row).getByRole('rowheader').textContent).toBe(
      'Production deploys are protectedprod-deploy-protected',
    );
    const cells = cellTexts(row);
    expect(cells.slice(0, 15)).toEqual([
      'group:default/security-team',
      'required',
      'L2',
      'remediate',
      'gate from 2099-01-01',
      '3',
      '1',
      '1',
      '2',
      '4',
      '20 %',
      '1',
      'Not readyunknown rate 20 % (1 of 5 results) is above 5 %',
      '3',
      '2099-06-30',
    ]);
    expect(cellTexts(rowOf('dashboard-linked')).slice(3, 5)).toEqual([
      'observe',
      '—',
    ]);
    expect(cellTexts(rowOf('dashboard-linked'))[12]).toBe('Ready');
    expect(screen.getByText('4 of 4 checks shown')).toBeInTheDocument();
  });

  it('shows no unknown rate ("—") for a check without results yet, and 0 % for one with results that are never unknown', async () => {
    const api = new FakeScorecardsApi();
    // The backend answers unknownRate 0 for 0 of 0 results.
    const noResults = checkSummary('new-check');
    const neverUnknown: CheckSummary = {
      ...checkSummary('always-known'),
      counts: { pass: 4, fail: 1, unknown: 0, waived: 0, notApplicable: 0 },
      unknownRate: 0,
    };
    const onlyNotApplicable: CheckSummary = {
      ...checkSummary('nowhere-applicable'),
      counts: { pass: 0, fail: 0, unknown: 0, waived: 0, notApplicable: 3 },
      unknownRate: 0,
    };
    api.checks = [noResults, neverUnknown, onlyNotApplicable];
    await renderPage(api);
    await screen.findByRole('table', { name: 'Scorecard checks' });
    expect(cellTexts(rowOf('new-check'))[10]).toBe('—');
    // read out as words, not "em dash"
    expect(
      within(rowOf('new-check')).getByLabelText('no results yet'),
    ).toHaveTextContent('—');
    expect(cellTexts(rowOf('always-known'))[10]).toBe('0 %');
    expect(cellTexts(rowOf('nowhere-applicable'))[10]).toBe('—');
  });

  it('keeps the words of its cells whole, so the wide table scrolls instead of breaking "Owner" into letters', async () => {
    await renderPage();
    const table = await screen.findByRole('table', {
      name: 'Scorecard checks',
    });
    const cells = [
      ...within(table).getAllByRole('columnheader'),
      ...within(table).getAllByRole('rowheader'),
      ...within(table).getAllByRole('cell'),
    ];
    expect(cells.length).toBeGreaterThan(0);
    for (const cell of cells) {
      expect(getComputedStyle(cell).wordBreak).toBe('normal');
    }
  });

  it('links to the other scorecards pages from the heading', async () => {
    await renderPage();
    const nav = await screen.findByRole('navigation', {
      name: 'Scorecards pages',
    });
    expect(
      within(nav)
        .getAllByRole('link')
        .map(l => [l.textContent, l.getAttribute('href')]),
    ).toEqual([
      ['Rollups', '/scorecards'],
      ['Campaigns', '/scorecards/campaigns'],
    ]);
  });

  it('warns for a 10-day observe phase and not for a 30-day one, and for a gate scheduled while not gate-ready', async () => {
    await renderPage();
    await screen.findByRole('table', { name: 'Scorecard checks' });
    const ten = within(rowOf('ten-day-observe')).getByRole('list', {
      name: 'Rollout guidance warnings for ten-day-observe',
    });
    const items = within(ten).getAllByRole('listitem');
    expect(items).toHaveLength(1);
    expect(items[0]).toHaveAttribute('data-code', 'observe-too-short');
    expect(items[0]).toHaveTextContent(
      `observes for 10 days (from ${day(-60)}) before remediate on ${day(
        -50,
      )}; observe for at least 30 days before the check counts`,
    );
    // The icon carries a text alternative; the message never relies on it.
    expect(within(items[0]).getByTitle('Warning:')).toBeInTheDocument();

    expect(
      within(rowOf('thirty-day-observe')).queryByRole('list'),
    ).not.toBeInTheDocument();
    expect(cellTexts(rowOf('thirty-day-observe'))[15]).toBe('None');

    const gate = within(rowOf('prod-deploy-protected')).getByRole('list', {
      name: 'Rollout guidance warnings for prod-deploy-protected',
    });
    expect(within(gate).getByRole('listitem')).toHaveAttribute(
      'data-code',
      'gate-scheduled-not-ready',
    );
    expect(within(gate).getByRole('listitem')).toHaveTextContent(
      'is scheduled to gate on 2099-01-01 but is not gate-ready: unknown rate 20 % (1 of 5 results) is above 5 %',
    );
    expect(screen.getByTestId('guidance-summary')).toHaveTextContent(
      '2 of 4 checks go against the rollout guidance',
    );
  });

  it('shows the guidance the backend computed when it sends it', async () => {
    const api = new FakeScorecardsApi();
    api.checks = [
      // The definition alone would warn (no observe phase); the backend's answer wins.
      { ...checkSummary('owner-resolves'), guidance: [] },
      {
        ...checkSummary('branch-protection'),
        guidance: [
          {
            code: 'gate-not-ready',
            message: 'gates since 2026-01-01 but is not gate-ready',
            phase: 'gate',
            from: '2026-01-01',
          },
        ],
      },
    ];
    await renderPage(api);
    await screen.findByRole('table', { name: 'Scorecard checks' });
    expect(cellTexts(rowOf('owner-resolves'))[15]).toBe('None');
    expect(rowOf('branch-protection')).toHaveTextContent(
      'gates since 2026-01-01 but is not gate-ready',
    );
  });

  it('filters by phase, class and guidance warnings', async () => {
    await renderPage();
    const user = userEvent.setup();
    await screen.findByRole('table', { name: 'Scorecard checks' });
    const ids = () =>
      bodyRows().map(
        r =>
          within(r).getByRole('rowheader').querySelector('span')?.textContent,
      );

    await user.click(screen.getByLabelText('Phase'));
    await user.click(screen.getByRole('option', { name: 'remediate' }));
    expect(ids()).toEqual([
      'prod-deploy-protected',
      'ten-day-observe',
      'thirty-day-observe',
    ]);

    await user.click(
      screen.getByLabelText('Only checks with guidance warnings'),
    );
    expect(ids()).toEqual(['prod-deploy-protected', 'ten-day-observe']);
    expect(screen.getByText('2 of 4 checks shown')).toBeInTheDocument();

    await user.click(
      screen.getByLabelText('Only checks with guidance warnings'),
    );
    await user.click(screen.getByLabelText('Phase'));
    await user.click(screen.getByRole('option', { name: 'Any phase' }));
    await user.click(screen.getByLabelText('Class'));
    await user.click(screen.getByRole('option', { name: 'recommended' }));
    expect(ids()).toEqual(['dashboard-linked']);

    await user.click(screen.getByLabelText('Phase'));
    await user.click(screen.getByRole('option', { name: 'gate' }));
    expect(bodyRows()).toHaveLength(1);
    expect(
      screen.getByText('No checks match the filters.'),
    ).toBeInTheDocument();
  });

  it('shows the backend error with Retry, then the rows', async () => {
    const api = new FakeScorecardsApi();
    api.checks = checks();
    api.checksError = await responseError(
      500,
      'database unavailable',
      'ServiceUnavailableError',
    );
    await renderPage(api);
    expect(await screen.findByText(/database unavailable/)).toBeInTheDocument();
    api.checksError = undefined;
    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(
      await screen.findByRole('table', { name: 'Scorecard checks' }),
    ).toBeInTheDocument();
    expect(api.calls.filter(c => c.method === 'getChecks')).toHaveLength(2);
  });

  it("shows the standard's changelog under the checks, newest version first (§2.2)", async () => {
    const api = new FakeScorecardsApi();
    api.checks = checks();
    api.standard = {
      id: 'default',
      version: 8,
      owner: 'group:default/platform-team',
      changelog: [
        {
          version: 8,
          date: '2026-11-02T00:00:00.000Z',
          entries: [
            {
              checkId: 'deploy-recent',
              change: 'Deploys must be at most 60 days old (was 90).',
              actionRequired:
                'Deploy services that have not shipped since September.',
              effectiveFrom: '2026-12-01T00:00:00.000Z',
            },
          ],
        },
      ],
    };
    await renderPage(api);
    const section = await screen.findByRole('region', {
      name: 'Changelog of default@8',
    });
    expect(
      within(section).getByRole('heading', { name: 'Version 8 (2026-11-02)' }),
    ).toBeInTheDocument();
    const entry = within(section).getByRole('listitem');
    expect(entry).toHaveTextContent('deploy-recent (from 2026-12-01)');
    expect(entry).toHaveTextContent(
      'Deploys must be at most 60 days old (was 90).',
    );
    expect(entry).toHaveTextContent(
      'Action required: Deploy services that have not shipped since September.',
    );
  });

  it('shows a failed changelog read with Retry, and nothing for a backend without the route (404)', async () => {
    const api = new FakeScorecardsApi();
    api.checks = checks();
    api.standardError = await responseError(500, 'database unavailable');
    await renderPage(api);
    expect(await screen.findAllByText(/database unavailable/)).not.toHaveLength(
      0,
    );
    api.standardError = undefined;
    api.standard = {
      ...api.standard,
      changelog: [
        {
          version: 7,
          date: '2026-11-02T00:00:00.000Z',
          entries: [
            {
              checkId: 'deploy-recent',
              change: 'Stricter.',
              actionRequired: 'Deploy.',
              effectiveFrom: '2026-12-01T00:00:00.000Z',
            },
          ],
        },
      ],
    };
    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(
      await screen.findByRole('region', { name: 'Changelog of default@7' }),
    ).toBeInTheDocument();
  });

  it('shows no changelog when the standard has none', async () => {
    const api = new FakeScorecardsApi();
    api.checks = checks();
    await renderPage(api);
    await screen.findByRole('table', { name: 'Scorecard checks' });
    await waitFor(() =>
      expect(api.calls.some(c => c.method === 'getStandard')).toBe(true),
    );
    expect(
      screen.queryByRole('region', { name: /^Changelog of/ }),
    ).not.toBeInTheDocument();
  });
});
