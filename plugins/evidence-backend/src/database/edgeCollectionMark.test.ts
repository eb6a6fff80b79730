import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { AliasResolver } from '../service/AliasResolver';
import { readEvidenceOptions } from '../service/evidenceConfig';
import { T } from '../__testUtils__/startEvidenceTestBackend';
import { EvidenceStore } from './EvidenceStore';
import { edgeCollectionMarkName } from './edgeCollectionMark';

jest.setTimeout(60_000);

const databases = TestDatabases.create({
  ids: ['POSTGRES_15', 'SQLITE_3'],
  disableDocker: true,
});

const SOURCE = 'prometheus:traces_service_graph_request_total';
const at = (minutes: number) => new Date(Date.parse(T) + minutes * 60_000);

describe('the stored end of an edge collection (§4.3 catch-up)', () => {
  it.each(databases.eachSupportedId())(
    'is kept per source, only moves forward, and outlives the store that wrote it, on %s',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const open = () =>
        EvidenceStore.create({
          database: mockServices.database({ knex }),
          resolver: new AliasResolver(),
          options: readEvidenceOptions(new ConfigReader({})),
          logger: mockServices.logger.mock(),
          clock: () => new Date(T),
        });
      const store = await open();

      expect(await store.lastEdgeCollection(SOURCE)).toBeUndefined();
      await store.recordEdgeCollection(SOURCE, at(0));
      await store.recordEdgeCollection(SOURCE, at(5));
      // A run with an earlier clock (another replica) does not move it back.
      await store.recordEdgeCollection(SOURCE, at(2));
      await store.recordEdgeCollection('prometheus:other_metric', at(-60));

      const restarted = await open();
      expect(await restarted.lastEdgeCollection(SOURCE)).toEqual(at(5));
      expect(
        await restarted.lastEdgeCollection('prometheus:other_metric'),
      ).toEqual(at(-60));
    },
  );
});

describe('edgeCollectionMarkName', () => {
  it('names a short source as it is and a long one by a digest that fits the column', () => {
    expect(edgeCollectionMarkName(SOURCE)).toBe(`edge-collection:${SOURCE}`);
    const long = `prometheus:${'a'.repeat(80)}`;
    const other = `prometheus:${'a'.repeat(79)}b`;
    expect(edgeCollectionMarkName(long)).toHaveLength(64);
    expect(edgeCollectionMarkName(long)).not.toBe(
      edgeCollectionMarkName(other),
    );
  });
});
