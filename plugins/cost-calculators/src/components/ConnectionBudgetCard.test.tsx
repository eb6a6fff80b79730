import { screen } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import type { Entity } from '@backstage/catalog-model';
import {
  budgetedOrdersDb,
  calculatorsApi,
  dependentComponent,
} from '../__testUtils__/testContext';
import { CostCalculatorCard } from './CostCalculatorCard';

/** The database's connection-budget card, with `dependents` in the catalog. */
function renderCard(dependents: Entity[], database: Entity = budgetedOrdersDb) {
  return renderInTestApp(
    <EntityProvider entity={database}>
      <CostCalculatorCard cardId="connection-budget" />
    </EntityProvider>,
    { apis: [calculatorsApi(), catalogApiMock({ entities: dependents })] },
  );
}

describe('Connection budget card', () => {
  it("counts each dependent Component's declared pool as a client row", async () => {
    await renderCard([
      dependentComponent('order-service', {
        'ops.example.com/db-pool-size': '25',
        'ops.example.com/max-instances': '8',
        'ops.example.com/rollout-surge-percent': '25',
      }),
      // Declares no pool: named in a warning, not guessed.
      dependentComponent('report-job'),
    ]);
    expect(await screen.findByLabelText('Pool size (row 1)')).toHaveValue('25');
    expect(screen.getByLabelText('Max instances (row 1)')).toHaveValue('8');
    expect(screen.queryByLabelText('Pool size (row 2)')).toBeNull();
    expect(
      screen.getByText(
        /Not counted \(no db-pool-size and max-instances annotations\): component:default\/report-job\./,
      ),
    ).toBeInTheDocument();
    // Peak 8 + ceil(8 × 25 %) = 10 instances × 25 connections.
    expect(screen.getByTestId('recommendation')).toHaveTextContent(/250/);
  });

  it('keeps a long source chip and a client row label within their fields, full text as tooltip', async () => {
    await renderCard([
      dependentComponent('order-service', {
        'ops.example.com/db-pool-size': '25',
        'ops.example.com/max-instances': '8',
      }),
    ]);
    const maxInstances = await screen.findByLabelText('Max instances (row 1)');
    // "Max instances (row 1)" wrapped onto a second line, over the value.
    const label = document.querySelector(`label[for="${maxInstances.id}"]`)!;
    expect(label).toHaveAttribute('title', 'Max instances (row 1)');
    expect(label).toHaveStyle({
      whiteSpace: 'nowrap',
      overflow: 'hidden',
      textOverflow: 'ellipsis',
    });
    // The annotation chip ran over the chip of the field beside it.
    const chip = screen.getByLabelText(
      /^Source of Connection limit \(max_connections\): annotation ops\.example\.com\/max-connections/,
    );
    expect(chip).toHaveStyle({ maxWidth: '100%' });
  });

  it('names unparsable pool annotations instead of defaulting or dropping them silently', async () => {
    await renderCard([
      dependentComponent('order-service', {
        'ops.example.com/db-pool-size': '25',
        'ops.example.com/max-instances': '8',
        'ops.example.com/rollout-surge-percent': '100%',
      }),
      dependentComponent('report-job', {
        'ops.example.com/db-pool-size': '5',
        'ops.example.com/max-instances': 'ten',
      }),
    ]);
    expect(await screen.findByLabelText('Pool size (row 1)')).toHaveValue('25');
    expect(screen.queryByLabelText('Pool size (row 2)')).toBeNull();
    // Once each, with the form: the result below does not repeat them.
    expect(
      screen.getByText(
        'Ignored ops.example.com/rollout-surge-percent on order-service: "100%" is not a decimal number (percent, without "%"); a surge of 0 % is assumed.',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        'Ignored ops.example.com/max-instances on report-job: "ten" is not a whole number; report-job is not counted as a client.',
      ),
    ).toBeInTheDocument();
    // report-job declares both annotations: it is not listed as lacking them.
    expect(screen.queryByText(/^Not counted/)).toBeNull();
    // 8 instances, surge ignored, × 25 connections.
    expect(screen.getByTestId('recommendation')).toHaveTextContent(/200/);
  });

  it('budgets a busy shared database: dependents past the 49 largest share one summed row, and the card says so', async () => {
    // 60 dependents, web-0 the largest: 60 − i instances × pool 2 each
    const dependents = Array.from({ length: 60 }, (_, i) =>
      dependentComponent(`web-${i}`, {
        'ops.example.com/db-pool-size': '2',
        'ops.example.com/max-instances': String(60 - i),
      }),
    );
    await renderCard(dependents, {
      ...budgetedOrdersDb,
      metadata: {
        ...budgetedOrdersDb.metadata,
        annotations: {
          ...budgetedOrdersDb.metadata.annotations,
          'ops.example.com/max-connections': '100000',
        },
      },
      relations: dependents.map(d => ({
        type: 'dependencyOf',
        targetRef: `component:default/${d.metadata.name}`,
      })),
    });
    // the smallest 11 (web-49 … web-59: 11 … 1 instances × 2) in one row, last
    expect(await screen.findByLabelText('Client (row 50)')).toHaveValue(
      'other clients (11)',
    );
    expect(screen.getByLabelText('Max instances (row 50)')).toHaveValue('132');
    expect(screen.getByLabelText('Pool size (row 50)')).toHaveValue('1');
    expect(screen.queryByLabelText('Client (row 51)')).toBeNull();
    expect(
      screen.getByText(
        '60 dependents declare a pool, more than the 50 client rows: the 49 opening the most connections have their own rows, the other 11 are summed as “other clients (11)” (132 connections at full scale).',
      ),
    ).toBeInTheDocument();
    // a budget, not a refusal: the demand of all 60 is Σ 2 × (1 … 60) = 3,660
    expect(screen.queryByText(/must be between 0 and 50 rows/)).toBeNull();
    expect(screen.getByTestId('recommendation')).toHaveTextContent(/3660/);
    // 50 rows of four fields render slowly on a busy machine
  }, 60_000);
});
