import { baselineWorld, edge, World } from '../../__fixtures__/baselineWorld';
import { evaluateWorld } from '../../__fixtures__/evaluateWorld';
import { compileWith } from '../../__fixtures__/standards';
import { T, before } from '../../__fixtures__/time';

/** `archived-no-activity` (scorecards §4): no inbound traffic in 30 d, no deploy after archiving. */

const standard = compileWith();
const REF_API = 'component:default/ref-api';

/** Archived the day before T: the baseline's deploys (newest T−2 d) all came before. */
function archive(w: World) {
  (w.entity.spec as Record<string, unknown>).lifecycle = 'archived';
  w.entity.metadata.annotations!['ops.example.com/archived-on'] = '2026-03-13';
}

function down(
  source: string,
  status: 'unavailable' | 'disabled' = 'unavailable',
) {
  return (w: World) => {
    w.sourceHealth = w.sourceHealth.map(h =>
      h.source === source ? { ...h, status, since: before({ h: 5 }) } : h,
    );
  };
}

const inboundCaller = (w: World) =>
  w.edges.push(edge('component:default/ref-pricing', REF_API));

const deployAfterArchiving = (w: World) => {
  w.ledger[0].startedAt = before({ h: 3 });
  w.ledger[0].finishedAt = before({ h: 2 });
};

function archivedNoActivity(...changes: ((w: World) => void)[]) {
  const w = baselineWorld();
  archive(w);
  for (const change of changes) change(w);
  return evaluateWorld(w, standard).results.find(
    r => r.checkId === 'archived-no-activity',
  )!;
}

describe('archived-no-activity reads both of its sources’ health', () => {
  it.each<
    [
      string,
      ((w: World) => void)[],
      string,
      string,
      'service' | 'platform' | null,
      string[],
    ]
  >([
    ['all healthy, no activity', [], 'pass', 'PASS', null, []],
    [
      'the change ledger unavailable',
      [down('ledger')],
      'unknown',
      'SOURCE_UNAVAILABLE',
      'platform',
      ['ledger'],
    ],
    [
      'the change ledger disabled',
      [down('ledger', 'disabled')],
      'unknown',
      'SOURCE_UNAVAILABLE',
      'platform',
      ['ledger'],
    ],
    [
      'observed edges unavailable',
      [down('prometheus')],
      'unknown',
      'SOURCE_UNAVAILABLE',
      'platform',
      ['observed.edges'],
    ],
    [
      'both unavailable',
      [down('prometheus'), down('ledger')],
      'unknown',
      'SOURCE_UNAVAILABLE',
      'platform',
      ['observed.edges', 'ledger'],
    ],
    [
      'the ledger unavailable and a fresh inbound caller (a fresh fail first)',
      [down('ledger'), inboundCaller],
      'fail',
      'ARCHIVED_ACTIVE',
      'service',
      [],
    ],
    [
      'observed edges unavailable and a deploy after archiving on record (a fresh fail first)',
      [down('prometheus'), deployAfterArchiving],
      'fail',
      'ARCHIVED_ACTIVE',
      'service',
      [],
    ],
  ])('%s', (_label, changes, state, reason, attribution, missingKinds) => {
    const r = archivedNoActivity(...changes);
    expect(r).toMatchObject({ state, reason, attribution });
    expect(r.missing.map(m => m.kind)).toEqual(missingKinds);
    for (const m of r.missing) expect(m.cause).toBe('source-unavailable');
  });
});

describe('archived-no-activity reads archived-on as golden paths write it', () => {
  /** Archived at T (a date: golden paths write the transition's UTC day). */
  const archivedToday = (w: World) => {
    w.entity.metadata.annotations!['ops.example.com/archived-on'] = T.slice(
      0,
      10,
    );
  };
  const lastDeployAt = (at: string) => (w: World) => {
    w.ledger[0].startedAt = at;
    w.ledger[0].finishedAt = at;
  };

  it('counts a deploy of the archive day before the transition as before it', () => {
    // T is 02:05 UTC: a deploy at 00:30 that day was the last one before archiving.
    const r = archivedNoActivity(archivedToday, lastDeployAt(before({ h: 1 })));
    expect(r).toMatchObject({ state: 'pass', reason: 'PASS' });
  });

  it('counts from an instant with a zone as written', () => {
    const r = archivedNoActivity(w => {
      w.entity.metadata.annotations!['ops.example.com/archived-on'] = before({
        h: 3,
      });
    }, lastDeployAt(before({ h: 1 })));
    expect(r).toMatchObject({ state: 'fail', reason: 'ARCHIVED_ACTIVE' });
  });

  it('reads a date-time without a zone as no date, not in the server zone', () => {
    const r = archivedNoActivity(w => {
      w.entity.metadata.annotations!['ops.example.com/archived-on'] =
        '2026-03-13T10:00:00';
    });
    expect(r).toMatchObject({ state: 'fail', reason: 'FIELD_MISSING' });
  });

  it('places a deploy whose start ran ahead (SKEWED) where the store put it, not a year ahead', () => {
    const r = archivedNoActivity(w => {
      const [last] = w.ledger;
      delete last.finishedAt;
      last.startedAt = '2027-03-14T02:05:00Z';
      last.effectiveAt = before({ d: 3 });
    });
    expect(r).toMatchObject({ state: 'pass', reason: 'PASS' });
  });
});
