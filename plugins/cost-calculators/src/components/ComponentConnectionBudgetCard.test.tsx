import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { act, JSX, useState } from 'react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import type { Entity } from '@backstage/catalog-model';
import {
  budgetedOrdersDb,
  calculatorsApi,
  dependentComponent,
} from '../__testUtils__/testContext';
import { ComponentConnectionBudgetCard } from './ComponentConnectionBudgetCard';
import { CostCalculatorCards } from './CostCalculatorCard';

const orderService = dependentComponent('order-service', {
  'ops.example.com/db-pool-size': '25',
  'ops.example.com/max-instances': '8',
  'ops.example.com/rollout-surge-percent': '25',
});
const reportJob = dependentComponent('report-job', {
  'ops.example.com/db-pool-size': '10',
  'ops.example.com/max-instances': '5',
});

function renderOn(entity: Entity, catalog: Entity[], element?: JSX.Element) {
  const catalogApi = catalogApiMock({ entities: catalog });
  const lookups = jest.spyOn(catalogApi, 'getEntitiesByRefs');
  const rendered = renderInTestApp(
    <EntityProvider entity={entity}>
      {element ?? <ComponentConnectionBudgetCard />}
    </EntityProvider>,
    { apis: [calculatorsApi(), catalogApi] },
  );
  return { rendered, lookups };
}

jest.setTimeout(30_000);

describe('Connection budget card on a Component', () => {
  it("states the component's share of the database's whole budget and highlights it", async () => {
    await renderOn(orderService, [budgetedOrdersDb, orderService, reportJob])
      .rendered;
    // usable = floor(400 × 80 %) − 3 − 10 = 307; order-service (8 + ceil(2)) × 25 = 250;
    // report-job 5 × 10 = 50; demand 300.
    const share = await screen.findByRole('region', {
      name: 'Share of order-service',
    });
    expect(share).toHaveTextContent(
      'At full scale order-service opens 250 connections (10 peak instances × pool 25): ' +
        '250 of 307 usable connections (81.4 %), of a demand of 300 from all clients (83.3 %). ' +
        'With the other clients as they are, it fits up to 8 max instances at pool 25, ' +
        'or a pool of up to 25 at 10 peak instances.',
    );
    // The other dependent is in the budget too: it is what limits this component's growth.
    expect(screen.getByLabelText('Pool size (row 2)')).toHaveValue('10');
    const table = await screen.findByRole('table', {
      name: 'Connections at full scale per client',
    });
    expect(
      within(table)
        .getAllByRole('row')
        .map(r => r.textContent),
    ).toEqual([
      'ClientConnections at full scale',
      'order-service (this component)250 connections',
      'report-job50 connections',
      'Demand at full scale300 connections',
      'Usable307 connections',
      'max_connections400 connections',
    ]);
    // The budget is the database's: "Open full page" opens it for orders-db.
    expect(
      screen.getByRole('link', { name: 'Open full page' }),
    ).toHaveAttribute(
      'href',
      expect.stringContaining('entity=resource%3Adefault%2Forders-db'),
    );
  });

  it('states no share from an outdated result while the inputs are invalid', async () => {
    await renderOn(orderService, [budgetedOrdersDb, orderService, reportJob])
      .rendered;
    await screen.findByRole('region', { name: 'Share of order-service' });
    const limit = screen.getByLabelText(/^Connection limit/);
    await userEvent.setup().clear(limit);
    await userEvent.setup().type(limit, '-1');
    expect(
      await screen.findByRole('region', {
        name: 'Last valid result (outdated)',
      }),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('region', { name: 'Share of order-service' }),
    ).toBeNull();
  });

  it('says when the component declares no pool, so the budget leaves it out', async () => {
    const undeclared = dependentComponent('order-service', {});
    await renderOn(undeclared, [budgetedOrdersDb, undeclared, reportJob])
      .rendered;
    expect(
      await screen.findByRole('region', { name: 'Share of order-service' }),
    ).toHaveTextContent(
      'order-service is not among the clients counted here, so its connections are not in this budget',
    );
  });

  it('says the dependents could not be read instead of budgeting without them', async () => {
    const catalogApi = catalogApiMock({
      entities: [budgetedOrdersDb, orderService, reportJob],
    });
    const read = catalogApi.getEntitiesByRefs.bind(catalogApi);
    // The card's own read of the database answers; the read of its dependents fails.
    jest
      .spyOn(catalogApi, 'getEntitiesByRefs')
      .mockImplementationOnce(read)
      .mockRejectedValue(new Error('catalog unavailable'));
    await renderInTestApp(
      <EntityProvider entity={orderService}>
        <ComponentConnectionBudgetCard />
      </EntityProvider>,
      { apis: [calculatorsApi(), catalogApi] },
    );
    expect(
      await screen.findByText(
        /The Components that depend on this database could not be read \(catalog unavailable\): their pools are not counted/,
      ),
    ).toBeInTheDocument();
  });

  it("does not mount the previous Component's database budget after switching to another Component", async () => {
    const lonely: Entity = {
      ...dependentComponent('lonely'),
      relations: [],
    };
    function Switcher() {
      const [entity, setEntity] = useState<Entity>(orderService);
      return (
        <>
          <button onClick={() => setEntity(lonely)}>switch</button>
          <EntityProvider entity={entity}>
            <ComponentConnectionBudgetCard />
          </EntityProvider>
        </>
      );
    }
    const { rendered, lookups } = renderOn(
      orderService,
      [budgetedOrdersDb, orderService, reportJob, lonely],
      <Switcher />,
    );
    await rendered;
    await screen.findByRole('region', { name: 'Share of order-service' });
    const before = lookups.mock.calls.length;
    await userEvent
      .setup()
      .click(screen.getByRole('button', { name: 'switch' }));
    await waitFor(() =>
      expect(
        screen.queryByRole('region', { name: 'Share of order-service' }),
      ).toBeNull(),
    );
    // no read of orders-db's dependents for a Component that does not depend on it
    expect(lookups.mock.calls.slice(before)).toEqual([]);
  });

  it('renders no card when no database it depends on has a connection limit', async () => {
    const annotations = { ...budgetedOrdersDb.metadata.annotations };
    delete annotations['ops.example.com/max-connections'];
    const unlimited: Entity = {
      ...budgetedOrdersDb,
      metadata: { ...budgetedOrdersDb.metadata, annotations },
    };
    const { lookups } = renderOn(orderService, [unlimited, orderService]);
    await waitFor(() => expect(lookups).toHaveBeenCalled());
    await act(async () => {
      await lookups.mock.results[0].value;
    });
    expect(screen.queryByText(/^Cost: /)).toBeNull();
    expect(screen.queryByRole('form')).toBeNull();
  });

  describe('finds the component among the clients by its entity ref, not its bare name', () => {
    /** `web` in two namespaces: team-a's counts 250 connections, team-b's 50 when it declares its pool. */
    const web = (namespace: string, annotations: Record<string, string>) => {
      const entity = dependentComponent('web', annotations);
      return { ...entity, metadata: { ...entity.metadata, namespace } };
    };
    const webA = web('team-a', {
      'ops.example.com/db-pool-size': '25',
      'ops.example.com/max-instances': '8',
      'ops.example.com/rollout-surge-percent': '25',
    });
    const webB = web('team-b', {
      'ops.example.com/db-pool-size': '10',
      'ops.example.com/max-instances': '5',
    });
    const undeclaredWebB = web('team-b', {});
    const sharedDatabase: Entity = {
      ...budgetedOrdersDb,
      relations: [
        { type: 'dependencyOf', targetRef: 'component:team-a/web' },
        // Written as the catalog may spell it; matched once normalized.
        { type: 'dependencyOf', targetRef: 'Component:Team-B/web' },
      ],
    };

    it.each([
      {
        page: 'team-b/web, both counted',
        entity: webB,
        catalog: [sharedDatabase, webA, webB],
        region: 'Share of component:team-b/web',
        share:
          'At full scale component:team-b/web opens 50 connections (5 peak instances × pool 10): 50 of 307 usable connections',
        highlighted: 'component:team-b/web (this component)50 connections',
      },
      {
        page: 'team-a/web, both counted',
        entity: webA,
        catalog: [sharedDatabase, webA, webB],
        region: 'Share of component:team-a/web',
        share:
          'At full scale component:team-a/web opens 250 connections (10 peak instances × pool 25): 250 of 307 usable connections',
        highlighted: 'component:team-a/web (this component)250 connections',
      },
      {
        page: 'team-b/web, which declares no pool, next to a counted team-a/web',
        entity: undeclaredWebB,
        catalog: [sharedDatabase, webA, undeclaredWebB],
        region: 'Share of web',
        share:
          'web is not among the clients counted here, so its connections are not in this budget',
        highlighted: undefined,
      },
    ])(
      'on the page of $page',
      async ({ entity, catalog, region, share, highlighted }) => {
        await renderOn(entity, catalog).rendered;
        expect(
          await screen.findByRole('region', { name: region }),
        ).toHaveTextContent(share);
        const table = await screen.findByRole('table', {
          name: 'Connections at full scale per client',
        });
        const marked = within(table)
          .getAllByRole('row')
          .map(r => r.textContent)
          .filter(text => text?.includes('(this component)'));
        expect(marked).toEqual(highlighted ? [highlighted] : []);
      },
    );
  });

  it('is among the legacy cards of a Component', async () => {
    await renderOn(
      orderService,
      [budgetedOrdersDb, orderService, reportJob],
      <CostCalculatorCards />,
    ).rendered;
    expect(
      await screen.findByRole('region', { name: 'Share of order-service' }),
    ).toBeInTheDocument();
  });
});
