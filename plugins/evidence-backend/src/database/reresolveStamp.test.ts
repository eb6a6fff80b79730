import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { ledgerStoreOn } from '../__testUtils__/checkoutLedgerStore';
import { T, entity } from '../__testUtils__/startEvidenceTestBackend';
import { AliasResolver } from '../service/AliasResolver';
import { readEvidenceOptions } from '../service/evidenceConfig';
import { EvidenceReader } from './EvidenceReader';
import { EvidenceStore } from './EvidenceStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create({
  ids: ['SQLITE_3'],
  disableDocker: true,
});
const S = 1000;

it('stamps a row re-resolution attaches with the time of its write, so the next changed-entities poll lists it (R7)', async () => {
  const knex = await databases.init('SQLITE_3');
  const options = readEvidenceOptions(new ConfigReader({}));
  const resolver = new AliasResolver();
  resolver.rebuild([entity('Component', 'checkout-service')]);
  const clock = { now: Date.parse(T) };
  const store = await EvidenceStore.create({
    database: mockServices.database({ knex }),
    resolver,
    options,
    logger: mockServices.logger.mock(),
    clock: () => new Date(clock.now),
  });
  const reader = new EvidenceReader(knex, resolver, options);
  // a deploy of a service the catalog does not hold yet, named by alias: unresolved
  const posted = await store.ingest(
    'changes',
    'k1',
    {
      alias: 'mobile-bff',
      kind: 'deploy',
      ref: 'v1',
      summary: 'deploy',
      actor: { type: 'bot', id: 'ci' },
      source: { system: 'gha', externalId: '1' },
      startedAt: T,
      finishedAt: T,
      status: 'succeeded',
      attributes: { artifactDigest: 'sha256:1' },
    },
    'test',
  );
  expect(posted.ok).toBe(true);
  resolver.rebuild([
    entity('Component', 'checkout-service'),
    entity('Component', 'mobile-bff'),
  ]);

  // The pass starts at t0; its scan of the facts table takes 60 s on a large store (the clock
  // moves while that query runs); a mirror poll answered at t0 + 55 s saw nothing yet.
  const t0 = Date.parse(T) + 10 * S;
  clock.now = t0;
  const slowScan = (q: { sql: string }) => {
    if (/from .evidence_facts./i.test(q.sql) && clock.now === t0) {
      clock.now = t0 + 60 * S;
    }
  };
  knex.on('query', slowScan);
  await store.reresolve();
  knex.off('query', slowScan);

  const row = await knex('evidence_changes').first();
  expect(row.entity_ref).toBe('component:default/mobile-bff');
  expect(Number(row.updated_ms)).toBe(t0 + 60 * S);
  // the mirror's next poll: since = the last answer's until − 30 s overlap
  expect(await reader.changedEntityRefs(t0 + 55 * S - 30 * S)).toContain(
    'component:default/mobile-bff',
  );
});

it("reads only the rows written since its last pass while the map is the same, and still resolves another replica's rows", async () => {
  const knex = await databases.init('SQLITE_3');
  const options = readEvidenceOptions(new ConfigReader({}));
  const catalog = [
    entity('Component', 'checkout-service'),
    entity('Component', 'mobile-bff'),
  ];
  const resolver = new AliasResolver();
  resolver.rebuild(catalog);
  // the rows are written an hour before the first pass
  const clock = { now: Date.parse(T) - 3600_000 };
  const create = (r: AliasResolver) =>
    EvidenceStore.create({
      database: mockServices.database({ knex }),
      resolver: r,
      options,
      logger: mockServices.logger.mock(),
      clock: () => new Date(clock.now),
    });
  const store = await create(resolver);
  const deploy = (id: number, subject: object) => ({
    ...subject,
    kind: 'deploy',
    ref: `v${id}`,
    summary: 'deploy',
    actor: { type: 'bot', id: 'ci' },
    source: { system: 'gha', externalId: String(id) },
    startedAt: T,
    finishedAt: T,
    status: 'succeeded',
    attributes: { artifactDigest: `sha256:${id}` },
  });
  for (let i = 0; i < 40; i++) {
    const body = deploy(i, {
      alias: i % 2 ? 'mobile-bff' : 'checkout-service',
    });
    expect((await store.ingest('changes', `k${i}`, body, 'test')).ok).toBe(
      true,
    );
  }
  let subjectRows = 0;
  knex.on('query-response', (response: unknown, q: { sql: string }) => {
    if (/select distinct/i.test(q.sql) && Array.isArray(response))
      subjectRows += response.length;
  });
  clock.now = Date.parse(T);
  await store.reresolve(); // the process's first pass reads everything
  expect(subjectRows).toBeGreaterThanOrEqual(2);

  // a pass later: nothing written since the first one, nothing read
  clock.now += 10 * 60_000;
  subjectRows = 0;
  await store.reresolve();
  expect(subjectRows).toBe(0);

  // a replica whose map predates mobile-bff writes an unresolved row; the next pass resolves it
  const lagging = new AliasResolver();
  lagging.rebuild([catalog[0]]);
  const other = await create(lagging);
  clock.now += 60_000;
  expect(
    (
      await other.ingest(
        'changes',
        'late',
        deploy(99, { alias: 'mobile-bff' }),
        'test',
      )
    ).ok,
  ).toBe(true);
  expect(
    (await knex('evidence_changes').where({ ref: 'v99' }).first()).resolution,
  ).toBe('unresolved');
  clock.now += 60_000;
  subjectRows = 0;
  // rows are re-resolved by subject: alias:mobile-bff's 20 and the late one
  expect(await store.reresolve()).toBe(21);
  expect(subjectRows).toBe(1);
  expect(
    await knex('evidence_changes').where({ ref: 'v99' }).first(),
  ).toMatchObject({
    entity_ref: 'component:default/mobile-bff',
    resolution: 'resolved',
  });
});

it('lists the entity of a change dated ahead once it takes effect, which the poll after its write could not read (§3.8)', async () => {
  const knex = await databases.init('SQLITE_3');
  const resolver = new AliasResolver();
  resolver.rebuild([entity('Component', 'checkout-service')]);
  // the store's clock stays at T
  const { store, reader } = await ledgerStoreOn(knex, resolver);
  const t0 = Date.parse(T);
  // a runner whose clock is 90 s ahead posts a finished deploy: trusted (within maxSkew)
  const ahead = new Date(t0 + 90 * S).toISOString();
  const posted = await store.ingest(
    'changes',
    'k1',
    {
      entityRef: 'component:default/checkout-service',
      kind: 'deploy',
      ref: 'v1',
      summary: 'deploy',
      actor: { type: 'bot', id: 'ci' },
      source: { system: 'gha', externalId: '1' },
      startedAt: ahead,
      finishedAt: ahead,
      status: 'succeeded',
      attributes: { artifactDigest: 'sha256:1' },
    },
    'test',
  );
  expect(posted.ok).toBe(true);
  const ref = 'component:default/checkout-service';
  // listed for its write while polls overlap it, as before
  expect(await reader.changedEntityRefs(t0 - 30 * S, t0 + 5 * S)).toEqual([
    ref,
  ]);
  // then no write names it: polls answered at t0 + 35 s and t0 + 65 s
  expect(await reader.changedEntityRefs(t0 + 5 * S, t0 + 65 * S)).toEqual([]);
  // the poll during which it takes effect names it again
  expect(await reader.changedEntityRefs(t0 + 35 * S, t0 + 95 * S)).toEqual([
    ref,
  ]);
  // not without the poll's time, and not once it took effect before `since`
  expect(await reader.changedEntityRefs(t0 + 35 * S)).toEqual([]);
  expect(await reader.changedEntityRefs(t0 + 95 * S, t0 + 125 * S)).toEqual([]);
});
