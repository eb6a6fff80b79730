import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import {
  hashEntity,
  summarizeEvaluation,
} from '@internal/plugin-scorecards-common';
import { Knex } from 'knex';
import { recordEvaluations } from '../evaluation/recordEvaluation';
import { at, evaluate, service } from '../__testUtils__/scoredServices';
import { markLatestRewritten } from './latestWrites';
import { ScorecardsStore } from './ScorecardsStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create({
  ids: ['POSTGRES_15', 'SQLITE_3'],
  disableDocker: true,
});

/** Stores the evaluations of `entities` at `minutes` through `store`, as the pass does. */
async function record(
  store: ScorecardsStore,
  minutes: number,
  ...entities: Entity[]
) {
  const now = at(minutes);
  const evaluations = entities.map(entity => evaluate(entity, now));
  await recordEvaluations(
    store,
    evaluations.map((evaluation, i) => ({
      evaluation,
      entityHash: hashEntity(entities[i]),
      at: now,
    })),
  );
  return evaluations;
}

const tierResult = (summary: {
  results: { checkId: string; state: string }[];
}) => summary.results.find(r => r.checkId === 'tier-declared')?.state;

/** Counts the statements that read stored summaries. */
function summaryReads(knex: Knex) {
  const seen = { count: 0 };
  knex.on('query', (q: { sql: string }) => {
    if (/select .*summary_json/i.test(q.sql)) seen.count += 1;
  });
  return seen;
}

describe.each(databases.eachSupportedId())(
  'ScorecardsStore.listLatestSummaries on %s',
  databaseId => {
    let knex: Knex;
    beforeEach(async () => {
      knex = await databases.init(databaseId);
      await ScorecardsStore.create(mockServices.database({ knex }));
    });

    it("sees another replica's writes and removals on its next read, in entity-ref order", async () => {
      const reader = new ScorecardsStore(knex);
      const writer = new ScorecardsStore(knex);
      const [b] = await record(writer, 0, service('b-svc'));
      expect(await reader.listLatestSummaries()).toEqual([
        {
          entityRef: b.entityRef,
          changedAt: at(0),
          summary: summarizeEvaluation(b),
        },
      ]);

      // a new entity, and a change of the one read
      const [a, b2] = await record(
        writer,
        5,
        service('a-svc'),
        service('b-svc', '2'),
      );
      const read = await reader.listLatestSummaries();
      expect(read.map(r => r.entityRef)).toEqual([a.entityRef, b.entityRef]);
      expect(read[1].summary).toEqual(summarizeEvaluation(b2));
      expect(tierResult(read[1].summary)).toBe('pass');
      expect(tierResult(summarizeEvaluation(b))).toBe('fail');

      // the pass removes entities that left the catalog
      await writer.removeLatestExcept(
        new Set([b.entityRef]),
        Date.parse(at(7)),
      );
      expect(
        (await reader.listLatestSummaries()).map(r => r.entityRef),
      ).toEqual([b.entityRef]);
    });

    it('parses only the rows written since its previous read', async () => {
      const store = new ScorecardsStore(knex);
      const [a] = await record(store, 0, service('a-svc'));
      await store.listLatestSummaries();
      // Changed behind the store's back: a read that parsed every row would see it.
      await knex('scorecards_latest')
        .where({ entity_ref: a.entityRef })
        .update({
          summary_json: JSON.stringify({
            ...summarizeEvaluation(a),
            level: 'L9',
          }),
        });
      const [b] = await record(store, 1, service('b-svc'));
      const read = await store.listLatestSummaries();
      expect(read.map(r => [r.entityRef, r.summary.level])).toEqual([
        [a.entityRef, a.level],
        [b.entityRef, b.level],
      ]);

      // ... until whatever changed it says so
      await markLatestRewritten(knex);
      expect((await store.listLatestSummaries())[0].summary.level).toBe('L9');
    });

    it('reads every row again after fullEveryMs, for a writer that does not raise the counter', async () => {
      const clock = { ms: 0 };
      const store = new ScorecardsStore(knex, {
        summaries: { fullEveryMs: 600_000, clock: () => clock.ms },
      });
      const [a] = await record(store, 0, service('a-svc'));
      await store.listLatestSummaries();
      // as a replica of the version before the counter writes it during a rolling deploy
      await knex('scorecards_latest')
        .where({ entity_ref: a.entityRef })
        .update({
          summary_json: JSON.stringify({
            ...summarizeEvaluation(a),
            level: 'L9',
          }),
        });
      clock.ms = 599_999;
      expect((await store.listLatestSummaries())[0].summary.level).toBe(
        a.level,
      );
      clock.ms = 600_000;
      expect((await store.listLatestSummaries())[0].summary.level).toBe('L9');
    });

    it('reads every row again when the counter went back (a restored backup)', async () => {
      const reader = new ScorecardsStore(knex);
      const writer = new ScorecardsStore(knex);
      const [a, b] = await record(
        writer,
        0,
        service('a-svc'),
        service('b-svc'),
      );
      await record(writer, 1, service('c-svc'));
      await record(writer, 2, service('d-svc'));
      expect(await reader.listLatestSummaries()).toHaveLength(4);
      await knex('scorecards_latest_writes').update({ seq: 0, reset_seq: 0 });
      const [a2] = await record(writer, 3, service('a-svc', '1'));
      await writer.removeLatestExcept(
        new Set([a.entityRef, b.entityRef]),
        Date.parse(at(3)),
      );
      const read = await reader.listLatestSummaries();
      expect(read.map(r => r.entityRef)).toEqual([a.entityRef, b.entityRef]);
      expect(read[0].summary).toEqual(summarizeEvaluation(a2));
    });

    it('reads every summary once for concurrent first reads, and nothing when nothing was written', async () => {
      const writer = new ScorecardsStore(knex);
      await record(writer, 0, service('a-svc'), service('b-svc'));
      const reader = new ScorecardsStore(knex);
      const reads = summaryReads(knex);
      const answers = await Promise.all([
        reader.listLatestSummaries(),
        reader.listLatestSummaries(),
        reader.listLatestSummaries(),
      ]);
      expect(answers.map(rows => rows.length)).toEqual([2, 2, 2]);
      expect(reads.count).toBe(1);
      await reader.listLatestSummaries();
      expect(reads.count).toBe(1);
    });

    it('answers a later read after a failed one', async () => {
      const store = new ScorecardsStore(knex);
      await record(store, 0, service('a-svc'));
      await knex.schema.renameTable('scorecards_latest_writes', 'moved_away');
      await expect(store.listLatestSummaries()).rejects.toThrow();
      await knex.schema.renameTable('moved_away', 'scorecards_latest_writes');
      expect(await store.listLatestSummaries()).toHaveLength(1);
    });
  },
);

describe.each(databases.eachSupportedId())(
  'scorecards migration 20261207100000_latest_write_seq on %s',
  databaseId => {
    it('starts the write order at zero and drops it on down', async () => {
      const knex = await databases.init(databaseId);
      const migrations = {
        directory: `${__dirname}/../../migrations`,
        tableName: 'scorecards_knex_migrations',
      };
      await knex.migrate.latest(migrations);
      const row = await knex('scorecards_latest_writes').first();
      expect([Number(row.seq), Number(row.reset_seq)]).toEqual([0, 0]);
      expect(
        await knex.schema.hasColumn('scorecards_latest', 'write_seq'),
      ).toBe(true);

      await knex.migrate.down({
        ...migrations,
        name: '20261207100000_latest_write_seq.js',
      });
      expect(await knex.schema.hasTable('scorecards_latest_writes')).toBe(
        false,
      );
      expect(
        await knex.schema.hasColumn('scorecards_latest', 'write_seq'),
      ).toBe(false);
    });
  },
);
