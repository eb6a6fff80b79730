import { PermissionsService } from '@backstage/backend-plugin-api';
import {
  TestDatabases,
  mockCredentials,
  mockServices,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type {
  EntityEvidence,
  EvidenceService,
} from '@internal/plugin-evidence-node';
import {
  evaluateEntity,
  hashEntity,
  indexCatalog,
} from '@internal/plugin-scorecards-common';
import type { Waiver } from '@internal/plugin-scorecards-common';
import type { JsonObject } from '@backstage/types';
import { Knex } from 'knex';
import path from 'node:path';
import request from 'supertest';
import { recordingAuditor } from '../__testUtils__/recordingAuditor';
import { startScorecardsTestBackend } from '../__testUtils__/startScorecardsTestBackend';
import {
  SNAPSHOT_REFRESH_TASK_ID,
  initScorecards,
} from '../service/initScorecards';
import { DAILY_HISTORY_TASK_ID, DailyHistory } from './dailyHistory';
import { applyRetention } from './retention';
import { recordEvaluation } from '../evaluation/recordEvaluation';

jest.setTimeout(60_000);

const databases = TestDatabases.create({
  ids: ['POSTGRES_15', 'SQLITE_3'],
  disableDocker: true,
});

const T = '2026-03-14T02:05:00.000Z';
const DAY = 86400000;
const CHECKOUT = 'component:default/checkout-service';
const PAYMENT = 'component:default/payment-service';
const STANDARD = path.resolve(
  __dirname,
  '../../../catalog-backend-module-scorecards/src/__fixtures__/small-standard.yaml',
);
const ana = mockCredentials.user.header('user:default/ana');
const mallory = mockCredentials.user.header('user:default/mallory');

const group = (name: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name, namespace: 'default' },
  spec: { type: 'team', children: [] },
});
const component = (name: string, owner: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name,
    namespace: 'default',
    labels: { 'ops.example.com/tier': '2' },
  },
  spec: {
    type: 'service',
    lifecycle: 'production',
    owner,
    system: 'system:default/checkout',
  },
});
const allEntities: Entity[] = [
  group('checkout-team'),
  group('payments-team'),
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'System',
    metadata: { name: 'checkout', namespace: 'default' },
    spec: { owner: 'group:default/checkout-team', domain: 'commerce' },
  },
  component('checkout-service', 'group:default/checkout-team'),
  component('payment-service', 'group:default/payments-team'),
];

/** A catalog whose content and failures the tests change between passes. */
const catalogState = { entities: allEntities, fail: false };
const catalog = {
  async *streamEntities() {
    if (catalogState.fail) throw new Error('catalog unavailable');
    yield catalogState.entities;
  },
} as Partial<CatalogService> as CatalogService;

/** Mallory may not read the payments team (nor anything else but catalog entities). */
const permissions: PermissionsService = {
  async authorize(requests, { credentials }) {
    const user = (credentials.principal as { userEntityRef?: string })
      .userEntityRef;
    return requests.map(r => ({
      result:
        user === 'user:default/mallory' &&
        (r.permission.name !== 'catalog.entity.read' ||
          (r as { resourceRef?: string }).resourceRef ===
            'group:default/payments-team')
          ? AuthorizeResult.DENY
          : AuthorizeResult.ALLOW,
    }));
  },
  async authorizeConditional(requests) {
    return requests.map(() => ({ result: AuthorizeResult.DENY }));
  },
};

/** checkout-service's branch is protected when `protectedBranch`; payment-service has no fact. */
const evidenceState = { protectedBranch: false };
const evidence = {
  async readEntities(refs: string[]) {
    const data = new Map<string, EntityEvidence>();
    for (const ref of refs) {
      data.set(ref, {
        facts:
          ref === CHECKOUT
            ? [
                {
                  entityRef: CHECKOUT,
                  source: 'repo-host',
                  kind: 'repo.settings',
                  key: '',
                  value: { protected: evidenceState.protectedBranch },
                  observedAt: T,
                  collectedAt: T,
                  freshForSeconds: 7 * 86400,
                } as any,
              ]
            : [],
        collection: [],
      });
    }
    return { available: true, asOf: T, data };
  },
  async sourceHealth() {
    return { available: true, asOf: T, data: [] };
  },
} as Partial<EvidenceService> as EvidenceService;

/** The catalog and evidence fakes as every test starts: all entities, readable, unprotected. */
function resetFakes() {
  catalogState.entities = allEntities;
  catalogState.fail = false;
  evidenceState.protectedBranch = false;
}

/** The backend on this file's fakes, at `clock.now`, with the test's scheduler and config. */
function startHistoryBackend(
  knex: Knex,
  clock: { now: Date },
  options: {
    scheduler?: Parameters<typeof startScorecardsTestBackend>[0]['scheduler'];
    scorecards?: JsonObject;
  } = {},
) {
  return startScorecardsTestBackend({
    knex,
    services: {
      permissions,
      auditor: recordingAuditor().auditor,
      catalog,
      evidence,
    },
    clock: () => clock.now,
    scorecards: { standardFile: STANDARD, ...options.scorecards },
    ...(options.scheduler ? { scheduler: options.scheduler } : {}),
  });
}

describe.each(databases.eachSupportedId())(
  'scorecards history on %s',
  databaseId => {
    const clock = { now: new Date(T) };
    const scheduler = mockServices.scheduler() as ReturnType<
      typeof mockServices.scheduler
    > & {
      factory(options: { skipTaskRunOnStartup: boolean }): any;
      triggerTask(id: string): Promise<void>;
    };
    const scheduleTask = jest.spyOn(scheduler, 'scheduleTask');
    let knex: Knex;
    let server: any;
    let stop: () => Promise<void>;
    let handles: Awaited<ReturnType<typeof initScorecards>>;

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      ({ server, stop, handles } = await startHistoryBackend(knex, clock, {
        scheduler,
      }));
    });

    afterAll(async () => {
      await stop?.();
    });

    beforeEach(() => {
      clock.now = new Date(T);
      resetFakes();
    });

    const api = (p: string) => `/api/scorecards${p}`;
    const snapshotRows = async (date: string) =>
      (
        (await knex('scorecards_rollup_snapshots')
          .where({ date })
          .orderBy(['group_by', 'key'])) as {
          group_by: string;
          key: string;
          row_json: string;
          taken_at: string;
        }[]
      ).map(r => ({
        groupBy: r.group_by,
        key: r.key,
        row: JSON.parse(r.row_json),
        takenAt: r.taken_at,
      }));
    const rollupsOf = async (groupBy: string) =>
      (
        await request(server)
          .get(api(`/rollups?groupBy=${groupBy}`))
          .set('authorization', ana)
      ).body.items;

    it('schedules the daily history task hourly at minute 5 (cron is read in the server zone) with one runner across replicas', () => {
      expect(scheduleTask).toHaveBeenCalledWith(
        expect.objectContaining({
          id: DAILY_HISTORY_TASK_ID,
          scope: 'global',
          frequency: { cron: '5 * * * *' },
        }),
      );
    });

    it('refreshes the catalog copy of evaluations on request every 45 s on each replica, unless a request just did', async () => {
      expect(scheduleTask).toHaveBeenCalledWith(
        expect.objectContaining({
          id: SNAPSHOT_REFRESH_TASK_ID,
          scope: 'local',
          frequency: { seconds: 45 },
        }),
      );
      await handles.snapshot.refresh();
      const read = handles.snapshot.current()!;
      clock.now = new Date(Date.parse(T) + 20_000);
      await scheduler.triggerTask(SNAPSHOT_REFRESH_TASK_ID);
      expect(handles.snapshot.current()).toBe(read); // 20 s old: kept
      clock.now = new Date(Date.parse(T) + 45_000);
      await scheduler.triggerTask(SNAPSHOT_REFRESH_TASK_ID);
      expect(handles.snapshot.current()).not.toBe(read);
      expect(handles.snapshot.current()!.index.refreshedAtMs).toBe(
        Date.parse(T) + 45_000,
      );
      // a failing catalog keeps the copy and fails nothing
      catalogState.fail = true;
      const kept = handles.snapshot.current();
      clock.now = new Date(Date.parse(T) + 90_000);
      await scheduler.triggerTask(SNAPSHOT_REFRESH_TASK_ID);
      expect(handles.snapshot.current()).toBe(kept);
    });

    it('tries to close a day with nothing to write once per process, not every hour', async () => {
      // No stored results yet: a process of its own, so the shared task's memory is untouched.
      const daily = new DailyHistory({
        store: handles.store,
        catalog: () => handles.snapshot.refresh(),
        config: { retainDays: 730, settleMs: 0, departedGraceMs: 0 },
        logger: mockServices.logger.mock(),
        definedChecks: new Set<string>(),
      });
      expect(await daily.runDaily(T)).toMatchObject({
        snapshot: { date: '2026-03-13', skipped: 'no-results' },
      });
      expect(
        await daily.runDaily(new Date(Date.parse(T) + 3600_000).toISOString()),
      ).toBeUndefined();
    });

    it('writes a snapshot of today after the scheduled evaluation pass', async () => {
      // No stored results yet: nothing to snapshot, and the next pass tries again.
      expect(await handles.dailyHistory.afterPass(T)).toEqual({
        date: '2026-03-14',
        skipped: 'no-results',
      });
      expect(await snapshotRows('2026-03-14')).toEqual([]);

      await scheduler.triggerTask('scorecards-evaluate');
      const first = await snapshotRows('2026-03-14');
      expect(first.map(r => `${r.groupBy} ${r.key}`)).toEqual([
        'domain domain:default/commerce',
        'owner group:default/checkout-team',
        'owner group:default/payments-team',
        'system system:default/checkout',
      ]);
      expect(first.every(r => r.takenAt === T)).toBe(true);
    });

    it('the daily task snapshots the day that ended with the same rows as GET /rollups, once', async () => {
      await handles.evaluator.runPass(T);
      await scheduler.triggerTask(DAILY_HISTORY_TASK_ID);
      const first = await snapshotRows('2026-03-13');
      for (const groupBy of ['owner', 'system', 'domain']) {
        expect(
          first.filter(r => r.groupBy === groupBy).map(r => r.row),
        ).toEqual(await rollupsOf(groupBy));
      }
      const checkoutTeam = first.find(
        r => r.key === 'group:default/checkout-team',
      )!;
      expect(checkoutTeam.row).toMatchObject({
        kind: 'owner',
        entities: 2,
        byLevel: { L0: 1, L1: 1, L2: 0 },
      });

      // Branch protected: checkout-service reaches L2 on the 14th. The next hourly runs leave
      // the 13th as it was closed: its rows were taken after it ended.
      evidenceState.protectedBranch = true;
      clock.now = new Date(Date.parse(T) + 3600_000);
      await handles.evaluator.runPass(clock.now.toISOString());
      await scheduler.triggerTask(DAILY_HISTORY_TASK_ID);
      expect(await snapshotRows('2026-03-13')).toEqual(first);
      const [{ n }] = await knex('scorecards_rollup_snapshots')
        .where({ date: '2026-03-13' })
        .count('* as n');
      expect(Number(n)).toBe(4);

      // The next day's first run closes the 14th with the state at its end, replacing the
      // provisional point the scheduled pass wrote during the day.
      expect(
        (await snapshotRows('2026-03-14')).every(r => r.takenAt === T),
      ).toBe(true);
      clock.now = new Date('2026-03-15T00:05:00.000Z');
      await scheduler.triggerTask(DAILY_HISTORY_TASK_ID);
      const closed = await snapshotRows('2026-03-14');
      expect(
        closed.find(r => r.key === 'group:default/checkout-team')!.row,
      ).toMatchObject({ entities: 2, byLevel: { L0: 1, L1: 0, L2: 1 } });
      expect(closed.every(r => r.takenAt === clock.now.toISOString())).toBe(
        true,
      );
    });

    it('GET /rollups/history returns the points of a key oldest first, within from/to', async () => {
      const res = await request(server)
        .get(
          api('/rollups/history?groupBy=owner&key=group:default/checkout-team'),
        )
        .set('authorization', ana);
      expect(res.status).toBe(200);
      expect(res.body.points.map((p: any) => p.date)).toEqual([
        '2026-03-13',
        '2026-03-14',
      ]);
      // the 13th as closed on the 14th; the 14th as closed after the branch was protected
      expect(res.body.points[0].row).toMatchObject({
        key: 'group:default/checkout-team',
        byLevel: { L1: 1, L2: 0 },
      });
      expect(res.body.points[1].row).toMatchObject({ byLevel: { L2: 1 } });

      const ranged = await request(server)
        .get(
          api(
            '/rollups/history?groupBy=system&key=system:default/checkout&from=2026-03-14&to=2026-03-20T00:00:00Z',
          ),
        )
        .set('authorization', ana);
      expect(ranged.body.points.map((p: any) => p.date)).toEqual([
        '2026-03-14',
      ]);
      expect(ranged.body.points[0].row).toMatchObject({
        kind: 'system',
        entities: 3,
      });
    });

    it('GET /rollups/history: 401 without credentials, 403 for a key the caller may not read', async () => {
      const query =
        '/rollups/history?groupBy=owner&key=group:default/payments-team';
      expect((await request(server).get(api(query))).status).toBe(401);
      const invalid = await request(server)
        .get(api(query))
        .set('authorization', mockCredentials.user.invalidHeader());
      expect(invalid.status).toBe(401);
      const refused = await request(server)
        .get(api(query))
        .set('authorization', mallory);
      expect(refused.status).toBe(403);
      expect(refused.body.error.message).toBe(
        'catalog.entity.read is not allowed on group:default/payments-team',
      );
      const allowed = await request(server)
        .get(
          api('/rollups/history?groupBy=owner&key=group:default/checkout-team'),
        )
        .set('authorization', mallory);
      expect(allowed.status).toBe(200);
      expect(allowed.body.points).toHaveLength(2);
    });

    it.each([
      ['key=group:default/checkout-team', 'groupBy is required'],
      [
        'groupBy=team&key=group:default/checkout-team',
        'groupBy must be one of owner, system, domain (got "team")',
      ],
      ['groupBy=owner', 'key is required'],
      [
        'groupBy=owner&key=checkout-team',
        'key "checkout-team" is not a full ref (kind:namespace/name)',
      ],
      [
        'groupBy=system&key=group:default/checkout-team',
        'key must be a system ref for groupBy=system (got "group:default/checkout-team")',
      ],
      [
        'groupBy=owner&key=group:default/checkout-team&from=yesterday',
        'from must be a date YYYY-MM-DD or an ISO-8601 UTC timestamp (got "yesterday")',
      ],
      [
        'groupBy=owner&key=group:default/checkout-team&to=2026-02-30',
        'to must be a date YYYY-MM-DD or an ISO-8601 UTC timestamp (got "2026-02-30")',
      ],
      [
        'groupBy=owner&key=group:default/checkout-team&from=2026-03-14&to=2026-03-13',
        'from must not be after to (got from=2026-03-14, to=2026-03-13)',
      ],
    ])('GET /rollups/history?%s → 400 %j', async (query, message) => {
      const res = await request(server)
        .get(api(`/rollups/history?${query}`))
        .set('authorization', ana);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toBe(message);
    });

    it('GET /rollups places an entity whose results arrived after the snapshot under its owner and System (snapshot re-read)', async () => {
      await handles.evaluator.runPass(T); // snapshot taken at T
      // A new service enters the catalog; the catalog module posts its results a minute later.
      const added = component('refund-service', 'group:default/payments-team');
      catalogState.entities = [...allEntities, added];
      const at = new Date(Date.parse(T) + 60_000).toISOString();
      clock.now = new Date(at);
      const evaluation = evaluateEntity({
        now: at,
        entity: added,
        catalog: indexCatalog({
          entities: catalogState.entities,
          refreshedAt: at,
        }),
        standard: handles.evaluator.standard,
        facts: [],
        waivers: [],
        firstSeenAt: at,
      });
      if (!evaluation.scored) throw new Error('not scored');
      await recordEvaluation(handles.store, {
        evaluation,
        entityHash: hashEntity(added),
        at,
      });

      const owners = await rollupsOf('owner');
      expect(owners.map((r: { key: string }) => r.key)).not.toContain('(none)');
      expect(
        owners.find(
          (r: { key: string }) => r.key === 'group:default/payments-team',
        ).entities,
      ).toBe(2);
      const systems = await rollupsOf('system');
      expect(
        systems.find(
          (r: { key: string }) => r.key === 'system:default/checkout',
        ).entities,
      ).toBe(4); // the System, checkout-, payment- and refund-service
    });

    it('tries a day again the next hour when the catalog snapshot was empty, and closes it once it answers', async () => {
      let empty = true;
      const daily = new DailyHistory({
        store: handles.store,
        catalog: async () => {
          const loaded = await handles.snapshot.refresh();
          return empty ? { ...loaded, entities: [] } : loaded;
        },
        config: { retainDays: 730, settleMs: 0, departedGraceMs: 0 },
        logger: mockServices.logger.mock(),
        definedChecks: new Set<string>(),
      });
      expect(await daily.runDaily('2026-04-02T00:05:00.000Z')).toMatchObject({
        snapshot: { date: '2026-04-01', skipped: 'empty-catalog' },
      });
      empty = false;
      expect(await daily.runDaily('2026-04-02T01:05:00.000Z')).toMatchObject({
        snapshot: { date: '2026-04-01' },
      });
      expect((await snapshotRows('2026-04-01')).length).toBeGreaterThan(0);
      expect(await daily.runDaily('2026-04-02T02:05:00.000Z')).toBeUndefined();
    });

    it('retention deletes transitions and snapshots older than retainDays only, in batches', async () => {
      const at = (days: number) =>
        new Date(Date.parse(T) - days * DAY).toISOString();
      const transition = (days: number) => ({
        entity_ref: 'component:default/old-service',
        check_id: null,
        from_state: 'L1',
        to_state: 'L2',
        at: at(days),
        cause: 'evidence-changed',
        regression: false,
      });
      await knex('scorecards_transitions').insert(
        [900, 800, 760, 731, 730, 10].map(transition),
      );
      const snapshot = (date: string) => ({
        group_by: 'owner',
        key: 'group:default/old-team',
        date,
        row_json: '{}',
        taken_at: `${date}T00:05:00.000Z`,
      });
      await knex('scorecards_rollup_snapshots').insert(
        ['2023-01-01', '2024-03-13', '2024-03-14', '2025-06-01'].map(snapshot),
      );
      const report = await applyRetention({
        db: knex,
        now: T,
        retainDays: 730,
        batchSize: 2,
      });
      expect(report).toEqual({
        cutoff: at(730),
        transitions: 4,
        rollupSnapshots: 2,
        departed: 0,
      });
      const kept = await knex('scorecards_transitions')
        .where({ entity_ref: 'component:default/old-service' })
        .orderBy('at')
        .pluck('at');
      expect(kept).toEqual([at(730), at(10)]);
      expect(
        await knex('scorecards_rollup_snapshots')
          .where({ key: 'group:default/old-team' })
          .orderBy('date')
          .pluck('date'),
      ).toEqual(['2024-03-14', '2025-06-01']);
      // Recent history (this suite's own snapshots and transitions) is untouched.
      expect(await snapshotRows('2026-03-13')).toHaveLength(4);
      expect(
        await handles.store.listTransitions({ entityRef: CHECKOUT }),
      ).not.toHaveLength(0);
    });

    const waiver = (id: string, over: Partial<Waiver>): Waiver => ({
      id,
      entityRef: PAYMENT,
      checkId: 'branch-protection',
      kind: 'exception',
      reason: 'The repository moves to the new host this sprint.',
      owner: 'group:default/payments-team',
      requestedBy: 'user:default/ana',
      createdAt: new Date(Date.parse(T) - DAY).toISOString(),
      expiresAt: new Date(Date.parse(T) + 30 * DAY).toISOString(),
      status: 'pending',
      ...over,
    });

    it('an empty or failed catalog snapshot removes nothing and closes no waiver', async () => {
      await handles.store.insertWaiver(waiver('del-pending', {}));
      await handles.store.insertWaiver(
        waiver('del-active', {
          checkId: 'tier-declared',
          status: 'active',
          approvedBy: 'user:default/ben',
          approvedAt: T,
        }),
      );
      await handles.evaluator.runPass(T);
      const refs = async () =>
        (await handles.store.listLatest()).map(l => l.entityRef);
      const before = await refs();
      expect(before).toContain(PAYMENT);

      catalogState.entities = [];
      const empty = await handles.evaluator.runPass(T);
      expect(empty).toMatchObject({ removed: 0, waiversClosedDeleted: 0 });
      expect(await refs()).toEqual(before);
      expect(await handles.store.getWaiver('del-pending')).toMatchObject({
        status: 'pending',
      });
      // The daily snapshot is not written from an empty catalog either.
      const rowsBefore = await snapshotRows('2026-03-13');
      await scheduler.triggerTask(DAILY_HISTORY_TASK_ID);
      expect(await snapshotRows('2026-03-13')).toEqual(rowsBefore);

      catalogState.entities = allEntities;
      catalogState.fail = true;
      await expect(handles.evaluator.runPass(T)).rejects.toThrow(
        'catalog unavailable',
      );
      expect(await refs()).toEqual(before);
      expect(await handles.store.getWaiver('del-active')).toMatchObject({
        status: 'active',
      });
    });

    it('a deleted entity leaves latest and its pending and active waivers close as revoked; its history stays', async () => {
      await knex('scorecards_transitions').insert({
        entity_ref: PAYMENT,
        check_id: null,
        from_state: 'L0',
        to_state: 'L1',
        at: new Date(Date.parse(T) - 2 * DAY).toISOString(),
        cause: 'entity-changed',
        regression: false,
      });
      await handles.store.insertWaiver(
        waiver('del-rejected', {
          checkId: 'owner-resolves',
          status: 'rejected',
          approvedBy: 'user:default/ben',
          approvedAt: T,
          decisionReason: 'Fix the owner instead.',
        }),
      );
      await handles.store.insertWaiver(
        waiver('kept-checkout', { entityRef: CHECKOUT }),
      );

      catalogState.entities = allEntities.filter(
        e => e.metadata.name !== 'payment-service',
      );
      clock.now = new Date(Date.parse(T) + 60_000);
      const now = clock.now.toISOString();
      const report = await handles.evaluator.runPass(now);
      expect(report).toMatchObject({ removed: 1, waiversClosedDeleted: 2 });
      expect(await handles.store.getLatest(PAYMENT)).toBeUndefined();
      for (const id of ['del-pending', 'del-active']) {
        expect(await handles.store.getWaiver(id)).toMatchObject({
          status: 'revoked',
          revokedAt: now,
          revokedBy: 'plugin:scorecards',
          decisionReason: 'entity deleted',
        });
      }
      expect(await handles.store.getWaiver('del-rejected')).toMatchObject({
        status: 'rejected',
        decisionReason: 'Fix the owner instead.',
      });
      expect(await handles.store.getWaiver('kept-checkout')).toMatchObject({
        status: 'pending',
      });
      expect(
        await handles.store.listTransitions({ entityRef: PAYMENT }),
      ).toHaveLength(1);
      // Nothing left to close on the next pass.
      expect((await handles.evaluator.runPass(now)).waiversClosedDeleted).toBe(
        0,
      );
    });

    it('does not close a waiver created after the catalog snapshot was read', async () => {
      await handles.store.insertWaiver(
        waiver('too-new', { entityRef: 'component:default/brand-new' }),
      );
      await knex('scorecards_waivers')
        .where({ id: 'too-new' })
        .update({
          created_at: new Date(Date.parse(T) + 3600_000).toISOString(),
        });
      const report = await handles.evaluator.runPass(T);
      expect(report.waiversClosedDeleted).toBe(0);
      expect(await handles.store.getWaiver('too-new')).toMatchObject({
        status: 'pending',
      });
      clock.now = new Date(Date.parse(T) + 2 * 3600_000);
      const later = await handles.evaluator.runPass(clock.now.toISOString());
      expect(later.waiversClosedDeleted).toBe(1);
    });

    it('an entity deleted and registered again under its ref keeps when it was first seen (not new for enforce-new, SR28)', async () => {
      await handles.evaluator.runPass(T);
      const firstSeen = (await handles.store.getLatest(PAYMENT))!.firstSeenAt;
      expect(firstSeen).toBe(T);

      // deleted: its latest row leaves (§2.10)
      const payment = allEntities.find(
        e => e.metadata.name === 'payment-service',
      )!;
      catalogState.entities = allEntities.filter(e => e !== payment);
      clock.now = new Date(Date.parse(T) + 3600_000);
      expect(
        (await handles.evaluator.runPass(clock.now.toISOString())).removed,
      ).toBe(1);
      expect(await handles.store.getLatest(PAYMENT)).toBeUndefined();

      // back a day later: a live evaluation (the deploy gate) and the stored row both say T
      catalogState.entities = allEntities;
      clock.now = new Date(Date.parse(T) + 24 * 3600_000);
      const back = clock.now.toISOString();
      await handles.snapshot.refresh();
      const live = await handles.evaluator.evaluateDetailed(
        payment,
        back,
        handles.snapshot.current()!,
      );
      expect(live.firstSeenAt).toBe(T);
      await handles.evaluator.runPass(back);
      expect((await handles.store.getLatest(PAYMENT))!.firstSeenAt).toBe(T);
      expect(
        await knex('scorecards_departed').where({ entity_ref: PAYMENT }),
      ).toEqual([]);

      // deleted again, and back only after the grace (14 days): a new service under a retired ref
      catalogState.entities = allEntities.filter(e => e !== payment);
      clock.now = new Date(Date.parse(T) + 25 * 3600_000);
      expect(
        (await handles.evaluator.runPass(clock.now.toISOString())).removed,
      ).toBe(1);
      catalogState.entities = allEntities;
      clock.now = new Date(Date.parse(T) + 16 * 24 * 3600_000);
      const late = clock.now.toISOString();
      await handles.snapshot.refresh();
      expect(
        (
          await handles.evaluator.evaluateDetailed(
            payment,
            late,
            handles.snapshot.current()!,
          )
        ).firstSeenAt,
      ).toBe(late);
      await handles.evaluator.runPass(late);
      expect((await handles.store.getLatest(PAYMENT))!.firstSeenAt).toBe(late);

      // an entity never seen before is new
      const fresh = await handles.evaluator.evaluateDetailed(
        { ...payment, metadata: { ...payment.metadata, name: 'brand-new' } },
        back,
        handles.snapshot.current()!,
      );
      expect(fresh.firstSeenAt).toBe(back);
    });

    it('does not remove the results of an entity posted after the catalog snapshot was read', async () => {
      await handles.evaluator.runPass(T);
      const row = await knex('scorecards_latest')
        .where({ entity_ref: CHECKOUT })
        .first();
      // the catalog module posts the first results of an entity registered while the pass runs
      const NEW = 'component:default/brand-new';
      await knex('scorecards_latest').insert({
        ...row,
        entity_ref: NEW,
        changed_at: new Date(Date.parse(T) + 3600_000).toISOString(),
      });
      const report = await handles.evaluator.runPass(T);
      expect(report.removed).toBe(0);
      expect(await handles.store.getLatest(NEW)).toBeDefined();
      // a snapshot read after them, still without the entity: it was deleted
      clock.now = new Date(Date.parse(T) + 2 * 3600_000);
      const later = await handles.evaluator.runPass(clock.now.toISOString());
      expect(later.removed).toBe(1);
      expect(await handles.store.getLatest(NEW)).toBeUndefined();
    });
  },
);

describe("today's rollup snapshot", () => {
  it('is replaced after every evaluation pass by the state that pass found, not kept from the first pass after a start', async () => {
    const clock = { now: new Date(T) };
    resetFakes();
    const { stop, handles } = await startHistoryBackend(
      await databases.init('SQLITE_3'),
      clock,
    );
    try {
      const passThenSnapshot = async (minutes: number) => {
        clock.now = new Date(Date.parse(T) + minutes * 60_000);
        await handles.evaluator.runPass(clock.now.toISOString());
        await handles.dailyHistory.afterPass(clock.now.toISOString());
        const rows = await handles.store
          .db('scorecards_rollup_snapshots')
          .where({ date: '2026-03-14', key: 'group:default/checkout-team' });
        return rows.map(r => ({
          takenAt: r.taken_at,
          byLevel: JSON.parse(r.row_json).byLevel,
        }));
      };
      expect(await passThenSnapshot(0)).toEqual([
        { takenAt: T, byLevel: expect.objectContaining({ L1: 1, L2: 0 }) },
      ]);
      // the branch protected: the next pass's state is today's point
      evidenceState.protectedBranch = true;
      expect(await passThenSnapshot(10)).toEqual([
        {
          takenAt: new Date(Date.parse(T) + 600_000).toISOString(),
          byLevel: expect.objectContaining({ L1: 0, L2: 1 }),
        },
      ]);
    } finally {
      resetFakes();
      await stop();
    }
  });
});

describe('the scheduled pass with scorecards.history.settleMinutes', () => {
  it('writes an entity latest results only while it settles, then its changes as transitions', async () => {
    const clock = { now: new Date(T) };
    resetFakes();
    const { stop, handles } = await startHistoryBackend(
      await databases.init('SQLITE_3'),
      clock,
      { scorecards: { history: { settleMinutes: 10 } } },
    );
    try {
      const pass = async (minutes: number) => {
        clock.now = new Date(Date.parse(T) + minutes * 60_000);
        return handles.evaluator.runPass(clock.now.toISOString());
      };
      const branchMoves = async () =>
        (await handles.store.listTransitions({ entityRef: CHECKOUT }))
          .filter(t => t.checkId === 'branch-protection')
          .map(t => [t.from, t.to]);
      await pass(0);
      // 5 minutes after first seen: the branch is protected; latest follows, no transition
      evidenceState.protectedBranch = true;
      expect(await pass(5)).toMatchObject({ changed: 1, transitions: 0 });
      expect(
        (await handles.store.getLatest(CHECKOUT))?.evaluation.results.find(
          r => r.checkId === 'branch-protection',
        )?.state,
      ).toBe('pass');
      expect(await branchMoves()).toEqual([]);
      // 11 minutes after: unprotected again, a transition from the settled state
      evidenceState.protectedBranch = false;
      const settled = await pass(11);
      expect(settled.transitions).toBeGreaterThan(0);
      expect(await branchMoves()).toEqual([['pass', 'fail']]);
    } finally {
      resetFakes();
      await stop();
    }
  });
});
