import { act } from 'react';
import { renderHook, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  TestApiProvider,
  renderInTestApp,
} from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import type { Entity } from '@backstage/catalog-model';
import {
  CostFact,
  CostFactsApi,
  CostFactsRequest,
  costFactsApiRef,
} from '../api';
import {
  calculatorsApi,
  captureClipboard,
  ordersDb,
} from '../__testUtils__/testContext';
import { CostCalculatorCard } from './CostCalculatorCard';
import { CostCalculatorsContent } from './CostCalculatorsPage';
import { COST_FACTS_TIMEOUT_MS, useCostFacts } from './useCostFacts';

jest.setTimeout(30_000);

/** A test implementation answering with `facts` and recording what it was asked. */
function factsApi(
  answer: (
    request: CostFactsRequest,
  ) => Promise<Record<string, CostFact> | undefined>,
) {
  const requests: CostFactsRequest[] = [];
  const api: CostFactsApi = {
    getCostFacts: request => {
      requests.push(request);
      return answer(request);
    },
  };
  return { api, requests };
}

const answering = (facts: Record<string, CostFact>) =>
  factsApi(async () => facts);

/** P95 load from the billing export: with them C1 computes, and its chips say where each value came from. */
const BILLING_LOAD: Record<string, CostFact> = {
  p95CpuPercent: { value: '35', source: 'billing export' },
  p95MemoryPercent: { value: '30', source: 'billing export' },
};

/** The note's date is 2026-11-23: 2026-11-20 is 3 days old. */
const BILLING_SPEND: CostFact = {
  value: '12000.50',
  source: 'billing export',
  asOf: '2026-11-20',
};

function renderCommitmentCard(
  costFacts: CostFactsApi | undefined,
  entity: Entity = ordersDb,
) {
  return renderInTestApp(
    <EntityProvider entity={entity}>
      <CostCalculatorCard cardId="commitment" />
    </EntityProvider>,
    {
      apis: [
        calculatorsApi(),
        catalogApiMock({ entities: [] }),
        ...(costFacts ? [[costFactsApiRef, costFacts] as const] : []),
      ],
    },
  );
}

async function openCommitNowTab() {
  await userEvent.setup().click(
    await screen.findByRole('tab', {
      name: 'Commit now vs right-size first',
    }),
  );
}

const chip = (label: string) => screen.getByLabelText(`Source of ${label}`);

describe('cost facts (optional CostFactsApi)', () => {
  it('fills an input from a fact over its annotation, leaving the other inputs to their annotations', async () => {
    const { api, requests } = answering({
      ...BILLING_LOAD,
      currentMonthly: BILLING_SPEND,
    });
    await renderCommitmentCard(api);

    expect(await screen.findByLabelText(/^Current on-demand cost/)).toHaveValue(
      '12000.50',
    );
    expect(
      chip('Current on-demand cost: cost facts · billing export · 3 d old'),
    ).toBeInTheDocument();
    // No fact for the profile length: the annotation still fills it.
    expect(screen.getByLabelText(/^Load profile length/)).toHaveValue('90');
    expect(
      chip(
        'Load profile length: annotation ops.example.com/profile-days · age unknown',
      ),
    ).toBeInTheDocument();
    expect(requests).toEqual([
      {
        entityRef: 'resource:default/orders-db',
        calculatorId: 'rightsize-p95',
        inputIds: expect.arrayContaining([
          'currentMonthly',
          'p95CpuPercent',
          'profileDays',
        ]),
      },
    ]);
  });

  it('prefers a fact older than the annotation (precedence is by layer) and shows its age', async () => {
    // orders-db's monthly-spend is as of 2026-09-15 (69 days); this fact is 175 days old.
    const { api } = answering({
      ...BILLING_LOAD,
      currentMonthly: { ...BILLING_SPEND, asOf: '2026-06-01' },
    });
    await renderCommitmentCard(api);

    expect(await screen.findByLabelText(/^Current on-demand cost/)).toHaveValue(
      '12000.50',
    );
    // Past the 90-day age limit: amber like an annotation of that date.
    expect(
      chip(
        'Current on-demand cost: cost facts · billing export · 175 d old (stale)',
      ),
    ).toBeInTheDocument();
  });

  it.each([
    // [fact measured on, age on 2026-11-23, stale warning expected (limit 90 days)]
    ['2026-11-20', 3, false],
    ['2026-08-25', 90, false],
    ['2026-08-24', 91, true],
    ['2026-06-01', 175, true],
  ])(
    'a fact measured on %s (%s days old) is warned about as stale: %s',
    async (asOf, days, stale) => {
      await renderCommitmentCard(
        answering({
          ...BILLING_LOAD,
          currentMonthly: { ...BILLING_SPEND, asOf },
        }).api,
      );
      expect(await screen.findByTestId('recommendation')).toBeInTheDocument();
      const warning = `The cost fact for Current on-demand cost from billing export is ${days} days old (as of ${asOf}); the limit is 90 days.`;
      expect(screen.queryAllByText(warning)).toHaveLength(stale ? 1 : 0);
      // Like a stale annotation's, the warning goes with the result into the export.
      const user = userEvent.setup();
      const clipboard = captureClipboard();
      await user.click(
        screen.getByRole('button', { name: 'Copy as markdown' }),
      );
      await waitFor(() => expect(clipboard.texts).toHaveLength(1));
      expect(
        clipboard.texts[0].includes(`> Warning (stale-cost-fact): ${warning}`),
      ).toBe(stale);
      if (!stale) return;
      // Typed over, the fact no longer applies and neither does its warning.
      const field = screen.getByLabelText(/^Current on-demand cost/);
      await user.clear(field);
      await user.type(field, '11000');
      await waitFor(() =>
        expect(screen.queryByText(warning)).not.toBeInTheDocument(),
      );
    },
  );

  it('drops the stale warning of an annotation a fact replaced', async () => {
    const staleSpend: Entity = {
      ...ordersDb,
      metadata: {
        ...ordersDb.metadata,
        annotations: {
          ...ordersDb.metadata.annotations,
          'ops.example.com/monthly-spend-as-of': '2026-01-01',
        },
      },
    };
    await renderCommitmentCard(
      answering({ ...BILLING_LOAD, currentMonthly: BILLING_SPEND }).api,
      staleSpend,
    );

    expect(await screen.findByTestId('recommendation')).toBeInTheDocument();
    expect(
      screen.queryByText(/monthly-spend is \d+ days old/),
    ).not.toBeInTheDocument();
  });

  it.each([
    ['rejects', () => Promise.reject(new Error('billing export unreachable'))],
    [
      'throws',
      () => {
        throw new Error('billing export unreachable');
      },
    ],
  ])(
    'uses the annotations and says so when the implementation %s',
    async (_, answer) => {
      await renderCommitmentCard(factsApi(answer as any).api);
      await openCommitNowTab();

      expect(
        await screen.findByText(
          'Cost facts for resource:default/orders-db could not be read (the cost facts service failed); the form is prefilled without them.',
        ),
      ).toBeInTheDocument();
      expect(
        screen.getByText('It said: billing export unreachable'),
      ).toBeInTheDocument();
      expect(screen.getByLabelText(/^Current on-demand cost/)).toHaveValue(
        '10000',
      );
      expect(
        chip(
          'Current on-demand cost: annotation ops.example.com/monthly-spend · 69 d old',
        ),
      ).toBeInTheDocument();
    },
  );

  it('says it is reading cost facts and shows the form only with their values', async () => {
    let answer: (facts: Record<string, CostFact>) => void = () => {};
    const { api } = factsApi(
      () =>
        new Promise(resolve => {
          answer = resolve;
        }),
    );
    await renderCommitmentCard(api);

    expect(await screen.findByRole('status')).toHaveTextContent(
      'Reading cost facts…',
    );
    // Not the annotation's 10000 first and the fact later: no form until the facts are in.
    expect(
      screen.queryByLabelText(/^Current on-demand cost/),
    ).not.toBeInTheDocument();

    await act(async () => answer({ currentMonthly: BILLING_SPEND }));
    expect(await screen.findByLabelText(/^Current on-demand cost/)).toHaveValue(
      '12000.50',
    );
    expect(screen.queryByText('Reading cost facts…')).not.toBeInTheDocument();
  });

  it('asks each calculator of a card for its own facts', async () => {
    const { api, requests } = answering({
      currentMonthly: BILLING_SPEND,
      onDemandMonthly: BILLING_SPEND,
    });
    await renderCommitmentCard(api);
    await screen.findByLabelText(/^Current on-demand cost/);

    await userEvent
      .setup()
      .click(screen.getByRole('tab', { name: 'RI break-even months' }));
    expect(await screen.findByLabelText(/^On-demand cost/)).toHaveValue(
      '12000.50',
    );
    expect(requests.map(r => r.calculatorId)).toEqual([
      'rightsize-p95',
      'commitment-break-even',
    ]);
  });

  it('without an implementation prefills from the annotations at once, as before', async () => {
    await renderCommitmentCard(undefined);
    expect(screen.queryByText('Reading cost facts…')).not.toBeInTheDocument();
    await openCommitNowTab();

    expect(await screen.findByLabelText(/^Current on-demand cost/)).toHaveValue(
      '10000',
    );
    expect(screen.queryByText('Reading cost facts…')).not.toBeInTheDocument();
    expect(
      chip(
        'Current on-demand cost: annotation ops.example.com/monthly-spend · 69 d old',
      ),
    ).toBeInTheDocument();
  });

  it('on the page, a link value wins over a fact, and a fact over an annotation, input by input', async () => {
    const { api } = answering({
      currentMonthly: BILLING_SPEND,
      p95CpuPercent: { value: '35', source: 'cost insights' },
      p95MemoryPercent: { value: '30', source: 'cost insights' },
    });
    await renderInTestApp(<CostCalculatorsContent />, {
      mountPath: '/cost-calculators/*',
      initialRouteEntries: [
        '/cost-calculators/rightsize-p95?entity=resource%3Adefault%2Forders-db&currentMonthly=9000',
      ],
      apis: [
        calculatorsApi(),
        catalogApiMock({ entities: [ordersDb] }),
        [costFactsApiRef, api],
      ],
    });

    expect(await screen.findByLabelText(/^Current on-demand cost/)).toHaveValue(
      '9000',
    );
    expect(chip('Current on-demand cost: link')).toBeInTheDocument();
    expect(screen.getByLabelText(/^P95 CPU utilisation/)).toHaveValue('35');
    expect(
      chip('P95 CPU utilisation: cost facts · cost insights · age unknown'),
    ).toBeInTheDocument();
    expect(
      chip(
        'Load profile length: annotation ops.example.com/profile-days · age unknown',
      ),
    ).toBeInTheDocument();
  });
});

describe('cost facts the form cannot use', () => {
  it.each([
    ['an empty', ''],
    ['a blank', '   '],
  ])(
    'reads %s text fact as no fact: the annotation fills the input',
    async (_, value) => {
      await renderCommitmentCard(
        answering({
          ...BILLING_LOAD,
          currentMonthly: { value, source: 'billing export' },
        }).api,
      );

      expect(
        await screen.findByLabelText(/^Current on-demand cost/),
      ).toHaveValue('10000');
      expect(
        chip(
          'Current on-demand cost: annotation ops.example.com/monthly-spend · 69 d old',
        ),
      ).toBeInTheDocument();
    },
  );

  it('ignores a boolean for a money input with a notice, and the annotation fills it', async () => {
    await renderCommitmentCard(
      answering({
        ...BILLING_LOAD,
        currentMonthly: { value: true, source: 'billing export' },
      }).api,
    );

    expect(await screen.findByLabelText(/^Current on-demand cost/)).toHaveValue(
      '10000',
    );
    expect(
      screen.getByText(
        'Ignored the cost fact for Current on-demand cost from billing export: true is not a number or a decimal string.',
      ),
    ).toBeInTheDocument();
    expect(screen.queryByText(/must be/)).not.toBeInTheDocument();
  });

  it('names no system for a source that is not text', async () => {
    await renderCommitmentCard(
      answering({
        ...BILLING_LOAD,
        p95CpuPercent: { value: '35', source: { system: 'billing' } as any },
      }).api,
    );

    expect(await screen.findByLabelText(/^P95 CPU utilisation/)).toHaveValue(
      '35',
    );
    expect(
      chip('P95 CPU utilisation: cost facts · age unknown'),
    ).toBeInTheDocument();
    expect(screen.queryByText(/\[object Object\]/)).not.toBeInTheDocument();
  });

  it('reads a fact dated the day after asOf (a UTC date seen west of UTC) as today’s, not as undated', async () => {
    await renderCommitmentCard(
      answering({
        ...BILLING_LOAD,
        currentMonthly: { ...BILLING_SPEND, asOf: '2026-11-24' },
      }).api,
    );
    expect(await screen.findByTestId('recommendation')).toBeInTheDocument();
    expect(screen.queryByText(/is after asOf/)).toBeNull();
    expect(
      chip('Current on-demand cost: cost facts · billing export · 0 d old'),
    ).toBeInTheDocument();
  });

  it('treats a fact dated after asOf like such an annotation: a notice, and no date in the export', async () => {
    await renderCommitmentCard(
      answering({
        ...BILLING_LOAD,
        currentMonthly: { ...BILLING_SPEND, asOf: '2030-01-01' },
      }).api,
    );
    expect(await screen.findByTestId('recommendation')).toBeInTheDocument();
    const user = userEvent.setup();
    const clipboard = captureClipboard();

    expect(
      screen.getByText(
        'Ignored the date of the cost fact for Current on-demand cost from billing export: "2030-01-01" is after asOf 2026-11-23, so its age is unknown.',
      ),
    ).toBeInTheDocument();
    expect(
      chip('Current on-demand cost: cost facts · billing export · age unknown'),
    ).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Copy as markdown' }));
    await waitFor(() => expect(clipboard.texts).toHaveLength(1));
    expect(clipboard.texts[0]).toContain(
      '| Current on-demand cost | $12,000.50/month | cost facts · billing export (age unknown) |',
    );
    expect(clipboard.texts[0]).not.toContain('(2030-01-01)');
  });
});

describe('cost facts over annotation dates', () => {
  it.each([
    ['after asOf', '2030-01-01'],
    ['not a date', 'last week'],
  ])(
    "drops the notice about a replaced annotation's date %s",
    async (_, asOf) => {
      const datedSpend: Entity = {
        ...ordersDb,
        metadata: {
          ...ordersDb.metadata,
          annotations: {
            ...ordersDb.metadata.annotations,
            'ops.example.com/monthly-spend-as-of': asOf,
          },
        },
      };
      await renderCommitmentCard(
        answering({ ...BILLING_LOAD, currentMonthly: BILLING_SPEND }).api,
        datedSpend,
      );

      expect(await screen.findByTestId('recommendation')).toBeInTheDocument();
      expect(
        screen.queryByText(/Ignored ops\.example\.com\/monthly-spend-as-of/),
      ).not.toBeInTheDocument();
    },
  );

  it("keeps that notice when the annotation's value is still read", async () => {
    await renderCommitmentCard(answering(BILLING_LOAD).api, {
      ...ordersDb,
      metadata: {
        ...ordersDb.metadata,
        annotations: {
          ...ordersDb.metadata.annotations,
          'ops.example.com/monthly-spend-as-of': '2030-01-01',
        },
      },
    });

    expect(
      await screen.findByText(
        /^Ignored ops\.example\.com\/monthly-spend-as-of: "2030-01-01" is after asOf/,
      ),
    ).toBeInTheDocument();
  });
});

describe('a link value over a dated fact or annotation', () => {
  /** orders-db with `monthly-spend-as-of` set to `asOf`. */
  const spendAsOf = (asOf: string): Entity => ({
    ...ordersDb,
    metadata: {
      ...ordersDb.metadata,
      annotations: {
        ...ordersDb.metadata.annotations,
        'ops.example.com/monthly-spend-as-of': asOf,
      },
    },
  });

  function renderPageWithLink(entity: Entity, facts: Record<string, CostFact>) {
    return renderInTestApp(<CostCalculatorsContent />, {
      mountPath: '/cost-calculators/*',
      initialRouteEntries: [
        '/cost-calculators/rightsize-p95?entity=resource%3Adefault%2Forders-db&currentMonthly=9000',
      ],
      apis: [
        calculatorsApi(),
        catalogApiMock({ entities: [entity] }),
        [costFactsApiRef, answering(facts).api],
      ],
    });
  }

  it.each([
    // [what the link replaced, entity, facts, the notice about its date that must go]
    [
      'a stale annotation',
      spendAsOf('2026-01-01'),
      BILLING_LOAD,
      /monthly-spend is \d+ days old/,
    ],
    [
      'an annotation dated after asOf',
      spendAsOf('2030-01-01'),
      BILLING_LOAD,
      /Ignored ops\.example\.com\/monthly-spend-as-of/,
    ],
    [
      'an annotation whose date is not a date',
      spendAsOf('last week'),
      BILLING_LOAD,
      /Ignored ops\.example\.com\/monthly-spend-as-of/,
    ],
    [
      'a stale fact',
      ordersDb,
      {
        ...BILLING_LOAD,
        currentMonthly: { ...BILLING_SPEND, asOf: '2026-06-01' },
      },
      /The cost fact for Current on-demand cost .* days old/,
    ],
    [
      'a fact dated after asOf',
      ordersDb,
      {
        ...BILLING_LOAD,
        currentMonthly: { ...BILLING_SPEND, asOf: '2030-01-01' },
      },
      /Ignored the date of the cost fact/,
    ],
  ])(
    'drops the notice about the age of %s it replaced',
    async (_, entity, facts, notice) => {
      await renderPageWithLink(entity, facts);

      expect(await screen.findByTestId('recommendation')).toBeInTheDocument();
      expect(chip('Current on-demand cost: link')).toBeInTheDocument();
      expect(screen.queryByText(notice)).not.toBeInTheDocument();
    },
  );

  it('keeps the notice about the date of a fact whose value is still read', async () => {
    await renderPageWithLink(ordersDb, {
      ...BILLING_LOAD,
      p95CpuPercent: {
        value: '35',
        source: 'cost insights',
        asOf: '2030-01-01',
      },
    });

    expect(
      await screen.findByText(
        /^Ignored the date of the cost fact for P95 CPU utilisation from cost insights/,
      ),
    ).toBeInTheDocument();
  });
});

describe('a yes/no cost fact given as text', () => {
  function renderFailoverPage(facts: Record<string, CostFact>) {
    return renderInTestApp(<CostCalculatorsContent />, {
      mountPath: '/cost-calculators/*',
      initialRouteEntries: [
        '/cost-calculators/failover-rto?entity=resource%3Adefault%2Forders-db&service=aurora',
      ],
      apis: [
        calculatorsApi(),
        catalogApiMock({ entities: [ordersDb] }),
        [costFactsApiRef, answering(facts).api],
      ],
    });
  }

  it('reads the usual spellings', async () => {
    await renderFailoverPage({
      sameIpFailover: { value: 'Yes', source: 'asset inventory' },
    });
    const select = await screen.findByRole('button', {
      name: /^Same-IP failover/,
    });
    expect(select.textContent).toBe('yes');
    expect(
      chip('Same-IP failover: cost facts · asset inventory · age unknown'),
    ).toBeInTheDocument();
  });

  it('ignores other text with a notice naming the field and the value', async () => {
    await renderFailoverPage({
      sameIpFailover: { value: 'probably', source: 'asset inventory' },
    });

    expect(
      await screen.findByText(
        'Ignored the cost fact for Same-IP failover from asset inventory: "probably" is not yes or no (true, false, yes, no, y, n, on, off, 1, 0).',
      ),
    ).toBeInTheDocument();
    expect(screen.queryByText(/must be true or false/)).toBeNull();
  });
});

/** An Azure VM whose annotations choose the one Azure VM offer for its SQL Server engine. */
const azureVm: Entity = {
  ...ordersDb,
  metadata: {
    ...ordersDb.metadata,
    annotations: {
      ...ordersDb.metadata.annotations,
      'ops.example.com/service': 'azure-vm',
      'ops.example.com/vcpus': '8',
    },
  },
};

/** The two hourly prices C6 needs for azureVm's offer: with them it computes, and its chips show. */
const C6_PRICES: Record<string, CostFact> = {
  licenseIncludedHourly: { value: '1.20', source: 'billing export' },
  computeOnlyHourly: { value: '0.40', source: 'billing export' },
};

describe('a yes/no cost fact given as a number', () => {
  function renderLicensingCard(facts: Record<string, CostFact>) {
    return renderInTestApp(
      <EntityProvider entity={azureVm}>
        <CostCalculatorCard cardId="licensing" />
      </EntityProvider>,
      {
        apis: [
          calculatorsApi(),
          catalogApiMock({ entities: [] }),
          [costFactsApiRef, answering(facts).api],
        ],
      },
    );
  }

  it.each([
    [1, 'yes'],
    [0, 'no'],
  ])('reads %j as %s', async (value, shown) => {
    await renderLicensingCard({
      ...C6_PRICES,
      hyperThreading: { value, source: 'asset inventory' },
    });
    const select = await screen.findByRole('button', {
      name: /^Hyper-threading/,
    });
    expect(select.textContent).toBe(shown);
    expect(select).toHaveAttribute('aria-invalid', 'false');
    expect(
      chip('Hyper-threading: cost facts · asset inventory · age unknown'),
    ).toBeInTheDocument();
    expect(screen.queryByText(/Ignored the cost fact/)).toBeNull();
  });

  it('ignores another number with a notice naming the field and the value, not a validation error', async () => {
    await renderLicensingCard({
      ...C6_PRICES,
      hyperThreading: { value: 2, source: 'asset inventory' },
    });
    const select = await screen.findByRole('button', {
      name: /^Hyper-threading/,
    });

    expect(
      screen.getByText(
        'Ignored the cost fact for Hyper-threading from asset inventory: 2 is not yes or no (true, false, yes, no, y, n, on, off, 1, 0).',
      ),
    ).toBeInTheDocument();
    await userEvent
      .setup()
      .click(screen.getByRole('button', { name: 'Compute' }));
    expect(select).toHaveAttribute('aria-invalid', 'false');
    expect(screen.queryByText(/must be true or false/)).toBeNull();
  });
});

describe('a blank yes/no value in a link', () => {
  it('is no value: no notice, and the cost fact fills the input', async () => {
    await renderInTestApp(<CostCalculatorsContent />, {
      mountPath: '/cost-calculators/*',
      initialRouteEntries: [
        '/cost-calculators/db-licensing?entity=resource%3Adefault%2Forders-db&hyperThreading=',
      ],
      apis: [
        calculatorsApi(),
        catalogApiMock({ entities: [azureVm] }),
        [
          costFactsApiRef,
          answering({
            ...C6_PRICES,
            hyperThreading: { value: 'no', source: 'asset inventory' },
          }).api,
        ],
      ],
    });

    const select = await screen.findByRole('button', {
      name: /^Hyper-threading/,
    });
    expect(select.textContent).toBe('no');
    expect(
      chip('Hyper-threading: cost facts · asset inventory · age unknown'),
    ).toBeInTheDocument();
    expect(screen.queryByText(/Ignored the link's value/)).toBeNull();
  });
});

describe('a blank number in a link', () => {
  it('is no value: the cost fact fills the input, as for a yes/no input', async () => {
    await renderInTestApp(<CostCalculatorsContent />, {
      mountPath: '/cost-calculators/*',
      initialRouteEntries: [
        '/cost-calculators/db-licensing?entity=resource%3Adefault%2Forders-db&licenseIncludedHourly=',
      ],
      apis: [
        calculatorsApi(),
        catalogApiMock({ entities: [azureVm] }),
        [costFactsApiRef, answering(C6_PRICES).api],
      ],
    });

    expect(await screen.findByLabelText(/^Licence-included price/)).toHaveValue(
      '1.20',
    );
    expect(
      chip('Licence-included price: cost facts · billing export · age unknown'),
    ).toBeInTheDocument();
  });
});

describe('cost facts over the C6 offer the annotations chose', () => {
  function renderLicensingCard(costFacts: CostFactsApi) {
    return renderInTestApp(
      <EntityProvider entity={azureVm}>
        <CostCalculatorCard cardId="licensing" />
      </EntityProvider>,
      {
        apis: [
          calculatorsApi(),
          catalogApiMock({ entities: [] }),
          [costFactsApiRef, costFacts],
        ],
      },
    );
  }

  it('keeps the offer when the facts do not name another provider or engine', async () => {
    await renderLicensingCard(answering({}).api);
    expect(
      (await screen.findByRole('button', { name: /^Offer/ })).textContent,
    ).toBe('SQL Server on Azure Virtual Machines (azure.vm.sqlserver)');
  });

  it.each([
    ['provider', { provider: { value: 'gcp', source: 'asset inventory' } }],
    [
      'engine',
      {
        engineEdition: {
          value: 'postgres',
          source: 'asset inventory',
        },
      },
    ],
  ])(
    'leaves the offer for the user when a fact names another %s',
    async (_, facts) => {
      await renderLicensingCard(answering(facts).api);

      expect(
        (await screen.findByRole('button', { name: /^Offer/ })).textContent,
      ).toBe('choose');
      expect(
        screen.queryByText(/does not match offer/),
      ).not.toBeInTheDocument();
    },
  );

  it('on the page, leaves the offer for the user when the link names another provider', async () => {
    await renderInTestApp(<CostCalculatorsContent />, {
      mountPath: '/cost-calculators/*',
      initialRouteEntries: [
        '/cost-calculators/db-licensing?entity=resource%3Adefault%2Forders-db&provider=gcp',
      ],
      apis: [calculatorsApi(), catalogApiMock({ entities: [azureVm] })],
    });

    expect(
      (await screen.findByRole('button', { name: /^Offer/ })).textContent,
    ).toBe('choose');
    expect(screen.queryByText(/does not match offer/)).not.toBeInTheDocument();
  });
});

describe('asking for cost facts', () => {
  it('asks once per calculator for the card: returning to a tab shows its facts at once', async () => {
    const { api, requests } = answering({
      ...BILLING_LOAD,
      currentMonthly: BILLING_SPEND,
      onDemandMonthly: BILLING_SPEND,
    });
    await renderCommitmentCard(api);
    await screen.findByLabelText(/^Current on-demand cost/);
    const user = userEvent.setup();

    await user.click(screen.getByRole('tab', { name: 'RI break-even months' }));
    await screen.findByLabelText(/^On-demand cost/);
    await user.click(screen.getByRole('tab', { name: 'P95 right-size' }));

    // At once: no "Reading cost facts…" in between, and no third request.
    expect(screen.getByLabelText(/^Current on-demand cost/)).toHaveValue(
      '12000.50',
    );
    expect(requests.map(r => r.calculatorId)).toEqual([
      'rightsize-p95',
      'commitment-break-even',
    ]);
  });

  it('says when the form is ready in the status region that said it was reading', async () => {
    let answer: (facts: Record<string, CostFact>) => void = () => {};
    await renderCommitmentCard(
      factsApi(
        () =>
          new Promise(resolve => {
            answer = resolve;
          }),
      ).api,
    );
    const region = await screen.findByRole('status');
    expect(region).toHaveTextContent('Reading cost facts…');

    await act(async () => answer({ currentMonthly: BILLING_SPEND }));
    await screen.findByLabelText(/^Current on-demand cost/);
    // The same element, its text changed: screen readers announce that, not an inserted one.
    expect(region).toBeInTheDocument();
    expect(region).toHaveTextContent('Cost facts read; the form is ready.');
  });
});

describe('an implementation that fails in its own words', () => {
  async function copyMarkdownOfCommitNow() {
    const user = userEvent.setup();
    await user.click(
      await screen.findByRole('tab', {
        name: 'Commit now vs right-size first',
      }),
    );
    await user.type(
      screen.getByLabelText(/^Right-sized on-demand cost/),
      '4000',
    );
    const clipboard = captureClipboard();
    await user.click(screen.getByRole('button', { name: 'Copy as markdown' }));
    await waitFor(() => expect(clipboard.texts).toHaveLength(1));
    return clipboard.texts[0];
  }

  it('shows its message on screen with URL credentials masked, and keeps it out of the export', async () => {
    await renderCommitmentCard(
      factsApi(() =>
        Promise.reject(
          new Error(
            'GET https://bob:s3cr3t@billing.example.com/spend answered 503',
          ),
        ),
      ).api,
    );
    const markdown = await copyMarkdownOfCommitNow();

    expect(
      screen.getByText(
        'It said: GET https://***@billing.example.com/spend answered 503',
      ),
    ).toBeInTheDocument();
    expect(document.body).not.toHaveTextContent('s3cr3t');
    expect(markdown).toContain(
      'Cost facts for resource:default/orders-db could not be read (the cost facts service failed); the form is prefilled without them.',
    );
    expect(markdown).not.toContain('billing.example.com');
  });

  it('says nothing of a rejection that is not an Error or text', async () => {
    await renderCommitmentCard(
      factsApi(() => Promise.reject({ status: 503 })).api,
    );

    expect(
      await screen.findByText(
        'Cost facts for resource:default/orders-db could not be read (the cost facts service failed); the form is prefilled without them.',
      ),
    ).toBeInTheDocument();
    expect(screen.queryByText(/object Object/)).not.toBeInTheDocument();
    expect(screen.queryByText(/^It said/)).not.toBeInTheDocument();
  });
});

describe('useCostFacts', () => {
  afterEach(() => jest.useRealTimers());

  it('gives up on an implementation that does not answer, with a notice', () => {
    jest.useFakeTimers();
    const hanging: CostFactsApi = {
      getCostFacts: () => new Promise(() => {}),
    };
    const { result } = renderHook(
      () => useCostFacts('rightsize-p95', 'resource:default/orders-db'),
      {
        wrapper: ({ children }) => (
          <TestApiProvider apis={[[costFactsApiRef, hanging]]}>
            {children}
          </TestApiProvider>
        ),
      },
    );
    expect(result.current).toEqual({ state: 'loading' });

    act(() => {
      jest.advanceTimersByTime(COST_FACTS_TIMEOUT_MS);
    });
    expect(result.current).toEqual({
      state: 'done',
      facts: {},
      asked: true,
      warnings: [
        expect.objectContaining({
          kind: 'cost-facts-unavailable',
          message: `Cost facts for resource:default/orders-db could not be read (no answer within ${
            COST_FACTS_TIMEOUT_MS / 1000
          } s); the form is prefilled without them.`,
        }),
      ],
    });
  });
});
