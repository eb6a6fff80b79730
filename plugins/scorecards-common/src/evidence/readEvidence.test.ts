import { baselineWorld } from '../__fixtures__/baselineWorld';
import { evaluateWorld } from '../__fixtures__/evaluateWorld';
import { compileWith } from '../__fixtures__/standards';
import { before, DAY } from '../__fixtures__/time';
import { EvidenceFact } from './evidenceTypes';
import { indexLatestFacts, pickLatestFact } from './readEvidence';

describe('indexLatestFacts', () => {
  it('picks, for every kind and key, the record pickLatestFact picks', () => {
    let seed = 11;
    const next = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return Math.floor((seed / 2147483648) * n);
    };
    const at = (minutes: number) =>
      new Date(Date.UTC(2026, 2, 14, 2, 5) - minutes * 60000).toISOString();
    const self = 'component:default/ref-api';
    for (let round = 0; round < 300; round++) {
      const facts: EvidenceFact[] = [];
      for (let i = 0, n = 1 + next(12); i < n; i++) {
        // Few distinct values, so ties on times and sources are frequent; some records skewed.
        const observed = next(4);
        const collected = next(3) === 0 ? observed - 10 : observed;
        facts.push({
          entityRef: next(4) === 0 ? 'group:default/ref-team' : self,
          source: ['repo', 'prometheus', 'push'][next(3)],
          kind: ['repo.files', 'ci.summary', 'oncall.schedule'][next(3)],
          ...(next(3) === 0 ? { key: ['a', 'b', ''][next(3)] } : {}),
          value: i,
          observedAt: at(observed),
          collectedAt: at(collected),
          freshForSeconds: 3600,
        });
      }
      const latest = indexLatestFacts(facts, self, 300);
      for (const kind of ['repo.files', 'ci.summary', 'oncall.schedule']) {
        for (const key of [undefined, 'a', 'b', '', 'c']) {
          const expected = pickLatestFact(facts, self, kind, key, 300);
          const got = latest.get(kind, key);
          expect(got?.fact).toBe(expected?.fact);
          expect(got?.observedAt).toBe(expected?.observedAt);
          expect(got?.observedMs).toBe(expected?.observedMs);
          expect(got?.skewed).toBe(expected?.skewed);
        }
      }
    }
  });
});

describe('freshness at sub-second precision (§2.5: fresh ⇔ now − observedAt ≤ freshFor)', () => {
  const standard = compileWith();
  function alertsDefined(observedAt: string) {
    const w = baselineWorld();
    const f = w.facts.find(x => x.kind === 'alerts.rules')!;
    f.observedAt = f.collectedAt = observedAt;
    return evaluateWorld(w, standard).results.find(
      r => r.checkId === 'alerts-defined',
    )!;
  }
  it.each<[string, number, string, string, object[]]>([
    ['24 h − 0.5 s', DAY - 0.5, 'pass', 'PASS', []],
    ['exactly 24 h', DAY, 'pass', 'PASS', []],
    // The age shown stays whole seconds.
    [
      '24 h + 1 ms',
      DAY + 0.001,
      'unknown',
      'EVIDENCE_STALE',
      [{ ageSeconds: DAY, freshForSeconds: DAY }],
    ],
    [
      '24 h + 0.5 s',
      DAY + 0.5,
      'unknown',
      'EVIDENCE_STALE',
      [{ ageSeconds: DAY, freshForSeconds: DAY }],
    ],
    [
      '24 h + 0.999 s',
      DAY + 0.999,
      'unknown',
      'EVIDENCE_STALE',
      [{ ageSeconds: DAY, freshForSeconds: DAY }],
    ],
    [
      '24 h + 1 s',
      DAY + 1,
      'unknown',
      'EVIDENCE_STALE',
      [{ ageSeconds: DAY + 1, freshForSeconds: DAY }],
    ],
  ])(
    'alerts.rules observed %s before now (window 24 h)',
    (_label, s, state, reason, missing) => {
      const r = alertsDefined(before({ s }));
      expect(r).toMatchObject({ state, reason, missing });
    },
  );

  it.each<[string, number, string, object[]]>([
    ['exactly 10 min', 600, 'pass', []],
    [
      '10 min + 0.5 s',
      600.5,
      'unknown',
      [{ ageSeconds: 600, freshForSeconds: 600 }],
    ],
  ])('a catalog snapshot refreshed %s ago', (_label, s, state, missing) => {
    const w = baselineWorld();
    w.refreshedAt = before({ s });
    const r = evaluateWorld(w, standard).results.find(
      x => x.checkId === 'owner-resolves',
    )!;
    expect(r).toMatchObject({ state, missing });
  });
});

describe('full ties between records (SR24: input order never matters)', () => {
  const standard = compileWith();
  /** branch-protection over the baseline's repo.settings and a twin differing only as `twin` says. */
  function bothOrders(twin: (good: EvidenceFact) => EvidenceFact) {
    return [false, true].map(reversed => {
      const w = baselineWorld();
      const good = w.facts.find(f => f.kind === 'repo.settings')!;
      const records = [good, twin(good)];
      if (reversed) records.reverse();
      w.facts = [...w.facts.filter(f => f !== good), ...records];
      return JSON.stringify(
        evaluateWorld(w, standard).results.find(
          r => r.checkId === 'branch-protection',
        ),
      );
    });
  }
  it.each<[string, (good: EvidenceFact) => EvidenceFact]>([
    [
      'another value (same times and source)',
      good => ({
        ...good,
        value: { ...(good.value as object), protected: false },
      }),
    ],
    [
      'the same value with its keys in another order',
      good => ({
        ...good,
        value: Object.fromEntries(
          Object.entries(good.value as object).reverse(),
        ),
      }),
    ],
    ['a shorter window', good => ({ ...good, freshForSeconds: 60 })],
    [
      'the same instants written with milliseconds',
      good => ({
        ...good,
        observedAt: good.observedAt.replace('Z', '.000Z'),
        collectedAt: good.collectedAt.replace('Z', '.000Z'),
        value: { ...(good.value as object), requiredReviews: 0 },
      }),
    ],
  ])('a twin with %s gives the same result in either order', (_label, twin) => {
    const [forward, reversed] = bothOrders(twin);
    expect(reversed).toBe(forward);
  });

  it('pickLatestFact and indexLatestFacts agree on a full tie, in either order', () => {
    const self = 'component:default/ref-api';
    const base: EvidenceFact = {
      entityRef: self,
      source: 'push',
      kind: 'vulns.summary',
      value: { openCritical: [] },
      observedAt: '2026-03-14T00:00:00Z',
      collectedAt: '2026-03-14T00:00:00Z',
      freshForSeconds: 3600,
    };
    const twin = { ...base, value: { openCritical: [{ id: 'CVE-1' }] } };
    const picks = [
      [base, twin],
      [twin, base],
    ].flatMap(facts => [
      pickLatestFact(facts, self, 'vulns.summary', undefined, 300)?.fact,
      indexLatestFacts(facts, self, 300).get('vulns.summary', undefined)?.fact,
    ]);
    expect(new Set(picks).size).toBe(1);
  });
});
