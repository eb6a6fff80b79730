import type { AuditorService } from '@backstage/backend-plugin-api';
import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import { GoldenPathsStore } from '../../database/GoldenPathsStore';
import { ObservedEntity, ObservedRepository } from './compare';
import { DRIFT_DETECTED, DRIFT_RESOLVED } from './drift';
import { DATABASE_NOT_CHECKABLE, ReconcilerObservers } from './observers';
import { Reconciler } from './Reconciler';
import { DATABASE_EXPIRY } from './databaseExpiry';
import type { GoldenPathsNotifier } from '../notifications/notifier';

// The reconciler task (§8 step 4) against the real ledger store, with fake observers of reality.

jest.setTimeout(60_000);

const databases = TestDatabases.create({
  ids: ['POSTGRES_15', 'SQLITE_3'],
  disableDocker: true,
});

const ROOT = '/srv/gp/repos';
const REPO = `${ROOT}/cart-api.git`;
const INFRA = `${ROOT}/platform-infra.git`;
const SHA = 'a'.repeat(40);
const SHA2 = 'b'.repeat(40);
const KEY = 'service-node-http:cart-api';
const PROMOTE = 'lifecycle:component:default/cart-api:promote';
const DB_KEY = 'postgres-database:cart-db:dev';
const CART = 'component:default/cart-api';
const CART_DB = 'resource:default/cart-db-dev';
const LEASE = 15 * 60_000;
const at = (minute: number) =>
  new Date(
    Date.parse('2026-11-23T10:00:00.000Z') + minute * 60_000,
  ).toISOString();

type Present = Extract<ObservedEntity, { state: 'present' }>;

describe.each(databases.eachSupportedId())('Reconciler on %s', id => {
  let store: GoldenPathsStore;

  beforeAll(async () => {
    const knex = await databases.init(id);
    store = await GoldenPathsStore.create(
      mockServices.database({ knex, migrations: { skip: false } }),
    );
  });

  beforeEach(async () => {
    for (const t of ['gp_events', 'gp_steps', 'gp_requests'])
      await store.db(t).delete();
  });

  /** A request through the ledger as the scaffolder records it. */
  async function seed(
    requestKey: string,
    kind: string,
    request: Record<string, unknown>,
    minute: number,
    steps: {
      id: string;
      action: string;
      effectRef?: string;
      output?: Record<string, unknown>;
    }[],
    status: 'succeeded' | 'failed' = 'succeeded',
  ) {
    const taskId = `task-${requestKey}`;
    await store.claimRequest(
      {
        requestKey,
        fingerprint: `sha256:${'f'.repeat(64)}`,
        request,
        templateRef: 'template:default/any',
        templateVersion: '1.0.0',
        kind,
        taskId,
        createdBy: 'user:default/ana.ruiz',
      },
      at(minute),
      LEASE,
    );
    for (const [i, s] of steps.entries()) {
      await store.claimStep(
        {
          requestKey,
          stepId: s.id,
          fingerprint: `sha256:${s.id}`,
          taskId,
          action: s.action,
        },
        at(minute),
        LEASE,
      );
      await store.completeStep(
        {
          requestKey,
          stepId: s.id,
          taskId,
          status: 'done',
          output: s.output,
          effectRef: s.effectRef,
        },
        at(minute + i + 1),
      );
    }
    await store.closeRequest(
      {
        requestKey,
        taskId,
        status,
        ...(status === 'failed' ? { errorCode: 'GP-E02' } : {}),
      },
      at(minute + steps.length + 1),
    );
  }

  /** cart-api created (local), then promoted; cart-db-dev created in the infra repository. */
  async function seedWorld() {
    await seed(KEY, 'service', { name: 'cart-api' }, 0, [
      {
        id: 'publish-local',
        action: 'goldenpath:publish:git',
        effectRef: `${REPO}@${SHA}`,
      },
      {
        id: 'register',
        action: 'goldenpath:register',
        effectRef: `golden-paths-local:${CART}`,
        output: { entityRef: CART },
      },
    ]);
    await seed(
      PROMOTE,
      'lifecycle',
      { entity: CART, transition: 'promote', reason: 'ready for traffic' },
      10,
      [
        {
          id: 'lifecycle',
          action: 'goldenpath:lifecycle',
          effectRef: `${REPO}@${SHA2}`,
          output: { from: 'experimental', to: 'production' },
        },
      ],
    );
    await seed(
      DB_KEY,
      'database',
      { name: 'cart-db', environment: 'dev' },
      20,
      [
        {
          id: 'apply',
          action: 'goldenpath:database:apply',
          effectRef: 'local-postgres:cart_db_dev',
        },
        {
          id: 'publish-local',
          action: 'goldenpath:publish:git',
          effectRef: `${INFRA}@${SHA}`,
        },
        {
          id: 'register',
          action: 'goldenpath:register',
          effectRef: `golden-paths-local:${CART_DB}`,
          output: { entityRef: CART_DB },
        },
      ],
    );
    // failed requests are not reconciled
    await seed(
      'service-node-http:broken-api',
      'service',
      { name: 'broken-api' },
      30,
      [
        {
          id: 'publish-local',
          action: 'goldenpath:publish:git',
          effectRef: `${ROOT}/broken-api.git@${SHA}`,
        },
      ],
      'failed',
    );
  }

  function harness(
    notify?: GoldenPathsNotifier,
    databasesObserver?: ReconcilerObservers['databases'],
  ) {
    const world = {
      catalogDown: false,
      repos: new Map<string, ObservedRepository>([
        [REPO, { state: 'present', markerKey: KEY, readOnly: false }],
        [INFRA, { state: 'present', containsCommit: true, readOnly: false }],
      ]),
      entities: new Map<string, Present>([
        [CART, { state: 'present', requestKey: KEY, lifecycle: 'production' }],
        [
          CART_DB,
          { state: 'present', requestKey: DB_KEY, lifecycle: 'experimental' },
        ],
      ]),
    };
    const inspected: string[] = [];
    const observers: ReconcilerObservers = {
      ...(databasesObserver ? { databases: databasesObserver } : {}),
      repositories: {
        async inspect(p) {
          inspected.push(p);
          return world.repos.get(p) ?? { state: 'absent' };
        },
      },
      catalog: {
        async entities(refs) {
          if (world.catalogDown) throw new Error('catalog answered 503');
          return new Map(
            refs.flatMap(r => {
              const e = world.entities.get(r);
              return e ? [[r, e] as const] : [];
            }),
          );
        },
      },
    };
    const audited: {
      eventId: string;
      severityLevel?: string;
      meta?: unknown;
    }[] = [];
    const auditor: AuditorService = {
      async createEvent(options) {
        audited.push(options);
        return { async success() {}, async fail() {} };
      },
    };
    const reconciler = new Reconciler({
      store,
      observers,
      auditor,
      logger: mockServices.logger.mock(),
      localRoot: () => ROOT,
      notify,
    });
    return { world, inspected, audited, reconciler };
  }

  const driftEvents = async (key: string) =>
    (await store.listEvents(key)).filter(e =>
      [DRIFT_DETECTED, DRIFT_RESOLVED].includes(e.eventType),
    );

  it('records nothing while reality matches the ledger; databases are not checkable here', async () => {
    await seedWorld();
    const { reconciler, audited, inspected } = harness();
    const summary = await reconciler.run(at(60));
    expect(summary).toEqual({
      requests: 3,
      ok: 11,
      unknown: 0,
      notChecked: 2,
      drifting: 0,
      detected: 0,
      resolved: 0,
      expiryFlags: 0,
    });
    expect(audited).toEqual([]);
    for (const k of [KEY, PROMOTE, DB_KEY])
      expect(await driftEvents(k)).toEqual([]);
    // the failed request's repository is never read
    expect(inspected.sort()).toEqual([REPO, INFRA]);
  });

  it('records a drift once, keeps it open through an outage, resolves it when it goes away', async () => {
    await seedWorld();
    const { reconciler, world, audited } = harness();

    // someone set the lifecycle back by hand
    world.entities.set(CART, {
      state: 'present',
      requestKey: KEY,
      lifecycle: 'experimental',
    });
    const first = await reconciler.run(at(60));
    expect(first).toMatchObject({ detected: 1, resolved: 0, drifting: 1 });
    const [detected] = await driftEvents(PROMOTE);
    expect(detected).toMatchObject({
      eventType: DRIFT_DETECTED,
      severity: 'high',
      at: at(60),
      record: {
        action: 'goldenpath:reconcile',
        actor: 'plugin:golden-paths',
        result: 'drift-detected',
        targets: [CART],
        detected: [
          {
            id: `entity.lifecycle ${CART} experimental`,
            check: 'entity.lifecycle',
            target: CART,
            expected: 'production',
            observed: 'experimental',
            message: `${CART} is experimental in the catalog; the ledger records production`,
          },
        ],
        open: [expect.objectContaining({ check: 'entity.lifecycle' })],
      },
    });
    // the creating request leaves the entity to the promotion: reported once, on the promotion
    expect(await driftEvents(KEY)).toEqual([]);
    expect(audited).toEqual([
      expect.objectContaining({
        eventId: DRIFT_DETECTED,
        severityLevel: 'high',
        meta: expect.objectContaining({ requestKey: PROMOTE }),
      }),
    ]);

    // not on every run
    expect(await reconciler.run(at(70))).toMatchObject({
      detected: 0,
      resolved: 0,
      drifting: 1,
    });
    // an outage neither resolves nor re-reports it
    world.catalogDown = true;
    expect(await reconciler.run(at(80))).toMatchObject({
      detected: 0,
      resolved: 0,
      drifting: 1,
      unknown: 6,
    });
    world.catalogDown = false;
    expect(await driftEvents(PROMOTE)).toHaveLength(1);

    world.entities.set(CART, {
      state: 'present',
      requestKey: KEY,
      lifecycle: 'production',
    });
    expect(await reconciler.run(at(90))).toMatchObject({
      detected: 0,
      resolved: 1,
      drifting: 0,
    });
    const events = await driftEvents(PROMOTE);
    expect(events.map(e => [e.eventType, e.severity])).toEqual([
      [DRIFT_DETECTED, 'high'],
      [DRIFT_RESOLVED, 'medium'],
    ]);
    expect(events[1].record).toMatchObject({
      result: 'drift-resolved',
      resolved: [
        expect.objectContaining({
          id: `entity.lifecycle ${CART} experimental`,
        }),
      ],
      open: [],
    });
    expect(await reconciler.run(at(100))).toMatchObject({
      detected: 0,
      resolved: 0,
    });
    expect(await driftEvents(PROMOTE)).toHaveLength(2);
  });

  it('reports a missing repository, a rewritten infrastructure history and a removed annotation, each on its request', async () => {
    await seedWorld();
    const { reconciler, world } = harness();
    world.repos.delete(REPO);
    world.repos.set(INFRA, {
      state: 'present',
      containsCommit: false,
      readOnly: false,
    });
    world.entities.set(CART_DB, {
      state: 'present',
      lifecycle: 'experimental',
    });
    const summary = await reconciler.run(at(60));
    expect(summary).toMatchObject({ detected: 3, drifting: 2 });
    const [promote] = await driftEvents(PROMOTE);
    expect(promote.record.detected).toEqual([
      expect.objectContaining({
        check: 'repository.present',
        target: REPO,
        message: `repository ${REPO} is missing`,
      }),
    ]);
    const [db] = await driftEvents(DB_KEY);
    expect(
      (db.record.detected as { check: string }[]).map(m => m.check),
    ).toEqual(['repository.commit', 'entity.request-key']);
    expect(db.record.notChecked).toEqual([
      {
        check: 'database.present',
        target: 'local-postgres:cart_db_dev',
        status: 'not-checked',
        reason: DATABASE_NOT_CHECKABLE,
      },
    ]);

    // the repository comes back archived by hand: the old drift resolves, the new one is detected
    world.repos.set(REPO, { state: 'present', markerKey: KEY, readOnly: true });
    expect(await reconciler.run(at(70))).toMatchObject({
      detected: 1,
      resolved: 1,
    });
    const events = await driftEvents(PROMOTE);
    expect(events.map(e => e.eventType)).toEqual([
      DRIFT_DETECTED,
      DRIFT_RESOLVED,
      DRIFT_DETECTED,
    ]);
    // the last record says what is open now
    expect(events[2].record.open).toEqual([
      expect.objectContaining({
        check: 'repository.write-state',
        expected: 'writable',
        observed: 'read-only',
      }),
    ]);
  });

  it('checks databases through a provisioner when one is wired', async () => {
    await seedWorld();
    const found: string[] = [];
    const reconciler = new Reconciler({
      store,
      observers: {
        repositories: {
          async inspect() {
            return {
              state: 'present',
              markerKey: KEY,
              containsCommit: true,
              readOnly: false,
            };
          },
        },
        catalog: {
          async entities() {
            return new Map<string, Present>([
              [
                CART,
                { state: 'present', requestKey: KEY, lifecycle: 'production' },
              ],
              [
                CART_DB,
                {
                  state: 'present',
                  requestKey: DB_KEY,
                  lifecycle: 'experimental',
                },
              ],
            ]);
          },
        },
        databases: {
          async find(requestKey) {
            found.push(requestKey);
            return { state: 'absent' };
          },
        },
      },
      auditor: mockServices.auditor.mock(),
      logger: mockServices.logger.mock(),
      localRoot: () => ROOT,
    });
    expect(await reconciler.run(at(60))).toMatchObject({ detected: 1 });
    expect(found).toEqual([DB_KEY]);
    const [db] = await driftEvents(DB_KEY);
    expect(db.record.detected).toEqual([
      expect.objectContaining({
        check: 'database.present',
        observed: 'absent',
        message: `the provisioner finds no database for request "${DB_KEY}" (recorded local-postgres:cart_db_dev)`,
      }),
    ]);
  });

  it('leaves a database another provisioner applied unchecked, naming why', async () => {
    await seedWorld();
    const find = jest.fn();
    const { reconciler, world } = harness(undefined, {
      provisioner: 'github-terraform',
      find,
    });
    // the Resource removed by hand: a drift, whose record says what was not checked and why
    world.entities.delete(CART_DB);
    expect(await reconciler.run(at(60))).toMatchObject({ detected: 1 });
    expect(find).not.toHaveBeenCalled();
    const [db] = await driftEvents(DB_KEY);
    expect(db.record.notChecked).toContainEqual({
      check: 'database.present',
      target: 'local-postgres:cart_db_dev',
      status: 'not-checked',
      reason:
        'not checkable from golden-paths-backend: local-postgres:cart_db_dev was applied by another provisioner than github-terraform, the only one this backend can ask',
    });
  });

  describe('dev databases near and past expiresOn (§8 step 4)', () => {
    /** cart-db-dev requested to live until 2026-11-30 (T is 2026-11-23T10:00Z) */
    async function seedExpiring() {
      await seed(
        DB_KEY,
        'database',
        { name: 'cart-db', environment: 'dev', expiresOn: '2026-11-30' },
        20,
        [
          {
            id: 'apply',
            action: 'goldenpath:database:apply',
            effectRef: 'local-postgres:cart_db_dev',
          },
          {
            id: 'register',
            action: 'goldenpath:register',
            effectRef: `golden-paths-local:${CART_DB}`,
            output: { entityRef: CART_DB },
          },
        ],
      );
    }
    const expiryEvents = async () =>
      (await store.listEvents(DB_KEY)).filter(
        e => e.eventType === DATABASE_EXPIRY,
      );

    it('flags it seven days before and on the day, once each, and tells its owner', async () => {
      await seedExpiring();
      const sent: Parameters<GoldenPathsNotifier>[0][] = [];
      const { reconciler, audited } = harness(async options => {
        sent.push(options);
        return true;
      });
      // 2026-11-22T10:00Z: more than seven days before
      expect(
        await reconciler.run(
          new Date(Date.parse(at(0)) - 86_400_000).toISOString(),
        ),
      ).toMatchObject({ expiryFlags: 0 });
      expect(sent).toEqual([]);

      expect(await reconciler.run(at(60))).toMatchObject({ expiryFlags: 1 });
      expect(await reconciler.run(at(70))).toMatchObject({ expiryFlags: 0 });
      expect(sent).toHaveLength(1);
      expect(sent[0]).toMatchObject({
        recipients: { type: 'entity', entityRef: CART_DB },
        payload: {
          title: 'Database cart-db-dev expires on 2026-11-30 (in 7 days)',
          link: '/catalog/default/resource/cart-db-dev',
          severity: 'normal',
          topic: 'golden-paths',
          scope: `golden-paths:database-expiry:${DB_KEY}`,
        },
      });

      const day = '2026-11-30T00:00:00.000Z';
      expect(await reconciler.run(day)).toMatchObject({ expiryFlags: 1 });
      expect(await reconciler.run('2026-12-02T08:00:00.000Z')).toMatchObject({
        expiryFlags: 0,
      });
      expect(sent.map(n => [n.payload.title, n.payload.severity])).toEqual([
        ['Database cart-db-dev expires on 2026-11-30 (in 7 days)', 'normal'],
        ['Database cart-db-dev expired on 2026-11-30', 'high'],
      ]);
      const events = await expiryEvents();
      expect(
        events.map(e => [e.severity, e.record.phase, e.record.daysLeft]),
      ).toEqual([
        ['medium', 'soon', 7],
        ['high', 'expired', 0],
      ]);
      expect(events[1].record).toMatchObject({
        targets: [CART_DB],
        expiresOn: '2026-11-30',
        notified: true,
        result: 'database-expired',
      });
      expect(
        audited
          .filter(a => a.eventId === DATABASE_EXPIRY)
          .map(a => a.severityLevel),
      ).toEqual(['medium', 'high']);
    });

    it('records the flag when nobody could be told, and skips a database gone from the catalog', async () => {
      await seedExpiring();
      const { reconciler, world } = harness(async () => false);
      world.entities.delete(CART_DB);
      expect(await reconciler.run(at(60))).toMatchObject({ expiryFlags: 0 });
      expect(await expiryEvents()).toEqual([]);

      world.entities.set(CART_DB, {
        state: 'present',
        requestKey: DB_KEY,
        lifecycle: 'experimental',
      });
      expect(await reconciler.run(at(70))).toMatchObject({ expiryFlags: 1 });
      const [event] = await expiryEvents();
      expect(event.record).toMatchObject({ phase: 'soon', notified: false });
    });
  });
});
