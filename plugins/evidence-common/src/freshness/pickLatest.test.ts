import { pickLatest } from './pickLatest';
import { makeFact } from './testFacts';

describe('pickLatest (§5.2)', () => {
  const a = makeFact({
    id: 'a',
    source: 'push-b',
    observedAt: '2026-03-14T01:00:00.000Z',
  });
  const b = makeFact({
    id: 'b',
    source: 'push-a',
    observedAt: '2026-03-14T02:00:00.000Z',
  });
  const c = makeFact({
    id: 'c',
    source: 'push-c',
    observedAt: '2026-03-14T02:00:00.000Z',
    collectedAt: '2026-03-14T02:01:00.000Z',
  });
  const d = makeFact({
    id: 'd',
    source: 'push-a',
    observedAt: '2026-03-14T02:00:00.000Z',
    collectedAt: '2026-03-14T02:01:00.000Z',
  });
  const keyed = makeFact({
    id: 'k',
    kind: 'link.status',
    key: 'https://x',
    observedAt: '2026-03-14T03:00:00.000Z',
  });
  const other = makeFact({
    id: 'o',
    kind: 'repo.settings',
    observedAt: '2026-03-14T09:00:00.000Z',
  });

  it.each<
    [
      string,
      ReturnType<typeof makeFact>[],
      string,
      string | undefined,
      string | undefined,
    ]
  >([
    ['newest observedAt wins', [a, b], 'repo.files', undefined, 'b'],
    ['ties go to the newest collectedAt', [b, c], 'repo.files', undefined, 'c'],
    ['then to the smallest source id', [c, d], 'repo.files', undefined, 'd'],
    ['input order does not matter', [d, c], 'repo.files', undefined, 'd'],
    ['other kinds are ignored', [a, other], 'repo.files', undefined, 'a'],
    ['keys are matched exactly', [keyed], 'link.status', 'https://x', 'k'],
    [
      'an unkeyed lookup does not see keyed facts',
      [keyed],
      'link.status',
      undefined,
      undefined,
    ],
    ['nothing matches', [], 'repo.files', undefined, undefined],
  ])('%s', (_name, facts, kind, key, expected) => {
    expect(pickLatest(facts, kind, key)?.id).toBe(expected);
  });
});
