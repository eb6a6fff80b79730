import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import type { Waiver } from '@internal/plugin-scorecards-common';
import { ScorecardsStore } from './ScorecardsStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create({
  ids: ['POSTGRES_15', 'SQLITE_3'],
  disableDocker: true,
});

const waiver = (id: string, over: Partial<Waiver>): Waiver => ({
  id,
  entityRef: 'component:default/checkout-service',
  checkId: `check-${id}`,
  kind: 'exception',
  reason: 'x'.repeat(20),
  owner: 'group:default/checkout-team',
  requestedBy: 'user:default/ana',
  createdAt: '2026-01-01T00:00:00.000Z',
  expiresAt: '2026-12-31T00:00:00.000Z',
  status: 'active',
  ...over,
});

describe('ScorecardsStore.listWaivers expiredSince', () => {
  it.each(databases.eachSupportedId())(
    'leaves out only the waivers stored expired before the instant, on %s',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const store = await ScorecardsStore.create(
        mockServices.database({ knex }),
      );
      const approved = {
        approvedBy: 'user:default/lead',
        approvedAt: '2026-01-02T00:00:00.000Z',
      };
      for (const w of [
        waiver('active', approved),
        waiver('pending', { status: 'pending' }),
        waiver('recent', {
          ...approved,
          status: 'expired',
          expiresAt: '2026-11-20T00:00:00.000Z',
        }),
        waiver('edge', {
          ...approved,
          status: 'expired',
          expiresAt: '2026-11-07T00:00:00.000Z',
        }),
        waiver('old', {
          ...approved,
          status: 'expired',
          expiresAt: '2026-11-06T23:59:59.999Z',
        }),
        waiver('rejected', { status: 'rejected' }),
      ])
        await store.insertWaiver(w);

      const read = await store.listWaivers({
        statuses: ['pending', 'active', 'expired'],
        expiredSince: '2026-11-07T00:00:00.000Z',
      });
      expect(read.map(w => w.id).sort()).toEqual([
        'active',
        'edge',
        'pending',
        'recent',
      ]);
      expect(
        (await store.listWaivers({ statuses: ['expired'] })).map(w => w.id),
      ).toHaveLength(3);
    },
  );
});

describe('ScorecardsStore.listWaivers kind and approvedSince', () => {
  it.each(databases.eachSupportedId())(
    'reads only the waivers of that kind approved at or after the instant, on %s',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const store = await ScorecardsStore.create(
        mockServices.database({ knex }),
      );
      const fp = (id: string, approvedAt?: string): Waiver =>
        waiver(id, {
          kind: 'false-positive',
          ...(approvedAt
            ? { approvedBy: 'user:default/lead', approvedAt }
            : { status: 'pending' }),
        });
      for (const w of [
        fp('fp-recent', '2026-11-20T00:00:00.000Z'),
        fp('fp-edge', '2026-11-01T00:00:00.000Z'),
        fp('fp-old', '2026-10-31T23:59:59.999Z'),
        fp('fp-pending'),
        waiver('exception-recent', {
          approvedBy: 'user:default/lead',
          approvedAt: '2026-11-20T00:00:00.000Z',
        }),
      ])
        await store.insertWaiver(w);

      const read = await store.listWaivers({
        kind: 'false-positive',
        approvedSince: '2026-11-01T00:00:00.000Z',
      });
      expect(read.map(w => w.id).sort()).toEqual(['fp-edge', 'fp-recent']);
    },
  );
});
