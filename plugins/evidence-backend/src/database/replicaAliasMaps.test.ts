import { TestDatabases } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import { ledgerStoreOn } from '../__testUtils__/checkoutLedgerStore';
import { T, entity } from '../__testUtils__/startEvidenceTestBackend';
import { AliasResolver } from '../service/AliasResolver';

jest.setTimeout(60_000);

/**
 * Replicas over one database each hold their own alias map (`evidence-aliases` is a local
 * task). One that just started has none yet; one can lag an entity registered since its last
 * read by up to a minute. Neither may hide, or detach, what a replica with a fresher map
 * stored.
 */
const databases = TestDatabases.create({
  ids: ['SQLITE_3'],
  disableDocker: true,
});
const CHECKOUT = 'component:default/checkout-service';
const CART = 'component:default/cart-api';
const at = (minutes: number) =>
  new Date(Date.parse(T) + minutes * 60_000).toISOString();

/** One replica of the plugin on the shared database, with its own alias map. */
const replica = ledgerStoreOn;

const catalog = [
  entity('Component', 'checkout-service', {
    'ops.example.com/aliases': 'checkout',
  }),
  entity('Component', 'cart-api', { 'ops.example.com/aliases': 'cart' }),
];

function deploy(externalId: string, subject: object) {
  return {
    ...subject,
    kind: 'deploy',
    ref: externalId,
    summary: `deploy ${externalId}`,
    actor: { type: 'bot', id: 'ci' },
    source: { system: 'gha', externalId },
    startedAt: at(-10),
    finishedAt: at(-9),
    status: 'succeeded',
    attributes: { artifactDigest: `sha256:${externalId}` },
  };
}

const fact = (observedAt: string) => ({
  entityRef: CHECKOUT,
  source: 'golden-paths',
  kind: 'repo.files',
  value: { passRate: 1 },
  observedAt,
});

const edge = (lastSeen: string) => ({
  client: 'checkout',
  server: 'cart',
  connectionType: '' as const,
  source: 'prometheus',
  lastSeen,
});

describe('replicas whose alias maps know less than the rows', () => {
  let knex: Knex;
  beforeEach(async () => {
    knex = await databases.init('SQLITE_3');
  });

  it('a replica that has not loaded its map yet reads the ledger as stored, not as empty', async () => {
    const fresh = new AliasResolver();
    fresh.rebuild(catalog);
    const a = await replica(knex, fresh);
    for (const [key, body] of [
      ['d1', deploy('1', { entityRef: CHECKOUT })],
      ['d2', deploy('2', { alias: 'checkout' })],
    ] as const) {
      expect((await a.store.ingest('changes', key, body, 'ci')).ok).toBe(true);
    }

    const b = await replica(knex, new AliasResolver()); // just started
    const ids = (changes: { ref?: string }[]) => changes.map(c => c.ref).sort();
    const { ledger, summary } = await b.reader.ledgerRead([CHECKOUT], {
      asOf: at(0),
      windowFrom: at(-60),
    });
    expect(ids(ledger.get(CHECKOUT)!)).toEqual(['1', '2']);
    expect(summary[CHECKOUT].lastSucceededDeploy).not.toBeNull();
    expect(
      ids(
        await b.reader.queryChanges({
          entityRefs: [CHECKOUT],
          from: at(-60),
          to: at(0),
          asOf: at(0),
        }),
      ),
    ).toEqual(['1', '2']);
    expect(
      ids(
        (await b.reader.listChanges({ entityRef: CHECKOUT, limit: 10 })).items,
      ),
    ).toEqual(['1', '2']);
  });

  it('a replica whose map predates an entity still reads the changes another replica stored for it', async () => {
    const fresher = new AliasResolver();
    fresher.rebuild(catalog);
    const a = await replica(knex, fresher);
    expect(
      (
        await a.store.ingest(
          'changes',
          'd1',
          deploy('1', { entityRef: CART }),
          'ci',
        )
      ).ok,
    ).toBe(true);

    const lagging = new AliasResolver();
    lagging.rebuild([catalog[0]]); // read before cart-api was registered
    const c = await replica(knex, lagging);
    const { ledger } = await c.reader.ledgerRead([CART], {
      asOf: at(0),
      windowFrom: at(-60),
    });
    expect(ledger.get(CART)!.map(change => change.ref)).toEqual(['1']);
  });

  it('a replica that has not loaded its map keeps the entity of a fact and an edge it writes again', async () => {
    const fresh = new AliasResolver();
    fresh.rebuild(catalog);
    const a = await replica(knex, fresh);
    expect((await a.store.ingest('facts', 'f1', fact(at(-5)), 'ci')).ok).toBe(
      true,
    );
    await a.store.writeEdges('prometheus', [edge(at(-5))], new Date(at(-5)));

    const b = await replica(knex, new AliasResolver());
    // The same value again (a re-confirmation) and a new value, then the edge seen again.
    expect((await b.store.ingest('facts', 'f2', fact(at(-4)), 'ci')).ok).toBe(
      true,
    );
    expect(
      (
        await b.store.ingest(
          'facts',
          'f3',
          { ...fact(at(-3)), value: { passRate: 0.5 } },
          'ci',
        )
      ).ok,
    ).toBe(true);
    await b.store.writeEdges('prometheus', [edge(at(-2))], new Date(at(-2)));

    const facts = await a.reader.facts({ entityRefs: [CHECKOUT] });
    expect(facts.map(f => f.value)).toEqual([{ passRate: 0.5 }]);
    const edges = await a.reader.edges({ entityRefs: [CART], asOf: at(0) });
    expect(
      edges.map(e => [e.dependentRef, e.dependencyRef, e.lastSeen]),
    ).toEqual([[CHECKOUT, CART, at(-2)]]);
    // Nothing left either entity, so no mirror re-reads them as detached.
    expect(await knex('evidence_detached_refs').select()).toEqual([]);
  });

  it('an edge first written by a replica whose map lagged is mapped by the next pass of a replica that knows the entity', async () => {
    const fresher = new AliasResolver();
    fresher.rebuild(catalog);
    const a = await replica(knex, fresher);
    // a's passes with its map: the first maps every edge, later ones are incremental
    await a.store.reresolve();

    const lagging = new AliasResolver();
    lagging.rebuild([catalog[0]]); // read before cart-api was registered
    const c = await replica(knex, lagging);
    await c.store.writeEdges('prometheus', [edge(at(-2))], new Date(at(-2)));
    expect(
      (await knex('evidence_edges').first()).dependency_ref ?? null,
    ).toBeNull();

    // the same map on a: an incremental pass; the edge is never observed again
    expect(await a.store.reresolve()).toBe(1);
    const edges = await a.reader.edges({ entityRefs: [CART], asOf: at(0) });
    expect(edges.map(e => [e.dependentRef, e.dependencyRef])).toEqual([
      [CHECKOUT, CART],
    ]);
    // and a pass after that has nothing left to do
    expect(await a.store.reresolve()).toBe(0);
  });

  it('re-resolution with a map not loaded yet changes nothing', async () => {
    const fresh = new AliasResolver();
    fresh.rebuild(catalog);
    const a = await replica(knex, fresh);
    await a.store.ingest('changes', 'd1', deploy('1', { alias: 'cart' }), 'ci');
    await a.store.ingest('facts', 'f1', fact(at(-5)), 'ci');
    const before = await knex('evidence_facts').select();

    const b = await replica(knex, new AliasResolver());
    expect(await b.store.reresolve()).toBe(0);
    expect(await knex('evidence_facts').select()).toEqual(before);
    expect((await knex('evidence_changes').first()).entity_ref).toBe(CART);
  });
});
