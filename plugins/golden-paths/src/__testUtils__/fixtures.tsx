import type { JSX } from 'react';
import type { Entity } from '@backstage/catalog-model';
import { screen, waitFor } from '@testing-library/react';
import { ResponseError } from '@backstage/errors';
import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import {
  PermissionApi,
  permissionApiRef,
} from '@backstage/plugin-permission-react';
import type { Transition } from '@internal/plugin-golden-paths-common';
import {
  Approval,
  CompensateInput,
  CompensationReport,
  DecisionInput,
  DecisionResult,
  GoldenPathRequest,
  GoldenPathsApi,
  goldenPathsApiRef,
  KillSwitchInput,
  KillSwitchScope,
  KillSwitchView,
  LastDryRunAnswer,
  LifecycleGatesAnswer,
  RequestDetail,
  RequestsQuery,
  StepRepairInput,
  StepRepairResult,
} from '../api';

const DAY_MS = 86_400_000;

/** An ISO instant `days` from now (negative = in the past). */
export function daysFromNow(days: number): string {
  return new Date(Date.now() + days * DAY_MS).toISOString();
}

export const D1 = `sha256:${'1'.repeat(64)}`;
export const FP = `sha256:${'a'.repeat(64)}`;

/** V8: promo-api, tier 1, waiting for platform-team. */
export function promoApproval(overrides: Partial<Approval> = {}): Approval {
  return {
    id: 'apr_01JD0000000000000000000001',
    requestKey: 'service-node-http:promo-api',
    planDigest: D1,
    round: 0,
    triggers: [{ id: 'tier-1', reasons: ['tier 1 service'] }],
    routes: [{ group: 'group:default/platform-team', triggers: ['tier-1'] }],
    status: 'pending',
    requestedBy: 'user:default/ana.ruiz',
    createdAt: daysFromNow(-1),
    expiresAt: daysFromNow(6),
    plan: {
      effects: [
        {
          step: 'publish',
          type: 'repo.create',
          target: 'file:///repos/promo-api.git',
          reversibility: 'compensating',
        },
        {
          step: 'register',
          type: 'catalog.register',
          target: 'component:default/promo-api',
          reversibility: 'reversible',
        },
      ],
    },
    decisions: [],
    ...overrides,
  };
}

/** The signed-in user of the test app unless a test says otherwise (V9's approver). */
export const SIGNED_IN = 'user:default/fatima.haddad';

/** V10: promo-admin-api, requested by fatima.haddad, platform-team's only member. */
export function promoAdminApproval(
  overrides: Partial<Approval> = {},
): Approval {
  return promoApproval({
    id: 'apr_01JD0000000000000000000010',
    requestKey: 'service-node-http:promo-admin-api',
    requestedBy: SIGNED_IN,
    plan: undefined,
    ...overrides,
  });
}

/** V25: cart-db in prod, two triggers on one route. */
export function cartDbApproval(): Approval {
  return promoApproval({
    id: 'apr_01JD0000000000000000000002',
    requestKey: 'postgres-database:cart-db:prod',
    triggers: [
      {
        id: 'production-data',
        reasons: ['database in prod', 'critical-pii data'],
      },
      {
        id: 'cost',
        reasons: [
          'Estimated $3,676.50/month is above the production-standard threshold of $2,000.00: an extra approval is required.',
        ],
      },
    ],
    routes: [
      {
        group: 'group:default/platform-team',
        triggers: ['production-data', 'cost'],
      },
    ],
    // As `goldenpath:database:plan` records it: the C15 total is a bare decimal (USD).
    plan: {
      estimate: { total: '3676.50', priceBookVersion: '2026.11.0' },
      effects: [],
    },
  });
}

export const cartApiRequest: GoldenPathRequest = {
  requestKey: 'service-node-http:cart-api',
  fingerprint: FP,
  request: { name: 'cart-api' },
  templateRef: 'template:default/service-node-http',
  templateVersion: '1.0.0',
  kind: 'service',
  status: 'succeeded',
  createdBy: 'user:default/ana.ruiz',
  createdAt: '2026-11-23T10:00:00.000Z',
  updatedAt: '2026-11-23T10:00:09.000Z',
  attempts: 1,
};

/** V1 as the ledger holds it. */
export function cartApiDetail(): RequestDetail {
  const at = (s: number) =>
    new Date(Date.parse('2026-11-23T10:00:00.000Z') + s * 1000).toISOString();
  return {
    request: cartApiRequest,
    steps: [
      {
        requestKey: cartApiRequest.requestKey,
        stepId: 'publish-local',
        fingerprint: FP,
        status: 'done',
        effectRef: 'file:///repos/cart-api.git#abc123',
        attempt: 1,
        startedAt: at(2),
        finishedAt: at(4),
      },
      {
        requestKey: cartApiRequest.requestKey,
        stepId: 'register',
        fingerprint: FP,
        status: 'done',
        effectRef: 'location:local/cart-api',
        attempt: 1,
        startedAt: at(5),
        finishedAt: at(8),
      },
    ],
    approvals: [],
    events: [
      {
        id: '01JD0000000000000000000010',
        requestKey: cartApiRequest.requestKey,
        at: at(1),
        eventType: 'golden-path-step',
        severity: 'medium',
        record: {
          action: 'goldenpath:ledger:open',
          stepId: 'ledger-open',
          actor: { userRef: 'user:default/ana.ruiz', via: 'api' },
          decision: 'allow',
          result: 'started',
        },
      },
      {
        id: '01JD0000000000000000000011',
        requestKey: cartApiRequest.requestKey,
        at: at(9),
        eventType: 'golden-path-step',
        severity: 'medium',
        record: {
          action: 'goldenpath:ledger:close',
          stepId: 'ledger-close',
          result: 'succeeded',
        },
      },
    ],
  };
}

/** cart-api as the descriptor wrote it (§2.1). */
export const cartApiEntity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'cart-api',
    namespace: 'default',
    annotations: {
      'ops.example.com/request-key': 'service-node-http:cart-api',
      'ops.example.com/template': 'template:default/service-node-http',
    },
  },
  spec: {
    type: 'service',
    lifecycle: 'experimental',
    owner: 'group:default/checkout-team',
  },
};

export const V31_L02 =
  'GP-L02: Promotion to production needs scorecard level L2; component:default/cart-api is at L0. Blocking: source-location-set, dashboard-linked, telemetry-present, alerts-defined, slo-has-traffic, alerts-route-to-owner, deploy-recent.';
export const V31_L04 =
  'GP-L04: Promotion needs a successful staging deploy in the last 30 days; the change ledger has none for component:default/cart-api.';

/** V31: promote refused by G-P1 and G-P2. */
export function promoteRefused(): LifecycleGatesAnswer {
  return {
    entityRef: 'component:default/cart-api',
    from: 'experimental',
    transition: 'promote',
    to: 'production',
    allowed: ['promote', 'deprecate', 'archive'],
    decision: 'deny',
    gates: [
      {
        gate: 'G-P1',
        title: 'Scorecard level L2 or higher on fresh evidence',
        status: 'fail',
        ruleId: 'GP-L02',
        message: V31_L02,
      },
      {
        gate: 'G-P2',
        title: 'A successful staging deploy in the last 30 days',
        status: 'fail',
        ruleId: 'GP-L04',
        message: V31_L04,
      },
    ],
    evaluation: {
      decision: 'deny',
      from: 'experimental',
      to: 'production',
      gates: [],
      errors: [],
      message: `${V31_L02}\n${V31_L04}`,
      approvalTriggers: [],
    },
  };
}

/** Archive with observed traffic unknown (the evidence backend is down). */
export function archiveUnknown(): LifecycleGatesAnswer {
  return {
    ...promoteRefused(),
    transition: 'archive',
    to: 'archived',
    decision: 'unknown',
    gates: [
      {
        gate: 'G-A1',
        title: 'No declared dependents that are not archived',
        status: 'pass',
        message: 'No declared dependents that are not archived',
      },
      {
        gate: 'G-A2',
        title: 'No observed traffic in the last 14 days',
        status: 'unknown',
        message:
          'Observed traffic into component:default/cart-api is unknown: the evidence backend could not be read (evidence answered 503). This gate does not pass until it answers.',
      },
    ],
  };
}

/** The `planDigest` of {@link cartApiCompensation} (dry and real: the real run acts on it). */
export const CART_API_COMPENSATION_DIGEST = `sha256:${'c'.repeat(64)}`;

/**
 * The compensation plan of V1 (cart-api, local publish mode) as the backend answers it: the
 * register step leaves with the repository, the repository is deleted, the request closes.
 * `dryRun: false` gives the answer of the real run.
 */
export function cartApiCompensation(dryRun: boolean): CompensationReport {
  const result = dryRun ? ('would' as const) : ('compensated' as const);
  return {
    requestKey: cartApiRequest.requestKey,
    dryRun,
    statusBefore: 'succeeded',
    status: dryRun ? 'succeeded' : 'compensated',
    empty: false,
    abandoned: false,
    message: 'compensation plan of request "service-node-http:cart-api"',
    items: [
      {
        stepId: 'register',
        action: 'goldenpath:register',
        class: 'compensating',
        plan: 'with-repository',
        automated: true,
        stepStatus: 'done',
        target: 'component:default/cart-api',
        description:
          'component:default/cart-api leaves the catalog with /repos/cart-api.git (the local provider drops the entities of a removed repository on its next scan)',
        result,
      },
      {
        stepId: 'publish-local',
        action: 'goldenpath:publish:git',
        class: 'compensating',
        plan: 'delete-local-repository',
        automated: true,
        stepStatus: 'done',
        target: '/repos/cart-api.git',
        description:
          'delete the local bare repository /repos/cart-api.git if its HEAD is still commit abc123, the only commit, with a .goldenpath.yaml naming this request',
        result,
      },
      {
        stepId: 'db-apply',
        action: 'goldenpath:database:apply',
        class: 'irreversible',
        plan: 'manual',
        automated: false,
        stepStatus: 'done',
        target: 'local-postgres:cart_api',
        description:
          'database local-postgres:cart_api is irreversible for data and never removed automatically',
        result: 'manual',
      },
      {
        stepId: 'ledger',
        action: 'goldenpath:ledger:open',
        class: 'none',
        plan: 'close-request',
        automated: true,
        target: cartApiRequest.requestKey,
        description: 'the request becomes compensated',
        result,
        ...(dryRun ? {} : { detail: 'request compensated' }),
      },
    ],
    warnings: [],
    failed: 0,
    acted: !dryRun,
    planDigest: CART_API_COMPENSATION_DIGEST,
  };
}

/** §9's fixture switch (config) and a runtime switch on an action, thrown by an operator. */
export function killSwitchView(): KillSwitchView {
  const worker = {
    disabled: true,
    reason: 'CI workflow v3.4.1 broken (INC-5120)',
    since: '2026-11-23T09:30:00.000Z',
  };
  return {
    all: { disabled: false },
    templates: { 'worker-node': worker },
    actions: {
      'goldenpath:register': {
        disabled: true,
        reason: 'catalog import storm, INC-5131',
        since: '2026-11-23T11:00:00.000Z',
      },
    },
    sources: {
      config: { templates: { 'worker-node': worker }, actions: {} },
      runtime: [
        {
          scope: 'action',
          id: 'goldenpath:register',
          disabled: true,
          reason: 'catalog import storm, INC-5131',
          setBy: 'user:default/fatima.haddad',
          setAt: '2026-11-23T11:00:00.000Z',
          until: daysFromNow(1),
        },
      ],
    },
  };
}

/** A ResponseError as the backend's error handler answers. */
export async function responseError(
  status: number,
  name: string,
  message: string,
): Promise<ResponseError> {
  return ResponseError.fromResponse(
    new Response(
      JSON.stringify({
        error: { name, message },
        request: { method: 'POST', url: '/api/golden-paths/x' },
        response: { statusCode: status },
      }),
      { status, headers: { 'content-type': 'application/json' } },
    ),
  );
}

/** A fake backend: answers from fields the test sets, records calls, fails when told to. */
export class FakeGoldenPathsApi implements GoldenPathsApi {
  inbox: Approval[] = [promoApproval()];
  inboxTruncated = false;
  requests: GoldenPathRequest[] = [cartApiRequest];
  details: Record<string, RequestDetail> = {
    [cartApiRequest.requestKey]: cartApiDetail(),
  };
  gates: Partial<Record<Transition, LifecycleGatesAnswer>> = {
    promote: promoteRefused(),
    archive: archiveUnknown(),
  };
  error?: Error;
  decideError?: Error;
  decisions: { approvalId: string; input: DecisionInput }[] = [];
  calls: string[] = [];
  /** Answers of `compensate`, dry and real; `compensateError` fails both. */
  compensation = {
    dry: cartApiCompensation(true),
    real: cartApiCompensation(false),
  };
  compensateError?: Error;
  compensations: { requestKey: string; input: CompensateInput }[] = [];
  /** Step repairs sent; `repairError` fails them, `repairChanged: false` answers a no-op. */
  repairs: { requestKey: string; stepId: string; input: StepRepairInput }[] =
    [];
  repairError?: Error;
  repairChanged = true;
  killSwitches: KillSwitchView = killSwitchView();
  killSwitchError?: Error;
  killSwitchPuts: {
    scope: KillSwitchScope;
    id: string;
    input: KillSwitchInput;
  }[] = [];

  async getApprovalsInbox() {
    this.calls.push('getApprovalsInbox');
    if (this.error) throw this.error;
    return { items: this.inbox, truncated: this.inboxTruncated };
  }
  async decide(approvalId: string, input: DecisionInput) {
    this.calls.push(`decide:${approvalId}`);
    if (this.decideError) throw this.decideError;
    this.decisions.push({ approvalId, input });
    const approval = this.inbox.find(a => a.id === approvalId)!;
    const open = approval.routes
      .map(r => r.group)
      .filter(g => !approval.decisions.some(d => d.route === g));
    const decision = {
      approvalId,
      // as the backend: the route sent, else the first open one of the user's groups
      route: input.route ?? approval.decidableRoutes?.[0] ?? open[0],
      approver: SIGNED_IN,
      decision: input.decision,
      reason: input.reason,
      answers: input.answers,
      decidedAt: new Date().toISOString(),
      breakGlass: input.breakGlass === true,
    };
    const stillOpen = open.filter(g => g !== decision.route);
    // An approval other groups still decide stays in the inbox, with nothing left to decide
    // for this user's decided route; a settled one leaves it.
    const pending = input.decision === 'approve' && stillOpen.length > 0;
    this.inbox = pending
      ? this.inbox.map(a =>
          a.id === approvalId
            ? {
                ...a,
                decisions: [...a.decisions, decision],
                decidableRoutes: a.decidableRoutes?.filter(
                  g => g !== decision.route,
                ),
              }
            : a,
        )
      : this.inbox.filter(a => a.id !== approvalId);
    const settled = input.decision === 'approve' ? 'approved' : 'rejected';
    const result: DecisionResult = {
      status: pending ? 'pending' : settled,
      decision,
      created: true,
      errors: [],
    };
    return result;
  }
  /** Page size of `getRequests`, as the backend's `limit` (default: everything in one page). */
  requestsPageSize = Infinity;
  async getRequests(query: RequestsQuery = {}) {
    this.calls.push(
      `getRequests:${query.status ?? ''}${
        query.cursor ? `:${query.cursor}` : ''
      }`,
    );
    if (this.error) throw this.error;
    // Keyset pages as the backend's: most recently updated first (ties by key, descending);
    // the cursor names the previous page's last row, `<updatedAt>|<requestKey>`.
    const [afterAt, afterKey] = query.cursor?.split('|') ?? [];
    const rows = this.requests
      .filter(r => !query.status || r.status === query.status)
      .sort(
        (a, b) =>
          b.updatedAt.localeCompare(a.updatedAt) ||
          b.requestKey.localeCompare(a.requestKey),
      )
      .filter(
        r =>
          !query.cursor ||
          r.updatedAt < afterAt ||
          (r.updatedAt === afterAt && r.requestKey < afterKey),
      );
    const items = rows.slice(0, this.requestsPageSize);
    const last = items[items.length - 1];
    return {
      items,
      ...(rows.length > items.length
        ? { nextCursor: `${last.updatedAt}|${last.requestKey}` }
        : {}),
    };
  }
  async getRequest(requestKey: string) {
    this.calls.push(`getRequest:${requestKey}`);
    if (this.error) throw this.error;
    const detail = this.details[requestKey];
    if (!detail)
      throw await responseError(
        404,
        'NotFoundError',
        `request "${requestKey}" not found`,
      );
    return detail;
  }
  async compensate(requestKey: string, input: CompensateInput) {
    this.calls.push(`compensate:${requestKey}:dryRun=${input.dryRun}`);
    if (this.compensateError) throw this.compensateError;
    this.compensations.push({ requestKey, input });
    return input.dryRun ? this.compensation.dry : this.compensation.real;
  }
  /** Answers as the backend does: the step with the repair applied (unless told it changed nothing). */
  async repairStep(requestKey: string, stepId: string, input: StepRepairInput) {
    this.calls.push(`repairStep:${requestKey}:${stepId}`);
    if (this.repairError) throw this.repairError;
    this.repairs.push({ requestKey, stepId, input });
    const detail = this.details[requestKey];
    const before = detail.steps.find(s => s.stepId === stepId)!;
    const step = this.repairChanged
      ? {
          ...before,
          status: input.status ?? before.status,
          effectRef: input.effectRef ?? before.effectRef,
        }
      : before;
    const result: StepRepairResult = {
      changed: this.repairChanged,
      step,
      request: detail.request,
      requestCompensated: false,
    };
    return result;
  }
  async getKillSwitches() {
    this.calls.push('getKillSwitches');
    if (this.error) throw this.error;
    return this.killSwitches;
  }
  /** Records the PUT and answers the view with the runtime row set (as the backend does). */
  async setKillSwitch(
    scope: KillSwitchScope,
    id: string,
    input: KillSwitchInput,
  ) {
    this.calls.push(`setKillSwitch:${scope}:${id}`);
    if (this.killSwitchError) throw this.killSwitchError;
    this.killSwitchPuts.push({ scope, id, input });
    const row = {
      scope,
      id: scope === 'all' ? 'all' : id,
      disabled: input.disabled,
      reason: input.reason,
      setBy: SIGNED_IN,
      setAt: new Date().toISOString(),
      ...(input.until ? { until: input.until } : {}),
    };
    const runtime = [
      ...this.killSwitches.sources.runtime.filter(
        r => !(r.scope === row.scope && r.id === row.id),
      ),
      row,
    ];
    this.killSwitches = {
      ...this.killSwitches,
      sources: { ...this.killSwitches.sources, runtime },
    };
    return this.killSwitches;
  }
  /** Answers of `getLastDryRun` by `scope/id`; unknown ones answer "none on record". */
  lastDryRuns: Record<string, LastDryRunAnswer> = {};
  lastDryRunError?: Error;
  async getLastDryRun(scope: KillSwitchScope, id: string) {
    const path = `${scope}/${scope === 'all' ? 'all' : id}`;
    this.calls.push(`getLastDryRun:${path}`);
    if (this.lastDryRunError) throw this.lastDryRunError;
    const answer: LastDryRunAnswer = this.lastDryRuns[path] ?? {
      scope,
      id: scope === 'all' ? 'all' : id,
      covers:
        scope === 'all'
          ? { kind: 'all' }
          : { kind: 'templates', templates: scope === 'template' ? [id] : [] },
    };
    return answer;
  }
  async getLifecycleGates(entityRef: string, transition: Transition) {
    this.calls.push(`getLifecycleGates:${entityRef}:${transition}`);
    if (this.error) throw this.error;
    const answer = this.gates[transition];
    if (!answer) throw new Error(`no gates for ${transition}`);
    return answer;
  }
}

export { ManualPermissionApi } from '@internal/suite-react';
/**
 * The button named `name` once it is enabled: the operator's buttons stay disabled until the
 * permission framework answers (ALLOW with the default permission API of {@link renderWithApi}).
 */
export async function findEnabledButton(
  name: string,
  container: Pick<typeof screen, 'getByRole'> = screen,
): Promise<HTMLElement> {
  return waitFor(() => {
    const button = container.getByRole('button', { name });
    expect(button).toBeEnabled();
    return button;
  });
}

/**
 * Renders an element in a test app with the fake API (optionally inside an entity), signed in
 * as `userEntityRef` (default {@link SIGNED_IN}); every permission is allowed unless
 * `permissionApi` answers instead (e.g. a {@link ManualPermissionApi}).
 */
export async function renderWithApi(
  element: JSX.Element,
  api = new FakeGoldenPathsApi(),
  entity?: Entity,
  options: { userEntityRef?: string; permissionApi?: PermissionApi } = {},
) {
  await renderInTestApp(
    entity ? (
      <EntityProvider entity={entity}>{element}</EntityProvider>
    ) : (
      element
    ),
    {
      // Refs link to their entity pages (`CatalogRefLink`).
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      apis: [
        [goldenPathsApiRef, api],
        mockApis.identity({
          userEntityRef: options.userEntityRef ?? SIGNED_IN,
        }),
        options.permissionApi
          ? [permissionApiRef, options.permissionApi]
          : mockApis.permission(),
      ],
    },
  );
  return { api };
}
