import { layOutScrollRegion } from '@internal/suite-react';
import { act } from 'react';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  FakeScorecardsApi,
  ManualPermissionApi,
  checkSummary,
  checkoutScorecard,
  checkoutService,
  daysFromNow,
  renderWithEntity,
  waiver,
} from '../__testUtils__/fixtures';
import type {
  CheckResult,
  Transition,
} from '@internal/plugin-scorecards-common';
import { inventoryScorecardBase } from '../__testUtils__/demoScorecards';
import { EntityScorecardContent } from './ScorecardContent';

jest.setTimeout(30_000);

/** The themes' h2 headings; the titles of the Level, Campaigns and Waivers cards are h2s too. */
const CARD_TITLES = new Set(['Level', 'Campaigns', 'Waivers']);
const themeHeadings = () =>
  screen
    .queryAllByRole('heading', { level: 2 })
    .map(h => h.textContent)
    .filter(text => !CARD_TITLES.has(text ?? ''));

describe('EntityScorecardContent', () => {
  it('never puts an h3 before the h2 it belongs under (WCAG 1.3.1)', async () => {
    await renderWithEntity(<EntityScorecardContent />);
    await screen.findByTestId('scorecard-level');
    const levels = screen
      .getAllByRole('heading')
      .map(h => Number(h.tagName.slice(1)));
    expect(levels[0]).toBe(2);
    expect(
      levels.filter((level, i) => i > 0 && level > levels[i - 1] + 1),
    ).toEqual([]);
  });

  it('says when it was evaluated and the last level change as the card does', async () => {
    const api = new FakeScorecardsApi();
    const evaluatedAt = new Date(Date.now() - 3 * 60_000).toISOString();
    api.scorecard = checkoutScorecard({ evaluatedAt });
    await renderWithEntity(<EntityScorecardContent />, api);
    const evaluated = await screen.findByTestId('scorecard-evaluated');
    expect(evaluated).toHaveTextContent(
      /^Evaluated .*\d\d:\d\d UTC · 3 min ago, from/,
    );
    expect(
      within(evaluated).getByTitle(
        `${evaluatedAt.slice(0, 10)} ${evaluatedAt.slice(11, 19)} UTC`,
      ),
    ).toBeInTheDocument();
    expect(
      await screen.findByTestId('scorecard-level-change'),
    ).toHaveTextContent(/^Last level change: L2 → L1 on /);
  });

  it('groups every check by theme with its state, explanation, evidence age and fix', async () => {
    await renderWithEntity(<EntityScorecardContent />);
    await screen.findAllByRole('heading', { level: 2 });
    const headings = themeHeadings();
    // Theme order of §4: ownership, incident, …, delivery, …, dependencies.
    expect(headings).toEqual([
      'Ownership',
      'Incident',
      'Delivery',
      'Dependencies',
    ]);
    // each theme's table scrolls in its own keyboard-reachable region, not the whole page
    const region = screen.getByRole('region', {
      name: 'Dependencies checks, scrollable',
    });
    expect(region).toHaveAttribute('tabindex', '0');
    expect(
      within(region).getByRole('table', { name: 'Dependencies' }),
    ).toBeInTheDocument();
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

  it('gives every column a least width, so a phone scrolls the table instead of breaking words letter by letter', async () => {
    await renderWithEntity(<EntityScorecardContent />);
    const table = await screen.findByRole('table', { name: 'Dependencies' });
    const headers = within(table).getAllByRole('columnheader');
    expect(headers.map(h => h.textContent)).toEqual([
      'State',
      'Check',
      'Explanation',
      'Evidence and age',
      'How to fix',
    ]);
    const rem = headers.map(h => {
      expect(h.style.minWidth).toMatch(/^[\d.]+rem$/);
      return parseFloat(h.style.minWidth);
    });
    // within the content width of a 1280 px page, where the table should not scroll
    expect(rem.reduce((sum, w) => sum + w, 0)).toBeLessThanOrEqual(60);
  });

  it('shadows the side of a theme table scrolled out of view', async () => {
    await renderWithEntity(<EntityScorecardContent />);
    await screen.findByRole('table', { name: 'Dependencies' });
    const region = screen.getByRole('region', {
      name: 'Dependencies checks, scrollable',
    });
    // jsdom lays nothing out: the sizes a phone gives the table
    layOutScrollRegion(region, {
      scrollWidth: 912,
      clientWidth: 342,
      scrollLeft: 0,
    });
    fireEvent.scroll(region);
    expect(
      within(region.parentElement!).getByTestId('scroll-shadow-right'),
    ).toBeInTheDocument();
  });
  it('says evidence read moments ago was read "just now", never "now old" or "now ago"', async () => {
    const api = new FakeScorecardsApi();
    const base = checkoutScorecard();
    api.scorecard = checkoutScorecard({
      results: base.results.map(r =>
        r.checkId === 'owner-resolves'
          ? {
              ...r,
              missing: [
                {
                  source: 'ledger',
                  kind: 'changes',
                  cause: 'stale',
                  ageSeconds: 2,
                  hint: 'check the ledger collector',
                },
              ],
            }
          : r,
      ),
    });
    await renderWithEntity(<EntityScorecardContent />, api);
    // the demo's owner-resolves result read the catalog 0 s and 30 s before it was evaluated
    const row = await screen.findByTestId('result-owner-resolves');
    expect(row).toHaveTextContent('catalog · catalog · just now');
    expect(row).toHaveTextContent('catalog · catalog · 30 s old');
    expect(row).toHaveTextContent('ledger · stale, last read just now');
    expect(row).not.toHaveTextContent(/now old|now ago/);
  });

  it('lists results of a theme the frontend does not know after the known themes, titled by the theme id', async () => {
    const api = new FakeScorecardsApi();
    const base = checkoutScorecard();
    // A newer backend or standard may send themes this build does not list in THEMES.
    const theme = (id: string) => id as CheckResult['theme'];
    api.scorecard = checkoutScorecard({
      results: [
        ...base.results,
        {
          ...base.results[0],
          checkId: 'new-reliability-check',
          title: 'New reliability check',
          theme: theme('reliability'),
          state: 'fail',
          rawState: 'fail',
        },
        {
          ...base.results[0],
          checkId: 'themeless-check',
          title: 'Check without a theme',
          theme: theme(''),
        },
      ],
    });
    await renderWithEntity(<EntityScorecardContent />, api);
    const row = await screen.findByTestId('result-new-reliability-check');
    expect(within(row).getByTestId('state-chip')).toHaveTextContent('fail');
    expect(themeHeadings()).toEqual([
      'Ownership',
      'Incident',
      'Delivery',
      'Dependencies',
      'Reliability',
      'Other',
    ]);
    expect(
      within(screen.getByRole('table', { name: 'Reliability' })).getByTestId(
        'result-new-reliability-check',
      ),
    ).toBeInTheDocument();
    expect(
      within(screen.getByRole('table', { name: 'Other' })).getByTestId(
        'result-themeless-check',
      ),
    ).toBeInTheDocument();

    // The state filter keeps it too.
    const user = userEvent.setup();
    await user.click(screen.getByLabelText('State'));
    await user.click(screen.getByRole('option', { name: 'fail (3)' }));
    expect(
      screen.getByTestId('result-new-reliability-check'),
    ).toBeInTheDocument();
    expect(screen.queryByTestId('result-themeless-check')).toBeNull();
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

  it('shows a fix URL or platform issue that is not http(s) as text instead of failing the tab', async () => {
    const api = new FakeScorecardsApi();
    const base = checkoutScorecard();
    api.scorecard = checkoutScorecard({
      results: base.results.map(r =>
        r.checkId === 'rollback-exercised'
          ? {
              ...r,
              attribution: 'platform' as const,
              platformCapability: {
                id: 'deploy-ledger',
                owner: 'group:default/platform-team',
                issue: 'data:text/html,<script>alert(1)</script>',
              },
              // eslint-disable-next-line no-script-url -- the refused value under test
              fix: { summary: 'Run a drill.', url: 'javascript:alert(1)' },
            }
          : r,
      ),
    });
    await renderWithEntity(<EntityScorecardContent />, api);
    const row = await screen.findByTestId('result-rollback-exercised');
    expect(within(row).queryAllByRole('link')).toEqual([]);
    expect(row).toHaveTextContent(
      'platform issue: data:text/html,<script>alert(1)</script>',
    );
    expect(row).toHaveTextContent(
      'Fix: Run a drill. How to fix: javascript:alert(1)',
    );
    // Other rows keep their https links.
    expect(
      within(
        screen.getByTestId('result-dependencies-match-observed'),
      ).getByRole('link', { name: /^How to fix/ }),
    ).toHaveAttribute('href', expect.stringMatching(/^https:\/\//));
  });

  it('lists the campaigns the entity is in, with due date and status in words (§7.4)', async () => {
    const api = new FakeScorecardsApi();
    api.scorecard = {
      ...checkoutScorecard(),
      campaigns: [
        {
          id: 'q3-l2',
          title: 'Q3: tier 1 to L2',
          dueAt: '2026-09-30T00:00:00.000Z',
          status: 'blocked-by-platform',
        },
      ],
    };
    await renderWithEntity(<EntityScorecardContent />, api);
    const table = await screen.findByRole('table', {
      name: 'Campaigns component:default/checkout-service is in',
    });
    expect(
      within(table)
        .getAllByRole('row')
        .slice(1)
        .map(r => r.textContent),
    ).toEqual(['Q3: tier 1 to L22026-09-30blocked by the platform']);
    // On a phone the date and status stay whole words; the table scrolls in its own region.
    for (const text of ['2026-09-30', 'blocked by the platform']) {
      expect(within(table).getByText(text).style.wordBreak).toBe('normal');
    }
    expect(
      screen.getByRole('region', {
        name: 'Campaigns component:default/checkout-service is in, scrollable',
      }),
    ).toContainElement(table);
  });

  it('shows no campaigns section for an entity in none', async () => {
    await renderWithEntity(<EntityScorecardContent />);
    await screen.findAllByRole('heading', { level: 2 });
    expect(screen.queryByText('Campaigns')).not.toBeInTheDocument();
  });

  it('shows an error', async () => {
    const api = new FakeScorecardsApi();
    api.error = new Error('boom from the backend');
    await renderWithEntity(<EntityScorecardContent />, api);
    expect(
      (await screen.findAllByText(/boom from the backend/)).length,
    ).toBeGreaterThan(0);
    // Retry reads again: once the backend answers, the tab shows the checks.
    api.error = undefined;
    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
    await waitFor(() =>
      expect(screen.queryByText(/boom from the backend/)).toBeNull(),
    );
    expect(
      (await screen.findAllByRole('heading', { level: 2 })).length,
    ).toBeGreaterThan(0);
  });

  describe('filters', () => {
    /** checkout-service plus a recommended check and a check without a level. */
    function withMoreChecks(): FakeScorecardsApi {
      const api = new FakeScorecardsApi();
      const base = checkoutScorecard();
      api.scorecard = checkoutScorecard({
        results: [
          ...base.results,
          {
            ...base.results[0],
            checkId: 'techdocs-present',
            title: 'TechDocs published',
            class: 'recommended',
            level: 'L2',
          },
          {
            ...base.results[0],
            checkId: 'deprecation-plan',
            title: 'Deprecation plan',
            theme: 'lifecycle',
            class: 'contextual',
            level: null,
            state: 'not-applicable',
            rawState: 'not-applicable',
          },
        ],
      });
      return api;
    }

    /** The check ids of the rows shown, in the order of the tables. */
    const shownChecks = () =>
      screen
        .queryAllByTestId(/^result-/)
        .map(e => e.getAttribute('data-testid')!.slice('result-'.length))
        .filter(id => !id.startsWith('details-'));

    async function choose(
      user: ReturnType<typeof userEvent.setup>,
      label: string,
      option: string,
    ) {
      await user.click(screen.getByLabelText(label));
      await user.click(screen.getByRole('option', { name: option }));
    }

    it('filters by class, with the count of each class and "n of m checks shown"', async () => {
      await renderWithEntity(<EntityScorecardContent />, withMoreChecks());
      await screen.findByTestId('result-techdocs-present');
      expect(screen.getByText('7 of 7 checks shown')).toBeInTheDocument();
      const user = userEvent.setup();
      await choose(user, 'Class', 'recommended (1)');
      expect(shownChecks()).toEqual(['techdocs-present']);
      expect(screen.getByText('1 of 7 checks shown')).toBeInTheDocument();
      await choose(user, 'Class', 'contextual (2)');
      expect(shownChecks()).toEqual([
        'backup-restore-tested',
        'deprecation-plan',
      ]);
      await choose(user, 'Class', 'All classes');
      expect(shownChecks()).toHaveLength(7);
    });

    it('filters by level, checks without a level under "no level"', async () => {
      await renderWithEntity(<EntityScorecardContent />, withMoreChecks());
      await screen.findByTestId('result-techdocs-present');
      const user = userEvent.setup();
      await choose(user, 'Level', 'L2 (3)');
      expect(shownChecks()).toEqual([
        'techdocs-present',
        'backup-restore-tested',
        'dependencies-match-observed',
      ]);
      await choose(user, 'Level', 'no level (1)');
      expect(shownChecks()).toEqual(['deprecation-plan']);
      expect(screen.getByText('1 of 7 checks shown')).toBeInTheDocument();
    });

    it('filters by theme, leaving only that theme’s table', async () => {
      await renderWithEntity(<EntityScorecardContent />, withMoreChecks());
      await screen.findByTestId('result-techdocs-present');
      const user = userEvent.setup();
      await choose(user, 'Theme', 'Dependencies (2)');
      expect(themeHeadings()).toEqual(['Dependencies']);
      expect(shownChecks()).toEqual([
        'backup-restore-tested',
        'dependencies-match-observed',
      ]);
      // the table still scrolls in its keyboard-reachable region
      expect(
        screen.getByRole('region', { name: 'Dependencies checks, scrollable' }),
      ).toHaveAttribute('tabindex', '0');
      await choose(user, 'Theme', 'Lifecycle (1)');
      expect(shownChecks()).toEqual(['deprecation-plan']);
    });

    it('combines the filters, says when nothing matches and clears them', async () => {
      await renderWithEntity(<EntityScorecardContent />, withMoreChecks());
      await screen.findByTestId('result-techdocs-present');
      const user = userEvent.setup();
      await choose(user, 'Class', 'required (4)');
      await choose(user, 'Level', 'L2 (3)');
      expect(shownChecks()).toEqual(['dependencies-match-observed']);
      await choose(user, 'State', 'pass (3)');
      expect(shownChecks()).toEqual([]);
      expect(themeHeadings()).toEqual([]);
      expect(screen.getByText('0 of 7 checks shown')).toBeInTheDocument();
      expect(
        screen.getByText('No checks match the filters.'),
      ).toBeInTheDocument();
      await user.click(screen.getByRole('button', { name: 'Clear filters' }));
      expect(shownChecks()).toHaveLength(7);
      expect(screen.getByLabelText('Class')).toHaveTextContent('All classes');
      expect(screen.getByLabelText('Level')).toHaveTextContent('All levels');
      expect(screen.getByLabelText('State')).toHaveTextContent('All states');
      expect(
        screen.queryByText('No checks match the filters.'),
      ).not.toBeInTheDocument();
    });
  });

  describe('row details', () => {
    const CHECK = 'dependencies-match-observed';
    const TOGGLE =
      'Raw evidence and changes of Declared dependencies match traffic';

    function transition(over: Partial<Transition>): Transition {
      return {
        entityRef: 'component:default/checkout-service',
        checkId: CHECK,
        from: 'pass',
        to: 'fail',
        at: '2026-03-11T09:00:00.000Z',
        cause: 'evidence-changed',
        checkVersion: 1,
        regression: true,
        ...over,
      };
    }

    /** Source URLs by evidence kind: one http(s), one that must not become a link. */
    const SOURCE_URLS: Record<string, string> = {
      'observed.edges': 'https://prometheus.example.com/graph?g0.expr=edges',
      catalog: 'file:///var/lib/collector/catalog.json',
    };

    /** checkout-service whose dependencies result links its evidence to the sources. */
    function withSourceLinks(): FakeScorecardsApi {
      const api = new FakeScorecardsApi();
      const base = checkoutScorecard();
      api.scorecard = checkoutScorecard({
        results: base.results.map(r =>
          r.checkId === CHECK
            ? {
                ...r,
                evidence: r.evidence.map(e =>
                  SOURCE_URLS[e.kind] ? { ...e, url: SOURCE_URLS[e.kind] } : e,
                ),
              }
            : r,
        ),
      });
      api.history = {
        levels: [],
        transitions: [
          transition({
            from: null,
            to: 'pass',
            at: '2026-01-05T10:00:00.000Z',
            cause: 'standard-changed',
            regression: false,
            toReason: 'PASS',
          }),
          transition({ fromReason: 'PASS', toReason: 'EDGE_UNDECLARED' }),
          // another check's and a level row: not this row's (the backend filters by checkId)
          transition({ checkId: 'rollback-exercised' }),
          transition({ checkId: null, from: 'L2', to: 'L1' }),
        ],
      };
      return api;
    }

    const checkQueries = (api: FakeScorecardsApi) =>
      api.historyQueries.filter(q => q.checkId !== undefined);

    it('expands by keyboard to the raw evidence, with links to the source when http(s)', async () => {
      const api = withSourceLinks();
      await renderWithEntity(<EntityScorecardContent />, api);
      const toggle = await screen.findByRole('button', { name: TOGGLE });
      expect(toggle).toHaveAttribute('aria-expanded', 'false');
      expect(screen.queryByTestId(`result-details-${CHECK}`)).toBeNull();

      const user = userEvent.setup();
      toggle.focus();
      await user.keyboard('{Enter}');
      expect(toggle).toHaveAttribute('aria-expanded', 'true');
      const details = screen.getByTestId(`result-details-${CHECK}`);
      expect(toggle).toHaveAttribute('aria-controls', details.id);
      const evidence = within(details).getByRole('table', {
        name: 'Raw evidence of Declared dependencies match traffic',
      });
      expect(
        within(evidence)
          .getAllByRole('row')
          .map(r =>
            within(r)
              .queryAllByRole('cell')
              .map(c => c.textContent),
          ),
      ).toEqual([
        [],
        [
          'prometheus',
          'telemetry.presence',
          '1 series for checkout-service, checkout',
          '2026-03-14 02:01:00 UTC',
          '4 min old',
          '24 h',
          '—',
        ],
        [
          'prometheus',
          'observed.edges',
          '7 fresh observed edge(s) of 7',
          '2026-03-14 02:04:00 UTC',
          '60 s old',
          '24 h',
          // Backstage's Link names an external link's new window for screen readers
          'https://prometheus.example.com/graph?g0.expr=edges, Opens in a new window',
        ],
        [
          'catalog',
          'catalog',
          'catalog snapshot (groups, systems, APIs, dependents)',
          '2026-03-14 02:04:30 UTC',
          '30 s old',
          '10 min',
          'file:///var/lib/collector/catalog.json',
        ],
      ]);
      // only the http(s) source is a link; the other URL is shown as text
      expect(within(evidence).getAllByRole('link')).toHaveLength(1);
      expect(within(evidence).getByRole('link')).toHaveAttribute(
        'href',
        'https://prometheus.example.com/graph?g0.expr=edges',
      );
      expect(details).toHaveTextContent('Reason codeEDGE_UNDECLARED');

      await user.keyboard(' ');
      expect(toggle).toHaveAttribute('aria-expanded', 'false');
      expect(screen.queryByTestId(`result-details-${CHECK}`)).toBeNull();
    });

    it('reads that check’s transitions once, on the first expand, and lists them newest first', async () => {
      const api = withSourceLinks();
      await renderWithEntity(<EntityScorecardContent />, api);
      const toggle = await screen.findByRole('button', { name: TOGGLE });
      // the card's outage history may be read; no row's history before it is opened
      await act(() => new Promise(r => setTimeout(r, 50)));
      expect(checkQueries(api)).toEqual([]);

      const user = userEvent.setup();
      await user.click(toggle);
      const details = screen.getByTestId(`result-details-${CHECK}`);
      const changes = await within(details).findByRole('table', {
        name: 'Changes of Declared dependencies match traffic',
      });
      expect(
        within(changes)
          .getAllByRole('row')
          .slice(1)
          .map(r => r.textContent),
      ).toEqual([
        '2026-03-11 09:00:00 UTCpassfailevidence-changed · team regressionPASS → EDGE_UNDECLARED1',
        '2026-01-05 10:00:00 UTCfirst resultpassstandard-changed— → PASS1',
      ]);
      expect(checkQueries(api)).toEqual([{ checkId: CHECK }]);

      // closed and opened again: what was read is kept
      await user.click(toggle);
      await user.click(toggle);
      expect(
        within(screen.getByTestId(`result-details-${CHECK}`)).getByRole(
          'table',
          { name: 'Changes of Declared dependencies match traffic' },
        ),
      ).toBeInTheDocument();
      expect(checkQueries(api)).toEqual([{ checkId: CHECK }]);
    });

    /** Hides the row of CHECK (a required check) with the class filter, then shows it again. */
    async function hideAndShowByFilter(
      user: ReturnType<typeof userEvent.setup>,
    ) {
      await user.click(screen.getByLabelText('Class'));
      await user.click(screen.getByRole('option', { name: /^contextual/ }));
      expect(screen.queryByTestId(`result-${CHECK}`)).toBeNull();
      await user.click(screen.getByLabelText('Class'));
      await user.click(screen.getByRole('option', { name: 'All classes' }));
      expect(screen.getByTestId(`result-${CHECK}`)).toBeInTheDocument();
    }

    it('keeps what a row read when a filter hides the row and shows it again', async () => {
      const api = withSourceLinks();
      await renderWithEntity(<EntityScorecardContent />, api);
      const user = userEvent.setup();
      await user.click(await screen.findByRole('button', { name: TOGGLE }));
      await within(screen.getByTestId(`result-details-${CHECK}`)).findByRole(
        'table',
        { name: 'Changes of Declared dependencies match traffic' },
      );
      expect(checkQueries(api)).toHaveLength(1);

      await hideAndShowByFilter(user);
      // the row comes back closed; opened, it shows what the tab kept at once
      await user.click(screen.getByRole('button', { name: TOGGLE }));
      const changes = within(
        screen.getByTestId(`result-details-${CHECK}`),
      ).getByRole('table', {
        name: 'Changes of Declared dependencies match traffic',
      });
      expect(within(changes).getAllByRole('row')).toHaveLength(3);
      await act(() => new Promise(r => setTimeout(r, 50)));
      expect(checkQueries(api)).toEqual([{ checkId: CHECK }]);
    });

    it('reads again after a failed read when the row is opened again, closed or hidden meanwhile', async () => {
      const api = withSourceLinks();
      api.checkHistoryError = new Error('history store unavailable');
      await renderWithEntity(<EntityScorecardContent />, api);
      const user = userEvent.setup();
      const toggle = await screen.findByRole('button', { name: TOGGLE });
      await user.click(toggle);
      const alertOfRow = () =>
        within(screen.getByTestId(`result-details-${CHECK}`)).findByRole(
          'alert',
        );
      await alertOfRow();
      // closed and opened again, still failing: a second read, its error shown
      await user.click(toggle);
      await user.click(toggle);
      await alertOfRow();
      expect(checkQueries(api)).toHaveLength(2);

      await user.click(toggle);
      await hideAndShowByFilter(user);
      api.checkHistoryError = undefined;
      await user.click(screen.getByRole('button', { name: TOGGLE }));
      expect(
        await within(screen.getByTestId(`result-details-${CHECK}`)).findByRole(
          'table',
          { name: 'Changes of Declared dependencies match traffic' },
        ),
      ).toBeInTheDocument();
      expect(checkQueries(api)).toHaveLength(3);
    });

    it('says when a check has no evidence and no changes recorded, and lists missing inputs', async () => {
      const api = new FakeScorecardsApi();
      await renderWithEntity(<EntityScorecardContent />, api);
      const user = userEvent.setup();
      await user.click(
        await screen.findByRole('button', {
          name: 'Raw evidence and changes of Backups proven by restore',
        }),
      );
      const details = screen.getByTestId(
        'result-details-backup-restore-tested',
      );
      expect(details).toHaveTextContent('This result used no evidence.');
      // Not "no changes" outright: an entity's first minutes are not recorded (settleMinutes).
      expect(
        await within(details).findByText(
          /^No changes recorded for this check\./,
        ),
      ).toHaveTextContent(
        'No changes recorded for this check. Changes in the first minutes after the scorecards backend first evaluated this entity are not recorded (10 minutes by default, scorecards.history.settleMinutes).',
      );

      const unknown = new FakeScorecardsApi();
      unknown.scorecard = inventoryScorecardBase;
      await renderWithEntity(<EntityScorecardContent />, unknown);
      await user.click(
        await screen.findByRole('button', {
          name: 'Raw evidence and changes of Immutable artifacts',
        }),
      );
      const missing = within(
        screen.getByTestId('result-details-deploy-immutable-artifact'),
      ).getByRole('table', { name: /^Missing inputs of / });
      expect(within(missing).getAllByRole('row')[1]).toHaveTextContent(
        /^ledger.*missing/,
      );
    });

    it('shows a failing history call inside the row only, with Retry', async () => {
      const api = withSourceLinks();
      api.checkHistoryError = new Error('history store unavailable');
      await renderWithEntity(<EntityScorecardContent />, api);
      const user = userEvent.setup();
      await user.click(await screen.findByRole('button', { name: TOGGLE }));
      const details = screen.getByTestId(`result-details-${CHECK}`);
      const alert = await within(details).findByRole('alert');
      expect(alert).toHaveTextContent(
        'The changes of this check could not be read: history store unavailable',
      );
      // the raw evidence of the row and the rest of the tab are still there
      expect(
        within(details).getByRole('table', { name: /^Raw evidence of / }),
      ).toBeInTheDocument();
      expect(screen.getAllByRole('alert')).toEqual([alert]);
      expect(themeHeadings()).toHaveLength(4);
      expect(
        screen.getByRole('button', {
          name: 'Raw evidence and changes of Rollback exercised',
        }),
      ).toHaveAttribute('aria-expanded', 'false');

      api.checkHistoryError = undefined;
      await user.click(within(alert).getByRole('button', { name: 'Retry' }));
      expect(
        await within(details).findByRole('table', {
          name: 'Changes of Declared dependencies match traffic',
        }),
      ).toBeInTheDocument();
      expect(checkQueries(api)).toHaveLength(2);
    });
  });

  describe('waivers', () => {
    const requestButtons = () =>
      screen
        .queryAllByRole('button', { name: /^Request waiver for / })
        .map(b => b.getAttribute('aria-label'));

    it('offers "Request waiver" on failing and unknown results only, when the user may', async () => {
      const api = new FakeScorecardsApi();
      await renderWithEntity(<EntityScorecardContent />, api);
      await screen.findByTestId('result-dependencies-match-observed');
      await waitFor(() =>
        expect(requestButtons()).toEqual([
          'Request waiver for Rollback exercised',
          'Request waiver for Declared dependencies match traffic',
        ]),
      );
      expect(
        within(screen.getByTestId('result-owner-resolves')).queryByRole(
          'button',
          { name: /^Request waiver/ },
        ),
      ).toBeNull();

      const unknown = new FakeScorecardsApi();
      unknown.scorecard = inventoryScorecardBase;
      await renderWithEntity(<EntityScorecardContent />, unknown);
      await waitFor(() =>
        expect(
          within(
            screen.getByTestId('result-deploy-immutable-artifact'),
          ).getByRole('button', { name: /^Request waiver/ }),
        ).toBeInTheDocument(),
      );
    });

    it('flags expiring waivers in its table at the thresholds the backend answers', async () => {
      const api = new FakeScorecardsApi();
      api.scorecard = checkoutScorecard({
        waivers: [waiver({ id: 'w-20d', expiresAt: daysFromNow(20.5) })],
        waiverExpiryWarningDays: [30, 7],
      });
      await renderWithEntity(<EntityScorecardContent />, api);
      const table = await screen.findByRole('table', {
        name: 'Waivers of component:default/checkout-service',
      });
      expect(within(table).getByTestId('waiver-w-20d')).toHaveTextContent(
        '(in 20 d) · expiring soon',
      );
    });

    it('holds a false-positive request to the cap the backend answers', async () => {
      const api = new FakeScorecardsApi();
      api.scorecard = checkoutScorecard({ waiverFalsePositiveMaxDays: 7 });
      await renderWithEntity(<EntityScorecardContent />, api);
      const user = userEvent.setup();
      const request = await screen.findByRole('button', {
        name: 'Request waiver for Declared dependencies match traffic',
      });
      await waitFor(() => expect(request).toBeEnabled());
      await user.click(request);
      const dialog = await screen.findByRole('dialog');
      await user.click(
        within(dialog).getByRole('radio', { name: 'False positive' }),
      );
      expect(dialog).toHaveTextContent(/at most 7 days for a false positive/i);
    });

    // Each test below uses its own entity ref: usePermission caches decisions per resource.
    const entityNamed = (name: string) => ({
      ...checkoutService,
      metadata: { name, namespace: 'default' },
    });

    it('enables "Request waiver" when scorecards.waiver.create on the entity is allowed', async () => {
      await renderWithEntity(<EntityScorecardContent />);
      await waitFor(() => {
        expect(requestButtons()).toHaveLength(2);
        for (const b of screen.getAllByRole('button', {
          name: /^Request waiver for /,
        })) {
          expect(b).toBeEnabled();
          expect(b).not.toHaveAccessibleDescription();
        }
      });
      expect(screen.queryByTestId('permission-denied-note')).toBeNull();
    });

    it('keeps "Request waiver" disabled while the permission loads, then disabled with the permission named on DENY', async () => {
      const permissions = new ManualPermissionApi();
      await renderWithEntity(
        <EntityScorecardContent />,
        new FakeScorecardsApi(),
        entityNamed('no-permission'),
        { permissionApi: permissions },
      );
      await waitFor(() => expect(requestButtons()).toHaveLength(2));
      // Asked about this entity, and not answered yet: no flash of an enabled button.
      expect(permissions.requests).toContain(
        'scorecards.waiver.create component:default/no-permission',
      );
      const buttons = () =>
        screen.getAllByRole('button', { name: /^Request waiver for / });
      for (const b of buttons()) expect(b).toBeDisabled();
      expect(screen.queryByTestId('permission-denied-note')).toBeNull();

      await act(async () =>
        permissions.answer('scorecards.waiver.create', 'DENY'),
      );
      await waitFor(() =>
        expect(screen.getAllByTestId('permission-denied-note')).toHaveLength(2),
      );
      for (const b of buttons()) {
        expect(b).toBeDisabled();
        expect(b).toHaveAccessibleDescription(
          'You may not request waivers on this entity: it needs scorecards.waiver.create.',
        );
      }
    });

    it('enables "Request waiver" once a loading permission answers ALLOW', async () => {
      const permissions = new ManualPermissionApi();
      await renderWithEntity(
        <EntityScorecardContent />,
        new FakeScorecardsApi(),
        entityNamed('allowed-later'),
        { permissionApi: permissions },
      );
      await waitFor(() => expect(requestButtons()).toHaveLength(2));
      const first = () =>
        screen.getByRole('button', {
          name: 'Request waiver for Rollback exercised',
        });
      expect(first()).toBeDisabled();
      await act(async () =>
        permissions.answer('scorecards.waiver.create', 'ALLOW'),
      );
      await waitFor(() => expect(first()).toBeEnabled());
      expect(screen.queryByTestId('permission-denied-note')).toBeNull();
    });

    it('leaves "Request waiver" enabled, for the backend to decide, when the permission cannot be asked', async () => {
      const permissions = new ManualPermissionApi();
      await renderWithEntity(
        <EntityScorecardContent />,
        new FakeScorecardsApi(),
        entityNamed('permission-down'),
        { permissionApi: permissions },
      );
      await waitFor(() => expect(requestButtons()).toHaveLength(2));
      await act(async () =>
        permissions.fail(
          'scorecards.waiver.create',
          new Error('permission backend unavailable'),
        ),
      );
      await waitFor(() =>
        expect(
          screen.getByRole('button', {
            name: 'Request waiver for Rollback exercised',
          }),
        ).toBeEnabled(),
      );
      expect(screen.queryByTestId('permission-denied-note')).toBeNull();
    });

    it('hides it for a check whose waiver.allowed is false', async () => {
      const api = new FakeScorecardsApi();
      api.checks = [
        checkSummary('rollback-exercised', {
          waiver: { allowed: false, maxDays: 30 },
        }),
      ];
      await renderWithEntity(<EntityScorecardContent />, api);
      await waitFor(() =>
        expect(requestButtons()).toEqual([
          'Request waiver for Declared dependencies match traffic',
        ]),
      );
      // the rules come from the definitions alone: the summaries read every entity's results
      expect(api.calls.map(c => c.method)).toContain('getCheckDefinitions');
      expect(api.calls.map(c => c.method)).not.toContain('getChecks');
    });

    it('requests a waiver from a row, then refreshes and shows it pending', async () => {
      const api = new FakeScorecardsApi();
      api.checks = [
        checkSummary('dependencies-match-observed', {
          waiver: { allowed: true, maxDays: 20 },
        }),
      ];
      await renderWithEntity(<EntityScorecardContent />, api);
      const user = userEvent.setup();
      const request = await screen.findByRole('button', {
        name: 'Request waiver for Declared dependencies match traffic',
      });
      // enabled once the permission framework allows scorecards.waiver.create
      await waitFor(() => expect(request).toBeEnabled());
      await user.click(request);
      const dialog = await screen.findByRole('dialog');
      // maxDays of the check from GET /checks
      expect(dialog).toHaveTextContent('at most 20 days for this check');
      fireEvent.change(within(dialog).getByLabelText(/^Reason/), {
        target: { value: 'Pricing call is removed in the next release.' },
      });
      const date = daysFromNow(10).slice(0, 10);
      fireEvent.change(within(dialog).getByLabelText(/^Expires on/), {
        target: { value: date },
      });
      await user.click(
        within(dialog).getByRole('button', { name: 'Request waiver' }),
      );
      await waitFor(() =>
        expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
      );
      expect(api.waiverCalls[0]).toMatchObject({
        method: 'requestWaiver',
        body: {
          entityRef: 'component:default/checkout-service',
          checkId: 'dependencies-match-observed',
          kind: 'exception',
          expiresAt: `${date}T00:00:00.000Z`,
        },
      });
      // The scorecard was read again and the tab shows the pending waiver.
      await waitFor(() =>
        expect(
          api.calls.filter(c => c.method === 'getEntityScorecard'),
        ).toHaveLength(2),
      );
      const row = screen.getByTestId('result-dependencies-match-observed');
      expect(
        await within(row).findByTestId('waiver-pending'),
      ).toHaveTextContent('Waiver exception pending approval');
      expect(
        within(row).queryByRole('button', { name: /^Request waiver/ }),
      ).toBeNull();
      // the button focus returned to is gone: the pending text has it, not the page
      await waitFor(() =>
        expect(within(row).getByTestId('waiver-pending')).toHaveFocus(),
      );
      const table = screen.getByRole('table', {
        name: 'Waivers of component:default/checkout-service',
      });
      expect(within(table).getByTestId('waiver-w-1')).toHaveTextContent(
        'pending',
      );
      expect(screen.getByRole('status')).toHaveTextContent(
        'Waiver on dependencies-match-observed requested',
      );
    });

    it('shows on the Waivers card who rejected or revoked a waiver and why', async () => {
      const api = new FakeScorecardsApi();
      api.scorecard = checkoutScorecard({
        waivers: [
          waiver({
            id: 'w-rej',
            checkId: 'rollback-exercised',
            status: 'rejected',
            approvedBy: 'user:default/plat-lead',
            approvedAt: '2026-03-13T10:00:00.000Z',
            decisionReason: 'Plan a rollback drill first.',
          }),
          waiver({
            id: 'w-rev',
            status: 'revoked',
            revokedAt: '2026-03-14T01:00:00.000Z',
            revokedBy: 'user:default/ana.ruiz',
            decisionReason: 'Pricing call removed; the check passes.',
          }),
        ],
      });
      await renderWithEntity(<EntityScorecardContent />, api);
      const table = await screen.findByRole('table', {
        name: 'Waivers of component:default/checkout-service',
      });
      const rejected = within(table).getByTestId('waiver-w-rej');
      expect(within(rejected).getByTestId('waiver-status')).toHaveTextContent(
        'rejectedRejected by user:default/plat-lead on 2026-03-13Why rejected: Plan a rollback drill first.',
      );
      const revoked = within(table).getByTestId('waiver-w-rev');
      expect(within(revoked).getByTestId('waiver-decision')).toHaveTextContent(
        'Revoked by user:default/ana.ruiz on 2026-03-14',
      );
      expect(
        within(revoked).getByTestId('waiver-decision-reason'),
      ).toHaveTextContent(
        'Why revoked: Pricing call removed; the check passes.',
      );
      expect(within(revoked).queryAllByRole('button')).toEqual([]);
    });

    it('keeps the scorecard on screen and says so when the reload after a decision fails', async () => {
      const api = new FakeScorecardsApi();
      const pending = waiver({
        id: 'w-p',
        checkId: 'rollback-exercised',
        status: 'pending',
        approvedBy: undefined,
      });
      api.scorecard = checkoutScorecard({ waivers: [pending] });
      const approve = api.approveWaiver.bind(api);
      api.approveWaiver = async (id, options) => {
        const answer = await approve(id, options);
        // the write succeeded; the reload that follows does not
        api.error = new Error('scorecards backend unavailable');
        return answer;
      };
      await renderWithEntity(<EntityScorecardContent />, api);
      const table = await screen.findByRole('table', {
        name: 'Waivers of component:default/checkout-service',
      });
      await userEvent.setup().click(
        within(table).getByRole('button', {
          name: 'Approve waiver on rollback-exercised',
        }),
      );
      expect(await screen.findByTestId('refresh-error')).toHaveTextContent(
        'Could not reload: scorecards backend unavailable. What is shown may be out of date.',
      );
      expect(
        screen.getByRole('table', {
          name: 'Waivers of component:default/checkout-service',
        }),
      ).toBeInTheDocument();
    });

    it('lists the entity’s waivers with approve and revoke, and refreshes after a decision', async () => {
      const api = new FakeScorecardsApi();
      const pending = waiver({
        id: 'w-p',
        checkId: 'rollback-exercised',
        status: 'pending',
        approvedBy: undefined,
      });
      const active = waiver({ id: 'w-a' });
      api.scorecard = checkoutScorecard({ waivers: [pending, active] });
      await renderWithEntity(<EntityScorecardContent />, api);
      const table = await screen.findByRole('table', {
        name: 'Waivers of component:default/checkout-service',
      });
      const user = userEvent.setup();
      await user.click(
        within(table).getByRole('button', {
          name: 'Approve waiver on rollback-exercised',
        }),
      );
      await waitFor(() =>
        expect(within(table).getByTestId('waiver-w-p')).toHaveTextContent(
          'active',
        ),
      );
      expect(api.waiverCalls).toEqual([
        { method: 'approveWaiver', id: 'w-p', body: undefined },
      ]);
      expect(
        within(within(table).getByTestId('waiver-w-a')).getByRole('button', {
          name: 'Revoke waiver on dependencies-match-observed',
        }),
      ).toBeEnabled();
    });
  });
});
