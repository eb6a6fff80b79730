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
const NAME = '20261202110000_rollup_snapshots.js';

describe.each(databases.eachSupportedId())(
  'scorecards migration 20261202110000_rollup_snapshots on %s',
  databaseId => {
    it('creates the snapshot table with one row per (groupBy, key, date), and drops it on down', async () => {
      const knex = await databases.init(databaseId);
      await knex.migrate.latest(migrations);
      const row = {
        group_by: 'owner',
        key: 'group:default/checkout-team',
        date: '2026-03-13',
        row_json: '{}',
        taken_at: '2026-03-14T00:05:00.000Z',
      };
      await knex('scorecards_rollup_snapshots').insert(row);
      // The same (groupBy, key, date) twice is refused by the primary key.
      await expect(
        knex('scorecards_rollup_snapshots').insert(row),
      ).rejects.toThrow();
      await knex('scorecards_rollup_snapshots').insert({
        ...row,
        group_by: 'system',
      });
      expect(
        Number(
          (await knex('scorecards_rollup_snapshots').count('* as n'))[0].n,
        ),
      ).toBe(2);

      await knex.migrate.down({ ...migrations, name: NAME });
      expect(await knex.schema.hasTable('scorecards_rollup_snapshots')).toBe(
        false,
      );
      // The other tables are untouched.
      expect(await knex.schema.hasTable('scorecards_transitions')).toBe(true);

      await knex.migrate.latest(migrations);
      expect(await knex.schema.hasTable('scorecards_rollup_snapshots')).toBe(
        true,
      );
    });
  },
);
