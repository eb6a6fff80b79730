import { TtlCache } from './TtlCache';

describe('TtlCache', () => {
  it('sweeps expired entries on set, even those never read again', () => {
    let now = 0;
    const cache = new TtlCache<number>(() => now, { sweepEvery: 3 });
    // moving keys, as queryChanges and observedEdges with a time window make them
    cache.set('ledger|{"from":0}', 1, 5_000);
    cache.set('ledger|{"from":1}', 1, 5_000);
    now += 5_000;
    cache.set('ledger|{"from":2}', 1, 5_000);
    expect(cache.size).toBe(1);
    expect(cache.get('ledger|{"from":2}')).toBe(1);
  });

  it('a rare writer holds no expired answer past the next set (the risk sweep, every 5 min)', () => {
    let now = 0;
    const cache = new TtlCache<string>(() => now);
    // one week of changes under a key that never repeats, then five minutes of quiet
    for (let sweep = 0; sweep < 12; sweep++) {
      cache.set(`ledger|{"to":${now}}`, 'a week of changes', 5_000);
      now += 5 * 60_000;
    }
    expect(cache.size).toBe(1);
    // a busy writer within the interval keeps what is still alive
    cache.set('a', 'a', 60_000);
    now += 1_000;
    cache.set('b', 'b', 60_000);
    expect(cache.get('a')).toBe('a');
  });

  it('keeps at most maxEntries, dropping the oldest written first', () => {
    const cache = new TtlCache<string>(() => 0, { maxEntries: 2 });
    cache.set('a', 'a', 60_000);
    cache.set('b', 'b', 60_000);
    cache.set('a', 'a2', 60_000); // rewritten: now the newest
    cache.set('c', 'c', 60_000);
    expect(cache.size).toBe(2);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe('a2');
    expect(cache.get('c')).toBe('c');
  });

  it('defaults to 10,000 entries', () => {
    const cache = new TtlCache<number>(() => 0);
    for (let i = 0; i < 10_050; i++) cache.set(`k${i}`, i, 60_000);
    expect(cache.size).toBe(10_000);
    expect(cache.get('k49')).toBeUndefined();
    expect(cache.get('k50')).toBe(50);
  });
});
