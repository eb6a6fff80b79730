import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  actionContext,
  outputOf,
  recordingAuditor,
} from '../../__testUtils__/actionContext';
import { fakeLedger } from '../../__fixtures__/fakeLedger';
import { createGoldenPathRegisterAction } from './register';

const KEY = 'service-node-http:cart-api';
const entity = (key?: string) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'cart-api',
    namespace: 'default',
    annotations: key ? { 'ops.example.com/request-key': key } : {},
  },
  spec: { owner: 'group:default/checkout-team' },
});

function setup(
  appearsAfter: number,
  key: string | undefined = KEY,
  config: object = {},
  clock: { now?: () => Date; onPoll?: () => void } = {},
) {
  let polls = 0;
  const catalog = catalogServiceMock.mock({
    getEntityByRef: jest.fn(async () => {
      polls += 1;
      clock.onPoll?.();
      return polls > appearsAfter ? (entity(key) as any) : undefined;
    }),
  });
  const { ledger, calls } = fakeLedger();
  const { auditor, events } = recordingAuditor();
  const action = createGoldenPathRegisterAction({
    config: new ConfigReader(config),
    ledger,
    catalog,
    auth: mockServices.auth(),
    auditor,
    pollMs: 5,
    ...(clock.now ? { now: clock.now } : {}),
  });
  return { action, calls, events, catalog, polls: () => polls };
}

const input = (extra: object = {}) => ({
  requestKey: KEY,
  fingerprint: `sha256:${'e'.repeat(64)}`,
  entityRef: 'component:default/cart-api',
  publishMode: 'local' as const,
  waitSeconds: 1,
  ...extra,
});

describe('goldenpath:register (golden-paths.md §4.9)', () => {
  it('waits until the local provider has put the entity in the catalog', async () => {
    const { action, calls, events, polls } = setup(3);
    const { c } = actionContext(input());
    await action.handler(c as any);
    expect(polls()).toBe(4);
    expect(outputOf(c, 'registered')).toBe(true);
    expect(calls.map(x => x.op)).toEqual(['claim', 'complete']);
    expect(events[0].meta.effects[0]).toMatchObject({ result: 'done' });
    // a real run says so in its outputs, with the effect its audit record carries (§4.6)
    expect(outputOf(c, 'dryRun')).toBe(false);
    expect(outputOf(c, 'effects')).toEqual(events[0].meta.effects);
  });

  it('an entity with that name from another request is GP-N03', async () => {
    const { action } = setup(0, 'service-node-http:other');
    await expect(
      action.handler(actionContext(input()).c as any),
    ).rejects.toThrow(
      'GP-N03: Name "cart-api" is already used by component:default/cart-api (owner group:default/checkout-team). Choose another name, or open component:default/cart-api if you meant to change it.',
    );
  });

  it('times out with GP-E02 and marks the step failed, so a rerun resumes (V20)', async () => {
    const { action, calls, events } = setup(Number.MAX_SAFE_INTEGER);
    await expect(
      action.handler(actionContext(input()).c as any),
    ).rejects.toThrow(
      'GP-E02: component:default/cart-api did not appear in the catalog within 1 s. The repository exists; run again with the same key to resume.',
    );
    // The step is recorded failed and the request released (failed, GP-E02) for the rerun.
    expect(calls.slice(-2)).toMatchObject([
      { op: 'complete', body: { status: 'failed' } },
      { op: 'close', body: { status: 'failed', errorCode: 'GP-E02' } },
    ]);
    expect(events[0].meta).toMatchObject({
      result: 'failed',
      errorCode: 'GP-E02',
    });
  });

  it('times the wait with the injected clock: a wait of five minutes ends when the clock has moved five minutes', async () => {
    let t = Date.parse('2026-11-23T10:00:00Z');
    const start = t;
    const { action, polls } = setup(
      Number.MAX_SAFE_INTEGER,
      KEY,
      {},
      {
        now: () => new Date(t),
        // every catalog lookup takes a minute by this clock (milliseconds by the machine's)
        onPoll: () => {
          t += 60_000;
        },
      },
    );
    await expect(
      action.handler(actionContext(input({ waitSeconds: 300 })).c as any),
    ).rejects.toThrow(
      'GP-E02: component:default/cart-api did not appear in the catalog within 300 s.',
    );
    // the deadline came from the clock: five minutes of it (and not a poll more), not of waiting
    expect(t - start).toBeGreaterThanOrEqual(300_000);
    expect(t - start).toBeLessThan(300_000 + 3 * 60_000);
    expect(polls()).toBe((t - start) / 60_000);
  });

  it('a config kill switch set mid-run stops before the catalog, is audited and releases the request (V19)', async () => {
    const { action, calls, events, polls } = setup(0, KEY, {
      goldenPaths: {
        killSwitch: {
          actions: {
            'goldenpath:register': {
              disabled: true,
              reason: 'catalog migration (CHG-7)',
              since: '2026-11-23T09:30:00Z',
            },
          },
        },
      },
    });
    const { c } = actionContext(input());
    c.step = { id: 'register' };
    await expect(action.handler(c as any)).rejects.toThrow(
      'GP-K02: Action goldenpath:register is switched off by the platform team since 2026-11-23 09:30 UTC: catalog migration (CHG-7). Stopped before step "register"; earlier steps are recorded under request "service-node-http:cart-api" and resume when it is switched back on.',
    );
    expect(polls()).toBe(0);
    // This task's lease ends with the stop, as after the claim's GP-K02: a rerun once the switch
    // is lifted resumes instead of meeting GP-I03 for 15 minutes.
    expect(calls).toEqual([
      {
        op: 'close',
        key: KEY,
        body: { taskId: 'task-1', status: 'failed', errorCode: 'GP-K02' },
      },
    ]);
    expect(events).toHaveLength(1);
    expect(events[0].meta).toMatchObject({
      action: 'goldenpath:register',
      decision: 'deny',
      result: 'failed',
      errorCode: 'GP-K02',
    });
  });

  it('a dry run runs through a config kill switch: reports it, releases and registers nothing (§4.7)', async () => {
    const { action, calls } = setup(0, KEY, {
      goldenPaths: {
        killSwitch: {
          actions: { 'goldenpath:register': { disabled: true, reason: 'x' } },
        },
      },
    });
    const { c } = actionContext(input(), { isDryRun: true });
    await action.handler(c as any);
    expect(outputOf(c, 'wouldBeRefusedBy')).toMatchObject({
      ruleId: 'GP-K02',
      message: expect.stringMatching(
        /^GP-K02: Action goldenpath:register is switched off/,
      ),
    });
    expect(outputOf(c, 'registered')).toBe(false);
    // only the read-only lookup of the step: nothing claimed or released
    expect(calls.map(x => x.op)).toEqual(['step']);
  });

  it('dry run in local mode only reports', async () => {
    const { action, calls, polls } = setup(0);
    const { c } = actionContext(input(), { isDryRun: true });
    await action.handler(c as any);
    expect(polls()).toBe(0);
    expect(calls.map(x => x.op)).toEqual(['step']);
    expect(outputOf(c, 'registered')).toBe(false);
    expect(outputOf(c, 'replayed')).toBe(false);
  });

  it('dry run in github mode reports, and reads no catalog-info.yaml from a repository a dry run never creates (V17)', async () => {
    const { action, catalog, polls } = setup(0);
    const { c } = actionContext(
      input({
        publishMode: 'github',
        // what the scaffolder gives for the skipped publish:github step's output
        catalogInfoUrl: '<example>/catalog-info.yaml',
      }),
      { isDryRun: true },
    );
    await action.handler(c as any);
    expect(catalog.addLocation).not.toHaveBeenCalled();
    expect(polls()).toBe(0);
    expect(outputOf(c, 'registered')).toBe(false);
  });

  it('a dry run of a step an earlier attempt recorded done says replayed, as the real run does, and asks the catalog nothing', async () => {
    const { action, events, polls } = setup(0);
    const real = actionContext(input());
    await action.handler(real.c as any);
    const pollsAfterRun = polls();

    const { c } = actionContext(input(), { isDryRun: true });
    await action.handler(c as any);
    const replayed = [
      {
        type: 'catalog.register',
        target: 'component:default/cart-api',
        result: 'replayed',
      },
    ];
    expect(outputOf(c, 'effects')).toEqual(replayed);
    expect(outputOf(c, 'replayed')).toBe(true);
    expect(outputOf(c, 'registered')).toBe(false);
    expect(outputOf(c, 'locationId')).toBe(
      'golden-paths-local:component:default/cart-api',
    );
    expect(events.at(-1)?.meta).toMatchObject({
      dryRun: true,
      result: 'skipped',
      effects: replayed,
    });
    expect(polls()).toBe(pollsAfterRun);

    // the real rerun replays it
    const rerun = actionContext(input());
    await action.handler(rerun.c as any);
    expect(outputOf(rerun.c, 'effects')).toEqual(replayed);
  });

  it('dry run writes one low audit record (would, skipped) (§4.5)', async () => {
    const { action, events } = setup(0);
    const { c } = actionContext(input(), { isDryRun: true });
    await action.handler(c as any);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ severityLevel: 'low' });
    expect(events[0].meta).toMatchObject({
      action: 'goldenpath:register',
      result: 'skipped',
      dryRun: true,
      effects: [
        {
          type: 'catalog.register',
          target: 'component:default/cart-api',
          result: 'would',
        },
      ],
    });
  });
});
