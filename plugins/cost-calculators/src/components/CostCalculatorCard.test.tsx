import { JSX, useState } from 'react';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { Entity } from '@backstage/catalog-model';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import {
  calculatorsApi,
  captureClipboard,
  ordersDb,
} from '../__testUtils__/testContext';
import { CostCalculatorCard, CostCalculatorCards } from './CostCalculatorCard';

function renderCard(element: JSX.Element, entity = ordersDb) {
  return renderInTestApp(
    <EntityProvider entity={entity}>{element}</EntityProvider>,
    {
      apis: [
        calculatorsApi({ app: { baseUrl: 'https://portal.example.com' } }),
        catalogApiMock({ entities: [] }),
      ],
    },
  );
}

async function openCommitNowTab() {
  const user = userEvent.setup();
  await user.click(
    await screen.findByRole('tab', { name: 'Commit now vs right-size first' }),
  );
  return user;
}

jest.setTimeout(30_000);

describe('CostCalculatorCard', () => {
  it('reproduces the worked example of §5 for orders-db to the cent', async () => {
    await renderCard(<CostCalculatorCard cardId="commitment" />);
    const user = await openCommitNowTab();
    const clipboard = captureClipboard();
    // In a card the calculator's title sits under the card's own title (h2), its sections below it.
    expect(
      screen.getByRole('heading', {
        level: 3,
        name: 'Commit now vs right-size first',
      }),
    ).toBeInTheDocument();

    // Prefilled from the annotation, with where it came from and its age (2026-09-15 → 2026-11-23).
    const current = screen.getByLabelText(/^Current on-demand cost/);
    expect(current).toHaveValue('10000');
    expect(
      screen.getByLabelText(
        'Source of Current on-demand cost: annotation ops.example.com/monthly-spend · 69 d old',
      ),
    ).toBeInTheDocument();

    await user.type(
      screen.getByLabelText(/^Right-sized on-demand cost/),
      '4000',
    );
    expect(
      screen.getByLabelText('Source of Right-sized on-demand cost: you'),
    ).toBeInTheDocument();

    const table = screen.getByRole('table', { name: 'Results by option' });
    const cells = (label: string) => {
      const row = within(table)
        .getAllByRole('row')
        .find(r => r.querySelector('th')?.textContent === label);
      return Array.from(row?.querySelectorAll('td') ?? []).map(
        c => c.textContent,
      );
    };
    expect(cells('Effective monthly')).toEqual([
      '$5,000.00',
      '$4,000.00',
      '$2,800.00',
    ]);
    expect(cells('36-month total')).toEqual([
      '$180,000.00',
      '$144,000.00',
      '$100,800.00',
    ]);
    expect(screen.getByTestId('recommendation')).toHaveTextContent(
      "Right-size to the P95 footprint, then commit for 12 months: $2,200.00/month below committing at today's size ($79,200.00 over 36 months).",
    );
    expect(
      screen.getByText('Prices 2026.11.0 · facts only'),
    ).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Copy as markdown' }));
    await waitFor(() => expect(clipboard.texts).toHaveLength(1));
    const markdown = clipboard.texts[0];
    expect(markdown).toContain(
      '### Commit now vs right-size first — resource:default/orders-db',
    );
    expect(markdown).toContain(
      '| Effective monthly | $5,000.00 | $4,000.00 | $2,800.00 |',
    );
    expect(markdown).toContain(
      '| 36-month total | $180,000.00 | $144,000.00 | $100,800.00 |',
    );
    // Inputs by the labels the form shows, values with their unit (the note's §5 example).
    expect(markdown).toContain(
      '| Current on-demand cost | $10,000.00/month | annotation ops.example.com/monthly-spend (2026-09-15) |',
    );
    expect(markdown).toContain(
      '| Right-sized on-demand cost | $4,000.00/month | you |',
    );
    expect(markdown).toContain(
      '[Open in the portal](https://portal.example.com/cost-calculators/ri-vs-rightsize?v=1&pb=2026.11.0&asOf=2026-11-23&entity=resource%3Adefault%2Forders-db&currentMonthly=10000&rightSizedMonthly=4000&profileDays=90)',
    );
    expect(await screen.findByRole('status')).toHaveTextContent(
      'Markdown copied to the clipboard.',
    );
  });

  it("shows the next entity's prefilled values when the page moves to another entity without remounting the card", async () => {
    // An entity page keeps its cards mounted when a relation link leads to another entity.
    const paymentsDb: Entity = {
      ...ordersDb,
      metadata: {
        ...ordersDb.metadata,
        name: 'payments-db',
        annotations: {
          ...ordersDb.metadata.annotations,
          'ops.example.com/monthly-spend': '2500',
        },
      },
    };
    function MovingPage() {
      const [entity, setEntity] = useState(ordersDb);
      return (
        <>
          <button type="button" onClick={() => setEntity(paymentsDb)}>
            go to payments-db
          </button>
          <EntityProvider entity={entity}>
            <CostCalculatorCard cardId="commitment" />
          </EntityProvider>
        </>
      );
    }
    await renderCard(<MovingPage />);
    const user = await openCommitNowTab();
    expect(screen.getByLabelText(/^Current on-demand cost/)).toHaveValue(
      '10000',
    );
    await user.click(screen.getByRole('button', { name: 'go to payments-db' }));
    expect(screen.getByLabelText(/^Current on-demand cost/)).toHaveValue(
      '2500',
    );
  });

  it('shows the validation message for a negative input and greys the last result', async () => {
    await renderCard(<CostCalculatorCard cardId="commitment" />);
    const user = await openCommitNowTab();
    const current = screen.getByLabelText(/^Current on-demand cost/);
    await user.clear(current);
    await user.type(current, '-5');
    expect(
      screen.getAllByText(
        'Current on-demand cost must not be negative (got -5).',
      ).length,
    ).toBeGreaterThan(0);
    expect(current).toHaveAttribute('aria-invalid', 'true');
    expect(screen.queryByRole('region', { name: 'Result' })).toBeNull();
    expect(
      screen.getByRole('region', { name: 'Last valid result (outdated)' }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Copy as markdown' }),
    ).toBeDisabled();
  });

  it('renders only the cards whose triggers hold, and nothing for an entity without triggers', async () => {
    await renderCard(<CostCalculatorCards />);
    // orders-db: monthly-spend (commitment), sqlserver engine (licensing); prod, so no schedule card.
    expect(await screen.findByText('Cost: Commitment')).toBeInTheDocument();
    expect(screen.getByText('Cost: Licensing & migration')).toBeInTheDocument();
    expect(screen.queryByText('Cost: Schedule')).toBeNull();
  });

  it('renders no card (not an empty box) when the triggers do not hold', async () => {
    await renderCard(<CostCalculatorCards />, {
      ...ordersDb,
      metadata: { name: 'bare-db', namespace: 'default' },
    });
    expect(screen.queryByText(/^Cost: /)).toBeNull();
    expect(screen.queryByRole('form')).toBeNull();
  });

  it('opens the Licensing card computed from provider, service and an entry-id price-book-sku (§1)', async () => {
    await renderCard(<CostCalculatorCard cardId="licensing" />, {
      ...ordersDb,
      metadata: {
        ...ordersDb.metadata,
        annotations: {
          ...ordersDb.metadata.annotations,
          'ops.example.com/service': 'azure-vm',
          'ops.example.com/vcpus': '8',
          'ops.example.com/licences-owned': '8',
          'ops.example.com/price-book-sku': 'example.sqlserver-ent.li-hour',
        },
      },
    });
    expect(await screen.findByTestId('recommendation')).toHaveTextContent(
      'Indicative: BYOL saves $625.00/month (26.8%) — only with licence tracking in place.',
    );
    expect(screen.queryByText(/offerId is required/)).toBeNull();
    expect(screen.queryByText(/has no price-book entry/)).toBeNull();
  });

  it.each([
    // [service annotation, estimated RTO = documented failover + DNS delay + 60 s stale pool]
    ['aurora', '120 s'], // 30 + max(5 s TTL, 30 s client cache) + 60
    ['cloud-sql-ha', '120 s'], // 60 + 0 (same IP) + 60
    ['azure-sql-bc', '120 s'], // 30 + 30 s client cache + 60
  ])(
    'opens the Failover card for %s computed from its documented failover facts',
    async (service, rto) => {
      await renderCard(<CostCalculatorCard cardId="failover" />, {
        ...ordersDb,
        metadata: {
          ...ordersDb.metadata,
          annotations: {
            ...ordersDb.metadata.annotations,
            'ops.example.com/service': service,
            'ops.example.com/rto-seconds': '60',
          },
        },
      });
      expect(await screen.findByTestId('recommendation')).toHaveTextContent(
        `Estimated client recovery ${rto} misses the 60 s target`,
      );
      expect(
        screen.queryByText(/providerFailoverSeconds is required/),
      ).toBeNull();
    },
  );

  it('draws the Failover card its stacked recovery time against the target', async () => {
    await renderCard(<CostCalculatorCard cardId="failover" />, {
      ...ordersDb,
      metadata: {
        ...ordersDb.metadata,
        annotations: {
          ...ordersDb.metadata.annotations,
          'ops.example.com/service': 'aurora',
          'ops.example.com/rto-seconds': '60',
        },
      },
    });
    const table = await screen.findByRole('table', {
      name: 'Client-visible recovery time by term',
    });
    expect(
      within(table)
        .getAllByRole('row')
        .map(r => r.textContent),
    ).toEqual([
      'TermSeconds',
      'Detection0 s',
      'Provider failover30 s',
      'DNS delay30 s',
      'Pool delay60 s',
      'Estimated client RTO120 s',
      'Target RTO60 s',
    ]);
  });

  it("draws the BigQuery card's cost against ETL volume with the book's prices", async () => {
    await renderCard(<CostCalculatorCard cardId="bigquery" />, {
      ...ordersDb,
      metadata: {
        name: 'events',
        namespace: 'default',
        annotations: {
          'ops.example.com/bigquery-etl-tib-month': '3200',
          'ops.example.com/bigquery-adhoc-tib-month': '400',
        },
      },
      spec: { type: 'bigquery-dataset', owner: 'group:default/data' },
    });
    // Default book: 6.25 USD/TiB, 500 slots × 0.048 USD/slot-hour → break-even 2,803.2 TiB.
    expect(
      await screen.findByText(/they cross at 2,803\.2 TiB \(dashed line\)/),
    ).toBeInTheDocument();
    const table = screen.getByRole('table', {
      name: 'Monthly cost by steady ETL volume',
    });
    expect(within(table).getAllByRole('row')).toHaveLength(10);
  });

  it('shows an ignored annotation with the form even when nothing can be computed', async () => {
    await renderCard(<CostCalculatorCard cardId="commitment" />, {
      ...ordersDb,
      metadata: {
        ...ordersDb.metadata,
        annotations: {
          ...ordersDb.metadata.annotations,
          'ops.example.com/monthly-spend': '$1,200',
        },
      },
    });
    const form = await screen.findByRole('form', {
      name: 'P95 right-size inputs',
    });
    expect(
      within(form).getByText(
        'Ignored ops.example.com/monthly-spend: "$1,200" is not a decimal number.',
      ),
    ).toBeInTheDocument();
    // The required input the annotation could not fill is named in the result area, by label.
    expect(screen.getByTestId('result-pending')).toHaveTextContent(
      /^To see a result, enter Current on-demand cost/,
    );
  });
});
