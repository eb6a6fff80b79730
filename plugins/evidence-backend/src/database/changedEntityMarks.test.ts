import { TestDatabases } from '@backstage/backend-test-utils';
import { ledgerStoreOn } from '../__testUtils__/checkoutLedgerStore';
import { T, entity } from '../__testUtils__/startEvidenceTestBackend';
import { AliasResolver } from '../service/AliasResolver';

jest.setTimeout(60_000);

const databases = TestDatabases.create({
  ids: ['SQLITE_3', 'POSTGRES_15'],
  disableDocker: true,
});
const S = 1000;
const CHECKOUT = 'component:default/checkout-service';
const PAYMENTS = 'component:default/payments-service';

const withAlias = (name: string, alias: string) =>
  entity('Component', name, { 'ops.example.com/aliases': alias });

async function storeAt(knex: Awaited<ReturnType<typeof databases.init>>) {
  const resolver = new AliasResolver();
  resolver.rebuild([
    withAlias('checkout-service', 'shop'),
    entity('Component', 'payments-service'),
  ]);
  const clock = { now: Date.parse(T) };
  const { store, reader } = await ledgerStoreOn(knex, resolver, clock);
  return { store, clock, resolver, reader };
}

const deploy = (status: 'started' | 'succeeded', at: string) => ({
  entityRef: CHECKOUT,
  kind: 'deploy',
  ref: 'v1',
  summary: 'deploy',
  actor: { type: 'bot', id: 'ci' },
  source: { system: 'gha', externalId: '1' },
  startedAt: at,
  ...(status === 'succeeded' ? { finishedAt: at } : {}),
  status,
  attributes: { artifactDigest: 'sha256:1' },
});

describe.each(databases.eachSupportedId())(
  'changed-entities marks on %s',
  databaseId => {
    it('marks each row written since with its write stamp, a row written again with its new one', async () => {
      const knex = await databases.init(databaseId);
      const { store, clock, reader } = await storeAt(knex);
      const t0 = clock.now;
      const at = new Date(t0).toISOString();
      const started = await store.ingest(
        'changes',
        'k1',
        deploy('started', at),
        'test',
      );
      expect(started.ok).toBe(true);
      const id = (started as { id: string }).id;
      // written, and in effect since t0: a mark of each
      expect(await reader.changedEntityMarks(t0 - 30 * S, t0 + 5 * S)).toEqual(
        new Map([[CHECKOUT, [`c:${id}@${t0}`, `t:${id}@${t0}`]]]),
      );
      // the same change finished 10 s later: one row, a new mark
      clock.now = t0 + 10 * S;
      expect(
        (await store.ingest('changes', 'k2', deploy('succeeded', at), 'test'))
          .ok,
      ).toBe(true);
      expect(await reader.changedEntityMarks(t0 - 30 * S, t0 + 15 * S)).toEqual(
        new Map([[CHECKOUT, [`c:${id}@${t0 + 10 * S}`, `t:${id}@${t0}`]]]),
      );

      // an edge under both its ends, a collection status by source, rows that left a ref
      await knex('evidence_edges').insert({
        id: 'E1',
        source: 'prometheus',
        client: 'checkout',
        server: 'payments',
        connection_type: '',
        client_ref: CHECKOUT,
        server_ref: PAYMENTS,
        dependent_ref: CHECKOUT,
        dependency_ref: PAYMENTS,
        interaction: 'sync',
        alias_conflict: false,
        first_seen_ms: t0,
        last_seen_ms: t0,
        collected_ms: t0,
        seq: 1,
        demo: false,
        updated_ms: t0 + 20 * S,
      });
      await knex('evidence_collection_status').insert({
        entity_ref: PAYMENTS,
        source: 'repo',
        last_attempt_ms: t0,
        last_success_ms: t0,
        updated_ms: t0 + 21 * S,
      });
      await knex('evidence_detached_refs').insert({
        entity_ref: PAYMENTS,
        updated_ms: t0 + 22 * S,
      });
      const marks = await reader.changedEntityMarks(t0 + 15 * S, t0 + 30 * S);
      expect(new Map([...marks!].map(([r, m]) => [r, [...m].sort()]))).toEqual(
        new Map([
          [CHECKOUT, [`e:E1@${t0 + 20 * S}`]],
          [
            PAYMENTS,
            [
              `d:@${t0 + 22 * S}`,
              `e:E1@${t0 + 20 * S}`,
              `s:repo@${t0 + 21 * S}`,
            ],
          ],
        ]),
      );
      // the refs are those `changedEntityRefs` lists
      expect([...marks!.keys()].sort()).toEqual(
        await reader.changedEntityRefs(t0 + 15 * S, t0 + 30 * S),
      );
      // more rows than the limit, or a first read: refs alone
      expect(
        await reader.changedEntityMarks(t0 + 15 * S, t0 + 30 * S, 2),
      ).toBeUndefined();
      expect(await reader.changedEntityMarks(0, t0 + 30 * S)).toBeUndefined();
    });

    it('marks rows that re-resolution moves as a move (d:) under both entities', async () => {
      const knex = await databases.init(databaseId);
      const { store, clock, resolver, reader } = await storeAt(knex);
      const t0 = clock.now;
      const posted = await store.ingest(
        'changes',
        'k1',
        {
          ...deploy('succeeded', new Date(t0 - 60 * S).toISOString()),
          entityRef: undefined,
          alias: 'shop',
        },
        'test',
      );
      expect(posted.ok).toBe(true);
      const id = (posted as { id: string }).id;
      // the alias moves to payments-service
      resolver.rebuild([
        entity('Component', 'checkout-service'),
        withAlias('payments-service', 'shop'),
      ]);
      clock.now = t0 + 60 * S;
      await store.reresolve();
      expect(
        (await knex('evidence_changes').where({ id }).first()).entity_ref,
      ).toBe(PAYMENTS);
      const marks = await reader.changedEntityMarks(t0 + 30 * S, t0 + 65 * S);
      expect(marks?.get(CHECKOUT)).toEqual([`d:@${t0 + 60 * S}`]);
      expect([...(marks?.get(PAYMENTS) ?? [])].sort()).toEqual([
        `c:${id}@${t0 + 60 * S}`,
        `d:@${t0 + 60 * S}`,
      ]);
    });

    it('marks a change dated ahead with when it took effect, apart from its write', async () => {
      const knex = await databases.init(databaseId);
      const { store, clock, reader } = await storeAt(knex);
      const t0 = clock.now;
      const ahead = new Date(t0 + 90 * S).toISOString();
      const posted = await store.ingest(
        'changes',
        'k1',
        deploy('succeeded', ahead),
        'test',
      );
      const id = (posted as { id: string }).id;
      expect(await reader.changedEntityMarks(t0 - 30 * S, t0 + 5 * S)).toEqual(
        new Map([[CHECKOUT, [`c:${id}@${t0}`]]]),
      );
      expect(await reader.changedEntityMarks(t0 + 5 * S, t0 + 65 * S)).toEqual(
        new Map(),
      );
      expect(await reader.changedEntityMarks(t0 + 35 * S, t0 + 95 * S)).toEqual(
        new Map([[CHECKOUT, [`t:${id}@${t0 + 90 * S}`]]]),
      );
    });
  },
);
