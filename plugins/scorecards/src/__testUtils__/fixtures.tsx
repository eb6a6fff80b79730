import type { Entity } from '@backstage/catalog-model';
import type { RollupRow, Waiver } from '@internal/plugin-scorecards-common';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import type {
  EntityScorecard,
  EntityScorecardResponse,
  RollupGroupBy,
  ScorecardHistory,
  ScorecardsApi,
} from '../api';
import { scorecardsApiRef } from '../api';
import { checkoutScorecardBase } from './demoScorecards';

const DAY_MS = 86400000;

/** An ISO instant `days` from now (negative = in the past). */
export function daysFromNow(days: number): string {
  return new Date(Date.now() + days * DAY_MS).toISOString();
}

/** The demo catalog's checkout-service entity. */
export const checkoutService: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'checkout-service', namespace: 'default' },
  spec: {
    type: 'service',
    lifecycle: 'production',
    owner: 'group:default/checkout-team',
  },
};

/** A waiver record for checkout-service. */
export function waiver(overrides: Partial<Waiver>): Waiver {
  return {
    id: 'w1',
    entityRef: 'component:default/checkout-service',
    checkId: 'dependencies-match-observed',
    kind: 'exception',
    reason: 'Pricing call is being removed in the next release.',
    owner: 'group:default/checkout-team',
    requestedBy: 'user:default/ana.ruiz',
    approvedBy: 'user:default/ben.okafor',
    createdAt: daysFromNow(-10),
    expiresAt: daysFromNow(20),
    status: 'active',
    ...overrides,
  };
}

/** checkout-service with a 90-day trend (L2 until 3 days ago, then L1) and the regression behind it. */
export function checkoutScorecard(
  overrides: Partial<EntityScorecard> = {},
): EntityScorecard {
  const trend = Array.from({ length: 90 }, (_, i) => ({
    date: daysFromNow(i - 89).slice(0, 10),
    level: (i < 87 ? 'L2' : 'L1') as EntityScorecard['level'],
  }));
  const at = `${trend[87].date}T09:00:00.000Z`;
  return {
    ...checkoutScorecardBase,
    trend,
    regressions: [
      {
        entityRef: 'component:default/checkout-service',
        checkId: null,
        from: 'L2',
        to: 'L1',
        at,
        cause: 'evidence-changed',
        checkVersion: null,
        regression: true,
      },
      {
        entityRef: 'component:default/checkout-service',
        checkId: 'dependencies-match-observed',
        from: 'pass',
        to: 'fail',
        at,
        cause: 'evidence-changed',
        checkVersion: 1,
        regression: true,
      },
    ],
    ...overrides,
  };
}

/** Rollup rows by owner, as the backend computes them for part of the demo catalog. */
export const ownerRows: RollupRow[] = [
  row('group:default/checkout-team', { L1: 2, L2: 1 }, 3, 0),
  row('group:default/payments-team', { L1: 1, L3: 1 }, 2, 1),
  row('group:default/fulfillment-team', { none: 1, L2: 2 }, 3, 0),
];

function row(
  key: string,
  levels: Partial<RollupRow['byLevel']>,
  entities: number,
  platformBlocked: number,
): RollupRow {
  const byLevel = { L0: 0, L1: 0, L2: 0, L3: 0, none: 0, ...levels };
  return {
    key,
    kind: 'owner',
    entities,
    byLevel,
    notRated: 0,
    atOrAboveExpected: byLevel.L3 + byLevel.L2,
    belowExpected: byLevel.L0 + byLevel.L1 + byLevel.none,
    failingServiceOwned: byLevel.L1,
    platformBlocked,
    unknown: 0,
    waiversActive: 0,
    waiversExpiring14d: 0,
    regressions7d: 0,
    checks: {},
  };
}

/** A fake backend: answers from fields the test sets, records calls, fails when told to. */
export class FakeScorecardsApi implements ScorecardsApi {
  scorecard: EntityScorecardResponse = checkoutScorecard();
  rollups: Record<RollupGroupBy, RollupRow[]> = {
    owner: ownerRows,
    system: [
      { ...ownerRows[0], key: 'system:default/checkout', kind: 'system' },
    ],
    domain: [],
  };
  error?: Error;
  calls: { method: string; arg: string }[] = [];

  async getEntityScorecard(entityRef: string) {
    this.calls.push({ method: 'getEntityScorecard', arg: entityRef });
    if (this.error) throw this.error;
    return this.scorecard;
  }
  async getHistory(entityRef: string): Promise<ScorecardHistory> {
    this.calls.push({ method: 'getHistory', arg: entityRef });
    if (this.error) throw this.error;
    return { levels: [], transitions: [] };
  }
  async getRollups(groupBy: RollupGroupBy) {
    this.calls.push({ method: 'getRollups', arg: groupBy });
    if (this.error) throw this.error;
    return this.rollups[groupBy];
  }
  async getRollupsCsv(groupBy: RollupGroupBy) {
    this.calls.push({ method: 'getRollupsCsv', arg: groupBy });
    return '';
  }
}

/** Renders an entity card or tab for `entity` with the fake API. */
export async function renderWithEntity(
  element: JSX.Element,
  api = new FakeScorecardsApi(),
  entity: Entity = checkoutService,
): Promise<{ api: FakeScorecardsApi }> {
  await renderInTestApp(
    <EntityProvider entity={entity}>{element}</EntityProvider>,
    { apis: [[scorecardsApiRef, api]] },
  );
  return { api };
}
