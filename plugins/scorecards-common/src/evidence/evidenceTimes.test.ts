import { baselineWorld, World } from '../__fixtures__/baselineWorld';
import { evaluateWorld } from '../__fixtures__/evaluateWorld';
import { compileWith } from '../__fixtures__/standards';
import { after, T } from '../__fixtures__/time';
import { EvidenceFact } from './evidenceTypes';
import { pickLatestFact } from './readEvidence';

/** Regression tests for the probe's E2 and E3 (.scratch/probe-standards): SR24 and record times. */

const std = compileWith();
const REF_API = 'component:default/ref-api';

/** The baseline's repo.settings record (protected branch: branch-protection passes on it). */
function settingsOf(w: World): EvidenceFact {
  return w.facts.find(f => f.kind === 'repo.settings')!;
}

/** branch-protection on a world whose repo.settings records are `records` in that order. */
function branchProtection(records: (good: EvidenceFact) => EvidenceFact[]) {
  const w = baselineWorld();
  const good = settingsOf(w);
  w.facts = [...w.facts.filter(f => f !== good), ...records(good)];
  return evaluateWorld(w, std).results.find(
    r => r.checkId === 'branch-protection',
  )!;
}

/** A record with other times and an unprotected branch (a fail, were it chosen and fresh). */
function withTimes(
  good: EvidenceFact,
  observedAt: string,
  collectedAt = observedAt,
) {
  return {
    ...good,
    observedAt,
    collectedAt,
    value: { ...(good.value as object), protected: false },
  };
}

describe('evidence records with unusable times', () => {
  it.each([
    ['an unparseable observedAt', 'garbage', 'garbage'],
    ['an empty observedAt', '', ''],
    [
      'an observedAt years ahead',
      '2030-01-01T00:00:00Z',
      '2030-01-01T00:00:00Z',
    ],
    ['observed and collected 1 d ahead', after({ d: 1 }), after({ d: 1 })],
  ])(
    '%s never outranks a valid record, whatever the input order (SR24)',
    (_, observedAt, collectedAt) => {
      const states = [false, true].map(
        reversed =>
          branchProtection(good => {
            const records = [withTimes(good, observedAt, collectedAt), good];
            return reversed ? records.reverse() : records;
          }).state,
      );
      expect(states).toEqual(['pass', 'pass']);
    },
  );

  it.each([
    ['unparseable', 'garbage', 'does not parse or lies in the future'],
    [
      'years ahead',
      '2030-01-01T00:00:00Z',
      'does not parse or lies in the future',
    ],
  ])(
    'a lone record whose observedAt is %s is not fresh: unknown, naming the time',
    (_, observedAt, hint) => {
      const r = branchProtection(good => [withTimes(good, observedAt)]);
      expect(r.state).toBe('unknown');
      expect(r.missing[0].hint).toContain(hint);
      expect(r.missing[0].hint).toContain(observedAt);
    },
  );

  it('a record observed within the allowed clock skew ahead of now is fresh at age 0', () => {
    const r = branchProtection(good => [withTimes(good, after({ m: 4 }))]);
    expect(r.state).toBe('fail');
    expect(r.evidence[0]).toMatchObject({ fresh: true, ageSeconds: 0 });
  });

  it('pickLatestFact ranks unparseable times oldest in either order', () => {
    const good = settingsOf(baselineWorld());
    const bad = withTimes(good, 'garbage');
    for (const facts of [
      [bad, good],
      [good, bad],
    ]) {
      expect(
        pickLatestFact(
          facts,
          REF_API,
          'repo.settings',
          undefined,
          300,
          Date.parse(T),
        )?.fact,
      ).toBe(good);
    }
  });
});
