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
