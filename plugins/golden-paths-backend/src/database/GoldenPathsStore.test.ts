import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { gpMessages } from '@internal/plugin-golden-paths-common';
import { ApprovalService, DEFAULT_APPROVAL_ROUTES } from '../service/approvals';
import { staticGroupDirectory } from '../service/groupDirectory';
import type { Knex } from 'knex';
import { withEventInsertsFailing } from '../__testUtils__/failingEventInserts';
import { withStatusUpdatesFailing } from '../__testUtils__/failingUpdates';
import {
  holdStatement,
  untilBlockedOrSettled,
} from '../__testUtils__/heldStatements';
import { rowsRead } from '../__testUtils__/rowsRead';
import {
  ApprovalRecord,
  ClaimInput,
  CloseOutcome,
  GoldenPathsStore,
  NewEvent,
  RequestRecord,
} from './GoldenPathsStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create({
  ids: ['POSTGRES_15', 'SQLITE_3'],
  disableDocker: true,
});

const T = '2026-11-23T10:00:00.000Z';
const LEASE = 15 * 60_000;
const later = (ms: number) => new Date(Date.parse(T) + ms).toISOString();

const S0 = {
  name: 'cart-api',
  owner: 'group:default/checkout-team',
  tier: 2,
  exposure: 'internal',
  slo: { availability: 99.5, latencyMs: 300 },
};

/** The `gp_events` record of a close, as the router gives it to `closeRequest`. */
const closeEvent =
  (taskId: string, at: string) =>
  (result: CloseOutcome, request: RequestRecord): NewEvent => ({
    requestKey: request.requestKey,
    at,
    eventType: 'golden-path-step',
    severity: 'medium',
    record: { action: 'goldenpath:ledger:close', taskId, result },
  });

const claim = (over: Partial<ClaimInput> = {}): ClaimInput => ({
  requestKey: 'service-node-http:cart-api',
  fingerprint: `sha256:${'a'.repeat(64)}`,
  request: S0,
  templateRef: 'template:default/service-node-http',
  templateVersion: '1.0.0',
  kind: 'service',
  taskId: 'task-1',
  createdBy: 'user:default/ana.ruiz',
  ...over,
});

const group = (name: string, members: string[]): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name, namespace: 'default' },
  spec: { type: 'team', children: [], members },
});
const D1 = `sha256:${'1'.repeat(64)}`;
const APPROVE = {
  hasDecidePermission: true,
  decision: 'approve' as const,
  reason: 'Runbook, on-call and WAF are in place.',
  answers: {
    intent: true,
    risk: true,
    rollback: true,
    timing: true,
    exception: true,
  },
};

describe.each(databases.eachSupportedId())('GoldenPathsStore on %s', id => {
  let store: GoldenPathsStore;

  beforeAll(async () => {
    const knex = await databases.init(id);
    store = await GoldenPathsStore.create(
      mockServices.database({ knex, migrations: { skip: false } }),
    );
  });

  beforeEach(async () => {
    for (const t of [
      'gp_events',
      'gp_approval_decisions',
      'gp_approval_routes',
      'gp_approvals',
      'gp_steps',
      'gp_close_records',
      'gp_requests',
      'gp_kill_switches',
    ])
      await store.db(t).delete();
  });

  it('a request waiting for a decision holds no lease: a rerun resumes at once (V9)', async () => {
    await store.claimRequest(claim(), T, LEASE);
    const busy = await store.claimRequest(
      claim({ taskId: 'task-2' }),
      later(1_000),
      LEASE,
    );
    expect(busy).toMatchObject({ mode: 'refused', ruleId: 'GP-I03' });
    await store.setRequestStatus(
      'service-node-http:cart-api',
      'awaiting-approval',
      later(2_000),
    );
    const rerun = await store.claimRequest(
      claim({ taskId: 'task-2' }),
      later(3_000),
      LEASE,
    );
    expect(rerun.mode).toBe('resume');
    expect(rerun.request.attempts).toBe(2);
  });

  it('fails a request whose task stopped without closing it one lease after its lease ended (§4.9 ledger:close); a rerun resumes it', async () => {
    const key = 'service-node-http:cart-api';
    await store.claimRequest(claim(), T, LEASE);
    const step = {
      requestKey: key,
      stepId: 'publish',
      fingerprint: 'sha256:step',
      taskId: 'task-1',
    };
    expect(await store.claimStep(step, T, LEASE)).toMatchObject({
      run: true,
    });
    // Another request, waiting for its approval: it holds no lease and is left alone.
    const waiting = 'service-node-http:orders-api';
    await store.claimRequest(
      claim({ requestKey: waiting, taskId: 'task-9' }),
      T,
      LEASE,
    );
    await store.setRequestStatus(waiting, 'awaiting-approval', T);

    const audit = (request: RequestRecord): NewEvent => ({
      requestKey: request.requestKey,
      at: request.updatedAt,
      eventType: 'golden-path-step',
      severity: 'medium',
      record: { taskId: request.leaseTaskId, errorCode: 'lease-expired' },
    });
    // The task died at once; its lease ends at T + 15 min and is failed one lease later.
    expect(
      await store.failExpiredLeases(later(LEASE + LEASE - 1_000), LEASE, audit),
    ).toEqual([]);
    const failed = await store.failExpiredLeases(
      later(2 * LEASE),
      LEASE,
      audit,
    );
    expect(failed.map(r => [r.requestKey, r.leaseTaskId])).toEqual([
      [key, 'task-1'],
    ]);
    expect(await store.getRequest(key)).toMatchObject({
      status: 'failed',
      lastErrorCode: 'lease-expired',
    });
    expect((await store.getRequest(waiting))?.status).toBe('awaiting-approval');
    expect(
      (await store.listEvents(key)).filter(
        e => e.record.errorCode === 'lease-expired',
      ),
    ).toHaveLength(1);
    // Failed once: a second pass finds nothing.
    expect(
      await store.failExpiredLeases(later(3 * LEASE), LEASE, audit),
    ).toEqual([]);

    const rerun = await store.claimRequest(
      claim({ taskId: 'task-2' }),
      later(3 * LEASE),
      LEASE,
    );
    expect(rerun.mode).toBe('resume');
    expect(
      await store.claimStep(
        { ...step, taskId: 'task-2' },
        later(3 * LEASE),
        LEASE,
      ),
    ).toMatchObject({ run: true });
  });

  it('a task that was only slow still records its step and closes the request it left past its lease', async () => {
    const key = 'service-node-http:cart-api';
    await store.claimRequest(claim(), T, LEASE);
    const step = {
      requestKey: key,
      stepId: 'provision',
      fingerprint: 'sha256:step',
      taskId: 'task-1',
    };
    await store.claimStep(step, T, LEASE);
    const audit = (request: RequestRecord): NewEvent => ({
      requestKey: request.requestKey,
      at: T,
      eventType: 'golden-path-step',
      severity: 'medium',
      record: { errorCode: 'lease-expired' },
    });
    expect(
      await store.failExpiredLeases(later(2 * LEASE), LEASE, audit),
    ).toHaveLength(1);
    // its next claim shows it is alive: running again, without the lease error
    await store.claimStep(
      { ...step, stepId: 'register' },
      later(2 * LEASE + 30_000),
      LEASE,
    );
    expect(await store.getRequest(key)).toMatchObject({ status: 'running' });
    expect((await store.getRequest(key))?.lastErrorCode).toBeUndefined();
    await store.completeStep(
      { ...step, status: 'done', output: { ok: true } },
      later(2 * LEASE + 60_000),
    );
    await store.closeRequest(
      { requestKey: key, taskId: 'task-1', status: 'succeeded', outputs: {} },
      later(2 * LEASE + 120_000),
    );
    expect((await store.getRequest(key))?.status).toBe('succeeded');
    expect((await store.listSteps(key))[0].status).toBe('done');
  });

  it('closing as failed releases the lease for the rerun (V19, V20)', async () => {
    await store.claimRequest(claim(), T, LEASE);
    await store.closeRequest(
      {
        requestKey: 'service-node-http:cart-api',
        taskId: 'task-1',
        status: 'failed',
        errorCode: 'GP-K02',
      },
      later(1_000),
    );
    const rerun = await store.claimRequest(
      claim({ taskId: 'task-2' }),
      later(2_000),
      LEASE,
    );
    expect(rerun.mode).toBe('resume');
    expect(rerun.request.lastErrorCode).toBe('GP-K02');
  });

  it('creates on first claim, replays after success (V2), refuses a changed request (V3)', async () => {
    const first = await store.claimRequest(claim(), T, LEASE);
    expect(first.mode).toBe('create');
    expect(first.request.attempts).toBe(1);

    const step = await store.claimStep(
      {
        requestKey: 'service-node-http:cart-api',
        stepId: 'publish',
        fingerprint: 'sha256:step',
        taskId: 'task-1',
      },
      T,
      LEASE,
    );
    expect(step).toMatchObject({ run: true });
    await store.completeStep(
      {
        requestKey: 'service-node-http:cart-api',
        stepId: 'publish',
        taskId: 'task-1',
        status: 'done',
        output: { commitSha: 'abc' },
        effectRef: 'file:///repos/cart-api.git@abc',
      },
      T,
    );
    const outputs = {
      entityRef: 'component:default/cart-api',
      repoUrl: 'file:///repos/cart-api.git',
      commitSha: 'abc',
    };
    await store.closeRequest(
      {
        requestKey: 'service-node-http:cart-api',
        taskId: 'task-1',
        status: 'succeeded',
        outputs,
      },
      T,
    );

    const replay = await store.claimRequest(
      claim({ taskId: 'task-2' }),
      later(60_000),
      LEASE,
    );
    expect(replay).toMatchObject({ mode: 'replay', previous: outputs });
    expect(replay.request.attempts).toBe(2);
    // The step answers with its recorded output and does not run again.
    const again = await store.claimStep(
      {
        requestKey: 'service-node-http:cart-api',
        stepId: 'publish',
        fingerprint: 'sha256:step',
        taskId: 'task-2',
      },
      later(60_000),
      LEASE,
    );
    expect(again).toMatchObject({
      run: false,
      step: { output: { commitSha: 'abc' } },
    });

    const changed = await store.claimRequest(
      claim({
        taskId: 'task-3',
        fingerprint: `sha256:${'b'.repeat(64)}`,
        request: { ...S0, tier: 1 },
      }),
      later(120_000),
      LEASE,
    );
    expect(changed).toMatchObject({
      mode: 'refused',
      ruleId: 'GP-I02',
      message:
        'GP-I02: Idempotency key "service-node-http:cart-api" was used on 2026-11-23 by user:default/ana.ruiz for a different request (differs in: tier). Nothing was changed. Use a new key, or repeat the original inputs to get the original result.',
    });
    expect(
      (await store.getRequest('service-node-http:cart-api'))?.attempts,
    ).toBe(2);
  });

  it('lets exactly one of 20 concurrent claims create (V21)', async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        store.claimRequest(
          claim({ requestKey: 'service-node-http:gift-api', taskId: `t-${i}` }),
          T,
          LEASE,
        ),
      ),
    );
    const modes = results.map(r => r.mode);
    expect(modes.filter(m => m === 'create')).toHaveLength(1);
    expect(modes.filter(m => m === 'refused')).toHaveLength(19);
    for (const r of results.filter(x => x.mode === 'refused'))
      expect(r).toMatchObject({ ruleId: 'GP-I03' });
    const rows = await store.db('gp_requests').where({
      request_key: 'service-node-http:gift-api',
    });
    expect(rows).toHaveLength(1);
  });

  it('of two closes of one task sent together exactly one records; the other answers as a retry', async () => {
    const requestKey = 'service-node-http:cart-api';
    await store.claimRequest(claim(), T, LEASE);
    const close = (taskId: string, at: string) =>
      store.closeRequest(
        { requestKey, taskId, status: 'succeeded', outputs: { n: 1 } },
        at,
        closeEvent(taskId, at),
      );
    const recorded = (results: { recorded?: string }[]) =>
      results.map(r => r.recorded ?? 'retry').sort();

    const closes = await Promise.all([
      close('task-1', later(1_000)),
      close('task-1', later(1_000)),
    ]);
    expect(recorded(closes)).toEqual(['retry', 'succeeded']);
    expect(closes.map(c => c.request.status)).toEqual([
      'succeeded',
      'succeeded',
    ]);

    // a replay's close (another task) is recorded once too, however many copies arrive
    const replays = await Promise.all(
      Array.from({ length: 5 }, () => close('task-2', later(2_000))),
    );
    expect(recorded(replays)).toEqual([
      'replayed',
      'retry',
      'retry',
      'retry',
      'retry',
    ]);
    expect(
      (await store.db('gp_close_records').where({ request_key: requestKey }))
        .map(r => [r.task_id, r.outcome])
        .sort(),
    ).toEqual([
      ['task-1', 'succeeded'],
      ['task-2', 'replayed'],
    ]);
    // and the audit records, written in the close's transaction, once each
    expect(
      (await store.listEvents(requestKey)).map(e => [
        e.record.taskId,
        e.record.result,
      ]),
    ).toEqual([
      ['task-1', 'succeeded'],
      ['task-2', 'replayed'],
    ]);
  });

  it('a close whose audit record cannot be written leaves nothing behind, so its retry records it', async () => {
    const requestKey = 'service-node-http:cart-api';
    await store.claimRequest(claim(), T, LEASE);
    const close = (taskId: string, at: string) =>
      store.closeRequest(
        { requestKey, taskId, status: 'succeeded', outputs: { n: 1 } },
        at,
        closeEvent(taskId, at),
      );
    const records = async () =>
      (await store.listEvents(requestKey)).map(e => [
        e.record.taskId,
        e.record.result,
      ]);
    const markers = async () =>
      (await store.db('gp_close_records').where({ request_key: requestKey }))
        .map(r => r.task_id)
        .sort();

    await expect(
      withEventInsertsFailing(store.db, () => close('task-1', later(1_000))),
    ).rejects.toThrow();
    expect((await store.getRequest(requestKey))?.status).toBe('open');
    expect(await markers()).toEqual([]);
    expect((await close('task-1', later(2_000))).recorded).toBe('succeeded');
    expect(await close('task-1', later(3_000))).toMatchObject({
      changed: false,
    });
    expect(await records()).toEqual([['task-1', 'succeeded']]);

    // a replay's close (another task, the request already succeeded) the same way
    await expect(
      withEventInsertsFailing(store.db, () => close('task-2', later(4_000))),
    ).rejects.toThrow();
    expect(await markers()).toEqual(['task-1']);
    expect((await close('task-2', later(5_000))).recorded).toBe('replayed');
    expect((await close('task-2', later(6_000))).recorded).toBeUndefined();
    expect(await records()).toEqual([
      ['task-1', 'succeeded'],
      ['task-2', 'replayed'],
    ]);
  });

  it('a kill-switch change whose audit record cannot be written is not made, so its retry makes and records it', async () => {
    const put = (disabled: boolean, reason: string, setAt: string) => {
      const s = {
        scope: 'template' as const,
        id: 'flaky-node',
        disabled,
        reason,
        setBy: 'user:default/fatima.haddad',
        setAt,
      };
      return store.putKillSwitch(s, undefined, {
        at: setAt,
        eventType: 'golden-path-kill-switch',
        severity: 'critical',
        record: { id: s.id, disabled, reason },
      });
    };
    const switches = async () =>
      (await store.listKillSwitches()).map(k => [k.disabled, k.reason]);
    const records = async () =>
      (await store.db('gp_events').orderBy('id')).map(
        r => JSON.parse(r.record_json).reason,
      );

    // the first PUT (an insert) and a later change (an update) alike
    for (const [disabled, reason, at] of [
      [true, 'broken CI workflow INC-9', 1_000],
      [false, 'workflow fixed in v3.4.2', 3_000],
    ] as const) {
      const before = await switches();
      await expect(
        withEventInsertsFailing(store.db, () =>
          put(disabled, reason, later(at)),
        ),
      ).rejects.toThrow();
      expect(await switches()).toEqual(before);
      expect(await put(disabled, reason, later(at + 1_000))).toBe(true);
      expect(await put(disabled, reason, later(at + 1_500))).toBe(false);
      expect(await switches()).toEqual([[disabled, reason]]);
    }
    expect(await records()).toEqual([
      'broken CI workflow INC-9',
      'workflow fixed in v3.4.2',
    ]);
  });

  /** A request whose one step `publish` is done and which is closed, so nothing holds it. */
  const doneRequest = async () => {
    const requestKey = 'service-node-http:cart-api';
    const fingerprint = claim().fingerprint;
    await store.claimRequest(claim(), T, LEASE);
    await store.claimStep(
      { requestKey, stepId: 'publish', fingerprint, taskId: 'task-1' },
      T,
      LEASE,
    );
    await store.completeStep(
      {
        requestKey,
        stepId: 'publish',
        taskId: 'task-1',
        status: 'done',
        effectRef: 'repo@1',
      },
      T,
    );
    await store.closeRequest(
      { requestKey, taskId: 'task-1', status: 'succeeded' },
      T,
    );
    return requestKey;
  };
  const recordsOf = async (requestKey: string, eventType: string) =>
    (await store.listEvents(requestKey))
      .filter(e => e.eventType === eventType)
      .map(e => e.record.n);

  it('a step repair whose audit record cannot be written is not made, so its retry makes and records it', async () => {
    const requestKey = await doneRequest();
    let n = 0;
    const repair = (at: string) =>
      store.repairStep(
        { requestKey, stepId: 'publish', now: at },
        step =>
          step.status === 'compensated'
            ? { outcome: 'unchanged' }
            : { outcome: 'change', status: 'compensated', effectRef: 'repo@1' },
        () => ({
          requestKey,
          at,
          eventType: 'golden-path-step-repair',
          severity: 'critical',
          record: { n: (n += 1) },
        }),
      );
    await expect(
      withEventInsertsFailing(store.db, () => repair(later(1_000))),
    ).rejects.toThrow();
    expect((await store.listSteps(requestKey))[0].status).toBe('done');
    expect((await store.getRequest(requestKey))?.status).toBe('succeeded');
    expect((await repair(later(2_000))).changed).toBe(true);
    expect((await repair(later(3_000))).changed).toBe(false);
    expect(await recordsOf(requestKey, 'golden-path-step-repair')).toEqual([2]);
    expect((await store.getRequest(requestKey))?.status).toBe('compensated');
  });

  it('a compensation run whose audit record cannot be written records nothing in the ledger, so the run again records once', async () => {
    const requestKey = await doneRequest();
    const approval = await store.insertApproval({
      id: 'apr_1',
      requestKey,
      planDigest: D1,
      round: 0,
      triggers: [],
      routes: [],
      status: 'pending',
      requestedBy: 'user:default/ana.ruiz',
      createdAt: T,
      expiresAt: later(86_400_000),
    });
    let n = 0;
    const run = async (token: string, at: string) => {
      expect(
        await store.beginCompensation(
          requestKey,
          'succeeded',
          token,
          at,
          LEASE,
        ),
      ).toBe(true);
      return store.completeCompensation({
        requestKey,
        token,
        compensated: true,
        now: at,
        supersedeApprovals: [approval.approval.id],
        auditOf: done => ({
          requestKey,
          at,
          eventType: 'golden-path-compensation',
          severity: 'critical',
          record: { n: (n += 1), ...done },
        }),
      });
    };
    await expect(
      withEventInsertsFailing(store.db, () => run('c-1', later(1_000))),
    ).rejects.toThrow();
    // the lease is still the lost run's (the service releases it, as here)
    expect((await store.getRequest(requestKey))?.leaseTaskId).toBe('c-1');
    await store.finishCompensation(requestKey, 'c-1', false, later(1_000));
    expect((await store.getRequest(requestKey))?.status).toBe('succeeded');
    expect((await store.getApproval('apr_1'))?.status).toBe('pending');

    expect(await run('c-2', later(2_000))).toEqual({
      finished: true,
      superseded: 1,
      status: 'compensated',
    });
    expect(
      await store.beginCompensation(
        requestKey,
        'compensated',
        'c-3',
        later(3_000),
        LEASE,
      ),
    ).toBe(false);
    expect((await store.getApproval('apr_1'))?.status).toBe('superseded');
    expect(await recordsOf(requestKey, 'golden-path-compensation')).toEqual([
      2,
    ]);
  });

  // PostgreSQL only: SQLite serializes writing transactions, so nothing there waits on a row.
  (id.startsWith('POSTGRES') ? describe : describe.skip)(
    'one lock order (request, then its approvals and steps): concurrent writes wait instead of deadlocking',
    () => {
      const requestKey = 'service-node-http:cart-api';
      const D2 = `sha256:${'2'.repeat(64)}`;
      const approvalOf = (approvalId: string, planDigest: string) => ({
        id: approvalId,
        requestKey,
        planDigest,
        round: 0,
        triggers: [],
        routes: [],
        status: 'pending' as const,
        requestedBy: 'user:default/ana.ruiz',
        createdAt: T,
        expiresAt: later(86_400_000),
      });
      /** A request with one done step, waiting for the pending approval `apr_a` (no lease). */
      const awaitingApproval = async () => {
        const fingerprint = claim().fingerprint;
        await store.claimRequest(claim(), T, LEASE);
        await store.claimStep(
          { requestKey, stepId: 'publish', fingerprint, taskId: 'task-1' },
          T,
          LEASE,
        );
        await store.completeStep(
          {
            requestKey,
            stepId: 'publish',
            taskId: 'task-1',
            status: 'done',
            effectRef: 'repo@1',
          },
          T,
        );
        await store.openApproval({
          requestKey,
          opening: { insert: approvalOf('apr_a', D1) },
          now: T,
        });
      };
      const approve = () =>
        store.insertDecision(
          {
            approvalId: 'apr_a',
            route: 'group:default/platform-team',
            approver: 'user:default/fatima.haddad',
            decision: 'approve',
            reason: APPROVE.reason,
            answers: APPROVE.answers,
            decidedAt: later(2_000),
            breakGlass: false,
          },
          { statusOf: () => 'approved', now: later(2_000) },
        );
      const openSecondPlan = () =>
        store.openApproval({
          requestKey,
          opening: { insert: approvalOf('apr_b', D2) },
          now: later(2_000),
        });
      const compensation = async () => {
        expect(
          await store.beginCompensation(
            requestKey,
            'awaiting-approval',
            'c-1',
            later(1_000),
            LEASE,
          ),
        ).toBe(true);
        return () =>
          store.completeCompensation({
            requestKey,
            token: 'c-1',
            compensated: true,
            now: later(2_000),
            supersedeApprovals: ['apr_a'],
          });
      };
      /**
       * Runs `first` until it is about to send the statement matching `heldAt` (keeping the locks
       * it took), then `second` until it waits for a lock (or ends), then lets `first` go on.
       */
      const interleave = async <A, B>(
        heldAt: RegExp,
        first: () => Promise<A>,
        second: () => Promise<B>,
      ) => {
        const held = holdStatement(store.db, heldAt);
        try {
          const one = first();
          one.catch(() => {});
          await held.reached;
          const two = second();
          two.catch(() => {});
          expect(await untilBlockedOrSettled(store.db, two)).toBe('blocked');
          held.release();
          const settled = await Promise.allSettled([one, two]);
          // PostgreSQL ends a deadlock by failing one of them with 40P01 (a 500 to its caller).
          const deadlocked = settled.flatMap(r =>
            r.status === 'rejected' && r.reason?.code === '40P01'
              ? [String(r.reason.message)]
              : [],
          );
          expect(deadlocked).toEqual([]);
          return settled;
        } finally {
          held.restore();
        }
      };

      it('a decision and an opening of a new plan', async () => {
        await awaitingApproval();
        const [decided, opened] = await interleave(
          /^insert into "gp_approval_decisions"/,
          approve,
          openSecondPlan,
        );
        expect(decided).toMatchObject({
          status: 'fulfilled',
          value: { created: true, approval: { status: 'approved' } },
        });
        expect(opened).toMatchObject({
          status: 'fulfilled',
          value: {
            created: true,
            approval: { id: 'apr_b' },
            superseded: [{ id: 'apr_a', status: 'approved' }],
          },
        });
        expect(await store.getApproval('apr_a')).toMatchObject({
          status: 'superseded',
          decidedAt: later(2_000),
        });
        expect(await store.getRequest(requestKey)).toMatchObject({
          status: 'awaiting-approval',
          planDigest: D2,
        });
      });

      it('a decision and the end of a compensation run', async () => {
        await awaitingApproval();
        const complete = await compensation();
        const [completed, decided] = await interleave(
          /^update "gp_requests"/,
          complete,
          approve,
        );
        expect(completed).toEqual({
          status: 'fulfilled',
          value: { finished: true, superseded: 1, status: 'compensated' },
        });
        expect(decided).toMatchObject({
          status: 'rejected',
          reason: { name: 'ConflictError', approval: { status: 'superseded' } },
        });
        expect(await store.listDecisions(['apr_a'])).toEqual([]);
      });

      it('an opening and the end of a compensation run', async () => {
        await awaitingApproval();
        const complete = await compensation();
        const [completed, opened] = await interleave(
          /^update "gp_requests"/,
          complete,
          openSecondPlan,
        );
        expect(completed).toEqual({
          status: 'fulfilled',
          value: { finished: true, superseded: 1, status: 'compensated' },
        });
        expect(opened).toMatchObject({
          status: 'rejected',
          reason: { name: 'ConflictError' },
        });
        expect(await store.getApproval('apr_b')).toBeUndefined();
      });

      it('a decision and a step repair that compensates the request', async () => {
        await awaitingApproval();
        const [decided, repaired] = await interleave(
          /^insert into "gp_approval_decisions"/,
          approve,
          () =>
            store.repairStep(
              { requestKey, stepId: 'publish', now: later(2_000) },
              () => ({ outcome: 'change', status: 'compensated' }),
            ),
        );
        expect(decided).toMatchObject({
          status: 'fulfilled',
          value: { created: true, approval: { status: 'approved' } },
        });
        // approved, no longer pending: a compensation supersedes pending approvals only
        expect(repaired).toMatchObject({
          status: 'fulfilled',
          value: { requestCompensated: true, approvalsSuperseded: [] },
        });
        expect(await store.getRequest(requestKey)).toMatchObject({
          status: 'compensated',
        });
      });
    },
  );

  it('of first PUTs of one kill switch sent together exactly one changes it', async () => {
    const ids = ['a-node', 'b-node', 'c-node', 'd-node', 'e-node'];
    const put = (switchId: string, setBy: string) =>
      store.putKillSwitch({
        scope: 'template',
        id: switchId,
        disabled: true,
        reason: 'broken CI workflow INC-9',
        setBy,
        setAt: T,
      });
    // Pairs on several switches at once, so that the pairs overlap however the pool schedules.
    const pairs = await Promise.all(
      ids.map(switchId =>
        Promise.all([
          put(switchId, 'user:default/fatima.haddad'),
          put(switchId, 'user:default/olga'),
        ]),
      ),
    );
    expect(pairs.map(p => p.filter(Boolean).length)).toEqual(ids.map(() => 1));
    expect((await store.listKillSwitches()).map(k => k.id)).toEqual(ids);
  });

  it('a first kill-switch PUT refused by its check leaves no row', async () => {
    const refused = store.putKillSwitch(
      {
        scope: 'action',
        id: 'goldenpath:register',
        disabled: true,
        reason: 'register is failing (INC-5121)',
        setBy: 'user:default/fatima.haddad',
        setAt: T,
      },
      () => {
        throw new Error('until must be in the future');
      },
    );
    await expect(refused).rejects.toThrow('until must be in the future');
    expect(await store.listKillSwitches()).toEqual([]);
  });

  it('refuses a live lease with GP-I03 and resumes after it expired', async () => {
    await store.claimRequest(claim(), T, LEASE);
    const busy = await store.claimRequest(
      claim({ taskId: 'task-2' }),
      later(60_000),
      LEASE,
    );
    expect(busy).toMatchObject({
      mode: 'refused',
      ruleId: 'GP-I03',
      message: gpMessages.i03({
        key: 'service-node-http:cart-api',
        taskId: 'task-1',
        startedAt: T,
      }),
    });
    // Same task again (a Backstage retry) keeps its claim.
    const retry = await store.claimRequest(claim(), later(60_000), LEASE);
    expect(retry.mode).toBe('resume');
    expect(retry.request.attempts).toBe(1);

    const resumed = await store.claimRequest(
      claim({ taskId: 'task-2' }),
      later(LEASE + 60_000),
      LEASE,
    );
    expect(resumed.mode).toBe('resume');
    expect(resumed.request).toMatchObject({
      leaseTaskId: 'task-2',
      attempts: 2,
    });
    // The dead task can no longer close the request.
    await expect(
      store.closeRequest(
        {
          requestKey: 'service-node-http:cart-api',
          taskId: 'task-1',
          status: 'failed',
        },
        later(LEASE + 120_000),
      ),
    ).rejects.toThrow(/GP-I03/);
  });

  it('resumes a failed request, refuses a template version change (GP-I04)', async () => {
    await store.claimRequest(claim(), T, LEASE);
    await store.closeRequest(
      {
        requestKey: 'service-node-http:cart-api',
        taskId: 'task-1',
        status: 'failed',
        errorCode: 'GP-E02',
      },
      T,
    );
    const dry = await store.claimRequest(
      claim({ taskId: 'task-2', dryRun: true }),
      later(1000),
      LEASE,
    );
    expect(dry).toMatchObject({ mode: 'resume', dryRun: true });
    expect(
      (await store.getRequest('service-node-http:cart-api'))?.attempts,
    ).toBe(1);
    const bumped = await store.claimRequest(
      claim({ taskId: 'task-2', templateVersion: '1.1.0' }),
      later(1000),
      LEASE,
    );
    expect(bumped).toMatchObject({ mode: 'refused', ruleId: 'GP-I04' });
    const resumed = await store.claimRequest(
      claim({ taskId: 'task-2' }),
      later(2000),
      LEASE,
    );
    expect(resumed).toMatchObject({
      mode: 'resume',
      request: { status: 'open', attempts: 2 },
    });
  });

  it('refuses a step claimed with a different fingerprint (GP-I05)', async () => {
    await store.claimRequest(claim(), T, LEASE);
    const p = {
      requestKey: 'service-node-http:cart-api',
      stepId: 'register',
      taskId: 'task-1',
    };
    await store.claimStep({ ...p, fingerprint: 'sha256:one' }, T, LEASE);
    expect(
      await store.claimStep({ ...p, fingerprint: 'sha256:two' }, T, LEASE),
    ).toMatchObject({ refused: true, ruleId: 'GP-I05' });
  });

  it('refuses a step claimed by another action than recorded (GP-I05), running or replayed', async () => {
    await store.claimRequest(claim(), T, LEASE);
    const p = {
      requestKey: 'service-node-http:cart-api',
      stepId: 'publish',
      taskId: 'task-1',
      fingerprint: 'sha256:one',
    };
    const git = { ...p, action: 'goldenpath:publish:git' };
    const other = { ...p, action: 'publish:github' };
    await store.claimStep(git, T, LEASE);
    // A retry by the recorded action, or by a caller that names none, runs the step again.
    expect(await store.claimStep(git, T, LEASE)).toMatchObject({ run: true });
    expect(await store.claimStep(p, T, LEASE)).toMatchObject({ run: true });
    expect(await store.claimStep(other, T, LEASE)).toMatchObject({
      refused: true,
      ruleId: 'GP-I05',
    });
    await store.completeStep({ ...p, status: 'done' }, T);
    await store.closeRequest(
      { requestKey: p.requestKey, taskId: 'task-1', status: 'succeeded' },
      T,
    );
    // A replay of the succeeded request by another action gets no recorded output either.
    expect(
      await store.claimStep({ ...other, taskId: 'task-2' }, T, LEASE),
    ).toMatchObject({ refused: true, ruleId: 'GP-I05' });
    expect(
      await store.claimStep({ ...git, taskId: 'task-2' }, T, LEASE),
    ).toMatchObject({ run: false, step: { action: 'goldenpath:publish:git' } });
  });

  it('dry-runs an unknown key as create without inserting', async () => {
    const dry = await store.claimRequest(claim({ dryRun: true }), T, LEASE);
    expect(dry).toMatchObject({ mode: 'create', dryRun: true });
    expect(
      await store.getRequest('service-node-http:cart-api'),
    ).toBeUndefined();
  });

  describe('the approvals routed to groups (the inbox)', () => {
    const PLATFORM = 'group:default/platform-team';
    const approval = (
      i: number,
      groups: string[],
      over: Partial<ApprovalRecord> = {},
    ): ApprovalRecord => ({
      id: `apr_in_${String(i).padStart(4, '0')}`,
      requestKey: `service-node-http:inbox-${i}`,
      planDigest: D1,
      round: 0,
      triggers: [{ id: 'tier-1', reasons: ['tier 1 service'] }],
      routes: groups.map(g => ({ group: g, triggers: ['tier-1'] })),
      status: 'pending',
      requestedBy: 'user:default/ana.ruiz',
      // newer with i; ties broken by id
      createdAt: later(Math.floor(i / 2) * 1_000),
      expiresAt: later(86_400_000),
      ...over,
    });
    const ids = (list: ApprovalRecord[]) => list.map(a => a.id);
    const routesOf = (...groups: string[]) =>
      JSON.stringify(groups.map(g => ({ group: g, triggers: ['tier-1'] })));
    /** Approval `i`'s row as code older than gp_approval_routes wrote it: no route rows. */
    const oldRow = (i: number, routesJson: string, over = {}) => {
      const a = approval(i, []);
      return {
        id: a.id,
        request_key: a.requestKey,
        plan_digest: a.planDigest,
        round: 0,
        triggers_json: '[]',
        routes_json: routesJson,
        status: 'pending',
        requested_by: a.requestedBy,
        created_at: a.createdAt,
        expires_at: a.expiresAt,
        ...over,
      };
    };

    it('reads only the approvals with a route to one of the groups, newest first, filtered and paged as before', async () => {
      // 300 approvals of other groups around 6 of platform-team's, one routed to both, one
      // naming it with capitals, one decided
      const ours = new Map<number, ApprovalRecord>([
        [3, approval(3, [PLATFORM])],
        [50, approval(50, ['group:default/security-team', PLATFORM])],
        [51, approval(51, ['Group:Default/Platform-Team'])],
        [120, approval(120, [PLATFORM], { status: 'approved' })],
        [
          121,
          // the same request as 3, a later plan
          approval(121, [PLATFORM], {
            requestKey: 'service-node-http:inbox-3',
            planDigest: `sha256:${'2'.repeat(64)}`,
          }),
        ],
        [299, approval(299, [PLATFORM, 'group:default/platform-team'])],
      ]);
      for (let i = 0; i < 306; i++)
        await store.insertApproval(
          ours.get(i) ?? approval(i, [`group:default/team-${i % 7}`]),
        );
      const newestFirst = [299, 121, 120, 51, 50, 3].map(
        i => `apr_in_${String(i).padStart(4, '0')}`,
      );
      const routed = await rowsRead(store.db, 'gp_approvals', () =>
        store.listApprovals({ routedTo: [PLATFORM, 'group:default/eng'] }),
      );
      expect(ids(routed.result)).toEqual(newestFirst);
      // the same records as read one by one
      for (const a of routed.result)
        expect(a).toEqual(await store.getApproval(a.id));
      // no row of another group's approval came back from the database
      expect(routed.selects).toBe(1);
      expect(routed.rows.map(r => r.id)).toEqual(newestFirst);

      expect(
        ids(
          await store.listApprovals({
            routedTo: [PLATFORM],
            status: 'pending',
          }),
        ),
      ).toEqual(newestFirst.filter(i => i !== 'apr_in_0120'));
      expect(
        ids(
          await store.listApprovals({
            routedTo: [PLATFORM],
            requestKey: 'service-node-http:inbox-3',
          }),
        ),
      ).toEqual(['apr_in_0121', 'apr_in_0003']);
      expect(
        ids(
          await store.listApprovals({
            routedTo: [PLATFORM],
            after: await store.getApproval(newestFirst[1]),
            limit: 3,
          }),
        ),
      ).toEqual(newestFirst.slice(2, 5));
      expect(
        ids(await store.listApprovals({ routedTo: ['group:default/team-3'] })),
      ).toHaveLength(43);
      // no group: nothing read at all
      const none = await rowsRead(store.db, 'gp_approvals', () =>
        store.listApprovals({ routedTo: [] }),
      );
      expect(none).toEqual({ result: [], selects: 0, rows: [] });
    });

    it('pages by keyset: an approval opened between two pages neither repeats a row nor hides one', async () => {
      // created_at ties in pairs (i / 2): the id breaks them, on the page boundary too
      for (let i = 0; i < 10; i++)
        await store.insertApproval(approval(i, [PLATFORM]));
      const first = await store.listApprovals({
        routedTo: [PLATFORM],
        limit: 5,
      });
      await store.insertApproval(approval(20, [PLATFORM]));
      const second = await store.listApprovals({
        routedTo: [PLATFORM],
        limit: 5,
        after: first[first.length - 1],
      });
      expect([...ids(first), ...ids(second)]).toEqual(
        [9, 8, 7, 6, 5, 4, 3, 2, 1, 0].map(
          i => `apr_in_${String(i).padStart(4, '0')}`,
        ),
      );
    });

    it('finds the pending approvals stored without route rows in the read that finds those due, and writes their rows once', async () => {
      // Old-code rows (`oldRow`) among approvals this code wrote; ids and created_at grow with i.
      for (let i = 0; i < 40; i++)
        await store.insertApproval(
          approval(i, [i % 2 ? PLATFORM : 'group:default/security-team'], {
            // two of them due
            ...(i === 10 || i === 11 ? { expiresAt: later(-1) } : {}),
            ...(i === 20 ? { status: 'approved' } : {}),
          }),
        );
      await store.db('gp_approvals').insert([
        oldRow(
          41,
          routesOf(
            'Group:Default/Platform-Team',
            'group:default/security-team',
            'group:default/platform-team',
          ),
        ),
        oldRow(42, routesOf('group:default/security-team'), {
          expires_at: later(-1),
        }),
        // not pending any more: not read (only pending approvals are awaited in an inbox)
        oldRow(43, routesOf(PLATFORM), { status: 'expired' }),
        // not a list, cut short: no group, and no failure
        oldRow(44, '{"group":"group:default/platform-team"}'),
        oldRow(45, '[{"group":"group:default/platform-team"'),
        // a later round of request 1's approval
        oldRow(46, routesOf(PLATFORM), {
          request_key: 'service-node-http:inbox-1',
          round: 1,
        }),
      ]);
      const idOf = (i: number) => `apr_in_${String(i).padStart(4, '0')}`;

      const read = await rowsRead(store.db, 'gp_approvals', () =>
        store.listPendingToSettle({ dueBy: T }),
      );
      expect(read.selects).toBe(1);
      expect(ids(read.result.due)).toEqual([42, 11, 10].map(idOf));
      expect(read.result.unrouted).toEqual([
        {
          id: idOf(41),
          groups: [PLATFORM, 'group:default/security-team'],
        },
        { id: idOf(42), groups: ['group:default/security-team'] },
        { id: idOf(44), groups: [] },
        { id: idOf(45), groups: [] },
        { id: idOf(46), groups: [PLATFORM] },
      ]);
      // nothing else came from the database: the due ones and the pending ones without rows
      expect(read.rows.map(r => r.id).sort()).toEqual(
        [10, 11, 41, 42, 42, 44, 45, 46].map(idOf),
      );
      // of one request only
      const ofOne = await store.listPendingToSettle({
        dueBy: T,
        requestKey: 'service-node-http:inbox-1',
      });
      expect(ids(ofOne.due)).toEqual([]);
      expect(ofOne.unrouted.map(a => a.id)).toEqual([idOf(46)]);

      const platformBefore = ids(
        await store.listApprovals({ routedTo: [PLATFORM] }),
      );
      expect(platformBefore).not.toContain(idOf(41));
      // twice, and with one row already there (another instance wrote it): rows once each
      await store
        .db('gp_approval_routes')
        .insert({ approval_id: idOf(46), group_ref: PLATFORM });
      await store.writeMissingRoutes(read.result.unrouted);
      await store.writeMissingRoutes(read.result.unrouted);
      expect(
        await store
          .db('gp_approval_routes')
          .whereIn('approval_id', [41, 42, 43, 44, 45, 46].map(idOf))
          .orderBy(['approval_id', 'group_ref'])
          .select(),
      ).toEqual([
        { approval_id: idOf(41), group_ref: PLATFORM },
        { approval_id: idOf(41), group_ref: 'group:default/security-team' },
        { approval_id: idOf(42), group_ref: 'group:default/security-team' },
        // routes to no group: one row of no group, so it is not taken up again
        { approval_id: idOf(44), group_ref: '' },
        { approval_id: idOf(45), group_ref: '' },
        { approval_id: idOf(46), group_ref: PLATFORM },
      ]);
      expect(ids(await store.listApprovals({ routedTo: [PLATFORM] }))).toEqual([
        idOf(46),
        idOf(41),
        ...platformBefore,
      ]);
      // the rows written are not read again, those of no group included
      const again = await store.listPendingToSettle({ dueBy: T });
      expect(ids(again.due)).toEqual([42, 11, 10].map(idOf));
      expect(again.unrouted).toEqual([]);
      // nothing to do: one read, no row
      expect(
        await rowsRead(store.db, 'gp_approvals', () =>
          store.listPendingToSettle({ dueBy: later(-60_000) }),
        ),
      ).toEqual({ result: { due: [], unrouted: [] }, selects: 1, rows: [] });
    });

    it('writes the routes of approvals of any status stored without them (repairMissingRoutes), page by page, once', async () => {
      // An instance on code older than gp_approval_routes may also have decided them before any
      // upgraded inbox was loaded.
      await store.insertApproval(approval(1, [PLATFORM]));
      await store.db('gp_approvals').insert([
        oldRow(2, routesOf('Group:Default/Platform-Team'), {
          status: 'approved',
        }),
        oldRow(3, routesOf(PLATFORM), { status: 'rejected' }),
        oldRow(4, routesOf('group:default/security-team'), {
          status: 'expired',
        }),
        oldRow(5, routesOf(PLATFORM)),
        oldRow(6, '[]', { status: 'approved' }),
      ]);
      const idOf = (i: number) => `apr_in_${String(i).padStart(4, '0')}`;
      expect(ids(await store.listApprovals({ routedTo: [PLATFORM] }))).toEqual([
        idOf(1),
      ]);

      expect(await store.repairMissingRoutes(2)).toBe(5);
      expect(ids(await store.listApprovals({ routedTo: [PLATFORM] }))).toEqual(
        [5, 3, 2, 1].map(idOf),
      );
      expect(
        ids(
          await store.listApprovals({
            routedTo: [PLATFORM],
            status: 'approved',
          }),
        ),
      ).toEqual([idOf(2)]);
      expect(
        await store
          .db('gp_approval_routes')
          .whereIn('approval_id', [4, 6].map(idOf))
          .orderBy('approval_id')
          .select(),
      ).toEqual([
        { approval_id: idOf(4), group_ref: 'group:default/security-team' },
        { approval_id: idOf(6), group_ref: '' },
      ]);
      // nothing left to repair
      expect(await store.repairMissingRoutes(2)).toBe(0);
    });

    it('writes the routes with their approval only, and retention deletes them with it', async () => {
      const requestKey = 'service-node-http:cart-api';
      await store.claimRequest(claim(), T, LEASE);
      await store.closeRequest(
        { requestKey, taskId: 'task-1', status: 'succeeded' },
        later(1_000),
      );
      const first = approval(1, [PLATFORM, 'Group:Default/Platform-Team'], {
        requestKey,
      });
      expect((await store.insertApproval(first)).created).toBe(true);
      // the same (request, digest, round) again under another id: nothing written
      const again = { ...first, id: 'apr_in_other', routes: first.routes };
      expect((await store.insertApproval(again)).created).toBe(false);
      const routeRows = () =>
        store.db('gp_approval_routes').orderBy('group_ref').select();
      expect(await routeRows()).toEqual([
        { approval_id: 'apr_in_0001', group_ref: PLATFORM },
      ]);
      await store.prune(later(91 * 86_400_000));
      expect(await store.getApproval('apr_in_0001')).toBeUndefined();
      expect(await routeRows()).toEqual([]);
    });
  });

  describe('approvals with two routes (tier-1 → platform-team, network → security-team)', () => {
    const key = 'service-node-http:cart-api';
    const approvals = () =>
      new ApprovalService(
        store,
        {
          expiresAfterDays: 7,
          routes: {
            ...DEFAULT_APPROVAL_ROUTES,
            'tier-1': ['group:default/platform-team'],
            network: ['group:default/security-team'],
          },
          breakGlassGroup: 'group:default/platform-team',
        },
        staticGroupDirectory([
          group('platform-team', ['fatima.haddad']),
          group('security-team', ['sam.okafor']),
        ]),
      );
    const openBoth = async (service: ApprovalService) => {
      await store.claimRequest(claim(), T, LEASE);
      const opened = await service.open(
        {
          requestKey: key,
          planDigest: D1,
          triggers: [
            { id: 'tier-1', reasons: ['tier 1 service'] },
            { id: 'network', reasons: ['public exposure'] },
          ],
        },
        T,
      );
      expect(opened.approval!.routes.map(r => r.group)).toEqual([
        'group:default/platform-team',
        'group:default/security-team',
      ]);
      return opened.approval!.id;
    };

    it('two concurrent decisions on different routes approve it (neither misses the other)', async () => {
      const service = approvals();
      const approvalId = await openBoth(service);
      await Promise.all([
        service.decide(
          { ...APPROVE, approvalId, decider: 'user:default/fatima.haddad' },
          later(1_000),
        ),
        service.decide(
          { ...APPROVE, approvalId, decider: 'user:default/sam.okafor' },
          later(1_000),
        ),
      ]);
      expect(await store.listDecisions([approvalId])).toHaveLength(2);
      expect(await store.getApproval(approvalId)).toMatchObject({
        status: 'approved',
        decidedAt: later(1_000),
      });
      expect((await store.getRequest(key))?.status).toBe('open');
    });

    it('the same decision sent twice at once is stored and reported as new once', async () => {
      const service = approvals();
      const approvalId = await openBoth(service);
      const decision = {
        approvalId,
        route: 'group:default/platform-team',
        approver: 'user:default/fatima.haddad',
        decision: 'approve' as const,
        reason: APPROVE.reason,
        answers: APPROVE.answers,
        decidedAt: later(1_000),
        breakGlass: false,
      };
      const stored = await Promise.all([
        store.insertDecision(decision),
        store.insertDecision(decision),
      ]);
      expect(stored.map(r => r.created).sort()).toEqual([false, true]);
      const decided = await Promise.all(
        [1, 2].map(() =>
          service.decide(
            { ...APPROVE, approvalId, decider: 'user:default/sam.okafor' },
            later(2_000),
          ),
        ),
      );
      expect(decided.map(r => r.created).sort()).toEqual([false, true]);
      expect(await store.listDecisions([approvalId])).toHaveLength(2);
    });

    it('a decision on an approval that stopped pending after it was checked stores and records nothing (409)', async () => {
      const service = approvals();
      const approvalId = await openBoth(service);
      const decisionRecords = async () =>
        (await store.listEvents(key)).filter(
          e => e.eventType === 'golden-path-approval-decision',
        );
      const auditOf = (): NewEvent => ({
        requestKey: key,
        at: later(1_000),
        eventType: 'golden-path-approval-decision',
        severity: 'high',
        record: {},
      });
      /** Runs `meanwhile` after `decide` checked the approval, before its decision is stored. */
      const afterTheCheck = (meanwhile: () => Promise<unknown>) => {
        const insert = store.insertDecision.bind(store);
        return jest
          .spyOn(store, 'insertDecision')
          .mockImplementationOnce(async (...args) => {
            await meanwhile();
            return insert(...args);
          });
      };

      // A compensation supersedes it in between.
      const spy = afterTheCheck(async () => {
        await store.setApprovalStatus(approvalId, 'superseded');
        await store.setRequestStatus(key, 'compensated', later(500));
      });
      try {
        await expect(
          service.decide(
            { ...APPROVE, approvalId, decider: 'user:default/fatima.haddad' },
            later(1_000),
            auditOf,
          ),
        ).rejects.toThrow(
          `Approval ${approvalId} was superseded: request "${key}" was compensated (reverted), so its plan will not run and there is nothing to decide.`,
        );
      } finally {
        spy.mockRestore();
      }
      expect(await store.listDecisions([approvalId])).toEqual([]);
      expect(await decisionRecords()).toEqual([]);

      // A rejection on the other route settles it in between (a fresh approval of the key).
      await store.setApprovalStatus(approvalId, 'pending');
      await store.setRequestStatus(key, 'awaiting-approval', later(600));
      const rejectOther = afterTheCheck(() =>
        service.decide(
          {
            ...APPROVE,
            approvalId,
            decider: 'user:default/sam.okafor',
            decision: 'reject',
            reason: 'No WAF in front of it yet.',
          },
          later(700),
          auditOf,
        ),
      );
      try {
        await expect(
          service.decide(
            { ...APPROVE, approvalId, decider: 'user:default/fatima.haddad' },
            later(1_000),
            auditOf,
          ),
        ).rejects.toThrow(/^GP-A02: group:default\/security-team rejected/);
      } finally {
        rejectOther.mockRestore();
      }
      expect(
        (await store.listDecisions([approvalId])).map(d => d.route),
      ).toEqual(['group:default/security-team']);
      expect(await decisionRecords()).toHaveLength(1);
      // the rejection sent again is still a repeat (200), not a refusal
      expect(
        await service.decide(
          {
            ...APPROVE,
            approvalId,
            decider: 'user:default/sam.okafor',
            decision: 'reject',
            reason: 'No WAF in front of it yet.',
          },
          later(2_000),
          auditOf,
        ),
      ).toMatchObject({ created: false });
    });

    it('an opening and a decision whose audit records cannot be written are not kept, so their retries make and record them', async () => {
      const service = approvals();
      await store.claimRequest(claim(), T, LEASE);
      let n = 0;
      const record = (at: string, eventType: string) => ({
        requestKey: key,
        at,
        eventType,
        severity: 'high' as const,
        record: { n: (n += 1) },
      });
      const open = (at: string) =>
        service.open(
          {
            requestKey: key,
            planDigest: D1,
            triggers: [{ id: 'tier-1', reasons: ['tier 1 service'] }],
          },
          at,
          () => record(at, 'golden-path-approval'),
        );
      await expect(
        withEventInsertsFailing(store.db, () => open(later(1_000))),
      ).rejects.toThrow();
      expect(await store.findApproval(key, D1)).toBeUndefined();
      const opened = await open(later(2_000));
      expect(opened).toMatchObject({ created: true, recorded: true });
      expect(await open(later(3_000))).toMatchObject({
        created: false,
        recorded: false,
      });
      expect(await recordsOf(key, 'golden-path-approval')).toEqual([2]);

      const approvalId = opened.approval!.id;
      const decide = (at: string) =>
        service.decide(
          { ...APPROVE, approvalId, decider: 'user:default/fatima.haddad' },
          at,
          () => record(at, 'golden-path-approval-decision'),
        );
      await expect(
        withEventInsertsFailing(store.db, () => decide(later(4_000))),
      ).rejects.toThrow();
      expect(await store.listDecisions([approvalId])).toEqual([]);
      expect((await store.getApproval(approvalId))?.status).toBe('pending');
      expect((await decide(later(5_000))).created).toBe(true);
      expect((await decide(later(6_000))).created).toBe(false);
      expect(await store.getApproval(approvalId)).toMatchObject({
        status: 'approved',
        decidedAt: later(5_000),
      });
      expect(await recordsOf(key, 'golden-path-approval-decision')).toEqual([
        4,
      ]);
    });

    describe('opening an approval in one transaction', () => {
      const D2 = `sha256:${'2'.repeat(64)}`;
      const D3 = `sha256:${'3'.repeat(64)}`;
      const open = (service: ApprovalService, planDigest: string, at: string) =>
        service.open(
          {
            requestKey: key,
            planDigest,
            triggers: [{ id: 'tier-1', reasons: ['tier 1 service'] }],
          },
          at,
          opened => ({
            requestKey: key,
            at,
            eventType: 'golden-path-approval',
            severity: 'high',
            record: { planDigest, revived: opened.revived },
          }),
        );
      /** The opening records: digest, and whether it was a revival. */
      const openings = async () =>
        (await store.listEvents(key))
          .filter(e => e.eventType === 'golden-path-approval')
          .map(e => [e.record.planDigest, e.record.revived]);
      const statusOf = async (planDigest: string) =>
        (await store.findApproval(key, planDigest))?.status;

      it('whose request status cannot be written keeps nothing of it, so its retry opens and records it once', async () => {
        const service = approvals();
        await store.claimRequest(claim(), T, LEASE);
        await expect(
          withStatusUpdatesFailing(
            store.db,
            { table: 'gp_requests', status: 'awaiting-approval' },
            () => open(service, D1, later(1_000)),
          ),
        ).rejects.toThrow();
        expect(await store.findApproval(key, D1)).toBeUndefined();
        expect(await store.getRequest(key)).toMatchObject({
          status: 'open',
          leaseTaskId: 'task-1',
        });
        expect(await openings()).toEqual([]);

        expect(await open(service, D1, later(2_000))).toMatchObject({
          status: 'pending',
          created: true,
          recorded: true,
        });
        expect(await open(service, D1, later(3_000))).toMatchObject({
          created: false,
          recorded: false,
        });
        expect(await store.getRequest(key)).toMatchObject({
          status: 'awaiting-approval',
          planDigest: D1,
        });
        expect((await store.getRequest(key))?.leaseTaskId).toBeUndefined();
        expect(await openings()).toEqual([[D1, false]]);
      });

      it('whose supersede of the older approvals fails keeps nothing of it (a new plan, a revival), so its retry does all of it once', async () => {
        const service = approvals();
        await store.claimRequest(claim(), T, LEASE);
        await open(service, D1, later(1_000));
        const supersedeFailing = <R>(run: () => Promise<R>) =>
          withStatusUpdatesFailing(
            store.db,
            { table: 'gp_approvals', status: 'superseded' },
            run,
          );

        await expect(
          supersedeFailing(() => open(service, D2, later(2_000))),
        ).rejects.toThrow();
        expect(await store.findApproval(key, D2)).toBeUndefined();
        expect(await statusOf(D1)).toBe('pending');
        expect((await store.getRequest(key))?.planDigest).toBe(D1);
        expect(await openings()).toEqual([[D1, false]]);

        expect(await open(service, D2, later(3_000))).toMatchObject({
          status: 'pending',
          created: true,
          recorded: true,
        });
        expect(await statusOf(D1)).toBe('superseded');
        expect((await store.getRequest(key))?.planDigest).toBe(D2);

        // D1 is current again: its revival supersedes D2 in the same transaction
        await expect(
          supersedeFailing(() => open(service, D1, later(4_000))),
        ).rejects.toThrow();
        expect(await statusOf(D1)).toBe('superseded');
        expect(await statusOf(D2)).toBe('pending');
        expect((await store.getRequest(key))?.planDigest).toBe(D2);

        expect(await open(service, D1, later(5_000))).toMatchObject({
          status: 'pending',
          revived: true,
          recorded: true,
        });
        expect(await open(service, D1, later(6_000))).toMatchObject({
          recorded: false,
        });
        expect(await statusOf(D1)).toBe('pending');
        expect(await statusOf(D2)).toBe('superseded');
        expect(await store.getRequest(key)).toMatchObject({
          status: 'awaiting-approval',
          planDigest: D1,
        });
        expect(await openings()).toEqual([
          [D1, false],
          [D2, false],
          [D1, true],
        ]);
      });

      it('sent twice at once creates, supersedes and records once; of two plans sent at once one stays current', async () => {
        const service = approvals();
        await store.claimRequest(claim(), T, LEASE);
        await open(service, D1, later(1_000));
        const twice = await Promise.all([
          open(service, D2, later(2_000)),
          open(service, D2, later(2_000)),
        ]);
        expect(twice.map(r => r.created).sort()).toEqual([false, true]);
        expect(twice.map(r => r.recorded).sort()).toEqual([false, true]);
        expect(twice.map(r => r.approval?.id)[0]).toBe(twice[1].approval?.id);
        expect(await statusOf(D1)).toBe('superseded');
        expect(await openings()).toEqual([
          [D1, false],
          [D2, false],
        ]);

        const revivedTwice = await Promise.all([
          open(service, D1, later(3_000)),
          open(service, D1, later(3_000)),
        ]);
        expect(revivedTwice.map(r => r.recorded).sort()).toEqual([false, true]);
        expect(await statusOf(D2)).toBe('superseded');
        expect((await openings()).slice(2)).toEqual([[D1, true]]);

        // Serialized on the request's row: the second supersedes the first.
        await Promise.all([
          open(service, D2, later(4_000)),
          open(service, D3, later(4_000)),
        ]);
        const current = (await store.listApprovals({ requestKey: key })).filter(
          a => a.status === 'pending',
        );
        expect(current).toHaveLength(1);
        expect((await store.getRequest(key))?.planDigest).toBe(
          current[0].planDigest,
        );
      });
    });

    it('expiry never overwrites a decision that settled the approval after it was read', async () => {
      const service = approvals();
      const approvalId = await openBoth(service);
      const stale = (await store.getApproval(approvalId))!;
      // What another replica's decide() committed between this read and the expiry below;
      // only the approval row matters here (its decisions are read by that replica).
      await store.setApprovalStatus(approvalId, 'approved', later(1_000));
      const state = await service.describe(stale, later(8 * 86_400_000));
      expect(state.status).toBe('approved');
      expect((await store.getApproval(approvalId))?.status).toBe('approved');
    });

    it('a pending approval whose routes are all decided is approved when next read', async () => {
      const service = approvals();
      const approvalId = await openBoth(service);
      // Decisions stored without the promotion (what a lost race left behind).
      for (const [route, approver] of [
        ['group:default/platform-team', 'user:default/fatima.haddad'],
        ['group:default/security-team', 'user:default/sam.okafor'],
      ]) {
        await store.insertDecision({
          approvalId,
          route,
          approver,
          decision: 'approve',
          reason: APPROVE.reason,
          answers: APPROVE.answers,
          decidedAt: later(1_000),
          breakGlass: false,
        });
      }
      expect((await store.getApproval(approvalId))?.status).toBe('pending');
      const state = await service.describe(
        (await store.getApproval(approvalId))!,
        later(2_000),
      );
      expect(state).toMatchObject({
        status: 'approved',
        approval: { status: 'approved', decidedAt: later(1_000) },
      });
      expect(state.message).toBeUndefined();
      expect((await store.getApproval(approvalId))?.status).toBe('approved');
      expect((await store.getRequest(key))?.status).toBe('open');
    });
  });
});

describe.each(databases.eachSupportedId())(
  'migration 20261201000000_approval_rounds on %s',
  id => {
    const migrations = {
      directory: resolvePackagePath(
        '@internal/plugin-golden-paths-backend',
        'migrations',
      ),
      tableName: 'golden_paths_knex_migrations',
    };
    const row = (approvalId: string, round?: number) => ({
      id: approvalId,
      request_key: 'service-node-http:cart-api',
      plan_digest: D1,
      ...(round === undefined ? {} : { round }),
      triggers_json: '[]',
      routes_json: '[]',
      status: 'expired',
      requested_by: 'user:default/ana.ruiz',
      created_at: T,
      expires_at: later(7 * 86_400_000),
    });

    it('keeps existing approvals as round 0, allows later rounds of one digest, and rolls back', async () => {
      const knex = await databases.init(id);
      await knex.migrate.up({ ...migrations, name: '20261123000000_init.js' });
      await knex('gp_approvals').insert(row('apr_0'));
      // up to this migration only, so that `down` below undoes it (later ones exist)
      await knex.migrate.up({
        ...migrations,
        name: '20261201000000_approval_rounds.js',
      });
      expect(
        await knex('gp_approvals').where({ id: 'apr_0' }).first(),
      ).toMatchObject({ round: 0 });
      await knex('gp_approvals').insert(row('apr_1', 1));
      await expect(
        knex('gp_approvals').insert(row('apr_1b', 1)),
      ).rejects.toThrow();
      await knex('gp_approval_decisions').insert({
        approval_id: 'apr_0',
        route: 'group:default/platform-team',
        approver: 'user:default/fatima.haddad',
        decision: 'approve',
        reason: 'Tier 1 runbook is in place.',
        decided_at: T,
        break_glass: false,
      });

      await knex.migrate.down(migrations);
      // One approval per (request, digest) again: the latest round stays.
      expect((await knex('gp_approvals').select('id')).map(r => r.id)).toEqual([
        'apr_1',
      ]);
      expect(await knex('gp_approval_decisions')).toHaveLength(0);
      await expect(knex('gp_approvals').insert(row('apr_2'))).rejects.toThrow();
      await knex.destroy();
    });
  },
);

describe.each(databases.eachSupportedId())(
  'migration 20261203000000_step_action on %s',
  id => {
    const migrations = {
      directory: resolvePackagePath(
        '@internal/plugin-golden-paths-backend',
        'migrations',
      ),
      tableName: 'golden_paths_knex_migrations',
    };
    const step = (stepId: string, action?: string) => ({
      request_key: 'service-node-http:cart-api',
      step_id: stepId,
      fingerprint: 'sha256:step',
      status: 'done',
      effect_ref: '/repos/cart-api.git@abc',
      attempt: 1,
      started_at: T,
      ...(action ? { action } : {}),
    });

    it('keeps existing steps without an action, stores new ones, and rolls back', async () => {
      const knex = await databases.init(id);
      await knex.migrate.up({ ...migrations, name: '20261123000000_init.js' });
      await knex.migrate.up({
        ...migrations,
        name: '20261201000000_approval_rounds.js',
      });
      await knex('gp_steps').insert(step('publish-local'));
      await knex.migrate.up({
        ...migrations,
        name: '20261203000000_step_action.js',
      });
      expect(
        await knex('gp_steps').where({ step_id: 'publish-local' }).first(),
      ).toMatchObject({ action: null, effect_ref: '/repos/cart-api.git@abc' });
      await knex('gp_steps').insert(step('register', 'goldenpath:register'));
      expect(
        (await knex('gp_steps').where({ step_id: 'register' }).first()).action,
      ).toBe('goldenpath:register');

      await knex.migrate.down(migrations);
      const rows = await knex('gp_steps').orderBy('step_id');
      expect(rows.map(r => r.step_id)).toEqual(['publish-local', 'register']);
      expect(rows[0]).not.toHaveProperty('action');
      await knex.destroy();
    });
  },
);

describe.each(databases.eachSupportedId())(
  'migration 20261205000000_close_records on %s',
  id => {
    const migrations = {
      directory: resolvePackagePath(
        '@internal/plugin-golden-paths-backend',
        'migrations',
      ),
      tableName: 'golden_paths_knex_migrations',
    };
    const KEY = 'service-node-http:cart-api';
    let n = 0;
    const event = (record: Record<string, unknown>, eventType?: string) => {
      n += 1;
      const eventId = `01JEVENT${String(n).padStart(4, '0')}`;
      return {
        id: eventId,
        request_key: KEY,
        at: later(n * 1_000),
        event_type: eventType ?? 'golden-path-step',
        severity: 'medium',
        record_json: JSON.stringify({
          id: eventId,
          requestKey: KEY,
          ...record,
        }),
      };
    };
    const close = (taskId: string, result: string) =>
      event({
        action: 'goldenpath:ledger:close',
        stepId: 'ledger-close',
        taskId,
        result,
      });
    /** The `gp_requests` row of a request that succeeded, as the migrations before this one made it. */
    const succeededRequest = (requestKey: string) => ({
      request_key: requestKey,
      fingerprint: `sha256:${'a'.repeat(64)}`,
      request_json: JSON.stringify(S0),
      template_ref: 'template:default/service-node-http',
      template_version: '1.0.0',
      kind: 'service',
      status: 'succeeded',
      created_by: 'user:default/ana.ruiz',
      created_at: T,
      updated_at: later(2_000),
      claim_token: 'claim-1',
    });
    const upToStepAction = async (knex: Knex) => {
      for (const name of [
        '20261123000000_init.js',
        '20261201000000_approval_rounds.js',
        '20261203000000_step_action.js',
      ]) {
        await knex.migrate.up({ ...migrations, name });
      }
    };

    it('takes the successful closes on record over as markers, once per task, and rolls back', async () => {
      const knex = await databases.init(id);
      await upToStepAction(knex);
      await knex('gp_requests').insert(succeededRequest(KEY));
      await knex('gp_events').insert([
        close('task-1', 'failed'),
        close('task-2', 'succeeded'),
        close('task-1', 'replayed'),
        // the same replay recorded twice (two closes sent together, before this migration)
        close('task-3', 'replayed'),
        close('task-3', 'replayed'),
        close('task-4', 'failed'),
        event({
          action: 'goldenpath:ledger:open',
          taskId: 'task-5',
          result: 'replayed',
        }),
        event(
          { action: 'goldenpath:ledger:close', taskId: 'task-6' },
          'golden-path-kill-switch',
        ),
      ]);
      await knex.migrate.up({
        ...migrations,
        name: '20261205000000_close_records.js',
      });
      const markers = await knex('gp_close_records').orderBy('task_id');
      expect(markers.map(m => [m.request_key, m.task_id, m.outcome])).toEqual([
        [KEY, 'task-1', 'replayed'],
        [KEY, 'task-2', 'succeeded'],
        [KEY, 'task-3', 'replayed'],
      ]);
      expect(markers[0].recorded_at).toBe(later(3_000));
      await expect(
        knex('gp_close_records').insert({
          request_key: KEY,
          task_id: 'task-2',
          outcome: 'replayed',
          recorded_at: T,
        }),
      ).rejects.toThrow();

      await knex.migrate.down(migrations);
      expect(await knex.schema.hasTable('gp_close_records')).toBe(false);
      expect(await knex('gp_events')).toHaveLength(8);
      await knex.destroy();
    });

    it('takes over no close of a request retention has deleted: no close can come for it, and its marker would never be pruned', async () => {
      const knex = await databases.init(id);
      await upToStepAction(knex);
      await knex('gp_requests').insert(succeededRequest(KEY));
      // Requests go after 90 days, their events after 400: the closes of a pruned request remain.
      const pruned = {
        ...close('task-7', 'succeeded'),
        request_key: 'service-node-http:pruned-api',
      };
      await knex('gp_events').insert([close('task-1', 'succeeded'), pruned]);
      await knex.migrate.up({
        ...migrations,
        name: '20261205000000_close_records.js',
      });
      expect(
        (await knex('gp_close_records')).map(m => [m.request_key, m.task_id]),
      ).toEqual([[KEY, 'task-1']]);

      // what retention does to the request the markers were taken over for
      const store = await GoldenPathsStore.create(
        mockServices.database({ knex, migrations: { skip: true } }),
      );
      await store.prune(later(91 * 86_400_000));
      expect(await knex('gp_close_records')).toEqual([]);
      await knex.destroy();
    });

    it('skips a close record that is not JSON instead of keeping the backend from starting', async () => {
      const knex = await databases.init(id);
      await upToStepAction(knex);
      await knex('gp_requests').insert(succeededRequest(KEY));
      const cut = {
        ...close('task-8', 'succeeded'),
        record_json: '{"action":"goldenpath:ledger:close","taskId":"task-8"',
      };
      const nullRecord = {
        ...close('task-9', 'succeeded'),
        record_json: 'null',
      };
      await knex('gp_events').insert([
        cut,
        nullRecord,
        close('task-1', 'succeeded'),
      ]);
      await knex.migrate.up({
        ...migrations,
        name: '20261205000000_close_records.js',
      });
      expect(
        (await knex('gp_close_records')).map(m => [m.request_key, m.task_id]),
      ).toEqual([[KEY, 'task-1']]);
      await knex.destroy();
    });
  },
);

describe.each(databases.eachSupportedId())(
  'migration 20261207000000_approval_routes on %s',
  id => {
    const migrations = {
      directory: resolvePackagePath(
        '@internal/plugin-golden-paths-backend',
        'migrations',
      ),
      tableName: 'golden_paths_knex_migrations',
    };
    const row = (approvalId: string, routesJson: string, minutes: number) => ({
      id: approvalId,
      request_key: `service-node-http:${approvalId}`,
      plan_digest: D1,
      round: 0,
      triggers_json: '[]',
      routes_json: routesJson,
      status: 'pending',
      requested_by: 'user:default/ana.ruiz',
      created_at: later(minutes * 60_000),
      expires_at: later(7 * 86_400_000),
    });
    const routes = (...groups: string[]) =>
      JSON.stringify(groups.map(g => ({ group: g, triggers: ['tier-1'] })));

    it('takes over the routes of the approvals written before it, so the inbox lists them, and rolls back', async () => {
      const knex = await databases.init(id);
      await knex.migrate.up({ ...migrations, name: '20261123000000_init.js' });
      for (const name of [
        '20261201000000_approval_rounds.js',
        '20261203000000_step_action.js',
        '20261205000000_close_records.js',
      ])
        await knex.migrate.up({ ...migrations, name });
      // more than one page of the backfill (500), the platform-team ones spread over it
      const before = [];
      for (let i = 0; i < 620; i++)
        before.push(
          row(
            `apr_${String(i).padStart(4, '0')}`,
            i % 100 === 7
              ? routes(
                  'group:default/security-team',
                  'Group:Default/Platform-Team',
                )
              : routes(`group:default/team-${i % 5}`),
            i,
          ),
        );
      for (let i = 0; i < before.length; i += 100)
        await knex('gp_approvals').insert(before.slice(i, i + 100));
      // rows that route to no group: no list, not JSON, a route without a group
      await knex('gp_approvals').insert([
        row('apr_empty', '[]', 700),
        row('apr_cut', '[{"group":"group:default/platform-team"', 701),
        row('apr_object', '{"group":"group:default/platform-team"}', 702),
        row('apr_nogroup', '[{"triggers":["tier-1"]},null,3]', 703),
      ]);

      await knex.migrate.up({
        ...migrations,
        name: '20261207000000_approval_routes.js',
      });
      expect(await knex('gp_approval_routes')).toHaveLength(620 + 7);
      const store = await GoldenPathsStore.create(
        mockServices.database({ knex, migrations: { skip: false } }),
      );
      const platform = [7, 107, 207, 307, 407, 507, 607]
        .map(i => `apr_${String(i).padStart(4, '0')}`)
        .reverse();
      expect(
        (
          await store.listApprovals({
            routedTo: ['group:default/platform-team'],
          })
        ).map(a => a.id),
      ).toEqual(platform);
      expect(
        await store.listApprovals({ routedTo: ['group:default/team-3'] }),
      ).toHaveLength(124);

      await knex.migrate.down(migrations);
      expect(await knex.schema.hasTable('gp_approval_routes')).toBe(false);
      expect(await knex('gp_approvals')).toHaveLength(624);
      await knex.destroy();
    });
  },
);
