import {
  TestDatabases,
  mockCredentials,
  mockServices,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { EvidenceService } from '@internal/plugin-evidence-node';
import {
  CompactCheckResult,
  EntityEvaluation,
  compactEvaluation,
  defaultStandardFile,
  evaluateEntity,
  hashEntity,
  indexCatalog,
  loadStandard,
} from '@internal/plugin-scorecards-common';
import path from 'node:path';
import request from 'supertest';
import { recordingAuditor } from '../__testUtils__/recordingAuditor';
import { startScorecardsTestBackend } from '../__testUtils__/startScorecardsTestBackend';
import { initScorecards } from './initScorecards';
import {
  MAX_EVALUATION_BYTES,
  estimateJsonSize,
  isWellFormedEvaluation,
  storedEvaluation,
} from './internalResultsRouter';

jest.setTimeout(60_000);

const databases = TestDatabases.create({
  ids: ['POSTGRES_15', 'SQLITE_3'],
  disableDocker: true,
});

const T = '2026-03-14T02:05:00.000Z';
const MIN = 60_000;
const at = (minutes: number) =>
  new Date(Date.parse(T) + minutes * MIN).toISOString();
const SVC = 'component:default/checkout-service';
const STANDARD = path.resolve(
  __dirname,
  '../../../catalog-backend-module-scorecards/src/__fixtures__/small-standard.yaml',
);

const entities: Entity[] = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: 'checkout-team', namespace: 'default' },
    spec: { type: 'team', children: [], members: ['ana'] },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'checkout-service',
      namespace: 'default',
      labels: { 'ops.example.com/tier': '2' },
    },
    spec: {
      type: 'service',
      lifecycle: 'production',
      owner: 'group:default/checkout-team',
    },
  },
];
const service = entities[1];

/** The backend's own evidence: the same repository settings the tests post evaluations of. */
const evidenceState = { protected: false, observedAt: T };
const evidence = {
  async readEntities(refs: string[]) {
    return {
      available: true,
      asOf: T,
      data: new Map(
        refs.map(ref => [
          ref,
          { facts: ref === SVC ? [fact(evidenceState)] : [], collection: [] },
        ]),
      ),
    };
  },
  async sourceHealth() {
    return { available: true, asOf: T, data: [] };
  },
} as Partial<EvidenceService> as EvidenceService;

function fact(state: { protected: boolean; observedAt: string }) {
  return {
    entityRef: SVC,
    source: 'repo-host',
    kind: 'repo.settings',
    key: '',
    value: { protected: state.protected },
    observedAt: state.observedAt,
    collectedAt: state.observedAt,
    freshForSeconds: 7 * 86400,
  } as any;
}

/** The scorecards backend over these entities and evidence, everything allowed, at `clock`. */
function startBackend(
  knex: Awaited<ReturnType<typeof databases.init>>,
  clock: () => Date,
) {
  return startScorecardsTestBackend({
    knex,
    services: {
      permissions: mockServices.permissions({
        result: AuthorizeResult.ALLOW,
      }),
      auditor: recordingAuditor().auditor,
      catalog: catalogServiceMock({ entities }),
      evidence,
    },
    clock,
    scorecards: { standardFile: STANDARD },
  });
}

const catalogToken = mockCredentials.service.header({
  onBehalfOf: mockCredentials.service('plugin:catalog'),
  targetPluginId: 'scorecards',
});

describe.each(databases.eachSupportedId())(
  'POST /internal/results on %s',
  databaseId => {
    let server: any;
    let stop: () => Promise<void>;
    let handles: Awaited<ReturnType<typeof initScorecards>>;

    beforeAll(async () => {
      const knex = await databases.init(databaseId);
      ({ server, stop, handles } = await startBackend(
        knex,
        () => new Date(at(60)),
      ));
    });

    afterAll(async () => {
      await stop?.();
    });

    /** What the catalog module computes for the service at `now`. */
    function evaluationAt(now: string, protectedBranch: boolean) {
      const evaluation = evaluateEntity({
        now,
        entity: service,
        catalog: indexCatalog({ entities, refreshedAt: now }),
        standard: handles.evaluator.standard,
        facts: [fact({ protected: protectedBranch, observedAt: T })],
        waivers: [],
        firstSeenAt: T,
      });
      if (!evaluation.scored) throw new Error('not scored');
      return evaluation;
    }
    const item = (evaluation: EntityEvaluation, entity = service) => ({
      entityRef: evaluation.entityRef,
      evaluatedAt: evaluation.evaluatedAt,
      entityHash: hashEntity(entity),
      evaluation,
    });
    const post = (body: unknown, authorization = catalogToken) =>
      request(server)
        .post('/api/scorecards/internal/results')
        .set('authorization', authorization)
        .send(body as object);
    const transitions = () => handles.store.listTransitions({ entityRef: SVC });

    it('refuses calls without credentials (401)', async () => {
      const res = await request(server)
        .post('/api/scorecards/internal/results')
        .send({ results: [] });
      expect(res.status).toBe(401);
    });

    it('refuses user tokens and other services (403, SR39)', async () => {
      const body = { results: [item(evaluationAt(at(1), false))] };
      const user = await post(
        body,
        mockCredentials.user.header('user:default/ana'),
      );
      expect(user.status).toBe(403);
      const other = await post(
        body,
        mockCredentials.service.header({
          onBehalfOf: mockCredentials.service('plugin:scaffolder'),
          targetPluginId: 'scorecards',
        }),
      );
      expect(other.status).toBe(403);
      expect(other.body.error.message).toBe(
        "POST /internal/results accepts only the catalog plugin's service credentials (plugin:catalog), not plugin:scaffolder",
      );
      expect(await handles.store.getLatest(SVC)).toBeUndefined();
    });

    it('answers 400 naming the field', async () => {
      const good = item(evaluationAt(at(1), false));
      /** A body of one item whose result set holds `results`. */
      const withResults = (results: unknown[]) => ({
        results: [{ ...good, evaluation: { ...good.evaluation, results } }],
      });
      const cases: [unknown, unknown][] = [
        [[], 'body must be a JSON object { "results": [...] } (got an array)'],
        [{}, 'results is required'],
        [
          { results: [good, { ...good, entityRef: 'component:x' }] },
          'results[1].entityRef "component:x" is not a full ref (kind:namespace/name)',
        ],
        // The column holds 320 characters: PostgreSQL refused a longer ref with a 500.
        [
          {
            results: [
              {
                ...good,
                entityRef: `component:default/${'a'.repeat(400)}`,
                evaluation: {
                  ...good.evaluation,
                  entityRef: `component:default/${'a'.repeat(400)}`,
                },
              },
            ],
          },
          'results[0].entityRef must be at most 320 characters',
        ],
        [
          { results: [{ ...good, evaluatedAt: 'yesterday' }] },
          'results[0].evaluatedAt must be an ISO-8601 UTC timestamp (got "yesterday")',
        ],
        // A day that does not exist: Date.parse would store it as 2 March.
        [
          { results: [{ ...good, evaluatedAt: '2026-02-30T00:00:00Z' }] },
          'results[0].evaluatedAt must be an ISO-8601 UTC timestamp (got "2026-02-30T00:00:00Z")',
        ],
        [
          { results: [{ ...good, entityHash: 'x' }] },
          'results[0].entityHash must be 16 lowercase hex digits (hashEntity of the entity)',
        ],
        [
          {
            results: [
              good,
              {
                ...good,
                evaluation: {
                  ...good.evaluation,
                  results: [{ ...good.evaluation.results[0], state: 'green' }],
                },
              },
            ],
          },
          // Validated before anything is written: results[0] is not stored either.
          'results[1].evaluation.results[0].state must be one of pass, fail, unknown, not-applicable, waived (got "green")',
        ],
        // The same standard id and version with other checks: a module loaded with another
        // file. The wire form cannot carry such a set; the full form must not store it either.
        [
          withResults([
            good.evaluation.results[0],
            { ...good.evaluation.results[1], checkId: 'no-such-check' },
          ]),
          'results[0].evaluation.results[1].checkId "no-such-check" is not a check of small@3; the catalog module and the scorecards backend must load the same standard',
        ],
        [
          withResults([good.evaluation.results[0], good.evaluation.results[0]]),
          `results[0].evaluation.results[1].checkId "${good.evaluation.results[0].checkId}" appears twice; a result set holds one result per check`,
        ],
        [
          { results: [{ ...good, evaluation: { scored: false } }] },
          'results[0].evaluation.entityRef is required',
        ],
        [
          { results: [{ ...good, entityRef: 'component:default/other' }] },
          'results[0].evaluation.entityRef "component:default/checkout-service" must be the item\'s entityRef "component:default/other"',
        ],
        [
          {
            results: [
              {
                ...good,
                evaluation: {
                  ...good.evaluation,
                  results: [
                    {
                      ...good.evaluation.results[0],
                      message: 'x'.repeat(MAX_EVALUATION_BYTES),
                    },
                    ...good.evaluation.results.slice(1),
                  ],
                },
              },
            ],
          },
          expect.stringMatching(
            /^results\[0\]\.evaluation must be at most 256 KB of JSON \(got more than 25\d KB\); post the engine's result set, nothing else$/,
          ),
        ],
        [
          { results: [{ ...good, evaluatedAt: at(70) }] },
          `results[0].evaluatedAt must not be in the future (got ${at(
            70,
          )}, backend time ${at(60)})`,
        ],
      ];
      for (const [body, message] of cases) {
        const res = await post(body);
        expect({
          status: res.status,
          message: res.body.error?.message,
        }).toEqual({ status: 400, message });
      }
      expect(await handles.store.getLatest(SVC)).toBeUndefined();
    });

    it('answers 413 naming the limit for more than 500 results', async () => {
      const good = item(evaluationAt(at(1), false));
      const res = await post({ results: new Array(501).fill(good) });
      expect(res.status).toBe(413);
      expect(res.body.error.message).toBe(
        'results must hold at most 500 items per request (got 501); split the batch',
      );
      expect(await handles.store.getLatest(SVC)).toBeUndefined();
    });

    it('answers 413 for a body over 32 MB and stores nothing', async () => {
      const res = await request(server)
        .post('/api/scorecards/internal/results')
        .set('authorization', catalogToken)
        .set('content-type', 'application/json')
        .send(`{"results":[],"padding":"${'x'.repeat(33 * 1024 * 1024)}"}`);
      expect(res.status).toBe(413);
      expect(await handles.store.getLatest(SVC)).toBeUndefined();
      // the limit is this route's own, not the router's default 1 MB: 2 MB is read
      const read = await request(server)
        .post('/api/scorecards/internal/results')
        .set('authorization', catalogToken)
        .set('content-type', 'application/json')
        .send(`{"results":[],"padding":"${'x'.repeat(2 * 1024 * 1024)}"}`);
      expect(read.status).not.toBe(413);
    });

    it('writes latest and transitions once per change, ignores repeats and late deliveries', async () => {
      // First result set: latest written, no transition (nothing to compare with).
      const first = item(evaluationAt(at(1), false));
      expect((await post({ results: [first] })).body).toEqual({ accepted: 1 });
      const stored = await handles.store.getLatest(SVC);
      expect(stored).toMatchObject({
        changedAt: at(1),
        firstSeenAt: at(1),
        snapshot: { level: 'L1', entityHash: hashEntity(service) },
      });
      expect(stored?.resultHash).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect(await transitions()).toEqual([]);

      // The same result set again, later: accepted, nothing written (idempotent).
      const again = item(evaluationAt(at(2), false));
      expect((await post({ results: [again] })).body).toEqual({ accepted: 1 });
      expect((await handles.store.getLatest(SVC))?.changedAt).toBe(at(1));

      // Branch protected: one check row and one level row, at the evaluation's time.
      const fixed = item(evaluationAt(at(5), true));
      expect((await post({ results: [fixed] })).body).toEqual({ accepted: 1 });
      const rows = await transitions();
      expect(rows).toEqual([
        expect.objectContaining({
          checkId: 'branch-protection',
          from: 'fail',
          to: 'pass',
          at: at(5),
          cause: 'evidence-changed',
        }),
        expect.objectContaining({ checkId: null, from: 'L1', to: 'L2' }),
      ]);
      // Posted twice (a retry after a lost answer): one transition set.
      expect((await post({ results: [fixed] })).body).toEqual({ accepted: 1 });
      expect(await transitions()).toHaveLength(2);

      // A delivery older than the stored change is ignored: no write, no transition.
      const late = item(evaluationAt(at(3), false));
      expect((await post({ results: [late] })).body).toEqual({ accepted: 0 });
      expect(await handles.store.getLatest(SVC)).toMatchObject({
        changedAt: at(5),
        snapshot: { level: 'L2' },
      });
      expect(await transitions()).toHaveLength(2);

      // `since` of unchanged results is carried from the stored set; first-seen stays.
      const latest = await handles.store.getLatest(SVC);
      const owner = latest?.evaluation.results.find(
        r => r.checkId === 'owner-resolves',
      );
      expect(owner?.since).toBe(at(1));
      expect(latest?.firstSeenAt).toBe(at(1));
    });

    it('shares the scheduled pass code path: the pass finds nothing to write after a post', async () => {
      evidenceState.protected = true;
      const report = await handles.evaluator.runPass(at(10));
      expect(report).toMatchObject({
        evaluated: 1,
        changed: 0,
        transitions: 0,
      });
      // The pass's change, then a late post made before it: ignored.
      evidenceState.protected = false;
      expect(await handles.evaluator.runPass(at(20))).toMatchObject({
        changed: 1,
        transitions: 2,
      });
      const late = item(evaluationAt(at(15), true));
      expect((await post({ results: [late] })).body).toEqual({ accepted: 0 });
      expect(await handles.store.getLatest(SVC)).toMatchObject({
        changedAt: at(20),
        snapshot: { level: 'L1' },
      });
    });

    it('ignores result sets of another standard version', async () => {
      const before = await transitions();
      const evaluation = evaluationAt(at(30), true);
      const other = item({
        ...evaluation,
        standard: { id: 'small', version: 2 },
      });
      expect((await post({ results: [other] })).body).toEqual({ accepted: 0 });
      expect(await transitions()).toEqual(before);
      expect((await handles.store.getLatest(SVC))?.snapshot.level).toBe('L1');
    });

    it('leaves a set of an entity the catalog no longer holds out of rollups and check summaries (§2.10)', async () => {
      // A post retried after the entity was deleted (and its row pruned by the pass) writes it
      // back; reads leave it out at once, as they would a row the pass has not pruned yet.
      const user = mockCredentials.user.header();
      const read = async () => ({
        rollups: (
          await request(server)
            .get('/api/scorecards/rollups?groupBy=owner')
            .set('authorization', user)
        ).body.items,
        checks: (
          await request(server)
            .get('/api/scorecards/checks')
            .set('authorization', user)
        ).body.items,
      });
      const before = await read();
      const gone: Entity = {
        ...service,
        metadata: { ...service.metadata, name: 'deleted-service' },
      };
      const evaluation = evaluateEntity({
        now: at(55),
        entity: gone,
        catalog: indexCatalog({
          entities: [...entities, gone],
          refreshedAt: at(55),
        }),
        standard: handles.evaluator.standard,
        facts: [],
        waivers: [],
        firstSeenAt: T,
      });
      if (!evaluation.scored) throw new Error('not scored');
      expect((await post({ results: [item(evaluation, gone)] })).body).toEqual({
        accepted: 1,
      });
      expect(
        await handles.store.getLatest('component:default/deleted-service'),
      ).toBeDefined();
      expect(before.rollups.length).toBeGreaterThan(0);
      expect(await read()).toEqual(before);
    });

    it('stores the posted evaluation as it came, fields it does not read included', async () => {
      const evaluation = evaluationAt(at(40), true);
      const posted = {
        ...evaluation,
        futureField: { nested: [1, 'two', null] },
        results: evaluation.results.map(r => ({ ...r, hint: `${r.checkId}!` })),
      };
      expect((await post({ results: [item(posted)] })).body).toEqual({
        accepted: 1,
      });
      const stored = (await handles.store.getLatest(SVC))?.evaluation;
      expect(stored).toMatchObject({
        futureField: { nested: [1, 'two', null] },
        level: 'L2',
      });
      expect(stored?.results.map(r => (r as any).hint)).toEqual(
        evaluation.results.map(r => `${r.checkId}!`),
      );
    });

    describe('POST /internal/results/compact', () => {
      const postCompact = (body: unknown, authorization = catalogToken) =>
        request(server)
          .post('/api/scorecards/internal/results/compact')
          .set('authorization', authorization)
          .send(body as object);
      const compactItem = (evaluation: EntityEvaluation) => ({
        ...item(evaluation),
        evaluation: compactEvaluation(evaluation, handles.evaluator.standard),
      });
      const withoutSince = (e: unknown) =>
        JSON.parse(JSON.stringify(e), (key, value) =>
          key === 'since' ? undefined : value,
        );

      it('refuses calls without credentials (401) and user tokens (403)', async () => {
        const res = await request(server)
          .post('/api/scorecards/internal/results/compact')
          .send({ results: [] });
        expect(res.status).toBe(401);
        const user = await postCompact(
          { results: [] },
          mockCredentials.user.header(),
        );
        expect(user.status).toBe(403);
      });

      it('stores the set the module computed, restored from the standard', async () => {
        const evaluation = evaluationAt(at(50), false);
        const sent = compactItem(evaluation);
        expect(JSON.stringify(sent).length).toBeLessThan(
          JSON.stringify(item(evaluation)).length,
        );
        expect((await postCompact({ results: [sent] })).body).toEqual({
          accepted: 1,
        });
        const stored = await handles.store.getLatest(SVC);
        expect(stored?.changedAt).toBe(at(50));
        expect(withoutSince(stored?.evaluation)).toEqual(
          withoutSince(evaluation),
        );
        const failing = stored?.evaluation.results.find(
          r => r.checkId === 'branch-protection',
        );
        expect(failing).toMatchObject({
          state: 'fail',
          title: expect.any(String),
        });
        expect(failing?.fix?.summary).toEqual(expect.any(String));
        // The same set posted in full afterwards: unchanged (one snapshot, one hash).
        const full = item(evaluationAt(at(51), false));
        expect((await post({ results: [full] })).body).toEqual({ accepted: 1 });
        expect((await handles.store.getLatest(SVC))?.changedAt).toBe(at(50));
      });

      it('answers 400 naming a result whose check the standard lacks, and stores nothing', async () => {
        const before = await handles.store.getLatest(SVC);
        const sent = compactItem(evaluationAt(at(52), true));
        sent.evaluation.results[0].checkId = 'no-such-check';
        const res = await postCompact({ results: [sent] });
        expect(res.status).toBe(400);
        expect(res.body.error.message).toBe(
          'results[0].evaluation.results[0].checkId "no-such-check" is not a check of small@3; the catalog module and the scorecards backend must load the same standard',
        );
        expect(await handles.store.getLatest(SVC)).toEqual(before);
      });

      it('answers 400 naming a field the restored set lacks', async () => {
        const sent = compactItem(evaluationAt(at(53), true));
        delete (sent.evaluation.results[1] as Partial<CompactCheckResult>)
          .state;
        const res = await postCompact({ results: [sent] });
        expect(res.status).toBe(400);
        expect(res.body.error.message).toBe(
          'results[0].evaluation.results[1].state is required',
        );
      });
    });
  },
);

describe('validation of a posted evaluation', () => {
  const standard = loadStandard(defaultStandardFile, { fileName: 'default' });
  /** A 45-check result set with evidence, a missing item and a waiver in its first results. */
  function sample(): EntityEvaluation {
    const evaluation = evaluateEntity({
      now: T,
      entity: service,
      catalog: indexCatalog({ entities, refreshedAt: T }),
      standard,
      facts: [fact({ protected: true, observedAt: T })],
      waivers: [],
      firstSeenAt: T,
    });
    if (!evaluation.scored) throw new Error('not scored');
    const results = [...evaluation.results].sort(
      (a, b) => b.evidence.length - a.evidence.length,
    );
    results[1] = {
      ...results[1],
      missing: [{ cause: 'stale', source: 'repo-host', kind: 'x' } as any],
    };
    results[2] = { ...results[2], waiver: { id: 'w-1', unused: false } as any };
    return JSON.parse(JSON.stringify({ ...evaluation, results }));
  }

  it('takes the fast path only for evaluations the schema accepts', () => {
    const base = sample();
    expect(base.results.length).toBeGreaterThan(40);
    expect(base.results[0].evidence.length).toBeGreaterThan(0);
    expect(isWellFormedEvaluation(base)).toBe(true);
    expect(storedEvaluation.safeParse(base).success).toBe(true);

    // Every field of the evaluation and of its first three results (evidence, missing and
    // waiver included), replaced by values of each wrong type or removed.
    const paths: (string | number)[][] = [];
    const walk = (value: unknown, where: (string | number)[]) => {
      paths.push(where);
      if (value === null || typeof value !== 'object') return;
      const keys = Array.isArray(value)
        ? value.map((_, i) => i).slice(0, where.at(-1) === 'results' ? 3 : 5)
        : Object.keys(value);
      for (const key of keys) walk((value as any)[key], [...where, key]);
    };
    walk(base, []);
    const wrong = [undefined, null, 1.5, 2 ** 60, 7, '', 'x', true, [], {}];
    const unsound: string[] = [];
    let refused = 0;
    for (const where of paths.slice(1)) {
      for (const value of wrong) {
        let parent: any = base;
        for (const key of where.slice(0, -1)) parent = parent[key];
        const key = where.at(-1)!;
        const original = parent[key];
        if (value === undefined) delete parent[key];
        else parent[key] = value;
        const accepted = storedEvaluation.safeParse(base).success;
        if (!accepted) refused++;
        if (!accepted && isWellFormedEvaluation(base)) {
          unsound.push(`${where.join('.')} = ${JSON.stringify(value)}`);
        }
        parent[key] = original;
      }
    }
    expect(unsound).toEqual([]);
    expect(refused).toBeGreaterThan(500);
  });

  it('estimates the JSON size within a few percent, at any depth', () => {
    const base = sample();
    const size = JSON.stringify(base).length;
    const estimate = estimateJsonSize(base, Infinity);
    expect(Math.abs(estimate / size - 1)).toBeLessThan(0.1);
    // Stops at the limit.
    expect(estimateJsonSize(base, 1000)).toBeLessThan(1200);
    let deep: unknown = 'x';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(estimateJsonSize(deep, Infinity)).toBeGreaterThan(200_000);
  });
});

describe('the trend of GET /entities/… against GET …/history', () => {
  it('keeps the stored level on past days of an entity with no level row, and shows the live one today', async () => {
    const knex = await databases.init('SQLITE_3');
    const clock = { now: new Date(Date.parse(T) - 30 * 24 * 60 * MIN) };
    const { server, stop, handles } = await startBackend(knex, () => clock.now);
    const saved = { ...evidenceState };
    try {
      // a pass 30 days ago stores the service with its branch protected
      Object.assign(evidenceState, {
        protected: true,
        observedAt: clock.now.toISOString(),
      });
      await handles.evaluator.runPass(clock.now.toISOString());
      // protection removed just now; no pass since
      clock.now = new Date(T);
      Object.assign(evidenceState, { protected: false, observedAt: T });
      const user = mockCredentials.user.header();
      const card = await request(server)
        .get('/api/scorecards/entities/component/default/checkout-service')
        .set('authorization', user);
      const history = await request(server)
        .get(
          '/api/scorecards/entities/component/default/checkout-service/history',
        )
        .set('authorization', user);
      const day = (points: { date: string; level: string }[], date: string) =>
        points.find(p => p.date === date)?.level;
      const stored = day(history.body.levels, '2026-02-20');
      expect(stored).toBeDefined();
      expect(card.body.level).not.toBe(stored);
      // every past day since the first evaluation is the stored level; today is the live one
      expect(day(card.body.trend, '2026-02-20')).toBe(stored);
      expect(
        card.body.trend.filter((p: { level: string }) => p.level === stored),
      ).toHaveLength(30);
      expect(card.body.trend.at(-1)).toEqual({
        date: '2026-03-14',
        level: card.body.level,
      });
    } finally {
      Object.assign(evidenceState, saved);
      await stop();
    }
  });
});
