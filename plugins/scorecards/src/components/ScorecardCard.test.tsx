import { act, cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ResponseError } from '@backstage/errors';
import type { Transition } from '@internal/plugin-scorecards-common';
import {
  FakeScorecardsApi,
  checkoutScorecard,
  daysFromNow,
  renderWithEntity,
  responseError,
  waiver,
} from '../__testUtils__/fixtures';
import { inventoryScorecardBase } from '../__testUtils__/demoScorecards';
import { EntityScorecardCard } from './ScorecardCard';

jest.setTimeout(30_000);

/** The heading outline, as `H2 Scorecard`, in document order. */
const headingOutline = () =>
  screen.getAllByRole('heading').map(h => `${h.tagName} ${h.textContent}`);

describe('EntityScorecardCard', () => {
  it('titles the card as an h2, so its h3 sections nest under it (WCAG 1.3.1)', async () => {
    await renderWithEntity(<EntityScorecardCard />);
    await screen.findByTestId('scorecard-level');
    const headings = headingOutline();
    expect(headings[0]).toBe('H2 Scorecard');
    expect(headings.slice(1).every(h => h.startsWith('H3 '))).toBe(true);
    expect(headings.length).toBeGreaterThan(1);
  });

  it('shows the level against the expected one and each blocker with its fix', async () => {
    const { api } = await renderWithEntity(<EntityScorecardCard />);
    expect(await screen.findByTestId('scorecard-level')).toHaveTextContent(
      'L1 · Operable',
    );
    expect(screen.getByText(/expected L3 for tier 1/)).toHaveTextContent(
      'below expected',
    );
    expect(screen.getByTestId('scorecard-score')).toHaveTextContent(
      '38/40 counted checks passing · not counted: 1 not applicable',
    );
    expect(
      screen.getByRole('heading', { name: 'To reach L2 — 1 blocker' }),
    ).toBeInTheDocument();

    const blockers = within(
      screen.getByRole('list', { name: 'Blockers for L2' }),
    ).getAllByTestId('blocker');
    expect(blockers).toHaveLength(1);
    const [deps] = blockers;
    expect(deps).toHaveTextContent('Declared dependencies match traffic');
    expect(deps).toHaveTextContent('service-owned');
    expect(deps).toHaveTextContent(
      'checkout-service calls pricing-service, seen 2 min ago; not in spec.dependsOn or consumesApis.',
    );
    expect(deps).toHaveTextContent(
      'Fix: Declare the dependency in spec.dependsOn / consumesApis, or confirm the call is wrong.',
    );
    expect(
      within(deps).getByRole('link', { name: /^How to fix/ }),
    ).toHaveAttribute(
      'href',
      'https://portal.example.com/docs/default/component/platform-docs/scorecards#dependencies-match-observed',
    );
    // Oldest evidence behind the result: the catalog snapshot 30 s old is newer than telemetry (4 min).
    expect(deps).toHaveTextContent('Evidence: prometheus · 4 min old');

    // L3's blocker is collapsed behind "Then L3 — …" until asked for.
    expect(screen.queryByRole('list', { name: 'Blockers for L3' })).toBeNull();
    const then = screen.getByRole('button', {
      name: 'Then L3 — rollback-exercised',
    });
    expect(then).toHaveAttribute('aria-expanded', 'false');
    // shown as written (§7.1 "Then L3 — rollback-exercised"), not in the theme's capitals
    expect(then).toHaveStyle({ textTransform: 'none' });
    await userEvent.click(then);
    expect(
      screen.getByRole('list', { name: 'Blockers for L3' }),
    ).toHaveTextContent(
      'Run a rollback drill (or roll back for real) and report it.',
    );

    expect(
      screen.getByRole('img', {
        name: /^Level over 90 days: L2 from .* L1 from/,
      }),
    ).toBeInTheDocument();
    // The last level change with its cause and checks, to the minute; a drop the team caused says so.
    expect(
      await screen.findByTestId('scorecard-level-change'),
    ).toHaveTextContent(
      /^Last level change: L2 → L1 on \d{4}-\d\d-\d\d 09:00 UTC \(evidence-changed: dependencies-match-observed\) · team regression$/,
    );
    expect(screen.getByTestId('evidence-ages')).toHaveTextContent(
      'Evidence: catalog 30 s · ledger 80 min · prometheus 4 min · repo 2 h',
    );
    expect(api.calls[0]).toEqual({
      method: 'getEntityScorecard',
      arg: 'component:default/checkout-service',
    });
  });

  it('says which results the score leaves out, so it adds up to the checks listed (§2.7, SR8)', async () => {
    // checkout-service in the demo: 45 results, 39 pass (one of them in observe), 2 fail, 4 n/a.
    const base = checkoutScorecard();
    const [pass] = base.results.filter(r => r.state === 'pass');
    const [fail] = base.results.filter(r => r.state === 'fail');
    const [na] = base.results.filter(r => r.state === 'not-applicable');
    const copies = (r: typeof pass, n: number, prefix: string) =>
      Array.from({ length: n }, (_, i) => ({
        ...r,
        checkId: `${prefix}-${i}`,
      }));
    const results = [
      ...copies(pass, 38, 'pass'),
      { ...pass, checkId: 'cloud-resources-tagged', phase: 'observe' as const },
      ...copies(fail, 2, 'fail'),
      ...copies(na, 4, 'na'),
    ];
    const api = new FakeScorecardsApi();
    api.scorecard = checkoutScorecard({
      results,
      score: { passed: 38, counted: 40, waived: 0, unknown: 0, failed: 2 },
    });
    await renderWithEntity(<EntityScorecardCard />, api);
    expect(await screen.findByTestId('scorecard-score')).toHaveTextContent(
      /^38\/40 counted checks passing · not counted: 1 in observe, 4 not applicable$/,
    );
  });

  it('names nothing as not counted when every result counts', async () => {
    const base = checkoutScorecard();
    const api = new FakeScorecardsApi();
    api.scorecard = checkoutScorecard({
      results: base.results.filter(r => r.state !== 'not-applicable'),
    });
    await renderWithEntity(<EntityScorecardCard />, api);
    expect(await screen.findByTestId('scorecard-score')).toHaveTextContent(
      /^38\/40 counted checks passing$/,
    );
  });

  describe('links from the standard file', () => {
    const base = checkoutScorecard();
    const withCapability = (issue: string) =>
      base.results.map(r =>
        r.checkId === 'dependencies-match-observed'
          ? {
              ...r,
              attribution: 'platform' as const,
              platformCapability: {
                id: 'service-mesh',
                owner: 'group:default/platform-team',
                issue,
              },
            }
          : r,
      );

    it('shows a fix URL or platform issue that is not http(s) as text, never as a link', async () => {
      const api = new FakeScorecardsApi();
      // Both come from the standard file; Backstage's Link throws on a javascript: URL.
      api.scorecard = checkoutScorecard({
        blockers: [
          {
            ...base.blockers[0],
            attribution: 'platform',
            // eslint-disable-next-line no-script-url -- the refused value under test
            fix: { summary: 'Declare it.', url: 'javascript:alert(1)' },
          },
        ],
        // eslint-disable-next-line no-script-url -- the refused value under test
        results: withCapability('javascript:alert(2)'),
      });
      await renderWithEntity(<EntityScorecardCard />, api);
      const [blocker] = within(
        await screen.findByRole('list', { name: 'Blockers for L2' }),
      ).getAllByTestId('blocker');
      expect(within(blocker).queryAllByRole('link')).toEqual([]);
      expect(blocker).toHaveTextContent(
        'blocked by platform: service-mesh · group:default/platform-team',
      );
      expect(blocker).toHaveTextContent('platform issue: javascript:alert(2)');
      expect(blocker).toHaveTextContent(
        'Fix: Declare it. How to fix: javascript:alert(1)',
      );
    });

    it('links a fix and a platform issue that are http(s) URLs', async () => {
      const ok = new FakeScorecardsApi();
      ok.scorecard = checkoutScorecard({
        blockers: [{ ...base.blockers[0], attribution: 'platform' }],
        results: withCapability('https://issues.example.com/PLAT-12'),
      });
      await renderWithEntity(<EntityScorecardCard />, ok);
      const [linked] = within(
        await screen.findByRole('list', { name: 'Blockers for L2' }),
      ).getAllByTestId('blocker');
      expect(
        within(linked).getByRole('link', { name: /platform issue/ }),
      ).toHaveAttribute('href', 'https://issues.example.com/PLAT-12');
      expect(
        within(linked).getByRole('link', { name: /^How to fix/ }),
      ).toHaveAttribute(
        'href',
        'https://portal.example.com/docs/default/component/platform-docs/scorecards#dependencies-match-observed',
      );
    });
  });

  it('shows an unknown blocker as unknown with its cause, never as pass', async () => {
    const api = new FakeScorecardsApi();
    api.scorecard = inventoryScorecardBase;
    await renderWithEntity(<EntityScorecardCard />, api);
    const [blocker] = within(
      await screen.findByRole('list', { name: 'Blockers for L2' }),
    ).getAllByTestId('blocker');
    const chip = within(blocker).getByTestId('state-chip');
    expect(chip).toHaveAttribute('data-state', 'unknown');
    expect(chip).toHaveTextContent('unknown · missing');
    expect(blocker).not.toHaveTextContent(/\bpass\b/);
    expect(
      within(blocker).getByRole('list', { name: 'Missing evidence' }),
    ).toHaveTextContent(
      'ledger · missing — no production deploy record for component:default/inventory-service',
    );
    expect(blocker).toHaveTextContent(
      'Fix: Deploy by image digest (sha256:…).',
    );
  });

  it('says since when an unavailable source has not been collected (§5: outage, not the team)', async () => {
    const base = checkoutScorecard();
    const api = new FakeScorecardsApi();
    const threeHoursAgo = new Date(Date.now() - 3 * 3600_000).toISOString();
    api.scorecard = {
      ...base,
      results: base.results.map((r, i) =>
        i === 0
          ? {
              ...r,
              state: 'unknown',
              rawState: 'unknown',
              missing: [
                {
                  source: 'prometheus',
                  kind: 'slo.status',
                  cause: 'source-unavailable',
                  hint: 'prometheus did not answer',
                },
              ],
            }
          : r,
      ),
      evidenceHealth: [
        {
          source: 'prometheus',
          status: 'unavailable',
          lastSuccessAt: threeHoursAgo,
          usedBy: [base.results[0].checkId],
        },
      ],
    } as typeof base;
    await renderWithEntity(<EntityScorecardCard />, api);
    expect(
      await screen.findByText(
        'prometheus unavailable (last collected 3 h ago) — 1 result unknown',
      ),
    ).toBeInTheDocument();
  });

  it('lists active waivers with their expiry and never an expired one as active', async () => {
    const api = new FakeScorecardsApi();
    api.scorecard = checkoutScorecard({
      waivers: [
        waiver({ id: 'active', expiresAt: daysFromNow(10.5) }),
        // The backend still says active, but its expiry has passed: it no longer counts.
        waiver({
          id: 'lapsed',
          checkId: 'rollback-exercised',
          expiresAt: daysFromNow(-2),
          status: 'active',
        }),
      ],
    });
    await renderWithEntity(<EntityScorecardCard />, api);
    const active = await screen.findByRole('list', { name: 'Active waivers' });
    expect(within(active).getAllByRole('listitem')).toHaveLength(1);
    expect(active).toHaveTextContent(
      'dependencies-match-observed · exception · group:default/checkout-team',
    );
    expect(active).toHaveTextContent('(in 10 d)');
    expect(active).not.toHaveTextContent('rollback-exercised');
    expect(
      screen.getByRole('list', { name: 'Ended waivers' }),
    ).toHaveTextContent('rollback-exercised · exception · expired');
  });

  it('says a request its requester withdrew was withdrawn and never counted, not that it was revoked', async () => {
    const api = new FakeScorecardsApi();
    api.scorecard = checkoutScorecard({
      waivers: [
        waiver({
          id: 'withdrawn',
          checkId: 'rollback-exercised',
          status: 'revoked',
          approvedBy: undefined,
          revokedBy: 'user:default/Ana.Ruiz',
          revokedAt: daysFromNow(-1),
        }),
        waiver({
          id: 'revoked',
          status: 'revoked',
          revokedBy: 'user:default/plat-lead',
          revokedAt: daysFromNow(-1),
        }),
      ],
    });
    await renderWithEntity(<EntityScorecardCard />, api);
    const ended = await screen.findByRole('list', { name: 'Ended waivers' });
    const [first, second] = within(ended).getAllByRole('listitem');
    expect(first).toHaveTextContent(
      /^rollback-exercised · exception · request withdrawn .+ — never counted$/,
    );
    expect(second).toHaveTextContent(
      /^dependencies-match-observed · exception · revoked .+ — no longer counts$/,
    );
  });

  it('counts down in hours below a day and says in text, not colour alone, that a waiver expires soon', async () => {
    const HOUR = 1 / 24;
    const api = new FakeScorecardsApi();
    api.scorecard = checkoutScorecard({
      waivers: [
        waiver({ id: 'hours', expiresAt: daysFromNow(12.5 * HOUR) }),
        waiver({
          id: 'minutes',
          checkId: 'rollback-exercised',
          expiresAt: daysFromNow(0.5 * HOUR),
        }),
        waiver({
          id: 'amber',
          checkId: 'runbook-present',
          expiresAt: daysFromNow(10.5),
        }),
        waiver({
          id: 'calm',
          checkId: 'owner-resolves',
          expiresAt: daysFromNow(20.5),
        }),
      ],
    });
    await renderWithEntity(<EntityScorecardCard />, api);
    const items = within(
      await screen.findByRole('list', { name: 'Active waivers' }),
    ).getAllByRole('listitem');
    expect(
      items.map(i => i.textContent?.replace(/\d{4}-\d\d-\d\d/, 'DATE')),
    ).toEqual([
      'dependencies-match-observed · exception · group:default/checkout-team · expires DATE (in 12 h) · expiring very soon',
      'rollback-exercised · exception · group:default/checkout-team · expires DATE (in < 1 h) · expiring very soon',
      'runbook-present · exception · group:default/checkout-team · expires DATE (in 10 d) · expiring soon',
      'owner-resolves · exception · group:default/checkout-team · expires DATE (in 20 d)',
    ]);
  });

  it('says a kept waiver of a check not in force waives nothing (rollups do not count it either)', async () => {
    const api = new FakeScorecardsApi();
    api.scorecard = checkoutScorecard({
      waivers: [
        waiver({
          id: 'renamed',
          checkId: 'renamed-check',
          expiresAt: daysFromNow(20.5),
        }),
        waiver({
          id: 'calm',
          checkId: 'owner-resolves',
          expiresAt: daysFromNow(20.5),
        }),
      ],
    });
    await renderWithEntity(<EntityScorecardCard />, api);
    const items = within(
      await screen.findByRole('list', { name: 'Active waivers' }),
    ).getAllByRole('listitem');
    expect(items[0]).toHaveTextContent(
      'renamed-check · exception · group:default/checkout-team · expires',
    );
    expect(items[0]).toHaveTextContent(
      'waives nothing now: the check is not in force (not started, retired or renamed)',
    );
    expect(items[1]).not.toHaveTextContent('waives nothing');
  });

  it('warns at the thresholds the backend answers (scorecards.waivers.expiryWarningDays), else at 14 and 3 days', async () => {
    const waivers = [
      waiver({ id: 'twenty', expiresAt: daysFromNow(20.5) }),
      waiver({
        id: 'five',
        checkId: 'rollback-exercised',
        expiresAt: daysFromNow(5.5),
      }),
    ];
    const activeItems = async (scorecardFields: {
      waiverExpiryWarningDays?: number[];
    }) => {
      const api = new FakeScorecardsApi();
      api.scorecard = checkoutScorecard({ waivers, ...scorecardFields });
      await renderWithEntity(<EntityScorecardCard />, api);
      const texts = within(
        await screen.findByRole('list', { name: 'Active waivers' }),
      )
        .getAllByRole('listitem')
        .map(i => i.textContent?.replace(/^.* expires \S+ /, ''));
      cleanup();
      return texts;
    };

    expect(await activeItems({ waiverExpiryWarningDays: [30, 7] })).toEqual([
      '(in 20 d) · expiring soon',
      '(in 5 d) · expiring very soon',
    ]);
    // An older backend answers no thresholds: the built-in 14 and 3 days.
    expect(await activeItems({})).toEqual([
      '(in 20 d)',
      '(in 5 d) · expiring soon',
    ]);
    // One value (as configured, from a backend that passes it on) is the amber window; red
    // stays at 3 days, so neither waiver is "very soon".
    expect(await activeItems({ waiverExpiryWarningDays: [30] })).toEqual([
      '(in 20 d) · expiring soon',
      '(in 5 d) · expiring soon',
    ]);
  });

  it('says there are no active waivers when every waiver has expired', async () => {
    const api = new FakeScorecardsApi();
    api.scorecard = checkoutScorecard({
      waivers: [waiver({ expiresAt: daysFromNow(-1), status: 'expired' })],
    });
    await renderWithEntity(<EntityScorecardCard />, api);
    expect(await screen.findByText('No active waivers')).toBeInTheDocument();
    expect(screen.queryByRole('list', { name: 'Active waivers' })).toBeNull();
  });

  it('shows the no-blockers state at the ceiling', async () => {
    const api = new FakeScorecardsApi();
    api.scorecard = checkoutScorecard({
      level: 'L3',
      nextLevel: null,
      belowExpected: false,
      blockers: [],
    });
    await renderWithEntity(<EntityScorecardCard />, api);
    expect(
      await screen.findByRole('heading', {
        name: 'No blockers — L3 is the highest level this entity can reach',
      }),
    ).toBeInTheDocument();
  });

  it('shows a not-rated entity’s lifecycle and retirement status instead of an expected level', async () => {
    const api = new FakeScorecardsApi();
    const base = checkoutScorecard();
    const [template] = base.results;
    const lifecycleResult = (
      checkId: string,
      title: string,
      state: 'pass' | 'fail' | 'not-applicable',
      message: string,
    ) => ({
      ...template,
      checkId,
      title,
      theme: 'lifecycle' as const,
      level: null,
      state,
      rawState: state,
      message,
    });
    // SC9: a deprecated entity is evaluated only on the lifecycle checks (§2.1, §7.1).
    api.scorecard = checkoutScorecard({
      lifecycle: 'deprecated',
      rated: false,
      level: 'not-rated',
      ceiling: null,
      expectedLevel: null,
      belowExpected: false,
      nextLevel: null,
      blockers: [],
      results: [
        ...base.results.map(r => ({
          ...r,
          state: 'not-applicable' as const,
          rawState: 'not-applicable' as const,
        })),
        lifecycleResult(
          'deprecation-plan',
          'Deprecation plan declared',
          'pass',
          'replaced-by and retire-by are set.',
        ),
        lifecycleResult(
          'retirement-on-track',
          'Retirement on track',
          'fail',
          'Retirement date 2026-06-30 has passed; 1 consumer remains: ref-consumer.',
        ),
        lifecycleResult(
          'archived-no-activity',
          'Archived entity has no activity',
          'not-applicable',
          'Not archived.',
        ),
      ],
    });
    await renderWithEntity(<EntityScorecardCard />, api);
    expect(await screen.findByTestId('scorecard-level')).toHaveTextContent(
      'not-rated',
    );
    expect(screen.getByText(/Not rated: lifecycle deprecated/)).toBeVisible();
    expect(screen.queryByText(/expected L/)).toBeNull();
    const status = within(
      screen.getByRole('list', { name: 'Retirement status' }),
    ).getAllByRole('listitem');
    expect(status.map(s => s.textContent)).toEqual([
      'passDeprecation plan declared — replaced-by and retire-by are set.',
      'failRetirement on track — Retirement date 2026-06-30 has passed; 1 consumer remains: ref-consumer.',
    ]);
  });

  it('names every team regression and its cause in the trend’s text alternative', async () => {
    const api = new FakeScorecardsApi();
    const base = checkoutScorecard();
    const [drop] = base.regressions;
    const earlier = {
      ...drop,
      from: 'L3' as const,
      to: 'L2' as const,
      at: `${base.trend[80].date}T08:00:00.000Z`,
      cause: 'entity-changed' as const,
    };
    api.scorecard = checkoutScorecard({
      trend: base.trend.map((p, i) => (i < 80 ? { ...p, level: 'L3' } : p)),
      regressions: [earlier, ...base.regressions],
    });
    await renderWithEntity(<EntityScorecardCard />, api);
    const trend = await screen.findByRole('img', { name: /^Level over 90/ });
    // The dots are drawn for sighted users; the earlier drop is in no visible text.
    expect(trend).toHaveAccessibleName(
      expect.stringContaining(
        `regressions: L3 → L2 on ${base.trend[80].date} (entity-changed); L2 → L1 on ${base.trend[87].date} (evidence-changed)`,
      ),
    );
  });

  describe('trend of an entity first rated inside the window (§2.10)', () => {
    /** The x coordinates the sparkline's line passes through. */
    function lineXs(): number[] {
      const d =
        screen
          .getByTestId('trend-sparkline')
          .querySelector('path')
          ?.getAttribute('d') ?? '';
      return [...d.matchAll(/[MH](-?[\d.]+)/g)].map(m => Number(m[1]));
    }
    /** A 90-day trend: `notRated` days without a level, then `level`. */
    function trendFrom(notRated: number, level: 'L1' | 'L2') {
      return checkoutScorecard().trend.map((p, i) => ({
        ...p,
        level: i < notRated ? ('not-rated' as const) : level,
      }));
    }

    it('leaves the days before the first evaluation out of the line and says since when', async () => {
      const api = new FakeScorecardsApi();
      const trend = trendFrom(80, 'L2');
      api.scorecard = checkoutScorecard({ trend, regressions: [] });
      await renderWithEntity(<EntityScorecardCard />, api);
      expect(await screen.findByTestId('trend-first-rated')).toHaveTextContent(
        `First rated on ${trend[80].date}`,
      );
      expect(
        screen.getByRole('img', { name: /^Level over 90/ }),
      ).toHaveAccessibleName(
        `Level over 90 days, first rated on ${trend[80].date}: not-rated from ${trend[0].date} to ${trend[79].date}; L2 from ${trend[80].date} to ${trend[89].date}`,
      );
      // One stretch of line over the last 10 of 90 days: nothing drawn over the first 80.
      const sparkline = screen.getByTestId('trend-sparkline');
      const width = Number(sparkline.getAttribute('width'));
      expect(Math.min(...lineXs())).toBeGreaterThan(0.85 * width);
    });

    it('names a one-day trend in the singular', async () => {
      const api = new FakeScorecardsApi();
      const [today] = trendFrom(0, 'L1').slice(-1);
      api.scorecard = checkoutScorecard({ trend: [today], regressions: [] });
      await renderWithEntity(<EntityScorecardCard />, api);
      expect(
        await screen.findByRole('img', { name: /^Level over 1 day[,:]/ }),
      ).toBeInTheDocument();
    });

    it('draws an entity first rated today as a visible tick', async () => {
      const api = new FakeScorecardsApi();
      const trend = trendFrom(89, 'L1');
      api.scorecard = checkoutScorecard({ trend, regressions: [] });
      await renderWithEntity(<EntityScorecardCard />, api);
      expect(await screen.findByTestId('trend-first-rated')).toHaveTextContent(
        `First rated on ${trend[89].date}`,
      );
      const xs = lineXs();
      expect(xs).toHaveLength(2);
      expect(Math.max(...xs) - Math.min(...xs)).toBeGreaterThan(0);
    });

    it('says nothing about a first rating when the trend starts rated', async () => {
      await renderWithEntity(<EntityScorecardCard />);
      expect(
        await screen.findByRole('img', { name: /^Level over 90 days: L2 / }),
      ).toBeInTheDocument();
      expect(screen.queryByTestId('trend-first-rated')).toBeNull();
    });
  });

  describe('outage-caused drops (§7.1, §2.10: never the team’s regression)', () => {
    /**
     * checkout-service's trend with a source outage: L2, then L1 from day 40 (the outage) back to
     * L2 on day 45, and the team regression to L1 on day 87 the entity route reports.
     */
    function withOutage() {
      const base = checkoutScorecard();
      const trend = base.trend.map((p, i) => ({
        ...p,
        level:
          (i >= 40 && i < 45) || i >= 87 ? ('L1' as const) : ('L2' as const),
      }));
      const [teamDrop, teamCheckDrop] = base.regressions;
      const row = (day: number, over: Partial<Transition>): Transition => ({
        ...teamDrop,
        at: `${trend[day].date}T20:05:00.000Z`,
        regression: false,
        ...over,
      });
      const api = new FakeScorecardsApi();
      api.scorecard = checkoutScorecard({ trend });
      // The history route answers every row of the window: check rows and team regressions too.
      api.history = {
        levels: trend,
        transitions: [
          row(40, {
            checkId: 'alerts-routed',
            from: 'pass',
            to: 'unknown',
            cause: 'source-outage',
            checkVersion: 1,
          }),
          row(40, { from: 'L2', to: 'L1', cause: 'source-outage' }),
          row(45, { from: 'L1', to: 'L2', cause: 'evidence-changed' }),
          teamDrop,
          teamCheckDrop,
        ],
      };
      return { api, trend };
    }

    /** Where the line steps down and back up, in order: the x of each vertical move. */
    function lineSteps(): { x: number; down: boolean }[] {
      const d =
        screen
          .getByTestId('trend-sparkline')
          .querySelector('path')
          ?.getAttribute('d') ?? '';
      const moves = [...d.matchAll(/H(-?[\d.]+)V(-?[\d.]+)/g)].map(m => ({
        x: Number(m[1]),
        y: Number(m[2]),
      }));
      return moves.flatMap((m, i) => {
        const before = i === 0 ? undefined : moves[i - 1].y;
        if (before === undefined || before === m.y) return [];
        // SVG y grows downwards: a larger y is a lower level
        return [{ x: m.x, down: m.y > before }];
      });
    }

    function bandEdges(band: Element): [number, number] {
      const x = Number(band.getAttribute('x'));
      return [x, x + Number(band.getAttribute('width'))];
    }

    it('hatches the days an outage held the level lower and names the cause', async () => {
      const { api, trend } = withOutage();
      await renderWithEntity(<EntityScorecardCard />, api);
      const bands = await screen.findAllByTestId('trend-outage-band');
      expect(bands).toHaveLength(1);
      // Hatched: filled with an SVG pattern of the same sparkline.
      const fill = bands[0].getAttribute('fill') ?? '';
      const patternId = fill.match(/^url\(#(.+)\)$/)?.[1];
      expect(patternId).toBeTruthy();
      expect(
        screen
          .getByTestId('trend-sparkline')
          .querySelector(`pattern[id="${patternId}"]`),
      ).not.toBeNull();
      // From the line's drop on day 40 to its rise on day 45.
      const [drop, rise] = lineSteps();
      expect([drop.down, rise.down]).toEqual([true, false]);
      const [bandStart, bandEnd] = bandEdges(bands[0]);
      expect(bandStart).toBeCloseTo(drop.x);
      expect(bandEnd).toBeCloseTo(rise.x);

      const outage = `dropped to L1 on ${trend[40].date}: source outage (recovered on ${trend[45].date})`;
      expect(bands[0]).toHaveTextContent(outage);
      expect(
        screen.getByRole('img', { name: /^Level over 90/ }),
      ).toHaveAccessibleName(expect.stringContaining(`; outages: ${outage}`));
      // One read of the history, from the first day of the trend, of every row (no checkId).
      expect(api.historyQueries).toEqual([{ from: trend[0].date }]);
      expect(screen.queryByTestId('trend-outage-unread')).toBeNull();
    });

    it('keeps a team regression’s dot and never hatches it', async () => {
      const { api, trend } = withOutage();
      await renderWithEntity(<EntityScorecardCard />, api);
      const [band] = await screen.findAllByTestId('trend-outage-band');
      const dots = screen
        .getByTestId('trend-sparkline')
        .querySelectorAll('circle');
      // The outage drop is no regression: one dot, the team's.
      expect(dots).toHaveLength(1);
      expect(dots[0]).toHaveTextContent(
        `L2 → L1 on ${trend[87].date} (evidence-changed)`,
      );
      const [, bandEnd] = bandEdges(band);
      expect(Number(dots[0].getAttribute('cx'))).toBeGreaterThan(bandEnd);
      const name =
        screen
          .getByRole('img', { name: /^Level over 90/ })
          .getAttribute('aria-label') ?? '';
      expect(name).toContain(
        `; regressions: L2 → L1 on ${trend[87].date} (evidence-changed); outages: dropped to L1 on ${trend[40].date}: source outage`,
      );
      // the outage and its recovery are older: the last change is the team's drop
      expect(screen.getByTestId('scorecard-level-change')).toHaveTextContent(
        /^Last level change: L2 → L1 on .* \(evidence-changed: dependencies-match-observed\) · team regression$/,
      );
    });

    it('hatches from the first day an outage that began before the trend and still held the level', async () => {
      const base = checkoutScorecard();
      // L1 from the first day (the outage's drop 30 days earlier) back to L2 on day 10.
      const trend = base.trend.map((p, i) => ({
        ...p,
        level: i < 10 ? ('L1' as const) : ('L2' as const),
      }));
      const api = new FakeScorecardsApi();
      api.scorecard = checkoutScorecard({ trend, regressions: [] });
      const dropDay = new Date(Date.parse(trend[0].date) - 30 * 86400_000)
        .toISOString()
        .slice(0, 10);
      const outage: Transition = {
        ...base.regressions[0],
        from: 'L2',
        to: 'L1',
        at: `${dropDay}T20:05:00.000Z`,
        cause: 'source-outage',
        regression: false,
      };
      api.history = {
        levels: trend,
        // the window holds only the recovery; the drop is the level row in effect at its start
        transitions: [
          {
            ...outage,
            from: 'L1',
            to: 'L2',
            at: `${trend[10].date}T08:00:00.000Z`,
            cause: 'evidence-changed',
          },
        ],
        levelInEffect: outage,
      };
      await renderWithEntity(<EntityScorecardCard />, api);
      const bands = await screen.findAllByTestId('trend-outage-band');
      expect(bands).toHaveLength(1);
      // From the left edge of the line to its rise on day 10.
      const path =
        screen
          .getByTestId('trend-sparkline')
          .querySelector('path')
          ?.getAttribute('d') ?? '';
      const lineStart = Number(path.match(/^M(-?[\d.]+),/)?.[1]);
      const [rise] = lineSteps();
      expect(rise.down).toBe(false);
      const [bandStart, bandEnd] = bandEdges(bands[0]);
      expect(bandStart).toBeCloseTo(lineStart);
      expect(bandEnd).toBeCloseTo(rise.x);
      const text = `dropped to L1 on ${dropDay}, before the first day shown: source outage (recovered on ${trend[10].date})`;
      expect(bands[0]).toHaveTextContent(text);
      expect(
        screen.getByRole('img', { name: /^Level over 90/ }),
      ).toHaveAccessibleName(expect.stringContaining(`; outages: ${text}`));
    });

    it('hatches from the first day an outage drop that a partial recovery before the trend did not undo', async () => {
      const base = checkoutScorecard();
      // L3 → L1 by an outage 30 days before the trend, L1 → L2 (another cause) 20 days before
      // it: L2 from the first day, still below L3 until the rise back to L3 on day 10.
      const trend = base.trend.map((p, i) => ({
        ...p,
        level: i < 10 ? ('L2' as const) : ('L3' as const),
      }));
      const api = new FakeScorecardsApi();
      api.scorecard = checkoutScorecard({ trend, regressions: [] });
      const before = (d: number) =>
        new Date(Date.parse(trend[0].date) - d * 86400_000)
          .toISOString()
          .slice(0, 10);
      const outage: Transition = {
        ...base.regressions[0],
        from: 'L3',
        to: 'L1',
        at: `${before(30)}T20:05:00.000Z`,
        cause: 'source-outage',
        regression: false,
      };
      const partial: Transition = {
        ...outage,
        from: 'L1',
        to: 'L2',
        at: `${before(20)}T08:00:00.000Z`,
        cause: 'evidence-changed',
      };
      api.history = {
        levels: trend,
        transitions: [
          {
            ...partial,
            from: 'L2',
            to: 'L3',
            at: `${trend[10].date}T08:00:00.000Z`,
          },
        ],
        // the last level row before the trend is the partial recovery, not the outage
        levelInEffect: partial,
        outageInEffect: outage,
      };
      await renderWithEntity(<EntityScorecardCard />, api);
      const bands = await screen.findAllByTestId('trend-outage-band');
      expect(bands).toHaveLength(1);
      const [rise] = lineSteps();
      const [, bandEnd] = bandEdges(bands[0]);
      expect(bandEnd).toBeCloseTo(rise.x);
      expect(bands[0]).toHaveTextContent(
        `dropped to L1 on ${before(
          30,
        )}, before the first day shown: source outage (recovered on ${
          trend[10].date
        })`,
      );
    });

    it('degrades only the sparkline when the history call fails', async () => {
      const { api, trend } = withOutage();
      api.historyError = await responseError(
        503,
        'history store unavailable',
        'ServiceUnavailableError',
      );
      await renderWithEntity(<EntityScorecardCard />, api);
      expect(
        await screen.findByTestId('trend-outage-unread'),
      ).toHaveTextContent('Outage history could not be read');
      // The card and the line are all there, the team regression's dot too; only the hatching is not.
      expect(screen.getByTestId('scorecard-level')).toHaveTextContent('L1');
      expect(
        screen.getByRole('heading', { name: 'To reach L2 — 1 blocker' }),
      ).toBeInTheDocument();
      const sparkline = screen.getByRole('img', {
        name: new RegExp(`^Level over 90 days: L2 from ${trend[0].date}`),
      });
      expect(sparkline.querySelector('path')?.getAttribute('d')).toMatch(/^M/);
      expect(sparkline.querySelectorAll('circle')).toHaveLength(1);
      expect(screen.queryByTestId('trend-outage-band')).toBeNull();
      // Without the history only the entity route's regressions are known: the line says no more.
      expect(screen.getByTestId('scorecard-level-change')).toHaveTextContent(
        /^Last regression: L2 → L1 on .* \(evidence-changed: dependencies-match-observed\)$/,
      );
      expect(screen.getByTestId('evidence-ages')).toBeInTheDocument();
      expect(screen.queryByText(/history store unavailable/)).toBeNull();
    });
  });

  describe('when it was evaluated, so an edit can be told before or after it', () => {
    afterEach(() => jest.useRealTimers());

    it('gives the time to the minute and its age, the instant in full as a title, and says an edit shows once the catalog processed it', async () => {
      jest.useFakeTimers({
        now: new Date('2026-12-08T14:05:10Z'),
        advanceTimers: true,
      });
      const api = new FakeScorecardsApi();
      api.scorecard = checkoutScorecard({
        evaluatedAt: '2026-12-08T14:02:04.512Z',
      });
      await renderWithEntity(<EntityScorecardCard />, api);
      const line = await screen.findByTestId('scorecard-evaluated');
      expect(line).toHaveTextContent(
        "Evaluated 14:02 UTC · 3 min ago, from the catalog's copy of the entity. An edit to its YAML shows once the catalog has processed it, usually within a few minutes.",
      );
      expect(
        within(line).getByTitle('2026-12-08 14:02:04 UTC'),
      ).toHaveTextContent('14:02 UTC · 3 min ago');
      // the evidence line no longer carries a bare date
      expect(screen.getByTestId('evidence-ages')).not.toHaveTextContent(
        'evaluated',
      );
    });

    it('names the date of an evaluation on an earlier UTC day', async () => {
      jest.useFakeTimers({
        now: new Date('2026-12-08T00:03:00Z'),
        advanceTimers: true,
      });
      const api = new FakeScorecardsApi();
      api.scorecard = checkoutScorecard({
        evaluatedAt: '2026-12-07T23:58:00Z',
      });
      await renderWithEntity(<EntityScorecardCard />, api);
      expect(
        await screen.findByTestId('scorecard-evaluated'),
      ).toHaveTextContent(/^Evaluated 2026-12-07 23:58 UTC · 5 min ago, from/);
    });

    it('keeps the age true on a card left open', async () => {
      jest.useFakeTimers({
        now: new Date('2026-12-08T14:02:00Z'),
        advanceTimers: true,
      });
      const api = new FakeScorecardsApi();
      api.scorecard = checkoutScorecard({
        evaluatedAt: '2026-12-08T14:02:00Z',
      });
      await renderWithEntity(<EntityScorecardCard />, api);
      const line = await screen.findByTestId('scorecard-evaluated');
      expect(line).toHaveTextContent(/^Evaluated 14:02 UTC · just now, from/);
      act(() => {
        jest.advanceTimersByTime(3 * 60_000);
      });
      expect(line).toHaveTextContent(/^Evaluated 14:02 UTC · 3 min ago, from/);
    });
  });

  describe('last level change, in either direction (§7.1, §2.10)', () => {
    const ref = 'component:default/checkout-service';
    const row = (over: Partial<Transition>): Transition => ({
      entityRef: ref,
      checkId: null,
      from: 'L1',
      to: 'L3',
      at: '2026-12-08T10:30:00.000Z',
      cause: 'entity-changed',
      checkVersion: null,
      regression: false,
      ...over,
    });

    it('explains an improvement after the last regression with its cause and the checks that passed', async () => {
      const api = new FakeScorecardsApi();
      api.scorecard = checkoutScorecard();
      const at = `${api.scorecard.trend[89].date}T10:30:00.000Z`;
      api.history = {
        levels: [],
        transitions: [
          ...api.scorecard.regressions,
          row({ at }),
          row({
            at,
            checkId: 'dependencies-match-observed',
            from: 'fail',
            to: 'pass',
            checkVersion: 1,
          }),
          row({
            at,
            checkId: 'rollback-exercised',
            from: 'unknown',
            to: 'pass',
            checkVersion: 1,
          }),
          // changed in the same evaluation, the other way: it did not raise the level
          row({
            at,
            checkId: 'runbook-linked',
            from: 'pass',
            to: 'fail',
            checkVersion: 1,
          }),
        ],
      };
      await renderWithEntity(<EntityScorecardCard />, api);
      expect(
        await screen.findByTestId('scorecard-level-change'),
      ).toHaveTextContent(
        `Last level change: L1 → L3 on ${api.scorecard.trend[89].date} 10:30 UTC (entity-changed: dependencies-match-observed, rollback-exercised)`,
      );
      expect(
        screen.getByTestId('scorecard-level-change'),
      ).not.toHaveTextContent(/team regression|runbook-linked|Last regression/);
    });

    it('names a change older than the trend that still sets the level (levelInEffect)', async () => {
      const api = new FakeScorecardsApi();
      api.scorecard = checkoutScorecard({ regressions: [] });
      api.history = {
        levels: [],
        transitions: [],
        levelInEffect: row({
          from: 'L3',
          to: 'L2',
          at: '2026-01-05T08:00:00.000Z',
          cause: 'standard-changed',
        }),
      };
      await renderWithEntity(<EntityScorecardCard />, api);
      expect(
        await screen.findByTestId('scorecard-level-change'),
      ).toHaveTextContent(
        /^Last level change: L3 → L2 on 2026-01-05 08:00 UTC \(standard-changed\)$/,
      );
    });

    it('shows no line when no level change is recorded', async () => {
      const api = new FakeScorecardsApi();
      api.scorecard = checkoutScorecard({ regressions: [] });
      await renderWithEntity(<EntityScorecardCard />, api);
      await screen.findByTestId('scorecard-level');
      await waitFor(() => expect(api.historyQueries).toHaveLength(1));
      expect(screen.queryByTestId('scorecard-level-change')).toBeNull();
    });
  });

  it('shows the backend error', async () => {
    const api = new FakeScorecardsApi();
    api.error = await ResponseError.fromResponse(
      new Response(
        JSON.stringify({
          error: {
            name: 'NotAllowedError',
            message: 'catalog.entity.read is not allowed',
          },
          request: {
            method: 'GET',
            url: '/api/scorecards/entities/component/default/checkout-service',
          },
          response: { statusCode: 403 },
        }),
        {
          status: 403,
          statusText: 'Forbidden',
          headers: { 'content-type': 'application/json' },
        },
      ),
    );
    await renderWithEntity(<EntityScorecardCard />, api);
    expect(
      (await screen.findAllByText(/catalog.entity.read is not allowed/)).length,
    ).toBeGreaterThan(0);
    expect(screen.queryByTestId('scorecard-level')).toBeNull();
    // Retry reads again: once the backend answers, the card shows the scorecard.
    api.error = undefined;
    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(await screen.findByTestId('scorecard-level')).toBeInTheDocument();
  });
});
