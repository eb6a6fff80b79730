import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import {
  EntityEvaluation,
  defaultStandardFile,
  evaluateEntity,
  expandEvaluation,
  hashEntity,
  indexCatalog,
  loadStandard,
} from '@internal/plugin-scorecards-common';
import {
  DefaultScorecardsResultsHandoff,
  HandedResultSet,
} from '@internal/plugin-scorecards-node';
import { ResultsPublisher, ResultsPublisherOptions } from './ResultsPublisher';

const NOW = '2026-03-14T02:05:00.000Z';
const standard = loadStandard({
  ...defaultStandardFile,
  checks: defaultStandardFile.checks.filter(c =>
    ['owner-resolves', 'lifecycle-valid', 'tier-declared'].includes(c.id),
  ),
});

function component(name: string, tier = '2'): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, labels: { 'ops.example.com/tier': tier } },
    spec: { type: 'service', lifecycle: 'production', owner: 'group:team' },
  };
}

function evaluated(entity: Entity): EntityEvaluation {
  const evaluation = evaluateEntity({
    now: NOW,
    entity,
    catalog: indexCatalog({ entities: [entity], refreshedAt: NOW }),
    standard,
    waivers: [],
  });
  if (!evaluation.scored) throw new Error('not scored');
  return evaluation;
}

/**
 * A fake `fetch` answering from a list of statuses (the last one repeats) and recording calls;
 * `html` and `empty` are 200s that are not the intake's answer (a login page, `{}`).
 */
type FakeStatus = number | 'network' | 'html' | 'empty';
function fakeFetch(statuses: FakeStatus[]) {
  const calls: { url: string; authorization: string; body: any }[] = [];
  const impl = async (url: any, init?: RequestInit) => {
    const status = statuses[Math.min(calls.length, statuses.length - 1)];
    const body = JSON.parse(String(init?.body));
    calls.push({
      url: String(url),
      authorization: String(
        (init?.headers as Record<string, string>).authorization,
      ),
      body,
    });
    if (status === 'network') throw new TypeError('fetch failed');
    if (status === 'html') {
      return new Response('<html>Sign in</html>', {
        headers: { 'content-type': 'text/html' },
      });
    }
    if (status === 'empty') return Response.json({});
    if (status === 200) {
      return Response.json({ accepted: body.results.length });
    }
    return Response.json(
      {
        error: {
          name: 'Error',
          message:
            status === 400 ? 'results[0].entityHash is required' : 'down',
        },
      },
      { status },
    );
  };
  return { fetch: impl as typeof fetch, calls };
}

function publisher(
  statuses: FakeStatus[],
  options: Partial<ResultsPublisherOptions> = {},
) {
  const clock = { now: Date.parse(NOW) };
  const logger = mockServices.logger.mock();
  const fake = fakeFetch(statuses);
  const instance = new ResultsPublisher({
    discovery: {
      getBaseUrl: async (id: string) => `http://backend/api/${id}`,
      getExternalBaseUrl: async (id: string) => `http://backend/api/${id}`,
    },
    auth: mockServices.auth(),
    logger,
    fetch: fake.fetch,
    clock: () => clock.now,
    ...options,
  });
  return { publisher: instance, calls: fake.calls, logger, clock };
}

const warnings = (logger: ReturnType<typeof mockServices.logger.mock>) =>
  (logger.warn as jest.Mock).mock.calls.map(c => String(c[0]));

describe('ResultsPublisher', () => {
  it('queues a result set only when history would record something new, newest per entity', async () => {
    const { publisher: p, calls } = publisher([200]);
    const entity = component('a');
    expect(p.offer(entity, evaluated(entity))).toBe(true);
    // Evaluated again with the same outcome: nothing new for history.
    expect(p.offer(entity, evaluated(entity))).toBe(false);
    // A changed result (tier removed → tier-declared fails) replaces the queued one.
    const untiered = { ...entity, metadata: { name: 'a' } };
    expect(p.offer(untiered, evaluated(untiered))).toBe(true);
    expect(p.queued).toBe(1);
    await p.flush();
    expect(calls).toHaveLength(1);
    const [item] = calls[0].body.results;
    expect(item).toMatchObject({
      entityRef: 'component:default/a',
      evaluatedAt: NOW,
      // The hash of the entity as the catalog stores it (namespace filled in).
      entityHash: hashEntity({
        ...untiered,
        metadata: { ...untiered.metadata, namespace: 'default' },
      }),
    });
    expect(
      item.evaluation.results.find((r: any) => r.checkId === 'tier-declared')
        .state,
    ).toBe('fail');
    expect(p.queued).toBe(0);
  });

  it('remembers the last key of a bounded number of entities (deleted ones are never announced)', async () => {
    const { publisher: p } = publisher([200], { maxRememberedKeys: 2 });
    const [a, b, c] = ['a', 'b', 'c'].map(n => component(n));
    for (const e of [a, b]) p.offer(e, evaluated(e));
    await p.flush();
    expect(p.remembered).toBe(2);
    // a is offered again (unchanged: not queued) and so is the most recent; c pushes b out
    expect(p.offer(a, evaluated(a))).toBe(false);
    expect(p.offer(c, evaluated(c))).toBe(true);
    await p.flush();
    expect(p.remembered).toBe(2);
    expect(p.offer(a, evaluated(a))).toBe(false);
    // b was forgotten: its unchanged set is posted once more (the backend answers it without writing)
    expect(p.offer(b, evaluated(b))).toBe(true);
  });

  it('posts what is queued when the plugin shuts down, instead of dropping it', async () => {
    const { publisher: p, calls } = publisher([200]);
    p.start();
    for (const name of ['a', 'b', 'c']) {
      const entity = component(name);
      p.offer(entity, evaluated(entity));
    }
    await p.shutdown();
    expect(
      calls.flatMap(c => c.body.results.map((r: any) => r.entityRef)),
    ).toEqual(['a', 'b', 'c'].map(n => `component:default/${n}`));
    expect(p.queued).toBe(0);
  });

  it('makes one last attempt at shutdown while backing off from a failure', async () => {
    const { publisher: p, calls } = publisher([503, 200]);
    const a = component('a');
    p.offer(a, evaluated(a));
    await p.flush(); // 503: backing off
    expect(p.queued).toBe(1);
    await p.shutdown();
    expect(calls).toHaveLength(2);
    expect(p.queued).toBe(0);
  });

  it('waits for a backend that does not answer only until the deadline', async () => {
    const { publisher: p } = publisher([200], {
      fetch: (() => new Promise(() => {})) as typeof fetch,
    });
    const entity = component('a');
    p.offer(entity, evaluated(entity));
    const started = Date.now();
    await p.shutdown(50);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('posts in batches of at most 500 with the service token for the scorecards plugin', async () => {
    const { publisher: p, calls } = publisher([200], { maxQueued: 2000 });
    for (let i = 0; i < 1200; i++) {
      const entity = component(`svc-${i}`);
      p.offer(entity, evaluated(entity));
    }
    await p.flush();
    expect(calls.map(c => c.body.results.length)).toEqual([500, 500, 200]);
    expect(calls[0].url).toBe('http://backend/api/scorecards/internal/results');
    expect(calls[0].authorization).toMatch(/^Bearer .*scorecards/);
    // Oldest first.
    expect(calls[0].body.results[0].entityRef).toBe('component:default/svc-0');
    expect(calls[2].body.results[199].entityRef).toBe(
      'component:default/svc-1199',
    );
  });

  it('posts the wire form to /internal/results/compact when it has the standard', async () => {
    const { publisher: p, calls } = publisher([200], { standard });
    const entity = { ...component('a'), metadata: { name: 'a' } };
    const evaluation = evaluated(entity);
    p.offer(entity, evaluation);
    await p.flush();
    expect(calls.map(c => c.url)).toEqual([
      'http://backend/api/scorecards/internal/results/compact',
    ]);
    const sent = calls[0].body.results[0].evaluation;
    expect(sent.results.some((r: any) => 'title' in r)).toBe(false);
    expect(sent.results.find((r: any) => r.state === 'fail').fix).toBe(true);
    expect(
      JSON.parse(JSON.stringify(expandEvaluation(sent, standard))),
    ).toEqual(JSON.parse(JSON.stringify(evaluation)));
  });

  it('falls back to full result sets on /internal/results when the backend lacks the compact route', async () => {
    const {
      publisher: p,
      calls,
      logger,
    } = publisher([404, 200], {
      standard,
    });
    const [a, b] = ['a', 'b'].map(n => component(n));
    p.offer(a, evaluated(a));
    await p.flush();
    // The refused batch again, in full, in the same flush.
    expect(
      calls.map(c => c.url.replace('http://backend/api/scorecards', '')),
    ).toEqual(['/internal/results/compact', '/internal/results']);
    expect(calls[1].body.results[0].evaluation).toEqual(
      JSON.parse(JSON.stringify(evaluated(a))),
    );
    expect(p.queued).toBe(0);
    // And from then on.
    p.offer(b, evaluated(b));
    await p.flush();
    expect(calls[2].url).toBe('http://backend/api/scorecards/internal/results');
    expect(calls[2].body.results[0].evaluation.results[0].title).toEqual(
      expect.any(String),
    );
    expect(warnings(logger)).toEqual([]);
    expect(logger.info).toHaveBeenCalledTimes(1);
  });

  it('also splits batches by size', async () => {
    const entity = component('a');
    const one = JSON.stringify(evaluated(entity)).length;
    const { publisher: p, calls } = publisher([200], {
      maxBatchBytes: one * 2.5,
    });
    for (let i = 0; i < 5; i++) {
      const e = component(`svc-${i}`);
      p.offer(e, evaluated(e));
    }
    await p.flush();
    expect(calls.map(c => c.body.results.length)).toEqual([2, 2, 1]);
  });

  it('sends text outside ASCII intact and splits batches by its bytes, not its characters', async () => {
    const message = `Zuständig — 🚀 ${'✓'.repeat(2000)}`;
    const withText = (entity: Entity): EntityEvaluation => {
      const evaluation = evaluated(entity);
      if (!evaluation.scored) throw new Error('not scored');
      return {
        ...evaluation,
        results: evaluation.results.map(r => ({ ...r, message })),
      };
    };
    const json = JSON.stringify(withText(component('svc-0')));
    expect(Buffer.byteLength(json)).toBeGreaterThan(json.length * 1.25);
    const { publisher: p, calls } = publisher([200], {
      // Two sets by characters, one by bytes.
      maxBatchBytes: json.length * 2.5,
    });
    for (let i = 0; i < 3; i++) {
      const e = component(`svc-${i}`);
      p.offer(e, withText(e));
    }
    await p.flush();
    expect(calls.map(c => c.body.results.length)).toEqual([1, 1, 1]);
    for (const call of calls)
      for (const r of call.body.results[0].evaluation.results)
        expect(r.message).toBe(message);
  });

  it('retries with backoff while the backend answers 503, keeping the newest set per entity', async () => {
    const {
      publisher: p,
      calls,
      clock,
      logger,
    } = publisher([503, 'network', 200]);
    const a = component('a');
    const b = component('b');
    p.offer(a, evaluated(a));
    p.offer(b, evaluated(b));
    await p.flush();
    expect(calls).toHaveLength(1);
    expect(p.queued).toBe(2);
    expect(warnings(logger)).toEqual([
      'scorecards: posting results to the scorecards backend failed (503: down); 2 result set(s) queued, next attempt in 1 s',
    ]);

    // Within the backoff nothing is sent.
    clock.now += 500;
    await p.flush();
    expect(calls).toHaveLength(1);

    // A newer result set of `a` replaces the one that failed.
    const untieredA = { ...a, metadata: { name: 'a' } };
    p.offer(untieredA, evaluated(untieredA));
    clock.now += 600;
    await p.flush(); // network error: next wait 2 s
    expect(calls).toHaveLength(2);
    clock.now += 1500;
    await p.flush();
    expect(calls).toHaveLength(2);
    clock.now += 600;
    await p.flush();
    expect(calls).toHaveLength(3);
    expect(p.queued).toBe(0);
    const sent = calls[2].body.results;
    expect(sent.map((r: any) => r.entityRef).sort()).toEqual([
      'component:default/a',
      'component:default/b',
    ]);
    const sentA = sent.find((r: any) => r.entityRef === 'component:default/a');
    expect(
      sentA.evaluation.results.find((r: any) => r.checkId === 'tier-declared')
        .state,
    ).toBe('fail');
  });

  it("takes a 2xx that is not the intake's answer (a login page, {}) as a failure and keeps the batch", async () => {
    const {
      publisher: p,
      calls,
      clock,
      logger,
    } = publisher(['html', 'empty', 200]);
    const a = component('a');
    p.offer(a, evaluated(a));
    await p.flush();
    expect(calls).toHaveLength(1);
    expect(p.queued).toBe(1);
    expect(warnings(logger)).toEqual([
      "scorecards: posting results to the scorecards backend failed (200 without the intake's answer ({ accepted }); is /internal/results served by the scorecards backend?); 1 result set(s) queued, next attempt in 1 s",
    ]);
    clock.now += 1100;
    await p.flush(); // {}: still not delivered
    expect(calls).toHaveLength(2);
    expect(p.queued).toBe(1);
    clock.now += 2100;
    await p.flush();
    expect(calls).toHaveLength(3);
    expect(p.queued).toBe(0);
    expect(calls[2].body.results.map((r: any) => r.entityRef)).toEqual([
      'component:default/a',
    ]);
  });

  it('drops the oldest beyond the cap and logs a count, never the payload', async () => {
    const {
      publisher: p,
      calls,
      logger,
    } = publisher([503, 200], {
      maxQueued: 3,
    });
    const entities = [0, 1, 2, 3, 4].map(i => component(`svc-${i}`));
    for (const e of entities) p.offer(e, evaluated(e));
    expect(p.queued).toBe(3);
    await p.flush(); // 503: the batch goes back; the log reports the drops
    const logged = warnings(logger);
    expect(logged[0]).toBe(
      "scorecards: results queue full (3); dropped the 2 oldest result set(s), the scorecards backend's scheduled pass will record them",
    );
    expect(logged.join('\n')).not.toMatch(/svc-|owner-resolves|evaluation/);
    expect(calls[0].body.results.map((r: any) => r.entityRef)).toEqual([
      'component:default/svc-2',
      'component:default/svc-3',
      'component:default/svc-4',
    ]);
    // A dropped entity is queued again by its next evaluation, even if unchanged.
    expect(p.offer(entities[0], evaluated(entities[0]))).toBe(true);
    expect(p.queued).toBe(3);
  });

  it('drops a batch the backend refuses (400) and does not resend it unchanged', async () => {
    const { publisher: p, calls, logger } = publisher([400, 200]);
    const a = component('a');
    p.offer(a, evaluated(a));
    await p.flush();
    expect(p.queued).toBe(0);
    expect(warnings(logger)).toEqual([
      'scorecards: the scorecards backend refused 1 result set(s) (400: results[0].entityHash is required); dropped, its scheduled pass will record them',
    ]);
    expect(p.offer(a, evaluated(a))).toBe(false);
    await p.flush();
    expect(calls).toHaveLength(1);
  });

  it('serializes a result set once, when a batch takes it: never one that was replaced, not again on a retry', async () => {
    const { publisher: p, calls, clock } = publisher([503, 200]);
    const serialized: string[] = [];
    /** The evaluation, counting its serializations (JSON.stringify calls toJSON). */
    const counted = (entity: Entity, label: string) => {
      const evaluation = evaluated(entity);
      Object.defineProperty(evaluation, 'toJSON', {
        enumerable: false,
        value: () => {
          serialized.push(label);
          return { ...evaluation, label };
        },
      });
      return evaluation;
    };
    const a = component('a');
    const untieredA = { ...a, metadata: { name: 'a' } };
    p.offer(a, counted(a, 'a, first'));
    p.offer(untieredA, counted(untieredA, 'a, newer'));
    expect(serialized).toEqual([]);
    await p.flush(); // 503: queued again with its JSON
    expect(serialized).toEqual(['a, newer']);
    clock.now += 1000;
    await p.flush();
    expect(serialized).toEqual(['a, newer']);
    expect(calls.map(c => c.body.results[0].evaluation.label)).toEqual([
      'a, newer',
      'a, newer',
    ]);
  });

  it('drops a result set that cannot be serialized and posts the others', async () => {
    const { publisher: p, calls, logger } = publisher([200]);
    const a = component('a');
    const b = component('b');
    p.offer(a, { ...evaluated(a), size: BigInt(1) } as EntityEvaluation);
    p.offer(b, evaluated(b));
    await p.flush();
    expect(calls.map(c => c.body.results.map((r: any) => r.entityRef))).toEqual(
      [['component:default/b']],
    );
    expect(p.queued).toBe(0);
    expect(warnings(logger)).toEqual([
      expect.stringMatching(
        /^scorecards: could not serialize the result set of component:default\/a for the scorecards backend \(TypeError: .*BigInt.*\); dropped, its scheduled pass will record it$/,
      ),
    ]);
    // Its next evaluation is queued again, even if unchanged.
    expect(p.offer(a, evaluated(a))).toBe(true);
  });

  it('never throws: a broken result set or an unreachable discovery is logged, not raised', async () => {
    const { publisher: p, logger } = publisher([200], {
      discovery: {
        getBaseUrl: async () => {
          throw new Error('no scorecards plugin');
        },
        getExternalBaseUrl: async () => '',
      },
    });
    const broken = { entityRef: 'component:default/x' } as EntityEvaluation;
    expect(p.offer(component('x'), broken)).toBe(false);
    const a = component('a');
    p.offer(a, evaluated(a));
    await expect(p.flush()).resolves.toBeUndefined();
    expect(p.queued).toBe(1);
    expect(warnings(logger)).toEqual([
      expect.stringMatching(
        /^scorecards: could not queue a result set for the scorecards backend: TypeError/,
      ),
      'scorecards: posting results to the scorecards backend failed (no scorecards plugin); 1 result set(s) queued, next attempt in 1 s',
    ]);
  });

  describe('with a scorecards backend in this process (results handoff)', () => {
    /** A handoff whose receiver records the sets and answers from `outcomes` (last repeats). */
    /** What the intake throws for sets it refuses: `InputError` of @backstage/errors, by name. */
    const inputError = (message: string) =>
      Object.assign(new Error(message), { name: 'InputError' });

    function inProcess(outcomes: Array<'ok' | Error>) {
      const handoff = new DefaultScorecardsResultsHandoff();
      const handed: HandedResultSet[][] = [];
      handoff.setReceiver(async sets => {
        const outcome = outcomes[Math.min(handed.length, outcomes.length - 1)];
        handed.push([...sets]);
        if (outcome instanceof Error) throw outcome;
        return { accepted: sets.length };
      });
      return { handoff, handed };
    }

    it('hands the sets over as the objects the engine built: no JSON, no HTTP, oldest first, ≤ 500 a batch', async () => {
      const { handoff, handed } = inProcess(['ok']);
      const { publisher: p, calls } = publisher([200], {
        handoff,
        maxQueued: 2000,
        standard, // the wire form is for HTTP only
      });
      const evaluations = new Map<string, EntityEvaluation>();
      for (let i = 0; i < 600; i++) {
        const entity = component(`svc-${i}`);
        const evaluation = evaluated(entity);
        evaluations.set(evaluation.entityRef, evaluation);
        p.offer(entity, evaluation);
      }
      const stringify = jest.spyOn(JSON, 'stringify');
      try {
        await p.flush();
        expect(stringify).not.toHaveBeenCalled();
      } finally {
        stringify.mockRestore();
      }
      expect(calls).toHaveLength(0);
      expect(handed.map(b => b.length)).toEqual([500, 100]);
      const first = handed[0][0];
      expect(first.entityRef).toBe('component:default/svc-0');
      expect(first.evaluatedAt).toBe(NOW);
      expect(first.entityHash).toBe(
        hashEntity({
          ...component('svc-0'),
          metadata: { ...component('svc-0').metadata, namespace: 'default' },
        }),
      );
      // The very object offered (the receiver stores copies of it).
      expect(first.evaluation).toBe(evaluations.get('component:default/svc-0'));
      expect(handed[1][99].entityRef).toBe('component:default/svc-599');
      expect(p.queued).toBe(0);
    });

    it('posts over HTTP until the scorecards backend registers, and hands over from then on', async () => {
      const handoff = new DefaultScorecardsResultsHandoff();
      const { publisher: p, calls } = publisher([200], { handoff });
      const a = component('a');
      p.offer(a, evaluated(a));
      await p.flush();
      expect(calls).toHaveLength(1);

      const handed: HandedResultSet[] = [];
      handoff.setReceiver(async sets => {
        handed.push(...sets);
        return { accepted: sets.length };
      });
      const b = component('b');
      p.offer(b, evaluated(b));
      await p.flush();
      expect(calls).toHaveLength(1);
      expect(handed.map(h => h.entityRef)).toEqual(['component:default/b']);
    });

    it('retries a failed handoff with backoff, keeping the newest set per entity', async () => {
      const { handoff, handed } = inProcess([
        new Error('connection pool exhausted'),
        'ok',
      ]);
      const { publisher: p, clock, logger } = publisher([200], { handoff });
      const a = component('a');
      p.offer(a, evaluated(a));
      await p.flush();
      expect(p.queued).toBe(1);
      expect(warnings(logger)).toEqual([
        'scorecards: posting results to the scorecards backend failed (in-process: connection pool exhausted); 1 result set(s) queued, next attempt in 1 s',
      ]);
      const untiered = { ...a, metadata: { name: 'a' } };
      p.offer(untiered, evaluated(untiered));
      clock.now += 1000;
      await p.flush();
      expect(handed).toHaveLength(2);
      expect(
        handed[1][0].evaluation.results.find(r => r.checkId === 'tier-declared')
          ?.state,
      ).toBe('fail');
      expect(p.queued).toBe(0);
    });

    it('drops a batch the backend refuses (InputError, a 400 over HTTP) and does not hand it over again unchanged', async () => {
      const { handoff, handed } = inProcess([
        inputError(
          'results[0].evaluation.results[0].checkId "x" is not a check of default@1',
        ),
      ]);
      const { publisher: p, logger } = publisher([200], { handoff });
      const a = component('a');
      p.offer(a, evaluated(a));
      await p.flush();
      expect(p.queued).toBe(0);
      expect(warnings(logger)).toEqual([
        'scorecards: the scorecards backend refused 1 result set(s) (in-process: results[0].evaluation.results[0].checkId "x" is not a check of default@1); dropped, its scheduled pass will record them',
      ]);
      expect(p.offer(a, evaluated(a))).toBe(false);
      await p.flush();
      expect(handed).toHaveLength(1);
    });

    it('drops a batch refused with a 4xx status (413: more than the intake takes), as over HTTP', async () => {
      const { handoff, handed } = inProcess([
        Object.assign(new Error('results must hold at most 500 items'), {
          name: 'PayloadTooLargeError',
          status: 413,
        }),
      ]);
      const { publisher: p, logger } = publisher([200], { handoff });
      const a = component('a');
      p.offer(a, evaluated(a));
      await p.flush();
      expect(handed).toHaveLength(1);
      expect(p.queued).toBe(0);
      expect(warnings(logger)[0]).toMatch(
        /^scorecards: the scorecards backend refused 1 result set\(s\) \(in-process: results must hold at most 500 items\)/,
      );
    });

    it('gives up on an intake that does not answer within the timeout and retries later', async () => {
      const handoff = new DefaultScorecardsResultsHandoff();
      let calls = 0;
      handoff.setReceiver(sets => {
        calls++;
        // The first attempt never answers; the retry does.
        return calls === 1
          ? new Promise(() => {})
          : Promise.resolve({ accepted: sets.length });
      });
      const {
        publisher: p,
        clock,
        logger,
      } = publisher([200], {
        handoff,
        timeoutMs: 20,
      });
      const a = component('a');
      p.offer(a, evaluated(a));
      await p.flush();
      expect(p.queued).toBe(1);
      expect(warnings(logger)).toEqual([
        'scorecards: posting results to the scorecards backend failed (in-process: timed out); 1 result set(s) queued, next attempt in 1 s',
      ]);
      clock.now += 1000;
      await p.flush();
      expect(calls).toBe(2);
      expect(p.queued).toBe(0);
    });
  });
});
