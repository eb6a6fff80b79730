import { RolloutPhase } from '../model/checkModel';
import { defaultChecks } from './defaultStandard';
import { RolloutGuidanceInput, rolloutGuidance } from './rolloutGuidance';

const NOW = '2026-03-14T12:00:00Z';
const NOT_READY = ['unknown rate 20 % (1 of 5 results) is above 5 %'];

function check(
  rollout: [RolloutPhase, string][],
  over: Partial<RolloutGuidanceInput> = {},
): RolloutGuidanceInput {
  return {
    rollout: rollout.map(([phase, from]) => ({ phase, from })),
    gateReady: true,
    gateReadyReasons: [],
    ...over,
  };
}

describe('§2.4 rollout guidance', () => {
  it.each<[string, RolloutGuidanceInput, [string, RolloutPhase, string][]]>([
    [
      'observe exactly 30 days, then remediate: fine',
      check([
        ['observe', '2026-01-01'],
        ['remediate', '2026-01-31'],
      ]),
      [],
    ],
    [
      'observe 29 days: too short',
      check([
        ['observe', '2026-01-01'],
        ['remediate', '2026-01-30'],
      ]),
      [['observe-too-short', 'remediate', '2026-01-30']],
    ],
    [
      'observe one hour short of 30 days: too short',
      check([
        ['observe', '2026-01-01T00:00:00Z'],
        ['remediate', '2026-01-30T23:00:00Z'],
      ]),
      [['observe-too-short', 'remediate', '2026-01-30T23:00:00Z']],
    ],
    [
      'observe 10 days, then straight to enforce-new: too short',
      check([
        ['observe', '2026-03-01'],
        ['enforce-new', '2026-03-11'],
      ]),
      [['observe-too-short', 'enforce-new', '2026-03-11']],
    ],
    [
      'only observe (never counts yet): fine',
      check([['observe', '2026-03-10']]),
      [],
    ],
    [
      'starts in remediate: no observe phase',
      check([['remediate', '2026-01-01']]),
      [['no-observe-phase', 'remediate', '2026-01-01']],
    ],
    [
      'starts in enforce-new, later gate (gate-ready): no observe phase only',
      check([
        ['enforce-new', '2026-01-01'],
        ['gate', '2026-02-01'],
      ]),
      [['no-observe-phase', 'enforce-new', '2026-01-01']],
    ],
    [
      'starts in gate while not gate-ready: both',
      check([['gate', '2026-01-01']], {
        gateReady: false,
        gateReadyReasons: NOT_READY,
      }),
      [
        ['no-observe-phase', 'gate', '2026-01-01'],
        ['gate-not-ready', 'gate', '2026-01-01'],
      ],
    ],
    [
      'gate scheduled while not gate-ready',
      check(
        [
          ['observe', '2026-01-01'],
          ['remediate', '2026-02-01'],
          ['gate', '2026-05-01'],
        ],
        { gateReady: false, gateReadyReasons: NOT_READY },
      ),
      [['gate-scheduled-not-ready', 'gate', '2026-05-01']],
    ],
    [
      'gate scheduled and gate-ready: fine',
      check([
        ['observe', '2026-01-01'],
        ['remediate', '2026-02-01'],
        ['gate', '2026-05-01'],
      ]),
      [],
    ],
    [
      'not gate-ready without a gate entry: fine',
      check(
        [
          ['observe', '2026-01-01'],
          ['remediate', '2026-02-01'],
        ],
        { gateReady: false, gateReadyReasons: NOT_READY },
      ),
      [],
    ],
    [
      'gate starting exactly now is in force (not scheduled)',
      check(
        [
          ['observe', '2026-01-01'],
          ['remediate', '2026-02-01'],
          ['gate', NOW],
        ],
        { gateReady: false },
      ),
      [['gate-not-ready', 'gate', NOW]],
    ],
    [
      'a check that returns to observe must observe 30 days again',
      check([
        ['observe', '2025-10-01'],
        ['remediate', '2025-11-01'],
        ['observe', '2026-03-01'],
        ['remediate', '2026-03-15'],
      ]),
      [['observe-too-short', 'remediate', '2026-03-15']],
    ],
    [
      'gate scheduled after the retirement date is never reached',
      check(
        [
          ['observe', '2026-01-01'],
          ['remediate', '2026-02-01'],
          ['gate', '2026-06-01'],
        ],
        { gateReady: false, retiresAt: '2026-05-01' },
      ),
      [],
    ],
    [
      'a retired check gets no warnings',
      check([['gate', '2026-01-01']], {
        gateReady: false,
        retiresAt: '2026-03-01',
      }),
      [],
    ],
  ])('%s', (_label, input, expected) => {
    expect(
      rolloutGuidance(input, NOW).map(w => [w.code, w.phase, w.from]),
    ).toEqual(expected);
  });

  it('names the duration, the dates, the phase and the readiness reasons', () => {
    expect(
      rolloutGuidance(
        check([
          ['observe', '2026-03-01'],
          ['remediate', '2026-03-11'],
        ]),
        NOW,
      ).map(w => w.message),
    ).toEqual([
      'observes for 10 days (from 2026-03-01) before remediate on 2026-03-11; observe for at least 30 days before the check counts',
    ]);
    expect(
      rolloutGuidance(
        check([['gate', '2026-01-01']], {
          gateReady: false,
          gateReadyReasons: [
            'check has no remediation',
            'unknown rate 20 % (1 of 5 results) is above 5 %',
          ],
        }),
        Date.parse(NOW),
      ).map(w => w.message),
    ).toEqual([
      'starts in gate on 2026-01-01 without an observe phase; observe for at least 30 days before the check counts',
      'gates since 2026-01-01 but is not gate-ready: check has no remediation; unknown rate 20 % (1 of 5 results) is above 5 %',
    ]);
    expect(
      rolloutGuidance(
        check(
          [
            ['observe', '2026-01-01'],
            ['remediate', '2026-01-02T12:00:00Z'],
            ['gate', '2026-05-01'],
          ],
          { gateReady: false, gateReadyReasons: [] },
        ),
        NOW,
      ).map(w => w.message),
    ).toEqual([
      'observes for 1.5 days (from 2026-01-01) before remediate on 2026-01-02T12:00:00Z; observe for at least 30 days before the check counts',
      'is scheduled to gate on 2026-05-01 but is not gate-ready',
    ]);
  });

  it('the default standard follows it: the §4 first wave counts from 2026-01-01, the other 35 checks from 2026-02-04, each after 30+ days of observe', () => {
    const countsFrom = new Map<string, string[]>();
    for (const c of defaultChecks) {
      // the built-in file writes dates as strings (YAML files may hold Date objects)
      const rollout = c.rollout.map(s => ({ ...s, from: String(s.from) }));
      expect([
        c.id,
        rolloutGuidance(
          { rollout, gateReady: true, gateReadyReasons: [] },
          NOW,
        ),
      ]).toEqual([c.id, []]);
      expect(rollout[0].phase).toBe('observe');
      const from = rollout[rollout.length - 1].from;
      countsFrom.set(from, [...(countsFrom.get(from) ?? []), c.id]);
    }
    expect(countsFrom.get('2026-01-01')).toEqual([
      'owner-resolves',
      'system-assigned',
      'owner-group-active',
      'tier-declared',
      'source-location-set',
      'oncall-routed',
      'runbook-present',
      'ci-present',
      'deploy-recent',
      'lifecycle-valid',
    ]);
    expect(countsFrom.get('2026-02-04')).toHaveLength(35);
  });
});
