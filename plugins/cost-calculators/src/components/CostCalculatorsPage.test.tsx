import {
  act,
  fireEvent,
  screen,
  waitFor,
  within,
} from '@testing-library/react';
import { layOutScrollRegion } from '@internal/suite-react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import {
  budgetedOrdersDb,
  calculatorsApi,
  captureClipboard,
  dependentComponent,
  ordersDb,
} from '../__testUtils__/testContext';
import { CALCULATORS } from '@internal/plugin-cost-calculators-common';
import { CostCalculatorsContent } from './CostCalculatorsPage';
import { useAppLocation } from '@backstage/frontend-plugin-api';

jest.setTimeout(30_000);

const ACME_OVERRIDE = {
  costCalculators: {
    priceBook: {
      overrideLabel: 'acme-ea',
      overrides: [
        {
          id: 'gcp.bigquery.on-demand-analysis',
          price: '5.00',
          effectiveDate: '2026-11-01',
          verifiedOn: '2026-11-01',
          source: 'ACME enterprise agreement, schedule B',
        },
      ],
    },
  },
};

/** A string as a literal in a RegExp. */
function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function renderPage(
  url: string,
  config: Record<string, unknown> = {},
  catalogApi = catalogApiMock({ entities: [ordersDb] }),
) {
  return renderInTestApp(<CostCalculatorsContent />, {
    mountPath: '/cost-calculators/*',
    initialRouteEntries: [url],
    apis: [
      calculatorsApi({
        app: { baseUrl: 'https://portal.example.com' },
        ...config,
      }),
      catalogApi,
    ],
  });
}

/** The page at `url` with the address bar's query shown in `data-testid="search"`. */
function renderPageShowingAddress(url: string) {
  function Search() {
    return <div data-testid="search">{useAppLocation().search}</div>;
  }
  return renderInTestApp(
    <>
      <CostCalculatorsContent />
      <Search />
    </>,
    {
      mountPath: '/cost-calculators/*',
      initialRouteEntries: [url],
      apis: [
        calculatorsApi({ app: { baseUrl: 'https://portal.example.com' } }),
        catalogApiMock({ entities: [ordersDb] }),
      ],
    },
  );
}

/** orders-db and its two dependents, each declaring its pool (no rollout surge). */
const budgetCatalog = () =>
  catalogApiMock({
    entities: [
      budgetedOrdersDb,
      dependentComponent('order-service', {
        'ops.example.com/db-pool-size': '25',
        'ops.example.com/max-instances': '8',
      }),
      dependentComponent('report-job', {
        'ops.example.com/db-pool-size': '10',
        'ops.example.com/max-instances': '5',
      }),
    ],
  });

const ORDERS_DB_BUDGET =
  '/cost-calculators/connection-budget?entity=resource%3Adefault%2Forders-db';

function outputValue(label: string): string | null | undefined {
  const table = screen.getByRole('table', { name: 'Results' });
  return within(table)
    .getAllByRole('row')
    .find(r => r.querySelector('th')?.textContent === label)
    ?.querySelector('td')?.textContent;
}

describe('CostCalculatorsPage', () => {
  it('lists all fifteen calculators with a link to each', async () => {
    await renderPage('/cost-calculators');
    const table = await screen.findByRole('table', {
      name: 'Cost calculators',
    });
    const links = within(table).getAllByRole('link');
    expect(links).toHaveLength(15);
    expect(
      within(table).getByRole('link', {
        name: 'Commit now vs right-size first',
      }),
    ).toHaveAttribute('href', '/cost-calculators/ri-vs-rightsize');
  });

  it('lists the calculators under a heading, by title, in a keyboard-reachable scroll region', async () => {
    await renderPage('/cost-calculators');
    expect(
      await screen.findByRole('heading', {
        level: 1,
        name: 'Cost calculators',
      }),
    ).toBeInTheDocument();
    const region = screen.getByRole('region', {
      name: 'Cost calculators, scrollable',
    });
    // Reachable by keyboard, so a narrow screen can scroll the table sideways.
    expect(region).toHaveAttribute('tabIndex', '0');
    const table = within(region).getByRole('table', {
      name: 'Cost calculators',
    });
    const row = within(table)
      .getAllByRole('row')
      .find(r => within(r).queryByRole('link'))!;
    // The title names the link; the id is secondary text outside it; the card by its title.
    expect(within(row).getByRole('link')).toHaveTextContent(/^P95 right-size$/);
    expect(within(row).getByText('rightsize-p95')).toBeInTheDocument();
    expect(within(row).getByText('Commitment')).toBeInTheDocument();
    expect(within(row).queryByText('commitment')).toBeNull();
    // Whole words: the theme's break-inside-words rule would split them letter by letter.
    for (const cell of [
      ...within(table).getAllByRole('columnheader'),
      ...within(row).getAllByRole('cell'),
    ]) {
      expect(cell).toHaveStyle({ wordBreak: 'normal' });
    }
    expect(
      within(table).getByRole('columnheader', { name: 'Question' }),
    ).toHaveStyle({ minWidth: '18rem' });
  });

  describe('article sources, which name articles by number (§1, §5)', () => {
    const RI_MATH =
      '00 The Math Behind Database Reserved Instances: When to Wait';

    it('heads them "Sources" in the list and gives every cited number its title in a key', async () => {
      await renderPage('/cost-calculators');
      const table = await screen.findByRole('table', {
        name: 'Cost calculators',
      });
      expect(
        within(table)
          .getAllByRole('columnheader')
          .map(h => h.textContent),
      ).toEqual(['Calculator', 'Question', 'Sources', 'Entity card']);
      const row = within(table)
        .getByRole('link', { name: 'P95 right-size' })
        .closest('tr')!;
      const cited = within(row).getByTestId('article-sources');
      expect(cited).toHaveTextContent(/^articles 00, 02, 51, 60$/);
      // the key below says the titles in text; the cells are not tab stops of their own
      expect(cited).not.toHaveAttribute('tabIndex');
      const user = userEvent.setup();
      await user.hover(cited);
      expect(await screen.findByRole('tooltip')).toHaveTextContent(RI_MATH);

      await user.click(
        screen.getByRole('button', {
          name: 'Source articles: what the numbers stand for',
        }),
      );
      const key = screen.getByRole('list', { name: 'Source articles' });
      const lines = within(key)
        .getAllByRole('listitem')
        .map(i => i.textContent);
      expect(lines[0]).toBe(RI_MATH);
      // every number a calculator cites is in the key, with a title after it
      const cites = new Set(Object.values(CALCULATORS).flatMap(c => c.sources));
      expect(lines.map(l => l!.slice(0, 2))).toEqual([...cites].sort());
      expect(lines.every(l => /^\d\d \S/.test(l!))).toBe(true);
    });

    it("says they are sources under a calculator's question and with each rule, their titles in a tooltip", async () => {
      await renderPage(
        '/cost-calculators/connection-budget?maxConnections=500&clients=web:50:5:0',
      );
      await screen.findByRole('region', { name: 'Result' });
      const [question] = screen.getAllByTestId('article-sources');
      expect(question.parentElement).toHaveTextContent(
        /\(sources: articles 55, 67, 59, 51, 68\)$/,
      );
      // keyboard users reach the titles: the numbers take focus and show them
      expect(question).toHaveAttribute('tabIndex', '0');
      const user = userEvent.setup();
      // a keyboard reaches the numbers: they come next after "All calculators"
      act(() => screen.getByRole('link', { name: 'All calculators' }).focus());
      await user.tab();
      expect(question).toHaveFocus();
      // (MUI opens a tooltip on keyboard focus as on hover; jsdom cannot tell keyboard focus apart)
      await user.hover(question);
      expect(await screen.findByRole('tooltip')).toHaveTextContent(
        /Source articles:.*55 GCP Reference Architecture: Cloud Run/,
      );
      expect(question).toHaveAttribute(
        'aria-describedby',
        screen.getByRole('tooltip').id,
      );
      await user.unhover(question);

      await user.click(
        screen.getByRole('button', { name: 'Why: rules and caveats' }),
      );
      const rules = screen.getByRole('list', { name: 'Rules' });
      expect(
        within(rules)
          .getAllByRole('listitem')
          .map(r => r.textContent),
      ).toContain('R-CONN-FITS: fired (from article 55)');
    });
  });

  it('shadows the side of the list scrolled out of view, where a phone cuts the Question column', async () => {
    await renderPage('/cost-calculators');
    const region = await screen.findByRole('region', {
      name: 'Cost calculators, scrollable',
    });
    // jsdom lays nothing out: the sizes a 390 px page gives the table
    layOutScrollRegion(region, {
      scrollWidth: 704,
      clientWidth: 358,
      scrollLeft: 0,
    });
    fireEvent.scroll(region);
    expect(screen.getByTestId('scroll-shadow-right')).toBeInTheDocument();
    expect(screen.queryByTestId('scroll-shadow-left')).toBeNull();
  });

  it('gives one calculator a heading structure: the page h1, the calculator h2, its sections h3', async () => {
    await renderPage(
      '/cost-calculators/connection-budget?maxConnections=500&clients=web:50:5:0',
    );
    await screen.findByRole('region', { name: 'Result' });
    // Collapsed sections ("Caveats" under "Why") are headings too: hidden ones included.
    const headings = screen
      .getAllByRole('heading', { hidden: true })
      .map(h => [h.tagName, h.textContent]);
    expect(headings).toEqual([
      ['H1', 'Cost calculators'],
      ['H2', 'Connection budget'],
      ['H3', 'Clients'],
      ['H3', 'Caveats'],
    ]);
  });

  it('holds back "required" until a field is touched or a result is asked for, and names fields by label', async () => {
    await renderPage('/cost-calculators/rightsize-p95');
    const user = userEvent.setup();
    const current = await screen.findByLabelText(/^Current on-demand cost/);
    // Nothing typed yet: no error under any field, no alert, the result area says what is missing.
    expect(screen.queryByText(/is required|^Required\.$/)).toBeNull();
    expect(screen.queryByRole('alert')).toBeNull();
    expect(current).toHaveAttribute('aria-invalid', 'false');
    expect(screen.getByTestId('result-pending')).toHaveTextContent(
      'To see a result, enter Current on-demand cost, P95 CPU utilisation and P95 memory utilisation.',
    );

    // Leaving a field (blur) shows its own error, by label, and only its own.
    await user.click(current);
    await user.tab();
    expect(current).toHaveAttribute('aria-invalid', 'true');
    expect(current).toHaveAccessibleDescription('Required.');
    expect(screen.getByLabelText(/^P95 CPU utilisation/)).toHaveAttribute(
      'aria-invalid',
      'false',
    );
    expect(screen.getByRole('alert')).toHaveTextContent(
      /^Current on-demand cost is required\.$/,
    );

    // Asking for a result shows every error.
    await user.click(screen.getByRole('button', { name: 'Compute' }));
    for (const label of [/^P95 CPU utilisation/, /^P95 memory utilisation/]) {
      expect(screen.getByLabelText(label)).toHaveAccessibleDescription(
        'Required.',
      );
    }
    expect(screen.queryByText(/currentMonthly|p95CpuPercent/)).toBeNull();

    // Typing the values clears the errors and the note, and computes.
    await user.type(current, '10000');
    await user.type(screen.getByLabelText(/^P95 CPU utilisation/), '20');
    await user.type(screen.getByLabelText(/^P95 memory utilisation/), '30');
    await user.type(screen.getByLabelText(/^Load profile length/), '90');
    expect(screen.queryByTestId('result-pending')).toBeNull();
    expect(screen.queryByRole('alert')).toBeNull();
    expect(screen.getByTestId('recommendation')).toHaveTextContent(
      'Scale down 1 step',
    );
  });

  it('keeps a long label on one line, cut with an ellipsis, its full text the tooltip and the name', async () => {
    await renderPage('/cost-calculators/connection-budget');
    const full =
      'Operational reserve (migrations, consoles, maintenance, emergency)';
    const input = await screen.findByLabelText(new RegExp(`^${escape(full)}`));
    const label = document.querySelector(`label[for="${input.id}"]`)!;
    expect(label).toHaveAttribute('title', full);
    expect(label).toHaveStyle({
      whiteSpace: 'nowrap',
      overflow: 'hidden',
      textOverflow: 'ellipsis',
    });
  });

  it.each([
    ['/cost-calculators/rightsize'],
    ['/cost-calculators/rightsize-p95x/'],
  ])(
    'names an unknown calculator id (%s) and links the list to the real ones',
    async url => {
      await renderPage(url);
      expect(
        await screen.findByText(
          /^There is no calculator “rightsize(-p95x)?”\. Pick one of the calculators below\.$/,
        ),
      ).toBeInTheDocument();
      const table = screen.getByRole('table', { name: 'Cost calculators' });
      expect(
        within(table).getByRole('link', { name: 'P95 right-size' }),
      ).toHaveAttribute('href', '/cost-calculators/rightsize-p95');
    },
  );

  it('says nothing of an unknown calculator on the list itself', async () => {
    await renderPage('/cost-calculators');
    await screen.findByRole('table', { name: 'Cost calculators' });
    expect(screen.queryByText(/There is no calculator/)).toBeNull();
  });

  it('uses neither value of a link parameter given twice with different values, and says so', async () => {
    await renderPage(
      '/cost-calculators/rightsize-p95?currentMonthly=100&currentMonthly=10000&p95CpuPercent=18&p95MemoryPercent=22',
    );
    expect(
      await screen.findByText(
        'The link gives different values for currentMonthly; none of them was used.',
      ),
    ).toBeInTheDocument();
    expect(screen.getByLabelText(/^Current on-demand cost/)).toHaveValue('');
    expect(screen.getByLabelText(/^P95 CPU utilisation/)).toHaveValue('18');
    expect(screen.queryByTestId('recommendation')).toBeNull();
  });

  it('shows the message and no result for a negative input from a link', async () => {
    await renderPage('/cost-calculators/rightsize-p95?currentMonthly=-5');
    // A value from the link is the user's to fix: its message shows at once, by label.
    expect(
      (
        await screen.findAllByText(
          'Current on-demand cost must not be negative (got -5).',
        )
      ).length,
    ).toBeGreaterThan(0);
    expect(
      screen.queryByText('currentMonthly must not be negative (got -5).'),
    ).toBeNull();
    expect(screen.getByTestId('result-pending')).toHaveTextContent(
      'To see a result, enter P95 CPU utilisation and P95 memory utilisation, and correct Current on-demand cost.',
    );
    expect(screen.getByLabelText(/^Current on-demand cost/)).toHaveValue('-5');
    expect(screen.queryByRole('region', { name: 'Result' })).toBeNull();
    expect(
      screen.queryByRole('region', { name: 'Last valid result (outdated)' }),
    ).toBeNull();
    expect(screen.queryByTestId('recommendation')).toBeNull();
  });

  it('uses the bundled price and version without overrides (T21, T56)', async () => {
    await renderPage('/cost-calculators/bigquery-query-guard?tableTiB=80');
    await screen.findByRole('region', { name: 'Result' });
    expect(outputValue('Query cost')).toBe('$500.00');
    expect(
      screen.getByLabelText(
        'Prices 2026.11.0 · oldest verified 2026-03-18 (250 d) (stale)',
      ),
    ).toBeInTheDocument();
  });

  it('applies a price override from app-config to the result and the version shown (T57)', async () => {
    await renderPage(
      '/cost-calculators/bigquery-query-guard?tableTiB=80',
      ACME_OVERRIDE,
    );
    await screen.findByRole('region', { name: 'Result' });
    expect(outputValue('Query cost')).toBe('$400.00');
    expect(
      screen.getByText(
        'Prices 2026.11.0+acme-ea · oldest verified 2026-11-01 (22 d)',
      ),
    ).toBeInTheDocument();
    // A link computed with the bundled book says it was recomputed with the overridden one.
    expect(screen.queryByText(/^Link computed with/)).toBeNull();
  });

  it('shares the bundled version while an override is not yet effective, and opens such a link without a mismatch', async () => {
    const later = {
      costCalculators: {
        priceBook: {
          ...ACME_OVERRIDE.costCalculators.priceBook,
          overrides: [
            {
              ...ACME_OVERRIDE.costCalculators.priceBook.overrides[0],
              effectiveDate: '2027-01-01',
            },
          ],
        },
      },
    };
    const first = await renderPage(
      '/cost-calculators/bigquery-query-guard?tableTiB=80',
      later,
    );
    await screen.findByRole('region', { name: 'Result' });
    // The bundled price is read on 2026-11-23, so the link must not claim the agreed one.
    expect(outputValue('Query cost')).toBe('$500.00');
    const user = userEvent.setup();
    const clipboard = captureClipboard();
    await user.click(screen.getByRole('button', { name: 'Copy link' }));
    await waitFor(() => expect(clipboard.texts).toHaveLength(1));
    const link = new URL(clipboard.texts[0]);
    expect(link.searchParams.get('pb')).toBe('2026.11.0');
    first.unmount();

    await renderPage(`${link.pathname}${link.search}`, later);
    await screen.findByRole('region', { name: 'Result' });
    expect(screen.queryByText(/^Link computed with/)).toBeNull();
  });

  it.each([
    // [costCalculators.annotationMaxAgeDays, chip of the 69-day-old monthly-spend, notice shown]
    [30, ' (stale)', false],
    [0, '', true],
    [-5, '', true],
    [1.5, '', true],
    [99999, '', true],
  ])(
    'annotationMaxAgeDays %s: the 69-day-old spend chip ends with "%s", notice %s',
    async (maxAge, stale, notice) => {
      await renderPage(
        '/cost-calculators/rightsize-p95?entity=resource%3Adefault%2Forders-db',
        { costCalculators: { annotationMaxAgeDays: maxAge } },
      );
      expect(
        await screen.findByLabelText(
          `Source of Current on-demand cost: annotation ops.example.com/monthly-spend · 69 d old${stale}`,
        ),
      ).toBeInTheDocument();
      expect(
        screen.queryAllByText(
          `costCalculators.annotationMaxAgeDays must be a whole number of days from 1 to 3650 (got ${maxAge}); the default of 90 days is used.`,
        ),
      ).toHaveLength(notice ? 1 : 0);
    },
  );

  it('names an invalid override by config path and keeps the bundled prices (T58)', async () => {
    await renderPage('/cost-calculators/bigquery-query-guard?tableTiB=80', {
      costCalculators: {
        priceBook: {
          overrideLabel: 'acme-ea',
          overrides: [{ id: 'gcp.bigquery.on-demand-analysis', price: '5,00' }],
        },
      },
    });
    await screen.findByRole('region', { name: 'Result' });
    expect(outputValue('Query cost')).toBe('$500.00');
    expect(
      screen.getAllByText(
        /costCalculators\.priceBook\.overrides\[0\]\.price must be a decimal string like "5\.00" \(got "5,00"\)\./,
      ).length,
    ).toBeGreaterThan(0);
  });

  it.each([
    // [asOf, chip label]: prices verified after asOf have no age (a negative one would read as fresh).
    [
      '2026-11-23',
      'Prices 2026.11.0 · oldest verified 2026-03-18 (250 d) (stale)',
    ],
    [
      '2026-01-01',
      'Prices 2026.11.0 · oldest verified 2026-03-18 (age unknown)',
    ],
  ])('computed for %s, the price-book chip reads %s', async (asOf, label) => {
    await renderPage(
      `/cost-calculators/bigquery-query-guard?tableTiB=80&asOf=${asOf}`,
    );
    await screen.findByRole('region', { name: 'Result' });
    expect(screen.getByLabelText(label)).toBeInTheDocument();
    expect(screen.queryByText(/\(-\d+ d\)/)).toBeNull();
  });

  it.each([
    // [client rows in the link, message shown under the clients (none = valid)]
    [50, undefined],
    [51, 'Clients must be between 0 and 50 rows (got 51).'],
  ])(
    'with %s client rows, the clients list shows %s',
    async (rows, message) => {
      const clients = Array.from(
        { length: rows },
        (_, i) => `c${i}:1:1:0`,
      ).join(',');
      await renderPage(
        `/cost-calculators/connection-budget?maxConnections=100000&clients=${clients}`,
      );
      const group = await screen.findByRole('group', { name: 'Clients' });
      expect(group).toHaveAccessibleDescription(message ?? '');
      // Visible with the list it is about, not only in the screen-reader summary.
      expect(
        within(group).queryAllByText(message ?? /rows \(got/),
      ).toHaveLength(message ? 1 : 0);
      expect(screen.queryByText(/clients: clients/)).toBeNull();
    },
  );

  it.each([
    // [link, select label, error it must be linked to (none = valid), ask for a result first]
    ['/cost-calculators/db-licensing', /^Engine edition/, undefined, false],
    ['/cost-calculators/db-licensing', /^Engine edition/, 'Required.', true],
    ['/cost-calculators/db-licensing', /^Hyper-threading/, undefined, true],
    [
      '/cost-calculators/db-licensing?engineEdition=oracle-xe',
      /^Engine edition/,
      'Engine edition must be one of oracle-ee, oracle-se2, sqlserver-enterprise, sqlserver-standard (got oracle-xe).',
      false,
    ],
  ])(
    '%s: the %s select is linked to its error %s',
    async (url, label, error, compute) => {
      await renderPage(url);
      const select = await screen.findByRole('button', { name: label });
      if (compute)
        await userEvent
          .setup()
          .click(screen.getByRole('button', { name: 'Compute' }));
      expect(select).toHaveAttribute('aria-invalid', error ? 'true' : 'false');
      expect(select).toHaveAccessibleDescription(error ?? '');
    },
  );

  it('shows a rejected choice from a link in its box, not a blank one', async () => {
    await renderPage('/cost-calculators/db-licensing?engineEdition=oracle-xe');
    const select = await screen.findByRole('button', {
      name: /^Engine edition/,
    });
    expect(select).toHaveTextContent('oracle-xe (not an option)');
    // listed, but not choosable again
    await userEvent.setup().click(select);
    expect(
      screen.getByRole('option', { name: 'oracle-xe (not an option)' }),
    ).toHaveAttribute('aria-disabled', 'true');
  });

  it.each([
    // [link's offer, what the select shows, the message under it]
    [
      'azure.sqldb.vcore-bc',
      'Azure SQL Database, Business Critical (vCore) (azure.sqldb.vcore-bc)',
      'The price book has no prices for this offer: enter them below.',
    ],
    [
      'azure.sqldb.premium',
      'azure.sqldb.premium (not an option)',
      /^Offer must be one of aws\.rds\.oracle, .* \(got azure\.sqldb\.premium\)\.$/,
    ],
  ])(
    "keeps a link's offer id %s in the offer select",
    async (offerId, shown, description) => {
      await renderPage(
        `/cost-calculators/db-licensing?offerId=${offerId}&engineEdition=sqlserver-enterprise&vcpus=4`,
      );
      const select = await screen.findByRole('button', { name: /^Offer/ });
      expect(select).toHaveTextContent(shown);
      expect(select).toHaveAccessibleDescription(description);
    },
  );

  it('does not flag the empty cells of a client row just added until they are touched', async () => {
    await renderPage('/cost-calculators/connection-budget?maxConnections=500');
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Add client' }));
    const pool = screen.getByLabelText('Pool size (row 1)');
    expect(pool).toHaveAttribute('aria-invalid', 'false');
    expect(screen.queryByRole('alert')).toBeNull();
    expect(screen.getByTestId('result-pending')).toHaveTextContent(
      /Pool size \(row 1\)/,
    );
    await user.click(pool);
    await user.tab();
    expect(pool).toHaveAttribute('aria-invalid', 'true');
    expect(pool).toHaveAccessibleDescription('Required.');
    expect(screen.getByLabelText('Max instances (row 1)')).toHaveAttribute(
      'aria-invalid',
      'false',
    );
  });

  it('moves keyboard focus to the next remove button when a client row is removed, then to "Add client"', async () => {
    await renderPage('/cost-calculators/connection-budget?maxConnections=500');
    const user = userEvent.setup();
    const add = await screen.findByRole('button', { name: 'Add client' });
    await user.click(add);
    await user.click(add);
    screen.getByRole('button', { name: 'Remove client row 1' }).focus();
    await user.keyboard('{Enter}');
    // the row that took its place
    expect(
      screen.getByRole('button', { name: 'Remove client row 1' }),
    ).toHaveFocus();
    await user.keyboard('{Enter}');
    expect(screen.getByRole('button', { name: 'Add client' })).toHaveFocus();
  });

  it('nests the client list heading under the calculator title (no skipped levels)', async () => {
    await renderPage('/cost-calculators/connection-budget?maxConnections=500');
    expect(
      await screen.findByRole('heading', {
        level: 2,
        name: 'Connection budget',
      }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('heading', { level: 3, name: 'Clients' }),
    ).toBeInTheDocument();
    expect(screen.getByRole('group', { name: 'Clients' })).toBeInTheDocument();
    await userEvent
      .setup()
      .click(screen.getByRole('button', { name: 'Why: rules and caveats' }));
    expect(
      screen.getByRole('heading', { level: 3, name: 'Caveats' }),
    ).toBeInTheDocument();
  });

  it('round-trips inputs through the share link', async () => {
    const first = await renderPage('/cost-calculators/ri-vs-rightsize');
    const user = userEvent.setup();
    const clipboard = captureClipboard();
    await user.type(
      await screen.findByLabelText(/^Current on-demand cost/),
      '10000',
    );
    await user.type(
      screen.getByLabelText(/^Right-sized on-demand cost/),
      '4000',
    );
    await user.type(screen.getByLabelText(/^Load profile length/), '90');
    const sentence =
      "Right-size to the P95 footprint, then commit for 12 months: $2,200.00/month below committing at today's size ($79,200.00 over 36 months).";
    expect(screen.getByTestId('recommendation')).toHaveTextContent(sentence);
    await user.click(screen.getByRole('button', { name: 'Copy link' }));
    await waitFor(() => expect(clipboard.texts).toHaveLength(1));
    const link = new URL(clipboard.texts[0]);
    expect(link.origin + link.pathname).toBe(
      'https://portal.example.com/cost-calculators/ri-vs-rightsize',
    );
    first.unmount();

    await renderPage(`${link.pathname}${link.search}`);
    expect(await screen.findByLabelText(/^Current on-demand cost/)).toHaveValue(
      '10000',
    );
    expect(screen.getByLabelText(/^Right-sized on-demand cost/)).toHaveValue(
      '4000',
    );
    expect(screen.getByLabelText(/^Load profile length/)).toHaveValue('90');
    expect(
      screen.getByLabelText('Source of Right-sized on-demand cost: link'),
    ).toBeInTheDocument();
    expect(screen.getByTestId('recommendation')).toHaveTextContent(sentence);
  });

  describe('a yes/no input from a link', () => {
    it.each([
      ['yes', 'yes'],
      ['True', 'yes'],
      ['NO', 'no'],
      ['0', 'no'],
    ])('reads %j as %s', async (given, shown) => {
      await renderPage(
        `/cost-calculators/failover-rto?service=aurora&sameIpFailover=${given}`,
      );
      const select = await screen.findByRole('button', {
        name: /^Same-IP failover/,
      });
      // The whole display: "no" is also inside "not set".
      expect(select.textContent).toBe(shown);
      expect(select).toHaveAttribute('aria-invalid', 'false');
      expect(
        screen.getByLabelText('Source of Same-IP failover: link'),
      ).toBeInTheDocument();
      expect(
        screen.queryByRole('region', { name: 'Prefill warnings' }),
      ).toBeNull();
    });

    it('says the value came from the link while other inputs are still missing', async () => {
      // No engine edition nor vCPUs: no result yet, so only the prefill knows the source.
      await renderPage('/cost-calculators/db-licensing?hyperThreading=yes');
      const select = await screen.findByRole('button', {
        name: /^Hyper-threading/,
      });
      expect(select.textContent).toBe('yes');
      expect(screen.getByTestId('result-pending')).toBeInTheDocument();
      expect(
        screen.getByLabelText('Source of Hyper-threading: link'),
      ).toBeInTheDocument();
      expect(
        screen.getByLabelText('Source of Physical cores: not set'),
      ).toBeInTheDocument();
    });

    it('leaves other text out with a notice naming the field and the value, not a validation error', async () => {
      await renderPage(
        '/cost-calculators/failover-rto?service=aurora&sameIpFailover=maybe',
      );
      const select = await screen.findByRole('button', {
        name: /^Same-IP failover/,
      });
      expect(
        within(
          screen.getByRole('region', { name: 'Prefill warnings' }),
        ).getByText(
          'Ignored the link\'s value "maybe" for Same-IP failover (sameIpFailover): it is not yes or no (true, false, yes, no, y, n, on, off, 1, 0).',
        ),
      ).toBeInTheDocument();
      await userEvent
        .setup()
        .click(screen.getByRole('button', { name: 'Compute' }));
      expect(select).toHaveAttribute('aria-invalid', 'false');
      expect(screen.queryByText(/must be true or false/)).toBeNull();
    });
  });

  describe('a blank value in a link', () => {
    it.each([
      ['empty', 'currentMonthly='],
      ['only spaces', 'currentMonthly=%20%20'],
    ])(
      'is no value for a number input (%s): the annotation fills it and the result is computed',
      async (_, blank) => {
        await renderPage(
          `/cost-calculators/ri-vs-rightsize?entity=resource%3Adefault%2Forders-db&rightSizedMonthly=4000&${blank}`,
        );
        expect(
          await screen.findByLabelText(/^Current on-demand cost/),
        ).toHaveValue('10000');
        expect(
          screen.getByLabelText(
            'Source of Current on-demand cost: annotation ops.example.com/monthly-spend · 69 d old',
          ),
        ).toBeInTheDocument();
        expect(screen.getByTestId('recommendation')).toHaveTextContent(
          'Right-size to the P95 footprint, then commit for 12 months',
        );
      },
    );

    it('is no second value: a parameter also given blank is used, not a conflict', async () => {
      await renderPage(
        '/cost-calculators/failover-rto?service=aurora&sameIpFailover=yes&service=',
      );
      const select = await screen.findByRole('button', {
        name: /^Same-IP failover/,
      });
      expect(select.textContent).toBe('yes');
      expect(
        screen.getByLabelText('Source of Database service: link'),
      ).toBeInTheDocument();
      expect(screen.queryByText(/different values/)).toBeNull();
    });
  });

  it('prefills from the entity named in the link', async () => {
    await renderPage(
      '/cost-calculators/ri-vs-rightsize?entity=resource%3Adefault%2Forders-db&rightSizedMonthly=4000',
    );
    expect(await screen.findByLabelText(/^Current on-demand cost/)).toHaveValue(
      '10000',
    );
    expect(
      screen.getByLabelText(
        'Source of Current on-demand cost: annotation ops.example.com/monthly-spend · 69 d old',
      ),
    ).toBeInTheDocument();
    expect(screen.getByTestId('recommendation')).toHaveTextContent(
      'Right-size to the P95 footprint, then commit for 12 months',
    );
  });

  describe("opened for a database's connection budget (entity=)", () => {
    it("counts its dependents' pools, as the database's card does", async () => {
      await renderPage(ORDERS_DB_BUDGET, {}, budgetCatalog());
      expect(await screen.findByLabelText('Pool size (row 1)')).toHaveValue(
        '25',
      );
      expect(screen.getByLabelText('Max instances (row 1)')).toHaveValue('8');
      expect(screen.getByLabelText('Pool size (row 2)')).toHaveValue('10');
      expect(screen.getByLabelText(/^Connection limit/)).toHaveValue('400');
      // usable = floor(400 × 80 %) − 3 − 10 = 307; demand 8 × 25 + 5 × 10 = 250.
      expect(screen.getByTestId('recommendation')).toHaveTextContent(
        'Fits: 250 of 307 usable connections, 57 spare.',
      );
    });

    it("keeps the link's clients over the dependents' (link › annotations)", async () => {
      await renderPage(
        `${ORDERS_DB_BUDGET}&clients=web:50:5:0`,
        {},
        budgetCatalog(),
      );
      expect(await screen.findByLabelText('Pool size (row 1)')).toHaveValue(
        '5',
      );
      expect(screen.queryByLabelText('Pool size (row 2)')).toBeNull();
    });

    it('says the dependents could not be read instead of budgeting without them', async () => {
      const catalogApi = budgetCatalog();
      jest
        .spyOn(catalogApi, 'getEntitiesByRefs')
        .mockRejectedValue(new Error('catalog unavailable'));
      await renderPage(ORDERS_DB_BUDGET, {}, catalogApi);
      expect(
        await screen.findByText(
          /The Components that depend on this database could not be read \(catalog unavailable\): their pools are not counted/,
        ),
      ).toBeInTheDocument();
      // The database's own annotation still prefills the limit.
      expect(screen.getByLabelText(/^Connection limit/)).toHaveValue('400');
      expect(screen.queryByLabelText('Pool size (row 1)')).toBeNull();
    });
  });

  it("states the calculator's question once, under its title", async () => {
    await renderPage('/cost-calculators/connection-budget?maxConnections=500');
    await screen.findByRole('heading', { level: 2, name: 'Connection budget' });
    expect(
      screen.getAllByText(CALCULATORS['connection-budget'].question, {
        exact: false,
      }),
    ).toHaveLength(1);
  });

  it('shows a share link with a date that does not exist as an error, not a crash', async () => {
    await renderPage(
      '/cost-calculators/ri-vs-rightsize?asOf=2026-02-30&entity=resource%3Adefault%2Forders-db&rightSizedMonthly=4000',
    );
    // Values that need no date arithmetic are still prefilled from the entity.
    expect(await screen.findByLabelText(/^Current on-demand cost/)).toHaveValue(
      '10000',
    );
    expect(
      screen.getAllByText('asOf must be a date YYYY-MM-DD (got 2026-02-30).')
        .length,
    ).toBeGreaterThan(0);
    expect(
      screen.getByText(
        'Not prefilled because asOf "2026-02-30" is not a date YYYY-MM-DD: the age of ops.example.com/monthly-spend.',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        "The link's date asOf=2026-02-30 is not a date YYYY-MM-DD, so nothing is computed for it.",
      ),
    ).toBeInTheDocument();

    const user = userEvent.setup();
    await user.click(
      screen.getByRole('button', { name: 'Recompute for today' }),
    );
    expect(await screen.findByTestId('recommendation')).toHaveTextContent(
      'Right-size to the P95 footprint, then commit for 12 months',
    );
  });

  it('keeps an input the author emptied empty in the link, instead of filling it from the entity again', async () => {
    const opened = await renderPageShowingAddress(
      '/cost-calculators/ri-vs-rightsize?entity=resource%3Adefault%2Forders-db&rightSizedMonthly=4000',
    );
    // orders-db's annotation fills the profile length (90 days)
    const profile = await screen.findByLabelText(/^Load profile length/);
    expect(profile).toHaveValue('90');
    await userEvent.setup().clear(profile);
    const shown = screen.getByTestId('recommendation').textContent;
    const search = screen.getByTestId('search').textContent ?? '';
    expect(new URLSearchParams(search).get('cleared')).toBe('profileDays');
    opened.unmount();

    // the recipient opens the same address: the field stays empty, the advice is the same
    await renderPage(`/cost-calculators/ri-vs-rightsize${search}`);
    expect(await screen.findByLabelText(/^Load profile length/)).toHaveValue(
      '',
    );
    expect(screen.getByTestId('recommendation').textContent).toBe(shown);
    // ... and the link the recipient copies on keeps it empty for the next one
    const user = userEvent.setup();
    const clipboard = captureClipboard();
    await user.click(screen.getByRole('button', { name: 'Copy link' }));
    await waitFor(() => expect(clipboard.texts).toHaveLength(1));
    expect(new URL(clipboard.texts[0]).searchParams.get('cleared')).toBe(
      'profileDays',
    );
  });

  /**
   * orders-db migrated on 2026-09-01, opened from a link made on 2026-09-10: the link carries
   * the 9 days since migration worked out as of its date.
   */
  function openMigratedLink() {
    const migrated = {
      ...ordersDb,
      metadata: {
        ...ordersDb.metadata,
        annotations: {
          ...ordersDb.metadata.annotations,
          'ops.example.com/migrated-on': '2026-09-01',
        },
      },
    };
    return renderPage(
      '/cost-calculators/ri-vs-rightsize?v=1&asOf=2026-09-10&entity=resource%3Adefault%2Forders-db&daysSinceMigration=9&rightSizedMonthly=4000',
      {},
      catalogApiMock({ entities: [migrated] }),
    );
  }

  it("Recompute for today works a count out of the entity's date again (the link's was as of its date)", async () => {
    await openMigratedLink();
    const days = await screen.findByLabelText(/^Time since migration/);
    expect(days).toHaveValue('9');
    await userEvent
      .setup()
      .click(screen.getByRole('button', { name: 'Recompute for today' }));
    // the test context's today is 2026-11-23: 83 days after 2026-09-01
    await waitFor(() =>
      expect(screen.getByLabelText(/^Time since migration/)).toHaveValue('83'),
    );
  });

  it("Recompute for today keeps a count the user typed, even one equal to the date's", async () => {
    await openMigratedLink();
    const user = userEvent.setup();
    const days = await screen.findByLabelText(/^Time since migration/);
    await user.clear(days);
    await user.type(days, '9');
    await user.click(
      screen.getByRole('button', { name: 'Recompute for today' }),
    );
    await waitFor(() =>
      expect(
        screen.queryByRole('button', { name: 'Recompute for today' }),
      ).toBeNull(),
    );
    expect(screen.getByLabelText(/^Time since migration/)).toHaveValue('9');
  });

  it('Recompute for today puts today in the address bar, so the address is a link to what is shown', async () => {
    await renderPageShowingAddress(
      '/cost-calculators/commitment-break-even?v=1&pb=2026.11.0&asOf=2026-01-15&onDemandMonthly=4000&recurringMonthly=2800&termMonths=12',
    );
    await screen.findByTestId('recommendation');
    const user = userEvent.setup();
    // an edit after the link was opened: recomputing must not bring the link's value back
    const onDemand = screen.getByLabelText(/^On-demand cost/);
    await user.clear(onDemand);
    await user.type(onDemand, '5000');
    await user.click(
      screen.getByRole('button', { name: 'Recompute for today' }),
    );
    await waitFor(() =>
      expect(
        screen.queryByRole('button', { name: 'Recompute for today' }),
      ).toBeNull(),
    );
    const search = new URLSearchParams(
      screen.getByTestId('search').textContent ?? '',
    );
    // The test context's today.
    expect(search.get('asOf')).toBe('2026-11-23');
    // The inputs stay as they were when recomputed: the edit, in the address bar and the form.
    expect(search.get('onDemandMonthly')).toBe('5000');
    expect(screen.getByLabelText(/^On-demand cost/)).toHaveValue('5000');
  });
});
