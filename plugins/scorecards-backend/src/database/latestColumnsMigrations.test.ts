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
const latestRow = {
  entity_ref: 'component:default/checkout-service',
  level: 'L1',
  entity_hash: '0123456789abcdef',
  snapshot_json: '{}',
  evaluation_json: '{}',
  first_seen_at: '2026-03-14T02:05:00.000Z',
  changed_at: '2026-03-14T02:05:00.000Z',
};

/** Migrations that add a nullable column to latest rows, filled at a row's next write. */
const NULLABLE_COLUMNS = [
  {
    name: '20261202100000_latest_result_hash.js',
    column: 'result_hash',
    value: `sha256:${'a'.repeat(64)}`,
  },
  {
    name: '20261202120000_latest_summary.js',
    column: 'summary_json',
    value: '{"entityRef":"component:default/checkout-service"}',
  },
];

describe.each(databases.eachSupportedId())(
  'scorecards migrations of latest rows on %s',
  databaseId => {
    it.each(NULLABLE_COLUMNS)(
      '$name adds a nullable $column and drops it on down, keeping the rows',
      async ({ name, column, value }) => {
        const knex = await databases.init(databaseId);
        await knex.migrate.latest(migrations);
        await knex('scorecards_latest').insert({
          ...latestRow,
          [column]: value,
        });
        expect(await knex('scorecards_latest').select(column).first()).toEqual({
          [column]: value,
        });

        await knex.migrate.down({ ...migrations, name });
        expect(await knex.schema.hasColumn('scorecards_latest', column)).toBe(
          false,
        );
        expect(await knex('scorecards_latest').select('entity_ref')).toEqual([
          { entity_ref: latestRow.entity_ref },
        ]);

        // Up again: rows written meanwhile have none (derived when needed).
        await knex.migrate.latest(migrations);
        expect(
          await knex('scorecards_latest').select('entity_ref', column),
        ).toEqual([{ entity_ref: latestRow.entity_ref, [column]: null }]);
      },
    );
  },
);
