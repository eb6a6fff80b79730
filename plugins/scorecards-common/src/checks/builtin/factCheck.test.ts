import {
  baselineWorld,
  fact,
  takeEntity,
  World,
} from '../../__fixtures__/baselineWorld';
import { evaluateWorld } from '../../__fixtures__/evaluateWorld';
import { compileWith } from '../../__fixtures__/standards';
import { before } from '../../__fixtures__/time';
import { EvidenceFact } from '../../evidence/evidenceTypes';

/** The `fact` check type through the default standard's checks that use it (scorecards §3, §4). */

const standard = compileWith();
const REF_API = 'component:default/ref-api';
const REF_DB = 'resource:default/ref-db';
const BUDGET = 'ops.example.com/monthly-budget-usd';

type Expected = [
  state: string,
  reason: string,
  attribution: 'service' | 'platform' | null,
];

function factOf(w: World, kind: string, entityRef = REF_API): EvidenceFact {
  return w.facts.find(f => f.kind === kind && f.entityRef === entityRef)!;
}

/** Replaces fields of a fact's value; `undefined` removes a field. */
function patch(
  w: World,
  kind: string,
  fields: Record<string, unknown>,
  entityRef = REF_API,
) {
  const f = factOf(w, kind, entityRef);
  const value = { ...(f.value as Record<string, unknown>), ...fields };
  for (const [k, v] of Object.entries(fields))
    if (v === undefined) delete value[k];
  f.value = value;
}

function age(w: World, kind: string, observedAt: string, entityRef = REF_API) {
  const f = factOf(w, kind, entityRef);
  f.observedAt = f.collectedAt = observedAt;
}

function resultOf(checkId: string, change: (w: World) => void) {
  const w = baselineWorld();
  change(w);
  return evaluateWorld(w, standard).results.find(r => r.checkId === checkId)!;
}

describe('backup-restore-tested reads the restore test’s outcome', () => {
  const onDb = (change: (w: World) => void) => (w: World) => {
    takeEntity(w, 'Resource', 'ref-db');
    change(w);
  };
  it.each<[string, (w: World) => void, Expected]>([
    ['baseline (succeeded T−30 d)', () => undefined, ['pass', 'PASS', null]],
    [
      'a failed restore test T−30 d',
      w =>
        patch(w, 'backup.status', { lastRestoreTestOutcome: 'failed' }, REF_DB),
      ['fail', 'THRESHOLD_NOT_MET', 'service'],
    ],
    [
      'a succeeded restore test T−120 d (SC18b)',
      w =>
        patch(
          w,
          'backup.status',
          { lastRestoreTestAt: before({ d: 120 }) },
          REF_DB,
        ),
      ['fail', 'THRESHOLD_NOT_MET', 'service'],
    ],
    [
      'a record without an outcome',
      w =>
        patch(
          w,
          'backup.status',
          { lastRestoreTestOutcome: undefined },
          REF_DB,
        ),
      ['unknown', 'EVIDENCE_MISSING', 'platform'],
    ],
    // Dates inside a value were read by Date.parse alone: a mistyped year passed for decades, a
    // zone-less time passed or failed by the server's zone, and a US-style date was a date.
    ...(
      [
        [
          '2062-03-01T00:00:00Z',
          'a restore test dated in 2062 (a mistyped year)',
        ],
        [
          '2026-03-14T02:11:00Z',
          'one 6 minutes ahead (past the 5-minute skew)',
        ],
        ['2026-02-14T00:00:00', 'a date-time without a zone'],
        ['12/14/2025', 'a US-style date'],
        ['2026-02-30', 'a day that does not exist'],
        ['2026-03-15', 'tomorrow’s date alone, begun in no zone yet'],
      ] as const
    ).map(([at, label]): [string, (w: World) => void, Expected] => [
      label,
      w => patch(w, 'backup.status', { lastRestoreTestAt: at }, REF_DB),
      ['unknown', 'EVIDENCE_MISSING', 'platform'],
    ]),
    [
      'a restore test never run (null): a fail, not unknown',
      w => patch(w, 'backup.status', { lastRestoreTestAt: null }, REF_DB),
      ['fail', 'THRESHOLD_NOT_MET', 'service'],
    ],
    ...(
      [
        ['2026-03-14', 'a date alone, today (UTC)'],
        ['2026-02-14', 'a date alone, 28 days back (UTC midnight)'],
        ['2026-02-14T10:00:00+01:00', 'a date-time with an offset'],
        ['2026-03-14T02:09:00Z', 'one 4 minutes ahead (within the skew)'],
      ] as const
    ).map(([at, label]): [string, (w: World) => void, Expected] => [
      label,
      w => patch(w, 'backup.status', { lastRestoreTestAt: at }, REF_DB),
      ['pass', 'PASS', null],
    ]),
  ])('%s', (_label, change, [state, reason, attribution]) => {
    expect(resultOf('backup-restore-tested', onDb(change))).toMatchObject({
      state,
      reason,
      attribution,
    });
  });

  it('names the failed outcome', () => {
    const r = resultOf(
      'backup-restore-tested',
      onDb(w =>
        patch(w, 'backup.status', { lastRestoreTestOutcome: 'failed' }, REF_DB),
      ),
    );
    expect(r.message).toContain('failed');
    expect(r.message).toContain('succeeded');
  });
});

describe('critical-vulns-triaged reads each finding’s date as it reads everywhere', () => {
  it.each<[string, string]>([
    ['2062-01-01T00:00:00Z', 'unknown'],
    ['2026-03-01T00:00:00', 'unknown'],
    [before({ d: 30 }), 'fail'],
    [before({ d: 3 }), 'pass'],
  ])('a finding first seen %s is %s', (firstSeenAt, state) => {
    expect(
      resultOf('critical-vulns-triaged', w =>
        patch(w, 'vulns.summary', {
          openCritical: [{ id: 'CVE-1', firstSeenAt }],
        }),
      ).state,
    ).toBe(state);
  });
});

describe('rollback-exercised reads a drill’s own date as it reads everywhere', () => {
  it.each<[string | null, string]>([
    [before({ d: 10 }), 'pass'],
    ['2062-01-01T00:00:00Z', 'fail'],
    ['2026-03-04T00:00:00', 'fail'],
    // no `at`: the fact's observation time stands in (T−1 d)
    [null, 'pass'],
  ])('a drill at %s: %s', (at, state) => {
    expect(
      resultOf('rollback-exercised', w => {
        w.ledger = w.ledger.filter(r => !r.rollbackOf);
        w.facts.push(
          fact(
            REF_API,
            'drill',
            'rollback.drill',
            before({ d: 1 }),
            400 * 86400,
            {
              at,
              outcome: 'succeeded',
            },
          ),
        );
      }).state,
    ).toBe(state);
  });
});

describe('a field missing from a fresh record is unknown, never pass', () => {
  it.each<[string, string, (w: World) => void, Expected]>([
    [
      'cloud-resources-tagged',
      'untagged missing (op empty)',
      w => patch(w, 'cost.tagging', { untagged: undefined }),
      ['unknown', 'EVIDENCE_MISSING', 'platform'],
    ],
    [
      'cloud-resources-tagged',
      'untagged an empty list',
      w => patch(w, 'cost.tagging', { untagged: [] }),
      ['pass', 'PASS', null],
    ],
    [
      'critical-vulns-triaged',
      'openCritical missing (op noneOlderThan)',
      w => (factOf(w, 'vulns.summary').value = {}),
      ['unknown', 'EVIDENCE_MISSING', 'platform'],
    ],
    [
      'critical-vulns-triaged',
      'openCritical not a list',
      w => patch(w, 'vulns.summary', { openCritical: 'none' }),
      ['unknown', 'EVIDENCE_MISSING', 'platform'],
    ],
    [
      'critical-vulns-triaged',
      'a finding without firstSeenAt',
      w => patch(w, 'vulns.summary', { openCritical: [{ id: 'CVE-1' }] }),
      ['unknown', 'EVIDENCE_MISSING', 'platform'],
    ],
    [
      'critical-vulns-triaged',
      'a finding without firstSeenAt beside one 30 d old (a fresh fail first)',
      w =>
        patch(w, 'vulns.summary', {
          openCritical: [
            { id: 'CVE-1' },
            { id: 'CVE-2', firstSeenAt: before({ d: 30 }) },
          ],
        }),
      ['fail', 'THRESHOLD_NOT_MET', 'service'],
    ],
    [
      'critical-vulns-triaged',
      'a finding 3 d old',
      w =>
        patch(w, 'vulns.summary', {
          openCritical: [{ id: 'CVE-1', firstSeenAt: before({ d: 3 }) }],
        }),
      ['pass', 'PASS', null],
    ],
    [
      'ci-no-static-cloud-keys',
      'staticKeySecretNames missing (op noneMatch)',
      w => patch(w, 'ci.security', { staticKeySecretNames: undefined }),
      ['unknown', 'EVIDENCE_MISSING', 'platform'],
    ],
    [
      'ci-no-static-cloud-keys',
      'staticKeySecretNames missing and OIDC off (a fresh fail first)',
      w =>
        patch(w, 'ci.security', {
          staticKeySecretNames: undefined,
          oidc: false,
        }),
      ['fail', 'THRESHOLD_NOT_MET', 'service'],
    ],
    [
      'branch-protection',
      'requiredReviews missing (op gte)',
      w => patch(w, 'repo.settings', { requiredReviews: undefined }),
      ['unknown', 'EVIDENCE_MISSING', 'platform'],
    ],
    [
      'ci-present',
      'runs missing, a CI file in the repository (any-of)',
      w => patch(w, 'ci.summary', { runs: undefined }),
      ['pass', 'PASS', null],
    ],
  ])('%s with %s', (checkId, _label, change, [state, reason, attribution]) => {
    expect(resultOf(checkId, change)).toMatchObject({
      state,
      reason,
      attribution,
    });
  });

  it('the unknown names the kind, the source and the missing field', () => {
    const r = resultOf('cloud-resources-tagged', w =>
      patch(w, 'cost.tagging', { untagged: undefined }),
    );
    expect(r.missing).toEqual([
      expect.objectContaining({
        source: 'cost',
        kind: 'cost.tagging',
        cause: 'not-collected',
      }),
    ]);
    expect(r.missing[0].hint).toContain('untagged');
  });
});

describe('budget-signal reads its annotation first (§2.5: a fresh fail is never unknown)', () => {
  const setBudget = (value: string | undefined) => (w: World) => {
    if (value === undefined) delete w.entity.metadata.annotations![BUDGET];
    else w.entity.metadata.annotations![BUDGET] = value;
  };
  const staleSpend = (w: World) => age(w, 'cost.monthly', before({ d: 40 }));
  it.each<[string, (w: World) => void, Expected, string]>([
    ['baseline (5000)', () => undefined, ['pass', 'PASS', null], '4210'],
    [
      'no annotation',
      setBudget(undefined),
      ['fail', 'FIELD_MISSING', 'service'],
      `No annotation ${BUDGET}`,
    ],
    [
      'no annotation and stale spend',
      w => {
        setBudget(undefined)(w);
        staleSpend(w);
      },
      ['fail', 'FIELD_MISSING', 'service'],
      `No annotation ${BUDGET}`,
    ],
    [
      'an empty annotation',
      setBudget(''),
      ['fail', 'FIELD_MISSING', 'service'],
      `${BUDGET} on ${REF_API} is empty`,
    ],
    [
      'a blank annotation',
      setBudget('  '),
      ['fail', 'FIELD_MISSING', 'service'],
      `${BUDGET} on ${REF_API} is empty`,
    ],
    [
      'a word',
      setBudget('five thousand'),
      ['fail', 'FIELD_INVALID', 'service'],
      `${BUDGET} on ${REF_API} is "five thousand"; expected a number`,
    ],
    [
      'a number with a thousands separator',
      setBudget('5,000'),
      ['fail', 'FIELD_INVALID', 'service'],
      `is "5,000"; expected a number`,
    ],
    [
      'a word and stale spend',
      w => {
        setBudget('n/a')(w);
        staleSpend(w);
      },
      ['fail', 'FIELD_INVALID', 'service'],
      'is "n/a"',
    ],
    [
      'a valid annotation and stale spend',
      staleSpend,
      ['unknown', 'EVIDENCE_STALE', 'platform'],
      'cost.monthly',
    ],
    [
      'a budget with spaces around it',
      setBudget(' 3000 '),
      ['fail', 'THRESHOLD_NOT_MET', 'service'],
      '≤ 3600',
    ],
  ])('%s', (_label, change, [state, reason, attribution], text) => {
    const r = resultOf('budget-signal', change);
    expect(r).toMatchObject({ state, reason, attribution });
    expect(r.message).toContain(text);
  });
});
