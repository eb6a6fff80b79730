import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import {
  actionContext,
  outputOf,
  recordingAuditor,
} from '../../__testUtils__/actionContext';
import { fakeLedger } from '../../__fixtures__/fakeLedger';
import { demoCatalog, fakeCatalog } from '../../__fixtures__/world';
import { inputSchemaErrors } from '../../__testUtils__/inputSchema';
import { createGoldenPathApproveAction } from './approve';

const KEY = 'service-node-http:promo-api';
const DIGEST = `sha256:${'d'.repeat(64)}`;
const tier1 = [{ id: 'tier-1', reasons: ['tier 1 service'] }];
const A01 =
  'GP-A01: Approval needed before anything is created: tier-1 (tier 1 service). Approval apr_01 is waiting for group:default/platform-team. When it is approved, press Retry or run the template again with the same inputs.';

const A06 =
  'GP-A06: Nobody other than you can approve this in group:default/platform-team; ask the platform team to add an approver.';

function setup(
  approvals: any[],
  catalog = fakeCatalog(demoCatalog),
  now?: () => Date,
) {
  const { ledger, calls } = fakeLedger({ approvals });
  const { auditor, events } = recordingAuditor();
  const action = createGoldenPathApproveAction({
    config: new ConfigReader({}),
    ledger,
    catalog,
    auth: mockServices.auth(),
    auditor,
    pollMs: 5,
    ...(now ? { now } : {}),
  });
  return { action, ledger, calls, events, catalog };
}

const input = (extra: object = {}) => ({
  requestKey: KEY,
  planDigest: DIGEST,
  triggers: tier1,
  mode: 'create' as const,
  waitMinutes: 0,
  ...extra,
});

describe('goldenpath:approve (golden-paths.md §4.9, §6)', () => {
  it('no triggers: not-required, nothing opened', async () => {
    const { action, calls } = setup([]);
    const { c } = actionContext(input({ triggers: [] }));
    await action.handler(c as any);
    expect(outputOf(c, 'decision')).toBe('not-required');
    expect(calls).toHaveLength(0);
  });

  it('replay: no new decision (V2)', async () => {
    const { action, calls, events } = setup([]);
    const { c } = actionContext(input({ mode: 'replay' }));
    await action.handler(c as any);
    expect(outputOf(c, 'decision')).toBe('replayed');
    expect(calls).toHaveLength(0);
    expect(events[0].meta.result).toBe('replayed');
  });

  it('pending after waitMinutes: GP-A01 with the backend text (V8)', async () => {
    const { action, calls } = setup([
      { status: 'pending', approval: { id: 'apr_01' }, message: A01 },
    ]);
    await expect(
      action.handler(actionContext(input()).c as any),
    ).rejects.toThrow(A01);
    // Named, so a kill switch on the approve action refuses the approval before it opens.
    expect(calls[0]).toMatchObject({
      op: 'approval',
      body: {
        planDigest: DIGEST,
        triggers: tier1,
        action: 'goldenpath:approve',
      },
    });
  });

  it('waits while pending and passes once approved, naming the approvers (V9)', async () => {
    const { action, calls, events } = setup([
      { status: 'pending', approval: { id: 'apr_01' }, message: A01 },
      {
        status: 'approved',
        approval: {
          id: 'apr_01',
          decidedAt: '2026-11-23T10:05:00Z',
          decisions: [
            {
              approver: 'user:default/fatima.haddad',
              decidedAt: '2026-11-23T10:05:00Z',
              breakGlass: false,
            },
          ],
        },
      },
    ]);
    const { c } = actionContext(input({ waitMinutes: 1 }));
    await action.handler(c as any);
    expect(calls.length).toBe(2);
    expect(outputOf(c, 'decision')).toBe('approved');
    expect(outputOf(c, 'approvers')).toEqual(['user:default/fatima.haddad']);
    // a real run, and the approval it asked the route group for (§4.6), as audited
    expect(outputOf(c, 'dryRun')).toBe(false);
    expect(outputOf(c, 'effects')).toEqual([
      {
        type: 'approval.request',
        target: 'group:default/platform-team',
        result: 'done',
      },
    ]);
    expect(events[0].meta.effects).toEqual(outputOf(c, 'effects'));
    expect(events[0]).toMatchObject({ severityLevel: 'high' });
    expect(events[0].meta.approval).toMatchObject({
      id: 'apr_01',
      breakGlass: false,
    });
  });

  it('times the wait with the injected clock: a wait of an hour ends when the clock has moved an hour', async () => {
    let t = Date.parse('2026-11-23T10:00:00Z');
    const start = t;
    const { action, ledger, calls } = setup(
      [{ status: 'pending', approval: { id: 'apr_01' }, message: A01 }],
      undefined,
      () => new Date(t),
    );
    // every poll takes ten minutes by this clock (milliseconds by the machine's)
    const openApproval = ledger.openApproval.bind(ledger);
    ledger.openApproval = async (...args) => {
      t += 10 * 60_000;
      return openApproval(...args);
    };
    await expect(
      action.handler(actionContext(input({ waitMinutes: 60 })).c as any),
    ).rejects.toThrow(A01);
    // the deadline came from the clock: an hour of it (and not a poll more), not an hour of waiting
    expect(t - start).toBeGreaterThanOrEqual(3600_000);
    expect(t - start).toBeLessThan(3600_000 + 3 * 10 * 60_000);
    expect(calls.filter(x => x.op === 'approval').length).toBe(
      (t - start) / (10 * 60_000),
    );
  });

  it('a runtime kill switch refusing the approval stops with its text, is audited and releases the request', async () => {
    const K02 =
      'GP-K02: Action goldenpath:approve is switched off by the platform team (incident INC-7).';
    const { action, calls, events } = setup([
      { status: 'refused', ruleId: 'GP-K02', message: K02 },
    ]);
    await expect(
      action.handler(actionContext(input()).c as any),
    ).rejects.toThrow(K02);
    expect(events).toHaveLength(1);
    expect(events[0].meta).toMatchObject({
      decision: 'deny',
      result: 'failed',
      errorCode: 'GP-K02',
    });
    // a rerun once the switch is lifted resumes instead of meeting this task's lease (V19)
    expect(calls.filter(x => x.op === 'close')).toEqual([
      expect.objectContaining({
        key: KEY,
        body: expect.objectContaining({
          status: 'failed',
          errorCode: 'GP-K02',
        }),
      }),
    ]);
  });

  it('nobody else can approve: GP-A06 (V10)', async () => {
    const { action, events } = setup([
      {
        status: 'pending',
        approval: { id: 'apr_02' },
        ruleId: 'GP-A06',
        errors: [A06],
      },
    ]);
    await expect(
      action.handler(actionContext(input({ waitMinutes: 5 })).c as any),
    ).rejects.toThrow(A06);
    expect(events.at(-1)?.meta).toMatchObject({
      decision: 'needs-approval',
      result: 'failed',
      errorCode: 'GP-A06',
    });
  });

  it('rejected: the rejection text', async () => {
    const a02 =
      'GP-A02: group:default/platform-team rejected approval apr_01 on 2026-11-23: "no". Nothing was created. Change the request and run it with a new key.';
    const { action } = setup([{ status: 'rejected', message: a02 }]);
    await expect(
      action.handler(actionContext(input()).c as any),
    ).rejects.toThrow(a02);
  });

  // The backend's approval route refuses these; the scaffolder checks the schema before a dry
  // run too, so a dry run cannot report a trigger nobody can approve as would-require.
  it.each([
    ['an unknown trigger', [{ id: 'bogus', reasons: ['x'] }], 'triggers[0].id'],
    [
      'a trigger without reasons',
      [{ id: 'tier-1', reasons: [] }],
      'triggers[0].reasons',
    ],
  ])('the step input refuses %s', (_name, triggers, property) => {
    const { action } = setup([]);
    expect(inputSchemaErrors(action, input())).toEqual([]);
    const errors = inputSchemaErrors(action, input({ triggers }));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(`instance.${property}`);
  });

  it('dry run names the routes and their eligible approvers, and opens nothing', async () => {
    const { action, calls } = setup([]);
    const { c } = actionContext(input(), { isDryRun: true });
    await action.handler(c as any);
    expect(outputOf(c, 'decision')).toBe('would-require');
    expect(outputOf(c, 'routes')).toEqual(['group:default/platform-team']);
    expect(calls).toHaveLength(0);
    const logged = (c.logger.info as jest.Mock).mock.calls.map(x => x[0]);
    expect(logged).toContain(
      `${KEY}: group:default/platform-team can approve: user:default/fatima.haddad`,
    );
  });

  it('dry run reports GP-A06 as the real run does when only the requester could approve (V10, §4.6)', async () => {
    const { action, calls, events } = setup([]);
    const { c } = actionContext(input(), { isDryRun: true });
    c.user = { ref: 'user:default/fatima.haddad' };
    await expect(action.handler(c as any)).rejects.toThrow(A06);
    expect(calls).toHaveLength(0);
    expect(c.output).not.toHaveBeenCalledWith('decision', 'would-require');
    expect(events.at(-1)?.meta).toMatchObject({
      dryRun: true,
      decision: 'needs-approval',
      result: 'failed',
      errorCode: 'GP-A06',
    });
  });

  it('dry run fails closed when the catalog does not answer (GP-U01)', async () => {
    const catalog = fakeCatalog(demoCatalog);
    (catalog.getEntities as jest.Mock).mockRejectedValue(
      new Error('catalog unavailable'),
    );
    const { action } = setup([], catalog);
    const { c } = actionContext(input(), { isDryRun: true });
    await expect(action.handler(c as any)).rejects.toThrow(
      'GP-U01: Could not check GP-A06 because the catalog did not answer within 2 s. Nothing was created; try again.',
    );
  });
});

describe('goldenpath:approve and a kill switch thrown during the wait (§4.7)', () => {
  const approved = {
    status: 'approved',
    approval: {
      id: 'apr_01',
      decidedAt: '2026-11-23T10:05:00Z',
      decisions: [
        {
          approver: 'user:default/fatima.haddad',
          decidedAt: '2026-11-23T10:05:00Z',
          breakGlass: false,
        },
      ],
    },
  };
  const K02 =
    'GP-K02: Action goldenpath:approve is switched off by the platform team: broken (INC-1). Stopped before step "approve"; earlier steps are recorded under request "service-node-http:promo-api" and resume when it is switched back on.';

  /**
   * The gate with a config the test can change while the step waits (a reloaded config source):
   * `switchOffOn(n)` throws the approve switch when the ledger answers its n-th call.
   */
  function waitingGate(answers: any[], switchOffOn: number) {
    const data: any = { goldenPaths: { killSwitch: { actions: {} } } };
    const fake = fakeLedger({ approvals: answers });
    let asked = 0;
    const ledger = {
      ...fake.ledger,
      openApproval: async (key: string, body: any) => {
        const state = await fake.ledger.openApproval(key, body);
        asked += 1;
        if (asked === switchOffOn) {
          data.goldenPaths.killSwitch.actions['goldenpath:approve'] = {
            disabled: true,
            reason: 'broken (INC-1)',
          };
        }
        return state;
      },
    };
    const action = createGoldenPathApproveAction({
      config: new ConfigReader(data),
      ledger,
      catalog: fakeCatalog(demoCatalog),
      auth: mockServices.auth(),
      pollMs: 5,
    });
    return { action, calls: fake.calls };
  }

  it('stops at the next poll once the gate is switched off, before asking again (GP-K02)', async () => {
    const { action, calls } = waitingGate(
      [
        { status: 'pending', approval: { id: 'apr_01' }, message: A01 },
        approved,
      ],
      1,
    );
    const { c } = actionContext(input({ waitMinutes: 1 }));
    c.step = { id: 'approve' };
    await expect(action.handler(c as any)).rejects.toThrow(K02);
    expect(calls.filter(x => x.op === 'approval')).toHaveLength(1);
    expect(c.output).not.toHaveBeenCalledWith('decision', 'approved');
    // the request is released for the rerun once the switch is lifted (V19)
    expect(calls.at(-1)).toMatchObject({
      op: 'close',
      body: { status: 'failed', errorCode: 'GP-K02' },
    });
  });

  it('does not pass an approval that arrives after the switch was thrown', async () => {
    const { action } = waitingGate([approved], 1);
    const { c } = actionContext(input({ waitMinutes: 1 }));
    c.step = { id: 'approve' };
    await expect(action.handler(c as any)).rejects.toThrow(K02);
    expect(c.output).not.toHaveBeenCalledWith('decision', 'approved');
  });
});
