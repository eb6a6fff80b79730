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

  it('says in its header why it is on the page, in words instead of the trigger shorthand', async () => {
    await renderCard(<CostCalculatorCard cardId="commitment" />);
    expect(
      await screen.findByText(
        'Shown because this resource declares its monthly spend (ops.example.com/monthly-spend).',
      ),
    ).toBeInTheDocument();
    expect(screen.queryByText('monthly-spend present')).toBeNull();
  });

  it('defaults the right-sized cost to the P95 right-size result computed on the same card (§2 C2)', async () => {
    await renderCard(<CostCalculatorCard cardId="commitment" />);
    const user = userEvent.setup();
    const clipboard = captureClipboard();
    await user.type(await screen.findByLabelText(/^P95 CPU utilisation/), '20');
    await user.type(screen.getByLabelText(/^P95 memory utilisation/), '30');
    expect(screen.getByTestId('recommendation')).toHaveTextContent(
      'Scale down 1 step to about $5,000.00/month; projected P95 60.0%.',
    );

    await user.click(
      screen.getByRole('tab', { name: 'Commit now vs right-size first' }),
    );
    const rightSized = screen.getByLabelText(/^Right-sized on-demand cost/);
    expect(rightSized).toHaveValue('');
    expect(rightSized).toHaveAttribute('placeholder', '5000');
    expect(
      screen.getByLabelText(
        'Source of Right-sized on-demand cost: from P95 right-size (1 step down)',
      ),
    ).toBeInTheDocument();
    // Not "commit today's footprint", beside a tab that says to scale down.
    expect(screen.getByTestId('recommendation')).toHaveTextContent(
      "Right-size to the P95 footprint, then commit for 12 months: $1,500.00/month below committing at today's size ($54,000.00 over 36 months).",
    );
    // The link carries the value: whoever opens it has no right-size result of their own.
    await user.click(screen.getByRole('button', { name: 'Copy link' }));
    await waitFor(() => expect(clipboard.texts).toHaveLength(1));
    expect(clipboard.texts[0]).toContain('&rightSizedMonthly=5000');

    // Back on the first tab, what was typed is still there.
    await user.click(screen.getByRole('tab', { name: 'P95 right-size' }));
    expect(screen.getByLabelText(/^P95 CPU utilisation/)).toHaveValue('20');
    expect(screen.getByTestId('recommendation')).toHaveTextContent(
      'Scale down 1 step',
    );
  });

  async function rightsizeOneStepDown(
    user: ReturnType<typeof userEvent.setup>,
  ) {
    await user.type(await screen.findByLabelText(/^P95 CPU utilisation/), '20');
    await user.type(screen.getByLabelText(/^P95 memory utilisation/), '30');
    expect(screen.getByTestId('recommendation')).toHaveTextContent(
      'Scale down 1 step',
    );
  }

  const rightSizedSource = () =>
    screen.getByLabelText(/^Source of Right-sized on-demand cost: /);

  it("does not take another entity's right-size result when the page moves on (the link is per entity)", async () => {
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
    const user = userEvent.setup();
    await rightsizeOneStepDown(user);
    await user.click(
      screen.getByRole('tab', { name: 'Commit now vs right-size first' }),
    );
    expect(rightSizedSource()).toHaveAccessibleName(
      'Source of Right-sized on-demand cost: from P95 right-size (1 step down)',
    );
    // Still on C2's tab: payments-db has no right-size result of its own.
    await user.click(screen.getByRole('button', { name: 'go to payments-db' }));
    expect(
      screen.getByLabelText(/^Right-sized on-demand cost/),
    ).toHaveAttribute('placeholder', '2500');
    expect(rightSizedSource()).toHaveAccessibleName(
      'Source of Right-sized on-demand cost: from currentMonthly',
    );
  });

  it('drops the right-size steps once the P95 tab shows an error, rather than keep the stale ones', async () => {
    await renderCard(<CostCalculatorCard cardId="commitment" />);
    const user = userEvent.setup();
    await rightsizeOneStepDown(user);
    const cpu = screen.getByLabelText(/^P95 CPU utilisation/);
    await user.clear(cpu);
    await user.type(cpu, '120');
    expect(cpu).toHaveAccessibleDescription(/120/);
    await user.click(
      screen.getByRole('tab', { name: 'Commit now vs right-size first' }),
    );
    expect(
      screen.getByLabelText(/^Right-sized on-demand cost/),
    ).toHaveAttribute('placeholder', '10000');
    expect(rightSizedSource()).toHaveAccessibleName(
      'Source of Right-sized on-demand cost: from currentMonthly',
    );
  });

  it("says when the P95 tab used another current cost than the one C2's steps are applied to", async () => {
    await renderCard(<CostCalculatorCard cardId="commitment" />);
    const user = userEvent.setup();
    const current = await screen.findByLabelText(/^Current on-demand cost/);
    await user.clear(current);
    await user.type(current, '20000');
    await rightsizeOneStepDown(user);
    await user.click(
      screen.getByRole('tab', { name: 'Commit now vs right-size first' }),
    );
    // C2 keeps orders-db's $10,000.00: 1 step down is $5,000.00, not the P95 tab's $10,000.00.
    expect(
      screen.getByLabelText(/^Right-sized on-demand cost/),
    ).toHaveAttribute('placeholder', '5000');
    expect(rightSizedSource()).toHaveAccessibleName(
      'Source of Right-sized on-demand cost: from P95 right-size (1 step down from $10,000.00; that tab used $20,000.00)',
    );
  });

  it.each([
    // [tab, an input it carries, an input it only worked out, what to type for a result]
    [
      'Commit now vs right-size first',
      'currentMonthly=10000',
      'rightSizedMonthly',
      undefined,
    ],
    [
      'RI break-even months',
      'onDemandMonthly=10000',
      'expectedUsageMonths',
      ['Recurring commitment charge', '6000'],
    ],
  ] as const)(
    'leaves what the %s tab only worked out out of its links',
    async (tab, carried, derivedInput, typed) => {
      await renderCard(<CostCalculatorCard cardId="commitment" />);
      const user = userEvent.setup();
      const clipboard = captureClipboard();
      await user.click(await screen.findByRole('tab', { name: tab }));
      if (typed)
        await user.type(
          screen.getByLabelText(new RegExp(`^${typed[0]}`)),
          typed[1],
        );
      expect(screen.getByTestId('recommendation')).toBeInTheDocument();
      await user.click(screen.getByRole('button', { name: 'Copy link' }));
      await waitFor(() => expect(clipboard.texts).toHaveLength(1));
      const links = [
        clipboard.texts[0],
        screen
          .getByRole('link', { name: 'Open full page' })
          .getAttribute('href')!,
      ];
      for (const link of links) {
        expect(link).toContain(carried);
        // Whoever opens the link works it out again from what the link carries.
        expect(link).not.toContain(`${derivedInput}=`);
      }
    },
  );

  it('names the options of the break-even month', async () => {
    await renderCard(<CostCalculatorCard cardId="commitment" />);
    await openCommitNowTab();
    expect(
      within(
        screen.getByRole('table', { name: 'Results by option' }),
      ).queryByText(/C overtakes A/),
    ).toBeNull();
    expect(
      screen.getByText(
        'Break-even month (Right-size, then commit overtakes Commit now)',
      ),
    ).toBeInTheDocument();
  });

  it("offers orders-db's Azure SQL Database offers by name, and says the book has no prices for them", async () => {
    await renderCard(<CostCalculatorCard cardId="licensing" />);
    const user = userEvent.setup();
    const offer = await screen.findByRole('button', { name: /^Offer/ });
    // Two offers fit azure-sql-db: none is guessed.
    expect(offer.textContent).toBe('choose');
    await user.click(offer);
    const list = screen.getByRole('listbox');
    // The group headings are shown in the list, in order, but are not options: a screen
    // reader must not count them ("2 of 17"), nor may a click on one choose or close anything.
    const headings = [
      'Fits azure · azure-sql-db · sqlserver-enterprise',
      'Other offers',
    ];
    expect(
      Array.from(list.children)
        .map(item => item.textContent)
        .slice(0, 5),
    ).toEqual([
      'choose',
      headings[0],
      'Azure SQL Database, General Purpose (vCore) (azure.sqldb.vcore-gp)',
      'Azure SQL Database, Business Critical (vCore) (azure.sqldb.vcore-bc)',
      headings[1],
    ]);
    for (const heading of headings) {
      const item = within(list).getByText(heading);
      expect(item).toBeVisible();
      expect(item).not.toHaveAttribute('role', 'option');
      expect(item).not.toHaveAttribute('aria-selected');
    }
    const names = within(list)
      .getAllByRole('option')
      .map(o => o.textContent);
    expect(names).not.toEqual(expect.arrayContaining([headings[0]]));
    expect(names).not.toEqual(expect.arrayContaining([headings[1]]));
    expect(names.slice(0, 3)).toEqual([
      'choose',
      'Azure SQL Database, General Purpose (vCore) (azure.sqldb.vcore-gp)',
      'Azure SQL Database, Business Critical (vCore) (azure.sqldb.vcore-bc)',
    ]);
    await user.click(within(list).getByText(headings[1]));
    expect(screen.getByRole('listbox')).toBeInTheDocument();
    await user.click(
      within(list).getByText(
        'Azure SQL Database, General Purpose (vCore) (azure.sqldb.vcore-gp)',
      ),
    );
    const chosen = screen.getByRole('button', { name: /^Offer/ });
    expect(chosen).toHaveAccessibleDescription(
      'The price book has no prices for this offer: enter them below.',
    );
    expect(screen.getByLabelText('Source of Offer: you')).toBeInTheDocument();
    // The offer is understood: what is left to enter are the numbers.
    expect(screen.getByTestId('result-pending')).not.toHaveTextContent(/Offer/);
  });

  it('names the SKU the price book has for the chosen offer, without filling it in', async () => {
    await renderCard(<CostCalculatorCard cardId="licensing" />, {
      ...ordersDb,
      metadata: {
        ...ordersDb.metadata,
        annotations: {
          ...ordersDb.metadata.annotations,
          'ops.example.com/service': 'azure-vm',
        },
      },
    });
    const offer = await screen.findByRole('button', { name: /^Offer/ });
    expect(offer.textContent).toBe(
      'SQL Server on Azure Virtual Machines (azure.vm.sqlserver)',
    );
    expect(offer).toHaveAccessibleDescription(
      'The price book prices this offer as example.sqlserver-ent: enter it as the price-book SKU if it is your edition.',
    );
    expect(screen.getByLabelText(/^Price-book SKU/)).toHaveValue('');
  });

  it("still lists the offers that fit when the form's provider is another cloud than the entity's service", async () => {
    await renderCard(<CostCalculatorCard cardId="licensing" />);
    const user = userEvent.setup();
    // orders-db is on azure-sql-db; what would the licence cost on AWS?
    await user.click(
      await screen.findByRole('button', { name: /^Cloud provider/ }),
    );
    await user.click(screen.getByRole('option', { name: 'aws' }));
    await user.click(screen.getByRole('button', { name: /^Offer/ }));
    const list = screen.getByRole('listbox');
    expect(
      within(list).getByText('Fits aws · sqlserver-enterprise'),
    ).toBeVisible();
    expect(
      within(list)
        .getAllByRole('option')
        .map(o => o.textContent)
        .slice(1, 3),
    ).toEqual([
      'Amazon RDS for SQL Server (aws.rds.sqlserver)',
      'Amazon EC2 Dedicated Hosts (aws.ec2.dedicated-host)',
    ]);
  });

  it("prefills the provisioning estimate's storage from storage-gib and shows the tier's HA in its select", async () => {
    const checkoutDb: Entity = {
      ...ordersDb,
      metadata: {
        name: 'checkout-db',
        namespace: 'default',
        annotations: {
          'ops.example.com/lifecycle': 'production',
          'ops.example.com/provider': 'aws',
          'ops.example.com/service': 'rds',
          'ops.example.com/engine': 'postgres',
          'ops.example.com/environment': 'prod',
          'ops.example.com/database-tier': 'production-critical',
          'ops.example.com/price-book-sku': 'example.rds-postgres.l',
          'ops.example.com/storage-gib': '500',
        },
      },
    };
    await renderCard(
      <CostCalculatorCard cardId="provisioning-estimate" />,
      checkoutDb,
    );
    // 0.40 × 730 × (2 + 2) + 500 × 0.115 × (2 + 2): HA and two replicas from the tier.
    expect(await screen.findByTestId('recommendation')).toHaveTextContent(
      'Indicative: Estimated $1,398.00/month is within the production-critical threshold of $5,000.00.',
    );
    expect(screen.queryByTestId('result-pending')).toBeNull();
    expect(screen.getByLabelText(/^Storage\W*$/)).toHaveValue('500');
    expect(
      screen.getByLabelText(
        'Source of Storage: annotation ops.example.com/storage-gib · age unknown',
      ),
    ).toBeInTheDocument();
    // The control shows the value the total used, the chip where it came from.
    expect(
      screen.getByRole('button', { name: /^High availability/ }).textContent,
    ).toBe('yes');
    expect(
      screen.getByLabelText(
        'Source of High availability: from tiers.production-critical',
      ),
    ).toBeInTheDocument();
    // Open, the empty item says where its "yes" comes from: not "yes, yes, no".
    const user = userEvent.setup();
    await user.click(
      screen.getByRole('button', { name: /^High availability/ }),
    );
    expect(
      within(screen.getByRole('listbox'))
        .getAllByRole('option')
        .map(o => o.textContent),
    ).toEqual(['yes (from tiers.production-critical)', 'yes', 'no']);
    await user.keyboard('{Escape}');
    expect(
      screen.getByRole('button', { name: /^High availability/ }).textContent,
    ).toBe('yes');
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
