import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import { ConfigReader } from '@backstage/config';
import type { AliasResolution } from '@internal/plugin-evidence-common';
import { AliasResolver } from '../service/AliasResolver';
import { readEvidenceOptions } from '../service/evidenceConfig';
import { T, entity } from '../__testUtils__/startEvidenceTestBackend';
import { EvidenceStore } from './EvidenceStore';
import { remapEdges } from './remapEdges';

jest.setTimeout(60_000);

const databases = TestDatabases.create({
  ids: ['POSTGRES_15', 'SQLITE_3'],
  disableDocker: true,
});

const OLD = 'component:default/old-owner';
const NEW = 'component:default/new-owner';

describe('remapEdges (R14)', () => {
  it.each(databases.eachSupportedId())(
    'decides on the committed row, not the page it read, on %s',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const resolver = new AliasResolver();
      resolver.rebuild([
        entity('Component', 'old-owner', {
          'ops.example.com/aliases': 'mover',
        }),
        entity('Component', 'checkout-service'),
      ]);
      const store = await EvidenceStore.create({
        database: mockServices.database({ knex }),
        resolver,
        options: readEvidenceOptions(new ConfigReader({})),
        logger: mockServices.logger.mock(),
        clock: () => new Date(T),
      });
      const written = await store.ingest(
        'edges',
        'edge-mover',
        {
          source: 'mesh',
          client: 'mover',
          server: 'checkout-service',
          connectionType: '',
          lastSeen: T,
        },
        'test',
      );
      expect(written.ok).toBe(true);
      const seqOf = async () =>
        Number((await knex('evidence_edges').first('seq')).seq);
      const before = await seqOf();

      // The alias moves; while re-resolution maps the page it read, an observation (another
      // replica) has already remapped the row: nothing is left to do, no new sequence.
      const moved = (name: string): AliasResolution =>
        name === 'mover' ? { ref: NEW } : { ref: `component:default/${name}` };
      // the "observation" lands between the page read and the remap's transaction
      const racing = Object.assign(
        (...args: Parameters<typeof knex>) => knex(...args),
        {
          transaction: async (
            fn: (trx: Knex.Transaction) => Promise<number>,
          ) => {
            await knex('evidence_edges').update({
              client_ref: NEW,
              dependent_ref: NEW,
            });
            return knex.transaction(fn);
          },
        },
      ) as unknown as Knex;
      expect(await remapEdges(racing, moved, () => Date.parse(T) + 1000)).toBe(
        0,
      );
      expect(await seqOf()).toBe(before);

      // A row still naming the old owner is remapped once, with a new sequence.
      await knex('evidence_edges').update({
        client_ref: OLD,
        dependent_ref: OLD,
      });
      expect(await remapEdges(knex, moved, () => Date.parse(T) + 2000)).toBe(1);
      expect(await seqOf()).toBeGreaterThan(before);
      expect(
        (await knex('evidence_edges').first('dependent_ref')).dependent_ref,
      ).toBe(NEW);
      expect(
        (await knex('evidence_detached_refs').select('entity_ref')).map(
          r => r.entity_ref,
        ),
      ).toContain(OLD);
      await knex.destroy();
    },
  );
});
