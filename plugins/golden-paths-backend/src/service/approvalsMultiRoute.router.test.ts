import { mockCredentials } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import request from 'supertest';
import { ApprovalRecord, GoldenPathsStore } from '../database/GoldenPathsStore';
import { api } from '../__testUtils__/ledgerRequests';
import {
  fatima,
  GoldenPathsTestBackend,
  goldenPathsTestDatabases,
  startGoldenPathsTestBackend,
  T,
} from '../__testUtils__/startGoldenPathsTestBackend';
import { staticGroupDirectory } from './groupDirectory';

jest.setTimeout(120_000);

const databases = goldenPathsTestDatabases();

const nina = mockCredentials.user.header('user:default/nina');
const olga = mockCredentials.user.header('user:default/olga');
const PLATFORM = 'group:default/platform-team';
const SECURITY = 'group:default/security-team';

const group = (name: string, members: string[]): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name, namespace: 'default' },
  spec: { type: 'team', children: [], members },
});
// olga is in both route groups; fatima and nina in platform-team only
const entities = [
  group('platform-team', ['fatima.haddad', 'nina', 'olga']),
  group('security-team', ['sam.okafor', 'olga']),
];
const answers = {
  intent: true,
  risk: true,
  rollback: true,
  timing: true,
  exception: true,
};
const approve = { decision: 'approve', reason: 'looks right to me', answers };

/** §6.1: an approval routed to two groups, each deciding its own route. */
describe.each(databases.eachSupportedId())(
  'an approval with two routes on %s',
  databaseId => {
    let server: GoldenPathsTestBackend['server'];
    let store: GoldenPathsStore;
    let stop: () => Promise<void>;
    let n = 0;

    beforeAll(async () => {
      ({ server, store, stop } = await startGoldenPathsTestBackend({
        databases,
        databaseId,
        overrides: { directory: staticGroupDirectory(entities) },
      }));
    });
    afterAll(() => stop?.());

    async function twoRouteApproval(): Promise<ApprovalRecord> {
      n += 1;
      const approval: ApprovalRecord = {
        id: `apr_two_routes_${String(n).padStart(4, '0')}`,
        requestKey: `postgres-database:two-routes-${n}:prod`,
        planDigest: `sha256:${'1'.repeat(64)}`,
        round: 0,
        triggers: [
          { id: 'production-data', reasons: ['database in prod'] },
          { id: 'iam', reasons: ['grants access to component:default/x'] },
        ],
        routes: [
          { group: PLATFORM, triggers: ['production-data'] },
          { group: SECURITY, triggers: ['iam'] },
        ],
        status: 'pending',
        requestedBy: 'user:default/ana.ruiz',
        createdAt: T,
        expiresAt: new Date(Date.parse(T) + 86_400_000).toISOString(),
      };
      await store.insertApproval(approval);
      return approval;
    }
    const decide = (id: string, who: string, body: object) =>
      request(server)
        .post(api(`/approvals/${id}/decisions`))
        .set('Authorization', who)
        .send(body);
    const inboxRoutes = async (who: string, id: string) => {
      const res = await request(server)
        .get(api('/approvals?status=pending'))
        .set('Authorization', who);
      expect(res.status).toBe(200);
      return res.body.items.find((a: { id: string }) => a.id === id)
        ?.decidableRoutes;
    };

    it('lists the routes each caller may still decide; none once their group decided', async () => {
      const a = await twoRouteApproval();
      expect(await inboxRoutes(fatima, a.id)).toEqual([PLATFORM]);
      expect(await inboxRoutes(olga, a.id)).toEqual([PLATFORM, SECURITY]);
      const first = await decide(a.id, fatima, approve);
      expect(first.status).toBe(201);
      expect(first.body.decision.route).toBe(PLATFORM);
      // still pending (security decides too), still in nina's inbox, but nothing for her to decide
      expect(await inboxRoutes(nina, a.id)).toEqual([]);
      expect(await inboxRoutes(olga, a.id)).toEqual([SECURITY]);
    });

    it('refuses a member whose group already decided, naming why, instead of the other group', async () => {
      const a = await twoRouteApproval();
      expect((await decide(a.id, fatima, approve)).status).toBe(201);
      const res = await decide(a.id, nina, approve);
      expect(res.status).toBe(403);
      expect(res.body.error.message).toBe(
        `user:default/nina may decide none of the open routes of approval ${a.id} (${SECURITY}): the route of ${PLATFORM} is decided`,
      );
    });

    it('a member of both groups decides the second route without naming it; the same decision again is a repeat', async () => {
      const a = await twoRouteApproval();
      const first = await decide(a.id, olga, approve);
      expect([first.status, first.body.decision.route]).toEqual([
        201,
        PLATFORM,
      ]);
      // was answered as a repeat of the first (200) and stored nothing
      const second = await decide(a.id, olga, approve);
      expect([second.status, second.body.decision.route]).toEqual([
        201,
        SECURITY,
      ]);
      expect(second.body.status).toBe('approved');
      const third = await decide(a.id, olga, approve);
      expect(third.status).toBe(200);
      expect(third.body.decision.approver).toBe('user:default/olga');
      expect(await store.listDecisions([a.id])).toHaveLength(2);
    });
  },
);
