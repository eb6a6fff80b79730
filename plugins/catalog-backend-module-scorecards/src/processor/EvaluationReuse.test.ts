import { createHash } from 'node:crypto';
import { Entity } from '@backstage/catalog-model';
import {
  CatalogChanges,
  EvaluationInputs,
  EvaluationReuse,
  UNTRACKED_REUSE_MS,
} from './EvaluationReuse';

const reuse = new EvaluationReuse({
  reuseForMs: 300_000,
  catalogFreshForMs: 600_000,
});

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'checkout-service', labels: { tier: '2' } },
  spec: { owner: 'group:default/checkout-team' },
};

const inputs: EvaluationInputs = {
  entity,
  evidenceVersion: '12.34/5',
  waiversVersion: 'w1',
  firstSeenAt: '2026-03-14T02:05:00.000Z',
};

describe('EvaluationReuse.keyOf', () => {
  it('gives equal inputs equal keys, the digest of the parts hashed one by one', () => {
    const copy = { ...inputs, entity: JSON.parse(JSON.stringify(entity)) };
    expect(reuse.keyOf(copy)).toBe(reuse.keyOf(inputs));
    // Keys of entries made before the key was built as one string stay valid.
    const parts = createHash('sha1').update(JSON.stringify(entity));
    for (const part of [
      inputs.evidenceVersion,
      inputs.waiversVersion,
      inputs.firstSeenAt,
    ]) {
      parts.update('\u0000').update(part);
    }
    expect(reuse.keyOf(inputs)).toBe(parts.digest('base64'));
  });

  it('changes with every input, also when text only moves between two of them', () => {
    const keys = [
      inputs,
      { ...inputs, entity: { ...entity, spec: { owner: 'group:default/x' } } },
      { ...inputs, evidenceVersion: '12.34/6' },
      { ...inputs, waiversVersion: 'w2' },
      { ...inputs, firstSeenAt: '2026-03-14T02:05:00.001Z' },
      // The same text joined without separators as the first.
      { ...inputs, evidenceVersion: '12.34/5w', waiversVersion: '1' },
    ].map(i => reuse.keyOf(i));
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe('EvaluationReuse.get', () => {
  const REF = 'component:default/checkout-service';
  const NOW = Date.parse('2026-03-14T02:05:00Z');
  const stamp = { level: 'L2', score: '3/4', standard: 'default@1' } as any;

  /** A snapshot whose generation moves when `change` is called with the reads that changed. */
  function snapshot() {
    let generation = 1;
    const changedAt = new Map<string, number>();
    const asked: number[] = [];
    const changes: CatalogChanges = {
      generation: () => generation,
      changedSince: (reads, since) => {
        asked.push(since);
        return reads.some(
          read => typeof read === 'string' && changedAt.get(read)! > since,
        );
      },
    };
    return {
      changes,
      asked,
      change: (...reads: string[]) => {
        generation += 1;
        for (const read of reads) changedAt.set(read, generation);
      },
    };
  }

  function remembered(changes: CatalogChanges) {
    const local = new EvaluationReuse({
      reuseForMs: 300_000,
      catalogFreshForMs: 600_000,
    });
    const key = local.keyOf(inputs);
    local.set(REF, key, stamp, {
      nowMs: NOW,
      snapshotRefreshedAtMs: NOW,
      timeLimit: { untilMs: Number.POSITIVE_INFINITY, complete: true },
      reads: ['ggroup:default/checkout-team', 'agroup:default/checkout-team'],
      generation: changes.generation(),
    });
    return { local, key };
  }

  it('reuses an evaluation across catalog changes it did not read, checking each change once', () => {
    const { changes, change, asked } = snapshot();
    const { local, key } = remembered(changes);
    expect(local.get(REF, key, NOW + 1000, changes, NOW)?.stamp).toBe(stamp);
    expect(asked).toEqual([]);
    change('gcomponent:default/elsewhere', 'dcomponent:default/elsewhere');
    expect(local.get(REF, key, NOW + 2000, changes, NOW)?.stamp).toBe(stamp);
    expect(local.get(REF, key, NOW + 3000, changes, NOW)?.stamp).toBe(stamp);
    // Asked once, for the generation of the evaluation; then known to be the same at the next.
    expect(asked).toEqual([1]);
  });

  it('does not reuse an evaluation once a lookup it made answers differently', () => {
    const { changes, change } = snapshot();
    const { local, key } = remembered(changes);
    change('gcomponent:default/elsewhere');
    expect(local.get(REF, key, NOW + 1000, changes, NOW)).toBeDefined();
    change('agroup:default/checkout-team');
    expect(local.get(REF, key, NOW + 2000, changes, NOW)).toBeUndefined();
  });

  it('does not reuse past its window or for another key', () => {
    const { changes } = snapshot();
    const { local, key } = remembered(changes);
    expect(local.get(REF, 'other', NOW + 1000, changes, NOW)).toBeUndefined();
    expect(local.get(REF, key, NOW + 300_000, changes, NOW)).toBeUndefined();
  });

  it('does not reuse at an instant before the evaluation (a clock set back)', () => {
    const { changes } = snapshot();
    const { local, key } = remembered(changes);
    expect(local.get(REF, key, NOW, changes, NOW)).toBeDefined();
    expect(local.get(REF, key, NOW - 1, changes, NOW)).toBeUndefined();
  });

  it('does not reuse while the current snapshot is past its freshness window', () => {
    const { changes } = snapshot();
    const { local, key } = remembered(changes);
    // Fresh for 10 min, the boundary inclusive: read 600,000 ms before is still fresh.
    expect(
      local.get(REF, key, NOW + 100_000, changes, NOW - 500_000),
    ).toBeDefined();
    expect(
      local.get(REF, key, NOW + 100_000, changes, NOW - 500_001),
    ).toBeUndefined();
    // A read time that is not a number is stale, as the engine judges it.
    expect(
      local.get(REF, key, NOW + 100_000, changes, Number.NaN),
    ).toBeUndefined();
    // A later refresh makes it fresh again.
    expect(
      local.get(REF, key, NOW + 100_000, changes, NOW + 90_000),
    ).toBeDefined();
  });
});

describe('EvaluationReuse.validUntil', () => {
  const NOW = Date.parse('2026-03-14T02:05:00Z');
  const local = new EvaluationReuse({
    reuseForMs: 3_600_000,
    catalogFreshForMs: 600_000,
  });
  const at = (untilMs: number, complete = true, snapshotRefreshedAtMs = NOW) =>
    local.validUntil({
      nowMs: NOW,
      snapshotRefreshedAtMs,
      timeLimit: { untilMs, complete },
    });

  it('ends where time alone could change the evaluation, within reuseFor', () => {
    expect(at(NOW + 60_000)).toBe(NOW + 60_000);
    expect(at(Number.POSITIVE_INFINITY)).toBe(NOW + 3_600_000);
  });

  it('reuses an evaluation that ran a type which notes no time limits for 5 min at most', () => {
    expect(at(Number.POSITIVE_INFINITY, false)).toBe(NOW + UNTRACKED_REUSE_MS);
    expect(at(NOW + 60_000, false)).toBe(NOW + 60_000);
  });

  it('never reuses an evaluation made on a stale snapshot', () => {
    expect(at(Number.POSITIVE_INFINITY, true, NOW - 600_001)).toBe(NOW);
    expect(at(Number.POSITIVE_INFINITY, true, Number.NaN)).toBe(NOW);
    expect(at(Number.POSITIVE_INFINITY, true, NOW - 600_000)).toBe(
      NOW + 3_600_000,
    );
  });
});
