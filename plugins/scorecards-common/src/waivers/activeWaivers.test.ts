import { baselineWorld } from '../__fixtures__/baselineWorld';
import { evaluateWorld } from '../__fixtures__/evaluateWorld';
import { noBurnRules, waiverW1 } from '../__fixtures__/scenarios';
import { compileWith } from '../__fixtures__/standards';
import { T } from '../__fixtures__/time';
import { isWaiverActive, waiverStatusAt } from './activeWaivers';

/** Regression tests for the probe's W1 (.scratch/probe-standards): unparseable instants fail closed. */

const NOW_MS = Date.parse(T);

describe('waivers with an instant that does not parse', () => {
  it.each([['2026-13-01'], ['soon'], [''], [undefined], [42]])(
    'expiresAt %p: the waiver has expired, the raw fail shows with WAIVER_EXPIRED',
    expiresAt => {
      const waiver = waiverW1(expiresAt as string);
      expect(waiverStatusAt(waiver, NOW_MS)).toBe('expired');
      expect(isWaiverActive(waiver, NOW_MS)).toBe(false);

      const w = baselineWorld();
      noBurnRules(w);
      w.waivers = [waiver];
      const result = evaluateWorld(w, compileWith()).results.find(
        r => r.checkId === 'slo-burn-alert',
      )!;
      expect(result.state).toBe('fail');
      expect(result.waiver).toBeUndefined();
      expect(result.notes).toContain('WAIVER_EXPIRED');
    },
  );

  it('revokedAt that does not parse: the waiver is revoked', () => {
    const waiver = { ...waiverW1('2026-04-01T00:00:00Z'), revokedAt: 'later' };
    expect(waiverStatusAt(waiver, NOW_MS)).toBe('revoked');
  });

  it('a valid future expiry still counts (control)', () => {
    expect(waiverStatusAt(waiverW1('2026-04-01T00:00:00Z'), NOW_MS)).toBe(
      'active',
    );
  });
});

describe('a pending waiver past its expiry (never decided)', () => {
  const lapsed = {
    ...waiverW1('2026-03-13T00:00:00Z'),
    status: 'pending' as const,
    approvedBy: undefined,
  };

  it('is expired from its expiresAt on (exclusive), pending before', () => {
    expect(waiverStatusAt(lapsed, NOW_MS)).toBe('expired');
    expect(waiverStatusAt(lapsed, Date.parse(lapsed.expiresAt))).toBe(
      'expired',
    );
    expect(waiverStatusAt(lapsed, Date.parse(lapsed.expiresAt) - 1)).toBe(
      'pending',
    );
    // as stored once the scheduled pass closed it
    expect(waiverStatusAt({ ...lapsed, status: 'expired' }, NOW_MS)).toBe(
      'expired',
    );
  });

  it('never counted, so the failing result carries no WAIVER_EXPIRED note', () => {
    for (const waiver of [lapsed, { ...lapsed, status: 'expired' as const }]) {
      const w = baselineWorld();
      noBurnRules(w);
      w.waivers = [waiver];
      const result = evaluateWorld(w, compileWith()).results.find(
        r => r.checkId === 'slo-burn-alert',
      )!;
      expect(result.state).toBe('fail');
      expect(result.notes).not.toContain('WAIVER_EXPIRED');
    }
  });
});
