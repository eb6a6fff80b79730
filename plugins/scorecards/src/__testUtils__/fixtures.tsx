import type { JSX } from 'react';
import type { Entity } from '@backstage/catalog-model';
import type { RollupRow, Waiver } from '@internal/plugin-scorecards-common';
import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import {
  PermissionApi,
  permissionApiRef,
} from '@backstage/plugin-permission-react';
import { ResponseError } from '@backstage/errors';
import type {
  CampaignWithProgress,
  NewCampaignBody,
  CheckSummary,
  StandardSummary,
  EntityScorecard,
  EntityScorecardResponse,
  RollupGroupBy,
  RollupEntityFilter,
  RollupOptions,
  RollupHistoryPoint,
  RollupHistoryQuery,
  ScorecardHistory,
  ScorecardHistoryQuery,
  ScorecardsApi,
  WaiverQuery,
  WaiverRequestBody,
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
  /** What `getHistory` answers; with a `checkId` only that check's transitions, as the backend. */
  history: ScorecardHistory = { levels: [], transitions: [] };
  /** Error `getHistory` answers with while set (the scorecard itself still loads). */
  historyError?: Error;
  /** Error `getHistory` answers with for one check's transitions (a `checkId` query) while set. */
  checkHistoryError?: Error;
  /** The query of every history read, in order. */
  historyQueries: ScorecardHistoryQuery[] = [];
  async getHistory(
    entityRef: string,
    query: ScorecardHistoryQuery = {},
  ): Promise<ScorecardHistory> {
    this.calls.push({ method: 'getHistory', arg: entityRef });
    this.historyQueries.push(query);
    if (this.error) throw this.error;
    if (this.historyError) throw this.historyError;
    if (query.checkId === undefined) return this.history;
    if (this.checkHistoryError) throw this.checkHistoryError;
    return {
      ...this.history,
      transitions: this.history.transitions.filter(
        t => t.checkId === query.checkId,
      ),
    };
  }
  /** Rows answered for owner rollups including child groups (§2.11); default the plain owner rows. */
  rollupsWithChildGroups?: RollupRow[];
  /** The entity filter of every rollup read, in order. */
  rollupFilters: RollupEntityFilter[] = [];
  /** The window `getRollups` answers for the expiring-waiver count; default none (an older backend). */
  rollupsExpiringWithinDays?: number;
  /** Rows answered while an entity filter is set; default the unfiltered rows. */
  filteredRollups?: RollupRow[];
  async getRollups(groupBy: RollupGroupBy, options: RollupOptions = {}) {
    const withChildren = groupBy === 'owner' && options.includeChildGroups;
    this.calls.push({
      method: 'getRollups',
      arg: withChildren ? `${groupBy}+children` : groupBy,
    });
    this.rollupFilters.push(options.filter ?? {});
    if (this.error) throw this.error;
    const window =
      this.rollupsExpiringWithinDays === undefined
        ? {}
        : { waiversExpiringWithinDays: this.rollupsExpiringWithinDays };
    if (this.filteredRollups && Object.keys(options.filter ?? {}).length > 0) {
      return { items: this.filteredRollups, ...window };
    }
    return {
      items: withChildren
        ? this.rollupsWithChildGroups ?? this.rollups.owner
        : this.rollups[groupBy],
      ...window,
    };
  }
  async getRollupsCsv(groupBy: RollupGroupBy) {
    this.calls.push({ method: 'getRollupsCsv', arg: groupBy });
    return '';
  }

  /** Daily snapshots by key; a key without an entry has none. */
  rollupHistory: Record<string, RollupHistoryPoint[]> = {};
  /** Error `getRollupHistory` answers with while set (the rollups themselves still load). */
  rollupHistoryError?: Error;
  async getRollupHistory(
    groupBy: RollupGroupBy,
    key: string,
    query: RollupHistoryQuery = {},
  ) {
    this.calls.push({
      method: 'getRollupHistory',
      arg: `${groupBy} ${key} ${query.from ?? ''}..${query.to ?? ''}`,
    });
    if (this.rollupHistoryError) throw this.rollupHistoryError;
    return this.rollupHistory[key] ?? [];
  }

  // ---- checks and waivers ----

  checks: CheckSummary[] = [];
  waivers: Waiver[] = [];
  /** What `listWaivers` answers as `waiverExpiryWarningDays`; unset like an older backend. */
  waiverExpiryWarningDays?: number[];
  /** Error the next waiver write answers with (then cleared). */
  waiverError?: Error;
  /** While set, waiver writes wait for it (to observe disabled buttons). */
  gate?: Promise<void>;
  waiverCalls: { method: string; id?: string; body?: unknown }[] = [];

  /** Error `getChecks` answers with while set. */
  checksError?: Error;
  async getChecks() {
    this.calls.push({ method: 'getChecks', arg: '' });
    if (this.checksError) throw this.checksError;
    return this.checks;
  }

  /** The definitions of {@link checks}, as `GET /checks?fields=definition` answers them. */
  async getCheckDefinitions() {
    this.calls.push({ method: 'getCheckDefinitions', arg: '' });
    if (this.checksError) throw this.checksError;
    return this.checks.map(c => c.definition);
  }

  /** What `getStandard` answers: the standard and its changelog (none by default). */
  standard: StandardSummary = {
    id: 'default',
    version: 7,
    owner: 'group:default/platform-team',
    changelog: [],
  };
  /** Error `getStandard` answers with while set. */
  standardError?: Error;
  async getStandard() {
    this.calls.push({ method: 'getStandard', arg: '' });
    if (this.standardError) throw this.standardError;
    return this.standard;
  }
  // ---- campaigns ----

  campaigns: CampaignWithProgress[] = [];
  /** Error the campaign reads answer with while set. */
  campaignError?: Error;

  /** What `getCampaigns` says of the caller. */
  canCreateCampaigns = false;
  /** Error `createCampaign` answers with while set. */
  createCampaignError?: Error;

  async getCampaigns() {
    this.calls.push({ method: 'getCampaigns', arg: '' });
    if (this.campaignError) throw this.campaignError;
    return { items: this.campaigns, canCreate: this.canCreateCampaigns };
  }
  /** {@link campaigns} with their totals alone, as `GET /campaigns?fields=summary` answers. */
  async getCampaignSummaries() {
    this.calls.push({ method: 'getCampaignSummaries', arg: '' });
    if (this.campaignError) throw this.campaignError;
    return {
      items: this.campaigns.map(({ progress, ...rest }) => ({
        ...rest,
        progress: {
          campaignId: progress.campaignId,
          asOf: progress.asOf,
          totals: progress.totals,
        },
      })),
      canCreate: this.canCreateCampaigns,
    };
  }
  async createCampaign(body: NewCampaignBody) {
    this.calls.push({ method: 'createCampaign', arg: JSON.stringify(body) });
    if (this.createCampaignError) throw this.createCampaignError;
    const created = campaign({
      ...body,
      id: body.id ?? `campaign-${this.campaigns.length + 1}`,
      brief: body.brief ?? '',
      state: body.state ?? 'active',
    });
    this.campaigns.push(created);
    return created;
  }
  async getCampaign(id: string) {
    this.calls.push({ method: 'getCampaign', arg: id });
    if (this.campaignError) throw this.campaignError;
    const found = this.campaigns.find(c => c.id === id);
    // As the backend answers an unknown id.
    if (!found) throw await responseError(404, `campaign ${id} not found`);
    return found;
  }

  async listWaivers(query: WaiverQuery = {}) {
    this.calls.push({ method: 'listWaivers', arg: JSON.stringify(query) });
    return {
      items: this.waivers.filter(
        w =>
          (!query.status || w.status === query.status) &&
          (!query.entityRef || w.entityRef === query.entityRef),
      ),
      ...(this.waiverExpiryWarningDays && {
        waiverExpiryWarningDays: this.waiverExpiryWarningDays,
      }),
    };
  }
  async requestWaiver(request: WaiverRequestBody) {
    this.waiverCalls.push({ method: 'requestWaiver', body: request });
    await this.write();
    const created: Waiver = {
      id: `w-${this.waiverCalls.length}`,
      owner: 'group:default/checkout-team',
      requestedBy: 'user:default/ana.ruiz',
      createdAt: new Date().toISOString(),
      status: 'pending',
      ...request,
    };
    this.waivers = [...this.waivers, created];
    if (this.scorecard.scored) {
      this.scorecard = {
        ...this.scorecard,
        waivers: [...this.scorecard.waivers, created],
      };
    }
    return created;
  }
  /** Who the fake backend records as deciding (approver, rejecter or revoker). */
  decidedBy = 'user:default/ben.okafor';

  async approveWaiver(id: string, options?: { reason?: string }) {
    return this.decide('approveWaiver', id, options, 'active');
  }
  async rejectWaiver(id: string, options: { reason: string }) {
    return this.decide('rejectWaiver', id, options, 'rejected');
  }
  async revokeWaiver(id: string, options: { reason: string }) {
    return this.decide('revokeWaiver', id, options, 'revoked');
  }

  private async write() {
    if (this.gate) await this.gate;
    const error = this.waiverError;
    this.waiverError = undefined;
    if (error) throw error;
  }

  private async decide(
    method: string,
    id: string,
    body: { reason?: string } | undefined,
    status: Waiver['status'],
  ): Promise<Waiver> {
    this.waiverCalls.push({ method, id, body });
    await this.write();
    const at = new Date().toISOString();
    // As the backend stores it: who decided, when, and the reason of the last decision.
    const update = (w: Waiver): Waiver =>
      w.id === id
        ? {
            ...w,
            status,
            ...(status === 'revoked'
              ? { revokedAt: at, revokedBy: this.decidedBy }
              : { approvedBy: this.decidedBy, approvedAt: at }),
            ...(body?.reason ? { decisionReason: body.reason } : {}),
          }
        : w;
    this.waivers = this.waivers.map(update);
    if (this.scorecard.scored) {
      this.scorecard = {
        ...this.scorecard,
        waivers: this.scorecard.waivers.map(update),
      };
    }
    return this.waivers.find(w => w.id === id)!;
  }
}

const ERROR_NAMES: Record<number, string> = {
  403: 'NotAllowedError',
  404: 'NotFoundError',
};

/** A `ResponseError` as `ScorecardsClient` throws it for a backend error answer. */
export async function responseError(
  status: number,
  message: string,
  name = ERROR_NAMES[status] ?? 'InputError',
): Promise<ResponseError> {
  return ResponseError.fromResponse(
    new Response(
      JSON.stringify({
        error: { name, message },
        request: { method: 'POST', url: '/api/scorecards/waivers' },
        response: { statusCode: status },
      }),
      { status, headers: { 'content-type': 'application/json' } },
    ),
  );
}

/** A `GET /checks` row with the waiver rules of a check. */
export function checkSummary(
  id: string,
  over: Partial<CheckSummary['definition']> = {},
): CheckSummary {
  return {
    definition: {
      id,
      version: 1,
      title: id,
      theme: 'dependencies',
      owner: 'group:default/platform-team',
      rationale: 'r',
      evidence: [],
      type: 'x',
      params: {},
      class: 'required',
      level: 'L2',
      severity: 'medium',
      appliesTo: { kinds: ['Component'] },
      rollout: [{ phase: 'remediate', from: '2026-01-01T00:00:00Z' }],
      remediation: { summary: 'fix' },
      ...over,
    } as CheckSummary['definition'],
    phaseNow: 'remediate',
    counts: { pass: 0, fail: 0, unknown: 0, waived: 0, notApplicable: 0 },
    unknownRate: 0,
    disputesUpheld30d: 0,
    gateReady: false,
    gateReadyReasons: [],
  };
}

export { ManualPermissionApi } from '@internal/suite-react';
/**
 * Renders an entity card or tab for `entity` with the fake API; every permission is allowed
 * unless `permissionApi` answers instead (e.g. a {@link ManualPermissionApi}).
 */
export async function renderWithEntity(
  element: JSX.Element,
  api = new FakeScorecardsApi(),
  entity: Entity = checkoutService,
  options: { permissionApi?: PermissionApi } = {},
): Promise<{ api: FakeScorecardsApi }> {
  await renderInTestApp(
    <EntityProvider entity={entity}>{element}</EntityProvider>,
    {
      apis: [
        [scorecardsApiRef, api],
        options.permissionApi
          ? [permissionApiRef, options.permissionApi]
          : mockApis.permission(),
        mockApis.identity({ userEntityRef: 'user:default/ben.okafor' }),
      ],
    },
  );
  return { api };
}

/** A campaign with its progress as `GET /campaigns/:id` answers it (§2.11, §7.4). */
export function campaign(
  over: Partial<CampaignWithProgress> = {},
): CampaignWithProgress {
  const byOwner = {
    'group:default/checkout-team': {
      inScope: 3,
      done: 1,
      remaining: 1,
      blockedByPlatform: 1,
      overdue: 0,
    },
    'group:default/payments-team': {
      inScope: 2,
      done: 2,
      remaining: 0,
      blockedByPlatform: 0,
      overdue: 0,
    },
    'group:default/fulfillment-team': {
      inScope: 4,
      done: 0,
      remaining: 4,
      blockedByPlatform: 0,
      overdue: 0,
    },
  };
  return {
    id: 'q2-production-ready',
    title: 'Everyone to L2 by June',
    owner: 'group:default/platform-team',
    brief: 'Tier 1 and 2 services reach Production-ready.',
    selector: { kinds: ['Component'], tiers: [1, 2] },
    goal: { level: 'L2' },
    startsAt: '2026-03-01T00:00:00Z',
    dueAt: '2026-06-30T00:00:00Z',
    state: 'active',
    progress: {
      campaignId: 'q2-production-ready',
      asOf: '2026-03-14T02:05:00.000Z',
      totals: {
        inScope: 9,
        done: 3,
        remaining: 5,
        blockedByPlatform: 1,
        overdue: 0,
      },
      byOwner,
      doneOverTime: [
        { date: '2026-03-12', done: 1 },
        { date: '2026-03-13', done: 2 },
        { date: '2026-03-14', done: 3 },
      ],
      entities: campaignEntities(byOwner),
      restrictedEntities: 0,
    },
    ...over,
  };
}

/** One entity per count of `byOwner`: `<team>-<status>-<n>`, as the backend lists them. */
function campaignEntities(
  byOwner: Record<
    string,
    {
      done: number;
      remaining: number;
      blockedByPlatform: number;
      overdue: number;
    }
  >,
): CampaignWithProgress['progress']['entities'] {
  const statuses = [
    ['done', 'done'],
    ['remaining', 'remaining'],
    ['blockedByPlatform', 'blocked-by-platform'],
    ['overdue', 'overdue'],
  ] as const;
  return Object.entries(byOwner)
    .flatMap(([owner, counts]) =>
      statuses.flatMap(([key, status]) =>
        Array.from({ length: counts[key] }, (_, i) => ({
          entityRef: `component:default/${owner.split('/')[1]}-${status}-${i}`,
          status,
          owner,
        })),
      ),
    )
    .sort((a, b) => (a.entityRef < b.entityRef ? -1 : 1));
}
