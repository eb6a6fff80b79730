import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import type { JsonObject } from '@backstage/types';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  EntityEvaluation,
  evaluateEntity,
  hashEntity,
  indexCatalog,
} from '@internal/plugin-scorecards-common';
import type { HandedResultSet } from '@internal/plugin-scorecards-node';
import path from 'node:path';
import { recordingAuditor } from '../__testUtils__/recordingAuditor';
import {
  ScorecardsTestBackend,
  startScorecardsTestBackend,
} from '../__testUtils__/startScorecardsTestBackend';
import { noEvidence } from '../__testUtils__/noEvidence';

jest.setTimeout(60_000);

const databases = TestDatabases.create({
  ids: ['SQLITE_3'],
  disableDocker: true,
});

const T = '2026-03-14T02:05:00.000Z';
const at = (minutes: number) =>
  new Date(Date.parse(T) + minutes * 60_000).toISOString();
const SVC = 'component:default/checkout-service';
const STANDARD = path.resolve(
  __dirname,
  '../../../catalog-backend-module-scorecards/src/__fixtures__/small-standard.yaml',
);
const group: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name: 'checkout-team', namespace: 'default' },
  spec: { type: 'team', children: [], members: [] },
};
const service: Entity = {
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
};
const evidence = noEvidence(T);

/** Freezes `value` and everything in it, so a receiver that changed it would throw. */
function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** The service without its tier label: `tier-declared` fails. */
const untiered: Entity = { ...service, metadata: { ...service.metadata } };
delete (untiered.metadata as { labels?: unknown }).labels;

/** A scorecards backend on the small standard, with the test's further `scorecards` config. */
async function startBackend(
  scorecards: JsonObject = {},
): Promise<ScorecardsTestBackend> {
  return startScorecardsTestBackend({
    knex: await databases.init('SQLITE_3'),
    services: {
      permissions: mockServices.permissions({
        result: AuthorizeResult.ALLOW,
      }),
      auditor: recordingAuditor().auditor,
      catalog: catalogServiceMock({ entities: [group, service] }),
      evidence,
    },
    clock: () => new Date(at(60)),
    scorecards: { standardFile: STANDARD, ...scorecards },
  });
}

/**
 * The catalog module's set for `entity` at `now` against `backend`'s standard, frozen as the
 * module may still hold it.
 */
function handedSet(
  backend: ScorecardsTestBackend,
  now: string,
  entity: Entity = service,
): HandedResultSet {
  const evaluation = evaluateEntity({
    now,
    entity,
    catalog: indexCatalog({ entities: [group, entity], refreshedAt: now }),
    standard: backend.handles.evaluator.standard,
    waivers: [],
    firstSeenAt: T,
  });
  if (!evaluation.scored) throw new Error('not scored');
  return deepFreeze({
    entityRef: evaluation.entityRef,
    evaluatedAt: evaluation.evaluatedAt,
    entityHash: hashEntity(entity),
    evaluation,
  });
}

describe('the results handoff of a scorecards backend in this process', () => {
  let backend: ScorecardsTestBackend;

  beforeAll(async () => {
    backend = await startBackend();
  });

  afterAll(async () => {
    await backend?.stop();
  });

  const handed = (now: string, entity: Entity = service) =>
    handedSet(backend, now, entity);

  it('records handed sets as POST /internal/results does, without changing them', async () => {
    const receive = backend.handoff.receiver();
    expect(receive).toBeDefined();
    const first = handed(at(1));
    await expect(receive!([first])).resolves.toEqual({ accepted: 1 });
    const stored = await backend.handles.store.getLatest(SVC);
    expect(stored).toMatchObject({
      changedAt: at(1),
      snapshot: { entityHash: hashEntity(service) },
    });
    expect(stored?.evaluation.results.map(r => r.checkId)).toEqual(
      first.evaluation.results.map(r => r.checkId),
    );

    // The same outcome later: accepted, nothing written (idempotent as over HTTP).
    await expect(receive!([handed(at(2))])).resolves.toEqual({ accepted: 1 });
    expect((await backend.handles.store.getLatest(SVC))?.changedAt).toBe(at(1));

    // The tier removed: a transition at the evaluation's time.
    await expect(receive!([handed(at(5), untiered)])).resolves.toEqual({
      accepted: 1,
    });
    const transitions = await backend.handles.store.listTransitions({
      entityRef: SVC,
    });
    expect(transitions).toContainEqual(
      expect.objectContaining({ checkId: 'tier-declared', at: at(5) }),
    );
  });

  it('refuses a set it cannot store with an InputError naming the field, and writes nothing', async () => {
    const receive = backend.handoff.receiver()!;
    const set = handed(at(10));
    const foreign: EntityEvaluation = {
      ...set.evaluation,
      results: set.evaluation.results.map((r, i) =>
        i === 0 ? { ...r, checkId: 'not-in-this-standard' } : r,
      ),
    };
    const before = await backend.handles.store.getLatest(SVC);
    await expect(
      receive([{ ...set, evaluation: foreign }]),
    ).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringMatching(
        /^results\[0\]\.evaluation\.results\[0\]\.checkId "not-in-this-standard" is not a check of /,
      ),
    });
    expect(await backend.handles.store.getLatest(SVC)).toEqual(before);
  });

  it('takes its receiver from the scorecards plugin only', () => {
    expect(() =>
      backend.handoff.setReceiver(async () => ({ accepted: 0 })),
    ).toThrow(
      'scorecards: only the scorecards plugin registers the results receiver, not catalog',
    );
  });
});

describe('the results handoff with scorecards.history.settleMinutes', () => {
  it('records the first minutes of an entity as its latest results only, then as history', async () => {
    const backend = await startBackend({ history: { settleMinutes: 10 } });
    try {
      const receive = backend.handoff.receiver()!;
      const set = (minutes: number, entity: Entity) =>
        handedSet(backend, at(minutes), entity);
      const tierMoves = async () =>
        (await backend.handles.store.listTransitions({ entityRef: SVC }))
          .filter(t => t.checkId === 'tier-declared')
          .map(t => [t.from, t.to, t.at]);
      await receive([set(1, untiered)]);
      await receive([set(6, service)]);
      expect(await backend.handles.store.getLatest(SVC)).toMatchObject({
        firstSeenAt: at(1),
        changedAt: at(6),
      });
      expect(await tierMoves()).toEqual([]);
      await receive([set(12, untiered)]);
      expect(await tierMoves()).toEqual([['pass', 'fail', at(12)]]);
    } finally {
      await backend.stop();
    }
  });
});
