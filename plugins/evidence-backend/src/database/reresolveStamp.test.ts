import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
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
