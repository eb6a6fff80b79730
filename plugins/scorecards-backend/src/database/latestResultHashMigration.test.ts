import { TestDatabases } from '@backstage/backend-test-utils';
import path from 'node:path';

jest.setTimeout(60_000);

const databases = TestDatabases.create({
  ids: ['POSTGRES_15', 'SQLITE_3'],
  disableDocker: true,
});

const migrations = {
  directory: path.resolve(__dirname, '../../migrations'),
  tableName: 'scorecards_knex_migrations',
};
const NAME = '20261202100000_latest_result_hash.js';

const latestRow = {
  entity_ref: 'component:default/checkout-service',
  level: 'L1',
  entity_hash: '0123456789abcdef',
  snapshot_json: '{}',
  evaluation_json: '{}',
  first_seen_at: '2026-03-14T02:05:00.000Z',
  changed_at: '2026-03-14T02:05:00.000Z',
};

describe.each(databases.eachSupportedId())(
  'scorecards migration 20261202100000_latest_result_hash on %s',
  databaseId => {
    it('adds a nullable result_hash to latest rows and drops it on down, keeping the rows', async () => {
      const knex = await databases.init(databaseId);
      await knex.migrate.latest(migrations);
      const hash = `sha256:${'a'.repeat(64)}`;
      await knex('scorecards_latest').insert({
        ...latestRow,
        result_hash: hash,
      });
      expect(
        await knex('scorecards_latest').select('result_hash').first(),
      ).toEqual({ result_hash: hash });

      await knex.migrate.down({ ...migrations, name: NAME });
      expect(
        await knex.schema.hasColumn('scorecards_latest', 'result_hash'),
      ).toBe(false);
      expect(await knex('scorecards_latest').select('entity_ref')).toEqual([
        { entity_ref: latestRow.entity_ref },
      ]);

      // Up again: rows written meanwhile have no hash (computed from the snapshot when needed).
      await knex.migrate.latest(migrations);
      expect(
        await knex('scorecards_latest').select('entity_ref', 'result_hash'),
      ).toEqual([{ entity_ref: latestRow.entity_ref, result_hash: null }]);
    });
  },
);
