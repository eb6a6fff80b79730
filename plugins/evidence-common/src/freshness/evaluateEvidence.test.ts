import { SourceHealth, EntityCollectionStatus } from '../schemas/sourceHealth';
import { evaluateEvidence } from './evaluateEvidence';
import { makeFact } from './testFacts';

const fact = makeFact({
  observedAt: '2026-03-14T00:00:00.000Z',
  freshForSeconds: 3600,
});
const health = (status: SourceHealth['status']): SourceHealth => ({
  source: 'repo',
  status,
  since: '2026-03-13T00:00:00.000Z',
  lastSuccessAt: null,
  lastAttemptAt: null,
});
const collection = (
  error?: EntityCollectionStatus['error'],
): EntityCollectionStatus => ({
  entityRef: 'component:default/checkout-service',
  source: 'repo',
  lastAttemptAt: '2026-03-14T00:30:00.000Z',
  lastSuccessAt: null,
  ...(error ? { error } : {}),
});

describe('evaluateEvidence (§5.2, EV14, EV15, SR4, SR5, SC17)', () => {
  it.each<[string, Parameters<typeof evaluateEvidence>[0], object]>([
    [
      'age = window is fresh (inclusive)',
      { fact, now: '2026-03-14T01:00:00.000Z' },
      {
        state: 'fresh',
        ageSeconds: 3600,
        windowSeconds: 3600,
        observedAt: fact.observedAt,
      },
    ],
    [
      'window + 1 s is stale with the recorded collection error',
      {
        fact,
        now: '2026-03-14T01:00:01.000Z',
        collection: collection('not-found'),
      },
      { state: 'stale', cause: 'not-found', ageSeconds: 3601 },
    ],
    [
      'stale without a collection error has no cause',
      { fact, now: '2026-03-14T01:00:01.000Z' },
      { state: 'stale', cause: undefined },
    ],
    [
      'a source outage turns old evidence into source-unavailable',
      { fact, now: '2026-03-14T02:00:00.000Z', health: health('unavailable') },
      { state: 'source-unavailable', cause: 'source-down' },
    ],
    [
      'a disabled source is source-unavailable too',
      { now: '2026-03-14T02:00:00.000Z', health: health('disabled') },
      { state: 'source-unavailable', cause: 'source-down' },
    ],
    [
      'a fresh fact stays fresh during an outage',
      { fact, now: '2026-03-14T00:30:00.000Z', health: health('unavailable') },
      { state: 'fresh', cause: undefined },
    ],
    [
      'a degraded source does not hide staleness',
      { fact, now: '2026-03-14T02:00:00.000Z', health: health('degraded') },
      { state: 'stale' },
    ],
    [
      'never collected is missing',
      { now: '2026-03-14T02:00:00.000Z' },
      {
        state: 'missing',
        cause: 'never-collected',
        ageSeconds: null,
        windowSeconds: null,
        observedAt: null,
      },
    ],
    [
      'missing names join-key-missing when recorded',
      {
        now: '2026-03-14T02:00:00.000Z',
        collection: collection('join-key-missing'),
      },
      { state: 'missing', cause: 'join-key-missing' },
    ],
    [
      'an unavailable evidence backend wins over everything',
      { fact, now: '2026-03-14T00:10:00.000Z', readAvailable: false },
      { state: 'source-unavailable', cause: 'evidence-backend' },
    ],
    [
      'a longer consumer window has no effect (EV14)',
      { fact, now: '2026-03-14T01:00:01.000Z', maxAgeSeconds: 7200 },
      { state: 'stale', windowSeconds: 3600 },
    ],
    [
      'a shorter consumer window applies (EV14)',
      { fact, now: '2026-03-14T00:30:01.000Z', maxAgeSeconds: 1800 },
      { state: 'stale', windowSeconds: 1800 },
    ],
    [
      'a future observedAt counts as age 0',
      { fact, now: '2026-03-13T23:00:00.000Z' },
      { state: 'fresh', ageSeconds: 0 },
    ],
  ])('%s', (_name, input, expected) => {
    const result = evaluateEvidence(input);
    const { cause, ...rest } = expected as { cause?: string };
    expect(result).toMatchObject(rest);
    // A case without a cause expects none.
    expect(result.cause).toBe(cause);
  });

  it('returns the value and the SKEWED flag of the fact', () => {
    const skewed = makeFact({ flags: ['SKEWED'], value: { a: 1 } });
    expect(
      evaluateEvidence({ fact: skewed, now: '2026-03-14T00:00:00.000Z' }),
    ).toMatchObject({
      value: { a: 1 },
      skewed: true,
    });
    expect(evaluateEvidence({ now: '2026-03-14T00:00:00.000Z' })).toMatchObject(
      { skewed: false },
    );
  });
});
