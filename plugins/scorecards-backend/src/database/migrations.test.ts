import { TestDatabases } from '@backstage/backend-test-utils';
import type { RollupRow } from '@internal/plugin-scorecards-common';
import path from 'node:path';
import { RollupSnapshotStore } from '../history/RollupSnapshotStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create({
  ids: ['POSTGRES_15', 'SQLITE_3'],
  disableDocker: true,
});

const migrations = {
  directory: path.resolve(__dirname, '../../migrations'),
  tableName: 'scorecards_knex_migrations',
};

const waiverRow = {
  id: 'w1',
  entity_ref: 'component:default/checkout-service',
  check_id: 'branch-protection',
  kind: 'exception',
  reason: 'Repository is moving to the new host this sprint.',
  owner: 'group:default/checkout-team',
  requested_by: 'user:default/ana',
  created_at: '2026-03-14T02:05:00.000Z',
  expires_at: '2026-03-24T02:05:00.000Z',
  status: 'pending',
};

describe.each(databases.eachSupportedId())(
  'scorecards migrations on %s',
  databaseId => {
    it('lets replicas that start together upgrade, every migration inside the batch transaction (knex commits its lock apart otherwise)', async () => {
      const knex = await databases.init(databaseId);
      // An instance before 20261205000000_redact_result_credentials, which ran outside one
      // transaction until 2026-12-07: knex then takes its lock in a transaction of its own, so a
      // second replica failed with "Migration table is already locked", and a start killed
      // midway left the lock taken for every later start.
      await knex.migrate.latest(migrations);
      await knex.migrate.down({
        ...migrations,
        name: '20261205000000_redact_result_credentials.js',
      });
      const pending = (await knex.migrate.list(migrations))[1];
      expect(pending.map((m: { file: string }) => m.file)).toContain(
        '20261205000000_redact_result_credentials.js',
      );

      const starts = await Promise.allSettled([
        knex.migrate.latest(migrations),
        knex.migrate.latest(migrations),
      ]);
      expect(starts.map(s => s.status)).toEqual(['fulfilled', 'fulfilled']);
      expect((await knex.migrate.list(migrations))[1]).toEqual([]);
      expect(
        await knex('scorecards_knex_migrations_lock').select('is_locked'),
      ).toEqual([{ is_locked: 0 }]);
    });

    it('20261201000000_waiver_decisions adds decision_reason and revoked_by, and rolls back keeping the waivers', async () => {
      const knex = await databases.init(databaseId);
      await knex.migrate.latest(migrations);
      await knex('scorecards_waivers').insert({
        ...waiverRow,
        status: 'revoked',
        revoked_at: '2026-03-15T00:00:00.000Z',
        revoked_by: 'user:default/ben',
        decision_reason: 'Migration cancelled; fix the check instead.',
      });
      expect(
        await knex('scorecards_waivers')
          .select('decision_reason', 'revoked_by')
          .first(),
      ).toEqual({
        decision_reason: 'Migration cancelled; fix the check instead.',
        revoked_by: 'user:default/ben',
      });

      // By name: later migrations are independent of this one and stay applied.
      await knex.migrate.down({
        ...migrations,
        name: '20261201000000_waiver_decisions.js',
      });
      expect(
        await knex.schema.hasColumn('scorecards_waivers', 'decision_reason'),
      ).toBe(false);
      expect(
        await knex.schema.hasColumn('scorecards_waivers', 'revoked_by'),
      ).toBe(false);
      expect(await knex('scorecards_waivers').select('id', 'status')).toEqual([
        { id: 'w1', status: 'revoked' },
      ]);
      // SQLite drops columns by copying the table: the indexes must survive on both.
      const indexes: { name: string }[] =
        databaseId === 'SQLITE_3'
          ? await knex.raw("PRAGMA index_list('scorecards_waivers')")
          : (
              await knex.raw(
                "SELECT indexname AS name FROM pg_indexes WHERE tablename = 'scorecards_waivers'",
              )
            ).rows;
      expect(indexes.map(i => i.name)).toEqual(
        expect.arrayContaining([
          'scorecards_waivers_entity_check',
          'scorecards_waivers_status',
          'scorecards_waivers_one_open',
        ]),
      );
      // ... the partial unique index with its predicate (20261203000000_waivers_one_open)
      const oneOpen: string =
        databaseId === 'SQLITE_3'
          ? (
              await knex.raw(
                "SELECT sql AS def FROM sqlite_master WHERE name = 'scorecards_waivers_one_open'",
              )
            )[0].def
          : (
              await knex.raw(
                "SELECT indexdef AS def FROM pg_indexes WHERE indexname = 'scorecards_waivers_one_open'",
              )
            ).rows[0].def;
      expect(oneOpen).toMatch(/UNIQUE INDEX[\s\S]*WHERE[\s\S]*pending/i);

      // Up again: the columns come back empty for waivers decided meanwhile.
      await knex.migrate.latest(migrations);
      expect(
        await knex('scorecards_waivers')
          .select('id', 'decision_reason', 'revoked_by')
          .first(),
      ).toEqual({ id: 'w1', decision_reason: null, revoked_by: null });
    });
  },
);

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

const EXPIRING_WINDOW = '20261206000000_rollup_snapshot_expiring_window.js';

describe.each(databases.eachSupportedId())(
  `${EXPIRING_WINDOW} on %s`,
  databaseId => {
    const snapshotRow = (date: string) => ({
      group_by: 'owner',
      key: 'group:default/checkout-team',
      date,
      row_json: '{"key":"group:default/checkout-team"}',
      taken_at: `${date}T00:05:00.000Z`,
    });

    it('adds the window each snapshot counted in: none for older snapshots, kept by new ones; down drops it keeping the rows', async () => {
      const knex = await databases.init(databaseId);
      await knex.migrate.latest(migrations);
      await knex.migrate.down({ ...migrations, name: EXPIRING_WINDOW });
      await knex('scorecards_rollup_snapshots').insert(
        snapshotRow('2026-03-12'),
      );

      await knex.migrate.latest(migrations);
      const snapshots = new RollupSnapshotStore(knex);
      await snapshots.replaceDay(
        '2026-03-13',
        [{ key: 'group:default/checkout-team', kind: 'owner' } as RollupRow],
        { at: '2026-03-14T00:05:00.000Z', waiversExpiringWithinDays: 30 },
      );
      expect(
        await snapshots.history({
          groupBy: 'owner',
          key: 'group:default/checkout-team',
        }),
      ).toEqual([
        // taken before the window was recorded: unknown, not assumed
        { date: '2026-03-12', row: { key: 'group:default/checkout-team' } },
        {
          date: '2026-03-13',
          row: { key: 'group:default/checkout-team', kind: 'owner' },
          waiversExpiringWithinDays: 30,
        },
      ]);

      await knex.migrate.down({ ...migrations, name: EXPIRING_WINDOW });
      expect(
        await knex.schema.hasColumn(
          'scorecards_rollup_snapshots',
          'waivers_expiring_within_days',
        ),
      ).toBe(false);
      expect(
        await knex('scorecards_rollup_snapshots').orderBy('date').pluck('date'),
      ).toEqual(['2026-03-12', '2026-03-13']);
    });
  },
);

const ONE_OPEN = '20261203000000_waivers_one_open.js';

describe.each(databases.eachSupportedId())(`${ONE_OPEN} on %s`, databaseId => {
  const row = (
    id: string,
    over: Partial<typeof waiverRow> & Record<string, unknown> = {},
  ) => ({ ...waiverRow, id, ...over });

  it('closes lapsed and duplicate open waivers deterministically, then allows one pending or active waiver per (entity, check)', async () => {
    const knex = await databases.init(databaseId);
    await knex.migrate.latest(migrations);
    await knex.migrate.down({ ...migrations, name: ONE_OPEN });
    const future = '2999-01-01T00:00:00.000Z';
    await knex('scorecards_waivers').insert([
      // pair A: a lapsed active waiver (not yet marked by the pass) and a pending one
      row('a-lapsed', {
        status: 'active',
        approved_by: 'user:default/ben',
        expires_at: '2020-03-20T00:00:00.000Z',
      }),
      row('a-pending', { expires_at: future }),
      // pair B: two active waivers (a race) and a pending one: the waiver that counts stays
      row('b-active-short', {
        check_id: 'tier-declared',
        status: 'active',
        expires_at: '2998-01-01T00:00:00.000Z',
      }),
      row('b-active-long', {
        check_id: 'tier-declared',
        status: 'active',
        expires_at: future,
      }),
      row('b-pending', {
        check_id: 'tier-declared',
        expires_at: '2999-06-01T00:00:00.000Z',
      }),
      // pair C: two identical pending requests: the smaller id stays
      row('c-2', { check_id: 'c-check', expires_at: future }),
      row('c-1', { check_id: 'c-check', expires_at: future }),
      // closed waivers are never touched, however many
      row('d-1', { check_id: 'd-check', status: 'revoked' }),
      row('d-2', { check_id: 'd-check', status: 'rejected' }),
      row('d-3', { check_id: 'd-check', status: 'expired' }),
    ]);

    await knex.migrate.latest(migrations);
    const rows = await knex('scorecards_waivers')
      .select('id', 'status', 'revoked_by', 'decision_reason')
      .orderBy('id');
    const byId = Object.fromEntries(rows.map(r => [r.id, r]));
    expect(Object.fromEntries(rows.map(r => [r.id, r.status]))).toEqual({
      'a-lapsed': 'expired',
      'a-pending': 'pending',
      'b-active-long': 'active',
      'b-active-short': 'revoked',
      'b-pending': 'revoked',
      'c-1': 'pending',
      'c-2': 'revoked',
      'd-1': 'revoked',
      'd-2': 'rejected',
      'd-3': 'expired',
    });
    for (const id of ['b-active-short', 'b-pending', 'c-2']) {
      expect(byId[id]).toMatchObject({
        revoked_by: 'plugin:scorecards',
        decision_reason:
          'duplicate: one pending or active waiver per entity and check (migration 20261203000000)',
      });
    }
    expect(byId['a-lapsed'].revoked_by).toBeNull();

    // A second open waiver for a pair is refused by the database ...
    await expect(
      knex('scorecards_waivers').insert(row('a-again', { expires_at: future })),
    ).rejects.toThrow(/unique/i);
    // ... a closed one is not, nor an open one for another pair
    await knex('scorecards_waivers').insert([
      row('a-closed', { status: 'rejected' }),
      row('e-open', { check_id: 'e-check', expires_at: future }),
    ]);
    // and the slot is free again once the open one closes
    await knex('scorecards_waivers')
      .where({ id: 'a-pending' })
      .update({ status: 'expired' });
    await knex('scorecards_waivers').insert(
      row('a-new', { expires_at: future }),
    );

    // down drops the index only
    await knex.migrate.down({ ...migrations, name: ONE_OPEN });
    await knex('scorecards_waivers').insert(
      row('a-dup', { expires_at: future }),
    );
    expect(
      await knex('scorecards_waivers')
        .where({
          entity_ref: waiverRow.entity_ref,
          check_id: waiverRow.check_id,
        })
        .whereIn('status', ['pending', 'active'])
        .orderBy('id')
        .pluck('id'),
    ).toEqual(['a-dup', 'a-new']);
  });
});
