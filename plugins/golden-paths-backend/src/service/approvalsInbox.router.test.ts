import { mockCredentials } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { CatalogView } from '@internal/plugin-golden-paths-common';
import request from 'supertest';
import { ApprovalRecord, GoldenPathsStore } from '../database/GoldenPathsStore';
import { api } from '../__testUtils__/ledgerRequests';
import { rowsRead } from '../__testUtils__/rowsRead';
import {
  fatima,
  GoldenPathsTestBackend,
  goldenPathsTestDatabases,
  scaffolder,
  startGoldenPathsTestBackend,
  T,
} from '../__testUtils__/startGoldenPathsTestBackend';
import { refKey } from '../refKey';
import { isMember, staticGroupDirectory } from './groupDirectory';

jest.setTimeout(120_000);

const databases = goldenPathsTestDatabases();

const nina = mockCredentials.user.header('user:default/nina');
const olga = mockCredentials.user.header('user:default/olga');
const D1 = `sha256:${'1'.repeat(64)}`;

const group = (name: string, spec: Record<string, unknown>): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name, namespace: 'default' },
  spec: { type: 'team', ...spec },
});
// fatima is in platform-team and so in eng (its parent); nina in sre, a child of platform-team,
// so in platform-team and eng too; olga is in no group.
const entities = [
  group('eng', { children: ['platform-team'] }),
  group('platform-team', { members: ['fatima.haddad'] }),
  group('sre', { parent: 'platform-team', members: ['Nina'] }),
  group('security-team', { members: ['sam.okafor'] }),
];
const view = new CatalogView(entities);

/** The inbox rule as the router applied it to every approval before the store filtered. */
const oldInbox = (all: ApprovalRecord[], user: string, mine: boolean) =>
  all
    .filter(
      a =>
        a.routes.some(r => isMember(view, r.group, user)) &&
        (!mine || refKey(a.requestedBy) !== refKey(user)),
    )
    .slice(0, 500)
    .map(a => a.id);

describe.each(databases.eachSupportedId())(
  'the approvals inbox on %s',
  databaseId => {
    let server: GoldenPathsTestBackend['server'];
    let store: GoldenPathsStore;
    let stop: () => Promise<void>;
    let n = 0;

    const approval = (
      groups: string[],
      over: Partial<ApprovalRecord> = {},
    ): ApprovalRecord => {
      n += 1;
      return {
        id: `apr_inbox_${String(n).padStart(5, '0')}`,
        requestKey: `service-node-http:inbox-${n}`,
        planDigest: D1,
        round: 0,
        triggers: [{ id: 'tier-1', reasons: ['tier 1 service'] }],
        routes: groups.map(g => ({ group: g, triggers: ['tier-1'] })),
        status: 'pending',
        requestedBy: 'user:default/ana.ruiz',
        createdAt: new Date(
          Date.parse(T) - 86_400_000 + n * 1_000,
        ).toISOString(),
        expiresAt: new Date(Date.parse(T) + 86_400_000).toISOString(),
        ...over,
      };
    };
    const inbox = (who: string, query = '') =>
      rowsRead(store.db, 'gp_approvals', async () => {
        const res = await request(server)
          .get(api(`/approvals${query}`))
          .set('Authorization', who);
        expect(res.status).toBe(200);
        return res.body.items.map((a: { id: string }) => a.id) as string[];
      });

    const truncated = async (who: string, query = '') => {
      const res = await request(server)
        .get(api(`/approvals${query}`))
        .set('Authorization', who);
      expect(res.status).toBe(200);
      return res.body.truncated as boolean;
    };

    /**
     * Fatima's and Nina's inboxes (all, pending, mine) answer what the router's filter over
     * every approval (`all`) answered, and only the caller's approvals (with `mine`: before
     * dropping their own) are read from the database.
     */
    const expectInboxesAsBefore = async (all: ApprovalRecord[]) => {
      for (const [who, user] of [
        [fatima, 'user:default/fatima.haddad'],
        [nina, 'user:default/nina'],
      ]) {
        for (const query of ['', '?status=pending', '?mine=true']) {
          const read = await inbox(who, query);
          const expected = oldInbox(
            query === '?status=pending'
              ? all.filter(a => a.status === 'pending')
              : all,
            user,
            query === '?mine=true',
          );
          expect(read.result).toEqual(expected);
          expect(read.rows.map(r => r.id)).toEqual(
            query === '?mine=true' ? oldInbox(all, user, false) : expected,
          );
        }
      }
    };

    beforeAll(async () => {
      ({ server, store, stop } = await startGoldenPathsTestBackend({
        databases,
        databaseId,
        overrides: { directory: staticGroupDirectory(entities) },
      }));
    });

    afterAll(async () => {
      await stop?.();
    });

    it('reads only the approvals routed to the caller’s groups and answers as the filter over all of them did', async () => {
      const others = () =>
        approval([
          n % 2 ? 'group:default/security-team' : 'group:default/nobody',
        ]);
      const theirs = [
        approval(['group:default/eng']),
        approval([
          'Group:Default/Platform-Team',
          'group:default/security-team',
        ]),
        approval(['group:default/sre']),
        approval(['group:default/platform-team'], {
          requestedBy: 'user:default/Fatima.Haddad',
        }),
        approval(['group:default/platform-team'], { status: 'approved' }),
      ];
      // 600 approvals of other groups, the caller's among and after them
      for (let i = 0; i < 600; i++) {
        await store.insertApproval(others());
        if (i % 150 === 75) await store.insertApproval(theirs[i / 150 - 0.5]);
      }
      await store.insertApproval(theirs[4]);
      for (let i = 0; i < 30; i++) await store.insertApproval(others());
      const all = await store.listApprovals({ limit: 10_000 });
      expect(all).toHaveLength(635);

      // no row of another group's approval came from the database (settling what is due
      // finds nothing: none expired)
      await expectInboxesAsBefore(all);
      expect((await inbox(fatima)).result).toEqual(
        [4, 3, 1, 0].map(i => theirs[i].id),
      );
      expect((await inbox(nina)).result).toEqual(
        [4, 3, 2, 1, 0].map(i => theirs[i].id),
      );
      expect((await inbox(fatima, '?mine=true')).result).toEqual(
        [4, 1, 0].map(i => theirs[i].id),
      );
    });

    it('answers a caller in no group, and a service, an empty inbox without reading any approval', async () => {
      await store.insertApproval(approval(['group:default/platform-team']));
      for (const who of [olga, scaffolder])
        expect(await inbox(who, '?status=pending')).toEqual({
          result: [],
          selects: 0,
          rows: [],
        });
    });

    it('still holds the newest 500 of the caller’s when there are more, also without their own', async () => {
      await store.db('gp_approval_routes').delete();
      await store.db('gp_approvals').delete();
      for (let i = 0; i < 510; i++)
        await store.insertApproval(
          approval(['group:default/platform-team'], {
            // the newest ten are fatima's own requests
            ...(i >= 500 ? { requestedBy: 'user:default/fatima.haddad' } : {}),
          }),
        );
      for (let i = 0; i < 20; i++)
        await store.insertApproval(approval(['group:default/security-team']));
      const all = await store.listApprovals({ limit: 10_000 });
      const user = 'user:default/fatima.haddad';
      const everything = await inbox(fatima);
      expect(everything.result).toHaveLength(500);
      expect(everything.result).toEqual(oldInbox(all, user, false));
      // 510 of hers: the answer says it is cut, having read a few rows past the 500
      expect(await truncated(fatima)).toBe(true);
      expect(everything.rows).toHaveLength(510);
      const notMine = await inbox(fatima, '?mine=true');
      expect(notMine.result).toHaveLength(500);
      expect(notMine.result).toEqual(oldInbox(all, user, true));
      // two pages of hers, none of security-team's; 500 without her own ten: the whole answer
      expect(notMine.selects).toBe(3);
      expect(notMine.rows).toHaveLength(510);
      expect(await truncated(fatima, '?mine=true')).toBe(false);
      expect(await truncated(nina)).toBe(true);
      expect(await truncated(fatima, '?status=approved')).toBe(false);
    });

    it('lists the approvals an instance not yet upgraded wrote without route rows, in their place, and writes their rows on the first load', async () => {
      await store.db('gp_approval_routes').delete();
      await store.db('gp_approvals').delete();
      // What the code before gp_approval_routes wrote (a rolling upgrade runs it after the
      // migration): the approval's row only.
      const writtenByOldCode = (a: ApprovalRecord) =>
        store.db('gp_approvals').insert({
          id: a.id,
          request_key: a.requestKey,
          plan_digest: a.planDigest,
          round: a.round,
          triggers_json: JSON.stringify(a.triggers),
          routes_json: JSON.stringify(a.routes),
          status: a.status,
          requested_by: a.requestedBy,
          created_at: a.createdAt,
          expires_at: a.expiresAt,
        });
      const written = [
        approval(['group:default/platform-team']),
        approval(['group:default/security-team']),
        approval(['group:default/eng']),
      ];
      const old = {
        // fatima's and nina's (capitals, as a route may name its group)
        platform: approval(['Group:Default/Platform-Team']),
        // neither's
        security: approval(['group:default/security-team']),
        // nina's only (sre is a child of platform-team, not the reverse), past its expiry: the
        // load expires it, after giving it its rows
        sreDue: approval(['group:default/sre'], {
          expiresAt: new Date(Date.parse(T) - 60_000).toISOString(),
        }),
        // fatima's own request, routed to eng and security-team
        fatimas: approval(
          ['group:default/security-team', 'group:default/eng'],
          {
            requestedBy: 'user:default/fatima.haddad',
          },
        ),
      };
      const newer = [
        approval(['group:default/platform-team'], { status: 'approved' }),
        approval(['group:default/nobody']),
      ];
      // newest first: newer[1], newer[0], old.fatimas, old.sreDue, old.security, old.platform,
      // written[2], written[1], written[0]
      for (const a of written) await store.insertApproval(a);
      for (const a of Object.values(old)) await writtenByOldCode(a);
      for (const a of newer) await store.insertApproval(a);
      const oldIds = Object.values(old).map(a => a.id);
      const routeRows = () =>
        store
          .db('gp_approval_routes')
          .whereIn('approval_id', oldIds)
          .orderBy(['approval_id', 'group_ref'])
          .select();
      expect(await routeRows()).toEqual([]);

      const first = await inbox(fatima);
      expect(first.result).toEqual([
        newer[0].id,
        old.fatimas.id,
        old.platform.id,
        written[2].id,
        written[0].id,
      ]);
      // the rows of all four, whoever they route to, lower-cased as the inbox compares them
      expect(await routeRows()).toEqual(
        [
          {
            approval_id: old.platform.id,
            group_ref: 'group:default/platform-team',
          },
          {
            approval_id: old.security.id,
            group_ref: 'group:default/security-team',
          },
          { approval_id: old.sreDue.id, group_ref: 'group:default/sre' },
          { approval_id: old.fatimas.id, group_ref: 'group:default/eng' },
          {
            approval_id: old.fatimas.id,
            group_ref: 'group:default/security-team',
          },
        ].sort((a, b) =>
          `${a.approval_id} ${a.group_ref}` < `${b.approval_id} ${b.group_ref}`
            ? -1
            : 1,
        ),
      );

      const all = await store.listApprovals({ limit: 10_000 });
      expect(all.find(a => a.id === old.sreDue.id)?.status).toBe('expired');
      // with their rows written, only the caller's approvals are read again
      await expectInboxesAsBefore(all);
      expect((await inbox(nina)).result).toEqual([
        newer[0].id,
        old.fatimas.id,
        old.sreDue.id,
        old.platform.id,
        written[2].id,
        written[0].id,
      ]);
      expect((await inbox(fatima, '?mine=true')).result).toEqual([
        newer[0].id,
        old.platform.id,
        written[2].id,
        written[0].id,
      ]);
    });
  },
);
