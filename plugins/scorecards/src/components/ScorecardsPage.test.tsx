import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { layOutScrollRegion } from '@internal/suite-react';
import userEvent from '@testing-library/user-event';
import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import {
  FakeScorecardsApi,
  campaign,
  checkSummary,
  ownerRows,
  responseError,
  waiver,
} from '../__testUtils__/fixtures';
import {
  EntityPresentationApi,
  defaultEntityPresentation,
  entityPresentationApiRef,
} from '@backstage/plugin-catalog-react';
import { scorecardsApiRef } from '../api';
import { ScorecardsPageContent } from './ScorecardsPage';

jest.setTimeout(30_000);

/**
 * The page with a fake API; `entityPresentation` names entities as the catalog plugin's API does
 * in the app (without it, row keys fall back to their short refs).
 */
function renderPage(
  api = new FakeScorecardsApi(),
  entityPresentation?: EntityPresentationApi,
) {
  return renderInTestApp(<ScorecardsPageContent />, {
    apis: [
      [scorecardsApiRef, api],
      mockApis.identity({ userEntityRef: 'user:default/plat-lead' }),
      ...(entityPresentation
        ? [[entityPresentationApiRef, entityPresentation] as const]
        : []),
    ],
  });
}

/** An entity presentation that knows the given titles and names every other ref by default. */
function presentingTitles(
  titles: Record<string, string>,
): EntityPresentationApi {
  return {
    forEntity: (entityOrRef, context) => {
      const ref = String(entityOrRef);
      const snapshot = titles[ref]
        ? { entityRef: ref, primaryTitle: titles[ref] }
        : defaultEntityPresentation(ref, context);
      return { snapshot, promise: Promise.resolve(snapshot) };
    },
  };
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
      'checkout-team',
      'payments-team',
      'fulfillment-team',
    ]);
    // the counts by level are a bar (no text) by default, as numbers on request (see below)
    expect(
      within(rows[1])
        .getAllByRole('cell')
        .map(c => c.textContent),
    ).toEqual(['2', '', '0', '1', '50 %', '1', '1', '1', '0', '0', '0', '0']);
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

  it('keeps the words of its cells whole, so a narrow page scrolls the table instead of breaking "Entities" into letters', async () => {
    await renderPage();
    const table = await screen.findByRole('table', {
      name: 'Scorecard rollups by owner',
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

  describe('at 1280 px', () => {
    const headersOf = (table: HTMLElement) =>
      within(table)
        .getAllByRole('columnheader')
        .map(h => h.textContent);

    it('shows the counts by level as numbers on request, after the bar, and exports them always', async () => {
      await renderPage();
      const table = await screen.findByRole('table', {
        name: 'Scorecard rollups by owner',
      });
      expect(headersOf(table)).toEqual([
        'Owner',
        'Entities',
        'Levels',
        'Not rated',
        'At or above expected',
        'Share at or above expected',
        'Below expected',
        'Failing (service-owned)',
        'Platform-blocked',
        'Unknown',
        'Waivers active',
        'Expiring ≤ 14 d',
        'Regressions 7 d',
      ]);
      expect(
        csvOf(screen.getByRole('link', { name: /Export CSV/ })).split('\n')[0],
      ).toBe(HEADER);

      const toggle = screen.getByRole('checkbox', {
        name: 'Show counts by level',
      });
      expect(toggle).toHaveAttribute('aria-controls', table.id);
      await userEvent.click(toggle);
      expect(headersOf(table).slice(1, 9)).toEqual([
        'Entities',
        'Levels',
        'L0',
        'L1',
        'L2',
        'L3',
        'None',
        'Not rated',
      ]);
      const payments = within(table).getAllByRole('row')[2];
      expect(
        within(payments)
          .getAllByRole('cell')
          .map(c => c.textContent),
      ).toEqual([
        '2',
        '',
        '0',
        '1',
        '0',
        '1',
        '0',
        '0',
        '1',
        '50 %',
        '1',
        '1',
        '1',
        '0',
        '0',
        '0',
        '0',
      ]);
    });

    describe('the counts by level as a stacked bar (§7.3), shown by default', () => {
      const barOf = (row: HTMLElement) =>
        within(row).getByRole('img', { name: /^L0 / });
      const segmentsOf = (bar: HTMLElement) =>
        Array.from(bar.querySelectorAll<HTMLElement>('[data-level]')).map(s => [
          s.dataset.level,
          s.style.width,
        ]);

      it('heads a Levels column after Entities whose bar names the counts and says them in a tooltip', async () => {
        await renderPage();
        const table = await screen.findByRole('table', {
          name: 'Scorecard rollups by owner',
        });
        expect(headersOf(table).slice(1, 4)).toEqual([
          'Entities',
          'Levels',
          'Not rated',
        ]);
        const rows = within(table).getAllByRole('row').slice(1);
        expect(rows.map(r => barOf(r).getAttribute('aria-label'))).toEqual([
          'L0 0, L1 2, L2 1, L3 0, none 0',
          'L0 0, L1 1, L2 0, L3 1, none 0',
          'L0 0, L1 0, L2 2, L3 0, none 1',
        ]);
        // the bar is the Levels column's cell
        const levels = headersOf(table).indexOf('Levels');
        expect(rows[0].querySelectorAll('th, td')[levels]).toContainElement(
          barOf(rows[0]),
        );

        await userEvent.hover(barOf(rows[0]));
        expect(await screen.findByRole('tooltip')).toHaveTextContent(
          'L0 0, L1 2, L2 1, L3 0, none 0',
        );
      });

      it('draws a segment per level with entities, lowest level first, as wide as its share of the rated entities', async () => {
        const api = new FakeScorecardsApi();
        api.rollups.owner = [
          {
            ...ownerRows[0],
            key: 'group:default/mixed',
            entities: 11,
            byLevel: { L0: 1, L1: 0, L2: 2, L3: 1, none: 4 },
            notRated: 3,
          },
        ];
        await renderPage(api);
        const table = await screen.findByRole('table', {
          name: 'Scorecard rollups by owner',
        });
        const bar = within(table).getByRole('img', {
          name: 'L0 1, L1 0, L2 2, L3 1, none 4, not rated 3',
        });
        // 8 rated: none 4/8, L0 1/8, L2 2/8, L3 1/8; no segment for L1's 0
        expect(segmentsOf(bar)).toEqual([
          ['none', '50%'],
          ['L0', '12.5%'],
          ['L2', '25%'],
          ['L3', '12.5%'],
        ]);
        // the levels are told apart by colour too (one step each), not by colour alone
        const colours = Array.from(
          bar.querySelectorAll<HTMLElement>('[data-level]'),
        ).map(s => getComputedStyle(s).backgroundColor);
        expect(colours.every(c => c !== '')).toBe(true);
        expect(new Set(colours).size).toBe(4);
      });

      it("has a key above the table naming each level in words beside its swatch, in the bar's order", async () => {
        const api = new FakeScorecardsApi();
        api.rollups.owner = [
          {
            ...ownerRows[0],
            key: 'group:default/mixed',
            byLevel: { L0: 1, L1: 1, L2: 1, L3: 1, none: 1 },
          },
        ];
        await renderPage(api);
        const table = await screen.findByRole('table', {
          name: 'Scorecard rollups by owner',
        });
        const key = screen.getByRole('list', { name: 'Levels bar key' });
        const items = within(key).getAllByRole('listitem');
        expect(items.map(i => i.textContent)).toEqual([
          'none (L0 not met)',
          'L0 Registered',
          'L1 Operable',
          'L2 Production-ready',
          'L3 Tier-1 ready',
        ]);
        expect(screen.getByTestId('rollup-level-legend')).toHaveTextContent(
          /share of rated entities from left to right.*not-rated entities are not in the bar/,
        );
        // each swatch is drawn as that level's segment is, and is hidden from screen readers
        const style = (e: Element) => {
          const c = getComputedStyle(e);
          return [c.backgroundColor, c.backgroundImage];
        };
        const bar = within(table).getByRole('img', { name: /^L0 1/ });
        for (const item of items) {
          const swatch = item.querySelector('[data-level]')!;
          expect(swatch).toHaveAttribute('aria-hidden', 'true');
          const level = swatch.getAttribute('data-level');
          expect(style(swatch)).toEqual(
            style(bar.querySelector(`[data-level="${level}"]`)!),
          );
        }
        // the key comes before the table it explains
        expect(
          key.compareDocumentPosition(table) & Node.DOCUMENT_POSITION_FOLLOWING,
        ).toBeTruthy();
      });

      it('rounds a share to two decimals', async () => {
        await renderPage();
        const key = await screen.findByRole('button', {
          name: 'checkout-team',
        });
        const row = key.closest('tr')!;
        expect(segmentsOf(barOf(row))).toEqual([
          ['L1', '66.67%'],
          ['L2', '33.33%'],
        ]);
      });

      it('shows "—" for a row without rated entities', async () => {
        const api = new FakeScorecardsApi();
        api.rollups.owner = [
          {
            ...ownerRows[0],
            key: 'group:default/only-deprecated',
            entities: 2,
            byLevel: { L0: 0, L1: 0, L2: 0, L3: 0, none: 0 },
            notRated: 2,
          },
        ];
        await renderPage(api);
        const table = await screen.findByRole('table', {
          name: 'Scorecard rollups by owner',
        });
        const levels = headersOf(table).indexOf('Levels');
        const cell = within(table)
          .getAllByRole('row')[1]
          .querySelectorAll('th, td')[levels];
        expect(cell.textContent).toBe('—');
        expect(
          within(cell as HTMLElement).getByRole('img', {
            name: 'no rated entities, not rated 2',
          }),
        ).toBeInTheDocument();
        expect(cell.querySelector('[data-level]')).toBeNull();
      });
    });

    it('names a row key by its short ref (a user owner with its kind, "(none)" as is), left-aligned, the full ref in its title and the CSV', async () => {
      const api = new FakeScorecardsApi();
      api.rollups.owner = [
        ownerRows[0],
        { ...ownerRows[1], key: 'user:default/dara.singh' },
        { ...ownerRows[2], key: '(none)' },
      ];
      await renderPage(api);
      const table = await screen.findByRole('table', {
        name: 'Scorecard rollups by owner',
      });
      const keys = within(table).getAllByRole('rowheader');
      expect(keys.map(k => k.textContent)).toEqual([
        'checkout-team',
        'user:dara.singh',
        '(none)',
      ]);
      const button = within(keys[0]).getByRole('button', {
        name: 'checkout-team',
      });
      expect(button).toHaveAttribute(
        'title',
        'Show the daily trend of group:default/checkout-team',
      );
      // a button centres its text by default
      expect(getComputedStyle(button).textAlign).toBe('left');
      expect(
        csvOf(screen.getByRole('link', { name: /Export CSV/ }))
          .split('\n')
          .slice(1, 4)
          .map(line => line.split(',')[0]),
      ).toEqual([
        'group:default/checkout-team',
        'user:default/dara.singh',
        '(none)',
      ]);
    });

    it("names a row key by the catalog's display name when the entity presentation knows it", async () => {
      const titles: Record<string, string> = {
        'group:default/checkout-team': 'Checkout Team',
      };
      await renderPage(new FakeScorecardsApi(), presentingTitles(titles));
      const table = await screen.findByRole('table', {
        name: 'Scorecard rollups by owner',
      });
      expect(
        within(table)
          .getAllByRole('rowheader')
          .map(k => k.textContent),
      ).toEqual(['Checkout Team', 'payments-team', 'fulfillment-team']);
      expect(
        within(table).getByRole('button', { name: 'Checkout Team' }),
      ).toHaveAttribute(
        'title',
        'Show the daily trend of group:default/checkout-team',
      );
    });

    it('pads its cells compactly', async () => {
      await renderPage();
      const table = await screen.findByRole('table', {
        name: 'Scorecard rollups by owner',
      });
      const cells = [
        ...within(table).getAllByRole('columnheader'),
        ...within(table).getAllByRole('rowheader'),
        ...within(table).getAllByRole('cell'),
      ];
      for (const cell of cells) {
        expect(cell.style.padding).toBe('6px 8px');
      }
    });

    it('shows that the table scrolls where it is wider than the page: a shadow over the side with more columns, gone at its end', async () => {
      await renderPage();
      const region = await screen.findByRole('region', {
        name: 'Scorecard rollups by owner, scrollable',
      });
      expect(region).toHaveStyle({ overflowX: 'auto' });
      // jsdom lays nothing out: the sizes are the browser's at a narrow window
      const scrollTo = (scrollLeft: number) => {
        layOutScrollRegion(region, {
          scrollWidth: 1100,
          clientWidth: 700,
          scrollLeft,
        });
        fireEvent.scroll(region);
      };
      scrollTo(0);
      expect(screen.getByTestId('scroll-shadow-right')).toBeInTheDocument();
      expect(screen.queryByTestId('scroll-shadow-left')).toBeNull();
      scrollTo(400);
      expect(screen.getByTestId('scroll-shadow-left')).toBeInTheDocument();
      expect(screen.queryByTestId('scroll-shadow-right')).toBeNull();
    });
  });

  it('asks to select "an owner" (not "a owner") or "a system" to see a daily trend', async () => {
    await renderPage();
    expect(
      await screen.findByText('Select an owner to see its daily trend.'),
    ).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'By system' }));
    expect(
      await screen.findByText('Select a system to see its daily trend.'),
    ).toBeInTheDocument();
  });

  it.each([
    [undefined, 'Expiring ≤ 14 d'],
    [30, 'Expiring ≤ 30 d'],
  ])(
    'heads the expiring-waiver count with the window the backend counted in (%s → %s)',
    async (window, heading) => {
      const api = new FakeScorecardsApi();
      api.rollupsExpiringWithinDays = window;
      await renderPage(api);
      const table = await screen.findByRole('table', {
        name: 'Scorecard rollups by owner',
      });
      const headers = within(table)
        .getAllByRole('columnheader')
        .map(h => h.textContent);
      const at = headers.indexOf(heading);
      expect(headers.slice(at - 1, at + 2)).toEqual([
        'Waivers active',
        heading,
        'Regressions 7 d',
      ]);
    },
  );

  it('shows the share of rated entities at or above expected beside the count (§7.3)', async () => {
    const api = new FakeScorecardsApi();
    api.rollups.owner = [
      { ...ownerRows[0], key: 'group:default/two-of-three' },
      {
        ...ownerRows[0],
        key: 'group:default/only-deprecated',
        entities: 2,
        byLevel: { L0: 0, L1: 0, L2: 0, L3: 0, none: 0 },
        notRated: 2,
        atOrAboveExpected: 0,
        belowExpected: 0,
      },
    ];
    await renderPage(api);
    const table = await screen.findByRole('table', {
      name: 'Scorecard rollups by owner',
    });
    const headers = within(table)
      .getAllByRole('columnheader')
      .map(h => h.textContent);
    const share = headers.indexOf('Share at or above expected');
    expect(headers[share - 1]).toBe('At or above expected');
    const shares = within(table)
      .getAllByRole('row')
      .slice(1)
      .map(r => r.querySelectorAll('th, td')[share].textContent);
    // 1 of 3 rated; a row without rated entities has no share (not 0 %).
    expect(shares).toEqual(['33 %', '—']);
  });

  it('filters by level and text, and the export follows the filters', async () => {
    await renderPage();
    const user = userEvent.setup();
    await screen.findByRole('table', { name: 'Scorecard rollups by owner' });
    await user.type(screen.getByLabelText('Filter by owner'), 'team');
    await user.click(screen.getByLabelText('Level'));
    await user.click(screen.getByRole('option', { name: 'Has L3' }));
    const rows = within(
      screen.getByRole('table', { name: 'Scorecard rollups by owner' }),
    )
      .getAllByRole('row')
      .slice(1);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toHaveTextContent('payments-team');
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

  it('filters by the title a row shows as well as by its ref', async () => {
    const titles: Record<string, string> = {
      'group:default/checkout-team': 'Storefront Checkout Squad',
    };
    await renderPage(new FakeScorecardsApi(), presentingTitles(titles));
    const user = userEvent.setup();
    const table = await screen.findByRole('table', {
      name: 'Scorecard rollups by owner',
    });
    const keys = () =>
      within(table)
        .getAllByRole('rowheader')
        .map(k => k.textContent);
    // "squad" is only in the title; "checkout-team" only in the ref.
    await user.type(screen.getByLabelText('Filter by owner'), 'Squad');
    expect(keys()).toEqual(['Storefront Checkout Squad']);
    // One row: the headline counts in the singular where a count is 1.
    expect(screen.getByTestId('rollup-headline').textContent).toMatch(
      /\(\d+ entit(y|ies) in 1 row shown\)$/,
    );
    await user.clear(screen.getByLabelText('Filter by owner'));
    await user.type(screen.getByLabelText('Filter by owner'), 'checkout-team');
    expect(keys()).toEqual(['Storefront Checkout Squad']);
    await user.clear(screen.getByLabelText('Filter by owner'));
    await user.type(screen.getByLabelText('Filter by owner'), 'payments');
    expect(keys()).toEqual(['payments-team']);
  });

  it('filters by the short ref a row shows where the app has no entity presentation (user:dara.singh)', async () => {
    const api = new FakeScorecardsApi();
    api.rollups.owner = [
      ownerRows[0],
      { ...ownerRows[1], key: 'user:default/dara.singh' },
    ];
    await renderPage(api);
    const user = userEvent.setup();
    const table = await screen.findByRole('table', {
      name: 'Scorecard rollups by owner',
    });
    await user.type(screen.getByLabelText('Filter by owner'), 'user:dara');
    expect(
      within(table)
        .getAllByRole('rowheader')
        .map(k => k.textContent),
    ).toEqual(['user:dara.singh']);
  });

  it('switches to rollups by system', async () => {
    const api = new FakeScorecardsApi();
    const read = jest.spyOn(api, 'getRollups');
    await renderPage(api);
    await screen.findByRole('table', { name: 'Scorecard rollups by owner' });
    await userEvent.click(screen.getByRole('button', { name: 'By system' }));
    const table = await screen.findByRole('table', {
      name: 'Scorecard rollups by system',
    });
    expect(within(table).getByRole('rowheader')).toHaveTextContent(
      /^checkout$/,
    );
    expect(screen.getByRole('link', { name: /Export CSV/ })).toHaveAttribute(
      'download',
      'scorecards-rollup-system.csv',
    );
    expect(
      api.calls.filter(c => c.method === 'getRollups').map(c => c.arg),
    ).toEqual(['owner', 'system']);
    // the page shows no per-check counts: it does not ask for them
    expect(read).toHaveBeenCalledWith(
      'system',
      expect.objectContaining({ checkCounts: false }),
    );
  });

  it('includes child groups on request (§2.11): overlapping rows are not added up', async () => {
    const api = new FakeScorecardsApi();
    api.rollupsWithChildGroups = [
      ...ownerRows,
      { ...ownerRows[0], key: 'group:default/commerce', entities: 8 },
    ];
    await renderPage(api);
    expect(await screen.findByTestId('rollup-headline')).toHaveTextContent(
      'entities in 3 rows shown',
    );
    await userEvent.click(
      screen.getByRole('checkbox', { name: 'Include child groups' }),
    );
    const table = await screen.findByRole('table', {
      name: 'Scorecard rollups by owner',
    });
    await waitFor(() => expect(table).toHaveTextContent('commerce'));
    expect(screen.getByTestId('rollup-headline')).toHaveTextContent(
      "4 groups shown; each row includes its child groups' entities, so rows overlap and are not added up.",
    );
    // the option is the owner grouping's: by system it is neither shown nor sent
    await userEvent.click(screen.getByRole('button', { name: 'By system' }));
    await screen.findByRole('table', { name: 'Scorecard rollups by system' });
    expect(
      screen.queryByRole('checkbox', { name: 'Include child groups' }),
    ).toBeNull();
    expect(
      api.calls.filter(c => c.method === 'getRollups').map(c => c.arg),
    ).toEqual(['owner', 'owner+children', 'system']);
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

  describe('daily trend of a row', () => {
    const day = (offset: number) =>
      new Date(Date.now() + offset * 86400000).toISOString().slice(0, 10);
    const point = (offset: number, atOrAbove: number, below: number) => ({
      date: day(offset),
      row: {
        ...ownerRows[0],
        atOrAboveExpected: atOrAbove,
        belowExpected: below,
      },
    });

    it('loads the last 90 days of the selected row and describes them in text', async () => {
      const api = new FakeScorecardsApi();
      api.rollupHistory['group:default/checkout-team'] = [
        point(-30, 1, 3),
        point(-20, 0, 4),
        point(-1, 3, 1),
      ];
      await renderPage(api);
      const button = await screen.findByRole('button', {
        name: 'checkout-team',
      });
      expect(button).toHaveAttribute('aria-pressed', 'false');
      await userEvent.click(button);
      const text =
        `At or above expected level from 25 % (1 of 4) on ${day(-30)}, ` +
        `to 75 % (3 of 4) on ${day(-1)}, lowest 0 % (0 of 4) on ${day(
          -20,
        )} (3 daily snapshots)`;
      expect(
        await screen.findByTestId('rollup-trend-summary'),
      ).toHaveTextContent(text);
      expect(screen.getByRole('img', { name: text })).toBeInTheDocument();
      expect(
        screen.getByRole('region', {
          name: 'Trend of checkout-team (90 days)',
        }),
      ).toBeInTheDocument();
      // The heading names the row as the table does; the full ref is on hover.
      expect(
        within(
          screen.getByRole('heading', {
            name: 'Trend of checkout-team (90 days)',
          }),
        ).getByTitle('group:default/checkout-team'),
      ).toHaveTextContent('checkout-team');
      expect(button).toHaveAttribute('aria-pressed', 'true');
      expect(
        api.calls.filter(c => c.method === 'getRollupHistory').map(c => c.arg),
      ).toEqual([`owner group:default/checkout-team ${day(-89)}..${day(0)}`]);

      // Another grouping hides it.
      await userEvent.click(screen.getByRole('button', { name: 'By system' }));
      await screen.findByRole('table', { name: 'Scorecard rollups by system' });
      expect(screen.queryByTestId('rollup-trend-summary')).toBeNull();
    });

    it('draws a rated day between days without rated entities, and a lone first day', async () => {
      const api = new FakeScorecardsApi();
      api.rollupHistory['group:default/checkout-team'] = [
        point(-40, 1, 1),
        point(-30, 0, 0),
        point(-20, 1, 3),
        point(-10, 0, 0),
        point(-5, 2, 2),
        point(-1, 3, 1),
      ];
      await renderPage(api);
      await userEvent.click(
        await screen.findByRole('button', { name: 'checkout-team' }),
      );
      const path = (await screen.findByTestId('rollup-trend-sparkline'))
        .querySelector('path[d^="M"]')!
        .getAttribute('d')!;
      // Three runs of rated days: each starts with a move and draws something after it.
      const runs = path.split('M').slice(1);
      expect(runs).toHaveLength(3);
      expect(runs[0]).toMatch(/^[\d.]+,[\d.]+H[\d.]+$/);
      expect(runs[1]).toMatch(/^[\d.]+,[\d.]+H[\d.]+$/);
      expect(runs[2]).toMatch(/^[\d.]+,[\d.]+L[\d.]+,[\d.]+$/);
    });

    it('says the trend of a row is not narrowed by the entity filters (snapshots are per row)', async () => {
      const api = new FakeScorecardsApi();
      api.rollupHistory['group:default/checkout-team'] = [point(-1, 2, 2)];
      await renderPage(api);
      await userEvent.click(
        await screen.findByRole('button', {
          name: 'checkout-team',
        }),
      );
      await screen.findByTestId('rollup-trend-summary');
      expect(screen.queryByTestId('rollup-trend-scope')).toBeNull();
      await userEvent.click(screen.getByRole('button', { name: /Tier/ }));
      await userEvent.click(
        await screen.findByRole('option', { name: 'Tier 1' }),
      );
      expect(await screen.findByTestId('rollup-trend-scope')).toHaveTextContent(
        "The trend counts all of checkout-team's entities",
      );
    });

    it('says when a row has no snapshots yet', async () => {
      await renderPage();
      await userEvent.click(
        await screen.findByRole('button', {
          name: 'payments-team',
        }),
      );
      expect(
        await screen.findByText(/No daily snapshots of/),
      ).toHaveTextContent(/^No daily snapshots of payments-team yet\./);
    });

    it('shows a failing history call inside the trend only, and retries', async () => {
      const api = new FakeScorecardsApi();
      api.rollupHistoryError = new Error(
        'catalog.entity.read is not allowed on group:default/checkout-team',
      );
      await renderPage(api);
      await userEvent.click(
        await screen.findByRole('button', {
          name: 'checkout-team',
        }),
      );
      const alert = await screen.findByRole('alert');
      expect(alert).toHaveTextContent(
        'Could not load the trend of checkout-team: catalog.entity.read is not allowed',
      );
      // The rollup table stays.
      expect(
        screen.getByRole('table', { name: 'Scorecard rollups by owner' }),
      ).toBeInTheDocument();
      api.rollupHistoryError = undefined;
      api.rollupHistory['group:default/checkout-team'] = [point(-1, 2, 2)];
      await userEvent.click(
        screen.getByRole('button', { name: 'Retry trend' }),
      );
      expect(
        await screen.findByTestId('rollup-trend-summary'),
      ).toHaveTextContent(
        `At or above expected level from 50 % (2 of 4) on ${day(
          -1,
        )} (1 daily snapshot)`,
      );
    });
  });

  describe('pending waivers', () => {
    const pendingOn = (id: string, entity: string, checkId: string) =>
      waiver({
        id,
        entityRef: entity,
        checkId,
        status: 'pending',
        approvedBy: undefined,
      });

    it('lists pending waivers of every entity with the check’s class and severity', async () => {
      const api = new FakeScorecardsApi();
      api.waivers = [
        pendingOn(
          'w1',
          'component:default/checkout-service',
          'branch-protection',
        ),
        waiver({ id: 'w2' }),
      ];
      api.checks = [
        checkSummary('branch-protection', {
          title: 'Default branch protected',
          class: 'required',
          level: 'L2',
          severity: 'high',
        }),
      ];
      await renderPage(api);
      const section = await screen.findByRole('region', {
        name: /Pending waivers/,
      });
      const table = await within(section).findByRole('table', {
        name: 'Pending waivers',
      });
      expect(api.calls).toContainEqual({
        method: 'listWaivers',
        arg: JSON.stringify({ status: 'pending', limit: 50 }),
      });
      const rows = within(table).getAllByRole('row').slice(1);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toHaveTextContent('component:default/checkout-service');
      await waitFor(() =>
        expect(rows[0]).toHaveTextContent(
          'branch-protection · required · L2 · severity high',
        ),
      );
      expect(section).toHaveTextContent('Pending waivers (1)');
    });

    it('approves from the queue; a 403 names the permission and keeps the server message', async () => {
      const api = new FakeScorecardsApi();
      api.waivers = [
        pendingOn(
          'w1',
          'component:default/checkout-service',
          'branch-protection',
        ),
        pendingOn('w2', 'component:default/payment-service', 'slo-burn-alert'),
      ];
      await renderPage(api);
      const table = await screen.findByRole('table', {
        name: 'Pending waivers',
      });
      const user = userEvent.setup();

      api.waiverError = await responseError(
        403,
        'scorecards.waiver.approve is not allowed on check slo-burn-alert',
      );
      await user.click(
        within(table).getByRole('button', {
          name: 'Approve waiver on slo-burn-alert',
        }),
      );
      const alert = await screen.findByRole('alert');
      expect(alert).toHaveTextContent(
        'You are not allowed to approve the waiver on slo-burn-alert (permission scorecards.waiver.approve)',
      );
      expect(alert).toHaveTextContent(
        'scorecards.waiver.approve is not allowed on check slo-burn-alert',
      );

      await user.click(
        within(table).getByRole('button', {
          name: 'Approve waiver on branch-protection',
        }),
      );
      // Approved waivers leave the queue after the refresh.
      await waitFor(() =>
        expect(within(table).queryByTestId('waiver-w1')).toBeNull(),
      );
      expect(screen.getByRole('status')).toHaveTextContent(
        'Waiver on branch-protection (component:default/checkout-service) approved.',
      );
      expect(api.waiverCalls.map(c => `${c.method} ${c.id}`)).toEqual([
        'approveWaiver w2',
        'approveWaiver w1',
      ]);
    });
  });

  it('asks the backend for the entities a filter selects (§7.3: kind, tier, lifecycle, check, campaign)', async () => {
    const api = new FakeScorecardsApi();
    api.checks = [checkSummary('slo-defined'), checkSummary('owner-valid')];
    api.campaigns = [campaign({ id: 'q3-l2', title: 'Q3: tier 1 to L2' })];
    const pick = async (label: string, option: string) => {
      await userEvent.click(
        screen.getByRole('button', { name: new RegExp(label) }),
      );
      await userEvent.click(
        await screen.findByRole('option', { name: option }),
      );
    };
    await renderPage(api);
    await screen.findByRole('table', { name: 'Scorecard rollups by owner' });
    await pick('Tier', 'Tier 1');
    await pick('Check', 'slo-defined');
    await pick('Campaign', 'Q3: tier 1 to L2');
    await waitFor(() =>
      expect(api.rollupFilters.at(-1)).toEqual({
        tier: '1',
        check: 'slo-defined',
        campaign: 'q3-l2',
      }),
    );
    // back to any: the filter is dropped, not sent empty
    await pick('Tier', 'Any tier');
    await waitFor(() =>
      expect(api.rollupFilters.at(-1)).toEqual({
        check: 'slo-defined',
        campaign: 'q3-l2',
      }),
    );
  });

  it('says so when no entity matches the filters', async () => {
    const api = new FakeScorecardsApi();
    api.filteredRollups = [];
    await renderPage(api);
    await screen.findByRole('table', { name: 'Scorecard rollups by owner' });
    await userEvent.click(screen.getByRole('button', { name: /Kind/ }));
    await userEvent.click(
      await screen.findByRole('option', { name: 'Resource' }),
    );
    expect(
      await screen.findByText('No entities match these filters'),
    ).toBeInTheDocument();
    expect(api.rollupFilters.at(-1)).toEqual({ kind: 'Resource' });
  });
});
