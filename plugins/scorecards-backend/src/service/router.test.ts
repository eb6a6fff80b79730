import { PermissionsService } from '@backstage/backend-plugin-api';
import {
  TestDatabases,
  mockCredentials,
  mockServices,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type {
  EntityEvidence,
  EvidenceService,
} from '@internal/plugin-evidence-node';
import path from 'node:path';
import type { Knex } from 'knex';
import request from 'supertest';
import { recordingAuditor } from '../__testUtils__/recordingAuditor';
import { startScorecardsTestBackend } from '../__testUtils__/startScorecardsTestBackend';
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
const eve = mockCredentials.user.header('user:default/eve');
const admin = mockCredentials.user.header('user:default/admin');
const vic = mockCredentials.user.header('user:default/vic');

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
 * Permission policy of the tests: mallory may do nothing but read; eve may read no entity of
 * the catalog; only members of the
 * platform team (plat-lead) approve required checks, via a conditional decision; admin gets an
 * unconditional ALLOW on approvals (and is in no group); vic gets one too but, like eve, may
 * read no entity.
 */
const permissions: PermissionsService = {
  async authorize(requests, { credentials }) {
    const user = (credentials.principal as { userEntityRef?: string })
      .userEntityRef;
    return requests.map(r => ({
      result:
        (user === 'user:default/mallory' &&
          r.permission.name !== 'catalog.entity.read') ||
        ((user === 'user:default/eve' || user === 'user:default/vic') &&
          r.permission.name === 'catalog.entity.read')
          ? AuthorizeResult.DENY
          : AuthorizeResult.ALLOW,
    }));
  },
  async authorizeConditional(requests, { credentials }) {
    const user = (credentials.principal as { userEntityRef?: string })
      .userEntityRef;
    if (user === 'user:default/admin' || user === 'user:default/vic')
      return requests.map(() => ({ result: AuthorizeResult.ALLOW }));
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
    const audit = recordingAuditor();
    const logger = mockServices.logger.mock();
    let server: any;
    let stop: () => Promise<void>;
    let handles: Awaited<ReturnType<typeof initScorecards>>;
    let knex: Knex;

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      ({ server, stop, handles } = await startScorecardsTestBackend({
        knex,
        services: {
          permissions,
          auditor: audit.auditor,
          catalog: catalogServiceMock({ entities }),
          evidence: evidenceFor(evidenceState),
        },
        clock: () => clock.now,
        scorecards: { standardFile: STANDARD },
        features: [
          logger.factory,
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
        ],
      }));
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
      // Evaluated for the first time now: the days before have no level, not today's.
      expect(res.body.trend.slice(-2)).toEqual([
        { date: '2026-03-13', level: 'not-rated' },
        { date: '2026-03-14', level: 'L1' },
      ]);
      // Which sources the results relied on, with their health (§7.4 evidenceHealth).
      const repo = res.body.evidenceHealth.find((h: any) =>
        h.usedBy.includes('branch-protection'),
      );
      expect(repo).toMatchObject({ status: expect.any(String) });
      expect(res.body.campaigns).toEqual([]);
    });

    it("reads the transitions of the card's 90 days, not every row kept", async () => {
      const read = jest.spyOn(handles.store, 'listTransitions');
      try {
        const res = await request(server)
          .get(api('/entities/component/default/checkout-service'))
          .set('authorization', ana);
        expect(res.status).toBe(200);
        expect(res.body.trend).toHaveLength(90);
        const query = read.mock.calls.find(c => c[0].entityRef === SVC)![0];
        expect(Date.parse(query.from!)).toBeGreaterThanOrEqual(
          Date.parse(T) - 92 * 86400_000,
        );
      } finally {
        read.mockRestore();
      }
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
      // a day that does not exist was stored as the next month's
      [
        { expiresAt: '2026-04-31T00:00:00Z' },
        'expiresAt must be an ISO-8601 UTC timestamp (got "2026-04-31T00:00:00Z")',
      ],
      [{ entityRef: 123 }, 'entityRef must be a string (got 123)'],
      [
        { reason: `Moving hosts. ${'x'.repeat(2000)}` },
        'reason must be at most 2000 characters',
      ],
      // longer than the owner column (a 500 on PostgreSQL before)
      [
        { owner: `group:default/${'x'.repeat(400)}` },
        'owner must be at most 320 characters',
      ],
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

    it.each([
      [
        '/entities/component/default/x/history?from=2026-03-14T03:00:00Z&to=2026-03-13T00:00:00Z',
        'from must not be after to (got from=2026-03-14T03:00:00.000Z, to=2026-03-13T00:00:00.000Z)',
      ],
      [
        '/waivers?entityRef=a&entityRef=b',
        'entityRef must be given once (got 2 values)',
      ],
      [
        '/rollups?groupby=system',
        'unknown query parameter groupby; use one of groupBy, format, fields, includeChildGroups, kind, lifecycle, tier, level, check, campaign',
      ],
      [
        '/rollups/history?groupBy=owner&key=group:default/x&to=%2B275760-09-13T00:00:00Z',
        'to must be a date YYYY-MM-DD or an ISO-8601 UTC timestamp (got "+275760-09-13T00:00:00Z")',
      ],
      [
        '/rollups/history?groupBy=owner&key=group:default/x&from=2026-02-31',
        'from must be a date YYYY-MM-DD or an ISO-8601 UTC timestamp (got "2026-02-31")',
      ],
      [
        '/entities/component/default/%E0%A4%A',
        'a path parameter is not valid percent-encoding (/entities/component/default/%E0%A4%A); encode it with encodeURIComponent',
      ],
    ])('GET %s → 400 naming the parameter', async (route, message) => {
      const res = await request(server)
        .get(api(route))
        .set('authorization', ana);
      expect({ status: res.status, message: res.body.error?.message }).toEqual({
        status: 400,
        message,
      });
    });

    it('POST /campaigns refuses a selector kind that is never scored', async () => {
      const res = await request(server)
        .post(api('/campaigns'))
        .set('authorization', ana)
        .send({
          title: 'Typo',
          owner: 'group:default/platform-team',
          selector: { kinds: ['Compnent'] },
          goal: { level: 'L1' },
          startsAt: T,
          dueAt: new Date(Date.parse(T) + 30 * DAY).toISOString(),
        });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toBe(
        'selector.kinds[] must be one of Component, Resource, API, System (got "Compnent")',
      );
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
      // The same approval again (a retry whose answer was lost) answers the waiver as it is;
      // another decision on it is a conflict.
      const twice = await request(server)
        .post(api(`/waivers/${id}/approve`))
        .set('authorization', plat);
      expect(twice.status).toBe(200);
      expect(twice.body).toEqual(approved.body);
      const rejected = await request(server)
        .post(api(`/waivers/${id}/reject`))
        .set('authorization', plat)
        .send({ reason: 'Changed my mind after the review.' });
      expect(rejected.status).toBe(409);
      expect(rejected.body.error.message).toBe(
        `waiver ${id} is active, not pending`,
      );
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
            .send({ reason: 'Requested on the wrong check.' })
        ).status,
      ).toBe(403);
      const revoked = await request(server)
        .post(api(`/waivers/${id}/revoke`))
        .set('authorization', ana)
        .send({ reason: 'Requested on the wrong check.' });
      expect(revoked.status).toBe(200);
      expect(revoked.body.status).toBe('revoked');
      const again = await request(server)
        .post(api(`/waivers/${id}/revoke`))
        .set('authorization', ana)
        .send({ reason: 'Requested on the wrong check.' });
      expect(again.status).toBe(200);
      expect(again.body.revokedAt).toBe(revoked.body.revokedAt);
    });

    // ---- decision reasons, revoker and audit (§2.8, §7.4) ----

    const OTHER = 'component:default/legacy-billing';
    /** A pending waiver requested by ana on OTHER, inserted directly (requests are covered above). */
    async function pendingWaiver(
      id: string,
      checkId = 'tier-declared',
      requestedBy = 'user:default/ana',
    ) {
      await handles.store.insertWaiver({
        id,
        entityRef: OTHER,
        checkId,
        kind: 'exception',
        reason: 'Billing is being folded into payments this quarter.',
        owner: 'group:default/checkout-team',
        requestedBy,
        createdAt: T,
        expiresAt: new Date(Date.parse(T) + 30 * DAY).toISOString(),
        status: 'pending',
      });
    }
    const listed = async (id: string) =>
      (
        await request(server)
          .get(api(`/waivers?entityRef=${OTHER}`))
          .set('authorization', mallory)
      ).body.items.find((w: any) => w.id === id);
    const eventsOf = (eventId: string) =>
      audit.events.filter(e => e.options.eventId === eventId);

    it.each([
      [
        'reject',
        'no body',
        undefined,
        'reason is required to reject a waiver: say why it is rejected (10 to 1000 characters)',
      ],
      [
        'reject',
        'a reason of 7 characters after trimming',
        { reason: '   no plan   ' },
        'reason must be at least 10 characters after trimming (got 7)',
      ],
      [
        'revoke',
        'no reason',
        {},
        'reason is required to revoke a waiver: say why it is revoked (10 to 1000 characters)',
      ],
      [
        'revoke',
        'a reason of 1001 characters',
        { reason: 'x'.repeat(1001) },
        'reason must be at most 1000 characters after trimming (got 1001)',
      ],
      [
        'revoke',
        'a number as reason',
        { reason: 42 },
        'reason must be a string (got number)',
      ],
      [
        'revoke',
        'an array body',
        ['Decided in the review'],
        'body must be a JSON object such as {"reason": "…"} (got an array)',
      ],
      [
        'approve',
        'a (optional) reason that is too short',
        { reason: 'ok' },
        'reason must be at least 10 characters after trimming (got 2)',
      ],
    ])(
      'POST /waivers/:id/%s with %s → 400 naming reason; nothing changes',
      async (action, _label, body, message) => {
        const id = `w-bad-${action}-${Math.random().toString(36).slice(2, 8)}`;
        await pendingWaiver(id, 'branch-protection');
        audit.events.length = 0;
        const call = request(server)
          .post(api(`/waivers/${id}/${action}`))
          .set('authorization', plat);
        const res = body === undefined ? await call : await call.send(body);
        expect(res.status).toBe(400);
        expect(res.body.error).toEqual({ name: 'InputError', message });
        const stored = await listed(id);
        expect(stored.status).toBe('pending');
        expect(stored.decisionReason).toBeUndefined();
        // A malformed request decides nothing: no audit event.
        expect(audit.events).toEqual([]);
        await handles.store.updateWaiver(id, ['pending'], {
          status: 'revoked',
          revoked_at: T,
        });
      },
    );

    it('reject stores the trimmed reason and who decided; GET /waivers returns it; audited', async () => {
      await pendingWaiver('w-reject');
      audit.events.length = 0;
      const res = await request(server)
        .post(api('/waivers/w-reject/reject'))
        .set('authorization', plat)
        .send({ reason: '  Fold the check into the payments migration.  ' });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        status: 'rejected',
        approvedBy: 'user:default/plat-lead',
        decisionReason: 'Fold the check into the payments migration.',
      });
      expect(res.body.revokedBy).toBeUndefined();
      expect(await listed('w-reject')).toMatchObject({
        status: 'rejected',
        approvedBy: 'user:default/plat-lead',
        decisionReason: 'Fold the check into the payments migration.',
      });
      expect(eventsOf('waiver-reject')).toEqual([
        expect.objectContaining({
          options: expect.objectContaining({
            severityLevel: 'medium',
            meta: {
              waiverId: 'w-reject',
              entityRef: OTHER,
              checkId: 'tier-declared',
              kind: 'exception',
              decision: 'reject',
              reason: 'Fold the check into the payments migration.',
              by: 'user:default/plat-lead',
              fromStatus: 'pending',
            },
          }),
          outcome: 'success',
          outcomeMeta: { status: 'rejected' },
        }),
      ]);
      // No token or header ever reaches the audit meta.
      expect(JSON.stringify(audit.events.map(e => e.options.meta))).not.toMatch(
        /authorization|bearer|token/i,
      );
    });

    it('decisions and revokes answer a caller who may not read the entity only what names the waiver', async () => {
      const ticket = 'https://tickets.example.com/BILL-7';
      await pendingWaiver('w-unreadable-approve');
      await pendingWaiver('w-unreadable-reject', 'branch-protection');
      await handles.store.insertWaiver({
        ...(await handles.store.getWaiver('w-unreadable-reject'))!,
        id: 'w-unreadable-ticket',
        checkId: 'owner-resolves',
        ticket,
      });
      const decide = (id: string, action: string, who: string) =>
        request(server)
          .post(api(`/waivers/${id}/${action}`))
          .set('authorization', who)
          .send({ reason: 'Decided in the weekly waiver review.' });
      // vic holds scorecards.waiver.approve and .revoke but not catalog.entity.read on OTHER:
      // GET /waivers lists none of its waivers to vic, and no decision answer tells more.
      const listedToVic = await request(server)
        .get(api('/waivers'))
        .set('authorization', vic);
      expect(listedToVic.body.items).toEqual([]);
      const answers = {
        approved: await decide('w-unreadable-approve', 'approve', vic),
        rejected: await decide('w-unreadable-reject', 'reject', vic),
        retried: await decide('w-unreadable-reject', 'reject', vic),
        revoked: await decide('w-unreadable-approve', 'revoke', vic),
        revokedWithTicket: await decide('w-unreadable-ticket', 'revoke', vic),
      };
      expect(
        Object.fromEntries(
          Object.entries(answers).map(([k, r]) => [k, [r.status, r.body]]),
        ),
      ).toEqual({
        approved: [
          200,
          {
            id: 'w-unreadable-approve',
            checkId: 'tier-declared',
            kind: 'exception',
            status: 'active',
            restricted: true,
          },
        ],
        rejected: [
          200,
          {
            id: 'w-unreadable-reject',
            checkId: 'branch-protection',
            kind: 'exception',
            status: 'rejected',
            restricted: true,
          },
        ],
        retried: [
          200,
          {
            id: 'w-unreadable-reject',
            checkId: 'branch-protection',
            kind: 'exception',
            status: 'rejected',
            restricted: true,
          },
        ],
        revoked: [
          200,
          {
            id: 'w-unreadable-approve',
            checkId: 'tier-declared',
            kind: 'exception',
            status: 'revoked',
            restricted: true,
          },
        ],
        revokedWithTicket: [
          200,
          {
            id: 'w-unreadable-ticket',
            checkId: 'owner-resolves',
            kind: 'exception',
            status: 'revoked',
            restricted: true,
          },
        ],
      });
      // The decisions were made and are stored in full; a reader sees them.
      expect(await listed('w-unreadable-reject')).toMatchObject({
        status: 'rejected',
        approvedBy: 'user:default/vic',
        decisionReason: 'Decided in the weekly waiver review.',
      });
      expect(await listed('w-unreadable-ticket')).toMatchObject({
        status: 'revoked',
        revokedBy: 'user:default/vic',
        ticket,
      });
      // A caller who may read the entity still gets the whole waiver.
      await pendingWaiver('w-readable-approve');
      const byAdmin = await decide('w-readable-approve', 'approve', admin);
      expect(byAdmin.body).toMatchObject({
        entityRef: OTHER,
        reason: 'Billing is being folded into payments this quarter.',
        approvedBy: 'user:default/admin',
        status: 'active',
      });
      expect(byAdmin.body).not.toHaveProperty('restricted');
      await decide('w-readable-approve', 'revoke', admin);
    });

    it('approve takes an optional reason; revoke stores its reason and revokedBy; a second revoke keeps the first', async () => {
      await pendingWaiver('w-revoke');
      audit.events.length = 0;
      const approved = await request(server)
        .post(api('/waivers/w-revoke/approve'))
        .set('authorization', plat)
        .send({ reason: 'Migration date agreed in the review.' });
      expect(approved.status).toBe(200);
      expect(approved.body).toMatchObject({
        status: 'active',
        approvedBy: 'user:default/plat-lead',
        decisionReason: 'Migration date agreed in the review.',
      });
      const revoked = await request(server)
        .post(api('/waivers/w-revoke/revoke'))
        .set('authorization', ben)
        .send({ reason: 'Migration cancelled; fix the check instead.' });
      expect(revoked.status).toBe(200);
      expect(revoked.body).toMatchObject({
        status: 'revoked',
        revokedAt: T,
        revokedBy: 'user:default/ben',
        approvedBy: 'user:default/plat-lead',
        decisionReason: 'Migration cancelled; fix the check instead.',
      });

      const again = await request(server)
        .post(api('/waivers/w-revoke/revoke'))
        .set('authorization', ana)
        .send({ reason: 'Revoking again, with another reason.' });
      expect(again.status).toBe(200);
      expect(again.body).toEqual(revoked.body);
      expect(await listed('w-revoke')).toMatchObject({
        status: 'revoked',
        revokedBy: 'user:default/ben',
        decisionReason: 'Migration cancelled; fix the check instead.',
      });

      expect(
        audit.events.map(e => [
          e.options.eventId,
          e.options.severityLevel,
          e.options.meta?.decision,
          e.options.meta?.reason,
          e.options.meta?.by,
          e.outcome,
          e.outcomeMeta,
        ]),
      ).toEqual([
        [
          'waiver-approve',
          'high',
          'approve',
          'Migration date agreed in the review.',
          'user:default/plat-lead',
          'success',
          { status: 'active' },
        ],
        [
          'waiver-revoke',
          'medium',
          'revoke',
          'Migration cancelled; fix the check instead.',
          'user:default/ben',
          'success',
          { status: 'revoked' },
        ],
        [
          'waiver-revoke',
          'medium',
          'revoke',
          'Revoking again, with another reason.',
          'user:default/ana',
          'success',
          { status: 'revoked', unchanged: true },
        ],
      ]);
      expect(eventsOf('waiver-revoke')[0].options.meta).toMatchObject({
        waiverId: 'w-revoke',
        entityRef: OTHER,
        checkId: 'tier-declared',
        kind: 'exception',
        fromStatus: 'active',
      });
    });

    // ---- withdrawing one's own request (README: beyond §7.4) ----

    it('the requester withdraws their own pending request without scorecards.waiver.revoke; audited as withdrawn', async () => {
      // mallory holds no scorecards permission; her ref is stored in another case
      await pendingWaiver(
        'w-withdraw',
        'tier-declared',
        'user:default/Mallory',
      );
      audit.events.length = 0;
      const withdraw = (body: object) =>
        request(server)
          .post(api('/waivers/w-withdraw/revoke'))
          .set('authorization', mallory)
          .send(body);
      // the reason is required as for any revoke
      const noReason = await withdraw({});
      expect(noReason.status).toBe(400);
      expect(noReason.body.error.message).toBe(
        'reason is required to revoke a waiver: say why it is revoked (10 to 1000 characters)',
      );
      const withdrawn = await withdraw({
        reason: '  Requested on the wrong check.  ',
      });
      expect(withdrawn.status).toBe(200);
      expect(withdrawn.body).toMatchObject({
        id: 'w-withdraw',
        status: 'revoked',
        revokedAt: T,
        revokedBy: 'user:default/mallory',
        decisionReason: 'Requested on the wrong check.',
      });
      expect(withdrawn.body.approvedBy).toBeUndefined();
      // a retry (the first answer lost) is answered as it stands
      const again = await withdraw({ reason: 'Withdrawing it once more.' });
      expect(again.status).toBe(200);
      expect(again.body).toEqual(withdrawn.body);
      expect(await listed('w-withdraw')).toMatchObject({
        status: 'revoked',
        revokedBy: 'user:default/mallory',
      });
      expect(
        eventsOf('waiver-revoke').map(e => [
          e.options.meta,
          e.outcome,
          e.outcomeMeta,
        ]),
      ).toEqual([
        [
          {
            waiverId: 'w-withdraw',
            entityRef: OTHER,
            checkId: 'tier-declared',
            kind: 'exception',
            decision: 'revoke',
            reason: 'Requested on the wrong check.',
            by: 'user:default/mallory',
            fromStatus: 'pending',
            withdrawn: true,
          },
          'success',
          { status: 'revoked' },
        ],
        [
          expect.objectContaining({
            reason: 'Withdrawing it once more.',
            fromStatus: 'revoked',
            withdrawn: true,
          }),
          'success',
          { status: 'revoked', unchanged: true },
        ],
      ]);
    });

    it('the requester may not revoke their own approved waiver without scorecards.waiver.revoke (403), nor withdraw one approved meanwhile (409)', async () => {
      await pendingWaiver(
        'w-withdraw-active',
        'tier-declared',
        'user:default/mallory',
      );
      const approved = await request(server)
        .post(api('/waivers/w-withdraw-active/approve'))
        .set('authorization', plat);
      expect(approved.body.status).toBe('active');
      audit.events.length = 0;
      const denied = await request(server)
        .post(api('/waivers/w-withdraw-active/revoke'))
        .set('authorization', mallory)
        .send({ reason: 'I no longer need this waiver.' });
      expect(denied.status).toBe(403);
      expect(denied.body.error.message).toBe(
        'scorecards.waiver.revoke is not allowed',
      );
      expect(await listed('w-withdraw-active')).toMatchObject({
        status: 'active',
      });
      // an approved waiver's revoke is no withdrawal, even by its requester
      expect(eventsOf('waiver-revoke')[0].options.meta).not.toHaveProperty(
        'withdrawn',
      );

      // Read as pending, approved before the update: only a pending waiver is withdrawn.
      const stored = (await handles.store.getWaiver('w-withdraw-active'))!;
      const read = jest
        .spyOn(handles.store, 'getWaiver')
        .mockResolvedValueOnce({
          ...stored,
          status: 'pending',
          approvedBy: undefined,
          approvedAt: undefined,
        });
      try {
        const raced = await request(server)
          .post(api('/waivers/w-withdraw-active/revoke'))
          .set('authorization', mallory)
          .send({ reason: 'I no longer need this waiver.' });
        expect(raced.status).toBe(409);
        expect(raced.body.error.message).toBe(
          'waiver w-withdraw-active was approved meanwhile and now counts: a withdrawal ends only a pending request; revoking it needs scorecards.waiver.revoke',
        );
      } finally {
        read.mockRestore();
      }
      expect(await listed('w-withdraw-active')).toMatchObject({
        status: 'active',
      });
      await request(server)
        .post(api('/waivers/w-withdraw-active/revoke'))
        .set('authorization', plat)
        .send({ reason: 'Test cleanup of the approved waiver.' });
    });

    it("another user without scorecards.waiver.revoke may not revoke someone else's pending request (403)", async () => {
      await pendingWaiver('w-not-mine', 'branch-protection');
      const denied = await request(server)
        .post(api('/waivers/w-not-mine/revoke'))
        .set('authorization', mallory)
        .send({ reason: 'Requested on the wrong check.' });
      expect(denied.status).toBe(403);
      expect(denied.body.error.message).toBe(
        'scorecards.waiver.revoke is not allowed',
      );
      expect(await listed('w-not-mine')).toMatchObject({ status: 'pending' });
      // its requester withdraws it
      const withdrawn = await request(server)
        .post(api('/waivers/w-not-mine/revoke'))
        .set('authorization', ana)
        .send({ reason: 'Requested on the wrong check.' });
      expect(withdrawn.body).toMatchObject({
        status: 'revoked',
        revokedBy: 'user:default/ana',
      });
    });

    it("a request someone else ended (revoked or rejected) is not the requester's to answer for without the permission (403), nor audited as withdrawn", async () => {
      await pendingWaiver(
        'w-ended-revoked',
        'tier-declared',
        'user:default/mallory',
      );
      await pendingWaiver(
        'w-ended-rejected',
        'branch-protection',
        'user:default/mallory',
      );
      const byPlat = await request(server)
        .post(api('/waivers/w-ended-revoked/revoke'))
        .set('authorization', plat)
        .send({ reason: 'Closed by the platform team.' });
      expect(byPlat.body.status).toBe('revoked');
      const rejected = await request(server)
        .post(api('/waivers/w-ended-rejected/reject'))
        .set('authorization', plat)
        .send({ reason: 'Not a case for a waiver.' });
      expect(rejected.body.status).toBe('rejected');
      audit.events.length = 0;
      for (const id of ['w-ended-revoked', 'w-ended-rejected']) {
        const res = await request(server)
          .post(api(`/waivers/${id}/revoke`))
          .set('authorization', mallory)
          .send({ reason: 'Requested on the wrong check.' });
        expect(res.status).toBe(403);
      }
      expect(await listed('w-ended-revoked')).toMatchObject({
        revokedBy: 'user:default/plat-lead',
        decisionReason: 'Closed by the platform team.',
      });
      for (const e of eventsOf('waiver-revoke')) {
        expect(e.outcome).toBe('fail');
        expect(e.options.meta).not.toHaveProperty('withdrawn');
      }
    });

    it('approve without a body still works (reason optional) and stores no reason', async () => {
      await pendingWaiver('w-approve-plain', 'branch-protection');
      const res = await request(server)
        .post(api('/waivers/w-approve-plain/approve'))
        .set('authorization', plat);
      expect(res.status).toBe(200);
      expect(res.body.status).toBe('active');
      expect(res.body.decisionReason).toBeUndefined();
      expect(eventsOf('waiver-approve').at(-1)?.options.meta?.reason).toBe(
        null,
      );
      await request(server)
        .post(api('/waivers/w-approve-plain/revoke'))
        .set('authorization', plat)
        .send({ reason: 'Test cleanup of the approved waiver.' });
    });

    it('audits waiver requests, and refused or conflicting decisions as failed events', async () => {
      audit.events.length = 0;
      const created = await request(server)
        .post(api('/waivers'))
        .set('authorization', ana)
        .send(waiverBody({ entityRef: SVC, checkId: 'tier-declared' }));
      expect(created.status).toBe(201);
      expect(eventsOf('waiver-create')).toEqual([
        expect.objectContaining({
          options: expect.objectContaining({
            severityLevel: 'medium',
            meta: {
              waiverId: created.body.id,
              entityRef: SVC,
              checkId: 'tier-declared',
              kind: 'exception',
              decision: 'request',
              reason: 'Repository is moving to the new host this sprint.',
              by: 'user:default/ana',
              expiresAt: created.body.expiresAt,
            },
          }),
          outcome: 'success',
        }),
      ]);
      const id = created.body.id;

      // mallory may not revoke; ben may not approve a check owned by platform-team; plat-lead
      // cannot approve what it rejected (a conflicting decision; a retried one is answered).
      const denied = await request(server)
        .post(api(`/waivers/${id}/revoke`))
        .set('authorization', mallory)
        .send({ reason: 'I do not like this waiver.' });
      expect(denied.status).toBe(403);
      const refused = await request(server)
        .post(api(`/waivers/${id}/approve`))
        .set('authorization', ben);
      expect(refused.status).toBe(403);
      expect(
        (
          await request(server)
            .post(api(`/waivers/${id}/reject`))
            .set('authorization', plat)
            .send({ reason: 'Tier must be declared before the release.' })
        ).status,
      ).toBe(200);
      const conflicting = await request(server)
        .post(api(`/waivers/${id}/approve`))
        .set('authorization', plat);
      expect(conflicting.status).toBe(409);
      const refusedCreate = await request(server)
        .post(api('/waivers'))
        .set('authorization', mallory)
        .send(waiverBody({ checkId: 'tier-declared' }));
      expect(refusedCreate.status).toBe(403);

      expect(
        audit.events
          .slice(1)
          .map(e => [
            e.options.eventId,
            e.options.meta?.by,
            e.outcome,
            e.error?.name,
            e.error?.message,
          ]),
      ).toEqual([
        [
          'waiver-revoke',
          'user:default/mallory',
          'fail',
          'NotAllowedError',
          'scorecards.waiver.revoke is not allowed',
        ],
        [
          'waiver-approve',
          'user:default/ben',
          'fail',
          'NotAllowedError',
          'scorecards.waiver.approve is not allowed on check tier-declared',
        ],
        [
          'waiver-reject',
          'user:default/plat-lead',
          'success',
          undefined,
          undefined,
        ],
        [
          'waiver-approve',
          'user:default/plat-lead',
          'fail',
          'ConflictError',
          `waiver ${id} is rejected, not pending`,
        ],
        [
          'waiver-create',
          'user:default/mallory',
          'fail',
          'NotAllowedError',
          `scorecards.waiver.create is not allowed on ${SVC}`,
        ],
      ]);
    });

    it('answers 404 for an unknown waiver id (reason checked first)', async () => {
      const res = await request(server)
        .post(api('/waivers/nope/revoke'))
        .set('authorization', ana)
        .send({ reason: 'Cleaning up stale waivers.' });
      expect(res.status).toBe(404);
      expect(res.body.error.message).toBe('waiver nope not found');
    });

    // ---- who sees waivers, one open waiver per (entity, check), lapsed requests (§2.8, §7.4) ----

    /** Revokes every pending or active waiver of an entity (and check) directly in the store. */
    async function closeOpen(entityRef: string, checkId?: string) {
      for (const w of await handles.store.listWaivers({
        entityRef,
        checkId,
        statuses: ['pending', 'active'],
      }))
        await handles.store.updateWaiver(w.id, ['pending', 'active'], {
          status: 'revoked',
          revoked_at: T,
        });
    }

    it('GET /waivers lists only waivers of entities the caller may read; an unreadable entityRef is 403', async () => {
      await closeOpen(SVC, 'tier-declared');
      const created = await request(server)
        .post(api('/waivers'))
        .set('authorization', ana)
        .send(
          waiverBody({
            checkId: 'tier-declared',
            reason: 'CONFIDENTIAL: vendor contract renegotiation blocks this.',
          }),
        );
      expect(created.status).toBe(201);
      // eve may not read the entity: its scorecard is 403 ...
      const card = await request(server)
        .get(api('/entities/component/default/checkout-service'))
        .set('authorization', eve);
      expect(card.status).toBe(403);
      // ... and the waiver list names none of its waivers, nor of any other entity
      const list = await request(server)
        .get(api('/waivers'))
        .set('authorization', eve);
      expect(list.status).toBe(200);
      // (the expiry warnings in effect are configuration, not entity data)
      expect(list.body).toEqual({
        items: [],
        waiverExpiryWarningDays: [14, 3],
      });
      const named = await request(server)
        .get(api(`/waivers?entityRef=${SVC}`))
        .set('authorization', eve);
      expect({
        status: named.status,
        message: named.body.error?.message,
      }).toEqual({
        status: 403,
        message: `catalog.entity.read is not allowed on ${SVC}`,
      });
      // who may read it sees it; so does a service principal (the catalog module's cache)
      for (const who of [ana, mockCredentials.service.header()]) {
        const seen = await request(server)
          .get(api(`/waivers?entityRef=${SVC}&checkId=tier-declared`))
          .set('authorization', who);
        expect(seen.body.items.map((w: any) => w.id)).toContain(
          created.body.id,
        );
      }
      await closeOpen(SVC, 'tier-declared');
    });

    it('concurrent identical POST /waivers create one pending waiver; the others are answered as retries with it', async () => {
      await closeOpen(SVC, 'tier-declared');
      const body = waiverBody({ checkId: 'tier-declared' });
      // Two replicas or a client retry racing: every request reads the waivers before any inserts.
      const store = handles.store as any;
      const listWaivers = store.listWaivers;
      store.listWaivers = async (q: any) => {
        const r = await listWaivers.call(store, q);
        await new Promise(res => setTimeout(res, 50));
        return r;
      };
      let answers;
      try {
        answers = await Promise.all(
          [0, 1, 2, 3].map(() =>
            request(server)
              .post(api('/waivers'))
              .set('authorization', ana)
              .send(body),
          ),
        );
      } finally {
        store.listWaivers = listWaivers;
      }
      const open = await handles.store.listWaivers({
        entityRef: SVC,
        checkId: 'tier-declared',
        statuses: ['pending', 'active'],
      });
      expect({
        statuses: answers.map(a => a.status).sort(),
        open: open.length,
      }).toEqual({ statuses: [200, 200, 200, 201], open: 1 });
      const created = answers.find(a => a.status === 201)!;
      expect(open[0].id).toBe(created.body.id);
      for (const a of answers.filter(x => x.status === 200)) {
        expect(a.body).toEqual(created.body);
      }
      await closeOpen(SVC, 'tier-declared');
    });

    it('a retried POST /waivers is answered 200 with the stored waiver, as it stands, and audited as unchanged; another request for the pair is 409 (SR16)', async () => {
      await closeOpen(SVC, 'tier-declared');
      const body = waiverBody({ checkId: 'tier-declared' });
      const post = (who: string, over: Record<string, unknown> = {}) =>
        request(server)
          .post(api('/waivers'))
          .set('authorization', who)
          .send({ ...body, ...over });
      const created = await post(ana);
      expect(created.status).toBe(201);
      audit.events.length = 0;

      const retry = await post(ana);
      expect({ status: retry.status, body: retry.body }).toEqual({
        status: 200,
        body: created.body,
      });
      expect(
        eventsOf('waiver-create').map(e => [e.outcome, e.outcomeMeta]),
      ).toEqual([
        [
          'success',
          expect.objectContaining({
            waiverId: created.body.id,
            status: 'pending',
            unchanged: true,
          }),
        ],
      ]);
      // Approved meanwhile: the retry answers the waiver as it stands now.
      expect(
        (
          await request(server)
            .post(api(`/waivers/${created.body.id}/approve`))
            .set('authorization', plat)
        ).status,
      ).toBe(200);
      const later = await post(ana);
      expect([later.status, later.body.id, later.body.status]).toEqual([
        200,
        created.body.id,
        'active',
      ]);

      const other = await post(ana, {
        reason: 'Another reason for the same pair, long enough.',
      });
      expect([other.status, other.body.error?.message]).toEqual([
        409,
        `an active waiver already exists for ${SVC} and tier-declared: ${created.body.id}`,
      ]);
      const open = await handles.store.listWaivers({
        entityRef: SVC,
        checkId: 'tier-declared',
        statuses: ['pending', 'active'],
      });
      expect(open.map(w => w.id)).toEqual([created.body.id]);
      await closeOpen(SVC, 'tier-declared');
    });

    it('a pending waiver whose expiry passed undecided cannot be approved and does not block a new request', async () => {
      await closeOpen(SVC, 'tier-declared');
      const first = await request(server)
        .post(api('/waivers'))
        .set('authorization', ana)
        .send(
          waiverBody({
            checkId: 'tier-declared',
            expiresAt: new Date(Date.parse(T) + 2 * DAY).toISOString(),
          }),
        );
      expect(first.status).toBe(201);
      clock.now = new Date(Date.parse(T) + 5 * DAY); // its window is over, never decided
      const lapsed = await request(server)
        .get(api(`/waivers?entityRef=${SVC}&checkId=tier-declared`))
        .set('authorization', ana);
      expect(
        lapsed.body.items.find((w: any) => w.id === first.body.id).status,
      ).toBe('expired');
      for (const action of ['approve', 'reject']) {
        const decided = await request(server)
          .post(api(`/waivers/${first.body.id}/${action}`))
          .set('authorization', plat)
          .send({ reason: 'Decided far too late, after the expiry.' });
        expect({
          status: decided.status,
          message: decided.body.error?.message,
        }).toEqual({
          status: 409,
          message: `waiver ${first.body.id} expired before it was decided (expiresAt ${first.body.expiresAt}); request a new one`,
        });
      }
      const again = await request(server)
        .post(api('/waivers'))
        .set('authorization', ana)
        .send(
          waiverBody({
            checkId: 'tier-declared',
            expiresAt: new Date(Date.parse(T) + 20 * DAY).toISOString(),
          }),
        );
      expect(again.status).toBe(201);
      // The create path closed the lapsed row (it held the one open slot of the pair).
      expect(await handles.store.getWaiver(first.body.id)).toMatchObject({
        status: 'expired',
      });
      expect((await handles.store.getWaiver(first.body.id))!.approvedBy).toBe(
        undefined,
      );
      await closeOpen(SVC, 'tier-declared');
    });

    it('the scheduled expiry closes lapsed pending waivers as expired, like active ones', async () => {
      await pendingWaiver('w-lapsed');
      const expiresAt = (await handles.store.getWaiver('w-lapsed'))!.expiresAt;
      await handles.store.expireWaivers(
        new Date(Date.parse(expiresAt) - 1).toISOString(),
      );
      expect((await handles.store.getWaiver('w-lapsed'))!.status).toBe(
        'pending',
      );
      expect(await handles.store.expireWaivers(expiresAt)).toBeGreaterThan(0);
      expect(await handles.store.getWaiver('w-lapsed')).toMatchObject({
        status: 'expired',
      });
      // the pair is free again: a new pending waiver can be stored
      await pendingWaiver('w-after-lapsed');
      await handles.store.updateWaiver('w-after-lapsed', ['pending'], {
        status: 'revoked',
        revoked_at: T,
      });
    });

    it('a false-positive waiver is approved only by a member of the check’s owner group (§2.8)', async () => {
      await handles.store.insertWaiver({
        id: 'w-false-positive',
        entityRef: OTHER,
        checkId: 'branch-protection',
        kind: 'false-positive',
        reason: 'Protection is enforced by an org-wide ruleset.',
        owner: 'group:default/checkout-team',
        requestedBy: 'user:default/ana',
        createdAt: T,
        expiresAt: new Date(Date.parse(T) + 7 * DAY).toISOString(),
        status: 'pending',
      });
      // admin holds an unconditional ALLOW but is not in group:default/platform-team
      const refused = await request(server)
        .post(api('/waivers/w-false-positive/approve'))
        .set('authorization', admin);
      expect({
        status: refused.status,
        message: refused.body.error?.message,
      }).toEqual({
        status: 403,
        message:
          'a false-positive waiver on branch-protection can only be approved by a member of the check’s owner group group:default/platform-team',
      });
      // Rejecting a dispute is a decision on the check's evidence too.
      const rejected = await request(server)
        .post(api('/waivers/w-false-positive/reject'))
        .set('authorization', admin)
        .send({ reason: 'Not convinced; the ruleset is optional.' });
      expect(rejected.status).toBe(403);
      const approved = await request(server)
        .post(api('/waivers/w-false-positive/approve'))
        .set('authorization', plat);
      expect(approved.status).toBe(200);
      expect(approved.body.status).toBe('active');
      await handles.store.updateWaiver('w-false-positive', ['active'], {
        status: 'revoked',
        revoked_at: T,
      });
      // any other kind: the permission decision alone
      await pendingWaiver('w-admin-exception', 'branch-protection');
      const exception = await request(server)
        .post(api('/waivers/w-admin-exception/approve'))
        .set('authorization', admin);
      expect(exception.status).toBe(200);
      await handles.store.updateWaiver('w-admin-exception', ['active'], {
        status: 'revoked',
        revoked_at: T,
      });
    });

    it.each([
      ['component:default/checkout-service'],
      ['group:default/no-such-team'],
      ['user:default/ana'],
    ])(
      'POST /waivers with owner %s → 400: the owner must be a group in the catalog',
      async owner => {
        await closeOpen(SVC, 'tier-declared');
        const res = await request(server)
          .post(api('/waivers'))
          .set('authorization', ana)
          .send(waiverBody({ checkId: 'tier-declared', owner }));
        expect({
          status: res.status,
          message: res.body.error?.message,
        }).toEqual({
          status: 400,
          message: `owner "${owner}" must be a group in the catalog`,
        });
      },
    );

    it('POST /waivers with an owner group of the catalog stores it', async () => {
      await closeOpen(SVC, 'tier-declared');
      const res = await request(server)
        .post(api('/waivers'))
        .set('authorization', ana)
        .send(
          waiverBody({
            checkId: 'tier-declared',
            owner: 'Group:default/Checkout-Team',
          }),
        );
      expect(res.status).toBe(201);
      expect(res.body.owner).toBe('group:default/checkout-team');
      await closeOpen(SVC, 'tier-declared');
    });

    it('GET /waivers pages with limit and cursor (oldest first); filters apply before paging', async () => {
      const all = (
        await request(server).get(api('/waivers')).set('authorization', ana)
      ).body;
      expect(all.items.length).toBeGreaterThan(3);
      expect(all.nextCursor).toBeUndefined();
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await request(server)
          .get(
            api(
              `/waivers?limit=2${
                cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''
              }`,
            ),
          )
          .set('authorization', ana);
        expect(page.status).toBe(200);
        expect(page.body.items.length).toBeLessThanOrEqual(2);
        seen.push(...page.body.items.map((w: any) => w.id));
        cursor = page.body.nextCursor;
        pages++;
      } while (cursor && pages < 100);
      expect(seen).toEqual(all.items.map((w: any) => w.id));
      const revoked = await request(server)
        .get(api('/waivers?status=revoked&limit=1'))
        .set('authorization', ana);
      expect(revoked.body.items).toHaveLength(1);
      expect(revoked.body.items[0].status).toBe('revoked');
      expect(revoked.body.nextCursor).toEqual(expect.any(String));
      for (const [query, message] of [
        ['limit=0', 'limit must be an integer between 1 and 500 (got "0")'],
        ['limit=501', 'limit must be an integer between 1 and 500 (got "501")'],
        ['cursor=nope', 'cursor is not a cursor of GET /waivers (got "nope")'],
      ]) {
        const bad = await request(server)
          .get(api(`/waivers?${query}`))
          .set('authorization', ana);
        expect({
          status: bad.status,
          message: bad.body.error?.message,
        }).toEqual({ status: 400, message });
      }
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
        'from must be a date YYYY-MM-DD or an ISO-8601 UTC timestamp (got "yesterday")',
      );
    });

    it('history: levels before a past `to` are the levels then; `checkId` filters transitions, not levels (§2.10)', async () => {
      // The test above left one level row: L1 → L2 at T; the entity is L2 now. Its first
      // evaluation (firstSeenAt) was at T too: the days before have no level (not-rated).
      const history = (query: string) =>
        request(server)
          .get(
            api(`/entities/component/default/checkout-service/history${query}`),
          )
          .set('authorization', ana);
      const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
      const all = await history('');
      expect(all.status).toBe(200);
      expect(all.body.levels).toHaveLength(90);
      expect(all.body.levels.at(-1)).toEqual({
        date: day(Date.parse(T)),
        level: 'L2',
      });
      expect(all.body.levels.at(-2)).toEqual({
        date: day(Date.parse(T) - DAY),
        level: 'not-rated',
      });
      expect(new Set(all.body.levels.map((p: any) => p.level))).toEqual(
        new Set(['not-rated', 'L2']),
      );

      // The day before T the entity had not been evaluated: the first level row after `to`
      // says L1, but that level held only from the first evaluation on (levelTrend.test.ts).
      const to = new Date(Date.parse(T) - DAY).toISOString();
      const past = await history(`?to=${to}`);
      expect(past.status).toBe(200);
      expect(past.body.transitions).toEqual([]);
      expect(past.body.levels).toHaveLength(90);
      expect(past.body.levels.at(-1)).toEqual({
        date: day(Date.parse(to)),
        level: 'not-rated',
      });
      expect(new Set(past.body.levels.map((p: any) => p.level))).toEqual(
        new Set(['not-rated']),
      );
      // A `to` after the level row keeps it; `from` after it leaves the transitions only.
      const later = await history(
        `?from=${new Date(Date.parse(T) + 1000).toISOString()}&to=${new Date(
          Date.parse(T) + DAY,
        ).toISOString()}`,
      );
      expect(later.body.transitions).toEqual([]);
      expect(later.body.levels.slice(-2)).toEqual([
        { date: day(Date.parse(T)), level: 'L2' },
        { date: day(Date.parse(T) + DAY), level: 'L2' },
      ]);
      expect(later.body.levels.at(-3)).toEqual({
        date: day(Date.parse(T) - DAY),
        level: 'not-rated',
      });

      // checkId narrows the transitions; the levels are the entity's.
      const check = await history('?checkId=branch-protection');
      expect(check.body.transitions.map((t: any) => t.checkId)).toEqual([
        'branch-protection',
      ]);
      expect(check.body.levels).toEqual(all.body.levels);
    });

    it('history with `from`: `levelInEffect` is the last level row before it, e.g. an outage still lowering the level', async () => {
      // Rows older than the range: an outage drop, then a check change (not a level row).
      const at = (days: number) =>
        new Date(Date.parse(T) - days * DAY).toISOString();
      const row = {
        entity_ref: SVC,
        from_reason: null,
        to_reason: null,
        check_version: null,
        evidence_observed_at: null,
        regression: false,
      };
      await knex('scorecards_transitions').insert([
        {
          ...row,
          check_id: null,
          from_state: 'L3',
          to_state: 'L2',
          at: at(300),
          cause: 'evidence-changed',
        },
        {
          ...row,
          check_id: null,
          from_state: 'L2',
          to_state: 'L1',
          at: at(200),
          cause: 'source-outage',
        },
        {
          ...row,
          check_id: 'branch-protection',
          from_state: 'pass',
          to_state: 'unknown',
          at: at(199),
          cause: 'source-outage',
          check_version: 1,
        },
      ]);
      try {
        const history = (query: string) =>
          request(server)
            .get(
              api(
                `/entities/component/default/checkout-service/history${query}`,
              ),
            )
            .set('authorization', ana);
        const from = at(89).slice(0, 10);
        const inRange = await history(`?from=${from}`);
        expect(inRange.status).toBe(200);
        expect(inRange.body.levelInEffect).toEqual({
          entityRef: SVC,
          checkId: null,
          from: 'L2',
          to: 'L1',
          at: at(200),
          cause: 'source-outage',
          checkVersion: null,
          regression: false,
        });
        // the transitions stay those of the range: the two rows written at T
        expect(
          inRange.body.transitions.map((t: any) => [t.checkId, t.at]),
        ).toEqual([
          ['branch-protection', T],
          [null, T],
        ]);
        // the same with checkId: the level in effect is the entity's, whatever check is asked
        const ofCheck = await history(
          `?from=${from}&checkId=branch-protection`,
        );
        expect(ofCheck.body.levelInEffect).toEqual(inRange.body.levelInEffect);
        // the last row is an outage drop nothing recovered: it is also the outage in effect
        expect(inRange.body.outageInEffect).toEqual(inRange.body.levelInEffect);
        // no level row before `from`: null; no `from`: not answered
        const early = (await history(`?from=${at(400)}`)).body;
        expect([early.levelInEffect, early.outageInEffect]).toEqual([
          null,
          null,
        ]);
        expect((await history('')).body).not.toHaveProperty('levelInEffect');
        expect((await history('')).body).not.toHaveProperty('outageInEffect');
      } finally {
        await knex('scorecards_transitions')
          .where('entity_ref', SVC)
          .andWhere('at', '<', at(100))
          .delete();
      }
    });

    it('history with `from`: `outageInEffect` is an outage drop a partial recovery before `from` did not undo', async () => {
      // L3 → L1 by an outage 120 days ago, L1 → L2 (another cause) 100 days ago: a range from
      // 90 days ago starts at L2, still below L3 because of the outage.
      const at = (days: number) =>
        new Date(Date.parse(T) - days * DAY).toISOString();
      const row = {
        entity_ref: SVC,
        check_id: null,
        from_reason: null,
        to_reason: null,
        check_version: null,
        evidence_observed_at: null,
        regression: false,
      };
      await knex('scorecards_transitions').insert([
        {
          ...row,
          from_state: 'L3',
          to_state: 'L1',
          at: at(120),
          cause: 'source-outage',
        },
        {
          ...row,
          from_state: 'L1',
          to_state: 'L2',
          at: at(100),
          cause: 'evidence-changed',
        },
      ]);
      const asTransition = (
        from: string,
        to: string,
        days: number,
        cause: string,
      ) => ({
        entityRef: SVC,
        checkId: null,
        from,
        to,
        at: at(days),
        cause,
        checkVersion: null,
        regression: false,
      });
      try {
        const history = (from: string) =>
          request(server)
            .get(
              api(
                `/entities/component/default/checkout-service/history?from=${from}`,
              ),
            )
            .set('authorization', ana);
        const partly = await history(at(90).slice(0, 10));
        expect(partly.status).toBe(200);
        expect({
          levelInEffect: partly.body.levelInEffect,
          outageInEffect: partly.body.outageInEffect,
        }).toEqual({
          levelInEffect: asTransition('L1', 'L2', 100, 'evidence-changed'),
          outageInEffect: asTransition('L3', 'L1', 120, 'source-outage'),
        });
        // Back at L3 before `from`: the outage no longer holds.
        await knex('scorecards_transitions').insert({
          ...row,
          from_state: 'L2',
          to_state: 'L3',
          at: at(95),
          cause: 'evidence-changed',
        });
        const recovered = await history(at(90).slice(0, 10));
        expect(recovered.body.outageInEffect).toBeNull();
        expect(recovered.body.levelInEffect).toEqual(
          asTransition('L2', 'L3', 95, 'evidence-changed'),
        );
      } finally {
        await knex('scorecards_transitions')
          .where('entity_ref', SVC)
          .andWhere('at', '<', at(80))
          .delete();
      }
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
      expect(Object.keys(row.checks).length).toBeGreaterThan(0);
      // fields=summary: the same rows without their per-check counts
      const summary = await request(server)
        .get(api('/rollups?groupBy=owner&fields=summary'))
        .set('authorization', ana);
      expect(summary.status).toBe(200);
      expect(summary.body.items).toEqual(
        json.body.items.map(({ checks: _, ...rest }: any) => rest),
      );
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
      audit.events.length = 0;
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
      // every attempt with a well-formed body is audited and completed: refused, created,
      // retried, conflicting (a body that does not parse is not, as for waivers)
      expect(
        audit.events
          .filter(e => e.options.eventId === 'campaign-create')
          .map(e => [e.outcome, e.outcomeMeta?.status ?? e.error?.name]),
      ).toEqual([
        ['fail', 'NotAllowedError'],
        ['success', 201],
        ['success', 200],
        ['fail', 'ConflictError'],
      ]);
      expect(audit.events[0].options.meta).toMatchObject({
        campaignId: 'l2-by-q2',
        owner: 'group:default/checkout-team',
      });
      const got = await request(server)
        .get(api('/campaigns/l2-by-q2'))
        .set('authorization', mallory);
      expect(got.status).toBe(200);
      expect(got.body.progress.campaignId).toBe('l2-by-q2');
      expect(got.body.progress.entities).toEqual([
        {
          entityRef: created.body.progress.entities[0].entityRef,
          status: 'done',
          owner: 'group:default/checkout-team',
        },
      ]);
      expect(got.body.progress.restrictedEntities).toBe(0);
      // The list tells the page whether to offer "New campaign".
      for (const [who, canCreate] of [
        [ana, true],
        [mallory, false],
      ] as const) {
        const list = await request(server)
          .get(api('/campaigns'))
          .set('authorization', who);
        expect(list.body).toMatchObject({
          canCreate,
          items: [expect.objectContaining({ id: 'l2-by-q2' })],
        });
      }
      // Someone who may not read the entity sees the campaign's counts, not the entity (list too).
      for (const route of ['/campaigns/l2-by-q2', '/campaigns']) {
        const seen = await request(server)
          .get(api(route))
          .set('authorization', eve);
        const progress = seen.body.progress ?? seen.body.items[0].progress;
        expect(progress).toMatchObject({
          totals: { inScope: 1, done: 1 },
          entities: [],
          restrictedEntities: 1,
        });
      }
      // fields=summary: the totals alone, the same for everyone, no entity listed or asked about
      const full = await request(server)
        .get(api('/campaigns'))
        .set('authorization', ana);
      for (const who of [ana, eve]) {
        const summary = await request(server)
          .get(api('/campaigns?fields=summary'))
          .set('authorization', who);
        expect(summary.status).toBe(200);
        const { progress, ...campaign } = summary.body.items[0];
        const { progress: fullProgress, ...fullCampaign } = full.body.items[0];
        expect(campaign).toEqual(fullCampaign);
        expect(progress).toEqual({
          campaignId: 'l2-by-q2',
          asOf: expect.any(String),
          totals: fullProgress.totals,
        });
      }
      // The entity's own scorecard names the campaign with its status in it (§7.4 campaigns).
      const [member] = created.body.progress.entities;
      const [kind, rest] = member.entityRef.split(':');
      const card = await request(server)
        .get(api(`/entities/${kind}/${rest}`))
        .set('authorization', ana);
      expect(card.body.campaigns).toEqual([
        {
          id: 'l2-by-q2',
          title: 'Everything at L2',
          dueAt: '2026-06-30T00:00:00.000Z', // stored normalised
          status: member.status,
        },
      ]);
    });

    it('concurrent identical POST /campaigns with an id: one 201, the others 200, never a 500; different content 409', async () => {
      const body = {
        id: 'race-campaign',
        title: 'Race',
        owner: 'group:default/checkout-team',
        selector: { kinds: ['Component'] },
        goal: { level: 'L2' },
        startsAt: T,
        dueAt: '2026-06-30T00:00:00Z',
      };
      // Every request finds no campaign before any inserts (a retry while the first is in flight).
      const store = handles.store as any;
      const getCampaign = store.getCampaign;
      let delayed = true;
      store.getCampaign = async (id: string) => {
        const r = await getCampaign.call(store, id);
        if (delayed) await new Promise(res => setTimeout(res, 50));
        return r;
      };
      let answers;
      try {
        answers = await Promise.all(
          [body, body, body, { ...body, title: 'Race, other content' }].map(b =>
            request(server)
              .post(api('/campaigns'))
              .set('authorization', ana)
              .send(b),
          ),
        );
      } finally {
        delayed = false;
        store.getCampaign = getCampaign;
      }
      const byStatus = answers.map(a => [
        a.status,
        a.body.id ?? a.body.error?.message,
      ]);
      // whichever insert wins, the rest compare with it: same content 200, different 409
      const winner = answers.find(a => a.status === 201)!;
      expect(winner).toBeDefined();
      expect(byStatus.filter(([st]) => st === 500)).toEqual([]);
      expect(answers.map(a => a.status).sort()).toEqual(
        winner.body.title === 'Race'
          ? [200, 200, 201, 409]
          : [201, 409, 409, 409],
      );
      const stored = (await handles.store.listCampaigns()).filter(
        c => c.id === 'race-campaign',
      );
      expect(stored).toHaveLength(1);
    });

    it('POST /campaigns without an id derives it from the content: a retry answers the same campaign (200)', async () => {
      const body = {
        title: 'No id: Tier-1 → L2',
        owner: 'group:default/checkout-team',
        goal: { level: 'L1' },
        startsAt: T,
        dueAt: '2026-06-30T00:00:00Z',
      };
      const first = await request(server)
        .post(api('/campaigns'))
        .set('authorization', ana)
        .send(body);
      expect(first.status).toBe(201);
      expect(first.body.id).toMatch(/^no-id-tier-1-l2-[0-9a-f]{8}$/);
      // the same campaign again, keys in another order and the time written differently
      const retry = await request(server)
        .post(api('/campaigns'))
        .set('authorization', ana)
        .send({
          dueAt: '2026-06-30T00:00:00.000Z',
          startsAt: T,
          goal: { level: 'L1' },
          owner: 'group:default/checkout-team',
          title: 'No id: Tier-1 → L2',
        });
      expect(retry.status).toBe(200);
      expect(retry.body.id).toBe(first.body.id);
      // another campaign under the same title is another campaign
      const other = await request(server)
        .post(api('/campaigns'))
        .set('authorization', ana)
        .send({ ...body, goal: { level: 'L2' } });
      expect(other.status).toBe(201);
      expect(other.body.id).not.toBe(first.body.id);
      const list = await request(server)
        .get(api('/campaigns'))
        .set('authorization', ana);
      expect(
        list.body.items
          .filter((c: any) => c.title === body.title)
          .map((c: any) => c.goal.level)
          .sort(),
      ).toEqual(['L1', 'L2']);
      // a title without letters or digits still gets an id of the allowed form
      const symbols = await request(server)
        .post(api('/campaigns'))
        .set('authorization', ana)
        .send({ ...body, title: '→ ✓' });
      expect(symbols.status).toBe(201);
      expect(symbols.body.id).toMatch(/^campaign-[0-9a-f]{8}$/);
    });

    it('keeps the waivers of a check the standard does not define (renamed or deleted in place) and says so, instead of revoking them for good', async () => {
      const base = {
        entityRef: SVC,
        checkId: 'renamed-check',
        kind: 'exception' as const,
        reason: 'The renamed check was being replaced by another one.',
        owner: 'group:default/checkout-team',
        requestedBy: 'user:default/ana',
        createdAt: T,
        expiresAt: '2026-04-01T00:00:00.000Z',
      };
      const waiversActive = async () =>
        (
          await request(server)
            .get(api('/rollups?groupBy=owner'))
            .set('authorization', ana)
        ).body.items.find((r: any) => r.key === 'group:default/checkout-team')
          ?.waiversActive;
      await handles.store.insertWaiver({
        ...base,
        id: 'vanished-active',
        status: 'active',
        approvedBy: 'user:default/ben',
        approvedAt: T,
      });
      await handles.store.insertWaiver({
        ...base,
        id: 'vanished-pending',
        checkId: 'other-renamed-check',
        status: 'pending',
      });
      const report = await handles.evaluator.runPass(T);
      expect(report.waiversClosed).toBe(0);
      expect(await handles.store.getWaiver('vanished-active')).toMatchObject({
        status: 'active',
      });
      const counted = await waiversActive();
      expect(counted).toEqual(expect.any(Number));
      expect(await handles.store.getWaiver('vanished-pending')).toMatchObject({
        status: 'pending',
      });
      expect(logger.warn).toHaveBeenCalledWith(
        expect.stringContaining(
          'does not define (other-renamed-check, renamed-check): renamed or deleted in place?',
        ),
      );
      // revoked by hand, as the message says, they are gone from the next pass's warning
      for (const id of ['vanished-active', 'vanished-pending']) {
        await handles.store.updateWaiver(id, ['pending', 'active'], {
          status: 'revoked',
          revoked_at: T,
          revoked_by: 'user:default/plat-lead',
          decision_reason: 'The check was renamed.',
        });
      }
      await handles.evaluator.runPass(T);
      // kept, it applied to nothing: revoking it does not change the owner's active count
      expect(await waiversActive()).toBe(counted);
      expect(logger.info).toHaveBeenCalledWith(
        expect.stringContaining(
          'scorecards: every open waiver names a check of the standard again',
        ),
      );
    });
  },
);
