import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import {
  describeTrigger,
  digestPrefix,
} from '@internal/plugin-golden-paths-common';
import { fakeLedger } from '../../__fixtures__/fakeLedger';
import { demoCatalog, fakeCatalog } from '../../__fixtures__/world';
import type { DatabaseProvisioner } from '../../provisioners/DatabaseProvisioner';
import {
  createGoldenPathDatabaseApplyAction,
  type DatabaseInfraChange,
} from './databaseApply';
import { createGoldenPathDatabasePlanAction } from './databasePlan';
import { FakeDatabaseProvisioner } from './testing/FakeDatabaseProvisioner';
import {
  approvalsByDigest,
  cartApi,
  fingerprintOf,
  keyOf,
  normalized,
  PG_TEMPLATE,
  recordingAuditor,
  T,
  V24,
} from './testing/databaseWorld';

function outputs(ctx: { output: unknown }): Record<string, any> {
  return Object.fromEntries(
    (ctx.output as jest.Mock).mock.calls.map(([k, v]) => [k, v]),
  );
}

function setup(
  opts: {
    clock?: { now: Date };
    provisioner?: DatabaseProvisioner | null;
    ledger?: ReturnType<typeof fakeLedger>;
    config?: object;
    /** What the change ledger answers a batch (default nothing). */
    changesAnswer?: (items: DatabaseInfraChange[]) => unknown;
  } = {},
) {
  const clock = opts.clock ?? { now: new Date(T) };
  const now = () => clock.now;
  const provisioner =
    opts.provisioner === null
      ? undefined
      : opts.provisioner ?? new FakeDatabaseProvisioner(now);
  const fake = opts.ledger ?? fakeLedger();
  const approvals = approvalsByDigest(fake.ledger);
  const { auditor, events } = recordingAuditor();
  const changes: DatabaseInfraChange[] = [];
  const common = {
    config: new ConfigReader(opts.config ?? {}),
    ledger: fake.ledger,
    provisioner,
    catalog: fakeCatalog([...demoCatalog, cartApi]),
    auth: mockServices.auth(),
    auditor,
    now,
  };
  return {
    plan: createGoldenPathDatabasePlanAction(common),
    apply: createGoldenPathDatabaseApplyAction({
      ...common,
      changes: {
        writeChanges: async items => {
          changes.push(...items);
          return opts.changesAnswer?.(items);
        },
      },
    }),
    provisioner: provisioner as FakeDatabaseProvisioner,
    approvals,
    calls: fake.calls,
    events,
    changes,
    clock,
  };
}

function context(
  input: Record<string, unknown>,
  extra: { isDryRun?: boolean; taskId?: string; stepId?: string } = {},
) {
  const checkpoints = new Map<string, unknown>();
  const c = createMockActionContext({
    input: input as any,
    logger: mockServices.logger.mock(),
    user: { ref: 'user:default/ana.ruiz' },
  });
  (c as any).checkpoint = async ({ key, fn }: any) => {
    if (checkpoints.has(key)) return checkpoints.get(key);
    const v = await fn();
    checkpoints.set(key, v);
    return v;
  };
  (c as any).task = { id: extra.taskId ?? 'task-1' };
  (c as any).step = { id: extra.stepId ?? 'apply' };
  (c as any).isDryRun = extra.isDryRun === true;
  return c;
}

async function runPlan(
  world: ReturnType<typeof setup>,
  request: Record<string, unknown>,
  extra: { isDryRun?: boolean; mode?: string } = {},
) {
  const ctx = context(
    {
      request,
      requestKey: keyOf(request),
      fingerprint: fingerprintOf(request),
      templateRef: PG_TEMPLATE,
      ...(extra.mode ? { mode: extra.mode } : {}),
    },
    { ...extra, stepId: 'plan' },
  );
  await world.plan.handler(ctx as any);
  return { ctx, out: outputs(ctx) };
}

async function runApply(
  world: ReturnType<typeof setup>,
  request: Record<string, unknown>,
  plan: Record<string, any>,
  extra: { isDryRun?: boolean; taskId?: string; decision?: string } = {},
) {
  const ctx = context(
    {
      request,
      requestKey: keyOf(request),
      fingerprint: fingerprintOf(request),
      templateRef: PG_TEMPLATE,
      planDigest: plan.planDigest,
      plan: plan.plan,
      approvalDecision:
        extra.decision ??
        (plan.approvalTriggers.length ? 'approved' : 'not-required'),
    },
    extra,
  );
  await world.apply.handler(ctx as any);
  return { ctx, out: outputs(ctx) };
}

describe('goldenpath:database:plan and goldenpath:database:apply (golden-paths.md §4.9)', () => {
  it('V23: D0 plans $148.30 with no trigger and creates the database once', async () => {
    const world = setup();
    const request = normalized();
    const { out: plan } = await runPlan(world, request);
    expect(plan.estimate).toMatchObject({
      computeMonthly: '146.00',
      storageMonthly: '2.30',
      total: '148.30',
      instances: 1,
      priceBookVersion: '2026.11.0',
    });
    expect(plan.approvalTriggers).toEqual([]);
    expect(plan.plan.resources).toEqual([
      {
        address: 'postgresql_role.cart_db_dev_app',
        type: 'postgresql_role',
        action: 'create',
      },
      {
        address: 'postgresql_database.cart_db_dev',
        type: 'postgresql_database',
        action: 'create',
      },
    ]);
    expect(plan.plan.policy.map((r: any) => `${r.id}:${r.outcome}`)).toEqual([
      'GP-P01:pass',
      'GP-P02:pass',
      'GP-P03:pass',
      'GP-P04:pass',
      'GP-P05:pass',
      'GP-P06:pass',
    ]);
    expect(plan.plan.variables.tags).toEqual({
      owner: 'group:default/checkout-team',
      'cost-center': 'CC-1042',
      environment: 'dev',
      'data-classification': 'low',
      'request-key': 'postgres-database:cart-db:dev',
    });
    expect(plan.planDigest).toMatch(/^sha256:[0-9a-f]{64}$/);

    const { out } = await runApply(world, request, plan);
    expect(out).toMatchObject({
      resourceRef: 'resource:default/cart-db-dev',
      secretRef: 'local-secret://gp/cart-db-dev/app',
      database: 'cart_db_dev',
      role: 'cart_db_dev_app',
      replayed: false,
      dryRun: false,
      effects: [
        {
          type: 'db.apply',
          target: 'resource:default/cart-db-dev',
          result: 'done',
        },
      ],
    });
    expect(world.provisioner.applies).toBe(1);
    // No approval was asked for: the plan had no trigger.
    expect(world.calls.filter(c => c.op === 'approval')).toEqual([]);
    expect(world.changes.map(c => c.idempotencyKey)).toEqual([
      'gp:postgres-database:cart-db:dev:apply',
    ]);
  });

  it('a request without the fields validate fills is refused naming them, not as a catalog timeout', async () => {
    const world = setup();
    const { component: _c, storageGiB: _s, ...incomplete } = normalized();
    await expect(runPlan(world, incomplete)).rejects.toThrow(
      "request.component, request.storageGiB are missing; pass goldenpath:validate's output.request, which holds every field with its default",
    );
  });

  it('an identical re-plan has the identical digest (no ids or timestamps hashed)', async () => {
    const world = setup();
    const request = normalized();
    const a = (await runPlan(world, request)).out;
    world.clock.now = new Date('2026-11-24T10:00:00Z');
    const b = (await runPlan(world, request)).out;
    expect(a.plan.planId).not.toBe(b.plan.planId);
    expect(a.planDigest).toBe(b.planDigest);
  });

  it('V24: prod + critical-pii needs production-data only; $910.50; nothing applied without the approval', async () => {
    const world = setup();
    const request = normalized(V24);
    const { out: plan } = await runPlan(world, request);
    expect(plan.estimate).toMatchObject({
      instances: 3,
      computeMonthly: '876.00',
      storageMonthly: '34.50',
      total: '910.50',
    });
    expect(plan.approvalTriggers.map(describeTrigger)).toEqual([
      'production-data (database in prod; critical-pii data)',
    ]);
    expect(plan.plan.variables).toMatchObject({
      deletionProtection: true,
      storageEncrypted: true,
      publiclyAccessible: false,
      backupRetentionDays: 14,
      multiAz: true,
      readReplicas: 1,
    });
    expect(plan.plan.policy.every((r: any) => r.outcome === 'pass')).toBe(true);

    await expect(
      runApply(world, request, plan, { decision: 'would-require' }),
    ).rejects.toThrow(
      /^GP-A01: Approval needed before anything is created: production-data \(database in prod; critical-pii data\)\. Approval apr_1 is waiting for group:default\/platform-team\./,
    );
    expect(world.provisioner.applies).toBe(0);
    expect(world.changes).toEqual([]);
  });

  it('V25: 2xl / 500 GiB adds the cost trigger with the C15 sentence ($3,676.50)', async () => {
    const world = setup();
    const request = normalized({ ...V24, size: '2xl', storageGiB: 500 });
    const { out: plan } = await runPlan(world, request);
    expect(plan.estimate).toMatchObject({
      computeMonthly: '3504.00',
      storageMonthly: '172.50',
      total: '3676.50',
    });
    expect(plan.approvalTriggers).toEqual([
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
    ]);
    // Both triggers route to platform-team: one decision.
    expect(plan.markdown).toContain('Routed to group:default/platform-team.');
  });

  it('V26: the plan enforces the tier limit again (GP-D06, $8,421.12)', async () => {
    const world = setup();
    const request = normalized({
      ...V24,
      size: '2xl',
      storageGiB: 2048,
      extraReadReplicas: 3,
    });
    await expect(runPlan(world, request)).rejects.toThrow(
      'GP-D06: Estimated $8,421.12/month exceeds the production-standard limit of $8,000.00/month. Choose a smaller size, less storage or fewer replicas, or ask the platform team about a larger tier.',
    );
    expect(world.provisioner.plans).toBe(0);
  });

  it('V24 approved → applies once; the change record is an infra change in production', async () => {
    const world = setup();
    const request = normalized(V24);
    const { out: plan } = await runPlan(world, request);
    await expect(runApply(world, request, plan)).rejects.toThrow(/^GP-A01/);
    world.approvals.approve(plan.planDigest);
    const { out } = await runApply(world, request, plan, { taskId: 'task-2' });
    expect(out.resourceRef).toBe('resource:default/cart-db-prod');
    expect(world.provisioner.applies).toBe(1);
    expect(world.changes).toHaveLength(1);
    expect(world.changes[0]).toMatchObject({
      idempotencyKey: 'gp:postgres-database:cart-db:prod:apply',
      kind: 'infra',
      environment: 'production',
      entityRef: 'resource:default/cart-db-prod',
      source: {
        system: 'golden-paths',
        externalId: 'postgres-database:cart-db:prod',
      },
      attributes: {
        workspace: 'cart-db-prod',
        plan: { add: 2, change: 0, destroy: 0, replace: 0 },
      },
    });
  });

  it('a change record the change ledger answers as not recorded (409 in its batch) is a warning naming the key and why; the apply still succeeds', async () => {
    const world = setup({
      changesAnswer: items => ({
        results: items.map((item, index) => ({
          index,
          idempotencyKey: item.idempotencyKey,
          status: 409,
          error: {
            code: 'IDEMPOTENCY_KEY_REUSED',
            message: 'the key was used with another body',
          },
        })),
      }),
    });
    const request = normalized();
    const { out: plan } = await runPlan(world, request);
    const { ctx, out } = await runApply(world, request, plan);
    expect(out.resourceRef).toBe('resource:default/cart-db-dev');
    expect(ctx.logger.warn).toHaveBeenCalledWith(
      'change gp:postgres-database:cart-db:dev:apply was not recorded by the change ledger (409 IDEMPOTENCY_KEY_REUSED: the key was used with another body)',
    );
  });

  it('V30: a module upgrade after approval → GP-A03, nothing applied; the new approval → applied, one change record', async () => {
    const world = setup();
    const request = normalized(V24);
    const { out: plan1 } = await runPlan(world, request);
    await expect(runApply(world, request, plan1)).rejects.toThrow(/^GP-A01/);
    world.approvals.approve(plan1.planDigest);

    // The module is upgraded between the approved plan and the apply.
    world.provisioner.moduleVersion = '1.1.0';
    let message = '';
    await runApply(world, request, plan1, { taskId: 'task-2' }).catch(
      e => (message = e.message),
    );
    const { out: plan2 } = await runPlan(world, request);
    expect(plan2.planDigest).not.toBe(plan1.planDigest);
    expect(message).toBe(
      `GP-A03: The plan changed after approval (approved ${digestPrefix(
        plan1.planDigest,
      )}…, now ${digestPrefix(
        plan2.planDigest,
      )}…); approval apr_2 was requested.`,
    );
    expect(world.provisioner.applies).toBe(0);
    expect(world.approvals.statusOf(plan1.planDigest)).toBe('superseded');

    // Still pending: the rerun stops at the gate again.
    await expect(
      runApply(world, request, plan2, { taskId: 'task-3' }),
    ).rejects.toThrow(/^GP-A01: .* Approval apr_2 is waiting/);
    world.approvals.approve(plan2.planDigest);
    const { out } = await runApply(world, request, plan2, { taskId: 'task-4' });
    expect(out.replayed).toBe(false);
    expect(world.provisioner.applies).toBe(1);
    expect(world.changes.map(c => c.idempotencyKey)).toEqual([
      'gp:postgres-database:cart-db:prod:apply',
    ]);
  });

  it('the approvals apply opens show what the plan step gives approve: effects, markdown, estimate (§6.3)', async () => {
    const ledger = fakeLedger();
    const world = setup({ ledger });
    const open = ledger.ledger.openApproval;
    const opened: { planDigest: string; plan?: Record<string, unknown> }[] = [];
    ledger.ledger.openApproval = async (key, input) => {
      opened.push(input);
      return open(key, input);
    };
    const request = normalized(V24);
    const { out: plan1 } = await runPlan(world, request);
    await expect(runApply(world, request, plan1)).rejects.toThrow(/^GP-A01/);
    world.approvals.approve(plan1.planDigest);
    // A changed plan: apply opens the new approval itself (GP-A03).
    world.provisioner.moduleVersion = '1.1.0';
    await expect(
      runApply(world, request, plan1, { taskId: 'task-2' }),
    ).rejects.toThrow(/^GP-A03/);
    const { out: plan2 } = await runPlan(world, request);

    const shown = (digest: string) =>
      opened.find(o => o.planDigest === digest)?.plan;
    expect(shown(plan1.planDigest)).toEqual(plan1.approvalPlan);
    expect(shown(plan2.planDigest)).toEqual(plan2.approvalPlan);
    expect(plan2.approvalPlan).toMatchObject({
      planDigest: plan2.planDigest,
      module: { version: '1.1.0' },
      estimate: { total: '910.50' },
    });
    expect(plan2.approvalPlan.effects.map((e: any) => e.reversibility)).toEqual(
      ['compensating', 'irreversible'],
    );
  });

  it('GP-P07: an expired plan is refused, and an identical re-plan keeps its approval', async () => {
    const world = setup();
    const request = normalized(V24);
    const { out: plan } = await runPlan(world, request);
    world.approvals.approve(plan.planDigest);
    world.clock.now = new Date('2026-11-23T10:31:00Z');
    await expect(runApply(world, request, plan)).rejects.toThrow(
      `GP-P07: Plan ${plan.plan.planId} expired at 2026-11-23 10:30 UTC (plans live 30 minutes). Run again to plan afresh; an identical plan keeps its approval.`,
    );
    expect(world.provisioner.applies).toBe(0);
    const { out: fresh } = await runPlan(world, request);
    expect(fresh.planDigest).toBe(plan.planDigest);
    await runApply(world, request, fresh, { taskId: 'task-2' });
    expect(world.provisioner.applies).toBe(1);
  });

  it('a refusal after ledger:open fails the request and ends its lease, so the rerun is not refused GP-I03 (dry runs release nothing)', async () => {
    const world = setup();
    const request = normalized(V24);
    const { out: plan } = await runPlan(world, request);
    world.approvals.approve(plan.planDigest);
    world.clock.now = new Date('2026-11-23T10:31:00Z');
    await expect(
      runApply(world, request, plan, { isDryRun: true }),
    ).rejects.toThrow(/^GP-P07: /);
    expect(world.calls.filter(x => x.op === 'close')).toEqual([]);
    await expect(
      runApply(world, request, plan, { taskId: 'task-7' }),
    ).rejects.toThrow(/^GP-P07: /);
    expect(world.calls.filter(x => x.op === 'close')).toEqual([
      {
        op: 'close',
        key: keyOf(request),
        body: { taskId: 'task-7', status: 'failed', errorCode: 'GP-P07' },
      },
    ]);
  });

  it('GP-P07: a plan whose expiry is no date counts as expired, not as never expiring', async () => {
    const world = setup();
    const request = normalized(V24);
    const { out: plan } = await runPlan(world, request);
    world.approvals.approve(plan.planDigest);
    const forged = { ...plan, plan: { ...plan.plan, expiresAt: 'never' } };
    await expect(runApply(world, request, forged)).rejects.toThrow(/^GP-P07: /);
    expect(world.provisioner.applies).toBe(0);
  });

  it('replay: applying twice (new task, same ledger) creates one database', async () => {
    const world = setup();
    const request = normalized();
    const { out: plan } = await runPlan(world, request);
    await runApply(world, request, plan);
    const { out: again } = await runApply(world, request, plan, {
      taskId: 'task-2',
    });
    expect(again.replayed).toBe(true);
    expect(again.resourceRef).toBe('resource:default/cart-db-dev');
    expect(world.provisioner.applies).toBe(1);
    expect(world.provisioner.databases.size).toBe(1);
  });

  it('a dry run of a rerun says the apply is only replayed, as the real rerun does', async () => {
    const world = setup();
    const request = normalized();
    const { out: plan } = await runPlan(world, request);
    await runApply(world, request, plan);
    const { out: dry } = await runApply(world, request, plan, {
      taskId: 'task-2',
      isDryRun: true,
    });
    const { out: real } = await runApply(world, request, plan, {
      taskId: 'task-3',
    });
    const replayed = [
      {
        type: 'db.apply',
        target: 'resource:default/cart-db-dev',
        result: 'replayed',
      },
    ];
    expect([dry.dryRun, dry.replayed, dry.effects]).toEqual([
      true,
      true,
      replayed,
    ]);
    expect([real.dryRun, real.replayed, real.effects]).toEqual([
      false,
      true,
      replayed,
    ]);
    // the dry run's audit record says the same
    expect(
      (world.events as { meta: Record<string, unknown> }[]).find(
        e => e.meta.taskId === 'task-2',
      )?.meta.effects,
    ).toEqual(replayed);
    expect(world.provisioner.applies).toBe(1);
  });

  it('resume after an ambiguous failure: find() converges even when the ledger has no record', async () => {
    // The database is created, then the attempt dies before the infra change is posted.
    let dies = true;
    const provisioner = new (class extends FakeDatabaseProvisioner {
      async apply(...args: Parameters<FakeDatabaseProvisioner['apply']>) {
        const applied = await super.apply(...args);
        if (!args[1].dryRun && dies) {
          dies = false;
          throw new Error('connection reset after CREATE DATABASE');
        }
        return applied;
      }
    })(() => new Date(T));
    const first = setup({ provisioner });
    const request = normalized();
    const { out: plan } = await runPlan(first, request);
    await expect(runApply(first, request, plan)).rejects.toThrow(
      'connection reset after CREATE DATABASE',
    );
    expect(first.changes).toEqual([]);
    // A new ledger (the step record was lost), the same server.
    const second = setup({ provisioner });
    const { out: replan } = await runPlan(second, request);
    expect(replan.noOp).toBe(true);
    expect(replan.approvalTriggers).toEqual([]);
    const { out } = await runApply(second, request, replan, {
      taskId: 'task-2',
    });
    expect(out.replayed).toBe(true);
    expect(provisioner.applies).toBe(1);
    // §4.9 V30: exactly one infra change per request, keyed gp:<key>:apply
    const changes = [...first.changes, ...second.changes];
    expect(changes.map(c => [c.kind, c.idempotencyKey])).toEqual([
      ['infra', `gp:${keyOf(request)}:apply`],
    ]);
    expect(changes[0]).toMatchObject({
      entityRef: out.resourceRef,
      status: 'succeeded',
    });
    // only the fields of the ledger's strict infra schema: anything else is refused (400)
    expect(Object.keys(changes[0].attributes).sort()).toEqual([
      'affectedEntities',
      'plan',
      'workspace',
    ]);
    // a rerun whose step is recorded done posts nothing more
    await runApply(second, request, replan, { taskId: 'task-3' });
    expect(second.changes).toHaveLength(1);
  });

  it('plan and apply refuse a request changed after validate (fingerprint)', async () => {
    const world = setup();
    const request = normalized();
    const { out: plan } = await runPlan(world, request);
    // the request validate checked, then changed to a forbidden region (R02)
    const changed = { ...request, region: 'us-west-1' };
    const mismatch =
      'request does not match fingerprint: pass goldenpath:validate outputs request, fingerprint and templateRef unchanged';
    await expect(
      world.plan.handler(
        context(
          {
            request: changed,
            requestKey: keyOf(request),
            fingerprint: fingerprintOf(request),
            templateRef: PG_TEMPLATE,
          },
          { stepId: 'plan' },
        ) as any,
      ),
    ).rejects.toThrow(mismatch);
    await expect(
      world.apply.handler(
        context({
          request: changed,
          requestKey: keyOf(request),
          fingerprint: fingerprintOf(request),
          templateRef: PG_TEMPLATE,
          planDigest: plan.planDigest,
          plan: plan.plan,
          approvalDecision: 'not-required',
        }) as any,
      ),
    ).rejects.toThrow(mismatch);
    expect(world.provisioner.applies).toBe(0);
  });

  it('a task retry after the apply does not apply again (checkpoint)', async () => {
    const world = setup();
    const request = normalized();
    const { out: plan } = await runPlan(world, request);
    const ctx = context({
      request,
      requestKey: keyOf(request),
      fingerprint: fingerprintOf(request),
      templateRef: PG_TEMPLATE,
      planDigest: plan.planDigest,
      plan: plan.plan,
    });
    await world.apply.handler(ctx as any);
    await world.apply.handler(ctx as any);
    expect(world.provisioner.applies).toBe(1);
  });

  it('GP-P08: a database of that name not created by this request is refused at plan', async () => {
    const world = setup();
    world.provisioner.databases.set('cart_db_dev', {
      marker: null,
      role: 'someone',
    });
    await expect(runPlan(world, normalized())).rejects.toThrow(
      'GP-P08: Database cart_db_dev already exists on fake:5432 and was not created by this request. Nothing was changed.',
    );
  });

  it('a provider that breaks the module contract is refused with P01–P06 (platform defect)', async () => {
    const world = setup();
    world.provisioner.tamper = v => {
      v.publiclyAccessible = true;
      v.storageEncrypted = false;
    };
    await expect(runPlan(world, normalized())).rejects.toThrow(
      [
        'GP-P01: The plan for cart-db-dev stores data unencrypted. This is a platform defect; nothing was applied and the platform team was notified.',
        'GP-P04: The plan for cart-db-dev would be publicly accessible. This is a platform defect; nothing was applied and the platform team was notified.',
      ].join('\n'),
    );
  });

  it('dry runs plan and report the would-be apply, writing nothing', async () => {
    const world = setup();
    const request = normalized(V24);
    const { out: plan } = await runPlan(world, request, { isDryRun: true });
    expect(plan.dryRun).toBe(true);
    // Same code path: the approver would see what a real run shows.
    const { out: real } = await runPlan(world, request);
    expect(plan.approvalPlan).toEqual(real.approvalPlan);
    expect(plan.approvalPlan.effects).toHaveLength(2);
    const { out } = await runApply(world, request, plan, {
      isDryRun: true,
      decision: 'would-require',
    });
    expect(out).toMatchObject({
      resourceRef: 'resource:default/cart-db-prod',
      secretRef: 'local-secret://gp/cart-db-prod/app',
      replayed: false,
      dryRun: true,
    });
    expect(world.provisioner.applies).toBe(0);
    expect(world.calls.filter(c => c.op !== 'approval')).toEqual([]);
    expect(world.calls.filter(c => c.op === 'approval')).toEqual([]);
  });

  it('replay mode plans nothing and reads nothing', async () => {
    const world = setup();
    const { out } = await runPlan(world, normalized(), { mode: 'replay' });
    expect(out).toMatchObject({
      planDigest: 'replay',
      approvalPlan: {},
      approvalTriggers: [],
      noOp: true,
    });
    expect(world.provisioner.plans).toBe(0);
  });

  it('refuses clearly when no provisioner is configured, and releases the request as failed (a rerun is not "already running" for 15 minutes)', async () => {
    const world = setup({ provisioner: null });
    const request = normalized();
    // a dry run claimed nothing and releases nothing
    await expect(runPlan(world, request, { isDryRun: true })).rejects.toThrow(
      /No database provisioner is configured: set goldenPaths\.database\.local\.connection/,
    );
    expect(world.calls.filter(x => x.op === 'close')).toEqual([]);
    await expect(runPlan(world, request)).rejects.toThrow(
      /No database provisioner is configured: set goldenPaths\.database\.local\.connection/,
    );
    expect(world.calls.filter(x => x.op === 'close')).toEqual([
      {
        op: 'close',
        key: keyOf(request),
        body: { taskId: 'task-1', status: 'failed' },
      },
    ]);
  });

  it('stops before planning when the action is switched off (GP-K02)', async () => {
    const world = setup({
      config: {
        goldenPaths: {
          killSwitch: {
            actions: {
              'goldenpath:database:apply': {
                disabled: true,
                reason: 'RDS module v2 rollout (INC-5121)',
                since: '2026-11-23T09:30:00Z',
              },
            },
          },
        },
      },
    });
    const request = normalized();
    const { out: plan } = await runPlan(world, request);
    await expect(runApply(world, request, plan)).rejects.toThrow(
      /^GP-K02: Action goldenpath:database:apply is switched off/,
    );
    expect(world.provisioner.applies).toBe(0);
  });
});
