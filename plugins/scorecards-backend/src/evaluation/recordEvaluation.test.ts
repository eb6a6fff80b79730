import { DatabaseService } from '@backstage/backend-plugin-api';
import { TestDatabases } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import {
  EntityEvaluation,
  hashEntity,
  summarizeEvaluation,
} from '@internal/plugin-scorecards-common';
import { ScorecardsStore } from '../database/ScorecardsStore';
import { recordEvaluation, recordEvaluations } from './recordEvaluation';
import { at, evaluate, service } from '../__testUtils__/scoredServices';

jest.setTimeout(60_000);

const databases = TestDatabases.create({
  ids: ['POSTGRES_15', 'SQLITE_3'],
  disableDocker: true,
});

const input = (evaluation: EntityEvaluation, entity: Entity, when: string) => ({
  evaluation,
  entityHash: hashEntity(entity),
  at: when,
});

describe.each(databases.eachSupportedId())(
  'recordEvaluations on %s',
  databaseId => {
    let store: ScorecardsStore;
    const transitionsOf = (entityRef: string) =>
      store.listTransitions({ entityRef });

    beforeAll(async () => {
      const knex = await databases.init(databaseId);
      store = await ScorecardsStore.create({
        getClient: async () => knex,
      } as DatabaseService);
    });

    it('stores a batch in one call, in the order given: new, unchanged, changed, stale, and one entity twice', async () => {
      const names = ['a', 'b', 'c', 'd'];
      const untiered = names.map(n => service(n));
      const first = await recordEvaluations(
        store,
        untiered.map(e => input(evaluate(e, at(1)), e, at(1))),
      );
      expect(first).toEqual(
        names.map(() => ({ status: 'written', transitions: 0 })),
      );
      const refs = untiered.map(e => `component:default/${e.metadata.name}`);
      expect((await store.latestHeads(refs)).size).toBe(4);

      const tiered = (n: string) => service(n, '2');
      const outcomes = await recordEvaluations(store, [
        // a: the same result set again, later → nothing written
        input(evaluate(untiered[0], at(5)), untiered[0], at(5)),
        // b: tier declared → the check and the level move
        input(evaluate(tiered('b'), at(5)), tiered('b'), at(5)),
        // c: made before c's stored state changed → ignored
        input(evaluate(tiered('c'), at(0)), tiered('c'), at(0)),
        // d twice: tiered, then untiered again — the second compares with the first
        input(evaluate(tiered('d'), at(6)), tiered('d'), at(6)),
        input(evaluate(untiered[3], at(7)), untiered[3], at(7)),
        // e: not stored before
        input(evaluate(tiered('e'), at(5)), tiered('e'), at(5)),
      ]);
      const written = { status: 'written', transitions: expect.any(Number) };
      expect(outcomes).toEqual([
        { status: 'unchanged' },
        written,
        { status: 'stale' },
        written,
        written,
        { status: 'written', transitions: 0 },
      ]);
      const tierMoves = async (ref: string) =>
        (await transitionsOf(ref))
          .filter(t => t.checkId === 'tier-declared')
          .map(t => [t.from, t.to, t.at]);

      expect((await store.getLatest(refs[0]))?.changedAt).toBe(at(1));
      expect(await transitionsOf(refs[0])).toEqual([]);
      expect(await store.getLatest(refs[1])).toMatchObject({
        changedAt: at(5),
        firstSeenAt: at(1),
        snapshot: { entityHash: hashEntity(tiered('b')) },
      });
      expect(await tierMoves(refs[1])).toEqual([['fail', 'pass', at(5)]]);
      expect((await store.getLatest(refs[2]))?.changedAt).toBe(at(1));
      expect(await transitionsOf(refs[2])).toEqual([]);
      // d went up and back down in one batch: both moves are history, the last one is latest
      expect(await store.getLatest(refs[3])).toMatchObject({
        changedAt: at(7),
        snapshot: { entityHash: hashEntity(untiered[3]) },
      });
      expect(await tierMoves(refs[3])).toEqual([
        ['fail', 'pass', at(6)],
        ['pass', 'fail', at(7)],
      ]);
      expect(await store.getLatest('component:default/e')).toMatchObject({
        changedAt: at(5),
        firstSeenAt: at(5),
      });
    });

    it('writes no transition while an entity settles (settleMs after it was first seen), its latest row each time; the first change after compares with that row', async () => {
      const settle = { settleMs: 10 * 60_000 };
      const ref = 'component:default/settling';
      const untiered = service('settling');
      const tiered = service('settling', '2');
      const record = (e: Entity, minutes: number) =>
        recordEvaluations(
          store,
          [input(evaluate(e, at(minutes)), e, at(minutes))],
          settle,
        );
      expect(await record(untiered, 30)).toEqual([
        { status: 'written', transitions: 0 },
      ]);
      // 5 and 9 minutes after first seen: up and down again, the latest row follows
      expect(await record(tiered, 35)).toEqual([
        { status: 'written', transitions: 0 },
      ]);
      expect(await record(untiered, 39)).toEqual([
        { status: 'written', transitions: 0 },
      ]);
      expect(await store.getLatest(ref)).toMatchObject({
        firstSeenAt: at(30),
        changedAt: at(39),
        snapshot: { entityHash: hashEntity(untiered) },
      });
      expect(await transitionsOf(ref)).toEqual([]);
      // 10 minutes after: history from here on, against the settled row (fail → pass)
      const [settled] = await record(tiered, 40);
      expect(settled).toEqual({
        status: 'written',
        transitions: expect.any(Number),
      });
      expect(
        (await transitionsOf(ref))
          .filter(t => t.checkId === 'tier-declared')
          .map(t => [t.from, t.to, t.at]),
      ).toEqual([['fail', 'pass', at(40)]]);
      expect(settled.status === 'written' && settled.transitions).toBe(
        (await transitionsOf(ref)).length,
      );

      // Without settleMs (the default) the first change is history at once.
      const other = 'component:default/unsettled';
      await recordEvaluations(store, [
        input(
          evaluate(service('unsettled'), at(30)),
          service('unsettled'),
          at(30),
        ),
      ]);
      await recordEvaluations(store, [
        input(
          evaluate(service('unsettled', '2'), at(31)),
          service('unsettled', '2'),
          at(31),
        ),
      ]);
      expect(
        (await transitionsOf(other)).filter(t => t.checkId === 'tier-declared'),
      ).toHaveLength(1);
    });

    it('writes a batch larger than one statement (450 entities, 200 rows per insert)', async () => {
      const many = Array.from({ length: 450 }, (_, i) =>
        service(`bulk-${i}`, String((i % 3) + 1)),
      );
      const outcomes = await recordEvaluations(
        store,
        many.map(e => input(evaluate(e, at(10)), e, at(10))),
      );
      expect(outcomes.filter(o => o.status === 'written')).toHaveLength(450);
      const heads = await store.latestHeads(
        many.map(e => `component:default/${e.metadata.name}`),
      );
      expect(heads.size).toBe(450);
      expect([...heads.values()].every(h => h.changedAt === at(10))).toBe(true);
    });

    it('stores a summary beside each result set; rows written before summaries were stored are summarized on read', async () => {
      const a = service('summary-a', '1');
      const b = service('summary-b');
      const evaluations = [evaluate(a, at(30)), evaluate(b, at(30))];
      await recordEvaluations(store, [
        input(evaluations[0], a, at(30)),
        input(evaluations[1], b, at(30)),
      ]);
      const refs = evaluations.map(e => e.entityRef);
      // As a row written before migration 20261202120000 looks.
      await store
        .db('scorecards_latest')
        .where({ entity_ref: refs[1] })
        .update({ summary_json: null });

      const listed = (await store.listLatestSummaries()).filter(l =>
        refs.includes(l.entityRef),
      );
      expect(listed.map(l => l.entityRef)).toEqual(refs);
      expect(listed.map(l => l.summary)).toEqual(
        evaluations.map(e => summarizeEvaluation(e)),
      );
      expect(listed.map(l => l.changedAt)).toEqual([at(30), at(30)]);
      // The two differ where rollups look: tier-declared passes for one, fails for the other.
      const tierState = (i: number) =>
        listed[i].summary.results.find(r => r.checkId === 'tier-declared')
          ?.state;
      expect([tierState(0), tierState(1)]).toEqual(['pass', 'fail']);

      const many = await store.getLatestMany([
        ...refs,
        'component:default/never-stored',
      ]);
      expect([...many.keys()]).toEqual(refs);
      expect(many.get(refs[0])!.evaluation).toEqual(evaluations[0]);
    });

    it('ignores an older version of the standard for the length of a rolling deploy, then takes it', async () => {
      // old and new replicas both record while a deploy rolls out a new standard version
      const e = service('rolling');
      const ref = 'component:default/rolling';
      const versioned = (evaluation: EntityEvaluation, version: number) => ({
        ...evaluation,
        standard: { ...evaluation.standard, version },
        // a check whose meaning changed with the version: its result moves
        results: evaluation.results.map(r =>
          r.checkId === 'tier-declared' && version === 8
            ? { ...r, checkVersion: r.checkVersion + 1, state: 'pass' as const }
            : r,
        ),
      });
      const v7 = (when: string) => versioned(evaluate(e, when), 7);
      const v8 = (when: string) => versioned(evaluate(e, when), 8);
      expect(
        (await recordEvaluation(store, input(v7(at(1)), e, at(1)))).status,
      ).toBe('written');
      expect(
        (await recordEvaluation(store, input(v8(at(2)), e, at(2)))).status,
      ).toBe('written');
      const moves = (await transitionsOf(ref)).length;
      // an old replica and a new one, in turn, for 20 minutes
      for (const minute of [3, 8, 13, 18]) {
        expect(
          (await recordEvaluation(store, input(v7(at(minute)), e, at(minute))))
            .status,
        ).toBe('stale');
        expect(
          (
            await recordEvaluation(
              store,
              input(v8(at(minute + 1)), e, at(minute + 1)),
            )
          ).status,
        ).toBe('unchanged');
      }
      expect((await store.getLatest(ref))!.evaluation.standard.version).toBe(8);
      expect((await transitionsOf(ref)).length).toBe(moves);
      // the hold is over: an older standard deployed on purpose is taken
      expect(
        (await recordEvaluation(store, input(v7(at(40)), e, at(40)))).status,
      ).toBe('written');
      expect((await store.getLatest(ref))!.evaluation.standard.version).toBe(7);
    });

    it('recordEvaluation is the batch of one; an empty batch writes nothing', async () => {
      const e = service('single', '1');
      expect(
        await recordEvaluation(store, input(evaluate(e, at(20)), e, at(20))),
      ).toEqual({ status: 'written', transitions: 0 });
      expect(await recordEvaluations(store, [])).toEqual([]);
    });

    it('keeps the newer state when two first writes of an entity arrive at once (a late one is stale)', async () => {
      // The scheduled pass and POST /internal/results (or two replicas) record a new entity
      // together; on PostgreSQL both used to read no row, and the one committed last won.
      for (let i = 0; i < 20; i++) {
        const older = service(`first-${i}`);
        const newer = service(`first-${i}`, '2');
        const outcomes = await Promise.all([
          recordEvaluation(
            store,
            input(evaluate(newer, at(10)), newer, at(10)),
          ),
          recordEvaluation(store, input(evaluate(older, at(1)), older, at(1))),
        ]);
        const latest = await store.getLatest(`component:default/first-${i}`);
        expect(latest!.changedAt).toBe(at(10));
        expect(latest!.snapshot.entityHash).toBe(hashEntity(newer));
        // written first, the newer one; or second, over the older one (a change of the tier)
        expect(outcomes[0].status).toBe('written');
        const transitions = await transitionsOf(`component:default/first-${i}`);
        expect(outcomes[1].status === 'stale' || transitions.length > 0).toBe(
          true,
        );
      }
    });
  },
);
