import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import request from 'supertest';
import {
  api,
  closeRequest,
  enc,
  lifecycleOpenBody,
  runSteps,
  seedLifecycleRequest,
} from '../__testUtils__/ledgerRequests';
import {
  GoldenPathsTestBackend,
  goldenPathsTestDatabases,
  permissionsWhere,
  scaffolder,
  startGoldenPathsTestBackend,
  T,
} from '../__testUtils__/startGoldenPathsTestBackend';
import {
  formatAge,
  LifecycleGatesService,
  readLifecycleConfig,
  scorecardFacts,
} from './lifecycleGates';
import {
  LifecycleCaller,
  LifecycleChange,
  LifecycleGatesSources,
  ScorecardReading,
  httpLifecycleCatalog,
  httpLifecycleEvidence,
  httpLifecycleScorecards,
} from './lifecycleGatesSources';
import { DEFAULT_GOLDEN_PATHS_CONFIG } from '@internal/plugin-golden-paths-common';

jest.setTimeout(60_000);

const databases = goldenPathsTestDatabases();

const P = 'ops.example.com/';
const ana = mockCredentials.user.header('user:default/ana.ruiz');

const rel = (type: string, targetRef: string) => ({ type, targetRef });

/** cart-api as V1 left it: created by a golden path, experimental, tier 2. */
const cartApi: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'cart-api',
    namespace: 'default',
    labels: { [`${P}tier`]: '2' },
    annotations: {
      [`${P}request-key`]: 'service-node-http:cart-api',
      [`${P}template`]: 'template:default/service-node-http',
    },
  },
  spec: {
    type: 'service',
    lifecycle: 'experimental',
    owner: 'group:default/checkout-team',
  },
};

/** V32: pricing-service, deprecated, sunset 2026-11-01, web-storefront depends on it. */
const pricingService: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'pricing-service',
    namespace: 'default',
    labels: { [`${P}tier`]: '2' },
    annotations: {
      [`${P}request-key`]: 'service-node-http:pricing-service',
      [`${P}retire-by`]: '2026-11-01',
      [`${P}replaced-by`]: 'none',
    },
  },
  spec: {
    type: 'service',
    lifecycle: 'deprecated',
    owner: 'group:default/storefront-team',
  },
  relations: [rel('dependencyOf', 'component:default/web-storefront')],
};

const webStorefront: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'web-storefront', namespace: 'default' },
  spec: {
    type: 'website',
    lifecycle: 'production',
    owner: 'group:default/storefront-team',
    dependsOn: ['component:default/pricing-service'],
  },
  relations: [rel('dependsOn', 'component:default/pricing-service')],
};

/** A demo entity no golden path created (V36). */
const checkoutService: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'checkout-service', namespace: 'default' },
  spec: {
    type: 'service',
    lifecycle: 'production',
    owner: 'group:default/checkout-team',
  },
};

/** A service created by a golden path and archived on 2026-10-14 (40 days before T), tier 3. */
const archivedService = (name: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name,
    namespace: 'default',
    labels: { [`${P}tier`]: '3' },
    annotations: {
      [`${P}request-key`]: `service-node-http:${name}`,
      [`${P}archived-on`]: '2026-10-14',
    },
  },
  spec: {
    type: 'service',
    lifecycle: 'archived',
    owner: 'group:default/checkout-team',
  },
});

const refOf = (e: Entity) =>
  `${e.kind}:${e.metadata.namespace}/${e.metadata.name}`.toLowerCase();

/** §2.3: the checks a fresh local-mode service has not met yet (L1, then L2). */
const FRESH_BLOCKERS: [string, string, 'fail' | 'unknown'][] = [
  ['L1', 'source-location-set', 'fail'],
  ['L1', 'dashboard-linked', 'fail'],
  ['L1', 'telemetry-present', 'unknown'],
  ['L1', 'alerts-defined', 'fail'],
  ['L2', 'slo-has-traffic', 'unknown'],
  ['L2', 'alerts-route-to-owner', 'unknown'],
  ['L2', 'deploy-recent', 'unknown'],
  ['L3', 'rollback-exercised', 'unknown'],
];

/** Fakes the test steers: what each source answers, and whether it is down. */
const world = {
  entities: [
    cartApi,
    pricingService,
    webStorefront,
    checkoutService,
    archivedService('legacy-cart-api'),
    archivedService('legacy-basket-api'),
    archivedService('legacy-gift-api'),
    archivedService('legacy-promo-api'),
  ],
  scorecard: undefined as ScorecardReading | Error | undefined,
  /** What the scorecards backend's dry run (`POST /evaluate`) answers, and what it was sent. */
  dryRun: undefined as ScorecardReading | Error | undefined,
  dryRunOf: [] as Entity[],
  deploys: [] as LifecycleChange[] | Error,
  /** The ledger reads G-P2 made (their `from`). */
  deploysAsked: [] as { environment: string; from: string }[],
  callers: [] as LifecycleCaller[] | Error,
  catalogCredentials: [] as BackstageCredentials[],
  /** Refs the catalog hides from every user (their permission policy denies reading them). */
  hiddenFromUsers: [] as string[],
  /** Set to fail the catalog reads made on behalf of the caller. */
  callerReadFails: undefined as Error | undefined,
};
const fresh = (): ScorecardReading => ({
  scored: true,
  level: 'L0',
  blockers: FRESH_BLOCKERS.map(([level, checkId, state]) => ({
    level,
    checkId,
    state,
    missing: [],
  })),
  results: [{ checkId: 'telemetry-present', state: 'unknown' }],
});

// The ledger source is the real one, over the test backend's store (`initGoldenPaths`).
const sources: Omit<LifecycleGatesSources, 'ledger'> = {
  catalog: {
    async getEntity(ref, credentials) {
      world.catalogCredentials.push(credentials);
      if (
        (credentials.principal as { type: string }).type === 'user' &&
        world.hiddenFromUsers.includes(ref)
      )
        return undefined;
      return world.entities.find(e => refOf(e) === ref);
    },
    async getEntitiesByRefs(refs, credentials) {
      if (credentials) {
        world.catalogCredentials.push(credentials);
        if (world.callerReadFails) throw world.callerReadFails;
      }
      return world.entities.filter(
        e =>
          refs.includes(refOf(e)) &&
          !(
            (credentials?.principal as { type?: string } | undefined)?.type ===
              'user' && world.hiddenFromUsers.includes(refOf(e))
          ),
      );
    },
  },
  scorecards: {
    async read() {
      const s = world.scorecard ?? fresh();
      if (s instanceof Error) throw s;
      return s;
    },
    async evaluate(entity) {
      world.dryRunOf.push(entity);
      const s = world.dryRun ?? fresh();
      if (s instanceof Error) throw s;
      return s;
    },
  },
  evidence: {
    async deploys(_ref, query) {
      world.deploysAsked.push(query);
      if (world.deploys instanceof Error) throw world.deploys;
      return world.deploys;
    },
    async observedCallers() {
      if (world.callers instanceof Error) throw world.callers;
      return world.callers;
    },
  },
};

const V31_L02 =
  'GP-L02: Promotion to production needs scorecard level L2; component:default/cart-api is at L0. Blocking: source-location-set, dashboard-linked, telemetry-present, alerts-defined, slo-has-traffic, alerts-route-to-owner, deploy-recent.';
const V31_L04 =
  'GP-L04: Promotion needs a successful staging deploy in the last 30 days; the change ledger has none for component:default/cart-api.';

describe.each(databases.eachSupportedId())(
  'GET /lifecycle/gates on %s',
  databaseId => {
    let server: GoldenPathsTestBackend['server'];
    let stop: () => Promise<void>;
    let store: GoldenPathsTestBackend['store'];
    let notifications: GoldenPathsTestBackend['notifications'];

    beforeAll(async () => {
      ({ server, stop, store, notifications } =
        await startGoldenPathsTestBackend({
          databases,
          databaseId,
          permissions: permissionsWhere(() => true),
          overrides: { lifecycle: sources },
          goldenPaths: {
            approvals: {
              routes: { exception: ['group:default/platform-team'] },
            },
          },
        }));
    });

    afterAll(async () => {
      await stop?.();
    });

    afterEach(() => {
      jest.restoreAllMocks();
    });

    beforeEach(() => {
      world.scorecard = undefined;
      world.deploys = [];
      world.callers = [];
      world.catalogCredentials = [];
      world.hiddenFromUsers = [];
      world.callerReadFails = undefined;
    });

    const gates = (query: string, auth: string | undefined = ana) => {
      const r = request(server).get(
        `/api/golden-paths/lifecycle/gates?${query}`,
      );
      return auth ? r.set('Authorization', auth) : r;
    };
    const q = (entityRef: string, to: string) =>
      `entityRef=${encodeURIComponent(entityRef)}&to=${to}`;

    it('refuses calls without credentials (401)', async () => {
      const res = await gates(q('component:default/cart-api', 'promote'), '');
      expect(res.status).toBe(401);
    });

    it('answers 400 naming the field', async () => {
      const cases: [string, string][] = [
        ['to=promote', 'entityRef is required'],
        [
          q('cart-api', 'promote'),
          'entityRef "cart-api" is not a full ref (kind:namespace/name)',
        ],
        [
          q('component:default/cart-api', 'launch'),
          'to must be one of promote, deprecate, undeprecate, archive, unarchive, delete (got "launch")',
        ],
        [
          `entityRef=${encodeURIComponent('component:default/cart-api')}`,
          'to is required',
        ],
        [
          `${q('component:default/cart-api', 'deprecate')}&sunsetOn=soon`,
          'sunsetOn must be a date (YYYY-MM-DD) that exists (got "soon")',
        ],
        // read as 3 March before, and allowed
        [
          `${q('component:default/cart-api', 'deprecate')}&sunsetOn=2027-02-31`,
          'sunsetOn must be a date (YYYY-MM-DD) that exists (got "2027-02-31")',
        ],
        [
          `${q('component:default/cart-api', 'promote')}&force=true`,
          'unknown query parameter force; use one of entityRef, to, replacement, sunsetOn, reason',
        ],
        [
          `${q('component:default/cart-api', 'promote')}&to=archive`,
          'to must be given once (got 2 values)',
        ],
      ];
      for (const [query, message] of cases) {
        const res = await gates(query);
        expect(res.status).toBe(400);
        expect(res.body.error.message).toBe(message);
      }
    });

    it('answers 404 for an entity the catalog does not know (or the caller cannot read)', async () => {
      const res = await gates(q('component:default/ghost-api', 'promote'));
      expect(res.status).toBe(404);
      expect(res.body.error.message).toBe(
        'entity component:default/ghost-api is not in the catalog',
      );
      // The entity is read on behalf of the caller.
      expect(world.catalogCredentials[0].principal).toMatchObject({
        userEntityRef: 'user:default/ana.ruiz',
      });
    });

    it('V31: refuses promoting cart-api at L0 without a staging deploy (GP-L02, GP-L04)', async () => {
      const res = await gates(q('Component:default/cart-api', 'promote'));
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        entityRef: 'component:default/cart-api',
        from: 'experimental',
        transition: 'promote',
        to: 'production',
        allowed: ['promote', 'deprecate', 'archive'],
        decision: 'deny',
      });
      expect(res.body.gates).toEqual([
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
      ]);
      expect(res.body.evaluation.message).toBe(`${V31_L02}\n${V31_L04}`);
    });

    it('gates undeprecating on the level the entity would have back in production, not its not-rated scorecard', async () => {
      // The scorecards backend rates no deprecated entity (SR13): its stored answer would be
      // not-rated, below every level, whatever the entity's checks say.
      world.scorecard = { scored: true, level: 'not-rated', blockers: [] };
      world.dryRun = { scored: true, level: 'L2', blockers: [] };
      world.dryRunOf = [];
      const allowed = await gates(
        q('component:default/pricing-service', 'undeprecate'),
      );
      expect(allowed.status).toBe(200);
      expect(allowed.body).toMatchObject({
        transition: 'undeprecate',
        to: 'production',
        decision: 'allow',
      });
      // The dry run saw the entity as the transition leaves it.
      expect(world.dryRunOf).toHaveLength(1);
      expect(world.dryRunOf[0].spec?.lifecycle).toBe('production');
      expect(Object.keys(world.dryRunOf[0].metadata.annotations ?? {})).toEqual(
        [`${P}request-key`],
      );

      world.dryRun = fresh();
      const denied = await gates(
        q('component:default/pricing-service', 'undeprecate'),
      );
      expect(denied.body.decision).toBe('deny');
      expect(denied.body.gates[0]).toMatchObject({
        gate: 'G-P1',
        status: 'fail',
        ruleId: 'GP-L02',
      });
      world.scorecard = undefined;
      world.dryRun = undefined;
    });

    it('allows promoting cart-api at L2 with a staging deploy 3 days ago', async () => {
      world.scorecard = { scored: true, level: 'L2', blockers: [] };
      world.deploys = [
        {
          kind: 'deploy',
          status: 'succeeded',
          environment: 'staging',
          at: '2026-11-20T10:00:00Z',
        },
      ];
      const res = await gates(q('component:default/cart-api', 'promote'));
      expect(res.status).toBe(200);
      expect(res.body.decision).toBe('allow');
      expect(res.body.evaluation).toMatchObject({
        decision: 'allow',
        errors: [],
        approvalTriggers: [],
      });
      expect(res.body.gates.map((g: any) => `${g.gate}:${g.status}`)).toEqual([
        'G-P1:pass',
        'G-P2:pass',
      ]);
      // The ledger filters on when a change took effect, G-P2 on when it finished: a deploy
      // started just before the 30-day window and finished inside it must be read too.
      expect(world.deploysAsked.at(-1)).toEqual({
        environment: 'staging',
        from: new Date(Date.parse(T) - 31 * 86_400_000).toISOString(),
      });
    });

    it('never passes a gate whose source is down: the scorecard unreachable is unknown', async () => {
      world.scorecard = new Error('scorecards answered 503');
      world.deploys = [
        {
          kind: 'deploy',
          status: 'succeeded',
          environment: 'staging',
          at: '2026-11-20T10:00:00Z',
        },
      ];
      const res = await gates(q('component:default/cart-api', 'promote'));
      expect(res.status).toBe(200);
      expect(res.body.decision).toBe('unknown');
      expect(res.body.gates[0]).toEqual({
        gate: 'G-P1',
        title: 'Scorecard level L2 or higher on fresh evidence',
        status: 'unknown',
        message:
          'The scorecard level of component:default/cart-api is unknown: the scorecards backend could not be read (scorecards answered 503). This gate does not pass until it answers.',
      });
      expect(res.body.gates[1]).toMatchObject({ gate: 'G-P2', status: 'pass' });
      // The pure evaluation counted the unknown level as not met.
      expect(res.body.evaluation.decision).toBe('deny');

      world.deploys = new Error('evidence answered 500');
      const both = await gates(q('component:default/cart-api', 'promote'));
      expect(both.body.gates.map((g: any) => g.status)).toEqual([
        'unknown',
        'unknown',
      ]);
    });

    it('V32: refuses archiving pricing-service (GP-L06, GP-L07)', async () => {
      world.callers = [
        {
          client: 'component:default/checkout-service',
          lastSeen: '2026-11-23T09:58:00Z',
        },
      ];
      const res = await gates(
        q('component:default/pricing-service', 'archive'),
      );
      expect(res.status).toBe(200);
      expect(res.body.decision).toBe('deny');
      expect(res.body.evaluation.message).toBe(
        [
          'GP-L06: component:default/pricing-service cannot be archived while 1 entity still depends on it: component:default/web-storefront (dependsOn).',
          'GP-L07: component:default/pricing-service cannot be archived: component:default/checkout-service called it at 2026-11-23 09:58 UTC (archive needs 14 days without observed traffic).',
        ].join('\n'),
      );
      expect(
        res.body.gates.map((g: any) => [g.gate, g.status, g.ruleId]),
      ).toEqual([
        ['G-A1', 'fail', 'GP-L06'],
        ['G-A2', 'fail', 'GP-L07'],
        ['G-A3', 'pass', undefined],
      ]);
    });

    it('counts a dependent the caller may not read but names only the ones it may', async () => {
      world.hiddenFromUsers = ['component:default/web-storefront'];
      const archive = (auth?: string) =>
        gates(q('component:default/pricing-service', 'archive'), auth);
      const g06 = (res: request.Response) =>
        res.body.gates.find((g: { gate: string }) => g.gate === 'G-A1');
      const COUNTED =
        'GP-L06: component:default/pricing-service cannot be archived while 1 entity still depends on it: 1 entity you cannot see.';
      const NAMED =
        'GP-L06: component:default/pricing-service cannot be archived while 1 entity still depends on it: component:default/web-storefront (dependsOn).';

      const hidden = await archive();
      expect(hidden.body.decision).toBe('deny');
      expect(g06(hidden)).toMatchObject({ status: 'fail', message: COUNTED });
      expect(JSON.stringify(hidden.body)).not.toContain('web-storefront');
      // asked as ana, after the graph was read with the plugin's own credentials
      expect(world.catalogCredentials.at(-1)?.principal).toMatchObject({
        userEntityRef: 'user:default/ana.ruiz',
      });

      // a service (the scaffolder on a task no user started) sees the graph the gates see
      const service = await archive(scaffolder);
      expect(g06(service).message).toBe(NAMED);

      // the caller's read failing withholds every name; the gate still fails
      world.hiddenFromUsers = [];
      world.callerReadFails = new Error('catalog answered 503');
      expect(g06(await archive()).message).toBe(COUNTED);
      world.callerReadFails = undefined;
      expect(g06(await archive()).message).toBe(NAMED);
    });

    it('reports GP-L12 for an entity no golden path created and GP-L01 for a transition not allowed', async () => {
      const demo = await gates(
        q('component:default/checkout-service', 'promote'),
      );
      expect(demo.body.gates).toEqual([
        {
          gate: 'golden-path',
          title: 'Created by a golden path',
          status: 'fail',
          ruleId: 'GP-L12',
          message:
            "GP-L12: component:default/checkout-service was not created by a golden path, so its descriptor cannot be changed here; use its repository's own process.",
        },
      ]);
      const notAllowed = await gates(q('component:default/cart-api', 'delete'));
      expect(notAllowed.body).toMatchObject({ decision: 'deny' });
      expect(notAllowed.body.gates[0].message).toBe(
        'GP-L01: component:default/cart-api is experimental; "delete" is not allowed from there. Allowed next: promote, deprecate, archive.',
      );
    });

    it('marks G-D1 unknown until the template inputs are given, then evaluates them', async () => {
      const dry = await gates(q('component:default/cart-api', 'deprecate'));
      expect(dry.body.gates).toEqual([
        expect.objectContaining({ gate: 'G-D1', status: 'unknown' }),
      ]);
      const ok = await gates(
        `${q(
          'component:default/cart-api',
          'deprecate',
        )}&replacement=${encodeURIComponent(
          'component:default/checkout-service',
        )}&sunsetOn=2027-01-22`,
      );
      expect(ok.body.decision).toBe('allow');
    });

    it('reads the replacement as the caller: one the caller may not see fails G-D1 as a missing one does', async () => {
      const deprecate = (replacement: string) =>
        gates(
          `${q(
            'component:default/cart-api',
            'deprecate',
          )}&replacement=${encodeURIComponent(
            replacement,
          )}&sunsetOn=2027-01-22`,
        );
      const g01 = async (replacement: string) => {
        const res = await deprecate(replacement);
        const gate = res.body.gates.find(
          (g: { gate: string }) => g.gate === 'G-D1',
        );
        return {
          decision: res.body.decision,
          status: gate.status,
          ruleId: gate.ruleId,
          message: gate.message.replace(replacement, '<ref>'),
        };
      };
      world.hiddenFromUsers = ['component:default/checkout-service'];
      const hidden = await g01('component:default/checkout-service');
      expect(hidden).toMatchObject({ decision: 'deny', status: 'fail' });
      expect(hidden).toEqual(await g01('component:default/no-such-service'));
      // read on behalf of ana, not with the plugin's own credentials
      expect(
        world.catalogCredentials.map(
          c => (c.principal as { type: string }).type,
        ),
      ).not.toContain('service');
      // visible to her: it passes
      world.hiddenFromUsers = [];
      expect(
        (await deprecate('component:default/checkout-service')).body.decision,
      ).toBe('allow');
    });

    describe('telling the owners of dependents about a deprecation (§7.1)', () => {
      const PRICING = 'component:default/pricing-service';
      const toldAbout = (ref: string) =>
        notifications.filter(
          n => n.payload.scope === `golden-paths:deprecation:${ref}`,
        );

      it('tells them once, when the deprecation first succeeds', async () => {
        const key = await seedLifecycleRequest(server, {
          entity: PRICING,
          transition: 'deprecate',
          key: `lifecycle:${PRICING}:deprecate:told`,
          steps: [{ id: 'lifecycle' }],
          close: 'succeeded',
        });
        expect(toldAbout(PRICING)).toEqual([
          {
            recipients: {
              type: 'entity',
              entityRef: ['component:default/web-storefront'],
            },
            payload: expect.objectContaining({
              title: `${PRICING} is deprecated`,
              link: '/catalog/default/component/pricing-service',
              topic: 'golden-paths',
            }),
          },
        ]);
        // the reason is free text and stays out
        expect(JSON.stringify(toldAbout(PRICING))).not.toContain(
          'requested by the owners',
        );
        // a repeated close as succeeded is no new deprecation
        await closeRequest(server, key, 'succeeded');
        expect(toldAbout(PRICING)).toHaveLength(1);
      });

      it('tells nobody for another transition or a failed one, and closes when the catalog is down', async () => {
        const before = notifications.length;
        await seedLifecycleRequest(server, {
          entity: PRICING,
          transition: 'undeprecate',
          steps: [{ id: 'lifecycle' }],
          close: 'succeeded',
        });
        await seedLifecycleRequest(server, {
          entity: PRICING,
          transition: 'deprecate',
          key: `lifecycle:${PRICING}:deprecate:failed`,
          steps: [{ id: 'lifecycle', status: 'failed' }],
          close: 'failed',
        });
        jest
          .spyOn(sources.catalog, 'getEntity')
          .mockRejectedValue(new Error('catalog answered 503'));
        // closeRequest expects 200: the close goes through
        await seedLifecycleRequest(server, {
          entity: PRICING,
          transition: 'deprecate',
          key: `lifecycle:${PRICING}:deprecate:outage`,
          steps: [{ id: 'lifecycle' }],
          close: 'succeeded',
        });
        expect(notifications.length).toBe(before);
      });
    });

    it('refuses deleting an entity whose archive left the repository finalizer failed (GP-L11)', async () => {
      const key = 'lifecycle:component:default/legacy-cart-api:archive';
      // The descriptor change is done (the catalog shows archived); making the repository
      // read-only failed, so it is still writable. The entity is matched whatever its case.
      await seedLifecycleRequest(server, {
        entity: 'Component:default/Legacy-Cart-API',
        transition: 'archive',
        key,
        steps: [
          { id: 'lifecycle' },
          { id: 'lifecycle:repository', status: 'failed' },
        ],
        close: 'failed',
      });
      // Another entity whose ref starts the same holds nothing for this one.
      await seedLifecycleRequest(server, {
        entity: 'component:default/legacy-cart-api-v2',
        transition: 'archive',
        steps: [
          { id: 'lifecycle' },
          { id: 'lifecycle:repository', status: 'failed' },
        ],
        close: 'failed',
      });

      const res = await gates(q('Component:default/Legacy-Cart-API', 'delete'));
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        entityRef: 'component:default/legacy-cart-api',
        from: 'archived',
        transition: 'delete',
        decision: 'deny',
      });
      const l11 = `GP-L11: component:default/legacy-cart-api still holds finalizer repository (request ${key}, step lifecycle:repository failed). Delete or reassign them first.`;
      expect(res.body.gates).toEqual([
        expect.objectContaining({ gate: 'G-X1', status: 'pass' }),
        expect.objectContaining({ gate: 'G-X2', status: 'pass' }),
        {
          gate: 'G-X3',
          title: 'No owned resources or pending finalizers',
          status: 'fail',
          ruleId: 'GP-L11',
          message: l11,
        },
      ]);
      expect(res.body.evaluation.message).toBe(l11);
    });

    it('allows deleting once a rerun of the archive has done the finalizer', async () => {
      const entity = 'component:default/legacy-basket-api';
      const key = await seedLifecycleRequest(server, {
        entity,
        transition: 'archive',
        steps: [
          { id: 'lifecycle' },
          { id: 'lifecycle:repository', status: 'failed' },
        ],
        close: 'failed',
      });
      const before = await gates(q(entity, 'delete'));
      expect(before.body.decision).toBe('deny');
      expect(before.body.gates[2]).toMatchObject({
        gate: 'G-X3',
        status: 'fail',
        message: `GP-L11: ${entity} still holds finalizer repository (request ${key}, step lifecycle:repository failed). Delete or reassign them first.`,
      });

      // The rerun resumes the request: the descriptor change is skipped, the finalizer runs.
      await request(server)
        .post(api(`/requests/${enc(key)}/open`))
        .set('Authorization', scaffolder)
        .send(lifecycleOpenBody(entity, 'archive', { taskId: 'task-2' }))
        .expect(200);
      await runSteps(
        server,
        key,
        [
          { id: 'lifecycle', action: 'goldenpath:lifecycle' },
          { id: 'lifecycle:repository', action: 'goldenpath:lifecycle' },
        ],
        'task-2',
      );
      await closeRequest(server, key, 'succeeded', 'task-2');

      const after = await gates(q(entity, 'delete'));
      expect(after.body.gates.map((g: any) => `${g.gate}:${g.status}`)).toEqual(
        ['G-X1:pass', 'G-X2:pass', 'G-X3:pass'],
      );
      expect(after.body.decision).toBe('allow');
    });

    it('refuses deleting an entity whose archive died after its descriptor change (step claimed): the finalizers never ran', async () => {
      const entity = 'component:default/legacy-gift-api';
      const key = await seedLifecycleRequest(server, {
        entity,
        transition: 'archive',
        steps: [{ id: 'lifecycle', status: 'claimed' }],
      });
      const res = await gates(q(entity, 'delete'));
      expect(res.body.decision).toBe('deny');
      expect(res.body.gates[2]).toMatchObject({
        gate: 'G-X3',
        status: 'fail',
        message: `GP-L11: ${entity} still holds finalizer repository (request ${key}, step lifecycle:repository never ran). Delete or reassign them first.`,
      });
    });

    it('marks G-X3 unknown when the ledger cannot be read', async () => {
      const entity = 'component:default/legacy-promo-api';
      jest
        .spyOn(store, 'lifecycleRequestsOf')
        .mockRejectedValueOnce(new Error('connection terminated'));
      const res = await gates(q(entity, 'delete'));
      expect(res.status).toBe(200);
      expect(res.body.decision).toBe('unknown');
      expect(res.body.gates[2]).toEqual({
        gate: 'G-X3',
        title: 'No owned resources or pending finalizers',
        status: 'unknown',
        message: `Pending finalizers of ${entity} are unknown: the golden-paths ledger could not be read (connection terminated). This gate does not pass until it answers.`,
      });

      // Nothing is pending for it: once the ledger answers, the gate passes.
      const again = await gates(q(entity, 'delete'));
      expect(again.body.gates[2]).toMatchObject({
        gate: 'G-X3',
        status: 'pass',
      });
    });

    it('does not name an observed caller the caller may not read (GP-L07); it still counts as traffic', async () => {
      world.callers = [
        {
          client: 'component:default/checkout-service',
          lastSeen: '2026-11-23T09:58:00Z',
        },
      ];
      world.hiddenFromUsers = ['component:default/checkout-service'];
      const g07 = async (auth?: string) =>
        (
          await gates(q('component:default/pricing-service', 'archive'), auth)
        ).body.gates.find((g: { gate: string }) => g.gate === 'G-A2');
      expect(await g07()).toMatchObject({
        status: 'fail',
        ruleId: 'GP-L07',
        message:
          'GP-L07: component:default/pricing-service cannot be archived: an entity you cannot see called it at 2026-11-23 09:58 UTC (archive needs 14 days without observed traffic).',
      });
      // a service sees the graph as the gates do
      expect((await g07(scaffolder)).message).toContain(
        'component:default/checkout-service called it',
      );
      // a client name evidence did not resolve to an entity is shown as observed
      world.callers = [
        { client: '10.0.4.17', lastSeen: '2026-11-23T09:58:00Z' },
      ];
      expect((await g07()).message).toContain(': 10.0.4.17 called it');
    });

    it('counts an owned resource the caller may not read but does not name it (GP-L11)', async () => {
      const entity = 'component:default/legacy-coupon-api';
      const db = 'resource:default/legacy-coupon-db';
      const service = archivedService('legacy-coupon-api');
      service.relations = [rel('dependsOn', db)];
      const database: Entity = {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Resource',
        metadata: {
          name: 'legacy-coupon-db',
          namespace: 'default',
          annotations: { [`${P}request-key`]: 'database:legacy-coupon-db' },
        },
        spec: {
          type: 'database',
          owner: 'group:default/checkout-team',
          dependencyOf: [entity],
        },
      };
      world.entities.push(service, database);
      try {
        const x3 = async () =>
          (await gates(q(entity, 'delete'))).body.gates.find(
            (g: { gate: string }) => g.gate === 'G-X3',
          );
        expect(await x3()).toMatchObject({
          status: 'fail',
          message: `GP-L11: ${entity} still holds ${db}. Delete or reassign them first.`,
        });
        world.hiddenFromUsers = [db];
        expect(await x3()).toMatchObject({
          status: 'fail',
          message: `GP-L11: ${entity} still holds 1 owned resource you cannot see. Delete or reassign them first.`,
        });
      } finally {
        world.entities = world.entities.filter(
          e => e !== service && e !== database,
        );
      }
    });
  },
);

describe('lifecycle gates while a source is down', () => {
  afterEach(() => {
    world.scorecard = undefined;
  });

  it('warns once, not on every card opened, and names each entity at debug', async () => {
    const logger = mockServices.logger.mock();
    const service = new LifecycleGatesService(
      {
        ...sources,
        ledger: {
          pendingFinalizers: async () => [],
        } as unknown as LifecycleGatesSources['ledger'],
      },
      DEFAULT_GOLDEN_PATHS_CONFIG,
      logger,
    );
    world.scorecard = new Error('scorecards answered 503');
    for (let i = 0; i < 3; i++) {
      const answer = await service.evaluate(
        {
          entityRef: 'component:default/cart-api',
          to: 'promote',
          credentials: mockCredentials.user('user:default/ana'),
        },
        T,
      );
      expect(answer.gates[0]).toMatchObject({
        gate: 'G-P1',
        status: 'unknown',
      });
    }
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(logger.warn).toHaveBeenCalledWith(
      'lifecycle gates: the scorecards backend could not be read: scorecards answered 503',
    );
    expect(logger.debug).toHaveBeenCalledWith(
      'lifecycle gates: scorecards backend of component:default/cart-api: scorecards answered 503',
    );
    // it answers again: said once, and the next outage is warned about from its own start
    world.scorecard = undefined;
    const ask = () =>
      service.evaluate(
        {
          entityRef: 'component:default/cart-api',
          to: 'promote',
          credentials: mockCredentials.user('user:default/ana'),
        },
        T,
      );
    await ask();
    expect(logger.info).toHaveBeenCalledWith(
      expect.stringMatching(
        /^lifecycle gates: the scorecards backend can be read again/,
      ),
    );
    world.scorecard = new Error('scorecards answered 503');
    await ask();
    expect(logger.warn).toHaveBeenCalledTimes(2);
    expect(logger.warn).toHaveBeenLastCalledWith(
      'lifecycle gates: the scorecards backend could not be read: scorecards answered 503',
    );
  });
});

describe('lifecycle gate facts', () => {
  it('keeps the blockers up to the promotion level and stale unknowns as GP-L03', () => {
    expect(formatAge(90)).toBe('90 s');
    expect(formatAge(3 * 86_400)).toBe('3 d');
    const facts = scorecardFacts(
      {
        scored: true,
        level: 'L1',
        blockers: [
          {
            level: 'L2',
            checkId: 'deploy-recent',
            state: 'unknown',
            missing: [
              {
                cause: 'stale',
                ageSeconds: 3 * 86_400,
                freshForSeconds: 86_400,
              },
            ],
          },
          { level: 'L3', checkId: 'rollback-exercised', state: 'fail' },
        ],
      },
      DEFAULT_GOLDEN_PATHS_CONFIG,
    );
    expect(facts).toEqual({
      level: 'L1',
      blockers: ['deploy-recent'],
      unknown: [{ check: 'deploy-recent', age: '3 d', limit: '24 h' }],
    });
  });

  it('reads scorecards and evidence over HTTP with a service token', async () => {
    const urls: string[] = [];
    const fetchImpl = (async (url: string) => {
      urls.push(url);
      if (url.includes('/scorecards/')) {
        return new Response(JSON.stringify({ scored: true, level: 'L2' }));
      }
      if (url.includes('/changes?')) {
        return new Response(
          JSON.stringify({
            items: [
              {
                kind: 'deploy',
                status: 'succeeded',
                environment: 'staging',
                effectiveAt: '2026-11-20T09:00:00.000Z',
                finishedAt: '2026-11-20T09:05:00.000Z',
              },
            ],
          }),
        );
      }
      return new Response(
        JSON.stringify({
          items: [
            {
              client: 'checkout',
              dependentRef: 'component:default/checkout-service',
              dependencyRef: 'component:default/pricing-service',
              lastSeen: '2026-11-23T09:58:00.000Z',
            },
            {
              client: 'pricing',
              dependentRef: 'component:default/pricing-service',
              dependencyRef: 'component:default/tax-service',
              lastSeen: '2026-11-23T09:58:00.000Z',
            },
          ],
        }),
      );
    }) as unknown as typeof fetch;
    const options = {
      discovery: mockServices.discovery(),
      auth: mockServices.auth(),
      fetch: fetchImpl,
    };
    await expect(
      httpLifecycleScorecards(options).read('component:default/cart-api'),
    ).resolves.toEqual({ scored: true, level: 'L2' });
    const evidence = httpLifecycleEvidence(options);
    await expect(
      evidence.deploys('component:default/cart-api', {
        environment: 'staging',
        from: '2026-10-24T10:00:00.000Z',
      }),
    ).resolves.toEqual([
      {
        kind: 'deploy',
        status: 'succeeded',
        environment: 'staging',
        at: '2026-11-20T09:05:00.000Z',
      },
    ]);
    await expect(
      evidence.observedCallers('component:default/pricing-service', {
        since: '2026-11-09T10:00:00.000Z',
      }),
    ).resolves.toEqual([
      {
        client: 'component:default/checkout-service',
        lastSeen: '2026-11-23T09:58:00.000Z',
      },
    ]);
    expect(urls[0]).toMatch(
      /\/api\/scorecards\/entities\/component\/default\/cart-api$/,
    );
    expect(urls[1]).toContain(
      '/api/evidence/changes?entityRef=component%3Adefault%2Fcart-api&environment=staging&kind=deploy&status=succeeded&from=2026-10-24T10%3A00%3A00.000Z',
    );
    expect(urls[2]).toContain('/api/evidence/edges?');
    expect(urls[2]).toContain('direction=incoming');
  });

  it('gives up on a source that does not answer within its timeout, so its gates are unknown instead of holding the request', async () => {
    const hung = ((_url: string, init?: RequestInit) =>
      new Promise((_resolve, reject) => {
        init?.signal?.addEventListener('abort', () =>
          reject(init.signal?.reason),
        );
      })) as unknown as typeof fetch;
    const options = {
      discovery: mockServices.discovery(),
      auth: mockServices.auth(),
      fetch: hung,
      timeoutMs: 20,
    };
    const reads = [
      () => httpLifecycleScorecards(options).read('component:default/cart-api'),
      () =>
        httpLifecycleEvidence(options).deploys('component:default/cart-api', {
          environment: 'staging',
          from: '2026-10-24T10:00:00.000Z',
        }),
      () =>
        httpLifecycleCatalog(options).getEntity(
          'component:default/cart-api',
          mockCredentials.user('user:default/ana.ruiz'),
        ),
    ];
    for (const read of reads) {
      await expect(read()).rejects.toMatchObject({ name: 'TimeoutError' });
    }
  });

  it('asks the scorecards backend for a dry run of an entity given whole', async () => {
    const sent: { url: string; init?: RequestInit }[] = [];
    const fetchImpl = (async (url: string, init?: RequestInit) => {
      sent.push({ url, init });
      return new Response(JSON.stringify({ scored: true, level: 'L2' }));
    }) as unknown as typeof fetch;
    const reader = httpLifecycleScorecards({
      discovery: mockServices.discovery(),
      auth: mockServices.auth(),
      fetch: fetchImpl,
    });
    await expect(reader.evaluate(pricingService)).resolves.toEqual({
      scored: true,
      level: 'L2',
    });
    expect(sent[0].url).toMatch(/\/api\/scorecards\/evaluate$/);
    expect(sent[0].init?.method).toBe('POST');
    expect(JSON.parse(String(sent[0].init?.body))).toEqual({
      entity: pricingService,
    });
  });
});

describe('readLifecycleConfig', () => {
  const read = (goldenPaths: object) =>
    readLifecycleConfig(
      mockServices.rootConfig({ data: { goldenPaths } }),
      DEFAULT_GOLDEN_PATHS_CONFIG.approvals,
    );

  it('reads the §9 defaults and a minLevel among custom levels', () => {
    expect(read({}).lifecycle).toEqual(DEFAULT_GOLDEN_PATHS_CONFIG.lifecycle);
    const custom = read({
      levels: ['bronze', 'silver', 'gold'],
      lifecycle: { promote: { minLevel: 'silver' }, archive: { quietDays: 7 } },
    });
    expect(custom.levels).toEqual(['bronze', 'silver', 'gold']);
    expect(custom.lifecycle.promote.minLevel).toBe('silver');
    expect(custom.lifecycle.archive.quietDays).toBe(7);
    // 0 is a setting here: delete right after archiving
    expect(
      read({ lifecycle: { delete: { minArchivedDays: 0 } } }).lifecycle.delete
        .minArchivedDays,
    ).toBe(0);
  });

  // A minLevel the levels do not hold ranks below all of them: G-P1 passed every entity.
  it.each([
    [
      { lifecycle: { promote: { minLevel: 'L4' } } },
      'goldenPaths.lifecycle.promote.minLevel must be one of goldenPaths.levels (L0, L1, L2, L3); got "L4"',
    ],
    [
      { levels: ['bronze', 'silver', 'gold'] },
      'goldenPaths.lifecycle.promote.minLevel must be one of goldenPaths.levels (bronze, silver, gold); got "L2"',
    ],
    [
      { lifecycle: { promote: { stagingDeployWithinDays: 0 } } },
      'goldenPaths.lifecycle.promote.stagingDeployWithinDays must be a number above 0 (got 0)',
    ],
    [
      { lifecycle: { delete: { minArchivedDays: -30 } } },
      'goldenPaths.lifecycle.delete.minArchivedDays must be a number of at least 0 (got -30)',
    ],
  ])('refuses %j at start-up', (goldenPaths, message) => {
    expect(() => read(goldenPaths)).toThrow(message);
  });
});
