import {
  PermissionsService,
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import {
  TestDatabases,
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type {
  EntityEvidence,
  EvidenceService,
} from '@internal/plugin-evidence-node';
import path from 'node:path';
import request from 'supertest';
import { initScorecards } from './initScorecards';

jest.setTimeout(60_000);

const databases = TestDatabases.create({
  ids: ['POSTGRES_15', 'SQLITE_3'],
  disableDocker: true,
});

const T = '2026-03-14T02:05:00.000Z';
const DAY = 86400000;
const SVC = 'component:default/checkout-service';
const STANDARD = path.resolve(
  __dirname,
  '../../../catalog-backend-module-scorecards/src/__fixtures__/small-standard.yaml',
);
const ana = mockCredentials.user.header('user:default/ana');
const ben = mockCredentials.user.header('user:default/ben');
const mallory = mockCredentials.user.header('user:default/mallory');
const plat = mockCredentials.user.header('user:default/plat-lead');

const entities: Entity[] = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: 'checkout-team', namespace: 'default' },
    spec: { type: 'team', children: [], members: ['ana', 'ben'] },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'System',
    metadata: { name: 'checkout', namespace: 'default' },
    spec: { owner: 'group:default/checkout-team', domain: 'commerce' },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'checkout-service',
      namespace: 'default',
      labels: { 'ops.example.com/tier': '2' },
      annotations: {
        'backstage.io/source-location':
          'url:https://github.com/example/checkout-service/',
      },
    },
    spec: {
      type: 'service',
      lifecycle: 'production',
      owner: 'group:default/checkout-team',
      system: 'system:default/checkout',
    },
  },
];

/**
 * Permission policy of the tests: mallory may do nothing but read; only members of the
 * platform team (plat-lead) approve required checks, via a conditional decision.
 */
const permissions: PermissionsService = {
  async authorize(requests, { credentials }) {
    const user = (credentials.principal as { userEntityRef?: string })
      .userEntityRef;
    return requests.map(r => ({
      result:
        user === 'user:default/mallory' &&
        r.permission.name !== 'catalog.entity.read'
          ? AuthorizeResult.DENY
          : AuthorizeResult.ALLOW,
    }));
  },
  async authorizeConditional(requests) {
    return requests.map(() => ({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'scorecards',
      resourceType: 'scorecards-check',
      conditions: {
        rule: 'isCheckOwnerMember',
        resourceType: 'scorecards-check',
        params: {},
      },
    })) as any;
  },
};

function evidenceFor(state: { protected: boolean; observedAt: string }) {
  return {
    async readEntities(refs: string[]) {
      const data = new Map<string, EntityEvidence>();
      for (const ref of refs) {
        data.set(ref, {
          facts:
            ref === SVC
              ? [
                  {
                    entityRef: SVC,
                    source: 'repo-host',
                    kind: 'repo.settings',
                    key: '',
                    value: { protected: state.protected },
                    observedAt: state.observedAt,
                    collectedAt: state.observedAt,
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
}

describe.each(databases.eachSupportedId())(
  'scorecards router on %s',
  databaseId => {
    const clock = { now: new Date(T) };
    const evidenceState = { protected: false, observedAt: T };
    let server: any;
    let stop: () => Promise<void>;
    let handles: Awaited<ReturnType<typeof initScorecards>>;

    beforeAll(async () => {
      const knex = await databases.init(databaseId);
      const testPlugin = createBackendPlugin({
        pluginId: 'scorecards',
        register(env) {
          env.registerInit({
            deps: {
              config: coreServices.rootConfig,
              logger: coreServices.logger,
              database: coreServices.database,
              httpRouter: coreServices.httpRouter,
              httpAuth: coreServices.httpAuth,
              auth: coreServices.auth,
              permissionsRegistry: coreServices.permissionsRegistry,
              userInfo: coreServices.userInfo,
              scheduler: coreServices.scheduler,
              auditor: coreServices.auditor,
            },
            async init(deps) {
              handles = await initScorecards(
                {
                  ...deps,
                  permissions,
                  catalog: catalogServiceMock({ entities }),
                  evidence: evidenceFor(evidenceState),
                },
                () => clock.now,
              );
            },
          });
        },
      });
      const backend = await startTestBackend({
        features: [
          testPlugin,
          mockServices.database.factory({ knex }),
          mockServices.scheduler.factory({ skipTaskRunOnStartup: true }),
          // plat-lead is a member of platform-team, the owner of every check of the standard.
          mockServices.userInfo.mock({
            async getUserInfo(credentials) {
              const user = (credentials.principal as { userEntityRef: string })
                .userEntityRef;
              return {
                userEntityRef: user,
                ownershipEntityRefs:
                  user === 'user:default/plat-lead'
                    ? [user, 'group:default/platform-team']
                    : [user],
              };
            },
          }).factory,
          // Requests without a token are unauthenticated (the default would be a mock user).
          mockServices.httpAuth.factory({
            defaultCredentials: mockCredentials.none(),
          }),
          mockServices.rootConfig.factory({
            data: { scorecards: { standardFile: STANDARD } },
          }),
        ],
      });
      server = backend.server;
      stop = () => backend.stop();
    });

    afterAll(async () => {
      await stop?.();
    });

    const api = (p: string) => `/api/scorecards${p}`;
    const waiverBody = (over: Record<string, unknown> = {}) => ({
      entityRef: SVC,
      checkId: 'branch-protection',
      kind: 'exception',
      reason: 'Repository is moving to the new host this sprint.',
      expiresAt: new Date(Date.parse(T) + 10 * DAY).toISOString(),
      ...over,
    });

    it('refuses calls without credentials (401)', async () => {
      const res = await request(server).get(
        api(`/entities/component/default/checkout-service`),
      );
      expect(res.status).toBe(401);
      const invalid = await request(server)
        .get(api('/rollups'))
        .set('authorization', mockCredentials.user.invalidHeader());
      expect(invalid.status).toBe(401);
      expect((await request(server).get(api('/waivers'))).status).toBe(401);
      expect(
        (await request(server).post(api('/waivers')).send(waiverBody())).status,
      ).toBe(401);
    });

    it('returns the scorecard of an entity with results and fixes, evaluated on request', async () => {
      const res = await request(server)
        .get(api('/entities/component/default/checkout-service'))
        .set('authorization', ana);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        entityRef: SVC,
        scored: true,
        standard: { id: 'small', version: 3 },
        level: 'L1',
        nextLevel: 'L2',
      });
      const bp = res.body.results.find(
        (r: any) => r.checkId === 'branch-protection',
      );
      expect(bp).toMatchObject({
        state: 'fail',
        fix: { summary: 'Protect the default branch.' },
      });
      expect(res.body.trend).toHaveLength(90);
    });

    it('answers { scored: false } for a Group and 404 for an unknown entity', async () => {
      const group = await request(server)
        .get(api('/entities/group/default/checkout-team'))
        .set('authorization', ana);
      expect(group.body).toEqual({
        entityRef: 'group:default/checkout-team',
        scored: false,
      });
      const missing = await request(server)
        .get(api('/entities/component/default/nope'))
        .set('authorization', ana);
      expect(missing.status).toBe(404);
    });

    it.each([
      [
        { entityRef: 'component:checkout' },
        'entityRef "component:checkout" is not a full ref (kind:namespace/name)',
      ],
      [
        { kind: 'vacation' },
        'kind must be one of exception, platform-blocked, decommissioning, frozen, false-positive (got "vacation")',
      ],
      [{ expiresAt: undefined }, 'expiresAt is required'],
      [
        { expiresAt: 'tomorrow' },
        'expiresAt must be an ISO-8601 UTC timestamp (got "tomorrow")',
      ],
      [
        { reason: 'too short' },
        'reason must be at least 20 characters (got 9)',
      ],
      [{ checkId: 'owner-resolves' }, 'check owner-resolves cannot be waived'],
      [
        { expiresAt: new Date(Date.parse(T) + 120 * DAY).toISOString() },
        'expiresAt must be at most 90 days after now for check branch-protection (got 120 days)',
      ],
    ])('POST /waivers %j → 400 naming the field', async (over, message) => {
      const res = await request(server)
        .post(api('/waivers'))
        .set('authorization', ana)
        .send(waiverBody(over));
      expect(res.status).toBe(400);
      expect(res.body.error.message).toBe(message);
    });

    it('POST /waivers without scorecards.waiver.create on the entity → 403', async () => {
      const res = await request(server)
        .post(api('/waivers'))
        .set('authorization', mallory)
        .send(waiverBody());
      expect(res.status).toBe(403);
    });

    it('waiver lifecycle: request, 409 duplicate, approval rules, counting until expiry', async () => {
      const created = await request(server)
        .post(api('/waivers'))
        .set('authorization', ana)
        .send(waiverBody());
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        status: 'pending',
        requestedBy: 'user:default/ana',
        owner: 'group:default/checkout-team',
      });
      const id = created.body.id;

      const duplicate = await request(server)
        .post(api('/waivers'))
        .set('authorization', ben)
        .send(waiverBody());
      expect(duplicate.status).toBe(409);
      expect(duplicate.body.error.message).toContain(id);

      // The check is owned by platform-team: ben (checkout-team) is refused by the condition.
      const refused = await request(server)
        .post(api(`/waivers/${id}/approve`))
        .set('authorization', ben);
      expect(refused.status).toBe(403);

      // A pending waiver does not count.
      const pending = await request(server)
        .get(api('/entities/component/default/checkout-service'))
        .set('authorization', ana);
      expect(pending.body.level).toBe('L1');

      // plat-lead belongs to the check's owner group: the condition allows.
      const approved = await request(server)
        .post(api(`/waivers/${id}/approve`))
        .set('authorization', plat);
      expect(approved.status).toBe(200);
      expect(approved.body).toMatchObject({
        status: 'active',
        approvedBy: 'user:default/plat-lead',
      });
      const twice = await request(server)
        .post(api(`/waivers/${id}/approve`))
        .set('authorization', plat);
      expect(twice.status).toBe(409);
    });

    it('stops counting a waiver at its expiry; revoked waivers never count', async () => {
      const nowMs = Date.parse(T);
      // Insert an active waiver directly: approvals by owner members are covered above.
      await handles.store.insertWaiver({
        id: 'w-expiring',
        entityRef: SVC,
        checkId: 'tier-declared',
        kind: 'exception',
        reason: 'x'.repeat(20),
        owner: 'group:default/checkout-team',
        requestedBy: 'user:default/ana',
        approvedBy: 'user:default/plat-lead',
        createdAt: T,
        approvedAt: T,
        expiresAt: new Date(nowMs + DAY).toISOString(),
        status: 'active',
      });
      await handles.store.updateWaiver('w-expiring', ['active'], {
        status: 'revoked',
        revoked_at: T,
      });
      const pendingId = (
        await request(server)
          .get(api(`/waivers?entityRef=${SVC}&status=active`))
          .set('authorization', ana)
      ).body.items[0].id;

      const waived = await request(server)
        .get(api('/entities/component/default/checkout-service'))
        .set('authorization', ana);
      const bp = waived.body.results.find(
        (r: any) => r.checkId === 'branch-protection',
      );
      expect(bp.state).toBe('waived');
      expect(waived.body.level).toBe('L2');

      clock.now = new Date(nowMs + 10 * DAY); // exactly expiresAt: no longer counts (exclusive)
      evidenceState.observedAt = clock.now.toISOString(); // keep the evidence fresh
      await handles.snapshot.refresh(); // and the catalog snapshot (stale after 10 min)
      const expired = await request(server)
        .get(api('/entities/component/default/checkout-service'))
        .set('authorization', ana);
      const after = expired.body.results.find(
        (r: any) => r.checkId === 'branch-protection',
      );
      expect(after.state).toBe('fail');
      expect(after.notes).toContain('WAIVER_EXPIRED');
      expect(expired.body.level).toBe('L1');

      const listed = await request(server)
        .get(api(`/waivers?status=expired`))
        .set('authorization', ana);
      expect(listed.body.items.map((w: any) => w.id)).toContain(pendingId);
    });

    afterEach(async () => {
      clock.now = new Date(T);
      evidenceState.observedAt = T;
      await handles.snapshot.refresh();
    });

    it('approving one’s own request → 403; revoke needs scorecards.waiver.revoke and is idempotent', async () => {
      const created = await request(server)
        .post(api('/waivers'))
        .set('authorization', plat)
        .send(waiverBody({ checkId: 'tier-declared' }));
      expect(created.status).toBe(201);
      const id = created.body.id;
      const own = await request(server)
        .post(api(`/waivers/${id}/approve`))
        .set('authorization', plat);
      expect(own.status).toBe(403);
      expect(own.body.error.message).toBe(
        'approver must differ from requester',
      );
      expect(
        (
          await request(server)
            .post(api(`/waivers/${id}/revoke`))
            .set('authorization', mallory)
        ).status,
      ).toBe(403);
      const revoked = await request(server)
        .post(api(`/waivers/${id}/revoke`))
        .set('authorization', ana);
      expect(revoked.status).toBe(200);
      expect(revoked.body.status).toBe('revoked');
      const again = await request(server)
        .post(api(`/waivers/${id}/revoke`))
        .set('authorization', ana);
      expect(again.status).toBe(200);
      expect(again.body.revokedAt).toBe(revoked.body.revokedAt);
    });

    it('writes history only when a result changes', async () => {
      const count = async () =>
        (await handles.store.listTransitions({ entityRef: SVC })).length;
      // Clean waivers out of the way so the level follows evidence only.
      for (const w of await handles.store.listWaivers({ entityRef: SVC }))
        await handles.store.updateWaiver(w.id, ['pending', 'active'], {
          status: 'revoked',
          revoked_at: T,
        });
      evidenceState.protected = false;
      const first = await handles.evaluator.runPass(T);
      expect(first).toMatchObject({ evaluated: 2, transitions: 0 });
      expect(await count()).toBe(0);
      const second = await handles.evaluator.runPass(T);
      expect(second).toMatchObject({ changed: 0, transitions: 0 });
      evidenceState.protected = true;
      const third = await handles.evaluator.runPass(T);
      expect(third).toMatchObject({ changed: 1, transitions: 2 });
      const rows = await handles.store.listTransitions({ entityRef: SVC });
      expect(rows).toEqual([
        expect.objectContaining({
          checkId: 'branch-protection',
          from: 'fail',
          to: 'pass',
          cause: 'evidence-changed',
        }),
        expect.objectContaining({ checkId: null, from: 'L1', to: 'L2' }),
      ]);
      expect((await handles.evaluator.runPass(T)).transitions).toBe(0);
      expect(await count()).toBe(2);
      const history = await request(server)
        .get(
          api(
            '/entities/component/default/checkout-service/history?checkId=branch-protection',
          ),
        )
        .set('authorization', ana);
      expect(history.status).toBe(200);
      expect(history.body.transitions).toHaveLength(1);
      const bad = await request(server)
        .get(
          api(
            '/entities/component/default/checkout-service/history?from=yesterday',
          ),
        )
        .set('authorization', ana);
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toBe(
        'from must be an ISO-8601 UTC timestamp (got "yesterday")',
      );
    });

    it('rollups by owner as JSON and CSV with the same numbers', async () => {
      const json = await request(server)
        .get(api('/rollups?groupBy=owner'))
        .set('authorization', ana);
      expect(json.status).toBe(200);
      const row = json.body.items.find(
        (r: any) => r.key === 'group:default/checkout-team',
      );
      expect(row).toMatchObject({ entities: 2, byLevel: { L0: 1, L2: 1 } });
      const csv = await request(server)
        .get(api('/rollups?groupBy=owner&format=csv'))
        .set('authorization', ana);
      expect(csv.headers['content-type']).toContain('text/csv');
      const lines = csv.text.trim().split('\n');
      expect(lines[0]).toBe(
        'key,kind,entities,L0,L1,L2,L3,none,not_rated,at_or_above_expected,below_expected,failing_service_owned,platform_blocked,unknown,waivers_active,waivers_expiring_14d,regressions_7d',
      );
      expect(
        lines.find(l => l.startsWith('group:default/checkout-team')),
      ).toMatch(/^group:default\/checkout-team,owner,2,1,0,1,0,0,0,/);
      const bad = await request(server)
        .get(api('/rollups?groupBy=team'))
        .set('authorization', ana);
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toBe(
        'groupBy must be one of owner, system, domain (got "team")',
      );
    });

    it('campaigns: write needs scorecards.campaign.manage, POST is idempotent by id, progress per campaign', async () => {
      const body = {
        id: 'l2-by-q2',
        title: 'Everything at L2',
        owner: 'group:default/checkout-team',
        selector: { kinds: ['Component'] },
        goal: { level: 'L2' },
        startsAt: T,
        dueAt: '2026-06-30T00:00:00Z',
      };
      expect(
        (
          await request(server)
            .post(api('/campaigns'))
            .set('authorization', mallory)
            .send(body)
        ).status,
      ).toBe(403);
      const bad = await request(server)
        .post(api('/campaigns'))
        .set('authorization', ana)
        .send({ ...body, goal: { level: 'L7' } });
      expect(bad.status).toBe(400);
      const created = await request(server)
        .post(api('/campaigns'))
        .set('authorization', ana)
        .send(body);
      expect(created.status).toBe(201);
      expect(created.body.progress.totals).toMatchObject({
        inScope: 1,
        done: 1,
      });
      const again = await request(server)
        .post(api('/campaigns'))
        .set('authorization', ana)
        .send(body);
      expect(again.status).toBe(200);
      const conflict = await request(server)
        .post(api('/campaigns'))
        .set('authorization', ana)
        .send({ ...body, title: 'Other' });
      expect(conflict.status).toBe(409);
      const got = await request(server)
        .get(api('/campaigns/l2-by-q2'))
        .set('authorization', mallory);
      expect(got.status).toBe(200);
      expect(got.body.progress.campaignId).toBe('l2-by-q2');
    });
  },
);
