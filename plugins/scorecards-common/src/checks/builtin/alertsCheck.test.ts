import { baselineWorld, World } from '../../__fixtures__/baselineWorld';
import { evaluateWorld } from '../../__fixtures__/evaluateWorld';
import { compileWith } from '../../__fixtures__/standards';
import { before } from '../../__fixtures__/time';

/** `alerts-route-to-owner` (scorecards §4): team label = the owner Group's name, routed off the default receiver. */

const standard = compileWith();

interface Rule {
  name: string;
  labels: { service: string; team?: string };
  receivers?: string[] | null;
  defaultReceiver?: boolean | null;
}

function rules(w: World): Rule[] {
  return (
    w.facts.find(f => f.kind === 'alerts.rules')!.value as { rules: Rule[] }
  ).rules;
}

function renameOwnerGroup(w: World, name: string) {
  w.others.find(e => e.metadata.name === 'ref-team')!.metadata.name = name;
}

function routeToOwner(change: (w: World) => void) {
  const w = baselineWorld();
  change(w);
  return evaluateWorld(w, standard).results.find(
    r => r.checkId === 'alerts-route-to-owner',
  )!;
}

describe('alerts-route-to-owner', () => {
  it.each<
    [string, (w: World) => void, string, string, 'service' | 'platform' | null]
  >([
    ['baseline', () => undefined, 'pass', 'PASS', null],
    [
      'routing unknown (receivers null: no Alertmanager configured)',
      w =>
        rules(w).forEach(r => {
          r.receivers = null;
          r.defaultReceiver = null;
        }),
      'unknown',
      'SOURCE_UNAVAILABLE',
      'platform',
    ],
    [
      'one rule with unknown routing, the others routed',
      w => (rules(w)[0].receivers = null),
      'unknown',
      'SOURCE_UNAVAILABLE',
      'platform',
    ],
    [
      'one rule on the default receiver, another with unknown routing (a fresh fail first)',
      w => {
        rules(w)[0].receivers = null;
        rules(w)[1].defaultReceiver = true;
      },
      'fail',
      'ALERT_UNROUTED',
      'service',
    ],
    [
      'a rule with an empty receiver list',
      w => (rules(w)[2].receivers = []),
      'fail',
      'ALERT_UNROUTED',
      'service',
    ],
    [
      'an owner Group declared as Ref-Team, rules saying team=Ref-Team',
      w => {
        renameOwnerGroup(w, 'Ref-Team');
        rules(w).forEach(r => (r.labels.team = 'Ref-Team'));
      },
      'pass',
      'PASS',
      null,
    ],
    [
      'an owner Group declared as Ref-Team, rules saying team=ref-team (Alertmanager matchers are case-sensitive)',
      w => renameOwnerGroup(w, 'Ref-Team'),
      'fail',
      'ALERT_TEAM_MISMATCH',
      'service',
    ],
    [
      'a stale catalog snapshot and a rule on the default receiver (a fresh fail first)',
      w => {
        w.refreshedAt = before({ m: 11 });
        rules(w)[1].defaultReceiver = true;
      },
      'fail',
      'ALERT_UNROUTED',
      'service',
    ],
    [
      'a stale catalog snapshot and a rule without a team label (no owner name can match it)',
      w => {
        w.refreshedAt = before({ m: 11 });
        delete rules(w)[1].labels.team;
      },
      'fail',
      'ALERT_TEAM_MISMATCH',
      'service',
    ],
    [
      'a stale catalog snapshot and rules naming another team than spec.owner',
      w => {
        w.refreshedAt = before({ m: 11 });
        rules(w).forEach(r => (r.labels.team = 'other-team'));
      },
      'fail',
      'ALERT_TEAM_MISMATCH',
      'service',
    ],
    [
      'a stale catalog snapshot and rules that may match the owner',
      w => (w.refreshedAt = before({ m: 11 })),
      'unknown',
      'SOURCE_UNAVAILABLE',
      'platform',
    ],
  ])('%s', (_label, change, state, reason, attribution) => {
    expect(routeToOwner(change)).toMatchObject({ state, reason, attribution });
  });

  it('an unknown routing names the rules and says why', () => {
    const r = routeToOwner(w => (rules(w)[0].receivers = null));
    expect(r.missing).toEqual([
      expect.objectContaining({
        source: 'prometheus',
        kind: 'alerts.rules',
        cause: 'not-collected',
      }),
    ]);
    expect(r.message).toContain('RefHighErrorRate');
  });

  it('a mismatch names the owner Group’s name as declared', () => {
    const r = routeToOwner(w => renameOwnerGroup(w, 'Ref-Team'));
    expect(r.message).toContain('expected team Ref-Team');
  });
});
