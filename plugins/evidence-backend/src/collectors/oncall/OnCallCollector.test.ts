import fs from 'node:fs';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import {
  OnCallProvider,
  StaticOnCallProvider,
} from '@internal/plugin-evidence-node';
import { parse } from 'yaml';
import type { CollectorEntity } from '../catalogEntities';
import { loadDemoCatalogEntities } from '../testing/demoCatalog';
import { InMemoryCollectorSink } from '../testing/InMemoryCollectorSink';
import { declaredRoutes, OnCallCollector } from './OnCallCollector';

/** The demo's static schedules: the `incidentBrief` section of the root app-config.yaml. */
const demoConfig = new ConfigReader({
  incidentBrief: parse(
    fs.readFileSync(
      resolvePackagePath(
        '@internal/plugin-evidence-backend',
        '../../app-config.yaml',
      ),
      'utf8',
    ),
  ).incidentBrief,
});

// incident-brief §6.3's T: Ben on call, until Monday 09:00Z.
const T = new Date('2026-03-14T02:05:00Z');

function collector(
  sink: InMemoryCollectorSink,
  entities: CollectorEntity[],
  providers: Record<string, OnCallProvider> = {
    static: StaticOnCallProvider.fromConfig(demoConfig),
  },
) {
  return new OnCallCollector({
    sink,
    logger: mockServices.logger.mock(),
    listEntities: async () => entities,
    providers,
    providerTimeoutMs: 50,
    now: () => T,
  });
}

function entity(
  ref: string,
  annotations: Record<string, string>,
): CollectorEntity {
  const [kind, rest] = ref.split(':');
  const [namespace, name] = rest.split('/');
  return { ref, kind, namespace, name, annotations };
}

describe('OnCallCollector over the demo catalog', () => {
  it('writes the checkout-team rotation and marks the unconfigured PagerDuty route unsupported-host', async () => {
    const sink = new InMemoryCollectorSink();
    const summary = await collector(sink, loadDemoCatalogEntities()).run();

    const checkout = sink.fact(
      'group:default/checkout-team',
      'oncall',
      'oncall.schedule',
      'static:checkout-primary',
    );
    expect(checkout).toMatchObject({
      observedAt: T,
      collectedAt: T,
      value: {
        provider: 'static',
        exists: true,
        onCallNow: [
          { userRef: 'user:default/ben.okafor', level: 1 },
          { userRef: 'user:default/ana.ruiz', level: 2 },
        ],
        until: '2026-03-16T09:00:00.000Z',
        escalationLevels: null,
        url: null,
      },
    });
    expect(sink.status('group:default/checkout-team', 'oncall')).toMatchObject({
      succeeded: true,
    });

    // payment-service's pagerduty.com/service-id: no PagerDuty provider → no fact.
    expect(
      sink.status('component:default/payment-service', 'oncall'),
    ).toMatchObject({
      succeeded: false,
      error: 'unsupported-host',
      detail: expect.stringContaining('pagerduty:service/PPAY001'),
    });
    expect(
      sink.fact(
        'component:default/payment-service',
        'oncall',
        'oncall.schedule',
        'pagerduty:service/PPAY001',
      ),
    ).toBeUndefined();

    // commerce-eng's rotation (the last escalation step) is collected once, on commerce-eng.
    expect(
      sink.fact(
        'group:default/commerce-eng',
        'oncall',
        'oncall.schedule',
        'static:commerce-escalation',
      )?.value,
    ).toMatchObject({ provider: 'static', exists: true });

    // Facts live only on the declaring entity: nothing on checkout-service itself.
    expect(
      [...sink.facts.values()].some(
        f => f.entityRef === 'component:default/checkout-service',
      ),
    ).toBe(false);

    // unsupported-host is entity-side: the source run stays ok.
    expect(summary).toMatchObject({
      outcome: 'ok',
      errors: { 'unsupported-host': 1 },
    });
    expect(sink.sourceRuns.filter(r => r.source === 'oncall')).toEqual([
      expect.objectContaining({ outcome: 'ok' }),
    ]);
    // The provider PPAY001 names is not configured: its health is disabled, so consumers
    // skip that route and fall back to the owner group's rotation (incident-brief §2.2).
    expect(sink.sourceRuns.filter(r => r.source === 'pagerduty')).toEqual([
      expect.objectContaining({
        outcome: 'disabled',
        error: 'on-call provider pagerduty is not configured',
      }),
    ]);
  });

  it('re-confirms an unchanged rotation without a new version', async () => {
    const sink = new InMemoryCollectorSink();
    const c = collector(sink, loadDemoCatalogEntities());
    await c.run();
    await c.run();
    expect(
      sink.fact(
        'group:default/checkout-team',
        'oncall',
        'oncall.schedule',
        'static:checkout-primary',
      )?.versions,
    ).toBe(1);
  });
});

describe('OnCallCollector failures', () => {
  const group = entity('group:default/team-a', {
    'ops.example.com/oncall': 'flaky:rota',
  });
  const other = entity('group:default/team-b', {
    'ops.example.com/oncall': 'static:checkout-primary',
  });

  it('a fact the store refuses to write degrades the run: the source is not ok while its facts age', async () => {
    const sink = new InMemoryCollectorSink();
    sink.writeFact = () => Promise.reject(new Error('SQLITE_BUSY'));
    const summary = await collector(sink, [other]).run();
    expect(sink.status('group:default/team-b', 'oncall')).toMatchObject({
      succeeded: false,
      error: 'server-error',
    });
    expect(summary.outcome).toBe('degraded');
    expect(sink.lastRun()).toMatchObject({ outcome: 'degraded' });
  });

  it('a failing or slow provider is a collection error, writes nothing and degrades the run', async () => {
    const sink = new InMemoryCollectorSink();
    const summary = await collector(sink, [group, other], {
      static: StaticOnCallProvider.fromConfig(demoConfig),
      flaky: { currentOnCall: () => Promise.reject(new Error('HTTP 503')) },
    }).run();
    expect(sink.status('group:default/team-a', 'oncall')).toMatchObject({
      succeeded: false,
      error: 'server-error',
      detail: 'flaky: HTTP 503',
    });
    expect(summary.outcome).toBe('degraded');
    expect(sink.lastRun()).toMatchObject({ outcome: 'degraded' });
    expect(sink.facts.size).toBe(1);

    const slow = new InMemoryCollectorSink();
    await collector(slow, [group], {
      flaky: { currentOnCall: () => new Promise(() => {}) },
    }).run();
    expect(slow.status('group:default/team-a', 'oncall')).toMatchObject({
      error: 'timeout',
    });
    expect(slow.lastRun()).toMatchObject({ outcome: 'unavailable' });
  });

  it('never rejects when the catalog cannot be listed', async () => {
    const sink = new InMemoryCollectorSink();
    const c = new OnCallCollector({
      sink,
      logger: mockServices.logger.mock(),
      listEntities: () => Promise.reject(new Error('catalog is down')),
      providers: {},
    });
    await expect(c.run()).resolves.toMatchObject({ outcome: 'unavailable' });
    expect(sink.lastRun()).toMatchObject({
      source: 'oncall',
      outcome: 'unavailable',
    });
  });

  it('passes escalation levels through when the provider knows them', async () => {
    const sink = new InMemoryCollectorSink();
    await collector(
      sink,
      [entity('component:default/svc', { 'pagerduty.com/service-id': 'P1' })],
      {
        pagerduty: {
          currentOnCall: async () => ({
            status: 'ok',
            primary: 'user:default/x',
            until: '2026-03-15T00:00:00Z',
            url: 'https://pd.example/schedules/1',
          }),
          escalationLevels: async () => 3,
        },
      },
    ).run();
    expect(
      sink.fact(
        'component:default/svc',
        'oncall',
        'oncall.schedule',
        'pagerduty:service/P1',
      ),
    ).toMatchObject({
      value: {
        provider: 'pagerduty',
        exists: true,
        onCallNow: [{ userRef: 'user:default/x', level: 1 }],
        escalationLevels: 3,
        url: 'https://pd.example/schedules/1',
      },
      provenance: { url: 'https://pd.example/schedules/1' },
    });
  });
});

describe('OnCallCollector on a schedule name that is not configured', () => {
  it('writes a fact with exists: false and nobody on call', async () => {
    const sink = new InMemoryCollectorSink();
    await collector(sink, [
      entity('group:default/ghost-team', {
        'ops.example.com/oncall': 'static:no-such-rotation',
      }),
    ]).run();
    expect(
      sink.fact(
        'group:default/ghost-team',
        'oncall',
        'oncall.schedule',
        'static:no-such-rotation',
      )?.value,
    ).toEqual({
      provider: 'static',
      exists: false,
      onCallNow: [],
      until: null,
      escalationLevels: null,
      url: null,
    });
    expect(sink.status('group:default/ghost-team', 'oncall')).toMatchObject({
      succeeded: true,
    });
  });
});

describe('declaredRoutes', () => {
  it('reads PagerDuty before Opsgenie on components, the oncall override, and only oncall on groups', () => {
    expect(
      declaredRoutes(
        entity('component:default/a', {
          'pagerduty.com/service-id': 'P1',
          'opsgenie.com/team': 'ops',
          'ops.example.com/oncall': 'static:x',
        }),
      ).map(r => r.route),
    ).toEqual(['pagerduty:service/P1', 'static:x']);
    expect(
      declaredRoutes(
        entity('group:default/g', {
          'pagerduty.com/service-id': 'P1',
          'ops.example.com/oncall': 'static:y',
        }),
      ),
    ).toEqual([{ route: 'static:y', provider: 'static' }]);
  });
});

describe('OnCallCollector on route prefixes that are not configured providers', () => {
  const staticProvider: OnCallProvider = {
    currentOnCall: async () => ({
      status: 'ok',
      primary: 'user:default/ben',
      until: '2026-03-16T09:00:00.000Z',
    }),
  };

  // The prefix is catalog data: it may mark a known vendor disabled, never write the health of
  // another source, and never resolve to an Object builtin.
  it.each([
    { route: 'pagerduty:schedule/P1', disabled: ['pagerduty'] },
    { route: 'opsgenie:schedule/ops', disabled: ['opsgenie'] },
    { route: 'prometheus:x', disabled: [] },
    { route: 'oncall:x', disabled: [] },
    { route: 'repo:x', disabled: [] },
    { route: 'pagerduty', disabled: [], detail: /names no provider/ },
    { route: ':x', disabled: [], detail: /names no provider/ },
    { route: 'constructor:x', disabled: [] },
    { route: '__proto__:x', disabled: [] },
    { route: 'toString:x', disabled: [] },
    { route: 'hasOwnProperty:x', disabled: [] },
  ])(
    '$route: unsupported-host on the entity, disabled health only for $disabled',
    async ({ route, disabled, detail = /provider \S+ is not configured/ }) => {
      const sink = new InMemoryCollectorSink();
      const summary = await collector(
        sink,
        [
          entity('group:default/good', {
            'ops.example.com/oncall': 'static:x',
          }),
          entity('group:default/odd', { 'ops.example.com/oncall': route }),
        ],
        { static: staticProvider },
      ).run();

      expect(summary.outcome).toBe('ok');
      expect(sink.status('group:default/odd', 'oncall')).toMatchObject({
        succeeded: false,
        error: 'unsupported-host',
        detail: expect.stringMatching(detail),
      });
      expect(sink.sourceRuns.map(r => [r.source, r.outcome])).toEqual([
        ['oncall', 'ok'],
        ...disabled.map(source => [source, 'disabled']),
      ]);
    },
  );
});

describe('OnCallCollector on a provider that never says whether a schedule exists', () => {
  it('bounds scheduleExists by the provider timeout: a timeout error, not a hung run', async () => {
    const sink = new InMemoryCollectorSink();
    const summary = await collector(
      sink,
      [entity('group:default/team-a', { 'ops.example.com/oncall': 'slow:x' })],
      {
        slow: {
          currentOnCall: async () => ({ status: 'none' }),
          scheduleExists: () => new Promise<boolean>(() => {}),
        },
      },
    ).run();

    expect(sink.status('group:default/team-a', 'oncall')).toMatchObject({
      succeeded: false,
      error: 'timeout',
    });
    expect(summary.outcome).toBe('unavailable');
    expect(sink.facts.size).toBe(0);
  });
});

describe('OnCallCollector when the scheduler aborts the run', () => {
  it('asks no further provider and records the run as degraded', async () => {
    const scheduler = new AbortController();
    const currentOnCall = jest.fn(async () => {
      // The task timeout arrives during the first call.
      scheduler.abort();
      return {
        status: 'ok' as const,
        primary: 'user:default/ben',
        until: '2026-03-16T09:00:00.000Z',
      };
    });
    const sink = new InMemoryCollectorSink();
    const summary = await collector(
      sink,
      ['a', 'b', 'c'].map(name =>
        entity(`group:default/${name}`, {
          'ops.example.com/oncall': `static:${name}`,
        }),
      ),
      { static: { currentOnCall } },
    ).run(scheduler.signal);

    expect(currentOnCall).toHaveBeenCalledTimes(1);
    expect(summary.outcome).toBe('degraded');
    expect(sink.facts.size).toBe(1);
    expect(sink.lastRun()).toMatchObject({
      source: 'oncall',
      outcome: 'degraded',
      error: 'aborted by the scheduler after 1 of 3 entities',
    });
  });
});
